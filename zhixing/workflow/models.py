"""Segmented enforcement: matter catalogue and case matters (事项).

The stage engine (stages, routing rules, deadlines, case stage state) extends this module.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from zhixing.cases.models import EnforcementCase


class MatterCategory(models.TextChoices):
    ONLINE = "online", "线上"
    OFFLINE = "offline", "线下"
    COERCIVE = "coercive", "强制措施"
    OTHER = "other", "其他事项"


# Catalogue codes the services give legal validation to (the catalogue itself is data).
DISHONEST_CODE = "coercive_dishonest"  # 限消失信
FINE_CODE = "coercive_fine"  # 罚款
DETENTION_CODE = "coercive_detention"  # 拘留


class MatterType(models.Model):
    """One item of the matter catalogue (告知, 查封, 限消失信 …): data a court may extend."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("事项名称", max_length=40)
    category = models.CharField("类别", max_length=12, choices=MatterCategory.choices)
    order = models.PositiveSmallIntegerField("顺序", default=100)
    description = models.CharField("说明", max_length=200, blank=True)
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["category", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["category", "name"], name="matter_type_unique_name")]
        verbose_name = "事项类型"
        verbose_name_plural = "事项类型"

    def __str__(self) -> str:
        return f"{self.get_category_display()}·{self.name}"


class MatterStatus(models.TextChoices):
    OPEN = "open", "办理中"
    DONE = "done", "已完成"
    CANCELLED = "cancelled", "已撤销"


class CaseMatter(models.Model):
    """A matter handled in a case (one 查封, one 限消失信 decision …) with the data the measure needs."""

    case = models.ForeignKey(
        EnforcementCase, verbose_name="案件", on_delete=models.CASCADE, related_name="matters"
    )
    matter_type = models.ForeignKey(
        MatterType, verbose_name="事项", on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField("状态", max_length=12, choices=MatterStatus.choices, default=MatterStatus.OPEN)
    note = models.TextField("备注", blank=True)
    data = models.JSONField("事项数据", default=dict, blank=True)
    started_on = models.DateField("开始日期")
    completed_on = models.DateField("完成日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    stage = models.ForeignKey(
        "Stage", verbose_name="办理阶段", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["case", "started_on", "id"]
        verbose_name = "案件事项"
        verbose_name_plural = "案件事项"

    def __str__(self) -> str:
        return f"{self.case} {self.matter_type.name}"


# --- Stage engine (data a court configures) -------------------------------------------------------


class DeadlineKind(models.TextChoices):
    CALENDAR = "calendar", "自然日"
    WORKING = "working", "工作日"


class StageSet(models.Model):
    """One court's configuration of the segmented flow: its stages and the transitions between them.

    Exactly one set is the default (no court): every court without a set of its own uses it. A court that
    wants its own stages, deadlines or transitions gets a copy of the default (admin action “复制为本院配置”,
    ``services.stage_set_copy``) and edits that; cases already in the flow keep pointing at their stage rows.
    """

    name = models.CharField("配置名称", max_length=60)
    court = models.OneToOneField(
        "courts.Court",
        verbose_name="法院",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="stage_set",
        help_text="留空为默认配置：未设置本院配置的法院均使用默认配置",
    )
    is_default = models.BooleanField("默认配置", default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_default", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="stage_set_one_default"
            ),
            models.CheckConstraint(
                condition=models.Q(is_default=True, court__isnull=True)
                | models.Q(is_default=False, court__isnull=False),
                name="stage_set_default_has_no_court",
            ),
        ]
        verbose_name = "阶段配置"
        verbose_name_plural = "阶段配置"

    def __str__(self) -> str:
        return self.name


class Stage(models.Model):
    """A stage of the segmented flow (财产查控 …). Order, team type and deadline are court data."""

    stage_set = models.ForeignKey(
        StageSet, verbose_name="阶段配置", on_delete=models.CASCADE, related_name="stages"
    )
    code = models.SlugField("代码", max_length=40)
    name = models.CharField("阶段名称", max_length=40)
    public_name = models.CharField(
        "当事人可见名称", max_length=40, help_text="写入案件进度节点，当事人在查询中看到的名称"
    )
    order = models.PositiveSmallIntegerField("顺序", default=100)
    team_type_code = models.SlugField(
        "承办团队类型代码", max_length=40, help_text="团队类型的代码，如 asset_control"
    )
    deadline_days = models.PositiveSmallIntegerField("阶段期限（天）", default=30)
    deadline_kind = models.CharField(
        "期限计算方式", max_length=10, choices=DeadlineKind.choices, default=DeadlineKind.CALENDAR
    )
    documents_label = models.CharField("文书按钮名称", max_length=20, default="文书", help_text="如 查控文书")
    is_final = models.BooleanField("结案阶段", default=False, help_text="提交后案件结案归档")
    is_active = models.BooleanField("启用", default=True)
    matter_types = models.ManyToManyField(
        MatterType, verbose_name="本阶段事项", blank=True, related_name="stages"
    )

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["stage_set", "code"], name="stage_code_unique_in_set"),
            models.UniqueConstraint(fields=["stage_set", "name"], name="stage_name_unique_in_set"),
        ]
        verbose_name = "执行阶段"
        verbose_name_plural = "执行阶段"

    def __str__(self) -> str:
        return self.name


