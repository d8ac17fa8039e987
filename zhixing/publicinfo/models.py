"""Published lists (被执行人, 失信被执行人, 限制消费人员, 终本案件) and correction requests (纠正申请).

One table holds all four lists so 综合查询 (name + ID → every list) is a single index lookup. It is built for
tens of millions of rows: person ID numbers are kept only masked (for display) and as a keyed blind index (for
exact lookups), never in clear; the indexes are partial (published rows only) and shaped for the two queries
the public may run: exact name within a list, and exact identity.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhixing.lib.fields import EncryptedTextField


class ListKind(models.TextChoices):
    DEBTOR = "debtor", "被执行人"
    DISHONEST = "dishonest", "失信被执行人"
    RESTRICTED = "restricted", "限制消费人员"
    TERMINATED = "terminated", "终本案件"


class RecordStatus(models.TextChoices):
    PUBLISHED = "published", "公布中"
    REMOVED = "removed", "已删除"


class SubjectKind(models.TextChoices):
    NATURAL = "natural", "自然人"
    UNIT = "unit", "法人或其他组织"


class RecordSource(models.TextChoices):
    WORKFLOW = "workflow", "本系统办案"
    IMPORT = "import", "批量导入"


# Art. 1 of the 2017 rules: the six situations (失信情形) a 失信 decision rests on.
DISHONEST_SITUATIONS: dict[int, str] = {
    1: "有履行能力而拒不履行生效法律文书确定义务",
    2: "以伪造证据、暴力、威胁等方法妨碍、抗拒执行",
    3: "以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行",
    4: "违反财产报告制度",
    5: "违反限制消费令",
    6: "无正当理由拒不履行执行和解协议",
}


class PublishedRecord(models.Model):
    kind = models.CharField("名单", max_length=12, choices=ListKind.choices)
    status = models.CharField(
        "状态", max_length=10, choices=RecordStatus.choices, default=RecordStatus.PUBLISHED
    )
    source = models.CharField(
        "来源", max_length=10, choices=RecordSource.choices, default=RecordSource.WORKFLOW
    )
    subject_kind = models.CharField("主体类型", max_length=8, choices=SubjectKind.choices)
    name = models.CharField("被执行人姓名/名称", max_length=100)
    # Persons: 370102********1234; units: the credit (or organisation) code, which is public.
    id_masked = models.CharField("证件号码（公开）", max_length=18)
    id_index = models.CharField(max_length=64, editable=False)
    gender = models.CharField("性别", max_length=2, blank=True)
    age = models.PositiveSmallIntegerField("年龄（公布时）", null=True, blank=True)
    legal_representative = models.CharField("法定代表人或负责人", max_length=50, blank=True)
    # No single-column indexes on the two references: nothing looks records up by court, and case lookups
    # use pubrec_case_list_wf (case first) — two indexes fewer to maintain on tens of millions of rows.
    court = models.ForeignKey(
        "courts.Court",
        verbose_name="执行法院",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    court_name = models.CharField("执行法院", max_length=100)
    court_code = models.CharField("法院代字", max_length=8, blank=True)
    province = models.CharField("省份", max_length=20)
    province_code = models.CharField("省份代码", max_length=2, blank=True)
    case = models.ForeignKey(
        "cases.EnforcementCase",
        verbose_name="案件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    case_number = models.CharField("执行案号", max_length=40)
    filed_on = models.DateField("立案时间", null=True, blank=True)
    basis_number = models.CharField("执行依据文号", max_length=60, blank=True)
    basis_issuer = models.CharField("作出执行依据单位", max_length=100, blank=True)
    duty = models.TextField("生效法律文书确定的义务", blank=True)
    performance = models.CharField("被执行人的履行情况", max_length=40, blank=True)
    grounds = models.CharField("失信情形代码", max_length=20, blank=True, help_text="如 1,4")
    conduct = models.TextField("失信被执行人行为具体情形", blank=True)
    amount = models.DecimalField("执行标的（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    unpaid = models.DecimalField("未履行金额（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    closed_on = models.DateField("终本日期", null=True, blank=True)
    published_at = models.DateTimeField("发布时间")
    term_until = models.DateField("纳入期限至", null=True, blank=True)
    matter_id = models.BigIntegerField("事项编号", null=True, blank=True)
    performed_on = models.DateField("履行完毕日期", null=True, blank=True)
    removal_due_on = models.DateField("应删除日期", null=True, blank=True)
    removed_at = models.DateTimeField("删除时间", null=True, blank=True)
    removal_reason = models.CharField("删除原因", max_length=200, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "公布信息"
        verbose_name_plural = "公布信息"
        constraints = [
            # The natural key while published: re-imports are idempotent, and a person removed and
            # listed again later (art. 10 para. 3) gets a new row, keeping the old one as history.
            # Identity first, so the same index serves 综合查询 and "name + ID" queries (exact identity
            # across lists): one index fewer to maintain on tens of millions of rows.
            models.UniqueConstraint(
                fields=["id_index", "kind", "case_number"],
                condition=models.Q(status="published"),
                name="pubrec_identity_key_pub",
            ),
        ]
        indexes = [
            # Name query within a list, newest first: equality on (list, name), backward scan on id.
            models.Index(
                fields=["kind", "name", "id"],
                condition=models.Q(status="published"),
                name="pubrec_list_name_pub",
            ),
            # Workflow lookups (removal on performance, closing, lifting): only rows of this system's cases
            # (imported rows have no case and cost this index nothing).
            models.Index(
                fields=["case", "kind", "status"],
                condition=models.Q(case__isnull=False),
                name="pubrec_case_list_wf",
            ),
            models.Index(
                fields=["removal_due_on"],
                condition=models.Q(status="published", removal_due_on__isnull=False),
                name="pubrec_due_pub",
            ),
            models.Index(
                fields=["term_until"],
                condition=models.Q(status="published", term_until__isnull=False),
                name="pubrec_term_pub",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name} {self.case_number}"

    @property
    def is_published(self) -> bool:
        return self.status == RecordStatus.PUBLISHED

    @property
    def situations(self) -> list[str]:
        out = []
        for code in (self.grounds or "").split(","):
            if code.strip().isdigit() and int(code) in DISHONEST_SITUATIONS:
                out.append(DISHONEST_SITUATIONS[int(code)])
        return out


class CorrectionReason(models.TextChoices):
    # Art. 11 of the 2017 rules.
    SHOULD_NOT_LIST = "should_not_list", "不应将其纳入失信被执行人名单"
    INACCURATE = "inaccurate", "记载和公布的失信信息不准确"
    SHOULD_REMOVE = "should_remove", "失信信息应予删除"


class CorrectionStatus(models.TextChoices):
    PENDING = "pending", "待审查"
    CORRECTED = "corrected", "已更正"
    REMOVED = "removed", "已撤销/删除"
    REJECTED = "rejected", "已驳回"


class CorrectionRequest(models.Model):
    """A listed person's or unit's application to correct a 失信 record (纠正申请, art. 11–12)."""

    record = models.ForeignKey(
        PublishedRecord, verbose_name="失信信息", on_delete=models.PROTECT, related_name="corrections"
    )
    court = models.ForeignKey(
        "courts.Court",
        verbose_name="执行法院",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="申请账户",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    applicant_name = models.CharField("申请人", max_length=100)
    applicant_id_index = models.CharField(max_length=64, editable=False)
    phone = EncryptedTextField("联系电话", blank=True, default="")
    # True when a logged-in, real-name verified user's identity matched the record; otherwise staff verify.
    identity_verified = models.BooleanField("身份已核验", default=False)
    reason = models.CharField("申请事由", max_length=20, choices=CorrectionReason.choices)
    statement = models.TextField("理由")
    status = models.CharField(
        "状态", max_length=10, choices=CorrectionStatus.choices, default=CorrectionStatus.PENDING
    )
    received_at = models.DateTimeField("收到时间")
    due_on = models.DateField("审查期限")
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审查人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_note = models.TextField("决定理由", blank=True)

    class Meta:
        ordering = ["status", "due_on", "id"]
        verbose_name = "失信纠正申请"
        verbose_name_plural = "失信纠正申请"
        indexes = [models.Index(fields=["court", "status", "due_on"], name="pubcorr_queue")]

    def __str__(self) -> str:
        return f"{self.applicant_name} {self.get_reason_display()}"

    @property
    def is_pending(self) -> bool:
        return self.status == CorrectionStatus.PENDING
