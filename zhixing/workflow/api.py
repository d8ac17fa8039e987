"""Segmented-flow API for court staff: my team queue per stage, a case's flow state, stage submit.

Same selectors and services as the workbench pages, same permission checks (only the stage's assignee or the
lead of the team holding the case may submit; illegal transitions and stale versions → 422 with a Chinese
message; two simultaneous submits of the same version → exactly one transition).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import django_auth

from zhixing.cases.models import CaseStatus, ClosureMethod, EnforcementCase
from zhixing.workbench.access import is_staff_user

from . import permissions, selectors, services
from .models import CaseFlow, Stage

API_PREFIX = "/flow/"
router = Router(tags=["分段集约执行"], auth=django_auth)


def _staff(request: HttpRequest) -> Any:
    if not is_staff_user(request.user):
        raise PermissionDenied("仅限法院工作人员使用。")
    return request.user


def _days_left(deadline: date | None) -> int | None:
    return (deadline - timezone.localdate()).days if deadline else None


class StageOut(Schema):
    code: str
    name: str
    deadline_days: int
    deadline_kind: str = Field(description="calendar 自然日 / working 工作日")
    documents_label: str
    is_final: bool


class QueueSummary(Schema):
    code: str
    name: str
    count: int = Field(description="我的（团队负责人：本团队的）处于该阶段的案件数")
    overdue: int


class QueueItem(Schema):
    case_id: int
    number: str
    applicants: list[str]
    respondents: list[str]
    amount: str | None = Field(description="执行标的（元），字符串，精确到分")
    entered_at: datetime | None
    deadline: date | None
    days_left: int | None = Field(description="距阶段期限的天数，负数为已超期")
    overdue: bool
    assignee: str | None
    team: str | None


class NextStageOut(Schema):
    code: str
    name: str
    auction: str = Field(description="yes 仅有拍 / no 仅无拍 / any 不限")


class MatterOut(Schema):
    id: int
    code: str
    name: str
    category: str
    status: str
    started_on: date
    completed_on: date | None
    note: str


class FlowState(Schema):
    case_id: int
    number: str
    case_status: str
    in_flow: bool
    stage: StageOut | None
    team: str | None
    assignee: str | None
    entered_at: datetime | None
    deadline: date | None
    days_left: int | None
    deadline_warning: str
    version: int = Field(description="提交时原样带回；案件已被他人流转时提交会被拒绝")
    has_auction: bool | None
    can_act: bool = Field(description="当前用户是否可以办理（承办人或团队负责人）")
    uses_auction: bool = Field(description="本阶段提交时须选择是否有拍")
    next_stages: list[NextStageOut]
    closure_methods: list[str] = Field(description="结案阶段可选的结案方式代码")
    matters: list[MatterOut]


class SubmitIn(Schema):
    version: int
    next_stage: str = Field("", description="后续阶段代码；结案阶段留空")
    has_auction: bool | None = None
    other_notes: str = ""
    matter_notes: dict[str, str] | None = Field(None, description="事项 id → 说明")
    closure_method: str = Field("", description="结案阶段：fulfilled、terminated_this_round …")
    conditions: list[str] = Field(default_factory=list, description="终结本次执行程序须确认的条件代码")


class SubmitOut(Schema):
    closed: bool
    stage: str | None = Field(description="进入的阶段代码；结案时为空")
    flow: FlowState


def _queue_item(flow: CaseFlow) -> dict[str, Any]:
    case = flow.case
    days = _days_left(flow.deadline)
    return {
        "case_id": case.pk,
        "number": case.number,
        "applicants": [p.name for p in case.applicants],
        "respondents": [p.name for p in case.respondents],
        "amount": None if case.amount is None else f"{case.amount:.2f}",
        "entered_at": flow.entered_at,
        "deadline": flow.deadline,
        "days_left": days,
        "overdue": days is not None and days < 0,
        "assignee": str(flow.assignee) if flow.assignee else None,
        "team": flow.team.name if flow.team else None,
    }


def _stage_out(stage: Stage) -> dict[str, Any]:
    return {
        "code": stage.code,
        "name": stage.name,
        "deadline_days": stage.deadline_days,
        "deadline_kind": stage.deadline_kind,
        "documents_label": stage.documents_label,
        "is_final": stage.is_final,
    }


def _flow_state(user: Any, case: EnforcementCase) -> dict[str, Any]:
    flow: CaseFlow | None = getattr(case, "flow", None)
    stage = flow.stage if flow is not None and case.status == CaseStatus.ACTIVE else None
    next_stages: list[dict[str, Any]] = []
    uses_auction = False
    if stage is not None and not stage.is_final:
        uses_auction = selectors.stage_uses_auction(stage)
        yes = {s.code for s in selectors.transitions_from(stage, has_auction=True)}
        no = {s.code for s in selectors.transitions_from(stage, has_auction=False)}
        for s in selectors.transitions_from(stage, has_auction=None):
            auction = (
                "yes"
                if s.code in yes and s.code not in no
                else "no"
                if s.code in no and s.code not in yes
                else "any"
            )
            next_stages.append({"code": s.code, "name": s.name, "auction": auction})
    matters = [
        {
            "id": m.pk,
            "code": m.matter_type.code,
            "name": m.matter_type.name,
            "category": m.matter_type.category,
            "status": m.status,
            "started_on": m.started_on,
            "completed_on": m.completed_on,
            "note": m.note,
        }
        for m in (selectors.case_matters(case=case, stage=stage) if stage is not None else [])
    ]
    return {
        "case_id": case.pk,
        "number": case.number,
        "case_status": case.status,
        "in_flow": stage is not None,
        "stage": _stage_out(stage) if stage is not None else None,
        "team": flow.team.name if flow is not None and stage is not None and flow.team else None,
        "assignee": str(flow.assignee) if flow is not None and stage is not None and flow.assignee else None,
        "entered_at": flow.entered_at if flow is not None and stage is not None else None,
        "deadline": flow.deadline if flow is not None and stage is not None else None,
        "days_left": _days_left(flow.deadline) if flow is not None and stage is not None else None,
        "deadline_warning": flow.deadline_warning if flow is not None and stage is not None else "",
        "version": flow.version if flow is not None else 0,
        "has_auction": flow.has_auction if flow is not None else None,
        "can_act": permissions.can_act_on_case(user, case),
        "uses_auction": uses_auction,
        "next_stages": next_stages,
        "closure_methods": list(ClosureMethod.values) if stage is not None and stage.is_final else [],
        "matters": matters,
    }


def _case(user: Any, case_id: int) -> EnforcementCase:
    case = selectors.case_for_staff(user=user, pk=case_id)
    if case is None:
        raise Http404
    return case


@router.get("queue", response=list[QueueSummary], summary="我的团队队列：各阶段案件数")
def queue_summary(request: HttpRequest) -> Any:
    """Per stage code of the user's courts' stage sets: how many cases the user (a team lead: the team)
    has in it, and how many of them are overdue."""
    user = _staff(request)
    today = timezone.localdate()
    stages = selectors.stages_active(court_ids=permissions.staff_court_ids(user))
    code_of = {s.pk: s.code for s in stages}
    counts: dict[str, list[int]] = {}
    # One grouped query over the queue's index for every stage at once.
    rows = (
        selectors.team_queue(user=user, stages=stages)
        .select_related(None)
        .prefetch_related(None)
        .order_by()
        .values("stage_id")
        .annotate(n=Count("id"), late=Count("id", filter=Q(deadline__lt=today)))
    )
    for row in rows:
        pair = counts.setdefault(code_of[row["stage_id"]], [0, 0])
        pair[0] += row["n"]
        pair[1] += row["late"]
    out: list[dict[str, Any]] = []
    for stage in stages:
        if any(o["code"] == stage.code for o in out):
            continue
        n, late = counts.get(stage.code, [0, 0])
        out.append({"code": stage.code, "name": stage.name, "count": n, "overdue": late})
    return out


@router.get("queue/{code}", response=list[QueueItem], summary="我的团队队列：某阶段的案件（按期限排序）")
@paginate(PageNumberPagination, page_size=30)
def queue(request: HttpRequest, code: str) -> Any:
    user = _staff(request)
    stages = selectors.stages_for_user(user=user, code=code)
    if not stages:
        raise Http404
    return _QueuePage(selectors.team_queue(user=user, stages=stages))


class _QueuePage:
    """Lets the paginator count and slice the queue on its index, then shapes only the page's rows."""

    def __init__(self, qs: Any) -> None:
        self.qs = qs

    def count(self) -> int:
        return int(self.qs.count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item: slice) -> list[dict[str, Any]]:
        return [_queue_item(f) for f in self.qs[item]]


@router.get("cases/{case_id}", response=FlowState, summary="案件流转状态：当前阶段、期限、可选后续阶段、事项")
def flow_state(request: HttpRequest, case_id: int) -> Any:
    user = _staff(request)
    return _flow_state(user, _case(user, case_id))


@router.post("cases/{case_id}/submit", response=SubmitOut, summary="提交：流转到后续阶段或结案归档")
def submit(request: HttpRequest, case_id: int, payload: SubmitIn) -> Any:
    user = _staff(request)
    _case(user, case_id)  # 404 for cases the user may not see
    result = services.stage_submit(
        actor=user,
        case_id=case_id,
        version=payload.version,
        next_stage_code=payload.next_stage,
        has_auction=payload.has_auction,
        matter_notes=payload.matter_notes,
        other_notes=payload.other_notes,
        closure_method=payload.closure_method,
        conditions=payload.conditions,
    )
    case = _case(user, case_id)
    return {
        "closed": result.closed,
        "stage": result.stage.code if result.stage is not None else None,
        "flow": _flow_state(user, case),
    }
