from __future__ import annotations

from typing import Any

import pytest

from zhixing.cases.models import CaseStatus
from zhixing.workflow.models import CaseFlow
from zhixing.workflow.services import stage_submit

pytestmark = pytest.mark.django_db


def test_walk(world: Any, stages: Any, received: Any) -> None:
    flow = CaseFlow.objects.get(case=received)
    assert flow.stage.code == "asset_control"
    assert flow.assignee == world.judge
    stage_submit(
        actor=world.judge,
        case_id=received.pk,
        version=flow.version,
        next_stage_code="asset_disposal",
        has_auction=True,
    )
    flow.refresh_from_db()
    assert flow.stage.code == "asset_disposal" and flow.assignee == stages.disposal_judge
    stage_submit(
        actor=stages.disposal_judge,
        case_id=received.pk,
        version=flow.version,
        next_stage_code="fund_distribution",
    )
    flow.refresh_from_db()
    stage_submit(
        actor=stages.distribution_judge,
        case_id=received.pk,
        version=flow.version,
        next_stage_code="closing_archive",
    )
    flow.refresh_from_db()
    stage_submit(
        actor=stages.closing_judge,
        case_id=received.pk,
        version=flow.version,
        closure_method="fulfilled",
    )
    received.refresh_from_db()
    assert received.status == CaseStatus.CLOSED
