"""Judges' side of 执行互动: the message inbox, the clue review queue with its check deadline, and the
opinion queue for court leadership (院领导). Every object is checked again in selectors/services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhixing.lib.errors import error_dict
from zhixing.workbench.access import staff_required

from . import integration, selectors, services
from .models import Clue
from .views import _file_response


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, 30).get_page(request.GET.get("page"))


@require_GET
@staff_required
def message_inbox(request: HttpRequest) -> HttpResponse:
    replied = request.GET.get("tab") == "replied"
    page = _page(request, selectors.staff_message_inbox(user=request.user, replied=replied))
    return render(
        request,
        "interaction/wb_messages.html",
        {
            "page": page,
            "view_tab": "replied" if replied else "waiting",
            "max_chars": services.REPLY_MAX_CHARS,
        },
    )


@require_POST
@staff_required
def message_reply(request: HttpRequest, pk: int) -> HttpResponse:
    message = selectors.staff_message(user=request.user, pk=pk)
    if message is None:
        raise Http404
    try:
        services.message_reply(actor=request.user, message=message, reply=request.POST.get("reply", ""))
    except ValidationError as exc:
        page = _page(request, selectors.staff_message_inbox(user=request.user))
        return render(
            request,
            "interaction/wb_messages.html",
            {
                "page": page,
                "view_tab": "waiting",
                "error_for": message.pk,
                "error_msgs": [m for ms in error_dict(exc).values() for m in ms],
                "max_chars": services.REPLY_MAX_CHARS,
            },
            status=422,
        )
    flash.success(request, f"已回复 {message.case.number} 的留言，并已通知当事人。")
    return redirect("interaction_wb:messages")


@require_GET
@staff_required
def clue_queue(request: HttpRequest) -> HttpResponse:
    status = Clue.Status.CHECKED if request.GET.get("tab") == "checked" else Clue.Status.CHECKING
    page = _page(request, selectors.staff_clue_queue(user=request.user, status=status))
    today = integration.today()
    rows = [{"clue": c, "state": selectors.deadline_state(c, today)} for c in page]
    return render(
        request, "interaction/wb_clues.html", {"page": page, "rows": rows, "view_tab": status, "today": today}
    )


@require_http_methods(["GET", "POST"])
@staff_required
def clue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    clue = selectors.staff_clue(user=request.user, pk=pk)
    if clue is None:
        raise Http404
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        try:
            services.clue_review(
                actor=request.user,
                clue=clue,
                outcome=request.POST.get("outcome", ""),
                result=request.POST.get("result", ""),
            )
        except ValidationError as exc:
            errors, status = error_dict(exc), 422
        else:
            flash.success(request, "核查结果已反馈当事人。")
            return redirect(reverse("interaction_wb:clues"))
    return render(
        request,
        "interaction/wb_clue_detail.html",
        {
            "clue": clue,
            "state": selectors.deadline_state(clue),
            "outcomes": Clue.Outcome.choices,
            "errors": errors,
            "form": request.POST if request.method == "POST" else {},
        },
        status=status,
    )


@require_GET
@staff_required
def clue_file(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = selectors.staff_attachment(user=request.user, pk=pk)
    if attachment is None:
        raise Http404
    return _file_response(attachment)


@require_GET
@staff_required
def opinion_queue(request: HttpRequest) -> HttpResponse:
    if not integration.leader_court_ids(request.user):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("仅院领导可以处理意见建议。")
    replied = request.GET.get("tab") == "replied"
    page = _page(request, selectors.staff_opinion_queue(user=request.user, replied=replied))
    return render(
        request,
        "interaction/wb_opinions.html",
        {"page": page, "view_tab": "replied" if replied else "waiting"},
    )


@require_POST
@staff_required
def opinion_reply(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = selectors.staff_opinion(user=request.user, pk=pk)
    if opinion is None:
        raise Http404
    try:
        services.opinion_reply(actor=request.user, opinion=opinion, reply=request.POST.get("reply", ""))
    except ValidationError as exc:
        page = _page(request, selectors.staff_opinion_queue(user=request.user))
        return render(
            request,
            "interaction/wb_opinions.html",
            {
                "page": page,
                "view_tab": "waiting",
                "error_for": opinion.pk,
                "error_msgs": [m for ms in error_dict(exc).values() for m in ms],
            },
            status=422,
        )
    flash.success(request, "已回复，并已通知提出人。")
    return redirect("interaction_wb:opinions")
