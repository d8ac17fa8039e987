"""Portal pages of the 执行计算工具 (phone-first): the index, one page per calculator and the PDF sheet.

A calculator page answers a plain form POST with the whole page and an HTMX POST with the ``#calc``
fragment (form + result); bad input re-renders with 422 and the Chinese messages beside the inputs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from zhixing.calculators import CalculationError

from . import calc, pdf, selectors


def _calculator(slug: str) -> calc.Calculator:
    try:
        return calc.CALCULATORS[slug]
    except KeyError:
        raise Http404("没有这个计算工具。") from None


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    main = [calc.CALCULATORS[slug] for slug in calc.MAIN_CALCULATORS]
    more = [c for slug, c in calc.CALCULATORS.items() if slug not in calc.MAIN_CALCULATORS]
    table = selectors.rate_table()
    context = {
        "tab": "guide",
        "main": main,
        "more": more,
        "last_lpr": table.lpr_quotes[-1],
        "lpr_valid_through": table.lpr_valid_through,
        "first_benchmark": table.benchmark_rows[0].effective_date,
        "last_benchmark": table.benchmark_rows[-1].effective_date,
    }
    return render(request, "calcweb/index.html", context)


def _form_data(data: QueryDict) -> QueryDict:
    clean = data.copy()
    clean.pop("csrfmiddlewaretoken", None)
    return clean


def _rows(data: QueryDict, *keys: str, blank: int = 1) -> list[dict[str, str]]:
    """Rows of the dynamic tables as submitted (non-empty ones), plus ``blank`` empty rows to fill in."""
    columns = {key: data.getlist(key) for key in keys}
    length = max((len(v) for v in columns.values()), default=0)
    rows = []
    for index in range(length):
        row = {key: (values[index] if index < len(values) else "") for key, values in columns.items()}
        if any(v.strip() for v in row.values()):
            rows.append(row)
    rows.extend(dict.fromkeys(keys, "") for _ in range(blank))
    return rows


def _context(request: HttpRequest, calculator: calc.Calculator, data: QueryDict) -> dict[str, Any]:
    return {
        "tab": "guide",
        "calculator": calculator,
        "v": data,
        "courts": selectors.courts_for_choice() if calculator.slug == "execution-fee" else (),
        "payments": _rows(data, "payment_date", "payment_amount", "payment_note"),
        "excluded": _rows(data, "excluded_start", "excluded_end", "excluded_reason"),
        "instalments": _rows(data, "instalment_due", "instalment_amount"),
        "repayments": _rows(data, "repay_date", "repay_amount"),
        "today": timezone.localdate(),
    }


def compute_from_form(slug: str, data: QueryDict) -> tuple[calc.Result | None, CalculationError | None]:
    try:
        return calc.run(slug, calc.form_payload(slug, data)), None
    except CalculationError as error:
        return None, error


def _error_context(error: CalculationError) -> dict[str, Any]:
    field = calc.form_field(error.field)
    return {
        "error": error,
        "errors": {field: [error.message]},
        "error_label": calc.error_label(error.field),
        "missing_rate": calc.is_missing_rate(error),
    }


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def calculator(request: HttpRequest, slug: str) -> HttpResponse:
    calculator_ = _calculator(slug)
    status = 200
    if request.method == "POST" or request.GET.get("go"):
        data = _form_data(request.POST if request.method == "POST" else request.GET)
        data.pop("go", None)
        context = _context(request, calculator_, data)
        result, error = compute_from_form(slug, data)
        if error is not None:
            context.update(_error_context(error))
            status = 422
        else:
            context.update(result=result, pdf_query=data.urlencode())
    else:
        context = _context(request, calculator_, QueryDict())
    template = "calcweb/_calc.html" if getattr(request, "htmx", False) else "calcweb/calculator.html"
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
def calculation_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The printable calculation sheet (A4 PDF) for the inputs in the query string or the POST body."""
    calculator_ = _calculator(slug)
    data = _form_data(request.POST if request.method == "POST" else request.GET)
    payload = calc.form_payload(slug, data)
    try:
        result = calc.run(slug, payload)
    except CalculationError as error:
        context = _context(request, calculator_, data)
        context.update(_error_context(error))
        return render(request, "calcweb/calculator.html", context, status=422)
    now = timezone.localtime()
    body = pdf.render_sheet(calculator=calculator_, payload=payload, result=result, when=now)
    response = HttpResponse(body, content_type="application/pdf")
    stamp = now.strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="calc-{slug}-{stamp}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def _today() -> dt.date:
    return timezone.localdate()
