"""Stage teams for the shared personas: world.team is 财产查控 (judge_in + lead); the other stages get
their own teams with one judge each, so a case can walk through all four stages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from tests.factories import (
    MembershipFactory,
    StaffFactory,
    TeamFactory,
    TeamTypeFactory,
    make_case,
)
from zhixing.accounts.models import User
from zhixing.cases.models import EnforcementCase
from zhixing.courts.models import Role, Team


@pytest.fixture(autouse=True)
def _django_signing_backend(settings: Any) -> None:
    """Guard: SIGNING_BACKEND is Django's own setting (a dotted class path used by cookie signing and
    messages). If another module reuses the name for something else, keep Django's working here."""
    if "." not in str(getattr(settings, "SIGNING_BACKEND", "")):
        settings.SIGNING_BACKEND = "django.core.signing.TimestampSigner"


@pytest.fixture(autouse=True)
def _workflow_defaults(request: Any) -> None:
    """Transactional tests elsewhere flush the tables (and with them the rows migration 0003 seeded):
    make sure the manual's stages and matter catalogue exist for every workflow test that uses the db."""
    if request.node.get_closest_marker("django_db") is None:
        return
    request.getfixturevalue("_django_db_helper")  # the database as the marker asks for it
    from zhixing.workflow.defaults import ensure_defaults

    ensure_defaults()


@pytest.fixture(autouse=True)
def _own_nav_only(monkeypatch: Any) -> None:
    """These tests exercise the workflow pages; other apps' menu entries (whose visibility checks run
    on every workbench page) are tested by their own suites and kept out of the query counts here."""
    from zhixing.lib import nav

    own = [i for i in nav._workbench if i.url_name.split(":")[0] in ("workflow", "workbench")]
    monkeypatch.setattr(nav, "_workbench", own)


@dataclass
class Stages:
    disposal_team: Team
    distribution_team: Team
    closing_team: Team
    disposal_judge: User
    distribution_judge: User
    closing_judge: User
    judge2: User


@pytest.fixture
def stages(world: Any) -> Stages:
    teams = {}
    judges = {}
    for order, (code, name) in enumerate(
        [
            ("asset_disposal", "财产处置"),
            ("fund_distribution", "案款分配"),
            ("closing_archive", "结案归档"),
        ],
        start=2,
    ):
        tt = TeamTypeFactory(code=code, name=name, order=order * 10)
        teams[code] = TeamFactory(court=world.court, team_type=tt, name=f"{name}团队")
        judges[code] = StaffFactory(username=f"j_{code}", display_name=f"{name}法官")
        MembershipFactory(user=judges[code], court=world.court, team=teams[code], role=Role.JUDGE)
    TeamTypeFactory(code="field", name="外勤", order=50)
    judge2 = StaffFactory(username="judge_in2", display_name="查控法官二")
    MembershipFactory(user=judge2, court=world.court, team=world.team, role=Role.JUDGE)
    return Stages(
        teams["asset_disposal"],
        teams["fund_distribution"],
        teams["closing_archive"],
        judges["asset_disposal"],
        judges["fund_distribution"],
        judges["closing_archive"],
        judge2,
    )


@pytest.fixture
def received(world: Any, stages: Stages) -> EnforcementCase:
    """world.case received by its judge: it enters 财产查控 (judge_in has the lightest load → assignee)."""
    from zhixing.workflow.services import case_receive

    case_receive(actor=world.judge, case_id=world.case.pk)
    world.case.refresh_from_db()
    return world.case


def new_case(world: Any, seq: int, **kw: Any) -> EnforcementCase:
    return make_case(court=world.court, sequence=seq, judge=world.judge, **kw)
