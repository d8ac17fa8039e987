from __future__ import annotations

import random

import pytest
from django.test import Client, RequestFactory

from zhixing.accounts.models import AuthLock
from zhixing.accounts.permissions import (
    can_party_view_case,
    can_regenerate_query_code,
    can_unit_view_case,
    portal_case_scope,
)
from zhixing.audit.models import AuditEvent
from zhixing.lib import synth
from zhixing.lib.ids import org_code_of_credit_code

from ..conftest import UNIT, World
from ..factories import make_case


def _unit_login(client: Client, code: str, query: str) -> object:
    return client.post("/account/unit/", {"unit_code": code, "query_code": query})


@pytest.mark.django_db
def test_unit_login_sees_only_that_case(world: World) -> None:
    client = Client()
    r = _unit_login(client, UNIT[1], world.unit_case.query_code)
    assert r.status_code == 302 and r["Location"] == "/account/cases/"
    page = client.get("/account/cases/")
    assert [c.pk for c in page.context["cases"]] == [world.unit_case.pk]
    assert world.case.number not in page.content.decode()
    assert AuditEvent.objects.filter(action="auth.unit_login", result="success").exists()


@pytest.mark.django_db
def test_unit_login_with_org_code_and_lowercase(world: World) -> None:
    credit = synth.credit_code(random.Random(11))
    case = make_case(
        court=world.court, sequence=41, respondent_unit=("济南测试贸易有限公司", credit), judge=world.judge
    )
    org = org_code_of_credit_code(credit)
    client = Client()
    r = _unit_login(client, f"{org[:8]}-{org[8]}".lower(), case.query_code.lower())
    assert r.status_code == 302
    assert client.session["unit_login"]["code"] == org
    assert [c.pk for c in client.get("/account/cases/").context["cases"]] == [case.pk]


@pytest.mark.django_db
def test_unit_login_may_not(world: World) -> None:
    # wrong check digit: a format error on the field
    bad = UNIT[1][:-1] + ("0" if UNIT[1][-1] != "0" else "1")
    r = _unit_login(Client(), bad, world.unit_case.query_code)
    assert r.status_code == 422 and "unit_code" in r.context["errors"]
    # a real unit with another case's query code, and an unknown unit: the same answer
    wrong_pair = _unit_login(Client(), UNIT[1], world.case.query_code)
    unknown = _unit_login(Client(), synth.credit_code(random.Random(99)), world.unit_case.query_code)
    assert wrong_pair.status_code == unknown.status_code == 422
    assert (
        wrong_pair.context["errors"]
        == unknown.context["errors"]
        == {"form": ["单位代码或案件查询码不正确。"]}
    )
    # anonymous sees no cases
    assert list(Client().get("/account/cases/").context["cases"]) == []


@pytest.mark.django_db
def test_unit_lockout(world: World) -> None:
    for _ in range(5):
        _unit_login(Client(), UNIT[1], "ABCDEFGHJK23")
    r = _unit_login(Client(), UNIT[1], world.unit_case.query_code)
    assert r.status_code == 422 and "锁定" in r.content.decode()
    assert AuthLock.objects.filter(locked_until__isnull=False).count() == 1


@pytest.mark.django_db
def test_regenerated_query_code_ends_old_unit_access(world: World, as_user) -> None:  # type: ignore[no-untyped-def]
    unit = Client()
    _unit_login(unit, UNIT[1], world.unit_case.query_code)
    old = world.unit_case.query_code
    judge = as_user(world.judge)
    page = judge.get("/workbench/accounts/query-code/", {"number": world.unit_case.number})
    assert page.status_code == 200 and old in page.content.decode()
    r = judge.post(f"/workbench/accounts/query-code/{world.unit_case.pk}/")
    assert r.status_code == 200
    world.unit_case.refresh_from_db()
    assert world.unit_case.query_code != old and len(world.unit_case.query_code) >= 10
    assert list(unit.get("/account/cases/").context["cases"]) == []
    assert _unit_login(Client(), UNIT[1], old).status_code == 422


@pytest.mark.django_db
def test_query_code_regeneration_may_not(world: World, as_user) -> None:  # type: ignore[no-untyped-def]
    old = world.unit_case.query_code
    assert (
        as_user(world.field_officer).post(f"/workbench/accounts/query-code/{world.unit_case.pk}/").status_code
        == 403
    )
    assert (
        as_user(world.judge_outside).post(f"/workbench/accounts/query-code/{world.unit_case.pk}/").status_code
        == 404
    )
    assert (
        as_user(world.party).post(f"/workbench/accounts/query-code/{world.unit_case.pk}/").status_code == 403
    )
    assert Client().post(f"/workbench/accounts/query-code/{world.unit_case.pk}/").status_code == 302
    world.unit_case.refresh_from_db()
    assert world.unit_case.query_code == old
    page = as_user(world.field_officer).get(
        "/workbench/accounts/query-code/", {"number": world.unit_case.number}
    )
    assert old not in page.content.decode()


@pytest.mark.django_db
def test_permission_helpers(world: World) -> None:
    assert can_party_view_case(world.party, world.case)
    assert not can_party_view_case(world.party, world.other_case)
    assert not can_party_view_case(world.public, world.case)
    assert not can_party_view_case(world.judge, world.case)
    session = {"unit_login": {"code": UNIT[1], "query_code": world.unit_case.query_code}}
    assert can_unit_view_case(session, world.unit_case)
    assert not can_unit_view_case(session, world.case)
    assert not can_unit_view_case({}, world.unit_case)
    assert can_regenerate_query_code(world.judge, world.case)
    assert can_regenerate_query_code(world.team_lead, world.case)
    assert can_regenerate_query_code(world.admin, world.case)
    assert not can_regenerate_query_code(world.field_officer, world.case)
    assert not can_regenerate_query_code(world.judge_outside, world.case)
    assert not can_regenerate_query_code(world.party, world.case)

    request = RequestFactory().get("/")
    request.user = world.party
    request.session = {}  # type: ignore[assignment]
    assert set(portal_case_scope(request).values_list("pk", flat=True)) == {world.case.pk}
    request.session = session  # type: ignore[assignment]
    assert set(portal_case_scope(request).values_list("pk", flat=True)) == {world.case.pk, world.unit_case.pk}
    request.user = world.public
    assert set(portal_case_scope(request).values_list("pk", flat=True)) == {world.unit_case.pk}
    request.session = {}  # type: ignore[assignment]
    assert not portal_case_scope(request).exists()


@pytest.mark.django_db
def test_me_page_states(world: World, as_user) -> None:  # type: ignore[no-untyped-def]
    anonymous = Client().get("/me/").content.decode()
    assert "/account/login/" in anonymous and "/account/register/" in anonymous
    public = as_user(world.public).get("/me/").content.decode()
    assert "/account/verify/" in public and "139****0003" in public and world.public.phone not in public
    party = as_user(world.party).get("/me/").content.decode()
    assert "已实名认证" in party and "/account/verify/" not in party and "/account/cases/" in party
