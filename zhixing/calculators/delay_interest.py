"""迟延履行期间的债务利息 (民事诉讼法第二百六十四条; 法释〔2014〕8号; 法释〔2009〕6号 for periods before 2014-08-01).

Model
-----
* The judgment's money debt other than general interest (``principal``; for instalment judgments one
  amount per instalment) becomes overdue on its 履行期间届满之日 (``due_date``). The delay runs from the
  next day up to and including the payment date / the calculation end date, so the number of days is the
  date difference ``payment_date - due_date`` (民事诉讼法第八十五条第二款、民法典第二百零一条: the first day
  is not counted; 法释〔2014〕8号第三条: interest runs "至每次履行完毕之日").
* 加倍部分债务利息 (from 2014-08-01) = unpaid money debt × 0.0175 % per day × days (第一条第三款). The daily
  rate is fixed by the interpretation, so no 360/365 convention is involved.
* Periods of 中止/暂缓执行 not requested by the debtor (第三条第三款) are given as inclusive date ranges; no
  加倍部分债务利息 accrues on those days. General interest still accrues (that paragraph covers only the
  doubled part).
* General interest (一般债务利息) is computed only if the judgment sets it (第一条第二款), with the rate and
  base the user gives; it accrues on the unpaid overdue money debt (capped at ``base`` when given).
* A payment made after 2014-07-31 is applied (第四条) to the money debt first and then to the doubled
  interest. General interest is treated as part of the judgment's money debt and, by default, paid before
  the principal (民法典第五百六十一条: 利息先于主债务); ``general_interest_first=False`` reverses that.
  Among instalments, overdue ones are paid first in order of due date (民法典第五百六十条).
* Delay days up to 2014-07-31 follow 法释〔2009〕6号 (第七条): 迟延履行期间的债务利息 = cleared money debt ×
  PBOC benchmark loan rate of the matching term × 2 × days, and a payment clears money debt and that interest
  proportionally (并还原则): the money debt cleared by a payment P is P / (1 + f), where f is the sum over the
  portion's delay days of 2 × rate / 360. The term bucket is chosen by the length of that portion's delay
  period before 2014-08-01; the rate in force on each day applies. Interest on debt still unpaid at
  2014-07-31 is fixed at that date and then treated like doubled interest (paid after the money debt).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from .errors import CalculationError
from .legal_texts import LegalBasis, basis
from .money import (
    ZERO,
    DateInput,
    MoneyInput,
    calc_localcontext,
    days_between,
    fmt_date,
    fmt_money,
    fmt_percent,
    parse_date,
    parse_int,
    parse_money,
    round_money,
    to_jsonable,
)
from .payload import check_keys, object_list, require
from .rate_spec import (
    DAY_BASES,
    RATE_PAYLOAD_KEYS,
    AnnualRatePeriod,
    RateKind,
    RateSpec,
    rate_spec_from_payload,
)
from .rates import BenchmarkTerm, RatePeriod, RateTable

__all__ = [
    "DOUBLED_DAILY_RATE",
    "DelayInterestResult",
    "DelaySegment",
    "ExcludedPeriod",
    "GeneralInterest",
    "Instalment",
    "Payment",
    "PaymentAllocation",
    "SegmentKind",
    "TrancheSummary",
    "calculate_delay_interest",
    "delay_interest_from_payload",
]

#: 日万分之一点七五 (法释〔2014〕8号第一条第三款).
DOUBLED_DAILY_RATE = Decimal("0.000175")
#: 法释〔2014〕8号 took effect on 2014-08-01; the last day under the previous rules is 2014-07-31.
RULE_2014_FIRST_DAY = dt.date(2014, 8, 1)
RULE_2009_LAST_DAY = dt.date(2014, 7, 31)
#: 法释〔2009〕6号 took effect on 2009-05-18.
RULE_2009_EFFECTIVE = dt.date(2009, 5, 18)
DAY = dt.timedelta(days=1)


# -- inputs ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Payment:
    """A payment by (or a sum collected from) the debtor on ``date``."""

    date: dt.date
    amount: Decimal
    note: str = ""


@dataclass(frozen=True)
class Instalment:
    """One instalment of an instalment judgment: ``amount`` due by ``due_date`` (履行期间届满之日)."""

    due_date: dt.date
    amount: Decimal


@dataclass(frozen=True)
class ExcludedPeriod:
    """Days ``start`` .. ``end`` (both inclusive) on which no doubled interest accrues (第三条第三款)."""

    start: dt.date
    end: dt.date
    reason: str = ""


@dataclass(frozen=True)
class GeneralInterest:
    """The judgment's own interest for the delay period (一般债务利息)."""

    rate: RateSpec
    base: Decimal | None = None
    day_basis: int = 365


# -- results -----------------------------------------------------------------------------------------


