"""Accounts API (/api/v1/accounts/): the same services as the portal pages, for the native apps.

Authentication is the Django session cookie (``sessionid``), set by the login endpoints. CSRF works as in
Django: ``GET /api/v1/accounts/csrf`` sets the ``csrftoken`` cookie and returns the token; every POST sends
it back in the ``X-CSRFToken`` header (a POST without it is refused with 403). Answers to code requests
never reveal whether a number is registered.
"""

from __future__ import annotations

import base64
from datetime import date, datetime
from typing import Any

from django.contrib.auth import login, logout
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.middleware.csrf import get_token
from ninja import Field, File, Form, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.files import UploadedFile
from ninja.utils import check_csrf

from zhixing.lib import captcha
from zhixing.lib.masking import mask_mobile

from . import identity, services
from .middleware import mark_session_start
from .models import IdentityVerification, User
from .permissions import UNIT_SESSION_KEY, is_public_user, portal_case_scope, unit_session
from .views import BACKEND, _ip

API_PREFIX = "/accounts/"
router = Router(tags=["账户与身份"])


def _csrf(request: HttpRequest) -> None:
    if check_csrf(request) is not None:
        raise HttpError(
            403, "CSRF 校验失败：请先调用 GET /api/v1/accounts/csrf 并在 X-CSRFToken 请求头中回传。"
        )


def _public_user(request: HttpRequest) -> User:
    if not request.user.is_authenticated:
        raise AuthenticationError()
    if not is_public_user(request.user):
        raise PermissionDenied("仅限公众用户使用。")
    return request.user


class Detail(Schema):
    detail: str


class CsrfOut(Schema):
    csrf_token: str


class AccountCaptchaOut(Schema):
    token: str
    image: str = Field(description="data: URI of the PNG")


class CodeIn(Schema):
    phone: str
    purpose: str = Field(description="register 注册 / login 登录 / reset 重置密码 / change 更换手机号")
    captcha_token: str = ""
    captcha_answer: str = ""


class CodeOut(Schema):
    detail: str
    captcha_required: bool = Field(description="下一次获取验证码是否需要图形验证码")


class RegisterIn(Schema):
    phone: str
    code: str
    password: str


class PasswordLoginIn(Schema):
    phone: str
    password: str


class SmsLoginIn(Schema):
    phone: str
    code: str


class ResetIn(Schema):
    phone: str
    code: str
    password: str


class PhoneChangeIn(Schema):
    password: str
    new_phone: str
    code: str


class UnitLoginIn(Schema):
    unit_code: str
    query_code: str


class MeOut(Schema):
    kind: str
    phone_masked: str
    verified: bool
    real_name: str
    verified_at: datetime | None
    unit_code: str | None = None


class ConsentOut(Schema):
    version: str
    given_at: datetime


class FaceNoticeOut(Schema):
    version: str
    sha256: str
    text: str


class VerificationOut(Schema):
    result: str
    method: str
    reason: str
    score: float | None
    threshold: float | None
    verified: bool


class CaseBrief(Schema):
    id: int
    number: str
    court: str
    filed_on: date
    status: str
    status_label: str

    @staticmethod
    def resolve_court(obj: Any) -> str:
        return str(obj.court.name)

    @staticmethod
    def resolve_status_label(obj: Any) -> str:
        return str(obj.get_status_display())


def _me(request: HttpRequest) -> MeOut:
    unit = unit_session(request.session)
    user = request.user
    if user.is_authenticated:
        return MeOut(
            kind=user.kind,
            phone_masked=mask_mobile(user.phone),
            verified=user.is_verified,
            real_name=user.real_name,
            verified_at=user.verified_at,
            unit_code=unit["code"] if unit else None,
        )
    if unit:
        return MeOut(
            kind="unit",
            phone_masked="",
            verified=False,
            real_name="",
            verified_at=None,
            unit_code=unit["code"],
        )
    raise AuthenticationError()


@router.get("/csrf", response=CsrfOut, summary="获取 CSRF 令牌（同时设置 csrftoken Cookie）")
def csrf(request: HttpRequest) -> dict[str, str]:
    return {"csrf_token": get_token(request)}


@router.get("/captcha", response=AccountCaptchaOut, summary="获取图形验证码")
def captcha_image(request: HttpRequest) -> dict[str, str]:
    token, png = captcha.captcha_new()
    return {"token": token, "image": "data:image/png;base64," + base64.b64encode(png).decode()}


@router.post("/sms-code", response=CodeOut, summary="获取短信验证码（不透露号码是否已注册）")
def sms_code(request: HttpRequest, payload: CodeIn) -> dict[str, Any]:
    _csrf(request)
    user = request.user if request.user.is_authenticated else None
    services.sms_code_request(
        phone=payload.phone,
        purpose=payload.purpose,
        ip=_ip(request),
        captcha_token=payload.captcha_token,
        captcha_answer=payload.captcha_answer,
        user=user,
    )
    return {
        "detail": services.CODE_REQUESTED,
        "captcha_required": services.sms_code_captcha_required(ip=_ip(request)),
    }


