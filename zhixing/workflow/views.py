"""Workbench pages of the segmented flow (执行实体化, 案件分配·接收, 案件查询, 统计, 外勤, 工作提醒)."""

from __future__ import annotations

import contextlib
import csv
import io
from datetime import date
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhixing.cases.models import CaseStatus, ClosureMethod, EnforcementCase
from zhixing.courts.models import Court, Membership, Role
from zhixing.lib.errors import error_dict
from zhixing.notifications.models import Notice
from zhixing.notifications.services import notice_mark_read
from zhixing.workbench.access import staff_required
from zhixing.workbench.forms import CaseSearchForm

from . import measures, paging, permissions, selectors, services
from .charts import bar_chart
from .exports import csv_safe
from .models import (
    DETENTION_CODE,
    DISHONEST_CODE,
    FINE_CODE,
    ControlStatus,
    FieldTask,
    FieldTaskPhoto,
    FundEntry,
    FundEntryKind,
    MatterCategory,
    MatterStatus,
    Property,
    PropertyKind,
)

CSV_LIMIT = 50_000


def _case_or_404(request: HttpRequest, case_id: int) -> EnforcementCase:
    case = selectors.case_for_staff(user=request.user, pk=case_id)
    if case is None:
        raise Http404("案件不存在或无权查看。")
    return case


def _parse_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _days_left(deadline: date | None, today: date) -> int | None:
    return (deadline - today).days if deadline else None


# --- 案件分配 · 接收 -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_required
def intake(request: HttpRequest) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        try:
            case_id = int(request.POST.get("case_id", "0"))
        except ValueError:
            case_id = 0
        try:
            flow = services.case_receive(
                actor=request.user, case_id=case_id, track=request.POST.get("track", "simple")
            )
        except ValidationError as exc:
            errors, status = error_dict(exc), 422
        else:
            if flow is not None and flow.stage is not None:
                messages.success(
                    request,
                    f"已接收，案件进入{flow.stage.name}阶段，承办人 {flow.assignee}，阶段期限 {flow.deadline:%Y-%m-%d}。",
                )
            else:
                messages.success(request, "已接收，该案件不适用分段集约执行。")
            return redirect("workflow:intake")
    cases = selectors.cases_pending_receipt(user=request.user)
    return render(request, "workflow/intake.html", {"cases": cases, "errors": errors}, status=status)


# --- team pages ----------------------------------------------------------------------------------------


@require_GET
@staff_required
def team(request: HttpRequest, code: str) -> HttpResponse:
    stages = selectors.stages_for_user(user=request.user, code=code)
    if not stages:
        raise Http404("阶段不存在。")
    stage = stages[0]
    today = timezone.localdate()
    qs = selectors.team_queue(user=request.user, stages=stages)
    # Page through ids on the (team|assignee, stage, deadline, case) index, then load one page of rows.
    page = Paginator(qs.values_list("pk", flat=True), 30).get_page(request.GET.get("page"))
    rows = [(flow, _days_left(flow.deadline, today)) for flow in selectors.flow_rows(list(page.object_list))]
    is_lead = bool(permissions.led_team_ids(request.user))
    return render(
        request,
        "workflow/team.html",
        {
            "stage": stage,
            "page": page,
            "rows": rows,
            "is_lead": is_lead,
            "today": today,
            "urls": _case_url_prefixes(),
        },
    )


def _case_url_prefixes() -> dict[str, str]:
    """URL prefixes for per-row links (one reverse per page instead of three per row)."""
    marker = 987654321
    return {
        "detail": reverse("workbench:case-detail", args=[marker]).split(str(marker))[0],
        "flow": reverse("workflow:matters", args=[marker]).split(str(marker))[0],
    }


# --- 事项 (stage matter page) ------------------------------------------------------------------------------


def _documents_panel_url(matter_id: int) -> str:
    try:
        return reverse("documents:matter-panel", kwargs={"matter_id": matter_id})
    except NoReverseMatch:
        return ""