class SegmentKind(StrEnum):
    DOUBLED = "doubled"  # 加倍部分债务利息 (法释〔2014〕8号)
    EXCLUDED = "excluded"  # 不计算加倍部分债务利息的期间 (第三条第三款)
    INTEREST_2009 = "interest_2009"  # 迟延履行期间的债务利息 (法释〔2009〕6号)
    GENERAL = "general"  # 一般债务利息
    PAYMENT = "payment"  # a payment and how it was applied


@dataclass(frozen=True)
class PaymentAllocation:
    """How one payment was applied. Amounts are exact; ``rule`` is "2014" (第四条) or "2009" (并还原则)."""

    date: dt.date
    amount: Decimal
    rule: str
    to_general_interest: Decimal
    to_principal: Decimal
    to_interest_2009: Decimal
    to_doubled_interest: Decimal
    unapplied: Decimal
    principal_after: Decimal
    note: str


@dataclass(frozen=True)
class DelaySegment:
    """One row of the table. Interest rows cover ``first_day`` .. ``last_day`` (inclusive, ``days`` days).

    ``interest`` is exact; ``interest_rounded`` is for display only (totals are rounded from exact sums).
    ``daily_rate`` is the rate per day actually applied to ``base``.
    """

    kind: SegmentKind
    first_day: dt.date
    last_day: dt.date
    days: int
    base: Decimal
    daily_rate: Decimal
    rate_label: str
    interest: Decimal
    interest_rounded: Decimal
    instalments: tuple[int, ...]
    description: str
    allocation: PaymentAllocation | None = None


@dataclass(frozen=True)
class TrancheSummary:
    index: int
    due_date: dt.date
    amount: Decimal
    paid: Decimal
    outstanding: Decimal
    delay_days: int


@dataclass(frozen=True)
class DelayInterestResult:
    principal: Decimal
    end_date: dt.date
    doubled_interest: Decimal
    interest_2009: Decimal
    general_interest: Decimal | None
    total: Decimal
    paid_principal: Decimal
    paid_general_interest: Decimal
    paid_interest_2009: Decimal
    paid_doubled_interest: Decimal
    unapplied_payments: Decimal
    outstanding_principal: Decimal
    outstanding_general_interest: Decimal
    outstanding_interest_2009: Decimal
    outstanding_doubled_interest: Decimal
    outstanding_total: Decimal
    excluded_days: int
    tranches: tuple[TrancheSummary, ...]
    segments: tuple[DelaySegment, ...]
    allocations: tuple[PaymentAllocation, ...]
    doubled_interest_exact: Decimal
    interest_2009_exact: Decimal
    general_interest_exact: Decimal
    total_exact: Decimal
    outstanding_total_exact: Decimal
    legal_basis: tuple[LegalBasis, ...]
    conventions: tuple[str, ...]
    notes: tuple[str, ...]
    warnings: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = to_jsonable(self)
        return result


# -- engine ------------------------------------------------------------------------------------------


@dataclass
class _Tranche:
    index: int
    due: dt.date
    amount: Decimal
    outstanding: Decimal
    field: str


def _span(first_day: dt.date, last_day: dt.date, days: int) -> str:
    return f"{fmt_date(first_day)}至{fmt_date(last_day)}，共{days}天"


def _exact(value: Decimal) -> str:
    """A figure for a description: exact when it is a whole number of 分, else "约" + the rounded value."""
    return fmt_money(value) if value == round_money(value) else f"约{fmt_money(value)}"


def _merge_periods(periods: list[ExcludedPeriod]) -> list[ExcludedPeriod]:
    merged: list[ExcludedPeriod] = []
    for period in sorted(periods, key=lambda p: p.start):
        if merged and period.start <= merged[-1].end + DAY:
            last = merged[-1]
            reason = last.reason if period.reason in ("", last.reason) else f"{last.reason}；{period.reason}"
            merged[-1] = ExcludedPeriod(last.start, max(last.end, period.end), reason)
        else:
            merged.append(period)
    return merged


