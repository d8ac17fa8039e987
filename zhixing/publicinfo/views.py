"""Portal pages of the query service (查询服务, seed 000 §3.4) and the correction application."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from zhixing.lib.errors import error_dict
from zhixing.lib.middleware import client_ip

from . import selectors, services, throttle
from .models import CorrectionReason, ListKind
from .regions import PROVINCE_CHOICES

KINDS = ["comprehensive", *ListKind.values]


def _ip(request: HttpRequest) -> str:
    return getattr(request, "client_ip", None) or client_ip(request)


@require_GET
def query_home(request: HttpRequest) -> HttpResponse:
    return render(request, "publicinfo/query_home.html", {"tab": "guide", "types": selectors.QUERY_TYPES})


def _form_context(kind: str, values: dict[str, str], **extra: Any) -> dict[str, Any]:
    return {
        "tab": "guide",
        "kind": kind,
        "label": selectors.QUERY_LABELS[kind],
        "values": values,
        "provinces": PROVINCE_CHOICES,
        "is_comprehensive": kind == "comprehensive",
        **extra,
    }


@never_cache
@require_http_methods(["GET", "POST"])
def query_form(request: HttpRequest, kind: str) -> HttpResponse:
    """Query form and results. Identity numbers are only accepted by POST (never in URLs or access logs);
    pagination links carry name, province and court only."""
    if kind not in KINDS:
        raise Http404
    source = request.POST if request.method == "POST" else request.GET
    values = {k: str(source.get(k, "")).strip() for k in ("name", "province", "court", "page")}
    id_number = str(request.POST.get("id_number", "")) if request.method == "POST" else ""
    template = "publicinfo/query_form.html"
    if request.method == "GET" and not values["name"]:
        return render(request, template, _form_context(kind, values))
    gate = throttle.query_gate(
        ip=_ip(request),
        captcha_token=str(source.get("captcha_token", "")),
        captcha_answer=str(source.get("captcha_answer", "")),
    )
    if not gate.allowed:
        ctx = _form_context(kind, values, gate_message=gate.message)
        if gate.captcha_required:
            ctx["captcha_token"] = throttle.captcha_issue()
            status = 422 if gate.status == 422 else 200
        else:
            status = gate.status
        return render(request, template, ctx, status=status)
    try:
        if kind == "comprehensive":
            result = selectors.comprehensive_query(name=values["name"], id_number=id_number)
        else:
            result = selectors.list_query(
                kind=kind,
                name=values["name"],
                id_number=id_number,
                province=values["province"],
                court=values["court"],
                page=values["page"] or 1,
            )
    except ValidationError as exc:
        return render(request, template, _form_context(kind, values, errors=error_dict(exc)), status=422)
    rows = [selectors.record_public(r) for r in result.records]
    groups = []
    if kind == "comprehensive":
        groups = [
            (ListKind(k).label, [selectors.record_public(r) for r in result.lists.get(k, [])])
            for k in ListKind.values
        ]
    paging = bool(not id_number and result.pages > 1)
    return render(
        request,
        template,
        _form_context(
            kind,
            values,
            result=result,
            rows=rows,
            groups=groups,
            searched=True,
            with_identity=bool(id_number),
            paging=paging,
            prev_page=result.page - 1 if result.page > 1 else None,
            next_page=result.page + 1 if result.page < result.pages else None,
        ),
    )


@require_GET
def record_detail(request: HttpRequest, token: str) -> HttpResponse:
    gate = throttle.query_gate(ip=_ip(request), count=False)
    if not gate.allowed:
        return render(
            request, "publicinfo/blocked.html", {"tab": "guide", "message": gate.message}, status=gate.status
        )
    record = selectors.record_by_token(token)
    if record is None:
        raise Http404("该信息不存在或已删除。")
    return render(
        request,
        "publicinfo/record_detail.html",
        {
            "tab": "guide",
            "r": selectors.record_public(record),
            "can_correct": record.kind == ListKind.DISHONEST,
        },
    )


@never_cache
@require_GET
def captcha_png(request: HttpRequest, token: str) -> HttpResponse:
    png = throttle.captcha_image(token)
    if png is None:
        raise Http404
    return HttpResponse(png, content_type="image/png")


@never_cache
@require_http_methods(["GET", "POST"])
def correction_apply(request: HttpRequest, token: str) -> HttpResponse:
    record = selectors.record_by_token(token)
    if record is None or record.kind != ListKind.DISHONEST:
        raise Http404("该信息不存在或已删除。")
    user = request.user if request.user.is_authenticated else None
    verified_user = bool(user is not None and getattr(user, "verified_at", None))
    ctx: dict[str, Any] = {
        "tab": "guide",
        "r": selectors.record_public(record),
        "token": token,
        "reasons": CorrectionReason.choices,
        "verified_user": verified_user,
        "values": {},
    }
    if verified_user and getattr(user, "id_index", "") != record.id_index:
        return render(
            request,
            "publicinfo/blocked.html",
            {"tab": "guide", "message": "您实名认证的身份与该失信信息不一致，不能申请纠正。"},
            status=403,
        )
    if request.method == "GET":
        return render(request, "publicinfo/correction_form.html", ctx)
    gate = throttle.query_gate(ip=_ip(request), count=False)
    if not gate.allowed:
        return render(
            request, "publicinfo/blocked.html", {"tab": "guide", "message": gate.message}, status=gate.status
        )
    values = {k: str(request.POST.get(k, "")).strip() for k in ("reason", "statement", "name", "phone")}
    ctx["values"] = values
    try:
        req = services.correction_submit(
            record=record,
            reason=values["reason"],
            statement=values["statement"],
            user=user if verified_user else None,
            name=values["name"],
            id_number=str(request.POST.get("id_number", "")),
            phone=values["phone"],
        )
    except PermissionDenied as exc:
        return render(request, "publicinfo/blocked.html", {"tab": "guide", "message": str(exc)}, status=403)
    except ValidationError as exc:
        ctx["errors"] = error_dict(exc)
        return render(request, "publicinfo/correction_form.html", ctx, status=422)
    request.session["publicinfo_correction"] = req.pk
    return redirect(reverse("publicinfo:correction-done"))


@never_cache
@require_GET
def correction_done(request: HttpRequest) -> HttpResponse:
    from .models import CorrectionRequest

    pk = request.session.get("publicinfo_correction")
    req = CorrectionRequest.objects.filter(pk=pk).select_related("record").first() if pk else None
    if req is None:
        raise Http404
    return render(request, "publicinfo/correction_done.html", {"tab": "guide", "req": req})
