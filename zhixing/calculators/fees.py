"""Fee calculators from the《诉讼费用交纳办法》: 申请执行费, 财产保全申请费, 案件受理费 and two derived fees.

All of them are "分段累计" bracket tables: each bracket's rate applies only to the part of the amount that
falls inside it, so the fee is continuous and non-decreasing in the amount. Bracket fees are kept
unrounded; only the final fee is rounded to 分 (ROUND_HALF_UP).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from .errors import CalculationError
from .legal_texts import LegalBasis, basis
from .money import (
    ZERO,
    MoneyInput,
    calc_localcontext,
    fmt_money,
    fmt_percent,
    format_decimal,
    parse_money,
    round_money,
    to_decimal,
    to_jsonable,
)
from .payload import check_keys

__all__ = [
    "ACCEPTANCE_BRACKETS",
    "EXECUTION_BRACKETS",
    "PRESERVATION_BRACKETS",
    "Bracket",
    "FeeAdjustment",
    "FeeKind",
    "FeeReduction",
    "FeeResult",
    "FeeStep",
    "acceptance_fee_from_payload",
    "calculate_acceptance_fee",
    "calculate_bankruptcy_fee",
    "calculate_execution_fee",
    "calculate_payment_order_fee",
    "calculate_preservation_fee",
    "execution_fee_from_payload",
    "preservation_fee_from_payload",
]


class FeeKind(StrEnum):
    EXECUTION = "execution"
    PRESERVATION = "preservation"
    ACCEPTANCE = "acceptance"
    PAYMENT_ORDER = "payment_order"
    BANKRUPTCY = "bankruptcy"


class FeeReduction(StrEnum):
    """Reasons for paying half of the 案件受理费 (第十五条、第十六条、第十八条)."""

    MEDIATION = "mediation"
    WITHDRAWAL = "withdrawal"
    SIMPLIFIED = "simplified"
    COUNTERCLAIM = "counterclaim"

    @property
    def label(self) -> str:
        return _REDUCTION_LABELS[self][0]

    @property
    def basis_key(self) -> str:
        return _REDUCTION_LABELS[self][1]


_REDUCTION_LABELS = {
    FeeReduction.MEDIATION: ("以调解方式结案，减半交纳（第十五条）", "fee_15"),
    FeeReduction.WITHDRAWAL: ("当事人申请撤诉，减半交纳（第十五条）", "fee_15"),
    FeeReduction.SIMPLIFIED: ("适用简易程序审理，减半交纳（第十六条）", "fee_16"),
    FeeReduction.COUNTERCLAIM: (
        "反诉或有独立请求权的第三人的请求合并审理，分别减半交纳（第十八条）",
        "fee_18",
    ),
}


@dataclass(frozen=True)
class Bracket:
    """One bracket: the part of the amount above ``lower`` up to ``upper`` (inclusive; None = no limit).

    Either ``fixed`` (a flat fee for the whole first bracket) or ``rate`` (a marginal rate) is set.
    """

    lower: Decimal
    upper: Decimal | None
    rate: Decimal | None
    fixed: Decimal | None
    label: str


def _d(text: str) -> Decimal:
    return Decimal(text)


#: 第十四条第（一）项第2目.
EXECUTION_BRACKETS: tuple[Bracket, ...] = (
    Bracket(ZERO, _d("10000"), None, _d("50"), "不超过1万元的，每件交纳50元"),
    Bracket(_d("10000"), _d("500000"), _d("0.015"), None, "超过1万元至50万元的部分，按照1.5%交纳"),
    Bracket(_d("500000"), _d("5000000"), _d("0.01"), None, "超过50万元至500万元的部分，按照1%交纳"),
    Bracket(_d("5000000"), _d("10000000"), _d("0.005"), None, "超过500万元至1000万元的部分，按照0.5%交纳"),
    Bracket(_d("10000000"), None, _d("0.001"), None, "超过1000万元的部分，按照0.1%交纳"),
)

#: 第十四条第（二）项 (plus the 5000 元 ceiling applied afterwards).
PRESERVATION_BRACKETS: tuple[Bracket, ...] = (
    Bracket(ZERO, _d("1000"), None, _d("30"), "财产数额不超过1000元的，每件交纳30元"),
    Bracket(_d("1000"), _d("100000"), _d("0.01"), None, "超过1000元至10万元的部分，按照1%交纳"),
    Bracket(_d("100000"), None, _d("0.005"), None, "超过10万元的部分，按照0.5%交纳"),
)
PRESERVATION_CAP = _d("5000")
PRESERVATION_NO_AMOUNT_FEE = _d("30")

#: 第十三条第（一）项 (财产案件).
ACCEPTANCE_BRACKETS: tuple[Bracket, ...] = (
    Bracket(ZERO, _d("10000"), None, _d("50"), "不超过1万元的，每件交纳50元"),
    Bracket(_d("10000"), _d("100000"), _d("0.025"), None, "超过1万元至10万元的部分，按照2.5%交纳"),
    Bracket(_d("100000"), _d("200000"), _d("0.02"), None, "超过10万元至20万元的部分，按照2%交纳"),
    Bracket(_d("200000"), _d("500000"), _d("0.015"), None, "超过20万元至50万元的部分，按照1.5%交纳"),
    Bracket(_d("500000"), _d("1000000"), _d("0.01"), None, "超过50万元至100万元的部分，按照1%交纳"),
    Bracket(_d("1000000"), _d("2000000"), _d("0.009"), None, "超过100万元至200万元的部分，按照0.9%交纳"),
    Bracket(_d("2000000"), _d("5000000"), _d("0.008"), None, "超过200万元至500万元的部分，按照0.8%交纳"),
    Bracket(_d("5000000"), _d("10000000"), _d("0.007"), None, "超过500万元至1000万元的部分，按照0.7%交纳"),
    Bracket(_d("10000000"), _d("20000000"), _d("0.006"), None, "超过1000万元至2000万元的部分，按照0.6%交纳"),
    Bracket(_d("20000000"), None, _d("0.005"), None, "超过2000万元的部分，按照0.5%交纳"),
)

EXECUTION_NO_AMOUNT_RANGE = (_d("50"), _d("500"))
BANKRUPTCY_CAP = _d("300000")

_COMMON_CONVENTIONS = (
    "按《诉讼费用交纳办法》“分段累计”方法计算：每一档费率只适用于金额落在该档内的部分，各档相加。",
    "各档金额保留精确值，只对合计金额按四舍五入保留到分；法院如对收费取整到元，以法院财务规定为准。",
    "诉讼费用以人民币为计算单位（第五十五条），外币金额须先按规定汇率折算为人民币。",
)


@dataclass(frozen=True)
class FeeStep:
    """One row of the bracket breakdown. ``fee`` is exact (unrounded)."""

    description: str
    lower: Decimal
    upper: Decimal | None
    portion: Decimal
    rate: Decimal | None
    fixed: Decimal | None
    fee: Decimal
    formula: str


@dataclass(frozen=True)
class FeeAdjustment:
    """A step applied after the bracket sum (halving, 1/3, a ceiling)."""

    description: str
    fee_before: Decimal
    fee_after: Decimal


@dataclass(frozen=True)
class FeeResult:
    kind: FeeKind
    title: str
    amount: Decimal | None
    fee: Decimal
    fee_exact: Decimal
    fee_range: tuple[Decimal, Decimal] | None
    steps: tuple[FeeStep, ...]
    adjustments: tuple[FeeAdjustment, ...]
    payer: str
    prepayment: str
    legal_basis: tuple[LegalBasis, ...]
    conventions: tuple[str, ...]
    notes: tuple[str, ...]
    warnings: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = to_jsonable(self)
        return result


def _exact_money(value: Decimal) -> str:
    return fmt_money(value) if value == round_money(value) else f"{format_decimal(value.normalize())}元"


def bracket_steps(amount: Decimal, brackets: tuple[Bracket, ...]) -> list[FeeStep]:
    """The bracket-by-bracket breakdown of ``amount`` (only brackets the amount reaches)."""
    steps: list[FeeStep] = []
    for bracket in brackets:
        if amount <= bracket.lower and not (bracket.fixed is not None and bracket.lower == ZERO):
            break
        top = amount if bracket.upper is None else min(amount, bracket.upper)
        portion = top - bracket.lower
        if bracket.fixed is not None:
            fee = bracket.fixed
            formula = (
                f"{fmt_money(portion)}（不超过{fmt_money(bracket.upper or ZERO)}）按件交纳{fmt_money(fee)}"
            )
        else:
            assert bracket.rate is not None
            fee = portion * bracket.rate
            formula = f"{fmt_money(portion)} × {fmt_percent(bracket.rate)} = {_exact_money(fee)}"
        steps.append(
            FeeStep(
                bracket.label,
                bracket.lower,
                bracket.upper,
                portion,
                bracket.rate,
                bracket.fixed,
                fee,
                formula,
            )
        )
    return steps


def _schedule(amount: Decimal, brackets: tuple[Bracket, ...]) -> tuple[list[FeeStep], Decimal]:
    steps = bracket_steps(amount, brackets)
    return steps, sum((step.fee for step in steps), ZERO)


def _optional_amount(amount: MoneyInput | None, field: str, label: str) -> Decimal | None:
    if amount is None or (isinstance(amount, str) and not amount.strip()):
        return None
    return parse_money(amount, field, label=label)


# -- 申请执行费 --------------------------------------------------------------------------------------


def calculate_execution_fee(
    amount: MoneyInput | None, *, no_amount_fee: MoneyInput | None = None, field: str = "amount"
) -> FeeResult:
    """申请执行费 (第十四条第（一）项). ``amount`` None = 没有执行金额或者价额 (50–500 元 per case).

    ``no_amount_fee`` is the court's configured figure within 50–500 元 for cases without an amount;
    when it is not configured the result shows the range and uses the statutory minimum, 50 元.
    """
    with calc_localcontext():
        value = _optional_amount(amount, field, "执行金额")
        notes: list[str] = []
        fee_range: tuple[Decimal, Decimal] | None = None
        if value is None:
            low, high = EXECUTION_NO_AMOUNT_RANGE
            fee_range = (low, high)
            if no_amount_fee is None:
                fee = low
                notes.append(
                    "没有执行金额或者价额的，每件交纳50元至500元；本院未配置具体标准，暂按下限50元列示。"
                )
            else:
                fee = to_decimal(no_amount_fee, "no_amount_fee", label="无执行金额案件的收费标准")
                if not low <= fee <= high:
                    raise CalculationError(
                        "no_amount_fee", "没有执行金额或者价额的，申请执行费应在50元至500元之间。"
                    )
                notes.append(
                    f"没有执行金额或者价额的，每件交纳50元至500元；按本院确定的标准{fmt_money(fee)}计收。"
                )
            steps = [
                FeeStep(
                    description="没有执行金额或者价额的，每件交纳50元至500元",
                    lower=ZERO,
                    upper=None,
                    portion=ZERO,
                    rate=None,
                    fixed=fee,
                    fee=fee,
                    formula=f"按件交纳{fmt_money(fee)}",
                )
            ]
        else:
            steps, fee = _schedule(value, EXECUTION_BRACKETS)
        notes.append("申请执行费不由申请人预交，执行后交纳（第二十条第二款）。")
        notes.append(
            "申请执行费由被执行人负担；执行中当事人达成和解协议的，由双方协商，协商不成的由法院决定（第三十八条）。"
        )
        return FeeResult(
            kind=FeeKind.EXECUTION,
            title="申请执行费",
            amount=value,
            fee=round_money(fee),
            fee_exact=fee,
            fee_range=fee_range,
            steps=tuple(steps),
            adjustments=(),
            payer="被执行人",
            prepayment="不预交，执行后交纳",
            legal_basis=tuple(basis("fee_14_1", "fee_20_2", "fee_38_1")),
            conventions=_COMMON_CONVENTIONS,
            notes=tuple(notes),
            warnings=(),
        )


# -- 财产保全申请费 ----------------------------------------------------------------------------------


def calculate_preservation_fee(amount: MoneyInput | None, *, field: str = "amount") -> FeeResult:
    """财产保全申请费 (第十四条第（二）项), on the amount actually preserved; None = 不涉及财产数额."""
    with calc_localcontext():
        value = _optional_amount(amount, field, "实际保全的财产数额")
        adjustments: list[FeeAdjustment] = []
        if value is None:
            fee = PRESERVATION_NO_AMOUNT_FEE
            steps = [
                FeeStep(
                    description="不涉及财产数额的，每件交纳30元",
                    lower=ZERO,
                    upper=None,
                    portion=ZERO,
                    rate=None,
                    fixed=fee,
                    fee=fee,
                    formula="按件交纳30.00元",
                )
            ]
        else:
            steps, fee = _schedule(value, PRESERVATION_BRACKETS)
            if fee > PRESERVATION_CAP:
                adjustments.append(
                    FeeAdjustment("当事人申请保全措施交纳的费用最多不超过5000元", fee, PRESERVATION_CAP)
                )
                fee = PRESERVATION_CAP
        return FeeResult(
            kind=FeeKind.PRESERVATION,
            title="财产保全申请费",
            amount=value,
            fee=round_money(fee),
            fee_exact=fee,
            fee_range=None,
            steps=tuple(steps),
            adjustments=tuple(adjustments),
            payer="申请人（申请人提起诉讼的，可以将该申请费列入诉讼请求）",
            prepayment="申请人预交",
            legal_basis=tuple(basis("fee_14_2", "fee_20_2", "fee_38_3")),
            conventions=(*_COMMON_CONVENTIONS, "按实际保全的财产数额计算，而非申请保全的数额。"),
            notes=(
                "保全申请费由申请人预交（第二十条第二款）。",
                "保全申请费由申请人负担，申请人提起诉讼的，可以将该申请费列入诉讼请求（第三十八条第三款）。",
            ),
            warnings=(),
        )


# -- 案件受理费（财产案件）及派生费用 ------------------------------------------------------------------


def _property_case_schedule(value: Decimal) -> tuple[list[FeeStep], Decimal]:
    return _schedule(value, ACCEPTANCE_BRACKETS)


def calculate_acceptance_fee(
    amount: MoneyInput, *, reduction: FeeReduction | str | None = None, field: str = "amount"
) -> FeeResult:
    """案件受理费, property cases (第十三条第（一）项), optionally halved (第十五条/第十六条/第十八条).

    Only one halving is applied; whether several reasons combine is for the court to decide.
    Non-property cases (第十三条第（二）至（六）项) are fixed per-case fees and are not computed here.
    """
    with calc_localcontext():
        value = parse_money(amount, field, label="诉讼请求的金额或者价额")
        steps, fee = _property_case_schedule(value)
        adjustments: list[FeeAdjustment] = []
        keys = ["fee_13_1"]
        notes = [
            "案件受理费由原告、有独立请求权的第三人、上诉人预交（第二十条第一款）。",
            "诉讼费用由败诉方负担，胜诉方自愿承担的除外（第二十九条第一款）。",
        ]
        if reduction is not None and reduction != "":
            try:
                reason = FeeReduction(reduction)
            except ValueError:
                choices = "、".join(item.value for item in FeeReduction)
                raise CalculationError("reduction", f"减半事由“{reduction}”无效，可选：{choices}。") from None
            half = fee / 2
            adjustments.append(FeeAdjustment(reason.label, fee, half))
            fee = half
            keys.append(reason.basis_key)
            notes.append("同时存在多项减半事由的，本工具只减半一次，是否累计减半由法院依规定确定。")
        keys += ["fee_20_1", "fee_29_1"]
        return FeeResult(
            kind=FeeKind.ACCEPTANCE,
            title="案件受理费（财产案件）",
            amount=value,
            fee=round_money(fee),
            fee_exact=fee,
            fee_range=None,
            steps=tuple(steps),
            adjustments=tuple(adjustments),
            payer="败诉方（胜诉方自愿承担的除外）",
            prepayment="原告、有独立请求权的第三人、上诉人预交",
            legal_basis=tuple(basis(*keys)),
            conventions=_COMMON_CONVENTIONS,
            notes=tuple(notes),
            warnings=(),
        )


def calculate_payment_order_fee(amount: MoneyInput, *, field: str = "amount") -> FeeResult:
    """申请支付令: one third of the property-case acceptance fee (第十四条第（三）项)."""
    with calc_localcontext():
        value = parse_money(amount, field, label="请求给付的金额")
        steps, full = _property_case_schedule(value)
        fee = full / 3
        return FeeResult(
            kind=FeeKind.PAYMENT_ORDER,
            title="申请支付令申请费",
            amount=value,
            fee=round_money(fee),
            fee_exact=fee,
            fee_range=None,
            steps=tuple(steps),
            adjustments=(FeeAdjustment("比照财产案件受理费标准的1/3交纳", full, fee),),
            payer="债务人未提出异议的由债务人负担；异议致使督促程序终结的由申请人负担（第三十六条）",
            prepayment="申请人预交",
            legal_basis=tuple(basis("fee_14_3", "fee_13_1", "fee_20_2", "fee_36")),
            conventions=_COMMON_CONVENTIONS,
            notes=(),
            warnings=(),
        )


def calculate_bankruptcy_fee(amount: MoneyInput, *, field: str = "amount") -> FeeResult:
    """破产案件申请费: half the property-case fee on the total bankruptcy estate, at most 30 万元 (第十四条第（六）项)."""
    with calc_localcontext():
        value = parse_money(amount, field, label="破产财产总额")
        steps, full = _property_case_schedule(value)
        half = full / 2
        adjustments = [FeeAdjustment("按照财产案件受理费标准减半交纳", full, half)]
        fee = half
        if fee > BANKRUPTCY_CAP:
            adjustments.append(FeeAdjustment("最高不超过30万元", fee, BANKRUPTCY_CAP))
            fee = BANKRUPTCY_CAP
        return FeeResult(
            kind=FeeKind.BANKRUPTCY,
            title="破产申请费",
            amount=value,
            fee=round_money(fee),
            fee_exact=fee,
            fee_range=None,
            steps=tuple(steps),
            adjustments=tuple(adjustments),
            payer="从破产财产中拨付（第四十二条）",
            prepayment="不由申请人预交，清算后交纳",
            legal_basis=tuple(basis("fee_14_6", "fee_13_1", "fee_20_2", "fee_42")),
            conventions=_COMMON_CONVENTIONS,
            notes=(),
            warnings=(),
        )


# -- payload adapters (JSON request bodies) ---------------------------------------------------------


def execution_fee_from_payload(payload: Mapping[str, Any]) -> FeeResult:
    """``{"amount": "1000000" | null, "no_amount_fee": "100"?}``."""
    check_keys(payload, {"amount", "no_amount_fee"})
    return calculate_execution_fee(payload.get("amount"), no_amount_fee=payload.get("no_amount_fee"))


def preservation_fee_from_payload(payload: Mapping[str, Any]) -> FeeResult:
    """``{"amount": "250000" | null}``."""
    check_keys(payload, {"amount"})
    return calculate_preservation_fee(payload.get("amount"))


def acceptance_fee_from_payload(payload: Mapping[str, Any]) -> FeeResult:
    """``{"amount": "100000", "reduction": null | "mediation" | "withdrawal" | "simplified" | "counterclaim"}``."""
    check_keys(payload, {"amount", "reduction"})
    if payload.get("amount") is None:
        raise CalculationError("amount", "请填写诉讼请求的金额或者价额。")
    return calculate_acceptance_fee(payload["amount"], reduction=payload.get("reduction"))
