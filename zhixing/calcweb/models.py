"""Data the calculators need from the database: staff-entered LPR quotes and each court's fee settings."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

LPR_SOURCE_DEFAULT = "中国人民银行授权全国银行间同业拆借中心公布"


class LprQuote(models.Model):
    """One monthly LPR quote entered by staff (percentages as published: 3.45 = 3.45 %).

    Merged over the shipped table (``zhixing/calculators/data/lpr.tsv``) for every calculation; a row with
    the same date as a shipped one replaces it.
    """

    date = models.DateField("报价日期", unique=True)
    lpr_1y = models.DecimalField(
        "1年期LPR（%）",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal(20))],
    )
    lpr_5y_plus = models.DecimalField(
        "5年期以上LPR（%）",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal(20))],
    )
    source = models.CharField("来源", max_length=200, default=LPR_SOURCE_DEFAULT)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = "LPR报价"
        verbose_name_plural = "LPR报价"

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} 1年期{self.lpr_1y}% 5年期以上{self.lpr_5y_plus}%"

    def as_row(self) -> dict[str, str]:
        """The row shape ``RateTable.with_lpr_quotes`` takes."""
        return {
            "date": self.date.isoformat(),
            "lpr_1y": str(self.lpr_1y),
            "lpr_5y_plus": str(self.lpr_5y_plus),
            "source": self.source,
        }


class CourtFeeSetting(models.Model):
    """A court's own figure for 申请执行费 of cases without an amount (第十四条第（一）项: 50–500 元 per case)."""

    court = models.OneToOneField(
        "courts.Court", verbose_name="法院", on_delete=models.CASCADE, related_name="calculator_setting"
    )
    no_amount_execution_fee = models.DecimalField(
        "无执行金额案件的申请执行费（元）",
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(50)), MaxValueValidator(Decimal(500))],
        help_text="没有执行金额或者价额的，每件交纳50元至500元，由本院确定。",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "法院收费标准"
        verbose_name_plural = "法院收费标准"

    def __str__(self) -> str:
        return f"{self.court}：{self.no_amount_execution_fee}元"