def _matter_context(request: HttpRequest, case: EnforcementCase) -> dict[str, Any]:
    flow = getattr(case, "flow", None)
    stage = flow.stage if flow else None
    matters = list(selectors.case_matters(case=case, stage=stage)) if stage else []
    catalogue: dict[str, list[Any]] = {}
    if stage is not None:
        for mt in stage.matter_types.filter(is_active=True).order_by("category", "order", "id"):
            catalogue.setdefault(mt.get_category_display(), []).append(mt)
    categories = [(label, catalogue.get(label, [])) for label in MatterCategory.labels if label in catalogue]
    for m in matters:
        m.panel_url = _documents_panel_url(m.pk)  # type: ignore[attr-defined]
    team_members: list[Any] = []
    can_lead = permissions.can_lead_case(request.user, case)
    if can_lead and flow and flow.team_id:
        team_members = [
            m.user
            for m in Membership.objects.filter(
                team_id=flow.team_id, role__in=[Role.JUDGE, Role.TEAM_LEAD], is_active=True
            ).select_related("user")
        ]
    return {
        "case": case,
        "flow": flow,
        "stage": stage,
        "matters": matters,
        "categories": categories,
        "can_act": permissions.can_act_on_case(request.user, case),
        "can_lead": can_lead,
        "team_members": team_members,
        "officers": selectors.field_officers(court_id=case.court_id),
        "respondents": case.respondents,
        "grounds": sorted(measures.DISHONEST_GROUNDS.items()),
        "measure_kinds": list(measures.MEASURE_KINDS.items()),
        "codes": {"dishonest": DISHONEST_CODE, "fine": FINE_CODE, "detention": DETENTION_CODE},
        "statuses": MatterStatus.choices,
        "days_left": _days_left(flow.deadline, timezone.localdate()) if flow and flow.deadline else None,
        "tasks": list(
            FieldTask.objects.filter(case=case)
            .select_related("assigned_to", "matter__matter_type")
            .order_by("-id")
        ),
        "today": timezone.localdate(),
    }