class AuctionCondition(models.TextChoices):
    ANY = "any", "不限"
    YES = "yes", "有拍"
    NO = "no", "无拍"


class StageTransition(models.Model):
    """An allowed move from one stage to the next; 是否有拍 can restrict it."""

    from_stage = models.ForeignKey(
        Stage, verbose_name="当前阶段", on_delete=models.CASCADE, related_name="transitions"
    )
    to_stage = models.ForeignKey(Stage, verbose_name="后续阶段", on_delete=models.CASCADE, related_name="+")
    auction = models.CharField(
        "是否有拍", max_length=4, choices=AuctionCondition.choices, default=AuctionCondition.ANY
    )
    order = models.PositiveSmallIntegerField(
        "顺序", default=100, help_text="同一条件下顺序最小者为默认后续阶段"
    )

    class Meta:
        ordering = ["from_stage__order", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["from_stage", "to_stage", "auction"], name="stage_transition_unique"
            )
        ]
        verbose_name = "阶段流转规则"
        verbose_name_plural = "阶段流转规则"

    def __str__(self) -> str:
        cond = "" if self.auction == AuctionCondition.ANY else f"（{self.get_auction_display()}）"
        return f"{self.from_stage} → {self.to_stage}{cond}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if (
            self.from_stage_id
            and self.to_stage_id
            and self.from_stage.stage_set_id != self.to_stage.stage_set_id
        ):
            raise ValidationError({"to_stage": "后续阶段必须属于同一阶段配置。"})


class CaseTrack(models.TextChoices):
    SIMPLE = "simple", "简案"
    COMPLEX = "complex", "繁案"


