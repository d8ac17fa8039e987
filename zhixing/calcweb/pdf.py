"""The printable calculation sheet: an A4 PDF made with WeasyPrint from ``calcweb/pdf.html``.

The CJK font is WenQuanYi Micro Hei from Debian's ``fonts-wqy-microhei`` (embedded as a subset; needs
``libharfbuzz-subset0`` for speed). ``@page`` margin boxes do not inherit the body font, so the
stylesheet names the font there too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

from zhixing.calculators.money import fmt_percent, round_money
from zhixing.lib.fonts import cjk_font_url

from . import calc

_LABELS = {
    "amount": "金额或者价额",
    "court": "法院",
    "no_amount_fee": "无金额案件收费标准",
    "reduction": "减半事由",
    "principal": "金钱债务 / 本金",
    "due_date": "履行期间届满之日",
    "end_date": "计算截止日",
    "start_date": "起息日",
    "contract_date": "合同成立日",
    "filing_date": "起诉日",
    "annual_rate": "年利率",
    "monthly_rate": "月利率",
    "daily_rate": "日利率",
    "lpr_multiple": "LPR倍数",
    "lpr_term": "LPR期限",
    "lpr_floating": "LPR浮动",
    "repayment_order": "还款冲抵顺序",
    "day_basis": "每年天数",
}
_VALUES = {
    "lpr_term": {"1y": "1年期", "5y": "5年期以上"},
    "repayment_order": {"interest_first": "先息后本", "principal_first": "先本后息"},
    "reduction": {
        "mediation": "调解结案",
        "withdrawal": "撤诉",
        "simplified": "简易程序",
        "counterclaim": "反诉合并审理",
    },
}


def _plain(key: str, value: object) -> str:
    if value is True:
        return "是"
    if key in ("annual_rate", "monthly_rate", "daily_rate"):
        try:
            return fmt_percent(Decimal(str(value)))
        except (InvalidOperation, ValueError):
            return str(value)
    text = str(value)
    return _VALUES.get(key, {}).get(text, text)


_ORDER = [
    "amount",
    "court",
    "reduction",
    "principal",
    "start_date",
    "due_date",
    "contract_date",
    "end_date",
    "filing_date",
    "instalments",
    "annual_rate",
    "monthly_rate",
    "daily_rate",
    "lpr_multiple",
    "lpr_term",
    "lpr_floating",
    "payments",
    "repayments",
    "excluded_periods",
    "general_interest",
    "repayment_order",
    "day_basis",
]
_MONEY_KEYS = {"amount", "principal", "no_amount_fee", "base"}


def _money(value: object) -> str:
    try:
        return f"{round_money(Decimal(str(value).replace(',', ''))):,.2f}元"
    except (InvalidOperation, ValueError):
        return str(value)


def input_rows(payload: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The user's inputs as (label, value) rows for the sheet in a fixed order; empty values left out."""
    rows: list[tuple[str, str]] = []
    keys = sorted(payload, key=lambda k: _ORDER.index(k) if k in _ORDER else len(_ORDER))
    for key in keys:
        value = payload[key]
        if value in (None, "", []):
            continue
        if key == "payments":
            for n, item in enumerate(value, 1):
                note = f"（{item['note']}）" if item.get("note") else ""
                rows.append((f"第{n}笔付款", f"{item.get('date')}　{_money(item.get('amount'))}{note}"))
        elif key == "repayments":
            for n, item in enumerate(value, 1):
                rows.append((f"第{n}笔还款", f"{item.get('date')}　{_money(item.get('amount'))}"))
        elif key == "excluded_periods":
            for n, item in enumerate(value, 1):
                reason = f"（{item['reason']}）" if item.get("reason") else ""
                rows.append((f"不计加倍利息期间{n}", f"{item.get('start')}至{item.get('end')}{reason}"))
        elif key == "instalments":
            for n, item in enumerate(value, 1):
                rows.append((f"第{n}期", f"{item.get('due_date')}届满　{_money(item.get('amount'))}"))
        elif key == "general_interest":
            parts = [f"{_LABELS.get(k, k)} {_plain(k, v)}" for k, v in value.items() if v not in (None, "")]
            rows.append(("一般债务利息", "；".join(parts)))
        elif key == "court":
            from .selectors import court_for_code

            court = court_for_code(str(value))
            rows.append((_LABELS[key], court.name if court else str(value)))
        elif key in _MONEY_KEYS:
            rows.append((_LABELS.get(key, key), _money(value)))
        else:
            rows.append((_LABELS.get(key, key), _plain(key, value)))
    return rows


def render_sheet(
    *, calculator: calc.Calculator, payload: Mapping[str, Any], result: calc.Result, when: dt.datetime
) -> bytes:
    """The PDF bytes of one calculation sheet."""
    from weasyprint import HTML

    html = render_to_string(
        "calcweb/pdf.html",
        {
            "calculator": calculator,
            "result": result,
            "inputs": input_rows(payload),
            "when": when,
            "font_url": cjk_font_url(),
            "print": True,
        },
    )
    document: bytes = HTML(string=html, base_url=str(Path(__file__).parent)).write_pdf()
    return document