@require_http_methods(["GET", "POST"])
@staff_required
def matters(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case_or_404(request, case_id)
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        try:
            services.matter_add(
                actor=request.user,
                case=case,
                matter_type_id=int(request.POST.get("matter_type") or 0),
                note=request.POST.get("note", ""),
            )
        except PermissionDenied:
            raise
        except (ValidationError, ValueError) as exc:
            errors = (
                error_dict(exc) if isinstance(exc, ValidationError) else {"matter_type": ["请选择事项。"]}
            )
            status = 422
        else:
            messages.success(request, "已添加事项。")
            return redirect("workflow:matters", case_id=case.pk)
    ctx = _matter_context(request, case)
    ctx["errors"] = errors
    return render(request, "workflow/matters.html", ctx, status=status)


def _measure_data(post: Any) -> dict[str, Any]:
    return {
        "kinds": post.getlist("kinds"),
        "party_id": post.get("party_id"),
        "grounds": post.getlist("grounds"),
        "art3_checked": post.get("art3_checked") == "on",
        "severe": post.get("severe") == "on",
        "extension_years": post.get("extension_years") or 0,
        "target_kind": post.get("target_kind"),
        "target_name": post.get("target_name", ""),
        "amount": post.get("amount", ""),
        "days": post.get("days"),
    }


@require_POST
@staff_required
def matter_edit(request: HttpRequest, matter_id: int) -> HttpResponse:
    from .models import CaseMatter

    matter = get_object_or_404(CaseMatter.objects.select_related("matter_type", "case"), pk=matter_id)
    case = _case_or_404(request, matter.case_id)
    matter.case = case
    code = matter.matter_type.code
    data = _measure_data(request.POST) if code in (DISHONEST_CODE, FINE_CODE, DETENTION_CODE) else None
    try:
        services.matter_update(
            actor=request.user,
            matter=matter,
            status=request.POST.get("status", matter.status),
            note=request.POST.get("note", ""),
            data=data,
            decided_on=_parse_date(request.POST.get("decided_on")),
        )
    except ValidationError as exc:
        ctx = _matter_context(request, case)
        ctx["errors"] = {f"m{matter.pk}.{k}": v for k, v in error_dict(exc).items()}
        ctx["error_matter"] = matter.pk
        ctx["error_list"] = [m for msgs in error_dict(exc).values() for m in msgs]
        return render(request, "workflow/matters.html", ctx, status=422)
    messages.success(request, f"已保存“{matter.matter_type.name}”。")
    return redirect("workflow:matters", case_id=case.pk)


@require_POST
@staff_required
def matter_lift(request: HttpRequest, matter_id: int) -> HttpResponse:
    from .models import CaseMatter

    matter = get_object_or_404(CaseMatter.objects.select_related("matter_type", "case"), pk=matter_id)
    case = _case_or_404(request, matter.case_id)
    matter.case = case
    try:
        services.matter_lift(actor=request.user, matter=matter, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        for msg in [m for msgs in error_dict(exc).values() for m in msgs]:
            messages.error(request, msg)
        ctx = _matter_context(request, case)
        ctx["error_list"] = [m for msgs in error_dict(exc).values() for m in msgs]
        return render(request, "workflow/matters.html", ctx, status=422)
    messages.success(request, "已解除限消失信措施。")
    return redirect("workflow:matters", case_id=case.pk)


@require_POST
@staff_required
def reassign(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case_or_404(request, case_id)
    try:
        services.flow_reassign(
            actor=request.user, case=case, assignee_id=int(request.POST.get("assignee") or 0)
        )
    except (ValidationError, ValueError) as exc:
        ctx = _matter_context(request, case)
        ctx["error_list"] = (
            [m for msgs in error_dict(exc).values() for m in msgs]
            if isinstance(exc, ValidationError)
            else ["请选择承办人。"]
        )
        return render(request, "workflow/matters.html", ctx, status=422)
    messages.success(request, "已调整承办人。")
    return redirect("workflow:matters", case_id=case.pk)


# --- 流转 · 事项信息 ------------------------------------------------------------------------------------------


def _flow_context(request: HttpRequest, case: EnforcementCase) -> dict[str, Any]:
    flow = getattr(case, "flow", None)
    stage = flow.stage if flow else None
    record = selectors.current_record(case)
    items = []
    if stage is not None:
        for m in selectors.case_matters(case=case, stage=stage):
            docs = selectors.matter_related_documents(m)
            note = (record.matter_notes.get(str(m.pk), "") if record else "") if record else ""
            items.append({"matter": m, "docs_head": docs[:3], "docs_more": docs[3:], "note": note})
    uses_auction = bool(stage and selectors.stage_uses_auction(stage))
    next_all = selectors.transitions_from(stage, has_auction=None) if stage else []
    next_yes = (
        {s.code for s in selectors.transitions_from(stage, has_auction=True)}
        if uses_auction and stage
        else set()
    )
    next_no = (
        {s.code for s in selectors.transitions_from(stage, has_auction=False)}
        if uses_auction and stage
        else set()
    )
    options = []
    for s in next_all:
        tag = ""
        if uses_auction:
            tag = (
                "有拍"
                if s.code in next_yes and s.code not in next_no
                else ("无拍" if s.code in next_no and s.code not in next_yes else "")
            )
        options.append({"stage": s, "tag": tag})
    return {
        "case": case,
        "flow": flow,
        "stage": stage,
        "record": record,
        "items": items,
        "uses_auction": uses_auction,
        "options": options,
        "can_act": permissions.can_act_on_case(request.user, case),
        "closure_methods": ClosureMethod.choices,
        "termination_conditions": list(services.TERMINATION_CONDITIONS.items()),
        "three_months_on": services._add_months(case.filed_on, 3),
    }


def _bool_or_none(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


@require_http_methods(["GET", "POST"])
@staff_required
def flow(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case_or_404(request, case_id)
    if request.method == "POST":
        if not permissions.can_act_on_case(request.user, case):
            raise PermissionDenied("只有本阶段承办人或团队负责人可以办理。")
        try:
            version = int(request.POST.get("version", "-1"))
        except ValueError:
            version = -1
        notes = {k[5:]: request.POST.get(k, "") for k in request.POST if k.startswith("note_")}
        action = request.POST.get("action")
        try:
            if action == "draft":
                services.stage_draft_save(
                    actor=request.user,
                    case_id=case.pk,
                    version=version,
                    matter_notes=notes,
                    other_notes=request.POST.get("other_notes", ""),
                    next_stage_code=request.POST.get("next_stage", ""),
                    has_auction=_bool_or_none(request.POST.get("has_auction")),
                )
                messages.success(
                    request, "已暂存，说明已根据电子卷宗文书自动填写（无关联文书的请手工录入）。"
                )
                return redirect("workflow:flow", case_id=case.pk)
            result = services.stage_submit(
                actor=request.user,
                case_id=case.pk,
                version=version,
                next_stage_code=request.POST.get("next_stage", ""),
                has_auction=_bool_or_none(request.POST.get("has_auction")),
                matter_notes=notes,
                other_notes=request.POST.get("other_notes", ""),
                closure_method=request.POST.get("closure_method", ""),
                conditions=request.POST.getlist("conditions"),
            )
        except ValidationError as exc:
            case = _case_or_404(request, case_id)
            ctx = _flow_context(request, case)
            ctx["error_list"] = [m for msgs in error_dict(exc).values() for m in msgs]
            ctx["posted"] = request.POST
            return render(request, "workflow/flow.html", ctx, status=422)
        if result.closed:
            messages.success(request, "已提交，案件已结案归档。")
        else:
            assert result.stage is not None
            messages.success(request, f"已提交，案件进入{result.stage.name}阶段。")
        return redirect("workflow:team-" + (case.flow.stage.code if case.flow.stage else "asset_control"))
    return render(request, "workflow/flow.html", _flow_context(request, case))


# --- property register -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_required
def property_register(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case_or_404(request, case_id)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        try:
            services.property_add(
                actor=request.user,
                case=case,
                kind=request.POST.get("kind", ""),
                description=request.POST.get("description", ""),
                identifier=request.POST.get("identifier", ""),
                value=request.POST.get("value") or None,
                owner_id=int(request.POST["owner_id"])
                if request.POST.get("owner_id", "").isdigit()
                else None,
                note=request.POST.get("note", ""),
            )
        except ValidationError as exc:
            errors, status = [m for msgs in error_dict(exc).values() for m in msgs], 422
        else:
            messages.success(request, "已登记财产。")
            return redirect("workflow:property", case_id=case.pk)
    return _render_property(request, case, errors, status)


def _render_property(
    request: HttpRequest, case: EnforcementCase, errors: list[str], status: int
) -> HttpResponse:
    today = timezone.localdate()
    props = list(Property.objects.filter(case=case).select_related("owner").order_by("id"))
    rows = [(p, _days_left(p.expires_on, today)) for p in props]
    return render(
        request,
        "workflow/property.html",
        {
            "case": case,
            "rows": rows,
            "kinds": PropertyKind.choices,
            "controls": [c for c in ControlStatus.choices if c[0] != ControlStatus.NONE],
            "can_act": permissions.can_act_on_case(request.user, case),
            "error_list": errors,
            "today": today,
        },
        status=status,
    )


@require_POST
@staff_required
def property_control(request: HttpRequest, property_id: int) -> HttpResponse:
    prop = get_object_or_404(Property, pk=property_id)
    case = _case_or_404(request, prop.case_id)
    prop.case = case
    try:
        services.property_control(
            actor=request.user,
            prop=prop,
            status=request.POST.get("status", ""),
            on=_parse_date(request.POST.get("on")) or timezone.localdate(),
            note=request.POST.get("note", ""),
        )
    except ValidationError as exc:
        return _render_property(request, case, [m for msgs in error_dict(exc).values() for m in msgs], 422)
    messages.success(request, "已更新财产控制状态。")
    return redirect("workflow:property", case_id=case.pk)


# --- funds ledger ----------------------------------------------------------------------------------------


def _render_funds(
    request: HttpRequest, case: EnforcementCase, errors: list[str], status: int
) -> HttpResponse:
    entries = list(FundEntry.objects.filter(case=case).order_by("created_at", "id"))
    return render(
        request,
        "workflow/funds.html",
        {
            "case": case,
            "entries": entries,
            "balance": services.fund_balance(case),
            "kinds": FundEntryKind.choices,
            "can_act": permissions.can_act_on_case(request.user, case),
            "error_list": errors,
            "today": timezone.localdate(),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@staff_required
def funds(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case_or_404(request, case_id)
    if request.method == "POST":
        try:
            services.fund_record(
                actor=request.user,
                case=case,
                kind=request.POST.get("kind", ""),
                amount=request.POST.get("amount", ""),
                counterparty=request.POST.get("counterparty", ""),
                note=request.POST.get("note", ""),
                due_on=_parse_date(request.POST.get("due_on")),
            )
        except ValidationError as exc:
            return _render_funds(request, case, [m for msgs in error_dict(exc).values() for m in msgs], 422)
        messages.success(request, "已记账。")
        return redirect("workflow:funds", case_id=case.pk)
    return _render_funds(request, case, [], 200)


@require_POST
@staff_required
def fund_pay(request: HttpRequest, entry_id: int) -> HttpResponse:
    entry = get_object_or_404(FundEntry, pk=entry_id)
    case = _case_or_404(request, entry.case_id)
    try:
        services.fund_payout(actor=request.user, entry_id=entry.pk, case=case)
    except ValidationError as exc:
        return _render_funds(request, case, [m for msgs in error_dict(exc).values() for m in msgs], 422)
    messages.success(request, "已发放。")
    return redirect("workflow:funds", case_id=case.pk)


# --- field tasks -----------------------------------------------------------------------------------------


@require_POST
@staff_required
def task_new(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case_or_404(request, case_id)
    try:
        services.field_task_assign(
            actor=request.user,
            case=case,
            officer_id=int(request.POST.get("officer") or 0),
            instructions=request.POST.get("instructions", ""),
            place=request.POST.get("place", ""),
            due_on=_parse_date(request.POST.get("due_on")),
            matter_id=int(request.POST["matter"]) if request.POST.get("matter", "").isdigit() else None,
        )
    except ValidationError as exc:
        ctx = _matter_context(request, case)
        ctx["error_list"] = [m for msgs in error_dict(exc).values() for m in msgs]
        return render(request, "workflow/matters.html", ctx, status=422)
    messages.success(request, "已交办外勤事项。")
    return redirect("workflow:matters", case_id=case.pk)


@require_GET
@staff_required
def tasks(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "workflow/tasks.html",
        {"tasks": selectors.field_tasks_of_officer(user=request.user), "today": timezone.localdate()},
    )


def _task_visible(request: HttpRequest, task: FieldTask) -> bool:
    return task.assigned_to_id == request.user.pk or permissions.can_view_case(request.user, task.case)


@require_http_methods(["GET", "POST"])
@staff_required
def task_detail(request: HttpRequest, task_id: int) -> HttpResponse:
    task = get_object_or_404(
        FieldTask.objects.select_related(
            "case", "case__court", "assigned_to", "assigned_by", "matter__matter_type"
        ),
        pk=task_id,
    )
    if not _task_visible(request, task):
        raise Http404("交办事项不存在或无权查看。")
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        try:
            services.field_task_report(
                actor=request.user,
                task=task,
                result=request.POST.get("result", ""),
                photos=request.FILES.getlist("photos"),
            )
        except ValidationError as exc:
            errors, status = [m for msgs in error_dict(exc).values() for m in msgs], 422
        else:
            messages.success(request, "已反馈办理结果。")
            return redirect("workflow:task-detail", task_id=task.pk)
    return render(
        request,
        "workflow/task_detail.html",
        {
            "task": task,
            "photos": list(task.photos.all()),
            "is_officer": task.assigned_to_id == request.user.pk,
            "error_list": errors,
        },
        status=status,
    )


@require_GET
@staff_required
def photo(request: HttpRequest, photo_id: int) -> HttpResponse:
    item = get_object_or_404(FieldTaskPhoto.objects.select_related("task", "task__case"), pk=photo_id)
    if not _task_visible(request, item.task):
        raise Http404("照片不存在或无权查看。")
    # An attachment like every other upload (an <img> still shows it); the bytes are a re-encoded JPEG.
    response = FileResponse(
        default_storage.open(item.file, "rb"),
        content_type="image/jpeg",
        as_attachment=True,
        filename=f"外勤照片-{item.pk}.jpg",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return cast(HttpResponse, response)  # streaming responses go through the same middleware


# --- 案件查询 / 全院案件 ---------------------------------------------------------------------------------------


def search_context(request: HttpRequest, *, require_criteria: bool) -> tuple[dict[str, Any], int]:
    """Shared by 案件查询 (results after a query) and 全院案件 (everything by default)."""
    court_ids = permissions.staff_court_ids(request.user)
    courts = Court.objects.filter(pk__in=court_ids)
    params = {k: v for k, v in request.GET.items() if k != "page"}
    form = CaseSearchForm(params or None, courts=courts, court_ids=court_ids)
    status = 200
    filters: dict[str, Any] | None = None
    if form.is_bound:
        if form.is_valid():
            filters = form.filters()
        else:
            status = 422
    elif not require_criteria:
        filters = {}

    def ids(plan: str) -> QuerySet[Any]:
        if filters is None:
            return EnforcementCase.objects.none().values_list("pk", flat=True)
        return selectors.case_search(user=request.user, plan=plan, **filters).values_list("pk", flat=True)

    # Page through ids, then load the rows of one page. The count stops after 1,000 rows (“超过 1000
    # 件”, see paging); the substring and flow filters are index-driven (see case_search). When the
    # count is capped (thousands match) a shallow page is read in list order and stops after twenty.
    number = request.GET.get("page")
    paginator = paging.CappedPaginator(ids(""), 20, page=number, count_list=ids(selectors.Plan.COLLECT))
    paginator.object_list = ids(selectors.Plan.WALK if paginator.shallow else selectors.Plan.COLLECT)
    page = paginator.get_page(number)
    today = timezone.localdate()
    rows = [(c, _flow_days(c, today)) for c in selectors.case_rows(list(page.object_list))]
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "form": form,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "searched": form.is_bound,
        "urls": _case_url_prefixes(),
    }, status


def _flow_days(case: EnforcementCase, today: date) -> int | None:
    flow = getattr(case, "flow", None)
    if flow is None or flow.stage_id is None or case.status != CaseStatus.ACTIVE:
        return None
    return _days_left(flow.deadline, today)


@require_GET
@staff_required
def search(request: HttpRequest) -> HttpResponse:
    ctx, status = search_context(request, require_criteria=True)
    ctx.update(title="案件查询", action=reverse("workflow:search"))
    template = "workflow/_search_table.html" if getattr(request, "htmx", False) else "workflow/search.html"
    return render(request, template, ctx, status=status)


@require_GET
@staff_required
def search_export(request: HttpRequest) -> HttpResponse:
    courts = Court.objects.filter(pk__in=permissions.staff_court_ids(request.user))
    form = CaseSearchForm(request.GET or None, courts=courts)
    if form.is_bound and not form.is_valid():
        return HttpResponse("查询条件不正确。", status=422, content_type="text/plain; charset=utf-8")
    filters = form.filters() if form.is_bound else {}
    ids = list(selectors.case_search(user=request.user, **filters).values_list("pk", flat=True)[:CSV_LIMIT])
    today = timezone.localdate()

    def rows() -> Any:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write("\ufeff")  # Excel opens UTF-8 CSV correctly with a BOM
        writer.writerow(
            [
                "案号",
                "申请执行人",
                "被执行人",
                "执行标的（元）",
                "立案日期",
                "承办法官",
                "当前阶段",
                "阶段期限",
                "剩余天数",
                "案件状态",
                "法院",
            ]
        )
        yield buffer.getvalue()
        cases = (
            c for start in range(0, len(ids), 500) for c in selectors.case_rows(ids[start : start + 500])
        )
        for c in cases:
            buffer.seek(0)
            buffer.truncate()
            flow = getattr(c, "flow", None)
            days = _flow_days(c, today)
            writer.writerow(
                [
                    csv_safe(v)
                    for v in [
                        c.number,
                        "、".join(p.name for p in c.applicants),
                        "、".join(p.name for p in c.respondents),
                        f"{c.amount:.2f}" if c.amount is not None else "",
                        c.filed_on.isoformat(),
                        str(c.judge or ""),
                        flow.stage.name if flow and flow.stage else "",
                        flow.deadline.isoformat() if flow and flow.stage and flow.deadline else "",
                        "" if days is None else str(days),
                        c.get_status_display(),
                        c.court.name,
                    ]
                ]
            )
            yield buffer.getvalue()

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = "attachment; filename*=UTF-8''cases.csv"
    return cast(HttpResponse, response)


# --- leadership statistics ------------------------------------------------------------------------------


@require_GET
@staff_required
def stats(request: HttpRequest) -> HttpResponse:
    if not permissions.is_leader(request.user):
        raise PermissionDenied("仅团队负责人及院领导可以查看分段统计。")
    court_ids = {
        m.court_id
        for m in permissions.memberships_of(request.user)
        if m.role == Role.TEAM_LEAD or m.role in permissions.COURT_WIDE_ROLES
    }
    data = selectors.stage_statistics(court_ids=court_ids)
    return render(
        request,
        "workflow/stats.html",
        {
            "stats": data,
            "chart_stage": bar_chart(data.per_stage, unit="件"),
            "chart_overdue": bar_chart(data.overdue_per_team, unit="件", color="#b91c1c"),
            "chart_duration": bar_chart(data.avg_days_per_stage, unit="天", color="#1d4ed8"),
        },
    )


# --- 工作提醒 --------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_required
def notices(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        with contextlib.suppress(ValueError):
            notice_mark_read(user=request.user, notice_id=int(request.POST.get("notice") or 0))
        return redirect("workflow:notices")
    qs = Notice.objects.filter(user_id=request.user.pk or 0).order_by("-created_at", "-id")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(request, "workflow/notices.html", {"page": page})


# --- 节假日调整 (court calendar overrides) ------------------------------------------------------------------


def _covered_years(today: date) -> tuple[list[int], list[int]]:
    """Years of the official holiday calendar around today: (covered, not yet covered) for last year … +2."""
    from zhixing.lib.workdays import year_covered

    years = range(today.year - 1, today.year + 3)
    return [y for y in years if year_covered(y)], [y for y in years if not year_covered(y)]


def _calendar_first_year() -> int | None:
    from zhixing.lib.workdays import year_covered

    return next((y for y in range(2000, 2100) if year_covered(y)), None)


@require_http_methods(["GET", "POST"])
@staff_required
def calendar(request: HttpRequest) -> HttpResponse:
    """节假日调整: a court's holiday / make-up working day changes (院领导 and 系统管理员 of the court)."""
    from .models import CalendarOverride

    court_ids = permissions.calendar_court_ids(request.user)
    if not court_ids:
        raise PermissionDenied("只有院领导或系统管理员可以调整节假日。")
    try:
        court_id = int(request.POST.get("court") or request.GET.get("court") or court_ids[0])
    except ValueError:
        court_id = court_ids[0]
    if court_id not in court_ids:
        raise PermissionDenied("只能调整本院的节假日。")
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        try:
            services.calendar_override_add(
                actor=request.user,
                court_id=court_id,
                day=_parse_date(request.POST.get("day")),
                is_workday=request.POST.get("kind") == "workday",
                name=request.POST.get("name", ""),
            )
        except ValidationError as exc:
            errors, status = error_dict(exc), 422
        else:
            messages.success(request, "已保存节假日调整。此后计算的工作日期限将按此调整。")
            return redirect(f"{reverse('workflow:calendar')}?court={court_id}")
    today = timezone.localdate()
    covered, uncovered = _covered_years(today)
    first = _calendar_first_year()
    last = max(covered) if covered else None
    overrides = (
        CalendarOverride.objects.filter(court_id=court_id).select_related("created_by").order_by("-day")
    )
    site_wide = CalendarOverride.objects.filter(court__isnull=True).order_by("-day")
    return render(
        request,
        "workflow/calendar.html",
        {
            "courts": Court.objects.filter(pk__in=court_ids).order_by("id"),
            "court_id": court_id,
            "overrides": list(overrides),
            "site_wide": list(site_wide),
            "first_year": first,
            "last_year": last,
            "uncovered": uncovered,
            "errors": errors,
            "posted": request.POST if status != 200 else {},
        },
        status=status,
    )


@require_POST
@staff_required
def calendar_delete(request: HttpRequest, override_id: int) -> HttpResponse:
    from .models import CalendarOverride

    override = CalendarOverride.objects.filter(pk=override_id, court__isnull=False).first()
    if override is None:
        raise Http404("调整记录不存在。")
    services.calendar_override_delete(actor=request.user, override_id=override.pk)  # checks the court role
    messages.success(request, f"已删除 {override.day:%Y-%m-%d} 的调整。")
    return redirect(f"{reverse('workflow:calendar')}?court={override.court_id}")
