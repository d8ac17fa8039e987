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

    case = models.ForeignKey(EnforcementCase, verbose_name="案件", on_delete=models.CASCADE, related_name="matters")
    matter_type = models.ForeignKey(MatterType, verbose_name="事项", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=12, choices=MatterStatus.choices, default=MatterStatus.OPEN)
    note = models.TextField("备注", blank=True)
    data = models.JSONField("事项数据", default=dict, blank=True)
    started_on = models.DateField("开始日期")
    completed_on = models.DateField("完成日期", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["case", "started_on", "id"]
        verbose_name = "案件事项"
        verbose_name_plural = "案件事项"

    def __str__(self) -> str:
        return f"{self.case} {self.matter_type.name}"
