"""Workbench account pages: staff login with TOTP (and enrolment), logout, password change, in-person
identity verification and 案件查询码 regeneration."""

from __future__ import annotations

import time
from typing import Any

import segno
from django.contrib.auth import login, logout
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from zhixing.cases.selectors import cases_visible_to_staff
from zhixing.lib import crypto
from zhixing.lib.errors import error_dict, field_error
from zhixing.lib.ids import IdentifierError, validate_mobile
from zhixing.workbench.access import is_staff_user, staff_required

from . import services
from .middleware import PASSWORD_EXPIRED
from .models import IdentityVerification, User
from .permissions import can_regenerate_query_code
from .views import BACKEND, _ip, template_errors

PENDING = "_mfa_pending"
PENDING_SECONDS = 300


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return "/workbench/"


def _login_page(
    request: HttpRequest, *, step: str = "password", status: int = 200, **ctx: Any
) -> HttpResponse:
    ctx["errors"] = template_errors(ctx.get("errors"))
    ctx.setdefault("next", _next(request))
    ctx.setdefault("username", request.POST.get("username", ""))
    return render(request, "workbench/login.html", {"step": step, **ctx}, status=status)


def _finish_login(request: HttpRequest, user: User, next_url: str) -> HttpResponse:
    request.session.pop(PENDING, None)
    login(request, user, backend=BACKEND)  # cycles the session key
    if services.staff_password_expired(user=user):
        request.session[PASSWORD_EXPIRED] = True
        return HttpResponseRedirect("/workbench/accounts/password/")
    return HttpResponseRedirect(next_url)


@require_http_methods(["GET", "POST"])
def staff_login(request: HttpRequest) -> HttpResponse:
    """Step 1: username + password. Staff who need a second factor continue to the TOTP step."""
    if request.method == "GET":
        if is_staff_user(request.user):
            return HttpResponseRedirect(_next(request))
        return _login_page(request)
    try:
        user = services.staff_authenticate(
            username=request.POST.get("username", ""),
            password=request.POST.get("password", ""),
            ip=_ip(request),
        )
    except ValidationError as exc:
        return _login_page(request, errors=error_dict(exc), status=422)
    if services.staff_needs_totp(user=user) or services.staff_has_totp(user=user):
        request.session.cycle_key()
        request.session[PENDING] = {"uid": user.pk, "at": int(time.time()), "next": _next(request)}
        return redirect("accounts_wb:totp")
    return _finish_login(request, user, _next(request))


def _pending_user(request: HttpRequest) -> tuple[User, str] | None:
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or int(time.time()) - int(pending.get("at", 0)) > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None
    user = User.objects.filter(pk=int(pending.get("uid") or 0), kind=User.Kind.STAFF, is_active=True).first()
    return (user, str(pending.get("next") or "/workbench/")) if user else None


@require_http_methods(["GET", "POST"])
def staff_totp(request: HttpRequest) -> HttpResponse:
    """Step 2: the 6-digit code from the authenticator app; first-time users enrol here with a QR code."""
    found = _pending_user(request)
    if found is None:
        return redirect("workbench:login")
    user, next_url = found
    enrol = not services.staff_has_totp(user=user)
    ctx: dict[str, Any] = {"username": user.username, "next": next_url, "enrol": enrol}
    if enrol:
        secret = services.staff_totp_enrol_begin(user=user)
        uri = services.totp_uri(user=user, secret=secret)
        ctx["secret"] = secret
        ctx["qr_svg"] = segno.make(uri, error="m").svg_inline(scale=4)
    if request.method == "GET":
        return _login_page(request, step="totp", **ctx)
    try:
        services.staff_totp_verify(user=user, code=request.POST.get("code", ""), ip=_ip(request), enrol=enrol)
    except ValidationError as exc:
        return _login_page(request, step="totp", errors=error_dict(exc), status=422, **ctx)
    return _finish_login(request, user, next_url)


