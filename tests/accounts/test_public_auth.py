from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from zhixing.accounts.models import AuthLock, User
from zhixing.audit.models import AuditEvent

from ..conftest import World
from .conftest import age_codes, last_code, sms_to

NEW = "13712345678"
PASSWORD = "Strong#Pass2024"


def _register(client: Client, phone: str = NEW, password: str = "Qing-tian-2026") -> Client:
    r = client.post("/account/register/", {"phone": phone, "action": "send_code"})
    assert r.status_code == 200 and "如该号码可用，验证码已发送" in r.content.decode()
    r = client.post(
        "/account/register/",
        {"phone": phone, "code": last_code(phone), "password": password, "agree": "1", "action": "register"},
    )
    assert r.status_code == 302 and r["Location"] == "/account/verify/"
    return client


@pytest.mark.django_db
def test_register_with_code_from_outbox_logs_in() -> None:
    client = _register(Client())
    user = User.objects.get_by_phone(NEW)
    assert user.kind == User.Kind.PUBLIC and not user.is_verified
    assert client.get("/me/").context["user"] == user
    event = AuditEvent.objects.filter(action="auth.register").get()
    assert NEW not in str(event.details)  # masked


@pytest.mark.django_db
def test_register_rejects_weak_password_without_spending_the_code() -> None:
    client = Client()
    client.post("/account/register/", {"phone": NEW, "action": "send_code"})
    code = last_code(NEW)
    r = client.post(
        "/account/register/",
        {"phone": NEW, "code": code, "password": "12345678", "agree": "1", "action": "register"},
    )
    assert r.status_code == 422 and "password" in r.context["errors"]
    r = client.post(
        "/account/register/",
        {"phone": NEW, "code": code, "password": "Qing-tian-2026", "agree": "1", "action": "register"},
    )
    assert r.status_code == 302


@pytest.mark.django_db
def test_register_requires_agreement_and_valid_code() -> None:
    client = Client()
    client.post("/account/register/", {"phone": NEW, "action": "send_code"})
    r = client.post(
        "/account/register/", {"phone": NEW, "code": last_code(NEW), "password": "Qing-tian-2026"}
    )
    assert r.status_code == 422 and "agree" in r.context["errors"]
    r = client.post(
        "/account/register/", {"phone": NEW, "code": "000000", "password": "Qing-tian-2026", "agree": "1"}
    )
    assert r.status_code == 422 and not User.objects.filter(kind="public").exists()


@pytest.mark.django_db
def test_code_request_answer_is_identical_for_registered_and_unknown_numbers(world: World) -> None:
    bodies = []
    for phone in (world.public.phone, NEW):
        for url in ("/account/login/sms/", "/account/reset/", "/account/register/"):
            age_codes(phone)
            r = Client(REMOTE_ADDR=f"192.0.2.{len(bodies)}").post(
                url, {"phone": phone, "action": "send_code"}
            )
            bodies.append((url, r.status_code, r.content.decode().replace(phone, "PHONE")))
    # Strip the per-response CSRF token, then the pages must be byte-identical per URL.
    import re

    def clean(text: str) -> str:
        text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
        return re.sub(r'"X-CSRFToken": "[^"]+"', "", text)

    by_url: dict[str, set[tuple[int, str]]] = {}
    for url, status, body in bodies:
        by_url.setdefault(url, set()).add((status, clean(body)))
    assert all(len(v) == 1 for v in by_url.values()), {k: len(v) for k, v in by_url.items()}


