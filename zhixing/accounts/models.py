from __future__ import annotations

import secrets
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone

from zhixing.lib import crypto
from zhixing.lib.fields import EncryptedTextField
from zhixing.lib.ids import validate_mobile


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, username: str, password: str | None = None, **extra: Any) -> User:
        if not username:
            raise ValueError("用户名不能为空")
        user = self.model(username=username, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, username: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True, kind=User.Kind.STAFF)
        return self.create_user(username, password, **extra)

    def create_public_user(self, *, phone: str, password: str | None, **extra: Any) -> User:
        number = validate_mobile(phone)
        user = self.model(username=f"m{secrets.token_hex(8)}", kind=User.Kind.PUBLIC, **extra)
        user.set_phone(number)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_phone(self, phone: str) -> User:
        return self.get(phone_index=crypto.blind_index(validate_mobile(phone)))


class User(AbstractBaseUser, PermissionsMixin):
    """One account model for staff (login by username) and the public (login by mobile number)."""

    class Kind(models.TextChoices):
        STAFF = "staff", "法院工作人员"
        PUBLIC = "public", "公众用户"

    username = models.CharField("用户名", max_length=40, unique=True)
    kind = models.CharField("类型", max_length=10, choices=Kind.choices, default=Kind.PUBLIC)
    display_name = models.CharField("姓名", max_length=50, blank=True)
    phone = EncryptedTextField("手机号", blank=True, default="")
    phone_index = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    # Real-name identity, filled in only by a completed verification.
    real_name = models.CharField("实名", max_length=50, blank=True)
    id_number = EncryptedTextField("身份证号", blank=True, default="")
    id_index = models.CharField(max_length=64, blank=True, default="", db_index=True, editable=False)
    verified_at = models.DateTimeField("实名认证时间", null=True, blank=True)
    is_staff = models.BooleanField("可进入系统管理", default=False)
    is_active = models.BooleanField("有效", default=True)
    date_joined = models.DateTimeField("注册时间", default=timezone.now)
    # Bumped to end every session of the user at once (logout everywhere, password change): it is part of
    # the session auth hash, so Django itself rejects older sessions with any session backend.
    auth_epoch = models.PositiveIntegerField("会话代次", default=0, editable=False)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "username"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name or self.real_name or self.username

    def set_phone(self, number: str) -> None:
        normalised = validate_mobile(number)
        self.phone = normalised
        self.phone_index = crypto.blind_index(normalised)

    def set_identity(self, *, real_name: str, id_number: str) -> None:
        self.real_name = real_name
        self.id_number = id_number
        self.id_index = crypto.blind_index(id_number.upper())

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # The session epoch joins the password hash, so bumping it ends every session of the user.
        from django.utils.crypto import salted_hmac

        return salted_hmac(
            "zhixing.accounts.User.session_auth_hash",
            f"{self.password}:{self.auth_epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def is_court_staff(self) -> bool:
        return self.kind == self.Kind.STAFF


# --- Authentication state -------------------------------------------------------------------------------------


class SmsCode(models.Model):
    """A one-time SMS code, bound to a number and a purpose, stored only as a keyed hash."""

    class Purpose(models.TextChoices):
        REGISTER = "register", "注册"
        LOGIN = "login", "登录"
        RESET = "reset", "重置密码"
        CHANGE = "change", "更换手机号"

    phone_index = models.CharField(max_length=64, db_index=True)
    purpose = models.CharField("用途", max_length=10, choices=Purpose.choices)
    code_hash = models.CharField(max_length=64)
    salt = models.CharField(max_length=32)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField("错误次数", default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    voided_at = models.DateTimeField(null=True, blank=True)
    # Whether a code was actually issued (False: the number could not use this purpose, a notice was sent instead).
    usable = models.BooleanField(default=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["phone_index", "purpose", "created_at"])]
        verbose_name = "短信验证码"
        verbose_name_plural = "短信验证码"

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.created_at:%Y-%m-%d %H:%M}"


class AuthLock(models.Model):
    """Failed-attempt counter per login identifier (phone, username or unit code index), whether or not an
    account exists behind it, so the lock itself never reveals which identifiers are registered."""

    ident = models.CharField(max_length=80, unique=True)
    failures = models.PositiveSmallIntegerField(default=0)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "登录锁定"
        verbose_name_plural = "登录锁定"

    def __str__(self) -> str:
        return f"{self.ident[:12]}… {self.failures}"


class StaffSecurity(models.Model):
    """Second factor and password age of a staff account."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="security")
    totp_secret = EncryptedTextField("TOTP 密钥", blank=True, default="")
    totp_confirmed_at = models.DateTimeField("绑定时间", null=True, blank=True)
    # The last accepted TOTP time step: a code is never accepted twice (replay).
    totp_last_step = models.BigIntegerField(default=0)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)

    class Meta:
        verbose_name = "工作人员安全设置"
        verbose_name_plural = "工作人员安全设置"

    def __str__(self) -> str:
        return f"{self.user} 安全设置"


# --- Real-name verification ----------------------------------------------------------------------------------


class FaceConsent(models.Model):
    """Explicit consent to a versioned notice before any face image is processed."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="face_consents")
    notice_version = models.CharField("告知书版本", max_length=20)
    notice_sha256 = models.CharField("告知书摘要", max_length=64)
    given_at = models.DateTimeField("同意时间", default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)

    class Meta:
        ordering = ["-given_at", "-id"]
        verbose_name = "人脸识别同意记录"
        verbose_name_plural = "人脸识别同意记录"

    def __str__(self) -> str:
        return f"{self.user} {self.notice_version}"


class IdentityVerification(models.Model):
    """One real-name verification decision. Raw images are never stored: only their SHA-256 hashes."""

    class Method(models.TextChoices):
        FACE = "face", "人脸识别"
        IN_PERSON = "in_person", "法院现场核验"

    class Result(models.TextChoices):
        APPROVED = "approved", "通过"
        REJECTED = "rejected", "未通过"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="verifications")
    method = models.CharField("方式", max_length=12, choices=Method.choices)
    provider = models.CharField("核验服务", max_length=40, blank=True)
    real_name = models.CharField("姓名", max_length=50)
    id_index = models.CharField(max_length=64, db_index=True)
    id_masked = models.CharField("身份证号（脱敏）", max_length=18)
    result = models.CharField("结果", max_length=10, choices=Result.choices)
    reason = models.CharField("说明", max_length=200, blank=True)
    score = models.FloatField("比对距离", null=True, blank=True)
    threshold = models.FloatField("阈值", null=True, blank=True)
    portrait_sha256 = models.CharField(max_length=64, blank=True)
    selfie_sha256 = models.CharField(max_length=64, blank=True)
    consent = models.ForeignKey(FaceConsent, null=True, blank=True, on_delete=models.PROTECT)
    staff = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="verifications_done"
    )
    document_note = models.CharField("核验证件说明", max_length=100, blank=True)
    decided_at = models.DateTimeField("决定时间", default=timezone.now)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = "实名认证记录"
        verbose_name_plural = "实名认证记录"

    def __str__(self) -> str:
        return f"{self.real_name} {self.get_method_display()} {self.get_result_display()}"
