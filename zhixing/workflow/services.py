"""Writes of the segmented flow: receipt and routing, stage transitions, matters, property, funds,
field tasks and reminders. Every change that matters to a case writes an audit event in its transaction."""

from __future__ import annotations

import hashlib
import io
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from zhixing.audit.services import audit_record
from zhixing.cases.models import CaseStatus, ClosureMethod, EnforcementCase
from zhixing.cases.services import parse_amount, progress_node_close_all, progress_node_open
from zhixing.cases.signals import case_closed, measure_decided, measure_lifted, performance_completed
from zhixing.courts.models import Membership, Role, Team
from zhixing.lib.errors import field_error
from zhixing.lib.workdays import DeadlineResult, add_years, deadline_for

from . import measures, permissions, selectors
from .models import (
    DETENTION_CODE,
    DISHONEST_CODE,
    FINE_CODE,
    CalendarOverride,
    CaseFlow,
    CaseFund,
    CaseMatter,
    CaseTrack,
    ControlStatus,
    DeadlineKind,
    FieldTask,
    FieldTaskPhoto,
    FieldTaskStatus,
    FundEntry,
    FundEntryKind,
    FundEntryStatus,
    MatterStatus,
    MatterType,
    Property,
    PropertyKind,
    RoutingRule,
    Stage,
    StageRecord,
    StageSet,
    StageTransition,
)

# --- deadlines and routing ---------------------------------------------------------------------------


def stage_deadline(*, stage: Stage, start: date, court_id: int | None = None) -> DeadlineResult:
    """The stage's deadline from ``start``; working days count with the court's calendar overrides
    (its own rows win over site-wide ones)."""
    return deadline_for(
        start,
        stage.deadline_days,
        working=stage.deadline_kind == DeadlineKind.WORKING,
        overrides=selectors.calendar_overrides(court_id)
        if stage.deadline_kind == DeadlineKind.WORKING
        else None,
    )


def routing_rule_for(*, case: EnforcementCase, track: str) -> RoutingRule | None:
    """The first active rule (by priority) matching the case's court, type, amount and 繁简 track."""
    for rule in RoutingRule.objects.filter(is_active=True).order_by("priority", "id"):
        if rule.court_id and rule.court_id != case.court_id:
            continue
        types = rule.case_type_list()
        if types and case.case_type not in types:
            continue
        amount = case.amount
        if rule.amount_min is not None and (amount is None or amount < rule.amount_min):
            continue
        if rule.amount_max is not None and (amount is None or amount > rule.amount_max):
            continue
        if rule.track and rule.track != track:
            continue
        return rule
    return None


def team_for_stage(*, court_id: int, stage: Stage) -> Team:
    team = (
        Team.objects.filter(court_id=court_id, team_type__code=stage.team_type_code, is_active=True)
        .order_by("id")
        .first()
    )
    if team is None:
        raise field_error(
            "stage",
            f"本院尚未设置“{stage.name}”阶段的承办团队（团队类型 {stage.team_type_code}），请联系系统管理员。",
        )
    return team


