"""Writes of the calculator app: staff-entered LPR quotes and each court's fee settings (audited)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhixing.audit.services import audit_record
from zhixing.calculators import CalculationError, lpr_quote_from_percent
from zhixing.courts.models import Court

from .models import LPR_SOURCE_DEFAULT, CourtFeeSetting, LprQuote
from .selectors import may_manage_rates

_FIELD_NAMES = {"lpr.date": "date", "lpr.lpr_1y": "lpr_1y", "lpr.lpr_5y_plus": "lpr_5y_plus"}


def _decimal(value: object, field: str, label: str) -> Decimal:
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: [f"{label}应为数字，如3.45。"]}) from None


def lpr_quote_create(
    *, actor: Any, date: dt.date | str, lpr_1y: object, lpr_5y_plus: object, source: str = ""
) -> LprQuote:
    """Record one published LPR quote (percentages, e.g. "3.45").

    Only system administrators may do this. Raises ``ValidationError`` ({field: [中文]}) when the date is
    in the future, before 2019-08-20 or already recorded, or a rate is outside 0.5 %–20 %.
    Side effects: one ``LprQuote`` row and the audit event ``calculators.lpr_quote_create``.
    """
    if not may_manage_rates(actor):
        raise PermissionDenied("仅系统管理员可以录入LPR报价。")
    try:
        quote = lpr_quote_from_percent(date, lpr_1y, lpr_5y_plus, field="lpr")
    except CalculationError as error:
        raise ValidationError({_FIELD_NAMES.get(error.field, "__all__"): [error.message]}) from None
    if quote.date > timezone.localdate():
        raise ValidationError({"date": ["报价日期不能晚于今天。"]})
    if LprQuote.objects.filter(date=quote.date).exists():
        raise ValidationError({"date": [f"{quote.date:%Y-%m-%d}的报价已录入；如有错误请先删除再录入。"]})
    row = LprQuote(
        date=quote.date,
        lpr_1y=_decimal(lpr_1y, "lpr_1y", "1年期LPR"),
        lpr_5y_plus=_decimal(lpr_5y_plus, "lpr_5y_plus", "5年期以上LPR"),
        source=(source or "").strip()[:200] or LPR_SOURCE_DEFAULT,
        entered_by=actor,
    )
    row.full_clean()
    try:
        with transaction.atomic():
            row.save()
            audit_record(
                action="calculators.lpr_quote_create",
                actor=actor,
                role="sysadmin",
                obj=row,
                details={
                    "date": row.date.isoformat(),
                    "lpr_1y": str(row.lpr_1y),
                    "lpr_5y_plus": str(row.lpr_5y_plus),
                    "source": row.source,
                },
            )
    except IntegrityError:
        raise ValidationError({"date": ["该日期的报价已录入。"]}) from None
    return row


def lpr_quote_delete(*, actor: Any, quote: LprQuote) -> None:
    """Remove a wrongly entered quote (system administrators only); audited as ``calculators.lpr_quote_delete``."""
    if not may_manage_rates(actor):
        raise PermissionDenied("仅系统管理员可以删除LPR报价。")
    with transaction.atomic():
        audit_record(
            action="calculators.lpr_quote_delete",
            actor=actor,
            role="sysadmin",
            obj=quote,
            details={
                "date": quote.date.isoformat(),
                "lpr_1y": str(quote.lpr_1y),
                "lpr_5y_plus": str(quote.lpr_5y_plus),
            },
        )
        quote.delete()


def court_fee_setting_set(*, actor: Any, court: Court, no_amount_execution_fee: object) -> CourtFeeSetting:
    """Set the court's 申请执行费 for cases without an amount (50–500 元); audited."""
    fee = _decimal(no_amount_execution_fee, "no_amount_execution_fee", "收费标准")
    with transaction.atomic():
        setting = CourtFeeSetting.objects.filter(court=court).first() or CourtFeeSetting(court=court)
        setting.no_amount_execution_fee = fee
        setting.updated_by = actor if getattr(actor, "is_authenticated", False) else None
        setting.full_clean()
        setting.save()
        audit_record(
            action="calculators.court_fee_setting_set",
            actor=actor,
            obj=setting,
            details={"court": court.name, "no_amount_execution_fee": str(fee)},
        )
    return setting
