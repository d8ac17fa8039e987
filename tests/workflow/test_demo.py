from __future__ import annotations

import io
from typing import Any

import pytest

from zhixing.cases.models import CaseStatus
from zhixing.workflow.models import CaseFlow, FundEntry, Property, StageRecord

pytestmark = pytest.mark.django_db


def test_demo_seed_is_consistent_and_idempotent(settings: Any, tmp_path: Any) -> None:
    from zhixing.cases import demo as cases_demo
    from zhixing.courts import demo as courts_demo
    from zhixing.workflow import demo

    settings.MEDIA_ROOT = str(tmp_path)
    courts_demo.seed(io.StringIO())
    cases_demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    flows = CaseFlow.objects.select_related("case", "stage", "assignee", "team")
    active = [f for f in flows if f.stage_id]
    assert active, "demo cases in stages get their flow"
    for f in active:
        assert f.case.status == CaseStatus.ACTIVE
        assert f.team is not None and f.team.team_type.code == f.stage.team_type_code
        assert f.case.progress_nodes.filter(name=f.stage.public_name, completed_at__isnull=True).exists()
    wang = {f.assignee.username for f in active if f.case.court.case_code == "鲁0102"}
    assert {"judge_wang", "judge_zhao"} <= wang
    from django.utils import timezone

    today = timezone.localdate()
    assert any(f.deadline < today for f in active) and any(f.deadline >= today for f in active)
    assert Property.objects.exists() and FundEntry.objects.exists() and StageRecord.objects.exists()
    counts = (CaseFlow.objects.count(), StageRecord.objects.count(), Property.objects.count())
    demo.seed(io.StringIO())
    assert (CaseFlow.objects.count(), StageRecord.objects.count(), Property.objects.count()) == counts
