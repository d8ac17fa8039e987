from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models

from zhixing.lib.case_numbers import PROVINCE_CHARS


class Court(models.Model):
    class Level(models.TextChoices):
        SUPREME = "supreme", "最高人民法院"
        HIGH = "high", "高级人民法院"
        INTERMEDIATE = "intermediate", "中级人民法院"
        BASIC = "basic", "基层人民法院"

    name = models.CharField("法院名称", max_length=100, unique=True)
    level = models.CharField("审级", max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级法院",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    region_code = models.CharField(
        "行政区划代码",
        max_length=6,
        validators=[RegexValidator(r"^\d{6}$", "行政区划代码应为6位数字。")],
    )
    province = models.CharField("省份", max_length=20)
    case_code = models.CharField(
        "案号代字",
        max_length=8,
        unique=True,
        validators=[
            RegexValidator(
                r"^(最高法|[" + PROVINCE_CHARS + r"](\d{2}|\d{4})?)$", "法院代字格式不正确，如“鲁0102”。"
            )
        ],
        help_text="如 鲁、鲁01、鲁0102",
    )
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["region_code", "name"]
        verbose_name = "法院"
        verbose_name_plural = "法院"

    def __str__(self) -> str:
        return self.name


class TeamType(models.Model):
    """A kind of team; the four stage teams and 外勤 are seeded, courts may add more."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=40, unique=True)
    description = models.CharField("说明", max_length=200, blank=True)
    order = models.PositiveSmallIntegerField("顺序", default=100)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = "团队类型"
        verbose_name_plural = "团队类型"

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    court = models.ForeignKey(Court, verbose_name="法院", on_delete=models.PROTECT, related_name="teams")
    team_type = models.ForeignKey(
        TeamType, verbose_name="团队类型", on_delete=models.PROTECT, related_name="teams"
    )
    name = models.CharField("团队名称", max_length=60)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["court", "team_type__order", "name"]
        constraints = [models.UniqueConstraint(fields=["court", "name"], name="team_unique_name_per_court")]
        verbose_name = "团队"
        verbose_name_plural = "团队"

    def __str__(self) -> str:
        return f"{self.court.name}·{self.name}"


class Role(models.TextChoices):
    JUDGE = "judge", "承办法官"
    TEAM_LEAD = "team_lead", "团队负责人"
    APPROVER = "approver", "审批人"
    FIELD_OFFICER = "field_officer", "外勤"
    CLERK = "clerk", "书记员"
    COURT_LEADER = "court_leader", "院领导"
    SYSADMIN = "sysadmin", "系统管理员"
    PUBLICITY = "publicity", "宣传干事"


class ApproverTitle(models.TextChoices):
    BUREAU_CHIEF = "bureau_chief", "执行局长"
    VICE_PRESIDENT = "vice_president", "分管院领导"
    PRESIDENT = "president", "院长"


# Roles that must use a second factor at login (issue: staff 2FA).
ROLES_REQUIRING_2FA = frozenset({Role.APPROVER, Role.COURT_LEADER, Role.SYSADMIN})


class Membership(models.Model):
    """A staff user's role at a court, optionally within a team. A user may hold several."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="人员", on_delete=models.CASCADE, related_name="memberships"
    )
    court = models.ForeignKey(
        Court, verbose_name="法院", on_delete=models.PROTECT, related_name="memberships"
    )
    team = models.ForeignKey(
        Team, verbose_name="团队", null=True, blank=True, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    approver_title = models.CharField("审批人职务", max_length=20, choices=ApproverTitle.choices, blank=True)
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["court", "team", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "court", "team", "role"], name="membership_unique"),
            models.CheckConstraint(
                condition=~models.Q(role="approver") | ~models.Q(approver_title=""),
                name="membership_approver_has_title",
            ),
        ]
        verbose_name = "人员角色"
        verbose_name_plural = "人员角色"

    def __str__(self) -> str:
        where = self.team.name if self.team else self.court.name
        title = self.get_approver_title_display() if self.approver_title else self.get_role_display()
        return f"{self.user} · {where} · {title}"
