"""Accounts: SMS codes, registration, logins (public, unit, staff + TOTP), lockout, real-name verification.

Every authentication event is audited (never the password or the code). Answers to the public never say
whether a number is registered: code requests always succeed the same way (the phone's owner receives
either the code or a notice), and failed logins carry one message whatever the reason.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pyotp
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from zhixing.audit.models import AuditEvent
from zhixing.audit.services import audit_record
from zhixing.cases.models import QUERY_CODE_ALPHABET, EnforcementCase
from zhixing.cases.selectors import cases_of_unit
from zhixing.cases.services import case_query_code_regenerate, party_link_user
from zhixing.courts.models import ROLES_REQUIRING_2FA
from zhixing.courts.selectors import staff_roles
from zhixing.lib import captcha, crypto, ratelimit
from zhixing.lib.errors import field_error
from zhixing.lib.ids import IdentifierError, age_on, validate_mobile, validate_resident_id, validate_unit_code
from zhixing.lib.masking import mask_mobile, mask_resident_id
from zhixing.notifications.services import sms_send

from . import identity
from .models import AuthLock, FaceConsent, IdentityVerification, SmsCode, StaffSecurity, User

FAILED = AuditEvent.Result.FAILURE
CODE_REQUESTED = "如该号码可用，验证码已发送，请注意查收短信。"
BAD_CODE = "验证码错误或已失效，请重新获取。"
BAD_LOGIN = "手机号或密码不正确。"
BAD_UNIT = "单位代码或案件查询码不正确。"
BAD_STAFF = "用户名或密码不正确。"
LOCKED = "登录失败次数过多，账户已临时锁定，请{minutes}分钟后再试。"
PURPOSE_LABEL = dict(SmsCode.Purpose.choices)


def _phone(value: str, field: str = "phone") -> str:
    try:
        return validate_mobile(value)
    except IdentifierError as exc:
        raise field_error(field, str(exc)) from exc


def _throttle(scope: str, ident: str, *, limit: int, window: int, field: str = "__all__") -> None:
    """Count one attempt; refuse when over the limit or when the limiter is down (fail closed)."""
    try:
        result = ratelimit.hit(scope, ident, limit=limit, window=window)
    except ratelimit.RateLimitUnavailable as exc:
        raise field_error(field, ratelimit.RateLimitUnavailable.message) from exc
    if not result.allowed:
        minutes = max(1, (result.retry_after + 59) // 60)
        raise field_error(field, f"操作过于频繁，请{minutes}分钟后再试。")


# --- SMS codes ------------------------------------------------------------------------------------------------


def _code_digest(*, salt: str, code: str, phone_index: str, purpose: str) -> str:
    key = hashlib.sha256(b"zhixing-sms-code\x00" + settings.SECRET_KEY.encode()).digest()
    return hmac.new(key, f"{salt}:{phone_index}:{purpose}:{code}".encode(), hashlib.sha256).hexdigest()


def sms_code_captcha_required(*, ip: str) -> bool:
    """Whether this IP has asked for enough codes in the last hour that a person must prove themselves."""
    return ratelimit.peek("sms-ip", ip, window=3600) >= settings.SMS_CODE_CAPTCHA_AFTER


def sms_code_request(
    *,
    phone: str,
    purpose: str,
    ip: str,
    captcha_token: str = "",
    captcha_answer: str = "",
    user: User | None = None,
) -> None:
    """Issue a 6-digit code for ``purpose`` to ``phone`` (or, if the number cannot use that purpose, an SMS
    saying so), after the per-IP, per-number and captcha checks. The caller always shows ``CODE_REQUESTED``.

    Raises ValidationError for a malformed number, a missing/wrong captcha (field ``captcha``), a resend
    within 60 s, more than the daily number of codes, or too many requests from the IP.
    """
    if purpose not in PURPOSE_LABEL:
        raise field_error("purpose", "验证码用途不正确。")
    if purpose == SmsCode.Purpose.CHANGE and not (user is not None and user.is_authenticated):
        raise field_error("purpose", "请先登录后再更换手机号。")
    number = _phone(phone)
    if sms_code_captcha_required(ip=ip) and not captcha.captcha_check(captcha_token, captcha_answer):
        raise field_error("captcha", "请输入正确的图形验证码。")
    _throttle("sms-ip", ip, limit=settings.SMS_CODE_IP_HOURLY_LIMIT, window=3600, field="phone")
    index = crypto.blind_index(number)
    now = timezone.now()
    with transaction.atomic():
        recent = SmsCode.objects.filter(phone_index=index).order_by("-created_at").first()
        if recent and (now - recent.created_at).total_seconds() < settings.SMS_CODE_RESEND_SECONDS:
            wait = settings.SMS_CODE_RESEND_SECONDS - int((now - recent.created_at).total_seconds())
            raise field_error("phone", f"验证码发送过于频繁，请{max(wait, 1)}秒后再试。")
        midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
        if SmsCode.objects.filter(phone_index=index, created_at__gte=midnight).count() >= (
            settings.SMS_CODE_DAILY_LIMIT
        ):
            raise field_error("phone", "该号码今日获取验证码次数已达上限，请明天再试。")
        holder = User.objects.filter(phone_index=index).first()
        if purpose in (SmsCode.Purpose.REGISTER, SmsCode.Purpose.CHANGE):
            usable = holder is None
        else:
            usable = holder is not None and holder.is_active and holder.kind == User.Kind.PUBLIC
        # Only the newest code of a number and purpose is live.
        SmsCode.objects.filter(
            phone_index=index, purpose=purpose, used_at__isnull=True, voided_at__isnull=True
        ).update(voided_at=now)
        code = f"{secrets.randbelow(10**6):06d}"
        salt = secrets.token_hex(8)
        record = SmsCode.objects.create(
            phone_index=index,
            purpose=purpose,
            salt=salt,
            code_hash=_code_digest(salt=salt, code=code, phone_index=index, purpose=purpose),
            created_at=now,
            expires_at=now + timedelta(seconds=settings.SMS_CODE_TTL_SECONDS),
            usable=usable,
            ip=ip or None,
        )
        audit_record(
            action="auth.sms_code_request",
            actor=user,
            obj=record,
            details={"phone": mask_mobile(number), "purpose": purpose},
            ip=ip,
        )
    label = PURPOSE_LABEL[purpose]
    if usable:
        params = {"code": code, "minutes": settings.SMS_CODE_TTL_SECONDS // 60, "purpose": label}
        sms_send(phone=number, template="verify_code", params=params)
    elif purpose in (SmsCode.Purpose.REGISTER, SmsCode.Purpose.CHANGE):
        sms_send(phone=number, template="account_exists", params={})
    else:
        sms_send(phone=number, template="account_missing", params={"purpose": label})


def sms_code_consume(*, phone: str, purpose: str, code: str) -> None:
    """Accept ``code`` once for (number, purpose), or raise ValidationError on field ``code``.

    A wrong code counts against the live code; the fifth wrong try voids it. Expired, used and voided
    codes, and codes issued to numbers that could not use the purpose, are never accepted.
    """
    number = _phone(phone)
    index = crypto.blind_index(number)
    now = timezone.now()
    cleaned = re.sub(r"\s", "", code or "")
    with transaction.atomic():
        record = (
            SmsCode.objects.select_for_update()
            .filter(
                phone_index=index,
                purpose=purpose,
                used_at__isnull=True,
                voided_at__isnull=True,
                expires_at__gt=now,
            )
            .order_by("-created_at")
            .first()
        )
        if record is None:
            raise field_error("code", BAD_CODE)
        expected = _code_digest(salt=record.salt, code=cleaned, phone_index=index, purpose=purpose)
        if not (
            record.usable
            and re.fullmatch(r"\d{6}", cleaned)
            and hmac.compare_digest(expected, record.code_hash)
        ):
            attempts = record.attempts + 1
            SmsCode.objects.filter(pk=record.pk).update(
                attempts=attempts,
                voided_at=now if attempts >= settings.SMS_CODE_MAX_ATTEMPTS else None,
            )
            failed = True  # raised after the block, so the counter is committed
        else:
            # Conditional update: two concurrent requests cannot both use the code.
            failed = not SmsCode.objects.filter(pk=record.pk, used_at__isnull=True).update(used_at=now)
    if failed:
        raise field_error("code", BAD_CODE)


# --- Lockout --------------------------------------------------------------------------------------------------


def _lock_state(ident: str) -> datetime | None:
    lock = AuthLock.objects.filter(ident=ident).first()
    if lock and lock.locked_until and lock.locked_until > timezone.now():
        return lock.locked_until
    return None


def _lock_failure(ident: str) -> bool:
    """Count a failure; return True when this failure locks the identifier."""
    now = timezone.now()
    with transaction.atomic():
        try:
            lock, _ = AuthLock.objects.select_for_update().get_or_create(ident=ident)
        except IntegrityError:
            lock = AuthLock.objects.select_for_update().get(ident=ident)
        if lock.locked_until and lock.locked_until <= now:
            lock.failures = 0
            lock.locked_until = None
        lock.failures += 1
        lock.last_failure_at = now
        locked = lock.failures >= settings.LOGIN_MAX_FAILURES
        if locked:
            lock.locked_until = now + timedelta(seconds=settings.LOGIN_LOCK_SECONDS)
        lock.save()
    return locked


def _lock_clear(ident: str) -> None:
    AuthLock.objects.filter(ident=ident).delete()


def _locked_error() -> ValidationError:
    return field_error("__all__", LOCKED.format(minutes=settings.LOGIN_LOCK_SECONDS // 60))


def account_unlock(*, actor: Any, ident: str) -> None:
    _lock_clear(ident)
    audit_record(action="auth.unlock", actor=actor, object_type="accounts.authlock", object_id=ident[:40])


_DUMMY_USER = User(kind=User.Kind.PUBLIC, username="dummy")


def _check_password_constant_time(user: User | None, password: str) -> bool:
    if user is None:
        # Hash anyway so an unknown identifier takes as long as a known one.
        _DUMMY_USER.set_password(password)
        return False
    return user.check_password(password) and user.is_active


# --- Public accounts ------------------------------------------------------------------------------------------


def _validate_new_password(password: str, user: User | None = None, field: str = "password") -> None:
    try:
        validate_password(password, user or User(kind=User.Kind.PUBLIC, username=""))
    except ValidationError as exc:
        raise ValidationError({field: list(exc.messages)}) from exc


def public_user_register(*, phone: str, code: str, password: str, ip: str) -> User:
    """Create a public account after the register code for ``phone`` is accepted. Audited."""
    number = _phone(phone)
    _validate_new_password(password)
    _throttle("register-ip", ip, limit=settings.LOGIN_IP_LIMIT, window=900)
    sms_code_consume(phone=number, purpose=SmsCode.Purpose.REGISTER, code=code)
    try:
        with transaction.atomic():
            user = User.objects.create_public_user(phone=number, password=password)
            audit_record(
                action="auth.register", actor=user, obj=user, details={"phone": mask_mobile(number)}, ip=ip
            )
    except IntegrityError as exc:  # registered by a concurrent request after the code was issued
        raise field_error("code", BAD_CODE) from exc
    return user


def public_login_password(*, phone: str, password: str, ip: str) -> User:
    """Number + password. Same message and similar time for unknown numbers, wrong passwords and locked
    identifiers; 5 failures lock the number for 15 minutes; attempts are throttled per IP."""
    number = _phone(phone)
    _throttle("login-ip", ip, limit=settings.LOGIN_IP_LIMIT, window=900)
    index = crypto.blind_index(number)
    ident = f"p:{index}"
    details = {"phone": mask_mobile(number), "method": "password"}
    if _lock_state(ident):
        audit_record(action="auth.login", result=FAILED, details={**details, "reason": "locked"}, ip=ip)
        raise _locked_error()
    user = User.objects.filter(phone_index=index, kind=User.Kind.PUBLIC).first()
    if not _check_password_constant_time(user, password):
        locked = _lock_failure(ident)
        audit_record(
            action="auth.login", actor=None, result=FAILED, details={**details, "locked": locked}, ip=ip
        )
        raise _locked_error() if locked else field_error("__all__", BAD_LOGIN)
    assert user is not None
    _lock_clear(ident)
    audit_record(action="auth.login", actor=user, obj=user, details=details, ip=ip)
    return user


def public_login_sms(*, phone: str, code: str, ip: str) -> User:
    """Number + login code. The code is only ever issued to registered, active public numbers."""
    number = _phone(phone)
    _throttle("login-ip", ip, limit=settings.LOGIN_IP_LIMIT, window=900)
    details = {"phone": mask_mobile(number), "method": "sms"}
    try:
        sms_code_consume(phone=number, purpose=SmsCode.Purpose.LOGIN, code=code)
    except ValidationError:
        audit_record(action="auth.login", result=FAILED, details=details, ip=ip)
        raise
    user = User.objects.filter(phone_index=crypto.blind_index(number), kind=User.Kind.PUBLIC).first()
    if user is None or not user.is_active:
        audit_record(action="auth.login", result=FAILED, details=details, ip=ip)
        raise field_error("code", BAD_CODE)
    audit_record(action="auth.login", actor=user, obj=user, details=details, ip=ip)
    return user


def session_epoch_bump(*, user: User) -> None:
    """End every session of ``user`` (their auth hash changes)."""
    User.objects.filter(pk=user.pk).update(auth_epoch=F("auth_epoch") + 1)
    user.refresh_from_db(fields=["auth_epoch"])


def public_password_reset(*, phone: str, code: str, password: str, ip: str) -> None:
    """Set a new password with a reset code; ends all sessions and clears the lock. Audited."""
    number = _phone(phone)
    _validate_new_password(password)
    _throttle("reset-ip", ip, limit=settings.LOGIN_IP_LIMIT, window=900)
    sms_code_consume(phone=number, purpose=SmsCode.Purpose.RESET, code=code)
    index = crypto.blind_index(number)
    user = User.objects.filter(phone_index=index, kind=User.Kind.PUBLIC, is_active=True).first()
    if user is None:
        raise field_error("code", BAD_CODE)
    with transaction.atomic():
        user.set_password(password)
        user.auth_epoch += 1
        user.save(update_fields=["password", "auth_epoch"])
        _lock_clear(f"p:{index}")
        audit_record(action="auth.password_reset", actor=user, obj=user, ip=ip)


def public_phone_change(*, user: User, password: str, new_phone: str, code: str, ip: str) -> None:
    """Move the account to ``new_phone``: the current password re-authenticates (failures count toward the
    lock) and the change code sent to the new number proves it. The old number is told by SMS."""
    number = _phone(new_phone, "new_phone")
    ident = f"p:{user.phone_index}"
    if _lock_state(ident):
        raise _locked_error()
    if not user.check_password(password):
        locked = _lock_failure(ident)
        audit_record(action="auth.phone_change", actor=user, obj=user, result=FAILED, ip=ip)
        raise _locked_error() if locked else field_error("password", "当前密码不正确。")
    sms_code_consume(phone=number, purpose=SmsCode.Purpose.CHANGE, code=code)
    old = user.phone
    try:
        with transaction.atomic():
            user.set_phone(number)
            user.save(update_fields=["phone", "phone_index"])
            audit_record(
                action="auth.phone_change",
                actor=user,
                obj=user,
                details={"old": mask_mobile(old), "new": mask_mobile(number)},
                ip=ip,
            )
    except IntegrityError as exc:
        raise field_error("new_phone", BAD_CODE) from exc
    if old:
        sms_send(phone=old, template="phone_changed", params={"masked": mask_mobile(number)})


def logout_record(*, user: Any, ip: str, everywhere: bool = True) -> None:
    """Audit a logout; with ``everywhere`` every other session of the user ends too."""
    if getattr(user, "is_authenticated", False):
        if everywhere:
            session_epoch_bump(user=user)
        audit_record(action="auth.logout", actor=user, obj=user, ip=ip)


# --- Unit (法人) login ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitSession:
    code: str
    query_code: str

    def as_session(self) -> dict[str, str]:
        return {"code": self.code, "query_code": self.query_code}


def unit_login(*, unit_code: str, query_code: str, ip: str) -> UnitSession:
    """Credit code (18) or organisation code (9) + 案件查询码 → access to that unit's cases with that code.

    Check digits are validated; attempts are throttled per IP and locked per unit code; a wrong pair, an
    unknown unit and a locked code all answer with the same message."""
    try:
        code = validate_unit_code(unit_code)
    except IdentifierError as exc:
        raise field_error("unit_code", str(exc)) from exc
    _throttle("unit-ip", ip, limit=settings.UNIT_LOGIN_IP_LIMIT, window=900)
    query = re.sub(r"[\s-]", "", query_code or "").upper()
    ident = f"u:{crypto.blind_index(code)}"
    details = {"unit_code": code}
    if _lock_state(ident):
        audit_record(action="auth.unit_login", result=FAILED, details={**details, "reason": "locked"}, ip=ip)
        raise _locked_error()
    well_formed = len(query) >= 10 and all(c in QUERY_CODE_ALPHABET for c in query)
    if not (well_formed and cases_of_unit(unit_code=code, query_code=query).exists()):
        locked = _lock_failure(ident)
        audit_record(action="auth.unit_login", result=FAILED, details={**details, "locked": locked}, ip=ip)
        raise _locked_error() if locked else field_error("__all__", BAD_UNIT)
    _lock_clear(ident)
    audit_record(action="auth.unit_login", actor=code, details=details, ip=ip)
    return UnitSession(code=code, query_code=query)


def query_code_regenerate(*, actor: User, case: EnforcementCase) -> str:
    """Staff issue a new 案件查询码: the judge of the case, or a team lead / admin / leader of its court."""
    from .permissions import can_regenerate_query_code

    if not can_regenerate_query_code(actor, case):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("只有承办法官、团队负责人或本院管理人员可以重置案件查询码。")
    return case_query_code_regenerate(actor=actor, case=case)


# --- Staff ----------------------------------------------------------------------------------------------------


def staff_needs_totp(*, user: User) -> bool:
    if settings.STAFF_2FA_FOR_ALL:
        return True
    return bool(staff_roles(user=user) & set(ROLES_REQUIRING_2FA))


def _security(user: User) -> StaffSecurity:
    sec, _ = StaffSecurity.objects.get_or_create(user=user)
    return sec


def staff_has_totp(*, user: User) -> bool:
    return StaffSecurity.objects.filter(user=user, totp_confirmed_at__isnull=False).exists()


def staff_authenticate(*, username: str, password: str, ip: str) -> User:
    """First factor for staff. Same message for unknown users, wrong passwords and public accounts;
    5 failures lock the username for 15 minutes; throttled per IP."""
    name = (username or "").strip()
    _throttle("staff-login-ip", ip, limit=settings.LOGIN_IP_LIMIT, window=900)
    ident = f"s:{name.lower()[:70]}"
    details = {"username": name[:40], "factor": "password"}
    if _lock_state(ident):
        audit_record(action="auth.staff_login", result=FAILED, details={**details, "reason": "locked"}, ip=ip)
        raise _locked_error()
    user = User.objects.filter(username=name, kind=User.Kind.STAFF).first()
    if not _check_password_constant_time(user, password):
        locked = _lock_failure(ident)
        audit_record(action="auth.staff_login", result=FAILED, details={**details, "locked": locked}, ip=ip)
        raise _locked_error() if locked else field_error("__all__", BAD_STAFF)
    assert user is not None
    audit_record(action="auth.staff_login", actor=user, obj=user, details=details, ip=ip)
    return user


def staff_totp_enrol_begin(*, user: User) -> str:
    """A fresh secret for an account without a confirmed second factor (kept until confirmed)."""
    sec = _security(user)
    if sec.totp_confirmed_at:
        raise field_error("__all__", "该账户已绑定动态口令。")
    if not sec.totp_secret:
        sec.totp_secret = pyotp.random_base32()
        sec.save(update_fields=["totp_secret"])
    return sec.totp_secret


def totp_uri(*, user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=settings.TOTP_ISSUER)


def _totp_accept(sec: StaffSecurity, code: str) -> bool:
    cleaned = re.sub(r"\s", "", code or "")
    if not (sec.totp_secret and re.fullmatch(r"\d{6}", cleaned)):
        return False
    totp = pyotp.TOTP(sec.totp_secret)
    now = int(timezone.now().timestamp())
    for offset in (0, -1, 1):  # one 30-second step of clock drift either way
        step = now // 30 + offset
        if hmac.compare_digest(totp.at(step * 30), cleaned):
            # A code is never accepted twice, nor an older one after a newer one.
            return bool(
                StaffSecurity.objects.filter(pk=sec.pk, totp_last_step__lt=step).update(totp_last_step=step)
            )
    return False


def staff_totp_verify(*, user: User, code: str, ip: str, enrol: bool = False) -> None:
    """Second factor (or enrolment confirmation). Failures count toward the username lock. Audited."""
    ident = f"s:{user.username.lower()[:70]}"
    if _lock_state(ident):
        raise _locked_error()
    sec = _security(user)
    if enrol and sec.totp_confirmed_at:
        raise field_error("__all__", "该账户已绑定动态口令。")
    if not enrol and not sec.totp_confirmed_at:
        raise field_error("code", "该账户尚未绑定动态口令。")
    if not _totp_accept(sec, code):
        locked = _lock_failure(ident)
        audit_record(
            action="auth.staff_totp", actor=None, result=FAILED, details={"username": user.username}, ip=ip
        )
        raise (
            _locked_error()
            if locked
            else field_error("code", "动态口令不正确或已使用，请输入验证器上的最新口令。")
        )
    with transaction.atomic():
        if enrol:
            StaffSecurity.objects.filter(pk=sec.pk).update(totp_confirmed_at=timezone.now())
            audit_record(action="auth.totp_enrol", actor=user, obj=user, ip=ip)
        audit_record(action="auth.staff_totp", actor=user, obj=user, ip=ip)
    _lock_clear(ident)


def staff_totp_reset(*, actor: User, user: User) -> None:
    """An administrator removes a lost second factor; the user enrols again at the next login."""
    StaffSecurity.objects.filter(user=user).update(totp_secret="", totp_confirmed_at=None, totp_last_step=0)
    session_epoch_bump(user=user)
    audit_record(action="auth.totp_reset", actor=actor, obj=user)


def staff_password_expired(*, user: User) -> bool:
    days = settings.STAFF_PASSWORD_MAX_AGE_DAYS
    if not days or user.kind != User.Kind.STAFF:
        return False
    sec = StaffSecurity.objects.filter(user=user).first()
    changed = (sec.password_changed_at if sec else None) or user.date_joined
    return timezone.now() - changed > timedelta(days=days)


def password_change(*, user: User, old_password: str, new_password: str, ip: str) -> None:
    """Change one's own password (staff: 3 of 4 classes; not the same as before). Ends all sessions."""
    if not user.check_password(old_password):
        audit_record(action="auth.password_change", actor=user, obj=user, result=FAILED, ip=ip)
        raise field_error("old_password", "当前密码不正确。")
    if old_password == new_password:
        raise field_error("new_password", "新密码不能与当前密码相同。")
    _validate_new_password(new_password, user, field="new_password")
    with transaction.atomic():
        user.set_password(new_password)
        user.auth_epoch += 1
        user.save(update_fields=["password", "auth_epoch"])
        if user.kind == User.Kind.STAFF:
            StaffSecurity.objects.update_or_create(
                user=user, defaults={"password_changed_at": timezone.now()}
            )
        audit_record(action="auth.password_change", actor=user, obj=user, ip=ip)


