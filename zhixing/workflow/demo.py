"""Demo stage state for the demo cases (run after zhixing/cases/demo.py; idempotent).

Each active demo case whose progress nodes show a stage (财产查控 …) gets the matching CaseFlow with its
team, a demo judge of that team, a deadline (some already overdue), a few matters, property and
ledger entries. Closed cases get their stage history, so the statistics have durations to show.
"""

from __future__ import annotations

import contextlib
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from zhixing.cases.models import CaseStatus, EnforcementCase, ProgressNode
from zhixing.courts.models import Team

from . import services
from .models import CaseFlow, MatterType, Stage, StageRecord

# 鲁0102 demo judges per stage (see zhixing/courts/demo.py).
DEMO_ASSIGNEES = {
    "asset_control": ["judge_wang", "judge_li"],
    "asset_disposal": ["judge_zhao"],
    "fund_distribution": ["judge_chen"],
    "closing_archive": ["judge_liu"],
}


def seed(out: Any) -> None:
    User = get_user_model()
    users = {
        u.username: u
        for u in User.objects.filter(username__in=[n for v in DEMO_ASSIGNEES.values() for n in v])
    }
    # Demo courts use the default stage set (none of them has a set of its own).
    stages = {s.name: s for s in Stage.objects.filter(is_active=True, stage_set__is_default=True)}
    today = timezone.localdate()
    created = 0
    cases = (
        EnforcementCase.objects.filter(flow__isnull=True)
        .exclude(status=CaseStatus.PENDING)
        .select_related("court")
        .prefetch_related("progress_nodes", "parties")
        .order_by("id")
    )
    for index, case in enumerate(cases):
        nodes = [n for n in case.progress_nodes.all() if n.name in stages]
        if not nodes:
            continue
        records: list[StageRecord] = []
        team_cache: dict[str, Team | None] = {}

        def team_of(
            stage: Stage, case: EnforcementCase = case, cache: dict[str, Team | None] = team_cache
        ) -> Team | None:
            if stage.code not in cache:
                cache[stage.code] = Team.objects.filter(
                    court=case.court, team_type__code=stage.team_type_code, is_active=True
                ).first()
            return cache[stage.code]

        flow = CaseFlow(case=case, court=case.court, version=1)
        for node in nodes:
            stage = stages[node.name]
            team = team_of(stage)
            assignee = _assignee(case, stage, team, users, index)
            records.append(
                StageRecord(
                    case=case,
                    stage=stage,
                    team=team,
                    assignee=assignee,
                    entered_at=node.started_at,
                    left_at=node.completed_at,
                    deadline=services.stage_deadline(
                        stage=stage, start=timezone.localdate(node.started_at), court_id=case.court_id
                    ).deadline,
                )
            )
        current = next((n for n in nodes if n.completed_at is None), None)
        if case.status == CaseStatus.ACTIVE and current is not None:
            stage = stages[current.name]
            # Recent entry dates, so some cases are within their deadline and some overdue.
            entered = timezone.now() - timedelta(days=(index * 11) % (stage.deadline_days + 20) + 1)
            ProgressNode.objects.filter(pk=current.pk).update(started_at=entered)
            rec = records[-1]
            rec.entered_at = entered
            rec.deadline = services.stage_deadline(
                stage=stage, start=timezone.localdate(entered), court_id=case.court_id
            ).deadline
            flow.stage = stage
            flow.team = rec.team
            flow.assignee = rec.assignee
            flow.entered_at = entered
            flow.deadline = rec.deadline
        else:
            flow.finished_at = nodes[-1].completed_at or timezone.now()
        flow.save()
        StageRecord.objects.bulk_create(records)
        created += 1
        if flow.stage is not None and flow.assignee is not None:
            case.flow = flow
            _demo_work(case, flow, index, today)
    out.write(f"  分段执行状态 {created} 件（共 {CaseFlow.objects.count()} 件）")


