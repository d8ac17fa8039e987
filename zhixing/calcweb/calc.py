"""The web side of the calculators: which calculators exist, how a request becomes an engine call, and how
form fields (portal, PDF query strings) map to the engine's JSON payloads.

The engine (``zhixing.calculators``) holds every rule; this module only adds what needs the database: the
rate table with staff-entered LPR quotes and the court's own fee for cases without an amount.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.http import QueryDict

from zhixing.calculators import (
    CalculationError,
    DelayInterestResult,
    FeeResult,
    LoanInterestResult,
    acceptance_fee_from_payload,
    delay_interest_from_payload,
    execution_fee_from_payload,
    loan_interest_from_payload,
    preservation_fee_from_payload,
)

from . import selectors

Result = FeeResult | DelayInterestResult | LoanInterestResult


@dataclass(frozen=True)
class Calculator:
    slug: str
    title: str
    summary: str
    kind: str  # "fee" | "delay" | "loan": which form and result templates


CALCULATORS: dict[str, Calculator] = {
    calc.slug: calc
    for calc in (
        Calculator(
            "execution-fee", "申请执行费", "按《诉讼费用交纳办法》第十四条分段累计计算执行费率", "fee"
        ),
        Calculator(
            "delay-interest",
            "迟延履行期间的债务利息",
            "加倍部分债务利息、一般债务利息，支持分次付款、分期履行、中止期间",
            "delay",
        ),
        Calculator(
            "loan-interest", "借贷利息", "按约定利率或LPR倍数计算利息，并对照民间借贷利率保护上限", "loan"
        ),
        Calculator(
            "preservation-fee", "财产保全申请费", "按实际保全的财产数额计算（第十四条第（二）项）", "fee"
        ),
        Calculator("acceptance-fee", "案件受理费", "财产案件按诉讼请求的金额或者价额计算（第十三条）", "fee"),
    )
}
MAIN_CALCULATORS = ("execution-fee", "delay-interest", "loan-interest")


# -- running -----------------------------------------------------------------------------------------


def _execution_fee(payload: Mapping[str, Any]) -> Result:
    body = dict(payload)
    code = body.pop("court", None)
    court = None
    if code not in (None, ""):
        court = selectors.court_for_code(str(code))
        if court is None:
            raise CalculationError("court", "未找到该法院，请重新选择。")
    if body.get("amount") in (None, "") and body.get("no_amount_fee") in (None, ""):
        configured = selectors.no_amount_execution_fee(court)
        if configured is not None:
            body["no_amount_fee"] = str(configured)
    return execution_fee_from_payload(body)


_RUNNERS: dict[str, Callable[[Mapping[str, Any]], Result]] = {
    "execution-fee": _execution_fee,
    "preservation-fee": preservation_fee_from_payload,
    "acceptance-fee": acceptance_fee_from_payload,
    "delay-interest": lambda p: delay_interest_from_payload(p, rate_table=selectors.rate_table()),
    "loan-interest": lambda p: loan_interest_from_payload(p, rate_table=selectors.rate_table()),
}


def run(slug: str, payload: Mapping[str, Any]) -> Result:
    """Compute ``slug`` for a JSON-shaped ``payload``. Raises only :class:`CalculationError` for bad input."""
    if not isinstance(payload, Mapping):
        raise CalculationError("body", "请求内容应为JSON对象。")
    return _RUNNERS[slug](payload)


def error_payload(error: CalculationError) -> dict[str, Any]:
    """The 422 body: ``{"detail": message, "errors": {field: [message]}, "field": ..., "message": ...}``."""
    return {"detail": error.message, "errors": {error.field: [error.message]}, **error.to_dict()}


def is_missing_rate(error: CalculationError) -> bool:
    """The error says the rate table does not reach the dates asked (staff can add LPR quotes)."""
    return "LPR" in error.message and ("补录" in error.message or "报价" in error.message)


# -- forms -------------------------------------------------------------------------------------------


def _text(data: QueryDict | Mapping[str, Any], key: str) -> str:
    value = data.get(key, "")
    return str(value).strip() if value is not None else ""


def _rows(data: QueryDict, *keys: str) -> list[list[str]]:
    """Parallel lists (``payment_date``, ``payment_amount`` …) zipped into rows; blank rows are skipped."""
    columns = [data.getlist(key) for key in keys]
    length = max((len(c) for c in columns), default=0)
    rows = []
    for index in range(length):
        row = [(c[index].strip() if index < len(c) else "") for c in columns]
        if any(row[:2]):  # a row counts when its date or amount is filled in (notes alone do not)
            rows.append(row)
    return rows


def _percent(value: str) -> str:
    """A percentage typed by a person ("15" = 15 %) as the engine's fraction; invalid text passes through."""
    try:
        number = Decimal(value.replace(",", ""))
    except InvalidOperation:
        return value
    if not number.is_finite():
        return value
    return format((number / 100).normalize(), "f")