# --- Real-name verification -----------------------------------------------------------------------------------

MAX_IMAGE_BYTES = 5 * 1024 * 1024
_NAME = re.compile(r"[\u3400-\u9fff·•．.A-Za-z ]{2,30}")


def face_consent_give(*, user: User, ip: str) -> FaceConsent:
    """Record explicit consent to the current face-recognition notice (version and text hash)."""
    with transaction.atomic():
        consent = FaceConsent.objects.create(
            user=user,
            notice_version=identity.NOTICE_VERSION,
            notice_sha256=identity.NOTICE_SHA256,
            ip=ip or None,
        )
        audit_record(
            action="identity.face_consent",
            actor=user,
            obj=consent,
            details={"version": consent.notice_version},
            ip=ip,
        )
    return consent


def face_consent_withdraw(*, user: User, ip: str) -> int:
    with transaction.atomic():
        count = FaceConsent.objects.filter(user=user, withdrawn_at__isnull=True).update(
            withdrawn_at=timezone.now()
        )
        audit_record(action="identity.face_consent_withdraw", actor=user, obj=user, ip=ip)
    return count


def face_consent_current(*, user: User) -> FaceConsent | None:
    return (
        FaceConsent.objects.filter(
            user=user,
            notice_version=identity.NOTICE_VERSION,
            notice_sha256=identity.NOTICE_SHA256,
            withdrawn_at__isnull=True,
        )
        .order_by("-given_at")
        .first()
    )


