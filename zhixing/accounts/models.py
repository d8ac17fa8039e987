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

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def is_court_staff(self) -> bool:
        return self.kind == self.Kind.STAFF
