"""Display filters for calculator results: every figure in 元 with two decimals, rates as percentages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django import template

from zhixing.calculators.money import fmt_date, fmt_percent, round_money

register = template.Library()


def _decimal(value: object) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@register.filter
def yuan(value: object) -> str:
    """``Decimal("12400")`` → ``"12,400.00 元"`` (rounded half up to 分 for display)."""
    number = _decimal(value)
    if number is None:
        return "—"
    return f"{round_money(number):,.2f} 元"


@register.filter
def figure(value: object) -> str:
    """Like :func:`yuan` without the unit, for table columns headed “（元）”."""
    number = _decimal(value)
    if number is None:
        return "—"
    return f"{round_money(number):,.2f}"


@register.filter
def pct(value: object) -> str:
    number = _decimal(value)
    return "—" if number is None else fmt_percent(number)


@register.filter
def cn_date(value: object) -> str:
    if isinstance(value, dt.date):
        return fmt_date(value)
    return "—" if not value else str(value)