def _identity_checked(*, user: User, real_name: str, id_number: str) -> tuple[str, str]:
    if user.kind != User.Kind.PUBLIC:
        raise field_error("__all__", "仅公众用户需要实名认证。")
    if user.is_verified:
        raise field_error("__all__", "您已完成实名认证。")
    name = re.sub(r"\s+", "", real_name or "")
    if not _NAME.fullmatch(name):
        raise field_error("real_name", "请输入与身份证一致的姓名。")
    try:
        number = validate_resident_id(id_number)
    except IdentifierError as exc:
        raise field_error("id_number", str(exc)) from exc
    if age_on(number, timezone.localdate()) < settings.IDENTITY_MIN_AGE:
        raise field_error(
            "id_number", "未满18周岁的用户不能办理实名认证，请由监护人（法定代理人）代为办理相关事务。"
        )
    taken = User.objects.filter(id_index=crypto.blind_index(number), verified_at__isnull=False).exclude(
        pk=user.pk
    )
    if taken.exists():
        raise field_error("id_number", "该身份证号码已绑定其他账户。如有疑问，请携带身份证到法院现场核验。")
    return name, number


def _approve(*, user: User, real_name: str, id_number: str, actor: User) -> int:
    user.set_identity(real_name=real_name, id_number=id_number)
    user.verified_at = timezone.now()
    user.save(update_fields=["real_name", "id_number", "id_index", "verified_at"])
    return party_link_user(actor=actor, user=user)


