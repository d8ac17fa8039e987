from __future__ import annotations

from django.conf import settings
from django.db import models

from zhixing.lib.fields import EncryptedTextField


class Notice(models.Model):
    """An in-app notice (消息中心 for parties, 工作提醒 for staff)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices")
    category = models.CharField("类别", max_length=30, default="general")
    title = models.CharField("标题", max_length=100)
    body = models.TextField("内容", blank=True)
    link = models.CharField("链接", max_length=300, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)
    # Optional key that makes repeated sends of the same notice a no-op (daily reminders, retried tasks).
    dedupe_key = models.CharField(max_length=120, null=True, blank=True, unique=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]
        verbose_name = "站内通知"
        verbose_name_plural = "站内通知"

    def __str__(self) -> str:
        return self.title


class SmsMessage(models.Model):
    """Every SMS the system sends, whichever backend delivers it (the outbox is the record)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "待发送"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"

    phone = EncryptedTextField("手机号")
    phone_index = models.CharField(max_length=64, db_index=True)
    template = models.CharField("模板", max_length=40)
    params = models.JSONField("参数", default=dict)
    body = models.TextField("内容")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    backend = models.CharField("通道", max_length=40)
    provider_id = models.CharField("通道回执号", max_length=80, blank=True)
    error = models.CharField("错误", max_length=200, blank=True)
    idempotency_key = models.CharField(max_length=120, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "短信"
        verbose_name_plural = "短信"

    def __str__(self) -> str:
        return f"{self.template} {self.created_at:%Y-%m-%d %H:%M}"
