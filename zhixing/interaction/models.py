"""执行互动: messages to the judge, execution clues with photos and videos, opinions (意见建议/投诉/举报),
party-made documents (执行申请书, 执行异议书) and the party's chosen case.

Every row a party creates records who owns it: a verified person (``author``) or a unit that logged in with
its organisation code and a case query code (``unit_index``, the blind index of the unit code). Parties only
ever see rows they own, on cases they may open.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from zhixing.cases.models import EnforcementCase
from zhixing.courts.models import Court
from zhixing.lib.fields import EncryptedJSONField


def _token() -> str:
    return secrets.token_urlsafe(12)


class Owned(models.Model):
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人账户",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    author_label = models.CharField("提交人", max_length=100, blank=True)

    class Meta:
        abstract = True


class CasePreference(models.Model):
    """The case a person or unit last chose in 选择案件 (kept across visits)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    unit_index = models.CharField(max_length=64, blank=True, db_index=True)
    case = models.ForeignKey(EnforcementCase, on_delete=models.CASCADE, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "当前选择的案件"
        verbose_name_plural = "当前选择的案件"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | ~models.Q(unit_index=""), name="casepref_has_owner"
            ),
            models.UniqueConstraint(
                fields=["unit_index"], condition=~models.Q(unit_index=""), name="casepref_unit_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}"


class Message(Owned):
    """A party's message to the judge (at most 50 characters) and the judge's reply.

    A thread is a root message plus follow-ups (追加回复) whose ``thread`` points at the root.
    """

    case = models.ForeignKey(EnforcementCase, verbose_name="案件", on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(
        "self",
        verbose_name="所属留言",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="followups",
    )
    body = models.CharField("留言内容", max_length=50)
    created_at = models.DateTimeField("留言时间", auto_now_add=True, db_index=True)
    reply = models.TextField("回复内容", blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="回复人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    replied_at = models.DateTimeField("回复时间", null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "留言"
        verbose_name_plural = "留言"
        indexes = [models.Index(fields=["case", "replied_at"])]

    def __str__(self) -> str:
        return self.body

    @property
    def is_replied(self) -> bool:
        return self.replied_at is not None


class Clue(Owned):
    """An execution clue (执行线索): text up to 200 characters plus photos and videos."""

    class Status(models.TextChoices):
        CHECKING = "checking", "核查中"
        CHECKED = "checked", "已核查"

    class Outcome(models.TextChoices):
        CONFIRMED = "confirmed", "线索属实，已采取执行措施"
        PARTLY = "partly", "线索部分属实"
        UNFOUNDED = "unfounded", "经核查线索不实"
        UNVERIFIABLE = "unverifiable", "暂无法核实"

    case = models.ForeignKey(EnforcementCase, verbose_name="案件", on_delete=models.CASCADE, related_name="+")
    body = models.CharField("线索内容", max_length=200, blank=True)
    urgent = models.BooleanField("紧急线索", default=False, help_text="财产可能被转移、隐匿等，三日内核查")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.CHECKING)
    created_at = models.DateTimeField("提交时间", auto_now_add=True, db_index=True)
    due_on = models.DateField("核查期限")
    due_basis = models.CharField("期限计算方式", max_length=20, default="calendar")
    outcome = models.CharField("核查结论", max_length=16, choices=Outcome.choices, blank=True)
    result = models.TextField("核查结果", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="核查人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("核查时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "执行线索"
        verbose_name_plural = "执行线索"
        indexes = [models.Index(fields=["case", "status"])]

    def __str__(self) -> str:
        return self.body[:30] or f"线索#{self.pk}"


def clue_upload_to(instance: ClueAttachment, filename: str) -> str:
    # Names are generated by the server (never the uploader's), in a per-case folder.
    return f"interaction/clues/{instance.clue.case_id}/{filename}"


class ClueAttachment(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", "图片"
        VIDEO = "video", "视频"

    clue = models.ForeignKey(Clue, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField("类型", max_length=8, choices=Kind.choices)
    file = models.FileField("文件", upload_to=clue_upload_to, max_length=200)
    content_type = models.CharField("媒体类型", max_length=40)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("存储文件 SHA-256", max_length=64)
    upload_sha256 = models.CharField("上传原件 SHA-256", max_length=64)
    original_name = models.CharField("原文件名", max_length=120, blank=True)
    captured_at = models.DateTimeField("拍摄时间", null=True, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    efile_ref = models.CharField("电子卷宗编号", max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["clue", "id"]
        verbose_name = "线索附件"
        verbose_name_plural = "线索附件"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.sha256[:12]}"


class Opinion(Owned):
    """意见建议, 投诉 or 举报 to a court, answered by court leadership (院领导)."""

    class Kind(models.TextChoices):
        SUGGESTION = "suggestion", "意见建议"
        COMPLAINT = "complaint", "投诉"
        REPORT = "report", "举报"

    court = models.ForeignKey(Court, verbose_name="法院", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(
        EnforcementCase,
        verbose_name="相关案件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    body = models.TextField("内容")
    created_at = models.DateTimeField("提交时间", auto_now_add=True, db_index=True)
    reply = models.TextField("回复内容", blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="回复人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    replied_at = models.DateTimeField("回复时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "意见建议"
        verbose_name_plural = "意见建议"
        indexes = [models.Index(fields=["court", "replied_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.body[:20]}"


class DocumentDraft(Owned):
    """A party-made 执行申请书 / 执行异议书: kept as a draft, previewed, downloaded and shared."""

    class Kind(models.TextChoices):
        APPLICATION = "application", "执行申请书"
        OBJECTION = "objection", "执行异议书"

    kind = models.CharField("文书", max_length=12, choices=Kind.choices)
    case = models.ForeignKey(
        EnforcementCase,
        verbose_name="相关案件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Encrypted: the form holds the parties' identity numbers, phones and addresses.
    data = EncryptedJSONField("内容", default=dict)
    is_complete = models.BooleanField("已通过校验", default=False)
    # Rotating the nonce revokes every share link issued before.
    share_nonce = models.CharField(max_length=24, default=_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = "自助文书"
        verbose_name_plural = "自助文书"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"
