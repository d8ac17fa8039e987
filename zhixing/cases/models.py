from __future__ import annotations

import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from zhixing.courts.models import Court
from zhixing.lib.fields import EncryptedTextField
from zhixing.lib.masking import mask_resident_id

# Query codes avoid look-alike characters (0/O, 1/I/L) because people type them from paper notices.
QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
QUERY_CODE_LENGTH = 12


def new_query_code() -> str:
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(QUERY_CODE_LENGTH))


class CaseStatus(models.TextChoices):
    PENDING = "pending", "待接收"
    ACTIVE = "active", "执行中"
    SUSPENDED = "suspended", "中止执行"
    CLOSED = "closed", "已结案"


class ClosureMethod(models.TextChoices):
    FULFILLED = "fulfilled", "执行完毕"
    TERMINATED_THIS_ROUND = "terminated_this_round", "终结本次执行程序"
    TERMINATED = "terminated", "终结执行"
    WITHDRAWN = "withdrawn", "销案"
    NOT_ENFORCED = "not_enforced", "不予执行"
    REJECTED = "rejected", "驳回申请"


class EnforcementCase(models.Model):
    number = models.CharField("案号", max_length=40, unique=True)
    year = models.PositiveSmallIntegerField("收案年度", db_index=True)
    court_code = models.CharField("法院代字", max_length=8)
    case_type = models.CharField("类型代字", max_length=4, db_index=True)
    sequence = models.PositiveIntegerField("案件编号")
    court = models.ForeignKey(Court, verbose_name="执行法院", on_delete=models.PROTECT, related_name="cases")
    cause = models.CharField("案由", max_length=60, blank=True)
    filed_on = models.DateField("立案日期", db_index=True)
    basis_title = models.CharField("执行依据名称", max_length=60, blank=True, help_text="如 民事判决书")
    basis_issuer = models.CharField("执行依据作出机关", max_length=100)
    basis_number = models.CharField("执行依据文号", max_length=60)
    basis_effective_on = models.DateField("执行依据生效日期", null=True, blank=True)
    amount = models.DecimalField(
        "申请执行标的（元）",
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    status = models.CharField(
        "案件状态", max_length=12, choices=CaseStatus.choices, default=CaseStatus.PENDING
    )
    closure_method = models.CharField(
        "结案方式", max_length=24, choices=ClosureMethod.choices, blank=True, db_index=True
    )
    closed_on = models.DateField("结案日期", null=True, blank=True)
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办法官",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="judged_cases",
    )
    query_code = models.CharField("案件查询码", max_length=20, unique=True, default=new_query_code)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-filed_on", "-id"]
        verbose_name = "执行案件"
        verbose_name_plural = "执行案件"
        constraints = [
            models.UniqueConstraint(
                fields=["year", "court_code", "case_type", "sequence"], name="case_number_parts_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0) | models.Q(amount__isnull=True), name="case_amount_ge_0"
            ),
        ]
        indexes = [models.Index(fields=["court", "status", "-filed_on"])]

    def __str__(self) -> str:
        return self.number

    @property
    def respondents(self) -> list[Party]:
        return [p for p in self.parties.all() if p.role == Party.Role.RESPONDENT]

    @property
    def applicants(self) -> list[Party]:
        return [p for p in self.parties.all() if p.role == Party.Role.APPLICANT]


class Party(models.Model):
    class Role(models.TextChoices):
        APPLICANT = "applicant", "申请执行人"
        RESPONDENT = "respondent", "被执行人"
        THIRD_PARTY = "third_party", "第三人"
        OUTSIDER = "outsider", "案外人"

    class Kind(models.TextChoices):
        NATURAL = "natural", "自然人"
        LEGAL = "legal", "法人"
        UNINCORPORATED = "unincorporated", "非法人组织"

    class IdKind(models.TextChoices):
        RESIDENT_ID = "resident_id", "居民身份证"
        CREDIT_CODE = "credit_code", "统一社会信用代码"
        ORG_CODE = "org_code", "组织机构代码"

    case = models.ForeignKey(
        EnforcementCase, verbose_name="案件", on_delete=models.CASCADE, related_name="parties"
    )
    role = models.CharField("诉讼地位", max_length=16, choices=Role.choices)
    kind = models.CharField("当事人类型", max_length=16, choices=Kind.choices)
    name = models.CharField("名称", max_length=100, db_index=True)
    id_kind = models.CharField("证件类型", max_length=16, choices=IdKind.choices)
    id_number = EncryptedTextField("证件号码")
    id_index = models.CharField(max_length=64, db_index=True, editable=False)
    # For units: blind index of the 9-digit organisation code, so units can log in with either code.
    org_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    gender = models.CharField("性别", max_length=2, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    phone = EncryptedTextField("联系电话", blank=True, default="")
    address = models.CharField("住所地", max_length=200, blank=True)
    legal_representative = models.CharField("法定代表人/负责人", max_length=50, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="关联账户",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="party_records",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "role", "id"]
        verbose_name = "当事人"
        verbose_name_plural = "当事人"

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.name}"

    @property
    def is_natural(self) -> bool:
        return self.kind == self.Kind.NATURAL

    @property
    def masked_id(self) -> str:
        """Resident IDs are masked wherever they are shown; unit codes are public and shown whole."""
        return mask_resident_id(self.id_number) if self.id_kind == self.IdKind.RESIDENT_ID else self.id_number


class ProgressNode(models.Model):
    """A step of the case as the parties see it (立案, 财产查控, …, 结案)."""

    case = models.ForeignKey(
        EnforcementCase, verbose_name="案件", on_delete=models.CASCADE, related_name="progress_nodes"
    )
    name = models.CharField("节点名称", max_length=40)
    sequence = models.PositiveSmallIntegerField("顺序")
    started_at = models.DateTimeField("开始时间")
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        ordering = ["case", "sequence", "started_at"]
        verbose_name = "案件进度节点"
        verbose_name_plural = "案件进度节点"

    def __str__(self) -> str:
        return f"{self.case} {self.name}"

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None