class _DelayEngine:
    def __init__(
        self,
        tranches: list[_Tranche],
        end: dt.date,
        payments: list[tuple[Payment, str]],
        excluded: list[ExcludedPeriod],
        general: GeneralInterest | None,
        general_first: bool,
        table: RateTable,
        day_basis_2009: int,
    ) -> None:
        self.tranches = sorted(tranches, key=lambda t: (t.due, t.index))
        self.end = end
        self.payments = payments
        self.excluded = _merge_periods(excluded)
        self.general = general
        self.general_first = general_first
        self.table = table
        self.basis_2009 = Decimal(day_basis_2009)
        self.first_due = min(t.due for t in tranches)
        # running balances (exact)
        self.general_due = ZERO
        self.general_total = ZERO
        self.general_paid = ZERO
        self.doubled_due = ZERO
        self.doubled_total = ZERO
        self.doubled_paid = ZERO
        self.old_due = ZERO
        self.old_total = ZERO
        self.old_paid = ZERO
        self.principal_paid = ZERO
        self.unapplied = ZERO
        self.excluded_days = 0
        self.used_2009 = False
        self.segments: list[DelaySegment] = []
        self.allocations: list[PaymentAllocation] = []
        self.notes: list[str] = []
        self.warnings: list[str] = []
        self.general_periods: list[AnnualRatePeriod] = []
        if general is not None and end > self.first_due:
            self.general_periods = general.rate.periods(
                self.first_due + DAY,
                end,
                table,
                day_basis=general.day_basis,
                default_reference=self.first_due,
                field="general_interest",
            )

    # -- helpers -------------------------------------------------------------------------------------

    def _excluded_reason(self, first_day: dt.date, last_day: dt.date) -> str | None:
        for period in self.excluded:
            if period.start <= first_day and last_day <= period.end:
                return period.reason or "非因被执行人申请的中止或者暂缓执行"
        return None

    def _general_rate(self, first_day: dt.date) -> AnnualRatePeriod:
        for period in self.general_periods:
            if period.first_day <= first_day <= period.last_day:
                return period
        raise AssertionError("general interest period not found")  # pragma: no cover

    def _overdue(self, after: dt.date) -> list[_Tranche]:
        """Tranches already overdue on the day after ``after`` (due on or before ``after``) and unpaid."""
        return [t for t in self.tranches if t.due <= after and t.outstanding > 0]

    def _add(
        self,
        kind: SegmentKind,
        first_day: dt.date,
        last_day: dt.date,
        base: Decimal,
        daily_rate: Decimal,
        rate_label: str,
        interest: Decimal,
        tranches: Sequence[_Tranche],
        description: str,
        allocation: PaymentAllocation | None = None,
    ) -> None:
        self.segments.append(
            DelaySegment(
                kind=kind,
                first_day=first_day,
                last_day=last_day,
                days=days_between(first_day, last_day) + 1 if kind is not SegmentKind.PAYMENT else 0,
                base=base,
                daily_rate=daily_rate,
                rate_label=rate_label,
                interest=interest,
                interest_rounded=round_money(interest),
                instalments=tuple(t.index for t in tranches),
                description=description,
                allocation=allocation,
            )
        )

    def _label(self, tranches: Sequence[_Tranche]) -> str:
        if len(self.tranches) == 1:
            return "尚未清偿的金钱债务"
        numbers = "、".join(str(t.index) for t in tranches)
        return f"第{numbers}期尚未清偿的金钱债务"

    # -- the sweep -----------------------------------------------------------------------------------

    def run(self) -> None:
        start = min([self.first_due, *(p.date for p, _ in self.payments)])
        points = {start, self.end}
        points.update(t.due for t in self.tranches if start < t.due < self.end)
        points.update(p.date for p, _ in self.payments)
        if start < RULE_2009_LAST_DAY < self.end:
            points.add(RULE_2009_LAST_DAY)
        for period in self.excluded:
            for point in (period.start - DAY, period.end):
                if start < point < self.end:
                    points.add(point)
        for rate_period in self.general_periods:
            if start < rate_period.last_day < self.end:
                points.add(rate_period.last_day)
        ordered = sorted(points)
        previous = ordered[0]
        for point in ordered:
            if point > previous:
                self._accrue(previous, point)
            self._events(point)
            previous = point

    def _accrue(self, after: dt.date, until: dt.date) -> None:
        """Interest for the days after ``after`` up to and including ``until`` (a constant-state interval)."""
        days = days_between(after, until)
        first_day = after + DAY
        overdue = self._overdue(after)
        base = sum((t.outstanding for t in overdue), ZERO)
        if base == 0:
            return
        if self.general is not None:
            general_base = base if self.general.base is None else min(base, self.general.base)
            rate = self._general_rate(first_day)
            day_basis = Decimal(self.general.day_basis)
            interest = general_base * rate.annual_rate * days / day_basis
            self.general_due += interest
            self.general_total += interest
            self._add(
                SegmentKind.GENERAL,
                first_day,
                until,
                general_base,
                rate.annual_rate / day_basis,
                rate.label,
                interest,
                overdue,
                f"{_span(first_day, until, days)}：一般债务利息＝{_exact(general_base)}×{rate.label}"
                f"÷{self.general.day_basis}×{days}天＝{_exact(interest)}",
            )
        if after < RULE_2009_LAST_DAY:
            if self._excluded_reason(first_day, until) is not None:
                self.warnings.append(
                    f"{_span(first_day, until, days)}属于填写的中止/暂缓执行期间，但在2014年8月1日之前："
                    "法释〔2014〕8号第三条第三款不溯及该期间，已按法释〔2009〕6号照常计算，请法官审核。"
                )
            return  # handled per portion by the 2009 method (payments, 2014-07-31 or end date)
        reason = self._excluded_reason(first_day, until)
        if reason is not None:
            self.excluded_days += days
            self._add(
                SegmentKind.EXCLUDED,
                first_day,
                until,
                base,
                ZERO,
                "不计算",
                ZERO,
                overdue,
                f"{_span(first_day, until, days)}：{reason}期间，依法释〔2014〕8号第三条第三款不计算加倍部分债务利息",
            )
            return
        interest = base * DOUBLED_DAILY_RATE * days
        self.doubled_due += interest
        self.doubled_total += interest
        self._add(
            SegmentKind.DOUBLED,
            first_day,
            until,
            base,
            DOUBLED_DAILY_RATE,
            "日万分之一点七五",
            interest,
            overdue,
            f"{_span(first_day, until, days)}：加倍部分债务利息＝{self._label(overdue)}{_exact(base)}"
            f"×0.0175%×{days}天＝{_exact(interest)}",
        )

    def _events(self, point: dt.date) -> None:
        for payment, field in self.payments:
            if payment.date == point:
                if point <= RULE_2009_LAST_DAY:
                    self._pay_2009(payment, field)
                else:
                    self._pay_2014(payment)
        if point == RULE_2009_LAST_DAY and self.end > point:
            self._fix_2009_interest(point, "截至2014年7月31日")
        if point == self.end and point <= RULE_2009_LAST_DAY:
            self._fix_2009_interest(point, f"截至计算截止日{fmt_date(point)}")

    # -- 法释〔2009〕6号 -------------------------------------------------------------------------------

    def _factor_rows(self, tranche: _Tranche, until: dt.date) -> tuple[BenchmarkTerm, list[RatePeriod]]:
        term = BenchmarkTerm.for_period(tranche.due, until)
        periods = self.table.benchmark_periods(tranche.due + DAY, until, term, field=tranche.field)
        self.used_2009 = True
        return term, periods

    def _factor(self, periods: list[RatePeriod]) -> Decimal:
        return sum(
            (p.rate * 2 * (days_between(p.first_day, p.last_day) + 1) / self.basis_2009 for p in periods),
            ZERO,
        )

    def _add_2009_rows(
        self, tranche: _Tranche, cleared: Decimal, term: BenchmarkTerm, periods: list[RatePeriod], what: str
    ) -> Decimal:
        total = ZERO
        for period in periods:
            days = days_between(period.first_day, period.last_day) + 1
            interest = cleared * period.rate * 2 * days / self.basis_2009
            total += interest
            self._add(
                SegmentKind.INTEREST_2009,
                period.first_day,
                period.last_day,
                cleared,
                period.rate * 2 / self.basis_2009,
                f"同期贷款基准利率（{term.label}）{fmt_percent(period.rate)}×2",
                interest,
                [tranche],
                f"{_span(period.first_day, period.last_day, days)}：{what}{_exact(cleared)}×基准利率"
                f"{fmt_percent(period.rate)}（{term.label}，{fmt_date(period.published)}起执行）×2"
                f"÷{self.basis_2009}×{days}天＝{_exact(interest)}",
            )
        return total

    def _pay_2009(self, payment: Payment, field: str) -> None:
        remaining = payment.amount
        to_general = to_principal = to_old = ZERO
        if self.general_first:
            to_general, remaining = self._pay_general(remaining)
        for tranche in self.tranches:
            if remaining == 0:
                break
            if tranche.outstanding == 0:
                continue
            if tranche.due < payment.date:
                term, periods = self._factor_rows(tranche, payment.date)
                factor = self._factor(periods)
                if remaining >= tranche.outstanding * (1 + factor):
                    cleared = tranche.outstanding
                    interest = self._add_2009_rows(tranche, cleared, term, periods, "本次付款清偿的金钱债务")
                    remaining -= cleared + interest
                else:
                    cleared = remaining / (1 + factor)
                    interest = self._add_2009_rows(tranche, cleared, term, periods, "本次付款清偿的金钱债务")
                    remaining = ZERO
                self.old_total += interest
                self.old_paid += interest
                to_old += interest
            else:
                cleared = min(remaining, tranche.outstanding)
                remaining -= cleared
            tranche.outstanding -= cleared
            to_principal += cleared
        self.principal_paid += to_principal
        if not self.general_first:
            paid, remaining = self._pay_general(remaining)
            to_general += paid
        self._record_payment(payment, "2009", to_general, to_principal, to_old, ZERO, remaining)

    def _fix_2009_interest(self, until: dt.date, when: str) -> None:
        for tranche in self.tranches:
            if tranche.outstanding > 0 and tranche.due < until:
                term, periods = self._factor_rows(tranche, until)
                interest = self._add_2009_rows(
                    tranche, tranche.outstanding, term, periods, f"{when}尚未清偿的金钱债务"
                )
                self.old_total += interest
                self.old_due += interest

    # -- 法释〔2014〕8号第四条 -------------------------------------------------------------------------

    def _pay_general(self, remaining: Decimal) -> tuple[Decimal, Decimal]:
        paid = min(remaining, self.general_due)
        self.general_due -= paid
        self.general_paid += paid
        return paid, remaining - paid

    def _pay_2014(self, payment: Payment) -> None:
        remaining = payment.amount
        to_general = to_principal = ZERO
        if self.general_first:
            to_general, remaining = self._pay_general(remaining)
        for tranche in self.tranches:  # overdue instalments first, by due date, then the rest
            cleared = min(remaining, tranche.outstanding)
            tranche.outstanding -= cleared
            remaining -= cleared
            to_principal += cleared
        self.principal_paid += to_principal
        if not self.general_first:
            paid, remaining = self._pay_general(remaining)
            to_general += paid
        to_old = min(remaining, self.old_due)
        self.old_due -= to_old
        self.old_paid += to_old
        remaining -= to_old
        to_doubled = min(remaining, self.doubled_due)
        self.doubled_due -= to_doubled
        self.doubled_paid += to_doubled
        remaining -= to_doubled
        self._record_payment(payment, "2014", to_general, to_principal, to_old, to_doubled, remaining)

    def _record_payment(
        self,
        payment: Payment,
        rule: str,
        to_general: Decimal,
        to_principal: Decimal,
        to_old: Decimal,
        to_doubled: Decimal,
        unapplied: Decimal,
    ) -> None:
        self.unapplied += unapplied
        principal_after = sum((t.outstanding for t in self.tranches), ZERO)
        debt = f"金钱债务{_exact(to_principal)}（剩余{_exact(principal_after)}）"
        general = f"一般债务利息{_exact(to_general)}" if self.general is not None else ""
        if rule == "2009":
            body = f"依法释〔2009〕6号并还原则按比例清偿{debt}和迟延履行期间的债务利息{_exact(to_old)}"
            if general and self.general_first:
                body = f"先清偿{general}（民法典第五百六十一条），再{body}"
            elif general:
                body = f"{body}，再清偿{general}"
        else:
            parts = [general] if general and self.general_first else []
            parts.append(debt)
            if general and not self.general_first:
                parts.append(general)
            if to_old or self.old_due or self.old_total:
                parts.append(f"2014年8月1日前的迟延履行期间债务利息{_exact(to_old)}")
            parts.append(f"加倍部分债务利息{_exact(to_doubled)}")
            body = "依法释〔2014〕8号第四条，先清偿金钱债务、再清偿加倍部分债务利息，依次冲抵：" + "，".join(
                parts
            )
        note = f"{fmt_date(payment.date)}付款{fmt_money(payment.amount)}：{body}"
        if unapplied > 0:
            note += f"；超出应付总额{_exact(unapplied)}未予冲抵"
            self.warnings.append(
                f"{fmt_date(payment.date)}的付款超出当时全部应付款项{_exact(unapplied)}，超出部分未计入清偿。"
            )
        if payment.note:
            note += f"（{payment.note}）"
        allocation = PaymentAllocation(
            date=payment.date,
            amount=payment.amount,
            rule=rule,
            to_general_interest=to_general,
            to_principal=to_principal,
            to_interest_2009=to_old,
            to_doubled_interest=to_doubled,
            unapplied=unapplied,
            principal_after=principal_after,
            note=note,
        )
        self.allocations.append(allocation)
        self._add(
            SegmentKind.PAYMENT,
            payment.date,
            payment.date,
            payment.amount,
            ZERO,
            "",
            ZERO,
            [],
            note,
            allocation,
        )


