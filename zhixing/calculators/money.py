"""Decimal, date and serialisation helpers shared by the calculators.

Conventions (shown to users through the ``conventions`` lists of the results):

* All arithmetic uses :class:`decimal.Decimal` with 50 significant digits (:data:`CALC_PRECISION`);
  binary floats are never used. Intermediate figures (segment interest, payment allocations) stay
  unrounded; only the final figures of a result are rounded to 分 (0.01 元) with ROUND_HALF_UP.
* Money inputs must be non-negative and have at most two decimal places (分).
* Day counting follows the "date difference" rule: the number of days between ``start`` and ``end`` is
  ``(end - start).days``. This is the same as not counting the first day and counting the last one
  (民法典第二百零一条、民事诉讼法第八十五条: 开始的当日不计入), or equivalently "算头不算尾".
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation, localcontext
from enum import Enum
from typing import Any

from .errors import CalculationError

CALC_PRECISION = 50
CENT = Decimal("0.01")
ZERO = Decimal("0")
ONE = Decimal("1")
#: Largest accepted money amount (1e14 元, i.e. 100 万亿元): a sanity bound for input validation.
MAX_AMOUNT = Decimal("100000000000000")
MIN_DATE = dt.date(1990, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)
#: Decimal places shown for unrounded ("exact") figures in serialised output.
EXACT_PLACES = 12

MoneyInput = Decimal | int | str
DateInput = dt.date | str


def calc_context() -> Context:
    """A fresh context for the calculators: 50 significant digits, banker's rounding for intermediates."""
    return Context(prec=CALC_PRECISION)


def calc_localcontext() -> Any:
    """``with calc_localcontext(): ...`` runs a calculation at :data:`CALC_PRECISION`."""
    return localcontext(calc_context())


def round_money(value: Decimal) -> Decimal:
    """Round a final figure to 分 with ROUND_HALF_UP (四舍五入)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP, context=calc_context())


def to_decimal(value: object, field: str, *, label: str = "数值") -> Decimal:
    """Parse a number given as Decimal, int, numeric string or JSON float (read through its shortest repr)."""
    if isinstance(value, bool):
        raise CalculationError(field, f"{label}应为数字，不能是布尔值。")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        # A JSON number arrives as a float; its shortest repr is exactly the decimal text that was sent.
        if value != value or value in (float("inf"), float("-inf")):
            raise CalculationError(field, f"{label}必须是有限的数字。")
        result = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.strip().replace(",", "")
        if not text:
            raise CalculationError(field, f"{label}不能为空。")
        try:
            result = Decimal(text)
        except InvalidOperation:
            raise CalculationError(field, f"{label}“{value}”不是有效的数字。") from None
    else:
        raise CalculationError(field, f"{label}应为数字或数字字符串。")
    if not result.is_finite():
        raise CalculationError(field, f"{label}必须是有限的数字。")
    return result


def parse_money(value: object, field: str, *, allow_zero: bool = False, label: str = "金额") -> Decimal:
    """Parse a money amount: finite, at most two decimal places, positive (or zero when allowed)."""
    amount = to_decimal(value, field, label=label)
    if amount < 0:
        raise CalculationError(field, f"{label}不能为负数。")
    if amount == 0 and not allow_zero:
        raise CalculationError(field, f"{label}必须大于0。")
    if amount > MAX_AMOUNT:
        raise CalculationError(field, f"{label}超过本工具支持的上限（100万亿元）。")
    exponent = amount.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2 and amount != amount.quantize(CENT):
        raise CalculationError(field, f"{label}最多保留两位小数（精确到分）。")
    return amount


def parse_date(value: object, field: str, *, label: str = "日期") -> dt.date:
    """Parse a date given as :class:`datetime.date` or an ISO string ``YYYY-MM-DD`` (years 1990–2100)."""
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise CalculationError(field, f"{label}“{value}”格式不正确，应为YYYY-MM-DD。") from None
    else:
        raise CalculationError(field, f"{label}应为YYYY-MM-DD格式的字符串。")
    if not MIN_DATE <= day <= MAX_DATE:
        raise CalculationError(field, f"{label}{day.isoformat()}超出本工具支持的范围（1990年至2100年）。")
    return day


def parse_int(value: object, field: str, *, label: str, low: int, high: int) -> int:
    """A whole number within ``low`` .. ``high``."""
    number = to_decimal(value, field, label=label)
    if not low <= number <= high or number != number.to_integral_value():
        raise CalculationError(field, f"{label}应为{low}至{high}之间的整数。")
    return int(number)


def days_between(start: dt.date, end: dt.date) -> int:
    """Days from ``start`` to ``end`` by date difference (first day not counted, last day counted)."""
    return (end - start).days


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day ``months`` months later; month end when that month has no such day (民法典第二百零二条)."""
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def one_day() -> dt.timedelta:
    return dt.timedelta(days=1)


def fmt_money(value: Decimal) -> str:
    """``12400`` -> ``"12,400.00元"`` (display only; rounds half up to 分)."""
    return f"{round_money(value):,.2f}元"


def fmt_percent(rate: Decimal, places: int = 4) -> str:
    """A rate given as a fraction, shown as a percentage without superfluous zeros: 0.0345 -> "3.45%"."""
    pct = rate * 100
    text = f"{pct:.{places}f}".rstrip("0").rstrip(".")
    if "." not in text:
        text += ".00"
    elif len(text.split(".")[1]) == 1:
        text += "0"
    return f"{text}%"


def fmt_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def format_decimal(value: Decimal) -> str:
    """Plain (non-scientific) string; unrounded figures are shown to :data:`EXACT_PLACES` places."""
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -EXACT_PLACES:
        value = value.quantize(
            Decimal(1).scaleb(-EXACT_PLACES), rounding=ROUND_HALF_UP, context=calc_context()
        )
        text = format(value, "f").rstrip("0")
        whole, _, frac = text.partition(".")
        return f"{whole}.{frac.ljust(2, '0')}"
    return format(value, "f")


def to_jsonable(value: Any) -> Any:
    """Turn a result (nested dataclasses, Decimals, dates, enums) into JSON-ready Python data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: to_jsonable(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Mapping):
        return {str(key): to_jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(item) for item in value]
    return value
