"""执行计算工具 over JSON: fees, 迟延履行期间的债务利息 and 借贷利息 (no login needed).

Amounts are strings in 元 (JSON numbers are accepted and read through their decimal text), rates are
fractions ("0.15" = 15 % a year), dates ISO ``YYYY-MM-DD``. Bad input answers 422
``{"detail": 中文, "errors": {field: [中文]}, "field", "message"}``; field paths follow the request
(``payments[0].amount``).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import BeforeValidator, ConfigDict, WithJsonSchema
from pydantic import ValidationError as PydanticValidationError

from zhixing.calculators import CalculationError

from . import calc

API_PREFIX = "/calculators/"
router = Router(tags=["执行计算工具"])


def _money_text(value: object) -> object:
    """Keep money as decimal text: a JSON number is read through its shortest decimal representation."""
    if isinstance(value, bool):
        raise ValueError('应为数字字符串，如 "1000000"。')
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return value


Money = Annotated[
    str,
    BeforeValidator(_money_text),
    WithJsonSchema(
        {"type": "string", "description": '金额（元），如 "1000000" 或 "1234.56"', "example": "1000000"}
    ),
]
Rate = Annotated[
    str,
    BeforeValidator(_money_text),
    WithJsonSchema({"type": "string", "description": '利率，小数形式，"0.15" 表示 15%', "example": "0.15"}),
]
IsoDate = Annotated[str, WithJsonSchema({"type": "string", "format": "date", "example": "2024-03-01"})]


class _In(Schema):
    model_config = ConfigDict(extra="forbid")


class _Out(Schema):
    model_config = ConfigDict(extra="allow")


# -- requests ----------------------------------------------------------------------------------------


class ExecutionFeeIn(_In):
    amount: Money | None = Field(
        None, description="执行金额或者价额；null 表示没有执行金额或者价额（每件50–500元）"
    )
    no_amount_fee: Money | None = Field(
        None, description="没有执行金额时按此标准计收（50–500元）；缺省取法院配置"
    )
    court: str | None = Field(None, description="法院案号代字（如 鲁0102），用于读取该院无金额案件的收费标准")


class PreservationFeeIn(_In):
    amount: Money | None = Field(None, description="实际保全的财产数额；null 表示不涉及财产数额")


class AcceptanceFeeIn(_In):
    amount: Money | None = Field(None, description="诉讼请求的金额或者价额")
    reduction: Literal["mediation", "withdrawal", "simplified", "counterclaim"] | None = Field(
        None, description="减半交纳的事由：调解结案、撤诉、简易程序、反诉合并审理"
    )


class PaymentIn(_In):
    date: IsoDate | None = None
    amount: Money | None = None
    note: str | None = None


class ExcludedPeriodIn(_In):
    start: IsoDate | None = None
    end: IsoDate | None = None
    reason: str | None = None


class InstalmentIn(_In):
    due_date: IsoDate | None = None
    amount: Money | None = None


class RateFields(_In):
    annual_rate: Rate | None = Field(None, description="年利率（小数）")
    monthly_rate: Rate | None = Field(None, description="月利率（小数）")
    daily_rate: Rate | None = Field(None, description="日利率（小数）")
    lpr_multiple: Rate | None = Field(None, description='LPR的倍数，如 "4" 表示四倍')
    lpr_term: Literal["1y", "5y"] | None = Field(None, description="LPR期限：1年期或5年期以上")
    lpr_floating: bool | None = Field(None, description="true：随每月LPR浮动；默认固定为参考日的报价")
    lpr_reference_date: IsoDate | None = None


class GeneralInterestIn(RateFields):
    base: Money | None = Field(None, description="一般债务利息的计算基数（缺省为尚未清偿的金钱债务）")
    day_basis: Literal[360, 365] | None = None


class DelayInterestIn(_In):
    principal: Money | None = Field(None, description="生效法律文书确定的除一般债务利息之外的金钱债务")
    due_date: IsoDate | None = Field(None, description="履行期间届满之日")
    end_date: IsoDate | None = Field(None, description="计算截止日（履行完毕之日）")
    payments: list[PaymentIn] | None = None
    excluded_periods: list[ExcludedPeriodIn] | None = Field(
        None, description="非因被执行人申请中止、暂缓执行的期间（起止日均含）"
    )
    general_interest: GeneralInterestIn | None = Field(
        None, description="生效法律文书确定的一般债务利息；null 为未确定"
    )
    instalments: list[InstalmentIn] | None = Field(None, description="分期履行：每期金额及其履行期间届满之日")
    general_interest_first: bool | None = None
    day_basis_2009: Literal[360, 365] | None = None


class RepaymentIn(_In):
    date: IsoDate | None = None
    amount: Money | None = None
    note: str | None = None


class LoanInterestIn(RateFields):
    principal: Money | None = Field(None, description="借款本金")
    start_date: IsoDate | None = Field(None, description="起息日")
    end_date: IsoDate | None = Field(None, description="计算截止日")
    contract_date: IsoDate | None = Field(None, description="借贷合同成立日（决定适用的利率保护上限）")
    filing_date: IsoDate | None = Field(None, description="起诉日（2020年8月20日前成立的合同适用过渡规则）")
    repayments: list[RepaymentIn] | None = None
    repayment_order: Literal["interest_first", "principal_first"] | None = None
    day_basis: Literal[360, 365] | None = None


# -- responses ---------------------------------------------------------------------------------------


class LegalBasisOut(Schema):
    title: str
    article: str
    text: str


class ExplainedOut(_Out):
    legal_basis: list[LegalBasisOut]
    conventions: list[str]
    notes: list[str]
    warnings: list[str]


class FeeStepOut(Schema):
    description: str
    lower: str
    upper: str | None
    portion: str
    rate: str | None
    fixed: str | None
    fee: str = Field(description="本档费用（精确值）")
    formula: str


class FeeAdjustmentOut(Schema):
    description: str
    fee_before: str
    fee_after: str


class FeeOut(ExplainedOut):
    kind: str
    title: str
    amount: str | None
    fee: str = Field(description="应交费用，四舍五入到分")
    fee_exact: str
    fee_range: list[str] | None = Field(description="没有金额时的收费区间 [下限, 上限]")
    steps: list[FeeStepOut]
    adjustments: list[FeeAdjustmentOut]
    payer: str
    prepayment: str


class AllocationOut(_Out):
    date: str
    amount: str
    rule: str
    to_general_interest: str
    to_principal: str
    to_interest_2009: str
    to_doubled_interest: str
    unapplied: str
    principal_after: str
    note: str


class DelaySegmentOut(_Out):
    kind: str = Field(description="doubled | excluded | interest_2009 | general | payment")
    first_day: str
    last_day: str
    days: int
    base: str
    daily_rate: str
    rate_label: str
    interest: str
    interest_rounded: str
    instalments: list[int]
    description: str
    allocation: AllocationOut | None


class DelayInterestOut(ExplainedOut):
    principal: str
    end_date: str
    doubled_interest: str = Field(description="加倍部分债务利息")
    interest_2009: str = Field(description="2014年8月1日前按法释〔2009〕6号计算的迟延履行期间的债务利息")
    general_interest: str | None = Field(description="一般债务利息；生效法律文书未确定时为 null")
    total: str
    outstanding_total: str
    excluded_days: int
    segments: list[DelaySegmentOut]
    allocations: list[AllocationOut]


class LoanSegmentOut(_Out):
    first_day: str
    last_day: str
    days: int
    principal: str
    annual_rate: str
    rate_label: str
    interest: str
    interest_rounded: str
    cap_rate: str
    void_rate: str | None
    supported_interest: str
    excess: str
    description: str


class LoanInterestOut(ExplainedOut):
    principal: str
    start_date: str
    end_date: str
    contract_date: str
    interest: str = Field(description="按约定利率计算的利息")
    legal_cap_rate: str = Field(description="合同成立时适用的利率保护上限（年利率，小数）")
    legal_cap_label: str
    exceeds_cap: bool
    supported_interest: str
    excess_interest: str
    segments: list[LoanSegmentOut]


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]]
    field: str | None = None
    message: str | None = None


# -- endpoints ---------------------------------------------------------------------------------------
#
# The body is parsed here rather than by ninja so that malformed JSON is a 422 with a Chinese message like
# every other bad input (ninja answers 400 "Cannot parse request body" before the view runs). The request
# schemas are still published in the OpenAPI document through ``openapi_extra``.

_PYDANTIC_MESSAGES = {
    "string_type": "应为文本（金额、日期请用字符串）。",
    "bool_type": "应为true或false。",
    "bool_parsing": "应为true或false。",
    "list_type": "应为列表。",
    "dict_type": "应为JSON对象。",
    "model_type": "应为JSON对象。",
    "model_attributes_type": "应为JSON对象。",
    "extra_forbidden": "不支持的字段。",
    "literal_error": "取值不在允许的范围内。",
    "int_type": "应为整数。",
    "int_parsing": "应为整数。",
    "int_from_float": "应为整数。",
}


def _path(loc: tuple[Any, ...]) -> str:
    """``("payments", 0, "amount")`` → ``payments[0].amount`` (the engine's own field paths)."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "body"


def _schema_errors(error: PydanticValidationError) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    for item in error.errors():
        kind = str(item.get("type", ""))
        if kind == "value_error":
            message = str(item.get("msg", "")).removeprefix("Value error, ")
        else:
            message = _PYDANTIC_MESSAGES.get(kind, "格式不正确。")
        loc = tuple(p for p in item.get("loc", ()) if not (isinstance(p, str) and p.startswith("function-")))
        errors.setdefault(_path(loc), []).append(message)
    field, messages = next(iter(errors.items()))
    return {"detail": messages[0], "errors": errors, "field": field, "message": messages[0]}


def _compute(request: HttpRequest, slug: str, schema: type[_In]) -> Status[dict[str, Any]]:
    try:
        data = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        return Status(422, calc.error_payload(CalculationError("body", "请求内容不是有效的JSON。")))
    if not isinstance(data, dict):
        return Status(422, calc.error_payload(CalculationError("body", "请求内容应为JSON对象。")))
    try:
        payload = schema.model_validate(data)
    except PydanticValidationError as error:
        return Status(422, _schema_errors(error))
    try:
        result = calc.run(slug, payload.model_dump(exclude_none=True))
    except CalculationError as error:
        return Status(422, calc.error_payload(error))
    return Status(200, result.to_dict())


def _inline(schema: dict[str, Any]) -> dict[str, Any]:
    """A request JSON schema with its ``$defs`` inlined (they are not OpenAPI components)."""
    defs = schema.pop("$defs", {})

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                return walk(dict(defs[ref.removeprefix("#/$defs/")]))
            return {key: walk(value) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    inlined: dict[str, Any] = walk(schema)
    return inlined


def _body(schema: type[_In], example: dict[str, Any]) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": _inline(schema.model_json_schema()), "example": example}
            },
        }
    }