# -- public API --------------------------------------------------------------------------------------


def _tranches(
    principal: MoneyInput | None,
    due_date: DateInput | None,
    instalments: Sequence[Instalment | Mapping[str, Any]] | None,
) -> list[_Tranche]:
    if instalments:
        if principal is not None or due_date is not None:
            raise CalculationError(
                "instalments",
                "分期履行的，请只填写各期金额和履行期间届满日，不要同时填写principal和due_date。",
            )
        result = []
        for index, item in enumerate(instalments):
            prefix = f"instalments[{index}]"
            if isinstance(item, Instalment):
                due_value: object = item.due_date
                amount_value: object = item.amount
            else:
                check_keys(item, {"due_date", "amount"}, f"{prefix}.")
                due_value = require(item, "due_date", "该期履行期间届满日", f"{prefix}.")
                amount_value = require(item, "amount", "该期金额", f"{prefix}.")
            due = parse_date(due_value, f"{prefix}.due_date", label="履行期间届满日")
            amount = parse_money(amount_value, f"{prefix}.amount", label="该期金额")
            result.append(_Tranche(index + 1, due, amount, amount, f"{prefix}.due_date"))
        return result
    if principal is None:
        raise CalculationError("principal", "请填写生效法律文书确定的金钱债务（除一般债务利息外）。")
    if due_date is None:
        raise CalculationError("due_date", "请填写履行期间届满之日。")
    amount = parse_money(principal, "principal", label="金钱债务")
    due = parse_date(due_date, "due_date", label="履行期间届满之日")
    return [_Tranche(1, due, amount, amount, "due_date")]