@pytest.mark.django_db
def test_password_login_may_and_may_not(world: World) -> None:
    client = Client()
    r = client.post(
        "/account/login/", {"phone": world.public.phone, "password": PASSWORD, "next": "/account/cases/"}
    )
    assert r.status_code == 302 and r["Location"] == "/account/cases/"
    r = Client().post("/account/login/", {"phone": world.public.phone, "password": "wrong-password"})
    assert r.status_code == 422 and "手机号或密码不正确" in r.content.decode()
    # open redirects are refused
    r = Client().post(
        "/account/login/",
        {"phone": world.public.phone, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert r["Location"] == "/me/"


@pytest.mark.django_db
def test_staff_cannot_log_in_on_the_portal_by_username(world: World) -> None:
    r = Client().post("/account/login/", {"phone": "judge_in", "password": PASSWORD})
    assert r.status_code == 422


@pytest.mark.django_db
def test_lockout_after_five_failures_same_for_unknown_number(world: World) -> None:
    messages = {}
    for phone in (world.public.phone, NEW):
        client = Client()
        for _ in range(5):
            r = client.post("/account/login/", {"phone": phone, "password": "wrong-password"})
        assert r.status_code == 422
        r = client.post("/account/login/", {"phone": phone, "password": PASSWORD})
        messages[phone] = (r.status_code, r.context["errors"]["form"])
    assert messages[world.public.phone] == messages[NEW]
    assert "锁定" in messages[NEW][1][0]
    # the right password is refused while locked; after 15 minutes it works again
    AuthLock.objects.update(locked_until=timezone.now() - timedelta(seconds=1))
    r = Client().post("/account/login/", {"phone": world.public.phone, "password": PASSWORD})
    assert r.status_code == 302
    assert AuditEvent.objects.filter(action="auth.login", result="failure").count() >= 11
    assert not AuditEvent.objects.filter(details__icontains="wrong-password").exists()


@pytest.mark.django_db
def test_per_ip_throttle(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.LOGIN_IP_LIMIT = 3
    client = Client(REMOTE_ADDR="198.51.100.9")
    for i in range(3):
        client.post("/account/login/", {"phone": f"1350000000{i}", "password": "x-wrong-pass"})
    r = client.post("/account/login/", {"phone": world.public.phone, "password": PASSWORD})
    assert r.status_code == 422 and "频繁" in r.content.decode()
    r = Client(REMOTE_ADDR="198.51.100.10").post(
        "/account/login/", {"phone": world.public.phone, "password": PASSWORD}
    )
    assert r.status_code == 302


@pytest.mark.django_db
def test_sms_login_may_and_may_not(world: World) -> None:
    client = Client()
    client.post("/account/login/sms/", {"phone": world.public.phone, "action": "send_code"})
    code = last_code(world.public.phone)
    r = client.post("/account/login/sms/", {"phone": world.public.phone, "code": code})
    assert r.status_code == 302
    r = Client().post("/account/login/sms/", {"phone": world.public.phone, "code": code})  # replay
    assert r.status_code == 422
    Client().post("/account/login/sms/", {"phone": NEW, "action": "send_code"})
    r = Client().post("/account/login/sms/", {"phone": NEW, "code": "123456"})
    assert r.status_code == 422 and sms_to(NEW)[0].template == "account_missing"


@pytest.mark.django_db
def test_password_reset_ends_every_session(world: World) -> None:
    other_device = Client()
    other_device.post("/account/login/", {"phone": world.public.phone, "password": PASSWORD})
    assert other_device.get("/account/cases/").context["user"].is_authenticated
    client = Client()
    client.post("/account/reset/", {"phone": world.public.phone, "action": "send_code"})
    r = client.post(
        "/account/reset/",
        {"phone": world.public.phone, "code": last_code(world.public.phone), "password": "New-Secret-77"},
    )
    assert r.status_code == 200 and "密码已重置" in r.content.decode()
    assert not other_device.get("/account/cases/").context["user"].is_authenticated
    assert (
        Client()
        .post("/account/login/", {"phone": world.public.phone, "password": "New-Secret-77"})
        .status_code
        == 302
    )
    assert (
        Client().post("/account/login/", {"phone": world.public.phone, "password": PASSWORD}).status_code
        == 422
    )


@pytest.mark.django_db
def test_reset_for_unknown_number_never_succeeds(world: World) -> None:
    client = Client()
    r = client.post("/account/reset/", {"phone": NEW, "action": "send_code"})
    assert r.status_code == 200
    r = client.post("/account/reset/", {"phone": NEW, "code": "123456", "password": "New-Secret-77"})
    assert r.status_code == 422


@pytest.mark.django_db
def test_phone_change_requires_password_and_new_number_code(world: World, as_user) -> None:  # type: ignore[no-untyped-def]
    old = world.public.phone
    client = as_user(world.public)
    assert client.get("/account/phone/").status_code == 200
    client.post("/account/phone/", {"new_phone": NEW, "action": "send_code"})
    code = last_code(NEW)
    r = client.post("/account/phone/", {"password": "wrong-password", "new_phone": NEW, "code": code})
    assert r.status_code == 422 and "password" in r.context["errors"]
    r = client.post("/account/phone/", {"password": PASSWORD, "new_phone": NEW, "code": code})
    assert r.status_code == 200 and "手机号已更换" in r.content.decode()
    world.public.refresh_from_db()
    assert world.public.phone == NEW
    assert sms_to(old)[0].template == "phone_changed"
    # anonymous may not
    r = Client().get("/account/phone/")
    assert r.status_code == 302 and r["Location"].startswith("/account/login/")


@pytest.mark.django_db
def test_phone_change_to_a_taken_number_never_reveals_it(world: World, as_user) -> None:  # type: ignore[no-untyped-def]
    client = as_user(world.public)
    r = client.post("/account/phone/", {"new_phone": world.party.phone, "action": "send_code"})
    assert r.status_code == 200 and sms_to(world.party.phone)[0].template == "account_exists"
    r = client.post(
        "/account/phone/", {"password": PASSWORD, "new_phone": world.party.phone, "code": "000000"}
    )
    assert r.status_code == 422


@pytest.mark.django_db
def test_logout_is_server_side(world: World) -> None:
    client = Client()
    client.post("/account/login/", {"phone": world.public.phone, "password": PASSWORD})
    key = client.cookies["sessionid"].value
    r = client.post("/account/logout/")
    assert r.status_code == 302
    replay = Client()
    replay.cookies["sessionid"] = key
    assert not replay.get("/account/cases/").context["user"].is_authenticated
    assert Client().get("/account/logout/").status_code == 405


@pytest.mark.django_db
def test_public_idle_timeout(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    import time

    from zhixing.accounts.middleware import LAST_SEEN

    client = Client()
    client.post("/account/login/", {"phone": world.public.phone, "password": PASSWORD})
    session = client.session
    session[LAST_SEEN] = int(time.time()) - settings.PUBLIC_SESSION_IDLE_SECONDS + 60
    session.save()
    assert client.get("/account/cases/").context["user"].is_authenticated  # still within the limit
    session = client.session
    session[LAST_SEEN] = int(time.time()) - settings.PUBLIC_SESSION_IDLE_SECONDS - 5
    session.save()
    r = client.get("/account/cases/")
    assert r.status_code == 302 and r["Location"].startswith("/account/login/")
    assert not client.get("/account/cases/").context["user"].is_authenticated
