"""Portal account pages (/account/...): register, logins, reset, change number, logout, unit login,
real-name verification and 我的案件. Forms work without JavaScript: the 获取验证码 button submits the same
form with ``action=send_code`` and the page comes back with the message."""

from __future__ import annotations

import base64
from typing import Any

from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from zhixing.lib import captcha
from zhixing.lib.errors import error_dict
from zhixing.lib.middleware import client_ip

from . import identity, services
from .middleware import mark_session_start
from .models import IdentityVerification, SmsCode, User
from .permissions import UNIT_SESSION_KEY, is_public_user, portal_case_scope, unit_session

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _ip(request: HttpRequest) -> str:
    return getattr(request, "client_ip", None) or client_ip(request)


def _next(request: HttpRequest, default: str = "/me/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _page(
    request: HttpRequest,
    template: str,
    *,
    errors: dict[str, list[str]] | None = None,
    status: int = 200,
    **context: Any,
) -> HttpResponse:
    values = {k: v for k, v in request.POST.items() if k not in {"password", "code", "csrfmiddlewaretoken"}}
    context.setdefault("next", _next(request, ""))
    ctx = {"tab": "me", "errors": template_errors(errors), "values": values, **context}
    return render(request, template, ctx, status=status)


def template_errors(errors: dict[str, list[str]] | None) -> dict[str, list[str]]:
    """Templates cannot read ``__all__``: non-field errors are shown as ``errors.form``."""
    out = dict(errors or {})
    if "__all__" in out:
        out["form"] = out.pop("__all__")
    return out


def _captcha_context(request: HttpRequest) -> dict[str, Any]:
    """A fresh captcha image when this IP must solve one before the next code request."""
    try:
        required = services.sms_code_captcha_required(ip=_ip(request))
    except Exception:  # the limiter is advisory here; the service itself fails closed
        required = False
    if not required:
        return {}
    token, png = captcha.captcha_new()
    return {"captcha_token": token, "captcha_png": base64.b64encode(png).decode()}


def _send_code(request: HttpRequest, purpose: str, template: str, **context: Any) -> HttpResponse:
    user = request.user if request.user.is_authenticated else None
    phone_field = "new_phone" if purpose == SmsCode.Purpose.CHANGE else "phone"
    try:
        services.sms_code_request(
            phone=request.POST.get(phone_field, ""),
            purpose=purpose,
            ip=_ip(request),
            captcha_token=request.POST.get("captcha_token", ""),
            captcha_answer=request.POST.get("captcha_answer", ""),
            user=user,
        )
    except ValidationError as exc:
        errors = error_dict(exc)
        if phone_field != "phone" and "phone" in errors:
            errors[phone_field] = errors.pop("phone")
        return _page(request, template, errors=errors, status=422, **_captcha_context(request), **context)
    return _page(request, template, sent=services.CODE_REQUESTED, **_captcha_context(request), **context)


def _login_and_go(request: HttpRequest, user: User) -> HttpResponse:
    request.session.pop(UNIT_SESSION_KEY, None)
    login(request, user, backend=BACKEND)
    return HttpResponseRedirect(_next(request))


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    template = "accounts/register.html"
    if request.method == "GET":
        return _page(request, template, **_captcha_context(request))
    if request.POST.get("action") == "send_code":
        return _send_code(request, SmsCode.Purpose.REGISTER, template)
    if not request.POST.get("agree"):
        return _page(
            request,
            template,
            errors={"agree": ["请阅读并同意用户协议与隐私政策。"]},
            status=422,
            **_captcha_context(request),
        )
    try:
        user = services.public_user_register(
            phone=request.POST.get("phone", ""),
            code=request.POST.get("code", ""),
            password=request.POST.get("password", ""),
            ip=_ip(request),
        )
    except ValidationError as exc:
        return _page(request, template, errors=error_dict(exc), status=422, **_captcha_context(request))
    login(request, user, backend=BACKEND)
    return redirect("accounts:verify")


@require_http_methods(["GET", "POST"])
def login_password(request: HttpRequest) -> HttpResponse:
    template = "accounts/login.html"
    if request.method == "GET":
        return _page(request, template, mode="password")
    try:
        user = services.public_login_password(
            phone=request.POST.get("phone", ""), password=request.POST.get("password", ""), ip=_ip(request)
        )
    except ValidationError as exc:
        return _page(request, template, errors=error_dict(exc), status=422, mode="password")
    return _login_and_go(request, user)


@require_http_methods(["GET", "POST"])
def login_sms(request: HttpRequest) -> HttpResponse:
    template = "accounts/login.html"
    if request.method == "GET":
        return _page(request, template, mode="sms", **_captcha_context(request))
    if request.POST.get("action") == "send_code":
        return _send_code(request, SmsCode.Purpose.LOGIN, template, mode="sms")
    try:
        user = services.public_login_sms(
            phone=request.POST.get("phone", ""), code=request.POST.get("code", ""), ip=_ip(request)
        )
    except ValidationError as exc:
        return _page(
            request, template, errors=error_dict(exc), status=422, mode="sms", **_captcha_context(request)
        )
    return _login_and_go(request, user)


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    template = "accounts/reset.html"
    if request.method == "GET":
        return _page(request, template, **_captcha_context(request))
    if request.POST.get("action") == "send_code":
        return _send_code(request, SmsCode.Purpose.RESET, template)
    try:
        services.public_password_reset(
            phone=request.POST.get("phone", ""),
            code=request.POST.get("code", ""),
            password=request.POST.get("password", ""),
            ip=_ip(request),
        )
    except ValidationError as exc:
        return _page(request, template, errors=error_dict(exc), status=422, **_captcha_context(request))
    if request.user.is_authenticated:
        logout(request)
    return _page(
        request,
        "accounts/done.html",
        title="密码已重置",
        body="新密码已生效，所有设备上的登录已退出，请用新密码登录。",
    )