def calculate_delay_interest(
    *,
    end_date: DateInput,
    principal: MoneyInput | None = None,
    due_date: DateInput | None = None,
    instalments: Sequence[Instalment | Mapping[str, Any]] | None = None,
    payments: Sequence[Payment] = (),
    excluded_periods: Sequence[ExcludedPeriod] = (),
    general_interest: GeneralInterest | None = None,
    general_interest_first: bool = True,
    rate_table: RateTable | None = None,
    day_basis_2009: int = 360,
) -> DelayInterestResult:
    """Compute 迟延履行期间的债务利息 up to ``end_date`` (inclusive). See the module docstring.

    Give either ``principal`` + ``due_date`` or ``instalments``. ``payments`` may include sums paid before
    the due date (they reduce the debt, without interest). Raises :class:`CalculationError` on bad input.
    """
    with calc_localcontext():
        table = rate_table or RateTable.default()
        tranches = _tranches(principal, due_date, instalments)
        end = parse_date(end_date, "end_date", label="计算截止日")
        first_due = min(t.due for t in tranches)
        if end < first_due:
            raise CalculationError("end_date", "计算截止日不得早于履行期间届满之日。")
        checked_payments: list[tuple[Payment, str]] = []
        for index, payment in enumerate(payments):
            field = f"payments[{index}]"
            day = parse_date(payment.date, f"{field}.date", label="付款日期")
            amount = parse_money(payment.amount, f"{field}.amount", label="付款金额")
            if day > end:
                raise CalculationError(
                    f"{field}.date", f"付款日期{fmt_date(day)}晚于计算截止日{fmt_date(end)}。"
                )
            checked_payments.append((Payment(day, amount, payment.note), f"{field}.date"))
        checked_payments.sort(key=lambda item: item[0].date)
        periods: list[ExcludedPeriod] = []
        for index, period in enumerate(excluded_periods):
            field = f"excluded_periods[{index}]"
            start = parse_date(period.start, f"{field}.start", label="起始日")
            stop = parse_date(period.end, f"{field}.end", label="结束日")
            if stop < start:
                raise CalculationError(f"{field}.end", "不计息期间的结束日不得早于起始日。")
            periods.append(ExcludedPeriod(start, stop, period.reason.strip()))
        if general_interest is not None:
            if general_interest.day_basis not in DAY_BASES:
                raise CalculationError("general_interest.day_basis", "每年天数只能为360或365。")
            if general_interest.base is not None:
                general_interest = GeneralInterest(
                    general_interest.rate,
                    parse_money(
                        general_interest.base, "general_interest.base", label="一般债务利息的计算基数"
                    ),
                    general_interest.day_basis,
                )
        if day_basis_2009 not in DAY_BASES:
            raise CalculationError("day_basis_2009", "每年天数只能为360或365。")

        engine = _DelayEngine(
            tranches,
            end,
            checked_payments,
            periods,
            general_interest,
            general_interest_first,
            table,
            day_basis_2009,
        )
        engine.run()
        return _result(engine, tranches, end, periods)