_RESPONSES = {422: ErrorOut}


@router.post(
    "/execution-fee",
    response={200: FeeOut, **_RESPONSES},
    summary="申请执行费",
    openapi_extra=_body(ExecutionFeeIn, {"amount": "1000000"}),
)
def execution_fee(request: HttpRequest) -> Status[dict[str, Any]]:
    """《诉讼费用交纳办法》第十四条第（一）项，分段累计；amount 为 null 时按每件50–500元（法院配置）。"""
    return _compute(request, "execution-fee", ExecutionFeeIn)


@router.post(
    "/preservation-fee",
    response={200: FeeOut, **_RESPONSES},
    summary="财产保全申请费",
    openapi_extra=_body(PreservationFeeIn, {"amount": "250000"}),
)
def preservation_fee(request: HttpRequest) -> Status[dict[str, Any]]:
    """《诉讼费用交纳办法》第十四条第（二）项，最多不超过5000元。"""
    return _compute(request, "preservation-fee", PreservationFeeIn)


@router.post(
    "/acceptance-fee",
    response={200: FeeOut, **_RESPONSES},
    summary="案件受理费",
    openapi_extra=_body(AcceptanceFeeIn, {"amount": "100000", "reduction": None}),
)
def acceptance_fee(request: HttpRequest) -> Status[dict[str, Any]]:
    """《诉讼费用交纳办法》第十三条第（一）项（财产案件），可选减半事由。"""
    return _compute(request, "acceptance-fee", AcceptanceFeeIn)