def least_loaded_member(*, team: Team) -> Any:
    """The active judge of the team with the fewest cases currently in the flow (ties: earliest account).

    A team without judges falls back to its lead, so a case is never left without an assignee.
    """
    from django.contrib.auth import get_user_model

    User = get_user_model()
    load = (
        CaseFlow.objects.filter(assignee_id=OuterRef("pk"), stage__isnull=False)
        .values("assignee_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    for roles in ([Role.JUDGE], [Role.TEAM_LEAD]):
        member_ids = Membership.objects.filter(team=team, role__in=roles, is_active=True).values("user_id")
        user = (
            User.objects.filter(pk__in=member_ids, is_active=True)
            .annotate(load=Coalesce(Subquery(load), 0))
            .order_by("load", "pk")
            .first()
        )
        if user is not None:
            return user
    raise field_error("assignee", f"“{team.name}”没有可承办案件的在岗人员。")


def _enter_stage(*, case: EnforcementCase, flow: CaseFlow, stage: Stage, now: datetime) -> StageRecord:
    team = team_for_stage(court_id=case.court_id, stage=stage)
    assignee = least_loaded_member(team=team)
    result = stage_deadline(stage=stage, start=timezone.localdate(now), court_id=case.court_id)
    flow.stage = stage
    flow.team = team
    flow.assignee = assignee
    flow.entered_at = now
    flow.deadline = result.deadline
    flow.deadline_warning = result.warning[:200]
    flow.has_auction = None
    flow.version += 1
    flow.save()
    progress_node_open(case=case, name=stage.public_name, note=f"案件已进入{stage.public_name}阶段", at=now)
    return StageRecord.objects.create(
        case=case, stage=stage, team=team, assignee=assignee, entered_at=now, deadline=result.deadline
    )


def case_receive(*, actor: Any, case_id: int, track: str = CaseTrack.SIMPLE) -> CaseFlow | None:
    """接收: the assigned judge accepts a pending case.

    The case becomes 执行中; if a routing rule puts it into the segmented flow it enters the rule's
    entry stage (or the first stage) with a team, the least-loaded member as assignee and a deadline,
    a party-visible progress node and an audit event — all in one transaction. Returns the flow, or
    None when the case is handled outside the segmented flow.
    """
    if track not in CaseTrack.values:
        raise field_error("track", "请选择繁简分流结果。")
    with transaction.atomic():
        case = EnforcementCase.objects.select_for_update(no_key=True).filter(pk=case_id).first()
        if case is None or not permissions.can_view_case(actor, case):
            raise PermissionDenied("无权接收该案件。")
        if case.status != CaseStatus.PENDING:
            raise field_error("case", "该案件已接收，无需重复操作。")
        if case.judge_id != actor.pk:
            raise PermissionDenied("只有分配的承办法官可以接收该案件。")
        now = timezone.now()
        case.status = CaseStatus.ACTIVE
        case.save(update_fields=["status", "updated_at"])
        rule = routing_rule_for(case=case, track=track)
        flow = None
        details: dict[str, Any] = {"track": track, "rule": rule.name if rule else None}
        if rule is not None and rule.enters_flow:
            # The court's stage set decides: a rule's entry stage is matched by its code in that set.
            stage = (
                selectors.stage_in_court(court_id=case.court_id, code=rule.entry_stage.code)
                if rule.entry_stage
                else None
            )
            stage = stage or selectors.first_stage(court_id=case.court_id)
            if stage is None:
                raise field_error("stage", "尚未配置分段执行阶段。")
            flow = CaseFlow.objects.create(case=case, court_id=case.court_id, track=track)
            _enter_stage(case=case, flow=flow, stage=stage, now=now)
            details.update(
                stage=stage.code,
                assignee=flow.assignee_id,
                deadline=flow.deadline.isoformat() if flow.deadline else None,
            )
        else:
            progress_node_open(case=case, name="执行实施", note="案件已进入执行实施", at=now)
        audit_record(action="flow.receive", actor=actor, obj=case, details=details)
    return flow


def flow_reassign(*, actor: Any, case: EnforcementCase, assignee_id: int) -> CaseFlow:
    """The team lead moves the case to another active member of the same team."""
    with transaction.atomic():
        flow = CaseFlow.objects.select_for_update(of=("self",)).select_related("case").get(case_id=case.pk)
        case.flow = flow
        if not permissions.can_lead_case(actor, case):
            raise PermissionDenied("只有承办团队负责人可以调整承办人。")
        if not Membership.objects.filter(
            team_id=flow.team_id or 0,
            user_id=assignee_id,
            role__in=[Role.JUDGE, Role.TEAM_LEAD],
            is_active=True,
            user__is_active=True,
        ).exists():
            raise field_error("assignee", "所选人员不是本团队的在岗人员。")
        old = flow.assignee_id
        flow.assignee_id = assignee_id
        flow.save(update_fields=["assignee"])
        StageRecord.objects.filter(case=case, stage_id=flow.stage_id or 0, left_at__isnull=True).update(
            assignee_id=assignee_id
        )
        audit_record(action="flow.reassign", actor=actor, obj=case, details={"from": old, "to": assignee_id})
    return flow


# --- per-court configuration: stage sets and calendar overrides -------------------------------------------


def stage_set_fill(*, stage_set: StageSet, source: StageSet) -> int:
    """Copy ``source``'s stages (with their matter types) and transitions into the empty ``stage_set``.
    Returns the number of stages copied."""
    if stage_set.stages.exists():
        raise field_error("stage_set", "该阶段配置已有阶段，不能再复制。")
    mapping: dict[int, Stage] = {}
    for stage in source.stages.prefetch_related("matter_types").order_by("order", "id"):
        types = list(stage.matter_types.all())
        old_pk = stage.pk
        stage.pk = None
        stage.id = None
        stage.stage_set = stage_set
        stage._prefetched_objects_cache = {}  # type: ignore[attr-defined]  # the source's matter types
        stage.save()
        stage.matter_types.set(types)
        mapping[old_pk] = stage
    StageTransition.objects.bulk_create(
        StageTransition(
            from_stage=mapping[t.from_stage_id],
            to_stage=mapping[t.to_stage_id],
            auction=t.auction,
            order=t.order,
        )
        for t in StageTransition.objects.filter(from_stage__stage_set=source)
        if t.from_stage_id in mapping and t.to_stage_id in mapping
    )
    return len(mapping)


def stage_set_copy(*, actor: Any, court: Any, name: str = "") -> StageSet:
    """Give a court its own stage set, a copy of the default set, which the court then edits (admin).

    From then on 接收 routes the court's cases into its own stages, deadlines use its stages' terms, and the
    team pages and search show its stages. Cases already in the flow keep their current stage rows.
    """
    with transaction.atomic():
        if StageSet.objects.filter(court=court).exists():
            raise field_error("court", "该法院已有本院阶段配置。")
        source = StageSet.objects.filter(is_default=True).first()
        if source is None:
            raise field_error("stage_set", "尚未配置默认阶段。")
        stage_set = StageSet.objects.create(court=court, name=name.strip()[:60] or f"{court.name}阶段配置")
        copied = stage_set_fill(stage_set=stage_set, source=source)
        audit_record(
            action="flow.stage_set_copy",
            actor=actor,
            obj=stage_set,
            details={"court": court.pk, "stages": copied},
        )
    return stage_set


def calendar_override_add(
    *, actor: Any, court_id: int, day: date | None, is_workday: bool, name: str = ""
) -> CalendarOverride:
    """节假日调整: the court marks ``day`` as a rest day or a working day (院领导/系统管理员 of the court).

    The court's row wins over a site-wide row for the same date; working-day deadlines computed from now on
    use it (deadlines already set are not moved). Audited."""
    if not permissions.can_manage_calendar(actor, court_id):
        raise PermissionDenied("只有本院院领导或系统管理员可以调整节假日。")
    if day is None:
        raise field_error("day", "请选择日期。")
    if not date(2000, 1, 1) <= day <= date(2100, 12, 31):
        raise field_error("day", "日期超出可设置的范围。")
    name = (name or "").strip()
    if len(name) > 60:
        raise field_error("name", "说明不能超过 60 个字。")
    with transaction.atomic():
        if CalendarOverride.objects.filter(court_id=court_id, day=day).exists():
            raise field_error("day", f"{day:%Y-%m-%d} 已有本院调整，请先删除后再设置。")
        override = CalendarOverride.objects.create(
            court_id=court_id, day=day, is_workday=is_workday, name=name, created_by=actor
        )
        audit_record(
            action="flow.calendar_add",
            actor=actor,
            obj=override,
            details={"court": court_id, "day": day.isoformat(), "is_workday": is_workday},
        )
    return override


def calendar_override_delete(*, actor: Any, override_id: int) -> None:
    """Remove one of the court's own overrides (site-wide rows are edited in the admin only)."""
    with transaction.atomic():
        override = CalendarOverride.objects.select_for_update().filter(pk=override_id).first()
        if override is None or override.court_id is None:
            raise field_error("override", "调整记录不存在。")
        if not permissions.can_manage_calendar(actor, override.court_id):
            raise PermissionDenied("只有本院院领导或系统管理员可以调整节假日。")
        audit_record(
            action="flow.calendar_delete",
            actor=actor,
            obj=override,
            details={"court": override.court_id, "day": override.day.isoformat()},
        )
        override.delete()


# --- 事项信息 (draft) and 提交 ----------------------------------------------------------------------------


TERMINATION_CONDITIONS = {
    "notice": "已向被执行人发出执行通知、责令被执行人报告财产",
    "restriction": "已向被执行人发出限制消费令，并将符合条件的被执行人纳入失信被执行人名单",
    "investigated": "已穷尽财产调查措施，未发现被执行人有可供执行的财产或者发现的财产不能处置",
    "searched": "被执行人下落不明的，已依法予以查找；被执行人或者其他人妨害执行的，已依法采取罚款、拘留等强制措施，构成犯罪的，已依法启动刑事责任追究程序",
}


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


def _locked_flow(*, actor: Any, case_id: int, version: int) -> tuple[EnforcementCase, CaseFlow, StageRecord]:
    flow = (
        CaseFlow.objects.select_for_update(of=("self",))
        .filter(case_id=case_id)
        .select_related("stage")
        .first()
    )
    if flow is None:
        raise field_error("case", "该案件未进入分段执行。")
    case = EnforcementCase.objects.select_related("court").get(pk=case_id)
    case.flow = flow
    if not permissions.can_view_case(actor, case):
        raise PermissionDenied("只有本阶段承办人或团队负责人可以办理。")
    # A stale page first: after a transition the submitter usually no longer holds the case, and “moved on,
    # reload” is the helpful answer, not “you may not act”.
    if flow.version != version:
        raise field_error("version", "案件已由他人流转或修改，请刷新页面后重试。")
    if not permissions.can_act_on_case(actor, case):
        raise PermissionDenied("只有本阶段承办人或团队负责人可以办理。")
    record = (
        StageRecord.objects.filter(case_id=case_id, stage_id=flow.stage_id or 0, left_at__isnull=True)
        .order_by("-entered_at", "-id")
        .first()
    )
    if record is None:
        raise field_error("case", "找不到本阶段的办理记录。")
    return case, flow, record


def stage_draft_save(
    *,
    actor: Any,
    case_id: int,
    version: int,
    matter_notes: dict[str, str],
    other_notes: str = "",
    next_stage_code: str = "",
    has_auction: bool | None = None,
) -> StageRecord:
    """暂存: keep the 事项信息 draft; each matter without a 说明 gets one built from its related e-file
    documents (titles), when there are any. Does not move the case."""
    with transaction.atomic():
        case, flow, record = _locked_flow(actor=actor, case_id=case_id, version=version)
        notes: dict[str, str] = {}
        for matter in selectors.case_matters(case=case, stage=flow.stage):
            text = (matter_notes.get(str(matter.pk)) or "").strip()
            if not text:
                docs = selectors.matter_related_documents(matter)
                text = "；".join(str(getattr(d, "title", d)) for d in docs)
            notes[str(matter.pk)] = text[:2000]
        record.matter_notes = notes
        record.other_notes = other_notes.strip()[:5000]
        record.has_auction = has_auction
        record.next_stage = (
            Stage.objects.filter(stage_set_id=flow.stage.stage_set_id, code=next_stage_code).first()
            if next_stage_code and flow.stage
            else None
        )
        record.save(update_fields=["matter_notes", "other_notes", "has_auction", "next_stage"])
        audit_record(
            action="flow.draft",
            actor=actor,
            obj=case,
            details={"stage": flow.stage.code if flow.stage else None},
        )
    return record


@dataclass(frozen=True)
class SubmitResult:
    closed: bool
    stage: Stage | None


def stage_submit(
    *,
    actor: Any,
    case_id: int,
    version: int,
    next_stage_code: str = "",
    has_auction: bool | None = None,
    matter_notes: dict[str, str] | None = None,
    other_notes: str = "",
    closure_method: str = "",
    conditions: list[str] | None = None,
    today: date | None = None,
) -> SubmitResult:
    """提交: move the case from its current stage to an allowed next stage, or close it at the final stage.

    Refuses (ValidationError) illegal transitions, open matters of the stage, a stale ``version`` (so two
    simultaneous submits produce exactly one transition) and 终本 without its legal conditions. Writes the
    stage record, the party-visible progress node, the audit event and — on closure — sends case_closed
    (and performance_completed for 执行完毕), all in one transaction.
    """
    day = today or timezone.localdate()
    with transaction.atomic():
        case, flow, record = _locked_flow(actor=actor, case_id=case_id, version=version)
        stage = flow.stage
        assert stage is not None
        open_matters = [
            m.matter_type.name
            for m in selectors.case_matters(case=case, stage=stage)
            if m.status == MatterStatus.OPEN
        ]
        if open_matters:
            raise field_error(
                "matters", f"本阶段尚有未办结的事项：{'、'.join(open_matters)}。请办结或撤销后再提交。"
            )
        now = timezone.now()
        record.left_at = now
        record.submitted_by = actor
        record.other_notes = (other_notes or record.other_notes).strip()[:5000]
        if matter_notes is not None:
            record.matter_notes = {k: (v or "").strip()[:2000] for k, v in matter_notes.items()}
        record.has_auction = has_auction
        if stage.is_final:
            _close_case(
                case=case, flow=flow, method=closure_method, conditions=conditions or [], day=day, now=now
            )
            record.save()
            audit_record(
                action="flow.close",
                actor=actor,
                obj=case,
                details={"stage": stage.code, "method": closure_method},
            )
            result = SubmitResult(closed=True, stage=None)
        else:
            if stage.code and selectors.stage_uses_auction(stage) and has_auction is None:
                raise field_error("has_auction", "请选择是否有拍。")
            allowed = selectors.transitions_from(stage, has_auction=has_auction)
            target = next((s for s in allowed if s.code == next_stage_code), None)
            if target is None:
                names = "、".join(s.name for s in allowed) or "无"
                raise field_error("next_stage", f"不允许流转到所选阶段；可选的后续阶段：{names}。")
            record.next_stage = target
            record.save()
            flow.has_auction = has_auction
            _enter_stage(case=case, flow=flow, stage=target, now=now)
            audit_record(
                action="flow.submit",
                actor=actor,
                obj=case,
                details={
                    "from": stage.code,
                    "to": target.code,
                    "has_auction": has_auction,
                    "assignee": flow.assignee_id,
                },
            )
            result = SubmitResult(closed=False, stage=target)
    return result


def _close_case(
    *, case: EnforcementCase, flow: CaseFlow, method: str, conditions: list[str], day: date, now: datetime
) -> None:
    if method not in ClosureMethod.values:
        raise field_error("closure_method", "请选择结案方式。")
    if method == ClosureMethod.TERMINATED_THIS_ROUND:
        errors: list[str] = []
        missing = [text for key, text in TERMINATION_CONDITIONS.items() if key not in conditions]
        if missing:
            errors.append("终结本次执行程序须确认下列条件：" + "；".join(missing) + "。")
        if day <= _add_months(case.filed_on, 3):
            errors.append("自执行案件立案之日起未超过三个月，不得终结本次执行程序。")
        # A handful of rows per case: checked in Python so it behaves the same on SQLite and PostgreSQL.
        restricted = any(
            "consumption_restriction" in (m.data or {}).get("kinds", [])
            and not (m.data or {}).get("lifted_on")
            for m in CaseMatter.objects.filter(
                case=case, matter_type__code=DISHONEST_CODE, status=MatterStatus.DONE
            )
        )
        if not restricted:
            errors.append("本案尚未作出限制消费决定（限消失信事项），不符合终结本次执行程序的条件。")
        if errors:
            raise ValidationError({"closure_method": errors})
    case.status = CaseStatus.CLOSED
    case.closure_method = method
    case.closed_on = day
    case.save(update_fields=["status", "closure_method", "closed_on", "updated_at"])
    flow.stage = None
    flow.finished_at = now
    flow.version += 1
    flow.save()
    label = ClosureMethod(method).label
    progress_node_open(case=case, name="结案", note=f"案件已结案（{label}）", at=now)
    progress_node_close_all(case=case, at=now)
    case_closed.send(sender=EnforcementCase, case=case, method=method, unpaid=None)
    if method == ClosureMethod.FULFILLED:
        performance_completed.send(sender=EnforcementCase, case=case, on=day)


# --- matters (事项) ----------------------------------------------------------------------------------


def _require_actor(actor: Any, case: EnforcementCase) -> None:
    if not permissions.can_act_on_case(actor, case):
        raise PermissionDenied("只有本阶段承办人或团队负责人可以办理。")


def matter_add(*, actor: Any, case: EnforcementCase, matter_type_id: int, note: str = "") -> CaseMatter:
    """Start a matter of the catalogue in the case's current stage."""
    _require_actor(actor, case)
    stage = case.flow.stage
    mt = MatterType.objects.filter(pk=matter_type_id, is_active=True, stages=stage).first()
    if mt is None:
        raise field_error("matter_type", "所选事项不属于本阶段的事项。")
    with transaction.atomic():
        matter = CaseMatter.objects.create(
            case=case,
            matter_type=mt,
            stage=stage,
            note=note.strip()[:2000],
            started_on=timezone.localdate(),
            created_by=actor,
        )
        audit_record(action="matter.add", actor=actor, obj=matter, details={"case": case.pk, "type": mt.code})
    return matter


def matter_update(
    *,
    actor: Any,
    matter: CaseMatter,
    status: str,
    note: str = "",
    data: dict[str, Any] | None = None,
    decided_on: date | None = None,
) -> CaseMatter:
    """Record the matter's 备注, status and measure data (validated against the law for 限消失信,
    罚款 and 拘留). Completing a 限消失信 matter sends measure_decided for each measure chosen."""
    case = matter.case
    _require_actor(actor, case)
    if status not in MatterStatus.values:
        raise field_error("status", "状态不正确。")
    if matter.status != MatterStatus.OPEN and status != matter.status:
        raise field_error("status", "事项已办结或撤销，不能再改变状态。")
    day = decided_on or timezone.localdate()
    if day > timezone.localdate():
        raise field_error("decided_on", "决定日期不能晚于今天。")
    code = matter.matter_type.code
    clean = dict(matter.data or {})
    if data is not None and matter.status == MatterStatus.OPEN:
        if code == DISHONEST_CODE:
            clean = (
                measures.validate_dishonest(case, data, decided_on=day)
                if status == MatterStatus.DONE
                else {**clean, **data}
            )
        elif code == FINE_CODE:
            clean = (
                measures.validate_fine(case, data, decided_on=day)
                if status == MatterStatus.DONE
                else {**clean, **data}
            )
        elif code == DETENTION_CODE:
            clean = (
                measures.validate_detention(case, data, decided_on=day)
                if status == MatterStatus.DONE
                else {**clean, **data}
            )
    with transaction.atomic():
        became_done = matter.status == MatterStatus.OPEN and status == MatterStatus.DONE
        matter.status = status
        matter.note = note.strip()[:2000]
        matter.data = clean
        if status != MatterStatus.OPEN and matter.completed_on is None:
            matter.completed_on = day
        matter.save()
        audit_record(
            action="matter.update", actor=actor, obj=matter, details={"status": status, "type": code}
        )
        if became_done and code == DISHONEST_CODE:
            for kind in clean.get("kinds", []):
                measure_decided.send(sender=EnforcementCase, case=case, measure=matter, kind=kind)
    return matter


def matter_lift(*, actor: Any, matter: CaseMatter, reason: str) -> CaseMatter:
    """Lift a decided 限消失信 measure (履行完毕, correction …): sends measure_lifted per measure."""
    case = matter.case
    if not (
        permissions.can_act_on_case(actor, case)
        or (case.judge_id == actor.pk and permissions.can_view_case(actor, case))
    ):
        raise PermissionDenied("无权解除该措施。")
    if matter.matter_type.code != DISHONEST_CODE or matter.status != MatterStatus.DONE:
        raise field_error("matter", "只有已作出的限消失信决定可以解除。")
    if matter.data.get("lifted_on"):
        raise field_error("matter", "该措施已解除。")
    if not reason.strip():
        raise field_error("reason", "请填写解除原因。")
    with transaction.atomic():
        matter.data = {
            **matter.data,
            "lifted_on": timezone.localdate().isoformat(),
            "lift_reason": reason.strip()[:200],
        }
        matter.save(update_fields=["data", "updated_at"])
        audit_record(action="matter.lift", actor=actor, obj=matter, details={"reason": reason.strip()[:200]})
        for kind in matter.data.get("kinds", []):
            measure_lifted.send(sender=EnforcementCase, case=case, measure=matter, kind=kind)
    return matter


# --- property register ----------------------------------------------------------------------------

# 民诉法解释（2022）第四百八十五条: deposits ≤ 1 year, movables ≤ 2 years, real estate and other property
# rights ≤ 3 years; 查封扣押冻结规定（2020）第二十七条: without renewal the control lapses at expiry.
CONTROL_YEARS = {
    PropertyKind.DEPOSIT: 1,
    PropertyKind.VEHICLE: 2,
    PropertyKind.REAL_ESTATE: 3,
    PropertyKind.EQUITY: 3,
    PropertyKind.OTHER: 2,
}
CONTROL_FOR_KIND = {
    PropertyKind.DEPOSIT: {ControlStatus.FROZEN},
    PropertyKind.VEHICLE: {ControlStatus.SEALED, ControlStatus.SEIZED},
    PropertyKind.REAL_ESTATE: {ControlStatus.SEALED},
    PropertyKind.EQUITY: {ControlStatus.FROZEN},
    PropertyKind.OTHER: {ControlStatus.SEALED, ControlStatus.SEIZED, ControlStatus.FROZEN},
}


def control_expiry(kind: str, controlled_on: date) -> date:
    return add_years(controlled_on, CONTROL_YEARS[PropertyKind(kind)]) - timedelta(days=1)


def property_add(
    *,
    actor: Any,
    case: EnforcementCase,
    kind: str,
    description: str,
    identifier: str = "",
    value: Any = None,
    owner_id: int | None = None,
    note: str = "",
) -> Property:
    _require_actor(actor, case)
    errors: dict[str, list[str]] = {}
    if kind not in PropertyKind.values:
        errors["kind"] = ["请选择财产类型。"]
    if not description.strip():
        errors["description"] = ["请填写财产描述。"]
    amount = None
    try:
        amount = parse_amount(value, field="value")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if owner_id and not case.parties.filter(pk=owner_id).exists():
        errors["owner_id"] = ["权利人不是本案当事人。"]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        prop = Property.objects.create(
            case=case,
            kind=kind,
            description=description.strip()[:200],
            identifier=identifier.strip()[:100],
            value=amount,
            owner_id=owner_id or None,
            note=note.strip(),
        )
        audit_record(action="property.add", actor=actor, obj=prop, details={"case": case.pk, "kind": kind})
    return prop


def property_control(*, actor: Any, prop: Property, status: str, on: date, note: str = "") -> Property:
    """Record 查封/冻结/扣押 (legal expiry computed), renewal, 解除 or 处置 of a property."""
    _require_actor(actor, prop.case)
    if on > timezone.localdate():
        raise field_error("on", "日期不能晚于今天。")
    if status in (ControlStatus.SEALED, ControlStatus.FROZEN, ControlStatus.SEIZED):
        if status not in CONTROL_FOR_KIND[PropertyKind(prop.kind)]:
            raise field_error(
                "status", f"{prop.get_kind_display()}不适用“{ControlStatus(status).label}”措施。"
            )
        prop.controlled_on = on
        prop.expires_on = control_expiry(prop.kind, on)
        prop.released_on = None
    elif status in (ControlStatus.RELEASED, ControlStatus.DISPOSED):
        if prop.control_status not in (ControlStatus.SEALED, ControlStatus.FROZEN, ControlStatus.SEIZED):
            raise field_error("status", "财产尚未控制，无需解除或处置。")
        prop.released_on = on
    else:
        raise field_error("status", "控制状态不正确。")
    with transaction.atomic():
        prop.control_status = status
        if note.strip():
            prop.note = (prop.note + "\n" + note.strip()).strip()
        prop.save()
        audit_record(
            action="property.control", actor=actor, obj=prop, details={"status": status, "on": on.isoformat()}
        )
    return prop


# --- funds ledger (案款) -----------------------------------------------------------------------------


def _locked_fund(case: EnforcementCase) -> CaseFund:
    CaseFund.objects.get_or_create(case=case)
    return CaseFund.objects.select_for_update().get(case=case)


def fund_record(
    *,
    actor: Any,
    case: EnforcementCase,
    kind: str,
    amount: Any,
    counterparty: str = "",
    note: str = "",
    due_on: date | None = None,
) -> FundEntry:
    """Book a receipt (到账), an 执行费 deduction or plan a payout (待发放, with a payout deadline).

    Fee deductions and planned payouts may not exceed the available balance (planned payouts count
    against it); the balance itself is changed under a row lock and guarded by a check constraint.
    """
    _require_actor(actor, case)
    value = parse_amount(amount, allow_none=False)
    assert value is not None
    if value <= 0:
        raise field_error("amount", "金额必须大于零。")
    if kind not in FundEntryKind.values:
        raise field_error("kind", "类型不正确。")
    if kind == FundEntryKind.PAYOUT:
        if not counterparty.strip():
            raise field_error("counterparty", "请填写收款人。")
        if due_on is None:
            raise field_error("due_on", "请填写发放期限。")
    with transaction.atomic():
        fund = _locked_fund(case)
        planned = FundEntry.objects.filter(
            case=case, kind=FundEntryKind.PAYOUT, status=FundEntryStatus.PLANNED
        ).aggregate(s=Sum("amount"))["s"] or Decimal("0")
        available = fund.balance - planned
        if kind == FundEntryKind.RECEIPT:
            fund.balance += value
            entry = FundEntry.objects.create(
                case=case,
                kind=kind,
                amount=value,
                counterparty=counterparty.strip()[:100],
                note=note.strip()[:200],
                booked_on=timezone.localdate(),
                created_by=actor,
            )
        elif kind == FundEntryKind.FEE:
            if value > available:
                raise field_error("amount", f"可用余额不足：可用 {available:.2f} 元。")
            fund.balance -= value
            entry = FundEntry.objects.create(
                case=case,
                kind=kind,
                amount=value,
                counterparty="本院",
                note=note.strip()[:200],
                booked_on=timezone.localdate(),
                created_by=actor,
            )
        else:
            if value > available:
                raise field_error("amount", f"分配金额超过可用余额：可用 {available:.2f} 元。")
            entry = FundEntry.objects.create(
                case=case,
                kind=kind,
                status=FundEntryStatus.PLANNED,
                amount=value,
                counterparty=counterparty.strip()[:100],
                note=note.strip()[:200],
                due_on=due_on,
                created_by=actor,
            )
        fund.save()
        audit_record(
            action=f"fund.{kind}", actor=actor, obj=entry, details={"case": case.pk, "amount": f"{value:.2f}"}
        )
    return entry


def fund_payout(*, actor: Any, entry_id: int, case: EnforcementCase) -> FundEntry:
    """Pay out a planned line: the balance drops under a row lock and can never go below zero."""
    _require_actor(actor, case)
    with transaction.atomic():
        fund = _locked_fund(case)
        entry = FundEntry.objects.select_for_update().filter(pk=entry_id, case=case).first()
        if entry is None or entry.kind != FundEntryKind.PAYOUT or entry.status != FundEntryStatus.PLANNED:
            raise field_error("entry", "该笔款项不是待发放状态。")
        if entry.amount > fund.balance:
            raise field_error("amount", "案款余额不足，不能发放。")
        fund.balance -= entry.amount
        fund.save()
        entry.status = FundEntryStatus.DONE
        entry.booked_on = timezone.localdate()
        entry.save(update_fields=["status", "booked_on"])
        audit_record(
            action="fund.paid",
            actor=actor,
            obj=entry,
            details={"case": case.pk, "amount": f"{entry.amount:.2f}"},
        )
    return entry


def fund_balance(case: EnforcementCase) -> Decimal:
    return CaseFund.objects.filter(case=case).values_list("balance", flat=True).first() or Decimal("0.00")


# --- field tasks (事项交办) ----------------------------------------------------------------------------

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PHOTO_PIXELS = 40_000_000
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}


def field_task_assign(
    *,
    actor: Any,
    case: EnforcementCase,
    officer_id: int,
    instructions: str,
    place: str,
    due_on: date | None,
    matter_id: int | None = None,
) -> FieldTask:
    """事项交办: hand a task to a 外勤 officer of the case's court; the officer gets a workbench notice."""
    from zhixing.notifications.services import notice_send

    _require_actor(actor, case)
    errors: dict[str, list[str]] = {}
    if not Membership.objects.filter(
        user_id=officer_id, court_id=case.court_id, role=Role.FIELD_OFFICER, is_active=True
    ).exists():
        errors["officer"] = ["请选择本院的外勤人员。"]
    if not instructions.strip():
        errors["instructions"] = ["请填写交办内容。"]
    if not place.strip():
        errors["place"] = ["请填写地点。"]
    if due_on is None:
        errors["due_on"] = ["请填写完成期限。"]
    elif due_on < timezone.localdate():
        errors["due_on"] = ["完成期限不能早于今天。"]
    matter = None
    if matter_id:
        matter = CaseMatter.objects.filter(pk=matter_id, case=case).first()
        if matter is None:
            errors["matter"] = ["事项不属于本案。"]
    if errors:
        raise ValidationError(errors)
    assert due_on is not None
    with transaction.atomic():
        task = FieldTask.objects.create(
            case=case,
            matter=matter,
            assigned_to_id=officer_id,
            assigned_by=actor,
            instructions=instructions.strip()[:5000],
            place=place.strip()[:200],
            due_on=due_on,
        )
        audit_record(
            action="field_task.assign",
            actor=actor,
            obj=task,
            details={"case": case.pk, "officer": officer_id},
        )
        notice_send(
            user=task.assigned_to,
            title=f"外勤交办：{case.number}",
            body=f"{task.place}，期限 {due_on:%Y-%m-%d}",
            link=f"/workbench/flow/tasks/{task.pk}/",
            category="field_task",
            dedupe_key=f"wf-task-assigned:{task.pk}",
        )
    return task


def _clean_photo(upload: Any) -> tuple[bytes, int, int]:
    """Check the file is really an image (by content), re-encode it as JPEG without any metadata.

    Re-encoding drops EXIF entirely (GPS location, device), after applying its orientation.
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    size = getattr(upload, "size", None) or 0
    if size > MAX_PHOTO_BYTES:
        raise field_error("photos", "单张照片不能超过 10 MB。")
    raw = upload.read()
    if len(raw) > MAX_PHOTO_BYTES:
        raise field_error("photos", "单张照片不能超过 10 MB。")
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            fmt = probe.format
            probe.verify()
        if fmt not in PHOTO_FORMATS:
            raise field_error("photos", "仅支持 JPEG、PNG、WebP 格式的照片。")
        with Image.open(io.BytesIO(raw)) as img:
            if img.width * img.height > MAX_PHOTO_PIXELS:
                raise field_error("photos", "照片像素过大。")
            oriented = ImageOps.exif_transpose(img) or img
            rgb = oriented.convert("RGB")
            out = io.BytesIO()
            rgb.save(out, format="JPEG", quality=88, optimize=True)
            return out.getvalue(), rgb.width, rgb.height
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise field_error("photos", "文件不是有效的图片。") from exc


def field_task_report(*, actor: Any, task: FieldTask, result: str, photos: list[Any]) -> FieldTask:
    """The officer returns the result with photos; the judge who assigned it gets a notice."""
    from zhixing.notifications.services import notice_send

    if task.assigned_to_id != actor.pk:
        raise PermissionDenied("只有被交办的外勤人员可以反馈。")
    if task.status != FieldTaskStatus.ASSIGNED:
        raise field_error("result", "该事项已反馈或已撤销。")
    if not result.strip():
        raise field_error("result", "请填写办理结果。")
    if len(photos) > 20:
        raise field_error("photos", "一次最多上传 20 张照片。")
    cleaned = [_clean_photo(p) for p in photos]
    saved: list[str] = []
    try:
        with transaction.atomic():
            for data, width, height in cleaned:
                name = default_storage.save(
                    f"field_tasks/{task.case_id}/{task.pk}/{uuid.uuid4().hex}.jpg", ContentFile(data)
                )
                saved.append(name)
                FieldTaskPhoto.objects.create(
                    task=task,
                    file=name,
                    sha256=hashlib.sha256(data).hexdigest(),
                    width=width,
                    height=height,
                    size=len(data),
                    uploaded_by=actor,
                )
            task.result = result.strip()[:5000]
            task.status = FieldTaskStatus.DONE
            task.completed_at = timezone.now()
            task.save(update_fields=["result", "status", "completed_at"])
            audit_record(action="field_task.report", actor=actor, obj=task, details={"photos": len(cleaned)})
            notice_send(
                user=task.assigned_by,
                title=f"外勤反馈：{task.case.number}",
                body=task.result[:200],
                link=f"/workbench/flow/tasks/{task.pk}/",
                category="field_task",
                dedupe_key=f"wf-task-done:{task.pk}",
            )
    except Exception:
        for name in saved:
            default_storage.delete(name)
        raise
    return task


# --- reminders ----------------------------------------------------------------------------------------


def deadline_reminders_send(*, today: date | None = None, soon_days: int = 3, property_days: int = 30) -> int:
    """Send workbench notices for stage deadlines (soon/overdue), control expiries, payout deadlines and
    field tasks. Idempotent: each notice has a dedupe key, so running it twice a day sends nothing new."""
    from zhixing.notifications.services import notice_send

    day = today or timezone.localdate()
    sent = 0
    flows = CaseFlow.objects.filter(
        stage__isnull=False, case__status=CaseStatus.ACTIVE, deadline__lte=day + timedelta(days=soon_days)
    ).select_related("case", "stage", "assignee", "team")
    lead_by_team: dict[int, list[int]] = {}
    for m in Membership.objects.filter(role=Role.TEAM_LEAD, is_active=True, team__isnull=False).values(
        "team_id", "user_id"
    ):
        lead_by_team.setdefault(m["team_id"], []).append(m["user_id"])
    from django.contrib.auth import get_user_model

    users = {
        u.pk: u
        for u in get_user_model().objects.filter(pk__in={uid for ids in lead_by_team.values() for uid in ids})
    }
    for flow in flows.iterator(chunk_size=500):
        assert flow.deadline is not None and flow.stage is not None
        overdue = flow.deadline < day
        title = (
            f"{flow.case.number}{flow.stage.name}阶段已超期 {(day - flow.deadline).days} 天"
            if overdue
            else f"{flow.case.number}{flow.stage.name}阶段将于 {flow.deadline:%Y-%m-%d} 到期"
        )
        link = f"/workbench/flow/cases/{flow.case_id}/matters/"
        key = f"wf-dl:{flow.case_id}:{flow.version}:{'over:' + day.isoformat() if overdue else 'soon'}"
        if flow.assignee and notice_send(
            user=flow.assignee,
            title=title,
            link=link,
            category="deadline",
            dedupe_key=f"{key}:{flow.assignee_id}",
        ):
            sent += 1
        if overdue:
            for uid in lead_by_team.get(flow.team_id or 0, []):
                if (
                    uid in users
                    and uid != flow.assignee_id
                    and notice_send(
                        user=users[uid],
                        title=title,
                        link=link,
                        category="deadline",
                        dedupe_key=f"{key}:{uid}",
                    )
                ):
                    sent += 1
    for prop in Property.objects.filter(
        control_status__in=[ControlStatus.SEALED, ControlStatus.FROZEN, ControlStatus.SEIZED],
        expires_on__lte=day + timedelta(days=property_days),
        expires_on__gte=day,
    ).select_related("case", "case__flow", "case__judge"):
        pflow = getattr(prop.case, "flow", None)
        user = (pflow.assignee if pflow and pflow.assignee_id else None) or prop.case.judge
        if user and notice_send(
            user=user,
            title=f"{prop.case.number}财产控制将于 {prop.expires_on:%Y-%m-%d} 届满",
            body=f"{prop.get_kind_display()}：{prop.description}。期限届满未办理续行手续的，控制效力消灭。",
            link=f"/workbench/flow/cases/{prop.case_id}/property/",
            category="property_expiry",
            dedupe_key=f"wf-prop:{prop.pk}:{prop.expires_on}",
        ):
            sent += 1
    for entry in FundEntry.objects.filter(
        kind=FundEntryKind.PAYOUT, status=FundEntryStatus.PLANNED, due_on__lte=day + timedelta(days=soon_days)
    ).select_related("case", "case__flow", "case__judge", "created_by"):
        eflow = getattr(entry.case, "flow", None)
        user = (eflow.assignee if eflow and eflow.assignee_id else None) or entry.created_by
        if user and notice_send(
            user=user,
            title=f"{entry.case.number}案款 {entry.amount} 元应于 {entry.due_on:%Y-%m-%d} 前发放",
            link=f"/workbench/flow/cases/{entry.case_id}/funds/",
            category="payout",
            dedupe_key=f"wf-pay:{entry.pk}:{'over:' + day.isoformat() if entry.due_on and entry.due_on < day else 'soon'}",
        ):
            sent += 1
    for task in FieldTask.objects.filter(
        status=FieldTaskStatus.ASSIGNED, due_on__lte=day + timedelta(days=1)
    ).select_related("case", "assigned_to"):
        if notice_send(
            user=task.assigned_to,
            title=f"外勤事项 {task.case.number} 应于 {task.due_on:%Y-%m-%d} 前完成",
            link=f"/workbench/flow/tasks/{task.pk}/",
            category="field_task",
            dedupe_key=f"wf-task-due:{task.pk}:{day.isoformat()}",
        ):
            sent += 1
    return sent