def _result(
    engine: _DelayEngine, tranches: list[_Tranche], end: dt.date, periods: list[ExcludedPeriod]
) -> DelayInterestResult:
    general = engine.general
    total_exact = engine.doubled_total + engine.old_total + engine.general_total
    outstanding_principal = sum((t.outstanding for t in tranches), ZERO)
    outstanding_total = outstanding_principal + engine.general_due + engine.old_due + engine.doubled_due
    keys = ["cpl_264", "di2014_1", "di2014_2", "di2014_3", "di2014_4", "cpli_504", "cpl_85", "cc_201"]
    if engine.used_2009:
        keys += ["di2014_7", "di2009_1", "di2009_2", "di2009_method"]
    if len(tranches) > 1:
        keys.append("cc_560")
    if general is not None:
        keys.append("cc_561")

    conventions = [
        "迟延履行期间自履行期间届满之日的次日起算，计至付款日（或计算截止日）当日，天数＝付款日－履行期间届满之日"
        "（民事诉讼法第八十五条第二款、民法典第二百零一条：期间开始的当日不计入；法释〔2014〕8号第三条：计算至每次履行完毕之日）。",
        "加倍部分债务利息＝尚未清偿的金钱债务×日万分之一点七五（0.0175%）×天数；日利率由司法解释直接规定，不涉及按360天或365天折算。",
        "“金钱债务”指生效法律文书确定的除一般债务利息之外的全部金钱给付（本金、履行期届满前已确定的利息、违约金、"
        "由被执行人负担的诉讼费用等），由使用者按生效法律文书填写。",
        "付款当日仍计入迟延期间，当日计息后再以付款冲抵；付款冲抵顺序：" + _order_text(engine),
        "中止或者暂缓执行期间按填写的起止日计算，起止两日均不计算加倍部分债务利息；该期间内一般债务利息照常计算。",
        "各段利息保留精确值，只对合计金额四舍五入到分；表中各段的显示值已四舍五入，其和与合计可能相差几分。",
    ]
    if len(tranches) > 1:
        conventions.append(
            "分期履行的，各期自本期履行期间届满之日的次日起算；付款先冲抵已到期各期（按届满先后），再冲抵未到期各期（民法典第五百六十条）。"
        )
    if general is not None:
        conventions.append(
            f"一般债务利息按生效法律文书确定的方法计算：{general.rate.label(general.day_basis)}，"
            f"每日利息＝年利率÷{general.day_basis}，计算基数为尚未清偿的已到期金钱债务"
            + (f"（以{fmt_money(general.base)}为限）" if general.base is not None else "")
            + "；该利息不适用法释〔2014〕8号第三条第三款的不计息期间。"
        )
        if general.rate.kind is RateKind.LPR and not general.rate.lpr_floating:
            reference = general.rate.lpr_reference_date or engine.first_due
            conventions.append(
                f"一般债务利息的LPR固定取{fmt_date(reference)}适用的报价"
                "（未指定参照日的，取履行期间届满之日）；生效法律文书规定按各期LPR浮动的，应选择浮动。"
            )
    notes: list[str] = []
    if general is None:
        notes.append(
            "生效法律文书未确定给付迟延履行期间的一般债务利息，依法释〔2014〕8号第一条第二款不予计算。"
        )
    notes.append(
        "法释〔2014〕8号第一条所称“民事诉讼法第二百五十三条”即现行民事诉讼法（2023年修正）第二百六十四条。"
    )
    if engine.used_2009:
        conventions.append(
            f"2014年8月1日前的迟延履行期间依法释〔2014〕8号第七条按法释〔2009〕6号计算：清偿的金钱债务×同期贷款基准利率×2×天数，"
            f"日利率＝年利率÷{engine.basis_2009}（人民银行计息惯例）；“同期”按该部分债务在2014年8月1日前的迟延期间长度确定期限档次，"
            "期间内基准利率调整的，分段适用调整后的利率。"
        )
        conventions.append(
            "2014年8月1日前的付款按并还原则按比例清偿：清偿的金钱债务＝付款额÷（1＋系数），系数＝各日“基准利率×2÷"
            f"{engine.basis_2009}”之和；截至2014年7月31日仍未清偿部分的该项利息在当日结算，此后与加倍部分债务利息一并在金钱债务之后清偿。"
        )
        if engine.first_due < RULE_2009_EFFECTIVE:
            engine.warnings.append(
                "迟延履行期间有一部分早于法释〔2009〕6号施行日（2009年5月18日），当时的计算规则可能不同，"
                "本工具统一按法释〔2009〕6号的方法计算，请法官审核。"
            )
        if general is not None:
            engine.warnings.append(
                "2014年8月1日前的期间同时计算了一般债务利息和按法释〔2009〕6号计算的迟延履行期间债务利息（基准利率×2），"
                "两者是否重叠、是否应当扣减，请法官依生效法律文书审核。"
            )
    late = [t for t in tranches if t.due >= end]
    if late and len(tranches) > 1:
        notes.append(
            "第"
            + "、".join(str(t.index) for t in late)
            + "期的履行期间至计算截止日尚未届满（或当日届满），不计算迟延履行利息。"
        )
    for period in periods:
        if period.end <= engine.first_due or period.start > end:
            notes.append(
                f"不计息期间{fmt_date(period.start)}至{fmt_date(period.end)}不在迟延履行期间内，未产生影响。"
            )

    summaries = tuple(
        TrancheSummary(
            index=t.index,
            due_date=t.due,
            amount=t.amount,
            paid=t.amount - t.outstanding,
            outstanding=t.outstanding,
            delay_days=max(0, days_between(t.due, end)),
        )
        for t in sorted(tranches, key=lambda t: t.index)
    )
    return DelayInterestResult(
        principal=sum((t.amount for t in tranches), ZERO),
        end_date=end,
        doubled_interest=round_money(engine.doubled_total),
        interest_2009=round_money(engine.old_total),
        general_interest=None if general is None else round_money(engine.general_total),
        total=round_money(total_exact),
        paid_principal=round_money(engine.principal_paid),
        paid_general_interest=round_money(engine.general_paid),
        paid_interest_2009=round_money(engine.old_paid),
        paid_doubled_interest=round_money(engine.doubled_paid),
        unapplied_payments=round_money(engine.unapplied),
        outstanding_principal=round_money(outstanding_principal),
        outstanding_general_interest=round_money(engine.general_due),
        outstanding_interest_2009=round_money(engine.old_due),
        outstanding_doubled_interest=round_money(engine.doubled_due),
        outstanding_total=round_money(outstanding_total),
        excluded_days=engine.excluded_days,
        tranches=summaries,
        segments=tuple(engine.segments),
        allocations=tuple(engine.allocations),
        doubled_interest_exact=engine.doubled_total,
        interest_2009_exact=engine.old_total,
        general_interest_exact=engine.general_total,
        total_exact=total_exact,
        outstanding_total_exact=outstanding_total,
        legal_basis=tuple(basis(*keys)),
        conventions=tuple(conventions),
        notes=tuple(notes),
        warnings=tuple(engine.warnings),
    )


