"""Query counts stay constant as the number of cases grows: filtered searches and the API queue."""

from __future__ import annotations

from typing import Any

import pytest
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhixing.workflow.services import case_receive

from .conftest import new_case

pytestmark = pytest.mark.django_db


def _queries(client: Any, url: str, params: dict[str, Any] | None = None) -> int:
    from django.db import connection

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params or {}).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "params",
    [
        {"party": "张"},
        {"party": "张三丰"},
        {"number": "执"},
        {"number": "执1"},
        {"deadline_state": "on_time"},
        {"team": "TEAM"},
    ],
)
def test_filtered_search_query_count_is_constant(
    world: Any, stages: Any, as_user: Any, params: dict[str, Any]
) -> None:
    client = as_user(world.team_lead)
    if params.get("team") == "TEAM":
        params = {"team": world.team.pk}
    for seq in range(100, 103):
        case_receive(actor=world.judge, case_id=new_case(world, seq, applicant=("张三丰", _rid(seq))).pk)
    few = _queries(client, reverse("workbench:cases"), params)
    for seq in range(103, 118):
        case_receive(actor=world.judge, case_id=new_case(world, seq, applicant=("张三丰", _rid(seq))).pk)
    many = _queries(client, reverse("workbench:cases"), params)
    assert many == few <= 14


def test_api_queue_query_count_is_constant(world: Any, stages: Any, as_user: Any) -> None:
    client = as_user(world.team_lead)
    for seq in range(200, 203):
        case_receive(actor=world.judge, case_id=new_case(world, seq).pk)
    few = _queries(client, "/api/v1/flow/queue/asset_control")
    for seq in range(203, 220):
        case_receive(actor=world.judge, case_id=new_case(world, seq).pk)
    many = _queries(client, "/api/v1/flow/queue/asset_control")
    assert many == few
    # session, user, memberships, stage sets, stages, one grouped count — whatever the number of stages.
    assert _queries(client, "/api/v1/flow/queue") <= 6


def _rid(seq: int) -> str:
    import random

    from zhixing.lib import synth

    return synth.resident_id(random.Random(seq))
