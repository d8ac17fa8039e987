"""Workflow integrity (issue 11, check 5): two simultaneous submits of the 事项信息 page.

A module of its own: it needs real transactions (two threads, two connections), which cannot run inside
the security world's module-wide transaction.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhixing.workflow.models import CaseFlow, CaseMatter, StageRecord


def _flow(case: Any) -> CaseFlow:
    return CaseFlow.objects.select_related("stage").get(case=case)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_page_submits_make_one_transition(world: Any, settings: Any) -> None:
    """Two people press 提交 on the same 事项信息 form at the same moment: exactly one transition,
    the other is told the case has changed (422). Runs on both databases (SQLite serialises writers)."""
    from tests.factories import MembershipFactory, StaffFactory, TeamFactory, TeamTypeFactory
    from zhixing.courts.models import Role
    from zhixing.workflow.defaults import ensure_defaults
    from zhixing.workflow.services import case_receive

    ensure_defaults()
    names = {"asset_disposal": "财产处置", "fund_distribution": "案款分配", "closing_archive": "结案归档"}
    for order, (code, name) in enumerate(names.items(), start=2):
        team_type = TeamTypeFactory(code=code, name=name, order=order * 10)
        team = TeamFactory(court=world.court, team_type=team_type, name=f"{name}团队")
        MembershipFactory(
            user=StaffFactory(username=f"cc_{code}"), court=world.court, team=team, role=Role.JUDGE
        )
    case_receive(actor=world.judge, case_id=world.case.pk)
    CaseMatter.objects.filter(case=world.case).update(status="done")
    form = {
        "action": "submit",
        "version": _flow(world.case).version,
        "next_stage": "asset_disposal",
        "has_auction": "yes",
    }
    clients = []
    for user in (world.judge, world.team_lead):
        c = Client()
        c.force_login(user)
        clients.append(c)
    barrier = threading.Barrier(2)
    codes: list[int] = []

    def press(client: Client) -> None:
        from django.db import connection

        try:
            barrier.wait()
            codes.append(client.post(reverse("workflow:flow", args=[world.case.pk]), form).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(codes) == [302, 422]
    assert StageRecord.objects.filter(case=world.case, stage__code="asset_disposal").count() == 1
    assert world.case.progress_nodes.filter(name="财产处置").count() == 1
