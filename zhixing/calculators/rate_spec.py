"""How a user states an interest rate, and how it becomes an annual rate for each day.

A rate is given as an annual, monthly or daily fraction (``"0.15"`` = 15 % a year), or as a multiple of the
1-year or 5-year-plus LPR. Day-count convention: the interest for one day is ``annual rate / day_basis``
(365 by default, 360 on request); a monthly rate is 12× annual; a daily rate is taken literally, and its
annual equivalent (used for comparisons with legal caps) is ``daily × day_basis``.

An LPR-based rate is *fixed* by default: the quote in force on a reference date (the contract date, the
start date, ...) applies throughout. With ``lpr_floating=True`` every day uses the quote in force on that
day, so each new quote starts a new segment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from .errors import CalculationError
from .money import fmt_date, fmt_percent, parse_date, to_decimal
from .rates import LprTerm, RatePeriod, RateTable

DAY_BASES = (360, 365)


class RateKind(StrEnum):
    ANNUAL = "annual"
    MONTHLY = "monthly"
    DAILY = "daily"
    LPR = "lpr"


_LIMITS = {
    RateKind.ANNUAL: (Decimal(10), "年利率", "0.15表示年利率15%"),
    RateKind.MONTHLY: (Decimal(1), "月利率", "0.015表示月利率1.5%"),
    RateKind.DAILY: (Decimal("0.03"), "日利率", "0.0005表示日利率万分之五"),
    RateKind.LPR: (Decimal(20), "LPR倍数", "1.5表示LPR的1.5倍"),
}


@dataclass(frozen=True)
class AnnualRatePeriod:
    """Days ``first_day`` .. ``last_day`` (inclusive) at ``annual_rate`` (a fraction), with a description."""

    first_day: dt.date
    last_day: dt.date
    annual_rate: Decimal
    label: str


@dataclass(frozen=True)
class RateSpec:
    kind: RateKind
    value: Decimal
    lpr_term: LprTerm = LprTerm.ONE_YEAR
    lpr_floating: bool = False
    lpr_reference_date: dt.date | None = None

    # -- constructors --------------------------------------------------------------------------------

    @classmethod
    def annual(cls, value: object) -> RateSpec:
        return cls(RateKind.ANNUAL, _rate_value(value, RateKind.ANNUAL, "annual_rate"))

    @classmethod
    def monthly(cls, value: object) -> RateSpec:
        return cls(RateKind.MONTHLY, _rate_value(value, RateKind.MONTHLY, "monthly_rate"))

    @classmethod
    def daily(cls, value: object) -> RateSpec:
        return cls(RateKind.DAILY, _rate_value(value, RateKind.DAILY, "daily_rate"))

    @classmethod
    def lpr(
        cls,
        multiple: object,
        term: LprTerm | str = LprTerm.ONE_YEAR,
        *,
        floating: bool = False,
        reference_date: dt.date | str | None = None,
    ) -> RateSpec:
        try:
            lpr_term = LprTerm(term)
        except ValueError:
            raise CalculationError("lpr_term", "LPR期限只能是“1y”（1年期）或“5y”（5年期以上）。") from None
        reference = None if reference_date is None else parse_date(reference_date, "lpr_reference_date")
        return cls(
            RateKind.LPR, _rate_value(multiple, RateKind.LPR, "lpr_multiple"), lpr_term, floating, reference
        )

    # -- evaluation ----------------------------------------------------------------------------------

    def annual_equivalent(self, base_rate: Decimal, day_basis: int) -> Decimal:
        """Annual rate for a day whose LPR (if any) is ``base_rate``."""
        if self.kind is RateKind.ANNUAL:
            return self.value
        if self.kind is RateKind.MONTHLY:
            return self.value * 12
        if self.kind is RateKind.DAILY:
            return self.value * day_basis
        return base_rate * self.value

    def periods(
        self,
        first_day: dt.date,
        last_day: dt.date,
        table: RateTable,
        *,
        day_basis: int,
        default_reference: dt.date,
        field: str,
    ) -> list[AnnualRatePeriod]:
        """The annual rate for each day from ``first_day`` to ``last_day`` (inclusive), in runs."""
        if last_day < first_day:
            return []
        if self.kind is not RateKind.LPR:
            return [
                AnnualRatePeriod(
                    first_day, last_day, self.annual_equivalent(Decimal(0), day_basis), self.label(day_basis)
                )
            ]
        if not self.lpr_floating:
            reference = self.lpr_reference_date or default_reference
            quote = table.lpr_on(reference, self.lpr_term, field=field)
            return [
                AnnualRatePeriod(
                    first_day, last_day, quote.rate * self.value, self._lpr_label(quote.rate, quote.published)
                )
            ]
        runs: list[list[RatePeriod]] = []
        for period in table.lpr_periods(first_day, last_day, self.lpr_term, field=field):
            if runs and runs[-1][-1].rate == period.rate:
                runs[-1].append(period)  # an unchanged quote does not start a new segment
            else:
                runs.append([period])
        return [
            AnnualRatePeriod(
                run[0].first_day,
                run[-1].last_day,
                run[0].rate * self.value,
                self._lpr_label(run[0].rate, run[0].published, run[-1].published),
            )
            for run in runs
        ]

    def label(self, day_basis: int) -> str:
        if self.kind is RateKind.ANNUAL:
            return f"年利率{fmt_percent(self.value)}"
        if self.kind is RateKind.MONTHLY:
            return f"月利率{fmt_percent(self.value)}（折合年利率{fmt_percent(self.value * 12)}）"
        if self.kind is RateKind.DAILY:
            return f"日利率{fmt_percent(self.value, 6)}（按每年{day_basis}天折合年利率{fmt_percent(self.value * day_basis)}）"
        mode = "浮动，按每期报价分段" if self.lpr_floating else "固定"
        return f"{self.lpr_term.label}LPR的{_plain(self.value)}倍（{mode}）"

    def _lpr_label(self, lpr: Decimal, published: dt.date, last_published: dt.date | None = None) -> str:
        when = f"{fmt_date(published)}报价"
        if last_published is not None and last_published != published:
            when = f"{fmt_date(published)}至{fmt_date(last_published)}各期报价"
        return (
            f"{self.lpr_term.label}LPR {fmt_percent(lpr)}（{when}）×{_plain(self.value)}"
            f"＝年利率{fmt_percent(lpr * self.value)}"
        )


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


def _rate_value(value: object, kind: RateKind, field: str) -> Decimal:
    limit, label, example = _LIMITS[kind]
    rate = to_decimal(value, field, label=label)
    if rate < 0:
        raise CalculationError(field, f"{label}不能为负数。")
    if rate > limit:
        raise CalculationError(field, f"{label}{rate}明显过高，请以小数填写（例如{example}）。")
    return rate


_RATE_KEYS = ("annual_rate", "monthly_rate", "daily_rate", "lpr_multiple")
RATE_PAYLOAD_KEYS = frozenset({*_RATE_KEYS, "lpr_term", "lpr_floating", "lpr_reference_date"})


def rate_spec_from_payload(payload: Mapping[str, Any], prefix: str = "") -> RateSpec:
    """Read exactly one of ``annual_rate`` / ``monthly_rate`` / ``daily_rate`` / ``lpr_multiple``."""
    given = [key for key in _RATE_KEYS if payload.get(key) not in (None, "")]
    if not given:
        raise CalculationError(
            f"{prefix}annual_rate", "请填写利率：annual_rate、monthly_rate、daily_rate或lpr_multiple之一。"
        )
    if len(given) > 1:
        raise CalculationError(f"{prefix}{given[1]}", f"利率只能填写一种，已同时填写{'、'.join(given)}。")
    key = given[0]
    try:
        if key == "annual_rate":
            spec = RateSpec.annual(payload[key])
        elif key == "monthly_rate":
            spec = RateSpec.monthly(payload[key])
        elif key == "daily_rate":
            spec = RateSpec.daily(payload[key])
        else:
            floating = payload.get("lpr_floating", False)
            if not isinstance(floating, bool):
                raise CalculationError("lpr_floating", "lpr_floating应为true或false。")
            spec = RateSpec.lpr(
                payload[key],
                payload.get("lpr_term") or LprTerm.ONE_YEAR,
                floating=floating,
                reference_date=payload.get("lpr_reference_date"),
            )
    except CalculationError as error:
        raise CalculationError(f"{prefix}{error.field}", error.message) from None
    if key != "lpr_multiple":
        for extra in ("lpr_term", "lpr_floating", "lpr_reference_date"):
            if payload.get(extra) not in (None, "", False):
                raise CalculationError(f"{prefix}{extra}", f"{extra}只在按LPR倍数约定利率时使用。")
    return spec
