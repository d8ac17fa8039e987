"""借贷利息: interest on a loan by segment, with the legality check of the agreed rate.

Day count: interest runs from the start date up to the day before the end date ("算头不算尾"), so the
number of days is ``end_date - start_date``; one day's interest is ``annual rate / 365`` by default. 365 is
used because the legal caps and LPR quotes are annual rates over calendar days: a full (non-leap) year then
yields exactly the annual rate, whereas the PBOC deposit/loan book-keeping convention (``/360``) would yield
365/360 of it. ``day_basis=360`` is available when a contract or judgment prescribes it.

Caps (民间借贷规定):
* contract formed before 2020-08-20: 2015 规定第二十六条 — up to 24 % a year is supported; above 36 % the
  excess is void; 24–36 % is not supported by the court but, once paid voluntarily, need not be returned
  (第三十一条). For cases accepted from 2020-08-20 on, the 2020 规定第三十一条第二款 splits the period:
  interest up to 2020-08-19 keeps the 24 % / 36 % rule; interest from 2020-08-20 is capped at four times the
  1-year LPR at the time of filing (起诉时). Without a filing date the end date stands in for it (with a
  warning); with a filing date before 2020-08-20 the old rule covers the whole period.
* contract formed on or after 2020-08-20: four times the 1-year LPR in force when the contract was formed
  (2020 规定第二十五条).

Two computations are returned: at the agreed rate, and at the supported rate (the lower of the agreed
rate and the cap, day by day). Repayments are applied in each computation to interest first, then principal
(民法典第五百六十一条), unless ``repayment_order="principal_first"``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Mapping, Sequence
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
from .rates import LprTerm, RateTable

__all__ = [
    "CapPeriod",
    "LoanInterestResult",
    "LoanRepaymentAllocation",
    "LoanSegment",
    "LoanTrack",
    "Repayment",
    "RepaymentOrder",
    "calculate_loan_interest",
    "legal_cap_periods",
    "loan_interest_from_payload",
]

NEW_RULE_DATE = dt.date(2020, 8, 20)
RULE_2015_EFFECTIVE = dt.date(2015, 9, 1)
CAP_2015 = Decimal("0.24")
VOID_2015 = Decimal("0.36")
LPR_CAP_MULTIPLE = Decimal(4)
DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Repayment:
    date: dt.date
    amount: Decimal
    note: str = ""


class RepaymentOrder(StrEnum):
    INTEREST_FIRST = "interest_first"
    PRINCIPAL_FIRST = "principal_first"


@dataclass(frozen=True)
class CapPeriod:
    """The protection cap for interest days ``first_day`` .. ``last_day`` (inclusive)."""

    first_day: dt.date
    last_day: dt.date
    cap_rate: Decimal
    void_rate: Decimal | None
    rule: str
    cap_label: str
    description: str


@dataclass(frozen=True)
class LoanSegment:
    """Interest days ``first_day`` .. ``last_day`` (inclusive) on ``principal`` at ``annual_rate``.

    ``interest`` is exact; ``supported_interest`` is the interest at ``min(annual_rate, cap_rate)`` on the same
    principal and ``excess`` the difference. ``interest_rounded`` is for display only.
    """

    first_day: dt.date
    last_day: dt.date
    days: int
    principal: Decimal
    annual_rate: Decimal
    rate_label: str
    interest: Decimal
    interest_rounded: Decimal
    cap_rate: Decimal
    void_rate: Decimal | None
    supported_interest: Decimal
    excess: Decimal
    description: str


@dataclass(frozen=True)
class LoanRepaymentAllocation:
    date: dt.date
    amount: Decimal
    to_interest: Decimal
    to_principal: Decimal
    unapplied: Decimal
    principal_after: Decimal
    interest_unpaid_after: Decimal
    note: str


@dataclass(frozen=True)
class LoanTrack:
    """One full computation (``name``: "agreed" = at the agreed rate, "supported" = capped)."""

    name: str
    title: str
    interest: Decimal
    interest_exact: Decimal
    paid_interest: Decimal
    paid_principal: Decimal
    outstanding_principal: Decimal
    outstanding_interest: Decimal
    outstanding_total: Decimal
    unapplied_repayments: Decimal
    segments: tuple[LoanSegment, ...]
    repayments: tuple[LoanRepaymentAllocation, ...]


@dataclass(frozen=True)
class LoanInterestResult:
    principal: Decimal
    start_date: dt.date
    end_date: dt.date
    contract_date: dt.date
    filing_date: dt.date | None
    days: int
    day_basis: int
    rate_label: str
    interest: Decimal
    interest_exact: Decimal
    legal_cap_rate: Decimal
    legal_cap_label: str
    void_rate: Decimal | None
    exceeds_cap: bool
    supported_interest: Decimal
    excess_interest: Decimal
    void_interest: Decimal | None
    outstanding_principal: Decimal
    outstanding_interest: Decimal
    outstanding_total: Decimal
    cap_periods: tuple[CapPeriod, ...]
    segments: tuple[LoanSegment, ...]
    repayments: tuple[LoanRepaymentAllocation, ...]
    agreed: LoanTrack
    supported: LoanTrack
    legal_basis: tuple[LegalBasis, ...]
    conventions: tuple[str, ...]
    notes: tuple[str, ...]
    warnings: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = to_jsonable(self)
        return result


def _exact(value: Decimal) -> str:
    """A figure for a description: exact when it is a whole number of 分, else "约" + the rounded value."""
    return fmt_money(value) if value == round_money(value) else f"约{fmt_money(value)}"


# -- caps --------------------------------------------------------------------------------------------


def legal_cap_periods(
    contract_date: dt.date,
    first_day: dt.date,
    last_day: dt.date,
    *,
    filing_date: dt.date | None,
    end_date: dt.date,
    table: RateTable,
    warnings: list[str] | None = None,
) -> list[CapPeriod]:
    """The cap(s) for interest days ``first_day`` .. ``last_day`` of a loan formed on ``contract_date``."""
    if last_day < first_day:
        last_day = first_day  # no interest days: still report the cap that would apply
    if contract_date >= NEW_RULE_DATE:
        quote = table.lpr_on(contract_date, LprTerm.ONE_YEAR, field="contract_date")
        cap = quote.rate * LPR_CAP_MULTIPLE
        label = (
            f"合同成立时（{fmt_date(contract_date)}）一年期LPR {fmt_percent(quote.rate)}"
            f"（{fmt_date(quote.published)}报价）的四倍即年利率{fmt_percent(cap)}"
        )
        text = f"受保护的利率上限为{label}（民间借贷规定第二十五条）"
        return [CapPeriod(first_day, last_day, cap, None, "2020", label, text)]
    old_label = "年利率24%"
    old_text = (
        "年利率24%以内受保护；超过年利率24%、不超过36%的部分不予支持，但借款人已自愿支付的不得请求返还；"
        "超过年利率36%的部分约定无效（2015年民间借贷规定第二十六条、第三十一条）"
    )
    if (filing_date is not None and filing_date < NEW_RULE_DATE) or last_day < NEW_RULE_DATE:
        return [CapPeriod(first_day, last_day, CAP_2015, VOID_2015, "2015", old_label, old_text)]
    reference = filing_date or end_date
    field = "filing_date" if filing_date is not None else "end_date"
    quote = table.lpr_on(reference, LprTerm.ONE_YEAR, field=field)
    cap = quote.rate * LPR_CAP_MULTIPLE
    if filing_date is None and warnings is not None:
        warnings.append(
            "借贷合同成立于2020年8月20日之前，2020年8月20日以后的利息应以起诉时一年期LPR的四倍为上限"
            f"（民间借贷规定第三十一条第二款）；未填写起诉日期，暂以计算截止日{fmt_date(end_date)}的LPR代替，请核实。"
        )
    new_label = (
        f"起诉时（{fmt_date(reference)}）一年期LPR {fmt_percent(quote.rate)}（{fmt_date(quote.published)}报价）"
        f"的四倍即年利率{fmt_percent(cap)}"
    )
    new_text = f"2020年8月20日以后的利息以{new_label}为上限（民间借贷规定第三十一条第二款）"
    result = []
    if first_day < NEW_RULE_DATE:
        old_last = min(last_day, NEW_RULE_DATE - DAY)
        result.append(CapPeriod(first_day, old_last, CAP_2015, VOID_2015, "2015", old_label, old_text))
    result.append(CapPeriod(max(first_day, NEW_RULE_DATE), last_day, cap, None, "2020", new_label, new_text))
    return result


# -- engine ------------------------------------------------------------------------------------------


@dataclass
class _Interval:
    start: dt.date  # first interest day
    stop: dt.date  # first day not counted (exclusive)
    rate: AnnualRatePeriod
    cap: CapPeriod

    @property
    def days(self) -> int:
        return days_between(self.start, self.stop)


class _Track:
    def __init__(
        self,
        principal: Decimal,
        day_basis: int,
        order: RepaymentOrder,
        rate_of: Callable[[_Interval], Decimal],
        label_of: Callable[[_Interval], str],
    ) -> None:
        self.principal = principal
        self.basis = Decimal(day_basis)
        self.order = order
        self.rate_of = rate_of
        self.label_of = label_of
        self.interest_due = ZERO
        self.interest_total = ZERO
        self.paid_interest = ZERO
        self.paid_principal = ZERO
        self.unapplied = ZERO
        self.segments: list[LoanSegment] = []
        self.repayments: list[LoanRepaymentAllocation] = []
        self.warnings: list[str] = []

    def accrue(self, interval: _Interval) -> None:
        days = interval.days
        if days <= 0 or self.principal == 0:
            return
        rate = self.rate_of(interval)
        interest = self.principal * rate * days / self.basis
        supported_rate = min(rate, interval.cap.cap_rate)
        supported = self.principal * supported_rate * days / self.basis
        self.interest_due += interest
        self.interest_total += interest
        last = interval.stop - DAY
        label = self.label_of(interval)
        text = (
            f"{fmt_date(interval.start)}至{fmt_date(last)}，共{days}天：{fmt_money(self.principal)}×{label}"
            f"÷{self.basis}×{days}天＝{_exact(interest)}"
        )
        if rate > interval.cap.cap_rate:
            text += (
                f"；超过上限年利率{fmt_percent(interval.cap.cap_rate)}的部分{_exact(interest - supported)}"
            )
        self.segments.append(
            LoanSegment(
                first_day=interval.start,
                last_day=last,
                days=days,
                principal=self.principal,
                annual_rate=rate,
                rate_label=label,
                interest=interest,
                interest_rounded=round_money(interest),
                cap_rate=interval.cap.cap_rate,
                void_rate=interval.cap.void_rate,
                supported_interest=supported,
                excess=interest - supported,
                description=text,
            )
        )

    def repay(self, repayment: Repayment) -> None:
        remaining = repayment.amount
        to_interest = to_principal = ZERO
        for part in (
            ("interest", "principal")
            if self.order is RepaymentOrder.INTEREST_FIRST
            else ("principal", "interest")
        ):
            if part == "interest":
                to_interest = min(remaining, self.interest_due)
                self.interest_due -= to_interest
                remaining -= to_interest
            else:
                to_principal = min(remaining, self.principal)
                self.principal -= to_principal
                remaining -= to_principal
        self.paid_interest += to_interest
        self.paid_principal += to_principal
        self.unapplied += remaining
        first, second = (
            (f"利息{_exact(to_interest)}", f"本金{_exact(to_principal)}")
            if self.order is RepaymentOrder.INTEREST_FIRST
            else (f"本金{_exact(to_principal)}", f"利息{_exact(to_interest)}")
        )
        note = (
            f"{fmt_date(repayment.date)}还款{fmt_money(repayment.amount)}：先冲抵{first}，再冲抵{second}；"
            f"剩余本金{_exact(self.principal)}，未付利息{_exact(self.interest_due)}"
        )
        if remaining > 0:
            note += f"；超出应还总额{_exact(remaining)}"
            self.warnings.append(
                f"{fmt_date(repayment.date)}的还款超出当时应还本息{_exact(remaining)}，超出部分未计入。"
            )
        if repayment.note:
            note += f"（{repayment.note}）"
        self.repayments.append(
            LoanRepaymentAllocation(
                repayment.date,
                repayment.amount,
                to_interest,
                to_principal,
                remaining,
                self.principal,
                self.interest_due,
                note,
            )
        )

    def summary(self, name: str, title: str) -> LoanTrack:
        return LoanTrack(
            name=name,
            title=title,
            interest=round_money(self.interest_total),
            interest_exact=self.interest_total,
            paid_interest=round_money(self.paid_interest),
            paid_principal=round_money(self.paid_principal),
            outstanding_principal=round_money(self.principal),
            outstanding_interest=round_money(self.interest_due),
            outstanding_total=round_money(self.principal + self.interest_due),
            unapplied_repayments=round_money(self.unapplied),
            segments=tuple(self.segments),
            repayments=tuple(self.repayments),
        )


def _run(
    principal: Decimal,
    intervals: list[_Interval],
    repayments: list[Repayment],
    day_basis: int,
    order: RepaymentOrder,
    rate_of: Callable[[_Interval], Decimal],
    label_of: Callable[[_Interval], str],
) -> _Track:
    track = _Track(principal, day_basis, order, rate_of, label_of)
    pending = list(repayments)
    for interval in intervals:
        while pending and pending[0].date <= interval.start:
            track.repay(pending.pop(0))
        track.accrue(interval)
    for repayment in pending:
        track.repay(repayment)
    return track


# -- public API --------------------------------------------------------------------------------------


def calculate_loan_interest(
    *,
    principal: MoneyInput,
    start_date: DateInput,
    end_date: DateInput,
    rate: RateSpec,
    contract_date: DateInput | None = None,
    filing_date: DateInput | None = None,
    repayments: Sequence[Repayment] = (),
    repayment_order: RepaymentOrder | str = RepaymentOrder.INTEREST_FIRST,
    day_basis: int = 365,
    rate_table: RateTable | None = None,
) -> LoanInterestResult:
    """Interest from ``start_date`` (counted) to ``end_date`` (not counted) with the legality check.

    ``contract_date`` defaults to ``start_date``. ``filing_date`` (起诉日) matters only for contracts formed
    before 2020-08-20. Raises :class:`CalculationError` on bad input or a date beyond the known LPR quotes.
    """
    with calc_localcontext():
        table = rate_table or RateTable.default()
        amount = parse_money(principal, "principal", label="借款本金")
        start = parse_date(start_date, "start_date", label="起息日")
        end = parse_date(end_date, "end_date", label="计算截止日")
        if end < start:
            raise CalculationError("end_date", "计算截止日不得早于起息日。")
        notes: list[str] = []
        warnings: list[str] = []
        if contract_date is None or contract_date == "":
            contract = start
            notes.append(f"未填写合同成立日期，按起息日{fmt_date(start)}认定合同成立时间。")
        else:
            contract = parse_date(contract_date, "contract_date", label="合同成立日期")
        filing = (
            None if filing_date in (None, "") else parse_date(filing_date, "filing_date", label="起诉日期")
        )
        if day_basis not in DAY_BASES:
            raise CalculationError("day_basis", "每年天数只能为360或365。")
        try:
            order = RepaymentOrder(repayment_order)
        except ValueError:
            raise CalculationError(
                "repayment_order", "还款冲抵顺序只能是interest_first或principal_first。"
            ) from None
        checked: list[Repayment] = []
        for index, repayment in enumerate(repayments):
            field = f"repayments[{index}]"
            day = parse_date(repayment.date, f"{field}.date", label="还款日期")
            value = parse_money(repayment.amount, f"{field}.amount", label="还款金额")
            if day > end:
                raise CalculationError(
                    f"{field}.date", f"还款日期{fmt_date(day)}晚于计算截止日{fmt_date(end)}。"
                )
            if day < start:
                raise CalculationError(
                    f"{field}.date", f"还款日期{fmt_date(day)}早于起息日{fmt_date(start)}。"
                )
            checked.append(Repayment(day, value, repayment.note))
        checked.sort(key=lambda r: r.date)

        last_day = end - DAY
        rate_field = "lpr_multiple" if rate.kind is RateKind.LPR else f"{rate.kind.value}_rate"
        rate_periods = rate.periods(
            start, last_day, table, day_basis=day_basis, default_reference=contract, field=rate_field
        )
        caps = legal_cap_periods(
            contract, start, last_day, filing_date=filing, end_date=end, table=table, warnings=warnings
        )
        points = {start, end, *(r.date for r in checked)}
        points.update(p.first_day for p in rate_periods)
        points.update(c.first_day for c in caps if c.first_day <= last_day)
        ordered = sorted(p for p in points if start <= p <= end)
        intervals = []
        for begin, stop in itertools.pairwise(ordered):
            rate_period = next(p for p in rate_periods if p.first_day <= begin <= p.last_day)
            cap = next(c for c in caps if c.first_day <= begin <= c.last_day)
            intervals.append(_Interval(begin, stop, rate_period, cap))

        agreed = _run(
            amount, intervals, checked, day_basis, order, lambda i: i.rate.annual_rate, lambda i: i.rate.label
        )
        supported = _run(
            amount,
            intervals,
            checked,
            day_basis,
            order,
            lambda i: min(i.rate.annual_rate, i.cap.cap_rate),
            lambda i: (
                i.rate.label
                if i.rate.annual_rate <= i.cap.cap_rate
                else f"上限年利率{fmt_percent(i.cap.cap_rate)}（约定{i.rate.label}超过上限）"
            ),
        )
        exceeds = any(i.rate.annual_rate > i.cap.cap_rate for i in intervals if i.days > 0)
        over_void = any(
            i.cap.void_rate is not None and i.rate.annual_rate > i.cap.void_rate
            for i in intervals
            if i.days > 0
        )
        void_interest: Decimal | None = None
        if over_void:
            capped_36 = _run(
                amount,
                intervals,
                checked,
                day_basis,
                order,
                lambda i: (
                    i.rate.annual_rate
                    if i.cap.void_rate is None
                    else min(i.rate.annual_rate, i.cap.void_rate)
                ),
                lambda i: i.rate.label,
            )
            void_interest = round_money(agreed.interest_total - capped_36.interest_total)
        warnings += agreed.warnings
        if contract < RULE_2015_EFFECTIVE and any(c.rule == "2015" for c in caps):
            warnings.append(
                "合同成立于2015年9月1日之前；2015年9月1日前已受理的案件适用1991年《关于人民法院审理借贷案件的若干意见》"
                "（银行同类贷款利率的四倍），本工具按2015年规定计算，请核对受理时间。"
            )
        if contract > start:
            notes.append(
                "合同成立日期晚于起息日，请核对（自然人之间的借款合同自提供借款时成立，见民间借贷规定第九条）。"
            )

        first_cap = caps[0]
        for cap in caps:
            agreed_in = [i for i in intervals if i.cap is cap and i.days > 0]
            top = max((i.rate.annual_rate for i in agreed_in), default=None)
            if top is None:
                continue
            span = f"{fmt_date(cap.first_day)}至{fmt_date(cap.last_day)}"
            if top > cap.cap_rate:
                notes.append(
                    f"{span}：约定利率（折合年利率最高{fmt_percent(top)}）超过{cap.cap_label}，超过部分的利息不予支持。"
                )
            else:
                notes.append(f"{span}：约定利率（折合年利率最高{fmt_percent(top)}）未超过{cap.cap_label}。")
            if cap.void_rate is not None and top > cap.cap_rate:
                if top > cap.void_rate:
                    notes.append(
                        "超过年利率36%部分的利息约定无效，借款人已支付的可以请求返还（2015年民间借贷规定第二十六条第二款）；"
                        "年利率24%至36%之间的部分，借款人已自愿支付的，请求返还不予支持（第三十一条）。"
                    )
                else:
                    notes.append(
                        "年利率24%至36%之间的部分，人民法院不支持出借人请求支付；借款人已自愿支付的，请求返还不予支持（第三十一条）。"
                    )
        if rate.kind is RateKind.LPR and not rate.lpr_floating:
            notes.append(
                f"LPR按{fmt_date(rate.lpr_reference_date or contract)}适用的报价固定计算；如约定随LPR浮动，请选择浮动。"
            )

        keys: list[str] = []
        if any(c.rule == "2015" for c in caps):
            keys += ["pl2015_26", "pl2015_31"]
        if any(c.rule == "2020" for c in caps):
            keys.append("pl2020_25")
        if contract < NEW_RULE_DATE:
            keys.append("pl2020_31")
        if checked:
            keys.append("cc_561")
        conventions = [
            "计息天数按“算头不算尾”：起息日当日计息，截止日（或还款日）当日不计息，天数＝截止日－起息日。",
            f"每日利息＝年利率÷{day_basis}（闰年亦同）；月利率×12折合年利率，日利率×{day_basis}折合年利率，"
            "据此与法定上限比较。按365天折算使整年（平年）利息恰为年利率，与年利率表示的上限口径一致；"
            "如合同或裁判文书约定按360天折算，可改选360。",
            (
                "还款先冲抵利息，再冲抵本金（民法典第五百六十一条，当事人另有约定的除外）。"
                if order is RepaymentOrder.INTEREST_FIRST
                else "按当事人约定，还款先冲抵本金，再冲抵利息。"
            ),
            "“受保护的利息”按约定利率与上限孰低逐段计算，还款按同一顺序冲抵，因此其剩余本金可能与按约定利率计算的结果不同。",
            "各段利息保留精确值，只对合计金额四舍五入到分；表中各段的显示值已四舍五入，其和与合计可能相差几分。",
        ]
        if rate.kind is RateKind.LPR:
            conventions.append(
                "LPR取全国银行间同业拆借中心公布的报价：某日适用的报价为该日或之前最近一次公布的报价；"
                + (
                    "约定随LPR浮动，每次报价变动另起一段。"
                    if rate.lpr_floating
                    else "约定固定利率，整个期间适用同一报价。"
                )
            )
        return LoanInterestResult(
            principal=amount,
            start_date=start,
            end_date=end,
            contract_date=contract,
            filing_date=filing,
            days=days_between(start, end),
            day_basis=day_basis,
            rate_label=rate.label(day_basis),
            interest=round_money(agreed.interest_total),
            interest_exact=agreed.interest_total,
            legal_cap_rate=first_cap.cap_rate,
            legal_cap_label=first_cap.cap_label,
            void_rate=first_cap.void_rate,
            exceeds_cap=exceeds,
            supported_interest=round_money(supported.interest_total),
            excess_interest=round_money(agreed.interest_total - supported.interest_total),
            void_interest=void_interest,
            outstanding_principal=round_money(agreed.principal),
            outstanding_interest=round_money(agreed.interest_due),
            outstanding_total=round_money(agreed.principal + agreed.interest_due),
            cap_periods=tuple(caps),
            segments=tuple(agreed.segments),
            repayments=tuple(agreed.repayments),
            agreed=agreed.summary("agreed", "按约定利率计算"),
            supported=supported.summary("supported", "按受法律保护的利率计算"),
            legal_basis=tuple(basis(*keys)),
            conventions=tuple(conventions),
            notes=tuple(notes),
            warnings=tuple(warnings),
        )


# -- payload adapter ---------------------------------------------------------------------------------

_TOP_KEYS = {
    *RATE_PAYLOAD_KEYS,
    "principal",
    "start_date",
    "end_date",
    "contract_date",
    "filing_date",
    "repayments",
    "repayment_order",
    "day_basis",
}


def loan_interest_from_payload(
    payload: Mapping[str, Any], *, rate_table: RateTable | None = None
) -> LoanInterestResult:
    """Adapter for the JSON body of the loan-interest API."""
    check_keys(payload, _TOP_KEYS)
    repayments = []
    for index, item in enumerate(object_list(payload, "repayments")):
        prefix = f"repayments[{index}]."
        check_keys(item, {"date", "amount", "note"}, prefix)
        repayments.append(
            Repayment(
                parse_date(require(item, "date", "还款日期", prefix), f"{prefix}date", label="还款日期"),
                parse_money(require(item, "amount", "还款金额", prefix), f"{prefix}amount", label="还款金额"),
                str(item.get("note") or ""),
            )
        )
    basis_value = parse_int(payload.get("day_basis", 365), "day_basis", label="每年天数", low=360, high=365)
    return calculate_loan_interest(
        principal=require(payload, "principal", "借款本金"),
        start_date=require(payload, "start_date", "起息日"),
        end_date=require(payload, "end_date", "计算截止日"),
        rate=rate_spec_from_payload(payload),
        contract_date=payload.get("contract_date"),
        filing_date=payload.get("filing_date"),
        repayments=repayments,
        repayment_order=payload.get("repayment_order") or RepaymentOrder.INTEREST_FIRST,
        day_basis=basis_value,
        rate_table=rate_table,
    )