def _assignee(
    case: EnforcementCase, stage: Stage, team: Team | None, users: dict[str, Any], index: int
) -> Any:
    if case.court.case_code == "鲁0102":
        names = DEMO_ASSIGNEES.get(stage.code, [])
        if names and names[index % len(names)] in users:
            return users[names[index % len(names)]]
    if team is None:
        return case.judge
    try:
        return services.least_loaded_member(team=team)
    except ValidationError:
        return case.judge


def _demo_work(case: EnforcementCase, flow: CaseFlow, index: int, today: Any) -> None:
    """A few matters, properties, ledger lines and a field task, done through the services."""
    actor = flow.assignee
    stage = flow.stage
    assert stage is not None
    try:
        if stage.code == "asset_control":
            freeze = MatterType.objects.get(code="online_freeze")
            matter = services.matter_add(
                actor=actor, case=case, matter_type_id=freeze.pk, note="网络查控发现银行存款"
            )
            services.matter_update(actor=actor, matter=matter, status="done", note="已冻结银行存款")
            prop = services.property_add(
                actor=actor,
                case=case,
                kind="deposit",
                description="中国工商银行济南分行账户",
                value="23500.00",
            )
            frozen_on = today - timedelta(days=340 if index % 4 == 1 else 20)
            services.property_control(actor=actor, prop=prop, status="frozen", on=frozen_on)
            if index % 3 == 0:
                services.property_add(
                    actor=actor, case=case, kind="vehicle", description="小型轿车 鲁A·5K2Q8", value="86000.00"
                )
            if index % 5 == 1:
                search = MatterType.objects.get(code="offline_investigate")
                m = services.matter_add(
                    actor=actor, case=case, matter_type_id=search.pk, note="被执行人住所调查"
                )
                from .models import FieldTask

                if not FieldTask.objects.filter(case=case).exists():
                    officer = (
                        get_user_model()
                        .objects.filter(username="field_wu", memberships__court=case.court)
                        .first()
                    )
                    if officer is not None:
                        services.field_task_assign(
                            actor=actor,
                            case=case,
                            officer_id=officer.pk,
                            instructions="到被执行人住所核实居住情况及车辆下落，拍照反馈。",
                            place="济南市历下区解放路 12 号",
                            due_on=today + timedelta(days=3),
                            matter_id=m.pk,
                        )
        elif stage.code == "asset_disposal":
            prop = services.property_add(
                actor=actor,
                case=case,
                kind="real_estate",
                description="历下区某小区 3 号楼 1 单元 502 室",
                value="1350000.00",
            )
            services.property_control(actor=actor, prop=prop, status="sealed", on=today - timedelta(days=200))
        elif stage.code == "fund_distribution":
            services.fund_record(
                actor=actor, case=case, kind="receipt", amount="50000.00", counterparty="被执行人"
            )
            services.fund_record(actor=actor, case=case, kind="fee", amount="1050.00", note="申请执行费")
            services.fund_record(
                actor=actor,
                case=case,
                kind="payout",
                amount="48950.00",
                counterparty="申请执行人",
                due_on=today + timedelta(days=(index % 20) - 5)
                if (index % 20) >= 5
                else today + timedelta(days=2),
            )
        if index % 4 == 0:
            dishonest = MatterType.objects.get(code="coercive_dishonest")
            m = services.matter_add(actor=actor, case=case, matter_type_id=dishonest.pk, note="拒不申报财产")
            respondent = next((p for p in case.parties.all() if p.role == "respondent"), None)
            if respondent is not None:
                with contextlib.suppress(ValidationError):
                    services.matter_update(
                        actor=actor,
                        matter=m,
                        status="done",
                        data={
                            "kinds": ["consumption_restriction", "dishonest"],
                            "party_id": respondent.pk,
                            "grounds": ["4"],
                        },
                    )
    except ValidationError:
        # Demo data must never stop the seed; a rule the demo case does not satisfy is simply skipped.
        return