class RoutingRule(models.Model):
    """Decides on 接收 whether a case enters the segmented flow, and at which stage.

    Rules are tried by priority (smallest first); the first matching rule decides. No match: the
    case is handled outside the segmented flow.
    """

    name = models.CharField("规则名称", max_length=60)
    priority = models.PositiveSmallIntegerField("优先级", default=100)
    court = models.ForeignKey(
        "courts.Court",
        verbose_name="适用法院",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="留空则适用于所有法院",
    )
    case_types = models.CharField(
        "案件类型代字", max_length=60, blank=True, help_text="以逗号分隔，如 执,执恢；留空则不限"
    )
    amount_min = models.DecimalField("标的下限（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    amount_max = models.DecimalField("标的上限（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    track = models.CharField(
        "繁简分流", max_length=10, choices=[("", "不限"), *CaseTrack.choices], blank=True, default=""
    )
    enters_flow = models.BooleanField("进入分段执行", default=True)
    entry_stage = models.ForeignKey(
        Stage,
        verbose_name="进入阶段",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="留空则从第一个阶段开始；按阶段代码对应到案件所在法院的阶段配置",
    )
    is_active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["priority", "id"]
        verbose_name = "分段执行规则"
        verbose_name_plural = "分段执行规则"

    def __str__(self) -> str:
        return self.name

    def case_type_list(self) -> list[str]:
        return [t.strip() for t in self.case_types.replace("，", ",").split(",") if t.strip()]


class CalendarOverride(models.Model):
    """A date marked as holiday or working day, overriding the official calendar.

    Without a court it applies everywhere (系统管理员 in the admin); a court's own row for the same date wins
    over it for that court (院领导/系统管理员 on the workbench page 节假日调整).
    """

    court = models.ForeignKey(
        "courts.Court",
        verbose_name="法院",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="留空则适用于所有法院",
    )
    day = models.DateField("日期")
    is_workday = models.BooleanField("工作日", help_text="勾选为调休上班日，不勾选为放假日")
    name = models.CharField("说明", max_length=60, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="设置人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["court", "day"], name="calendar_override_court_day"),
            models.UniqueConstraint(
                fields=["day"], condition=models.Q(court__isnull=True), name="calendar_override_global_day"
            ),
        ]
        verbose_name = "节假日调整"
        verbose_name_plural = "节假日调整"

    def __str__(self) -> str:
        return f"{self.day} {'上班' if self.is_workday else '放假'} {self.name}"


class CaseFlow(models.Model):
    """Where a case stands in the segmented flow (current stage, team, assignee, deadline).

    ``version`` increases with every transition, so two submits of the same page cannot both move the case.
    """

    case = models.OneToOneField(
        EnforcementCase, verbose_name="案件", on_delete=models.CASCADE, related_name="flow"
    )
    court = models.ForeignKey("courts.Court", verbose_name="法院", on_delete=models.PROTECT, related_name="+")
    stage = models.ForeignKey(
        Stage, verbose_name="当前阶段", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    team = models.ForeignKey(
        "courts.Team",
        verbose_name="承办团队",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="承办人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    track = models.CharField("繁简分流", max_length=10, choices=CaseTrack.choices, default=CaseTrack.SIMPLE)
    entered_at = models.DateTimeField("进入本阶段时间", null=True, blank=True)
    deadline = models.DateField("阶段期限", null=True, blank=True)
    deadline_warning = models.CharField("期限提示", max_length=200, blank=True)
    has_auction = models.BooleanField("是否有拍", null=True, blank=True)
    version = models.PositiveIntegerField("版本", default=0)
    finished_at = models.DateTimeField("分段执行完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "案件分段状态"
        verbose_name_plural = "案件分段状态"
        indexes = [
            # Team queues are ordered by deadline: the index answers filter, order and count.
            models.Index(fields=["team", "stage", "deadline", "case"], name="flow_team_stage_dl"),
            models.Index(fields=["assignee", "stage", "deadline", "case"], name="flow_assignee_stage_dl"),
            # 全院案件 stage / deadline filters: covering (the case id comes from the index, not the row).
            models.Index(fields=["court", "stage", "deadline", "case"], name="flow_court_stage_dl"),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.stage or '—'}"


class StageRecord(models.Model):
    """One pass of a case through a stage: history, the 事项信息 draft and what was submitted."""

    case = models.ForeignKey(
        EnforcementCase, verbose_name="案件", on_delete=models.CASCADE, related_name="stage_records"
    )
    stage = models.ForeignKey(Stage, verbose_name="阶段", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(
        "courts.Team", verbose_name="团队", null=True, on_delete=models.PROTECT, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="承办人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField("进入时间")
    deadline = models.DateField("阶段期限")
    left_at = models.DateTimeField("流转时间", null=True, blank=True)
    matter_notes = models.JSONField("事项说明", default=dict, blank=True)
    other_notes = models.TextField("其他情况说明", blank=True)
    next_stage = models.ForeignKey(
        Stage, verbose_name="后续阶段", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    has_auction = models.BooleanField("是否有拍", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["case", "entered_at", "id"]
        indexes = [models.Index(fields=["stage", "left_at"], name="stage_record_stage_left")]
        verbose_name = "阶段办理记录"
        verbose_name_plural = "阶段办理记录"

    def __str__(self) -> str:
        return f"{self.case} {self.stage}"


# --- Property register and funds ledger -----------------------------------------------------------


class PropertyKind(models.TextChoices):
    DEPOSIT = "deposit", "存款"
    REAL_ESTATE = "real_estate", "不动产"
    VEHICLE = "vehicle", "车辆"
    EQUITY = "equity", "股权"
    OTHER = "other", "其他财产"


class ControlStatus(models.TextChoices):
    NONE = "none", "未控制"
    SEALED = "sealed", "查封"
    FROZEN = "frozen", "冻结"
    SEIZED = "seized", "扣押"
    RELEASED = "released", "已解除"
    DISPOSED = "disposed", "已处置"


class Property(models.Model):
    """A piece of the respondent's property found in the case (财产)."""

    case = models.ForeignKey(
        EnforcementCase, verbose_name="案件", on_delete=models.CASCADE, related_name="properties"
    )
    owner = models.ForeignKey(
        "cases.Party",
        verbose_name="权利人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    kind = models.CharField("财产类型", max_length=12, choices=PropertyKind.choices)
    description = models.CharField("财产描述", max_length=200)
    identifier = models.CharField("账号/权证号/车牌号", max_length=100, blank=True)
    value = models.DecimalField("估值（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    control_status = models.CharField(
        "控制状态", max_length=10, choices=ControlStatus.choices, default=ControlStatus.NONE
    )
    controlled_on = models.DateField("查封/冻结/扣押日期", null=True, blank=True)
    expires_on = models.DateField("控制期限届满日", null=True, blank=True, db_index=True)
    released_on = models.DateField("解除日期", null=True, blank=True)
    matter = models.ForeignKey(
        CaseMatter,
        verbose_name="关联事项",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="properties",
    )
    note = models.TextField("备注", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "id"]
        verbose_name = "财产"
        verbose_name_plural = "财产"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.description}"


class CaseFund(models.Model):
    """The running balance of money held for a case; it can never be negative."""

    case = models.OneToOneField(
        EnforcementCase, verbose_name="案件", on_delete=models.CASCADE, related_name="fund"
    )
    balance = models.DecimalField("余额（元）", max_digits=16, decimal_places=2, default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(balance__gte=0), name="case_fund_balance_ge_0")
        ]
        verbose_name = "案款账户"
        verbose_name_plural = "案款账户"

    def __str__(self) -> str:
        return f"{self.case} {self.balance}"


class FundEntryKind(models.TextChoices):
    RECEIPT = "receipt", "到账"
    FEE = "fee", "执行费扣划"
    PAYOUT = "payout", "发放"


class FundEntryStatus(models.TextChoices):
    PLANNED = "planned", "待发放"
    DONE = "done", "已入账"
    CANCELLED = "cancelled", "已撤销"


class FundEntry(models.Model):
    """One line of the case funds ledger. Payouts start as a plan line (待发放) with a deadline."""

    case = models.ForeignKey(
        EnforcementCase, verbose_name="案件", on_delete=models.CASCADE, related_name="fund_entries"
    )
    kind = models.CharField("类型", max_length=10, choices=FundEntryKind.choices)
    status = models.CharField(
        "状态", max_length=10, choices=FundEntryStatus.choices, default=FundEntryStatus.DONE
    )
    amount = models.DecimalField("金额（元）", max_digits=16, decimal_places=2)
    counterparty = models.CharField("付款人/收款人", max_length=100, blank=True)
    due_on = models.DateField("发放期限", null=True, blank=True, db_index=True)
    booked_on = models.DateField("入账/发放日期", null=True, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="经办人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="fund_entry_amount_gt_0")
        ]
        verbose_name = "案款明细"
        verbose_name_plural = "案款明细"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"


# --- Field tasks (事项交办) ---------------------------------------------------------------------------


class FieldTaskStatus(models.TextChoices):
    ASSIGNED = "assigned", "待办理"
    DONE = "done", "已反馈"
    CANCELLED = "cancelled", "已撤销"


class FieldTask(models.Model):
    """A task a judge hands to a 外勤 officer (serve a document, inspect a property …)."""

    case = models.ForeignKey(
        EnforcementCase, verbose_name="案件", on_delete=models.CASCADE, related_name="field_tasks"
    )
    matter = models.ForeignKey(
        CaseMatter,
        verbose_name="事项",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="field_tasks",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="外勤人员",
        on_delete=models.PROTECT,
        related_name="field_tasks",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="交办人", on_delete=models.PROTECT, related_name="+"
    )
    instructions = models.TextField("交办内容")
    place = models.CharField("地点", max_length=200)
    due_on = models.DateField("完成期限")
    status = models.CharField(
        "状态", max_length=10, choices=FieldTaskStatus.choices, default=FieldTaskStatus.ASSIGNED
    )
    result = models.TextField("办理结果", blank=True)
    completed_at = models.DateTimeField("反馈时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["assigned_to", "status", "due_on"], name="field_task_officer")]
        verbose_name = "外勤交办事项"
        verbose_name_plural = "外勤交办事项"

    def __str__(self) -> str:
        return f"{self.case} {self.place}"


class FieldTaskPhoto(models.Model):
    task = models.ForeignKey(
        FieldTask, verbose_name="交办事项", on_delete=models.CASCADE, related_name="photos"
    )
    file = models.CharField("存储路径", max_length=300)
    sha256 = models.CharField("SHA-256", max_length=64)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField("字节数")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["task", "id"]
        verbose_name = "外勤照片"
        verbose_name_plural = "外勤照片"

    def __str__(self) -> str:
        return self.file