def identity_verify_face(
    *, user: User, real_name: str, id_number: str, portrait: bytes, selfie: bytes, ip: str
) -> IdentityVerification:
    """Verify a public user by matching the ID-card portrait to a live selfie with the configured provider.

    Requires current, unwithdrawn consent; refuses under-18s and numbers bound to another account; keeps only
    result, score and the images' SHA-256. The caller drops the image bytes afterwards (nothing is written).
    On success links the user to every Party with the same ID number. Raises ValidationError on bad input
    and when the provider cannot decide.
    """
    consent = face_consent_current(user=user)
    if consent is None:
        raise field_error("consent", "请先阅读并同意《人脸识别实名认证告知书》。")
    name, number = _identity_checked(user=user, real_name=real_name, id_number=id_number)
    for field, data in (("portrait", portrait), ("selfie", selfie)):
        if not data:
            raise field_error(field, "请上传照片。")
        if len(data) > MAX_IMAGE_BYTES:
            raise field_error(field, "照片不能超过5MB。")
    _throttle("face-user", str(user.pk), limit=5, window=3600)
    provider = identity.get_provider()
    try:
        outcome = provider.verify(real_name=name, id_number=number, portrait=portrait, selfie=selfie)
    except identity.face.FaceImageError as exc:
        raise field_error("selfie", str(exc)) from exc
    except identity.ProviderUnavailable as exc:
        audit_record(
            action="identity.verify_face",
            actor=user,
            obj=user,
            result=FAILED,
            details={"error": "provider"},
            ip=ip,
        )
        raise field_error(
            "__all__", "身份核验服务暂时不可用，请稍后再试，或携带身份证到法院现场核验。"
        ) from exc
    with transaction.atomic():
        record = IdentityVerification.objects.create(
            user=user,
            method=IdentityVerification.Method.FACE,
            provider=outcome.provider,
            real_name=name,
            id_index=crypto.blind_index(number),
            id_masked=mask_resident_id(number),
            result=IdentityVerification.Result.APPROVED
            if outcome.matched
            else IdentityVerification.Result.REJECTED,
            reason=outcome.reason[:200],
            score=outcome.score,
            threshold=outcome.threshold,
            portrait_sha256=crypto.sha256_hex(portrait),
            selfie_sha256=crypto.sha256_hex(selfie),
            consent=consent,
            ip=ip or None,
        )
        linked = _approve(user=user, real_name=name, id_number=number, actor=user) if outcome.matched else 0
        audit_record(
            action="identity.verify_face",
            actor=user,
            obj=record,
            result=AuditEvent.Result.SUCCESS if outcome.matched else FAILED,
            details={"provider": outcome.provider, "score": outcome.score, "linked": linked},
            ip=ip,
        )
    return record


def identity_verify_in_person(
    *, staff: User, user: User, real_name: str, id_number: str, document_note: str, ip: str
) -> IdentityVerification:
    """Court staff confirm a person's identity from the physical ID card at the counter. Audited."""
    from zhixing.workbench.access import is_staff_user

    if not is_staff_user(staff):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied("仅限法院工作人员办理现场核验。")
    name, number = _identity_checked(user=user, real_name=real_name, id_number=id_number)
    note = (document_note or "").strip()
    if not note:
        raise field_error("document_note", "请记录核验的证件（如 居民身份证原件）。")
    with transaction.atomic():
        record = IdentityVerification.objects.create(
            user=user,
            method=IdentityVerification.Method.IN_PERSON,
            provider="court",
            real_name=name,
            id_index=crypto.blind_index(number),
            id_masked=mask_resident_id(number),
            result=IdentityVerification.Result.APPROVED,
            staff=staff,
            document_note=note[:100],
            ip=ip or None,
        )
        linked = _approve(user=user, real_name=name, id_number=number, actor=staff)
        audit_record(
            action="identity.verify_in_person",
            actor=staff,
            obj=record,
            details={"user": user.pk, "linked": linked},
            ip=ip,
        )
    return record
