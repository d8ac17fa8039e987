"""The stage engine: routing on 接收, least-loaded assignment, transitions, closure, concurrency."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from zhixing.audit.models import AuditEvent
from zhixing.cases.models import CaseStatus, EnforcementCase
from zhixing.cases.signals import case_closed, performance_completed
from zhixing.workflow.models import CaseFlow, MatterType, RoutingRule, Stage, StageRecord
from zhixing.workflow.services import (
    case_receive,
    matter_add,
    matter_update,
    stage_draft_save,
    stage_submit,
)

from .conftest import new_case

pytestmark = pytest.mark.django_db


def _flow(case: EnforcementCase) -> CaseFlow:
    return CaseFlow.objects.select_related("stage").get(case=case)


def test_seeded_defaults_from_the_manual() -> None:
    stages = list(Stage.objects.order_by("order").values_list("name", "deadline_days"))
    assert stages == [("财产查控", 30), ("财产处置", 90), ("案款分配", 30), ("结案归档", 15)]
    control = Stage.objects.get(code="asset_control")
    assert set(control.matter_types.values_list("category", flat=True)) == {
        "online",
        "offline",
        "coercive",
        "other",
    }
    for code in ["asset_disposal", "fund_distribution", "closing_archive"]:
        names = set(Stage.objects.get(code=code).matter_types.values_list("name", flat=True))
        assert {"限消失信", "训诫", "拘传", "罚款", "拘留", "限制出境", "回避", "领导自定义"} <= names
    assert MatterType.objects.filter(category="offline").count() == 9
    assert MatterType.objects.count() == 4 + 9 + 6 + 8


def test_receive_enters_first_stage_with_team_assignee_deadline(world: Any, stages: Any) -> None:
    flow = case_receive(actor=world.judge, case_id=world.case.pk)
    assert flow is not None
    world.case.refresh_from_db()
    assert world.case.status == CaseStatus.ACTIVE
    assert flow.stage.code == "asset_control" and flow.team == world.team
    assert flow.deadline == timezone.localdate() + timedelta(days=30)
    node = world.case.progress_nodes.order_by("-sequence").first()
    assert node.name == "财产查控" and node.completed_at is None
    assert AuditEvent.objects.filter(action="flow.receive", object_id=str(world.case.pk)).exists()
    with pytest.raises(ValidationError):
        case_receive(actor=world.judge, case_id=world.case.pk)


def test_least_loaded_member_gets_the_case(world: Any, stages: Any) -> None:
    first = case_receive(actor=world.judge, case_id=world.case.pk)
    second = case_receive(actor=world.judge, case_id=world.unit_case.pk)
    assert {first.assignee, second.assignee} == {world.judge, stages.judge2}
    third = case_receive(actor=world.judge, case_id=new_case(world, 9).pk)
    assert third.assignee in {world.judge, stages.judge2}
    loads = [CaseFlow.objects.filter(assignee=u).count() for u in (world.judge, stages.judge2)]
    assert sorted(loads) == [1, 2]


def test_only_the_assigned_judge_receives(world: Any, stages: Any) -> None:
    with pytest.raises(PermissionDenied):
        case_receive(actor=world.team_lead, case_id=world.case.pk)
    with pytest.raises(PermissionDenied):
        case_receive(actor=world.judge_outside, case_id=world.case.pk)


def test_routing_rules_decide_entry(world: Any, stages: Any) -> None:
    RoutingRule.objects.all().delete()
    RoutingRule.objects.create(
        name="大额繁案不分段", priority=10, amount_min=Decimal("500000"), enters_flow=False
    )
    RoutingRule.objects.create(
        name="繁案从财产处置开始",
        priority=20,
        track="complex",
        entry_stage=Stage.objects.get(code="asset_disposal"),
    )
    RoutingRule.objects.create(name="本院执字案件", priority=30, court=world.court, case_types="执")
    big = new_case(world, 20, amount="600000.00")
    assert case_receive(actor=world.judge, case_id=big.pk) is None
    big.refresh_from_db()
    assert big.status == CaseStatus.ACTIVE and not CaseFlow.objects.filter(case=big).exists()
    complex_case = new_case(world, 21)
    flow = case_receive(actor=world.judge, case_id=complex_case.pk, track="complex")
    assert flow.stage.code == "asset_disposal" and flow.team == stages.disposal_team
    simple = new_case(world, 22)
    assert case_receive(actor=world.judge, case_id=simple.pk).stage.code == "asset_control"
    RoutingRule.objects.filter(name="本院执字案件").update(court=world.other_court)
    assert case_receive(actor=world.judge, case_id=new_case(world, 23).pk) is None


def test_missing_team_is_a_clear_error(world: Any) -> None:
    # no 财产处置 team configured in this court (the ``stages`` fixture is not used)
    Stage.objects.filter(code="asset_control").update(team_type_code="nonexistent")
    with pytest.raises(ValidationError) as exc:
        case_receive(actor=world.judge, case_id=world.case.pk)
    assert "承办团队" in str(exc.value)
    world.case.refresh_from_db()
    assert world.case.status == CaseStatus.PENDING  # rolled back


def test_working_day_stage_deadline(world: Any, stages: Any, received: Any) -> None:
    Stage.objects.filter(code="asset_control").update(deadline_kind="working", deadline_days=5)
    case = new_case(world, 30)
    flow = case_receive(actor=world.judge, case_id=case.pk)
    from zhixing.lib.workdays import add_working_days

    assert flow.deadline == add_working_days(timezone.localdate(), 5).deadline


def test_auction_routes_and_illegal_transitions(world: Any, stages: Any, received: Any) -> None:
    v = _flow(received).version
    with pytest.raises(ValidationError) as exc:
        stage_submit(actor=world.judge, case_id=received.pk, version=v, next_stage_code="asset_disposal")
    assert "是否有拍" in str(exc.value)
    with pytest.raises(ValidationError):
        stage_submit(
            actor=world.judge,
            case_id=received.pk,
            version=v,
            next_stage_code="asset_disposal",
            has_auction=False,
        )
    with pytest.raises(ValidationError):
        stage_submit(
            actor=world.judge,
            case_id=received.pk,
            version=v,
            next_stage_code="fund_distribution",
            has_auction=True,
        )
    stage_submit(
        actor=world.judge,
        case_id=received.pk,
        version=v,
        next_stage_code="fund_distribution",
        has_auction=False,
    )
    flow = _flow(received)
    assert flow.stage.code == "fund_distribution" and flow.assignee == stages.distribution_judge
    # back to an earlier stage is not an allowed transition
    with pytest.raises(ValidationError):
        stage_submit(
            actor=stages.distribution_judge,
            case_id=received.pk,
            version=flow.version,
            next_stage_code="asset_control",
        )
    records = StageRecord.objects.filter(case=received).order_by("entered_at", "id")
    assert [r.stage.code for r in records] == ["asset_control", "fund_distribution"]
    assert records[0].left_at is not None and records[0].has_auction is False
    assert [n.name for n in received.progress_nodes.order_by("sequence")][-2:] == ["财产查控", "案款分配"]


def test_only_assignee_or_lead_may_act(world: Any, stages: Any, received: Any) -> None:
    v = _flow(received).version
    for outsider in (stages.judge2, world.judge_outside, stages.disposal_judge, world.approver):
        with pytest.raises(PermissionDenied):
            stage_submit(
                actor=outsider,
                case_id=received.pk,
                version=v,
                next_stage_code="asset_disposal",
                has_auction=True,
            )
    stage_submit(
        actor=world.team_lead,
        case_id=received.pk,
        version=v,
        next_stage_code="asset_disposal",
        has_auction=True,
    )


def test_stale_version_refused(world: Any, stages: Any, received: Any) -> None:
    v = _flow(received).version
    stage_submit(
        actor=world.judge, case_id=received.pk, version=v, next_stage_code="asset_disposal", has_auction=True
    )
    with pytest.raises((ValidationError, PermissionDenied)):
        stage_submit(
            actor=world.judge,
            case_id=received.pk,
            version=v,
            next_stage_code="asset_disposal",
            has_auction=True,
        )
    # the lead of the old team is no longer entitled either, and the version is stale anyway
    with pytest.raises((ValidationError, PermissionDenied)):
        stage_submit(
            actor=world.team_lead,
            case_id=received.pk,
            version=v,
            next_stage_code="asset_disposal",
            has_auction=True,
        )
    assert StageRecord.objects.filter(case=received).count() == 2


def test_open_matters_block_submit(world: Any, stages: Any, received: Any) -> None:
    mt = MatterType.objects.get(code="offline_investigate")
    matter = matter_add(actor=world.judge, case=_with_flow(received), matter_type_id=mt.pk)
    v = _flow(received).version
    with pytest.raises(ValidationError) as exc:
        stage_submit(
            actor=world.judge,
            case_id=received.pk,
            version=v,
            next_stage_code="asset_disposal",
            has_auction=True,
        )
    assert "调查" in str(exc.value)
    matter_update(actor=world.judge, matter=matter, status="done", note="已调查")
    stage_submit(
        actor=world.judge, case_id=received.pk, version=v, next_stage_code="asset_disposal", has_auction=True
    )


def _with_flow(case: EnforcementCase) -> EnforcementCase:
    return EnforcementCase.objects.select_related("flow", "flow__stage").get(pk=case.pk)


def test_draft_fills_notes_from_related_documents(
    world: Any, stages: Any, received: Any, monkeypatch: Any
) -> None:
    from zhixing.workflow import selectors

    mt1 = MatterType.objects.get(code="online_freeze")
    mt2 = MatterType.objects.get(code="offline_search")
    m1 = matter_add(actor=world.judge, case=_with_flow(received), matter_type_id=mt1.pk)
    m2 = matter_add(actor=world.judge, case=_with_flow(received), matter_type_id=mt2.pk)

    class Doc:
        def __init__(self, title: str) -> None:
            self.title = title

    monkeypatch.setattr(
        selectors,
        "matter_related_documents",
        lambda m: [Doc("冻结裁定书"), Doc("协助冻结存款通知书")] if m.pk == m1.pk else [],
    )
    record = stage_draft_save(
        actor=world.judge,
        case_id=received.pk,
        version=_flow(received).version,
        matter_notes={str(m2.pk): "搜查未发现财产"},
        other_notes="其他情况",
        has_auction=True,
        next_stage_code="asset_disposal",
    )
    assert record.matter_notes[str(m1.pk)] == "冻结裁定书；协助冻结存款通知书"
    assert record.matter_notes[str(m2.pk)] == "搜查未发现财产"
    assert record.other_notes == "其他情况" and record.next_stage.code == "asset_disposal"
    assert _flow(received).stage.code == "asset_control"  # a draft does not move the case


def test_related_documents_extension_point(world: Any, stages: Any, received: Any, monkeypatch: Any) -> None:
    import builtins

    from zhixing.workflow.selectors import matter_related_documents

    mt = MatterType.objects.get(code="online_notice")
    matter = matter_add(actor=world.judge, case=_with_flow(received), matter_type_id=mt.pk)
    assert matter_related_documents(matter) == []  # with or without the documents app: none yet
    real_import = builtins.__import__

    def no_documents(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "zhixing.documents.selectors":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_documents)
    assert matter_related_documents(matter) == []


def _walk_to_closing(world: Any, stages: Any, case: EnforcementCase) -> CaseFlow:
    v = _flow(case).version
    stage_submit(
        actor=world.judge, case_id=case.pk, version=v, next_stage_code="closing_archive", has_auction=False
    )
    return _flow(case)


def test_close_fulfilled_sends_signals(world: Any, stages: Any, received: Any) -> None:
    seen: list[str] = []

    def on_closed(sender: Any, case: Any, method: str, **kw: Any) -> None:
        seen.append(f"closed:{method}")

    def on_done(sender: Any, case: Any, on: Any, **kw: Any) -> None:
        seen.append("performed")

    case_closed.connect(on_closed)
    performance_completed.connect(on_done)
    try:
        flow = _walk_to_closing(world, stages, received)
        with pytest.raises(ValidationError):
            stage_submit(actor=stages.closing_judge, case_id=received.pk, version=flow.version)
        stage_submit(
            actor=stages.closing_judge, case_id=received.pk, version=flow.version, closure_method="fulfilled"
        )
    finally:
        case_closed.disconnect(on_closed)
        performance_completed.disconnect(on_done)
    received.refresh_from_db()
    assert received.status == CaseStatus.CLOSED and received.closure_method == "fulfilled"
    assert seen == ["closed:fulfilled", "performed"]
    nodes = list(received.progress_nodes.order_by("sequence"))
    assert nodes[-1].name == "结案" and all(n.completed_at for n in nodes)
    flow = _flow(received)
    assert flow.stage is None and flow.finished_at is not None
    assert AuditEvent.objects.filter(action="flow.close", object_id=str(received.pk)).exists()


def test_termination_this_round_requires_legal_conditions(world: Any, stages: Any) -> None:
    young = new_case(world, 40, filed_on=timezone.localdate() - timedelta(days=60))
    case_receive(actor=world.judge, case_id=young.pk)
    flow = _walk_to_closing(world, stages, young)
    all_conditions = ["notice", "restriction", "investigated", "searched"]
    with pytest.raises(ValidationError) as exc:
        stage_submit(
            actor=stages.closing_judge,
            case_id=young.pk,
            version=flow.version,
            closure_method="terminated_this_round",
            conditions=all_conditions,
        )
    text = str(exc.value)
    assert "未超过三个月" in text and "限制消费" in text

    old = new_case(world, 41, filed_on=timezone.localdate() - timedelta(days=120))
    case_receive(actor=world.judge, case_id=old.pk)
    flow = _walk_to_closing(world, stages, old)
    with pytest.raises(ValidationError) as exc:
        stage_submit(
            actor=stages.closing_judge,
            case_id=old.pk,
            version=flow.version,
            closure_method="terminated_this_round",
            conditions=["notice"],
        )
    assert "穷尽财产调查" in str(exc.value)
    mt = MatterType.objects.get(code="coercive_dishonest")
    matter = matter_add(actor=stages.closing_judge, case=_with_flow(old), matter_type_id=mt.pk)
    respondent = old.parties.get(role="respondent")
    matter_update(
        actor=stages.closing_judge,
        matter=matter,
        status="done",
        data={"kinds": ["consumption_restriction"], "party_id": respondent.pk},
    )
    stage_submit(
        actor=stages.closing_judge,
        case_id=old.pk,
        version=flow.version,
        closure_method="terminated_this_round",
        conditions=all_conditions,
    )
    old.refresh_from_db()
    assert old.closure_method == "terminated_this_round"


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL; SQLite runs it sequentially"
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_submits_make_one_transition(world: Any, stages: Any) -> None:
    case_receive(actor=world.judge, case_id=world.case.pk)
    version = _flow(world.case).version
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit() -> None:
        from django.db import connection as conn

        try:
            barrier.wait()
            stage_submit(
                actor=world.judge,
                case_id=world.case.pk,
                version=version,
                next_stage_code="asset_disposal",
                has_auction=True,
            )
            outcomes.append("ok")
        except (ValidationError, PermissionDenied):
            outcomes.append("refused")
        finally:
            conn.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "refused"]
    assert StageRecord.objects.filter(case=world.case, stage__code="asset_disposal").count() == 1
    assert world.case.progress_nodes.filter(name="财产处置").count() == 1


def test_two_submits_sequential_make_one_transition(world: Any, stages: Any, received: Any) -> None:
    version = _flow(received).version
    results = []
    for _ in range(2):
        try:
            stage_submit(
                actor=world.judge,
                case_id=received.pk,
                version=version,
                next_stage_code="asset_disposal",
                has_auction=True,
            )
            results.append("ok")
        except (ValidationError, PermissionDenied):
            results.append("refused")
    assert results == ["ok", "refused"]
    assert received.progress_nodes.filter(name="财产处置").count() == 1
