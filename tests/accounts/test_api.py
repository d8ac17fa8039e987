from __future__ import annotations

import random
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zhixing.accounts.models import User
from zhixing.lib import synth

from ..conftest import UNIT, World
from ..factories import make_case
from . import faces
from .conftest import last_code

BASE = "/api/v1/accounts"
NEW = "13712345670"


def _csrf_client() -> tuple[Client, dict[str, str]]:
    client = Client(enforce_csrf_checks=True)
    token = client.get(f"{BASE}/csrf").json()["csrf_token"]
    return client, {"X-CSRFToken": token}


def _post(client: Client, url: str, data: dict[str, Any], headers: dict[str, str]) -> Any:
    return client.post(f"{BASE}{url}", data=data, content_type="application/json", headers=headers)


@pytest.mark.django_db
def test_post_without_csrf_token_is_refused(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    r = client.post(
        f"{BASE}/login",
        {"phone": world.public.phone, "password": "Strong#Pass2024"},
        content_type="application/json",
    )
    assert r.status_code == 403 and "CSRF" in r.json()["detail"]


@pytest.mark.django_db
def test_api_register_verify_and_see_own_cases_only(world: World) -> None:
    name = "赵敏"
    number = synth.resident_id(random.Random(21), born_from=date(1970, 1, 1), born_to=date(1990, 1, 1))
    own = make_case(court=world.court, sequence=51, respondent=(name, number), judge=world.judge)
    client, headers = _csrf_client()
    r = _post(client, "/sms-code", {"phone": NEW, "purpose": "register"}, headers)
    assert r.status_code == 200 and r.json()["detail"].startswith("如该号码可用")
    r = _post(
        client, "/register", {"phone": NEW, "code": last_code(NEW), "password": "Qing-tian-2026"}, headers
    )
    assert (
        r.status_code == 201 and r.json()["verified"] is False and r.json()["phone_masked"] == "137****5670"
    )
    headers = {"X-CSRFToken": client.cookies["csrftoken"].value}  # rotated at login
    assert client.get(f"{BASE}/cases").json() == []
    notice = client.get(f"{BASE}/verification/notice").json()
    r = client.post(
        f"{BASE}/verification/face",
        {
            "real_name": name,
            "id_number": number,
            "portrait": SimpleUploadedFile("p.jpg", faces.portrait(), "image/jpeg"),
            "selfie": SimpleUploadedFile("s.jpg", faces.selfie_same_person(), "image/jpeg"),
        },
        headers=headers,
    )
    assert r.status_code == 422 and "consent" in r.json()["errors"]
    r = client.post(f"{BASE}/verification/consent", headers=headers)
    assert r.status_code == 200 and r.json()["version"] == notice["version"]
    r = client.post(
        f"{BASE}/verification/face",
        {
            "real_name": name,
            "id_number": number,
            "portrait": SimpleUploadedFile("p.jpg", faces.portrait(), "image/jpeg"),
            "selfie": SimpleUploadedFile("s.jpg", faces.selfie_same_person(), "image/jpeg"),
        },
        headers=headers,
    )
    assert r.status_code == 200 and r.json()["verified"] is True and r.json()["score"] < 0.6
    cases = client.get(f"{BASE}/cases").json()
    assert [c["number"] for c in cases] == [own.number]
    assert number not in str(client.get(f"{BASE}/me").json())
    r = _post(client, "/logout", {}, headers)
    assert r.status_code == 200 and client.get(f"{BASE}/me").status_code == 401


@pytest.mark.django_db
def test_api_login_may_and_may_not(world: World) -> None:
    client, headers = _csrf_client()
    r = _post(client, "/login", {"phone": world.party.phone, "password": "wrong-password"}, headers)
    assert r.status_code == 422 and r.json()["detail"] == "手机号或密码不正确。"
    r = _post(client, "/login", {"phone": NEW, "password": "wrong-password"}, headers)
    assert r.status_code == 422 and r.json()["detail"] == "手机号或密码不正确。"
    r = _post(client, "/login", {"phone": world.party.phone, "password": "Strong#Pass2024"}, headers)
    assert r.status_code == 200 and r.json()["verified"] is True
    numbers = {c["number"] for c in client.get(f"{BASE}/cases").json()}
    assert numbers == {world.case.number}
    assert Client().get(f"{BASE}/cases").status_code == 401


@pytest.mark.django_db
def test_api_sms_login_reset_and_enumeration(world: World) -> None:
    client, headers = _csrf_client()
    known = _post(client, "/sms-code", {"phone": world.public.phone, "purpose": "login"}, headers)
    unknown = _post(Client(REMOTE_ADDR="192.0.2.50"), "/sms-code", {"phone": NEW, "purpose": "login"}, {})
    assert known.status_code == unknown.status_code == 200 and known.json() == unknown.json()
    r = _post(
        client, "/login-sms", {"phone": world.public.phone, "code": last_code(world.public.phone)}, headers
    )
    assert r.status_code == 200
    headers = {"X-CSRFToken": client.cookies["csrftoken"].value}  # rotated at login
    replay = Client(enforce_csrf_checks=True)
    replay_headers = {"X-CSRFToken": replay.get(f"{BASE}/csrf").json()["csrf_token"]}
    r = _post(
        replay,
        "/login-sms",
        {"phone": world.public.phone, "code": last_code(world.public.phone)},
        replay_headers,
    )
    assert r.status_code == 422  # replay
    r = _post(client, "/sms-code", {"phone": world.public.phone, "purpose": "bogus"}, headers)
    assert r.status_code == 422


@pytest.mark.django_db
def test_api_unit_login(world: World) -> None:
    client, headers = _csrf_client()
    r = _post(client, "/unit-login", {"unit_code": UNIT[1], "query_code": world.case.query_code}, headers)
    assert r.status_code == 422
    r = _post(
        client, "/unit-login", {"unit_code": UNIT[1], "query_code": world.unit_case.query_code}, headers
    )
    assert r.status_code == 200 and r.json()["kind"] == "unit"
    assert [c["id"] for c in client.get(f"{BASE}/cases").json()] == [world.unit_case.pk]


@pytest.mark.django_db
def test_api_phone_change_may_not_for_staff_or_anonymous(world: World, as_user) -> None:  # type: ignore[no-untyped-def]
    data = {"password": "Strong#Pass2024", "new_phone": NEW, "code": "123456"}
    assert Client().post(f"{BASE}/phone-change", data, content_type="application/json").status_code == 401
    assert (
        as_user(world.judge).post(f"{BASE}/phone-change", data, content_type="application/json").status_code
        == 403
    )
    assert as_user(world.judge).post(f"{BASE}/verification/consent").status_code == 403
    assert User.objects.get(pk=world.judge.pk).phone == ""


@pytest.mark.django_db
def test_api_captcha_endpoint() -> None:
    r = Client().get(f"{BASE}/captcha").json()
    assert r["token"] and r["image"].startswith("data:image/png;base64,")


@pytest.mark.django_db
def test_api_password_reset_and_phone_change(world: World) -> None:
    client, headers = _csrf_client()
    r = _post(client, "/sms-code", {"phone": world.public.phone, "purpose": "reset"}, headers)
    assert r.status_code == 200
    r = _post(
        client,
        "/password-reset",
        {"phone": world.public.phone, "code": "000000", "password": "New-Secret-77"},
        headers,
    )
    assert r.status_code == 422
    code = last_code(world.public.phone)
    r = _post(
        client,
        "/password-reset",
        {"phone": world.public.phone, "code": code, "password": "New-Secret-77"},
        headers,
    )
    assert r.status_code == 200
    r = _post(client, "/login", {"phone": world.public.phone, "password": "New-Secret-77"}, headers)
    assert r.status_code == 200
    headers = {"X-CSRFToken": client.cookies["csrftoken"].value}
    from .conftest import age_codes

    age_codes(world.public.phone)
    r = _post(client, "/sms-code", {"phone": NEW, "purpose": "change"}, headers)
    assert r.status_code == 200
    r = _post(
        client,
        "/phone-change",
        {"password": "New-Secret-77", "new_phone": NEW, "code": last_code(NEW)},
        headers,
    )
    assert r.status_code == 200 and client.get(f"{BASE}/me").json()["phone_masked"] == "137****5670"