def _order_text(engine: _DelayEngine) -> str:
    if engine.general is None:
        return "先清偿金钱债务，再清偿加倍部分债务利息（法释〔2014〕8号第四条）。"
    if engine.general_first:
        return (
            "一般债务利息属于生效法律文书确定的金钱债务，先于本金清偿（民法典第五百六十一条），"
            "再清偿其余金钱债务，最后清偿加倍部分债务利息（法释〔2014〕8号第四条）。"
        )
    return "先清偿除一般债务利息外的金钱债务，再清偿一般债务利息，最后清偿加倍部分债务利息（法释〔2014〕8号第四条）。"


# -- payload adapter ---------------------------------------------------------------------------------

_TOP_KEYS = {
    "principal",
    "due_date",
    "end_date",
    "instalments",
    "payments",
    "excluded_periods",
    "general_interest",
    "general_interest_first",
    "day_basis_2009",
}


def _int(value: object, field: str) -> int:
    return parse_int(value, field, label="每年天数", low=360, high=365)


def delay_interest_from_payload(
    payload: Mapping[str, Any], *, rate_table: RateTable | None = None
) -> DelayInterestResult:
    """Adapter for the JSON body of the delay-interest API (shape documented in this package's README.md)."""
    check_keys(payload, _TOP_KEYS)
    payments = []
    for index, item in enumerate(object_list(payload, "payments")):
        prefix = f"payments[{index}]."
        check_keys(item, {"date", "amount", "note"}, prefix)
        payments.append(
            Payment(
                parse_date(require(item, "date", "付款日期", prefix), f"{prefix}date", label="付款日期"),
                parse_money(require(item, "amount", "付款金额", prefix), f"{prefix}amount", label="付款金额"),
                str(item.get("note") or ""),
            )
        )
    periods = []
    for index, item in enumerate(object_list(payload, "excluded_periods")):
        prefix = f"excluded_periods[{index}]."
        check_keys(item, {"start", "end", "reason"}, prefix)
        periods.append(
            ExcludedPeriod(
                parse_date(require(item, "start", "起始日", prefix), f"{prefix}start", label="起始日"),
                parse_date(require(item, "end", "结束日", prefix), f"{prefix}end", label="结束日"),
                str(item.get("reason") or ""),
            )
        )
    general: GeneralInterest | None = None
    raw_general = payload.get("general_interest")
    if raw_general is not None:
        prefix = "general_interest."
        check_keys(raw_general, {*RATE_PAYLOAD_KEYS, "base", "day_basis"}, prefix)
        base_value = raw_general.get("base")
        general = GeneralInterest(
            rate=rate_spec_from_payload(raw_general, prefix),
            base=None
            if base_value in (None, "")
            else parse_money(base_value, f"{prefix}base", label="计算基数"),
            day_basis=_int(raw_general.get("day_basis", 365), f"{prefix}day_basis"),
        )
    general_first = payload.get("general_interest_first", True)
    if not isinstance(general_first, bool):
        raise CalculationError("general_interest_first", "应为true或false。")
    instalments = object_list(payload, "instalments")
    if not payload.get("end_date"):
        raise CalculationError("end_date", "请填写计算截止日。")
    return calculate_delay_interest(
        end_date=payload["end_date"],
        principal=payload.get("principal"),
        due_date=payload.get("due_date"),
        instalments=instalments or None,
        payments=payments,
        excluded_periods=periods,
        general_interest=general,
        general_interest_first=general_first,
        rate_table=rate_table,
        day_basis_2009=_int(payload.get("day_basis_2009", 360), "day_basis_2009"),
    )