@require_POST
def staff_logout(request: HttpRequest) -> HttpResponse:
    """Ends every session of the user (all browsers), not only this one."""
    services.logout_record(user=request.user, ip=_ip(request), everywhere=True)
    logout(request)
    return redirect("workbench:login")


@require_http_methods(["GET", "POST"])
@staff_required
def password_change(request: HttpRequest) -> HttpResponse:
    expired = bool(request.session.get(PASSWORD_EXPIRED))
    ctx: dict[str, Any] = {"errors": {}, "expired": expired}
    if request.method == "POST":
        try:
            services.password_change(
                user=request.user,  # type: ignore[arg-type]
                old_password=request.POST.get("old_password", ""),
                new_password=request.POST.get("new_password", ""),
                ip=_ip(request),
            )
        except ValidationError as exc:
            ctx["errors"] = template_errors(error_dict(exc))
            return render(request, "accounts/wb_password.html", ctx, status=422)
        logout(request)
        return render(request, "accounts/wb_password_done.html")
    return render(request, "accounts/wb_password.html", ctx)


# --- In-person verification -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_required
def verify_in_person(request: HttpRequest) -> HttpResponse:
    """Counter staff find a public account by its phone number, check the ID card and record the result.

    The search is a POST so phone numbers stay out of URLs and access logs."""
    ctx: dict[str, Any] = {"errors": {}, "values": request.POST or request.GET}
    status = 200
    phone = (request.POST.get("phone") or request.GET.get("phone") or "").strip()
    target: User | None = None
    if phone:
        try:
            number = validate_mobile(phone)
            target = User.objects.filter(
                phone_index=crypto.blind_index(number), kind=User.Kind.PUBLIC
            ).first()
            if target is None:
                ctx["errors"] = {"phone": ["未找到使用该手机号注册的公众用户。"]}
                status = 404 if request.method == "GET" else 422
        except IdentifierError as exc:
            ctx["errors"] = {"phone": [str(exc)]}
            status = 422
    ctx["target"] = target
    if request.method == "POST" and target is not None and request.POST.get("action") != "find":
        try:
            if request.POST.get("confirm") != "1":
                raise field_error("confirm", "请确认已当面核对身份证原件与本人一致。")
            ctx["record"] = services.identity_verify_in_person(
                staff=request.user,  # type: ignore[arg-type]
                user=target,
                real_name=request.POST.get("real_name", ""),
                id_number=request.POST.get("id_number", ""),
                document_note=request.POST.get("document_note", ""),
                ip=_ip(request),
            )
            target.refresh_from_db()
        except ValidationError as exc:
            ctx["errors"] = template_errors(error_dict(exc))
            status = 422
    if target is not None:
        ctx["history"] = IdentityVerification.objects.filter(user=target)[:10]
    return render(request, "accounts/wb_verify.html", ctx, status=status)


# --- Query codes ----------------------------------------------------------------------------------------------


@require_http_methods(["GET"])
@staff_required
def query_codes(request: HttpRequest) -> HttpResponse:
    """Find a case by number and see / reset its 案件查询码 (only where the user may reset it)."""
    number = (request.GET.get("number") or "").strip()
    cases = []
    if number:
        found = (
            cases_visible_to_staff(user=request.user)
            .filter(number__contains=number)
            .select_related("court", "judge")
        )
        cases = [(c, can_regenerate_query_code(request.user, c)) for c in found.order_by("-filed_on")[:20]]
    return render(request, "accounts/wb_query_codes.html", {"number": number, "cases": cases})


@require_POST
@staff_required
def query_code_regenerate(request: HttpRequest, case_id: int) -> HttpResponse:
    case = get_object_or_404(cases_visible_to_staff(user=request.user), pk=case_id)
    try:
        code = services.query_code_regenerate(actor=request.user, case=case)  # type: ignore[arg-type]
    except PermissionDenied:
        raise
    return render(request, "accounts/wb_query_code_done.html", {"case": case, "code": code})