RATE_KINDS = {
    "annual": "annual_rate",
    "monthly": "monthly_rate",
    "daily": "daily_rate",
    "lpr": "lpr_multiple",
}


def _rate(data: QueryDict, prefix: str) -> dict[str, Any] | None:
    kind = _text(data, f"{prefix}rate_kind")
    value = _text(data, f"{prefix}rate")
    if kind not in RATE_KINDS:
        return None
    out: dict[str, Any] = {}
    if kind == "lpr":
        out["lpr_multiple"] = value or None
        out["lpr_term"] = _text(data, f"{prefix}lpr_term") or "1y"
        if data.get(f"{prefix}lpr_floating"):
            out["lpr_floating"] = True
    else:
        out[RATE_KINDS[kind]] = _percent(value) if value else None
    return out


def form_payload(slug: str, data: QueryDict) -> dict[str, Any]:
    """The engine payload for the portal form (or PDF query string) of ``slug``."""
    if slug == "execution-fee":
        payload: dict[str, Any] = {"amount": _text(data, "amount") or None}
        if _text(data, "court"):
            payload["court"] = _text(data, "court")
        return payload
    if slug == "preservation-fee":
        return {"amount": _text(data, "amount") or None}
    if slug == "acceptance-fee":
        return {"amount": _text(data, "amount") or None, "reduction": _text(data, "reduction") or None}
    if slug == "delay-interest":
        payload = {
            "end_date": _text(data, "end_date") or None,
            "payments": [
                {"date": d, "amount": a, "note": n}
                for d, a, n in _rows(data, "payment_date", "payment_amount", "payment_note")
            ],
            "excluded_periods": [
                {"start": s, "end": e, "reason": r}
                for s, e, r in _rows(data, "excluded_start", "excluded_end", "excluded_reason")
            ],
            "general_interest": None,
        }
        instalments = [
            {"due_date": d, "amount": a} for d, a in _rows(data, "instalment_due", "instalment_amount")
        ]
        if instalments:
            payload["instalments"] = instalments
        if _text(data, "principal") or not instalments:
            payload["principal"] = _text(data, "principal") or None
        if _text(data, "due_date") or not instalments:
            payload["due_date"] = _text(data, "due_date") or None
        general = _rate(data, "gi_")
        if general is not None:
            if _text(data, "gi_base"):
                general["base"] = _text(data, "gi_base")
            payload["general_interest"] = general
        return payload
    if slug == "loan-interest":
        payload = {
            "principal": _text(data, "principal") or None,
            "start_date": _text(data, "start_date") or None,
            "end_date": _text(data, "end_date") or None,
            "contract_date": _text(data, "contract_date") or None,
            "repayments": [{"date": d, "amount": a} for d, a in _rows(data, "repay_date", "repay_amount")],
        }
        payload.update(_rate(data, "") or {"annual_rate": None})
        if _text(data, "filing_date"):
            payload["filing_date"] = _text(data, "filing_date")
        if _text(data, "repayment_order"):
            payload["repayment_order"] = _text(data, "repayment_order")
        if _text(data, "day_basis"):
            payload["day_basis"] = _text(data, "day_basis")
        return payload
    raise KeyError(slug)


# Where an engine error shows up in the form: payload field path → form input name.
_FORM_FIELDS = {
    "annual_rate": "rate",
    "monthly_rate": "rate",
    "daily_rate": "rate",
    "lpr_multiple": "rate",
    "general_interest.annual_rate": "gi_rate",
    "general_interest.monthly_rate": "gi_rate",
    "general_interest.daily_rate": "gi_rate",
    "general_interest.lpr_multiple": "gi_rate",
    "general_interest.base": "gi_base",
}
_ROW_LABELS = {
    "payments": ("第{n}笔付款", {"date": "付款日期", "amount": "付款金额", "note": "说明"}),
    "excluded_periods": ("第{n}个不计息期间", {"start": "起始日", "end": "结束日", "reason": "事由"}),
    "instalments": ("第{n}期", {"due_date": "履行期间届满之日", "amount": "金额"}),
    "repayments": ("第{n}笔还款", {"date": "还款日期", "amount": "还款金额"}),
}
_ROW_RE = re.compile(r"^(?P<list>[a-z_]+)\[(?P<index>\d+)\](?:\.(?P<key>[a-z_0-9]+))?$")


def form_field(path: str) -> str:
    """The form input an engine error path belongs to (row errors stay keyed by their path)."""
    return _FORM_FIELDS.get(path, path)


def error_label(path: str) -> str:
    """A readable location for an error path, e.g. ``payments[0].amount`` → 第1笔付款·付款金额."""
    match = _ROW_RE.match(path)
    if match and match["list"] in _ROW_LABELS:
        row, keys = _ROW_LABELS[match["list"]]
        label = row.format(n=int(match["index"]) + 1)
        key = match["key"]
        return f"{label}·{keys.get(key, key)}" if key else label
    return ""
