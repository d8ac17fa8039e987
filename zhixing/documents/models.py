"""Templates, documents, approvals, signatures, service (送达) and the e-file (电子卷宗)."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models

from zhixing.cases.models import EnforcementCase, Party
from zhixing.courts.models import Court
from zhixing.workflow.models import CaseMatter

VERIFY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_verify_code() -> str:
    return "".join(secrets.choice(VERIFY_ALPHABET) for _ in range(10))


class ApprovalLevel(models.TextChoices):
    """One step of an approval chain; a template's chain is an ordered, comma-separated list of these."""

    TEAM_LEAD = "team_lead", "团队负责人"
    BUREAU_CHIEF = "bureau_chief", "执行局长"
    VICE_PRESIDENT = "vice_president", "分管院领导"
    PRESIDENT = "president", "院长"


class DocTemplate(models.Model):
    class Kind(models.TextChoices):
        COURT = "court", "法院文书"
        PARTY = "party", "当事人文书样式"

    court = models.ForeignKey(
        Court,
        verbose_name="法院",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="为空表示系统内置模板；法院修改内置模板时生成本院副本。",
    )
    code = models.SlugField("代码", max_length=40)
    name = models.CharField("文书名称", max_length=60)
    kind = models.CharField("种类", max_length=8, choices=Kind.choices)
    category = models.CharField("样式类别", max_length=20, blank=True)
    matter_codes = models.CharField(
        "适用事项代码", max_length=200, blank=True, help_text="逗号分隔，如 seal_up,freeze"
    )
    approval_chain = models.CharField(
        "审批级别",
        max_length=100,
        blank=True,
        help_text="按顺序逗号分隔：team_lead, bureau_chief, vice_president, president；为空则无需审批",
    )
    is_active = models.BooleanField("启用", default=True)
    order = models.PositiveSmallIntegerField("顺序", default=100)

    class Meta:
        ordering = ["kind", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["court", "code"], name="doctemplate_unique_code_per_court")
        ]
        verbose_name = "文书模板"
        verbose_name_plural = "文书模板"

    def __str__(self) -> str:
        return f"{self.name}（{self.court.name if self.court else '系统'}）"

    @property
    def chain(self) -> list[str]:
        return [p.strip() for p in self.approval_chain.split(",") if p.strip()]

    @property
    def current(self) -> DocTemplateVersion | None:
        return self.versions.order_by("-number").first()


class DocTemplateVersion(models.Model):
    template = models.ForeignKey(
        DocTemplate, verbose_name="模板", on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField("版本号")
    body = models.TextField("正文（HTML 模板）")
    fields = models.JSONField("填写项", default=list)
    legal_basis = models.CharField("法律依据", max_length=400, blank=True)
    note = models.CharField("修改说明", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="doctemplateversion_unique")
        ]
        verbose_name = "模板版本"
        verbose_name_plural = "模板版本"

    def __str__(self) -> str:
        return f"{self.template.name} v{self.number}"


class DocStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PENDING = "pending", "审批中"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已审批"
    SIGNED = "signed", "已签章"
    SUPERSEDED = "superseded", "已被新版本替代"