def _start(request: HttpRequest, user: User) -> MeOut:
    request.session.pop(UNIT_SESSION_KEY, None)
    login(request, user, backend=BACKEND)
    return _me(request)


@router.post("/register", response={201: MeOut}, summary="注册（手机号 + 短信验证码 + 密码）")
def register(request: HttpRequest, payload: RegisterIn) -> Status:
    _csrf(request)
    user = services.public_user_register(
        phone=payload.phone, code=payload.code, password=payload.password, ip=_ip(request)
    )
    return Status(201, _start(request, user))


@router.post("/login", response=MeOut, summary="密码登录")
def login_password(request: HttpRequest, payload: PasswordLoginIn) -> MeOut:
    _csrf(request)
    user = services.public_login_password(phone=payload.phone, password=payload.password, ip=_ip(request))
    return _start(request, user)


@router.post("/login-sms", response=MeOut, summary="短信验证码登录")
def login_sms(request: HttpRequest, payload: SmsLoginIn) -> MeOut:
    _csrf(request)
    user = services.public_login_sms(phone=payload.phone, code=payload.code, ip=_ip(request))
    return _start(request, user)


@router.post("/password-reset", response=Detail, summary="短信重置密码（所有会话随之失效）")
def password_reset(request: HttpRequest, payload: ResetIn) -> dict[str, str]:
    _csrf(request)
    services.public_password_reset(
        phone=payload.phone, code=payload.code, password=payload.password, ip=_ip(request)
    )
    if request.user.is_authenticated:
        logout(request)
    return {"detail": "密码已重置，请用新密码登录。"}


@router.post(
    "/logout", response=Detail, summary="退出登录（服务端销毁该用户的全部会话；everywhere=false 仅本设备）"
)
def logout_view(request: HttpRequest, everywhere: bool = True) -> dict[str, str]:
    _csrf(request)
    services.logout_record(user=request.user, ip=_ip(request), everywhere=everywhere)
    logout(request)
    return {"detail": "已退出登录。"}


@router.get("/me", response=MeOut, summary="当前账户")
def me(request: HttpRequest) -> MeOut:
    return _me(request)


@router.post("/phone-change", response=Detail, summary="更换手机号（当前密码 + 新号码验证码）")
def phone_change(request: HttpRequest, payload: PhoneChangeIn) -> dict[str, str]:
    _csrf(request)
    user = _public_user(request)
    services.public_phone_change(
        user=user, password=payload.password, new_phone=payload.new_phone, code=payload.code, ip=_ip(request)
    )
    return {"detail": "手机号已更换。"}


@router.post("/unit-login", response=MeOut, summary="单位登录（统一社会信用代码/组织机构代码 + 案件查询码）")
def unit_login(request: HttpRequest, payload: UnitLoginIn) -> MeOut:
    _csrf(request)
    unit = services.unit_login(unit_code=payload.unit_code, query_code=payload.query_code, ip=_ip(request))
    if request.user.is_authenticated:
        logout(request)
    request.session.cycle_key()
    request.session[UNIT_SESSION_KEY] = unit.as_session()
    mark_session_start(request.session)
    return _me(request)


@router.get(
    "/cases",
    response=list[CaseBrief],
    summary="我的案件（已实名当事人本人的案件；单位登录：本单位该查询码的案件）",
)
def my_cases(request: HttpRequest) -> Any:
    if not request.user.is_authenticated and not unit_session(request.session):
        raise AuthenticationError()
    return list(portal_case_scope(request).order_by("-filed_on", "-id"))


@router.get("/verification/notice", response=FaceNoticeOut, summary="人脸识别告知书（当前版本）")
def verification_notice(request: HttpRequest) -> dict[str, str]:
    return {
        "version": identity.NOTICE_VERSION,
        "sha256": identity.NOTICE_SHA256,
        "text": identity.NOTICE_TEXT,
    }


@router.post("/verification/consent", response=ConsentOut, summary="单独同意人脸识别告知书")
def verification_consent(request: HttpRequest) -> dict[str, Any]:
    _csrf(request)
    consent = services.face_consent_give(user=_public_user(request), ip=_ip(request))
    return {"version": consent.notice_version, "given_at": consent.given_at}


@router.post(
    "/verification/face",
    response=VerificationOut,
    summary="人脸识别实名认证（multipart：姓名、身份证号、证件人像、现场自拍）",
)
def verification_face(
    request: HttpRequest,
    real_name: Form[str],
    id_number: Form[str],
    portrait: File[UploadedFile],
    selfie: File[UploadedFile],
) -> dict[str, Any]:
    _csrf(request)
    user = _public_user(request)
    try:
        portrait_bytes, selfie_bytes = portrait.read(), selfie.read()
    finally:
        portrait.close()
        selfie.close()
    record = services.identity_verify_face(
        user=user,
        real_name=real_name,
        id_number=id_number,
        portrait=portrait_bytes,
        selfie=selfie_bytes,
        ip=_ip(request),
    )
    del portrait_bytes, selfie_bytes
    return {
        "result": record.result,
        "method": record.method,
        "reason": record.reason,
        "score": record.score,
        "threshold": record.threshold,
        "verified": record.result == IdentityVerification.Result.APPROVED,
    }
