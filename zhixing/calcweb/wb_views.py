"""Workbench page where system administrators add the monthly LPR quotes the calculators use."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from zhixing.calculators import RateTable
from zhixing.lib.errors import error_dict
from zhixing.workbench.access import staff_required

from . import selectors, services
from .models import LPR_SOURCE_DEFAULT, LprQuote


def sysadmin_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Staff only (login otherwise), and only system administrators (403 otherwise)."""

    @staff_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not selectors.may_manage_rates(request.user):
            raise PermissionDenied("仅限系统管理员维护利率表。")
        return view(request, *args, **kwargs)

    return wrapper


def _context(**extra: Any) -> dict[str, Any]:
    table = selectors.rate_table()
    shipped = RateTable.default().lpr_quotes[-6:]
    return {
        "entered": selectors.lpr_quotes_entered()[:60],
        "last_quote": table.lpr_quotes[-1],
        "valid_through": table.lpr_valid_through,
        "shipped_recent": list(reversed(shipped)),
        "default_source": LPR_SOURCE_DEFAULT,
        **extra,
    }


@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
@sysadmin_required
def lpr(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        data = request.POST
        try:
            quote = services.lpr_quote_create(
                actor=request.user,
                date=data.get("date", ""),
                lpr_1y=data.get("lpr_1y", ""),
                lpr_5y_plus=data.get("lpr_5y_plus", ""),
                source=data.get("source", ""),
            )
        except ValidationError as exc:
            context = _context(errors=error_dict(exc), v=data)
            return render(request, "calcweb/wb/lpr.html", context, status=422)
        messages.success(request, f"已录入{quote.date:%Y-%m-%d}的LPR报价。")
        return redirect("calcweb_wb:lpr")
    return render(request, "calcweb/wb/lpr.html", _context(v={}))


@require_POST
@sysadmin_required
def lpr_delete(request: HttpRequest, pk: int) -> HttpResponse:
    quote = get_object_or_404(LprQuote, pk=pk)
    services.lpr_quote_delete(actor=request.user, quote=quote)
    messages.success(request, f"已删除{quote.date:%Y-%m-%d}的LPR报价。")
    return redirect("calcweb_wb:lpr")
