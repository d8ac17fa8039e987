"""/api/v1/flow/: team queue, flow state, submit — who may and who may not, on both databases."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest
from django.test import Client

from zhixing.cases.models import CaseStatus
from zhixing.workflow.models import CaseFlow, StageRecord

pytestmark = pytest.mark.django_db

BASE = "/api/v1/flow"


def _post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json")


def _version(case: Any) -> int:
    return CaseFlow.objects.get(case=case).version


def test_queue_summary_per_stage(world: Any, stages: Any, received: Any, as_user: Any) -> None:
    def counts(user: Any) -> dict[str, int]:
        r = as_user(user).get(f"{BASE}/queue")
        assert r.status_code == 200
        return {row["code"]: row["count"] for row in r.json()}

    assert counts(world.judge)["asset_control"] == 1
    assert counts(world.team_lead)["asset_control"] == 1
    assert counts(stages.judge2)["asset_control"] == 0  # a member sees only their own cases
    assert counts(world.judge_outside)["asset_control"] == 0
    assert list(counts(world.judge)) == [
        "asset_control",
        "asset_disposal",
        "fund_distribution",
        "closing_archive",
    ]
    assert as_user(world.party).get(f"{BASE}/queue").status_code == 403
    assert as_user(None).get(f"{BASE}/queue").status_code == 401


def test_queue_of_a_stage(world: Any, stages: Any, received: Any, as_user: Any) -> None:
    r = as_user(world.judge).get(f"{BASE}/queue/asset_control")
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["number"] == received.number and item["amount"] == "100000.00"
    assert item["days_left"] == 30 and item["overdue"] is False
    assert as_user(stages.judge2).get(f"{BASE}/queue/asset_control").json()["count"] == 0
    assert as_user(world.team_lead).get(f"{BASE}/queue/asset_control").json()["count"] == 1
    assert as_user(world.judge).get(f"{BASE}/queue/nope").status_code == 404


def test_flow_state_may_and_may_not(world: Any, stages: Any, received: Any, as_user: Any) -> None:
    url = f"{BASE}/cases/{received.pk}"
    state = as_user(world.judge).get(url).json()
    assert state["stage"]["code"] == "asset_control" and state["can_act"] is True
    assert state["uses_auction"] is True and state["deadline"]
    nxt = {s["code"]: s["auction"] for s in state["next_stages"]}
    assert nxt == {"asset_disposal": "yes", "fund_distribution": "no", "closing_archive": "no"}
    assert as_user(world.team_lead).get(url).json()["can_act"] is True
    assert as_user(stages.judge2).get(url).json()["can_act"] is False  # same court: may read, not act
    assert as_user(world.judge_outside).get(url).status_code == 404
    assert as_user(world.party).get(url).status_code == 403
    assert as_user(None).get(url).status_code == 401


def test_submit_may_and_may_not(world: Any, stages: Any, received: Any, as_user: Any) -> None:
    url = f"{BASE}/cases/{received.pk}/submit"
    body = {"version": _version(received), "next_stage": "asset_disposal", "has_auction": True}
    r = _post(as_user(stages.judge2), url, body)
    assert r.status_code == 403 and "承办人或团队负责人" in r.json()["detail"]
    assert _post(as_user(world.judge_outside), url, body).status_code == 404
    assert _post(as_user(world.party), url, body).status_code == 403
    assert _post(as_user(None), url, body).status_code == 401
    assert CaseFlow.objects.get(case=received).stage.code == "asset_control"
    # Illegal transition, missing 是否有拍, malformed payload: 422 with a Chinese message.
    illegal = _post(as_user(world.judge), url, {**body, "next_stage": "closing_archive"})
    assert illegal.status_code == 422 and "不允许流转到所选阶段" in illegal.json()["detail"]
    assert "next_stage" in illegal.json()["errors"]
    missing = _post(as_user(world.judge), url, {"version": body["version"], "next_stage": "asset_disposal"})
    assert missing.status_code == 422 and missing.json()["detail"] == "请选择是否有拍。"
    bad = _post(as_user(world.judge), url, {"version": "x"})
    assert bad.status_code == 422 and bad.json()["detail"] == "应为整数。"
    ok = _post(as_user(world.judge), url, body)
    assert ok.status_code == 200
    out = ok.json()
    assert out["closed"] is False and out["stage"] == "asset_disposal"
    assert out["flow"]["stage"]["code"] == "asset_disposal" and out["flow"]["assignee"] == str(
        stages.disposal_judge
    )
    again = _post(as_user(world.judge), url, body)  # the same page submitted twice
    assert again.status_code == 422 and "已由他人流转" in again.json()["detail"]
    assert StageRecord.objects.filter(case=received, stage__code="asset_disposal").count() == 1


def test_team_lead_submits_and_final_stage_closes(
    world: Any, stages: Any, received: Any, as_user: Any
) -> None:
    url = f"{BASE}/cases/{received.pk}/submit"
    r = _post(
        as_user(world.team_lead),
        url,
        {"version": _version(received), "next_stage": "closing_archive", "has_auction": False},
    )
    assert r.status_code == 200 and r.json()["stage"] == "closing_archive"
    state = as_user(stages.closing_judge).get(f"{BASE}/cases/{received.pk}").json()
    assert state["stage"]["is_final"] and "fulfilled" in state["closure_methods"]
    no_method = _post(as_user(stages.closing_judge), url, {"version": state["version"]})
    assert no_method.status_code == 422 and no_method.json()["detail"] == "请选择结案方式。"
    early = _post(
        as_user(stages.closing_judge),
        url,
        {"version": state["version"], "closure_method": "terminated_this_round"},
    )
    assert early.status_code == 422 and "终结本次执行程序" in early.json()["detail"]
    done = _post(
        as_user(stages.closing_judge), url, {"version": state["version"], "closure_method": "fulfilled"}
    )
    assert done.status_code == 200 and done.json()["closed"] is True
    received.refresh_from_db()
    assert received.status == CaseStatus.CLOSED and received.closure_method == "fulfilled"
    assert done.json()["flow"]["in_flow"] is False


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_api_submits_make_one_transition(world: Any, stages: Any) -> None:
    """Both databases: PostgreSQL locks the flow row; SQLite's IMMEDIATE transactions serialise writers.
    Either way the second submit sees the new version and is refused with 422."""
    from zhixing.workflow.services import case_receive

    case_receive(actor=world.judge, case_id=world.case.pk)
    url = f"{BASE}/cases/{world.case.pk}/submit"
    body = {"version": _version(world.case), "next_stage": "asset_disposal", "has_auction": True}
    clients = []
    for user in (world.judge, world.team_lead):
        c = Client()
        c.force_login(user)
        clients.append(c)
    barrier = threading.Barrier(2)
    codes: list[int] = []

    def go(client: Client) -> None:
        from django.db import connection as conn

        try:
            barrier.wait()
            codes.append(_post(client, url, body).status_code)
        finally:
            conn.close()

    threads = [threading.Thread(target=go, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [200, 422]
    assert StageRecord.objects.filter(case=world.case, stage__code="asset_disposal").count() == 1
    assert world.case.progress_nodes.filter(name="财产处置").count() == 1


def test_openapi_lists_the_flow_api(as_user: Any, world: Any) -> None:
    r = as_user(None).get("/api/openapi.json")
    assert r.status_code == 200
    paths = r.json()["paths"]
    assert {
        f"{BASE}/queue",
        f"{BASE}/queue/{{code}}",
        f"{BASE}/cases/{{case_id}}",
        f"{BASE}/cases/{{case_id}}/submit",
    } <= set(paths)