@router.post(
    "/delay-interest",
    response={200: DelayInterestOut, **_RESPONSES},
    summary="迟延履行期间的债务利息",
    openapi_extra=_body(
        DelayInterestIn,
        {
            "principal": "100000",
            "due_date": "2024-03-01",
            "end_date": "2024-09-27",
            "payments": [{"date": "2024-05-30", "amount": "40000"}],
            "excluded_periods": [],
            "general_interest": None,
        },
    ),
)
def delay_interest(request: HttpRequest) -> Status[dict[str, Any]]:
    """法释〔2014〕8号（2014年8月1日前的部分适用法释〔2009〕6号），逐段列明。"""
    return _compute(request, "delay-interest", DelayInterestIn)


@router.post(
    "/loan-interest",
    response={200: LoanInterestOut, **_RESPONSES},
    summary="借贷利息",
    openapi_extra=_body(
        LoanInterestIn,
        {
            "principal": "100000",
            "start_date": "2024-01-10",
            "end_date": "2025-01-10",
            "annual_rate": "0.15",
            "contract_date": "2024-01-10",
        },
    ),
)
def loan_interest(request: HttpRequest) -> Status[dict[str, Any]]:
    """按约定利率（年、月、日利率或LPR倍数）计算利息，并对照合同成立时的利率保护上限。"""
    return _compute(request, "loan-interest", LoanInterestIn)
