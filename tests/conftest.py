"""Personas shared by every test (see ARCHITECTURE.md, Testing)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from zhixing.accounts.models import User
from zhixing.cases.models import EnforcementCase
from zhixing.courts.models import Court, Role, Team

from .factories import (
    CourtFactory,
    MembershipFactory,
    StaffFactory,
    TeamFactory,
    TeamTypeFactory,
    make_case,
    public_user,
)

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _deserialize_into_empty_tables() -> None:
    """Serialized rollback restores the migration-seeded rows (stages, templates, content types …) saved
    at setup. A plain transactional test that ran before it on the same worker ends with a flush whose
    post_migrate handlers recreate some of those rows under new keys, and restoring over them breaks unique
    constraints. So the restore always starts from empty tables."""
    from django.core.management import call_command
    from django.db.backends.base.creation import BaseDatabaseCreation

    original = BaseDatabaseCreation.deserialize_db_from_string
    if getattr(original, "_on_empty_tables", False):
        return

    def deserialize(self: BaseDatabaseCreation, data: str) -> None:
        call_command(
            "flush",
            database=self.connection.alias,
            interactive=False,
            verbosity=0,
            inhibit_post_migrate=True,
        )
        original(self, data)

    deserialize._on_empty_tables = True  # type: ignore[attr-defined]
    BaseDatabaseCreation.deserialize_db_from_string = deserialize  # type: ignore[method-assign]


_deserialize_into_empty_tables()

PARTY_ID = ("张伟", "37010219850307123X")
OTHER_PARTY_ID = ("李娜", "370103199005124563")
UNIT = ("济南鑫源建筑工程有限公司", "91370102MA3C8KXX5L")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Argon2 is deliberately slow; tests that check hashing itself override this."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    court: Court
    other_court: Court
    team: Team
    other_team: Team
    judge: User
    judge_outside: User
    team_lead: User
    approver: User
    field_officer: User
    admin: User
    party: User
    other_party: User
    public: User
    case: EnforcementCase
    other_case: EnforcementCase
    unit_case: EnforcementCase


def build_world() -> World:
    """The shared personas; also built once per module by tests/security (outside a function-scoped test)."""
    court = CourtFactory(name="济南市历下区人民法院", case_code="鲁0102", region_code="370102")
    other_court = CourtFactory(name="济南市市中区人民法院", case_code="鲁0103", region_code="370103")
    control = TeamTypeFactory(code="asset_control", name="财产查控", order=10)
    team = TeamFactory(court=court, team_type=control, name="财产查控团队")
    other_team = TeamFactory(court=other_court, team_type=control, name="财产查控团队")

    def staff(username: str, court_: Court, team_: Team | None, role: str, **extra: Any) -> User:
        user = StaffFactory(username=username, display_name=username)
        MembershipFactory(user=user, court=court_, team=team_, role=role, **extra)
        return user

    judge = staff("judge_in", court, team, Role.JUDGE)
    judge_outside = staff("judge_out", other_court, other_team, Role.JUDGE)
    team_lead = staff("lead", court, team, Role.TEAM_LEAD)
    approver = staff("approver", court, None, Role.APPROVER, approver_title="president")
    field_officer = staff("field", court, None, Role.FIELD_OFFICER)
    admin = staff("sysadmin", court, None, Role.SYSADMIN)
    party = public_user("13900000001", verified_as=PARTY_ID)
    other_party = public_user("13900000002", verified_as=OTHER_PARTY_ID)
    public = public_user("13900000003")
    case = make_case(court=court, sequence=1, applicant=PARTY_ID, judge=judge)
    other_case = make_case(court=other_court, sequence=2, applicant=OTHER_PARTY_ID, judge=judge_outside)
    unit_case = make_case(court=court, sequence=3, respondent_unit=UNIT, judge=judge)
    from zhixing.cases.services import party_link_user

    party_link_user(actor=None, user=party)
    party_link_user(actor=None, user=other_party)
    return World(
        court,
        other_court,
        team,
        other_team,
        judge,
        judge_outside,
        team_lead,
        approver,
        field_officer,
        admin,
        party,
        other_party,
        public,
        case,
        other_case,
        unit_case,
    )


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


@pytest.fixture
def as_user() -> Any:
    def login(user: User | None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return login
