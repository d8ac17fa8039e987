"""Reads for the calculators: the rate table in force (shipped data + staff quotes) and court settings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from zhixing.calculators import RateTable
from zhixing.courts.models import Court, Role
from zhixing.courts.selectors import staff_memberships

from .models import CourtFeeSetting, LprQuote


def may_manage_rates(user: Any) -> bool:
    """System administrators (an active 系统管理员 membership) maintain the LPR table."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if getattr(user, "kind", "") != "staff":
        return False
    return staff_memberships(user=user).filter(role=Role.SYSADMIN).exists()


def lpr_quotes_entered() -> QuerySet[LprQuote]:
    return LprQuote.objects.select_related("entered_by").order_by("-date")


def rate_table() -> RateTable:
    """The shipped PBOC benchmark rates and LPR quotes with the staff-entered quotes merged in."""
    rows = [quote.as_row() for quote in LprQuote.objects.order_by("date")]
    table = RateTable.default()
    return table.with_lpr_quotes(rows) if rows else table


def court_for_code(code: str) -> Court | None:
    """An active court by its 案号代字 (e.g. "鲁0102") or its id; None when unknown."""
    code = (code or "").strip()
    if not code:
        return None
    courts = Court.objects.filter(is_active=True)
    if code.isdigit():
        return courts.filter(pk=int(code)).first()
    return courts.filter(case_code=code).first()


def no_amount_execution_fee(court: Court | None) -> Decimal | None:
    """The court's configured 申请执行费 for cases without an amount, or None (the engine then shows the range)."""
    if court is None:
        return None
    setting = CourtFeeSetting.objects.filter(court=court).first()
    return setting.no_amount_execution_fee if setting else None


def courts_for_choice() -> QuerySet[Court]:
    return Court.objects.filter(is_active=True).order_by("region_code", "name")