@login_required(login_url="/account/login/")
@require_http_methods(["GET", "POST"])
def phone_change(request: HttpRequest) -> HttpResponse:
    template = "accounts/phone.html"
    if not is_public_user(request.user):
        return _page(
            request, "accounts/done.html", title="无法更换", body="工作人员账户不使用手机号登录。", status=403
        )
    if request.method == "GET":
        return _page(request, template, **_captcha_context(request))
    if request.POST.get("action") == "send_code":
        return _send_code(request, SmsCode.Purpose.CHANGE, template)
    try:
        services.public_phone_change(
            user=request.user,  # type: ignore[arg-type]
            password=request.POST.get("password", ""),
            new_phone=request.POST.get("new_phone", ""),
            code=request.POST.get("code", ""),
            ip=_ip(request),
        )
    except ValidationError as exc:
        return _page(request, template, errors=error_dict(exc), status=422, **_captcha_context(request))
    return _page(request, "accounts/done.html", title="手机号已更换", body="今后请使用新手机号登录。")


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    # Every session of the user ends (all devices): a phone left signed in elsewhere is not left open.
    services.logout_record(
        user=request.user, ip=_ip(request), everywhere=request.POST.get("everywhere") != "0"
    )
    logout(request)  # flushes the session server-side, including any unit login
    return redirect("portal:me")


@require_http_methods(["GET", "POST"])
def unit_login(request: HttpRequest) -> HttpResponse:
    template = "accounts/unit_login.html"
    if request.method == "GET":
        return _page(request, template)
    try:
        unit = services.unit_login(
            unit_code=request.POST.get("unit_code", ""),
            query_code=request.POST.get("query_code", ""),
            ip=_ip(request),
        )
    except ValidationError as exc:
        return _page(request, template, errors=error_dict(exc), status=422)
    if request.user.is_authenticated:
        logout(request)
    request.session.cycle_key()  # a new session id for the new privilege
    request.session[UNIT_SESSION_KEY] = unit.as_session()
    mark_session_start(request.session)
    return HttpResponseRedirect(_next(request, reverse("accounts:cases")))


@require_http_methods(["GET"])
def my_cases(request: HttpRequest) -> HttpResponse:
    cases = portal_case_scope(request).order_by("-filed_on", "-id")
    unit = unit_session(request.session)
    return _page(request, "accounts/cases.html", cases=cases, unit=unit)


# --- Real-name verification -----------------------------------------------------------------------------------


@login_required(login_url="/account/login/")
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not is_public_user(user):
        return _page(
            request, "accounts/done.html", title="无需认证", body="工作人员账户无需实名认证。", status=403
        )
    latest = IdentityVerification.objects.filter(user=user).first()
    if user.is_verified:
        return _page(request, "accounts/verify_done.html", record=latest)
    consent = services.face_consent_current(user=user)
    context: dict[str, Any] = {
        "notice": identity.NOTICE_TEXT,
        "notice_version": identity.NOTICE_VERSION,
        "consent": consent,
        "latest": latest,
    }
    if request.method == "GET":
        return _page(request, "accounts/verify.html", **context)
    action = request.POST.get("action")
    if action == "consent":
        if not request.POST.get("agree"):
            return _page(
                request,
                "accounts/verify.html",
                errors={"agree": ["请勾选同意后再继续，或选择到法院现场核验。"]},
                status=422,
                **context,
            )
        context["consent"] = services.face_consent_give(user=user, ip=_ip(request))
        return _page(request, "accounts/verify.html", **context)
    if action == "withdraw":
        services.face_consent_withdraw(user=user, ip=_ip(request))
        context["consent"] = None
        return _page(request, "accounts/verify.html", **context)
    portrait = request.FILES.get("portrait")
    selfie = request.FILES.get("selfie")
    try:
        portrait_bytes = portrait.read() if portrait else b""
        selfie_bytes = selfie.read() if selfie else b""
    finally:
        for upload in (portrait, selfie):
            if upload is not None:
                upload.close()  # temporary upload files are deleted on close
    try:
        record = services.identity_verify_face(
            user=user,
            real_name=request.POST.get("real_name", ""),
            id_number=request.POST.get("id_number", ""),
            portrait=portrait_bytes,
            selfie=selfie_bytes,
            ip=_ip(request),
        )
    except ValidationError as exc:
        return _page(request, "accounts/verify.html", errors=error_dict(exc), status=422, **context)
    finally:
        del portrait_bytes, selfie_bytes
    if record.result == IdentityVerification.Result.APPROVED:
        user.refresh_from_db()
        return _page(request, "accounts/verify_done.html", record=record)
    context["latest"] = record
    return _page(request, "accounts/verify.html", status=422, failed=record, **context)
