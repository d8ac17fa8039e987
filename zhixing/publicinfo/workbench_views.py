"""Workbench: the queue of 失信 correction requests (纠正申请) with their 15-day review deadline."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from zhixing.lib.errors import error_dict
from zhixing.workbench.access import staff_required

from . import selectors, services
from .models import CorrectionStatus


@staff_required
def corrections(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "pending")
    if status not in CorrectionStatus.values and status != "all":
        status = "pending"
    rows = selectors.corrections_for_staff(user=request.user, status="" if status == "all" else status)[:200]
    return render(
        request,
        "publicinfo/wb_corrections.html",
        {
            "rows": rows,
            "status": status,
            "statuses": [("pending", "待审查"), ("all", "全部")],
            "today": timezone.localdate(),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def correction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    req = selectors.correction_for_staff(user=request.user, pk=pk)
    if req is None:
        raise Http404("未找到该申请，或不属于您所在法院。")
    ctx = {
        "req": req,
        "r": req.record,
        "r_public": selectors.record_public(req.record),
        "today": timezone.localdate(),
        "values": {},
    }
    if request.method == "POST":
        values = {
            k: str(request.POST.get(k, "")).strip()
            for k in ("decision", "note", "conduct", "duty", "performance")
        }
        ctx["values"] = values
        try:
            services.correction_decide(
                request=req,
                actor=request.user,
                decision=values["decision"],
                note=values["note"],
                corrected_fields={k: values[k] for k in ("conduct", "duty", "performance")},
            )
        except ValidationError as exc:
            ctx["errors"] = error_dict(exc)
            return render(request, "publicinfo/wb_correction_detail.html", ctx, status=422)
        messages.success(request, "已作出审查决定，并已通知申请人。")
        return redirect("publicinfo_wb:corrections")
    return render(request, "publicinfo/wb_correction_detail.html", ctx)