class Document(models.Model):
    case = models.ForeignKey(
        EnforcementCase, verbose_name="案件", on_delete=models.PROTECT, related_name="documents"
    )
    matter = models.ForeignKey(
        CaseMatter,
        verbose_name="事项",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="documents",
    )
    template_version = models.ForeignKey(
        DocTemplateVersion, verbose_name="模板版本", on_delete=models.PROTECT, related_name="documents"
    )
    title = models.CharField("文书名称", max_length=80)
    data = models.JSONField("填写内容", default=dict)
    version = models.PositiveIntegerField("版本", default=1)
    previous = models.OneToOneField(
        "self",
        verbose_name="上一版本",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_version",
    )
    status = models.CharField("状态", max_length=12, choices=DocStatus.choices, default=DocStatus.DRAFT)
    approval_chain = models.CharField("审批级别", max_length=100, blank=True)
    verify_code = models.CharField("验证码", max_length=16, unique=True, default=new_verify_code)
    docx = models.FileField("DOCX", upload_to="documents/docx/%Y/%m/", blank=True)
    pdf = models.FileField("PDF", upload_to="documents/pdf/%Y/%m/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    pages = models.PositiveSmallIntegerField("页数", default=0)
    seal_page = models.PositiveSmallIntegerField(default=0)
    seal_box = models.CharField(max_length=40, blank=True)
    signed_pdf = models.FileField("签章PDF", upload_to="documents/signed/%Y/%m/", blank=True)
    signed_sha256 = models.CharField("签章文件SHA-256", max_length=64, blank=True, db_index=True)
    signed_at = models.DateTimeField("签章时间", null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="签章人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    signer_subject = models.CharField("签章证书", max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="制作人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "文书"
        verbose_name_plural = "文书"

    def __str__(self) -> str:
        return f"{self.title}（{self.case.number} 第{self.version}版）"

    @property
    def chain(self) -> list[str]:
        return [p.strip() for p in self.approval_chain.split(",") if p.strip()]

    @property
    def needs_approval(self) -> bool:
        return bool(self.chain)

    @property
    def is_locked(self) -> bool:
        return self.status in {DocStatus.PENDING, DocStatus.APPROVED, DocStatus.SIGNED, DocStatus.SUPERSEDED}

    @property
    def may_sign(self) -> bool:
        return self.status == DocStatus.APPROVED or (
            self.status == DocStatus.DRAFT and not self.needs_approval
        )

    @property
    def level_label(self) -> str:
        if not self.chain:
            return "无需审批"
        return "→".join(ApprovalLevel(c).label if c in ApprovalLevel.values else c for c in self.chain)

    @property
    def level_class(self) -> str:
        top = self.chain[-1] if self.chain else ""
        return {"": "lvl-none", "team_lead": "lvl-lead"}.get(top, "lvl-leader")

    def seal_box_tuple(self) -> tuple[int, int, int, int]:
        parts = [int(p) for p in self.seal_box.split(",")] if self.seal_box else [380, 80, 499, 199]
        return (parts[0], parts[1], parts[2], parts[3])


class GenerationJob(models.Model):
    """A background job producing a document's DOCX and PDF (status shown to the judge with HTMX polling)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "生成中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="jobs")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = "文书生成任务"
        verbose_name_plural = "文书生成任务"

    def __str__(self) -> str:
        return f"{self.document_id} {self.get_status_display()}"


class ApprovalStep(models.Model):
    class Decision(models.TextChoices):
        WAITING = "waiting", "待前序审批"
        PENDING = "pending", "待审批"
        APPROVED = "approved", "同意"
        RETURNED = "returned", "退回"
        CANCELLED = "cancelled", "已撤销"

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="approval_steps")
    sequence = models.PositiveSmallIntegerField("顺序")
    level = models.CharField("审批级别", max_length=20, choices=ApprovalLevel.choices)
    decision = models.CharField("结果", max_length=10, choices=Decision.choices, default=Decision.WAITING)
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    comment = models.TextField("审批意见", blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报批人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    acted_at = models.DateTimeField("审批时间", null=True, blank=True)

    class Meta:
        ordering = ["document", "sequence", "id"]
        verbose_name = "审批步骤"
        verbose_name_plural = "审批步骤"

    def __str__(self) -> str:
        return f"{self.document_id} #{self.sequence} {self.get_level_display()} {self.get_decision_display()}"


class ServiceRecord(models.Model):
    """Electronic service (电子送达) of one signed document to one party."""

    class Channel(models.TextChoices):
        APP = "app", "智慧执行平台（应用内送达）"

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="services")
    party = models.ForeignKey(Party, verbose_name="受送达人", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField("送达方式", max_length=10, choices=Channel.choices, default=Channel.APP)
    document_sha256 = models.CharField("文书SHA-256", max_length=64)
    sent_at = models.DateTimeField("发送时间")
    arrived_at = models.DateTimeField("到达时间", null=True, blank=True)
    read_at = models.DateTimeField("查阅（签收）时间", null=True, blank=True)
    sms_status = models.CharField("短信状态", max_length=20, blank=True)
    receipt_pdf = models.FileField("电子送达凭证", upload_to="documents/receipts/%Y/%m/", blank=True)
    receipt_sha256 = models.CharField(max_length=64, blank=True)
    served_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="送达人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["document", "party"], name="service_once_per_party")]
        verbose_name = "送达记录"
        verbose_name_plural = "送达记录"

    def __str__(self) -> str:
        return f"{self.document_id} → {self.party_id}"


class EfileCategory(models.TextChoices):
    DOCUMENT = "document", "法律文书"
    SIGNED = "signed", "签章文书"
    RECEIPT = "receipt", "送达凭证"
    PARTY = "party", "当事人提交材料"
    CLUE = "clue", "财产线索"
    FIELD = "field", "外勤材料"
    EVIDENCE = "evidence", "证据材料"
    OTHER = "other", "其他材料"


class EfileItem(models.Model):
    """One entry of a case's e-file. Append-only: each entry chains the hash of the previous one."""

    case = models.ForeignKey(
        EnforcementCase, verbose_name="案件", on_delete=models.PROTECT, related_name="efile_items"
    )
    matter = models.ForeignKey(
        CaseMatter, verbose_name="事项", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    document = models.ForeignKey(
        Document, null=True, blank=True, on_delete=models.PROTECT, related_name="efile_items"
    )
    seq = models.PositiveIntegerField("序号")
    category = models.CharField("类别", max_length=12, choices=EfileCategory.choices)
    source = models.CharField("来源", max_length=60)
    title = models.CharField("名称", max_length=200)
    file = models.FileField("文件", upload_to="efile/%Y/%m/")
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    sm3 = models.CharField("SM3", max_length=64)
    prev_hash = models.CharField("前一条链哈希", max_length=64)
    chain_hash = models.CharField("链哈希", max_length=64, unique=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("上传时间")

    class Meta:
        ordering = ["case", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="efile_seq_unique")]
        verbose_name = "电子卷宗材料"
        verbose_name_plural = "电子卷宗材料"

    def __str__(self) -> str:
        return f"{self.case.number} #{self.seq} {self.title}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.pop("_allow_update", False):
            raise ValueError("电子卷宗材料只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError("电子卷宗材料只能追加，不能删除。")
