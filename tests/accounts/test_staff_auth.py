from __future__ import annotations

import time

import pyotp
import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from zhixing.accounts import services
from zhixing.accounts.middleware import AUTH_AT, LAST_SEEN
from zhixing.accounts.models import StaffSecurity
from zhixing.accounts.validators import CharacterClassesValidator
from zhixing.audit.models import AuditEvent

from ..conftest import World

PASSWORD = "Strong#Pass2024"


def _login(client: Client, username: str, password: str = PASSWORD, next_url: str = "") -> object:
    return client.post("/workbench/login/", {"username": username, "password": password, "next": next_url})


def _enrolled(user) -> pyotp.TOTP:  # type: ignore[no-untyped-def]
    secret = pyotp.random_base32()
    from django.utils import timezone

    StaffSecurity.objects.update_or_create(
        user=user,
        defaults={
            "totp_secret": secret,
            "totp_confirmed_at": timezone.now(),
            "password_changed_at": timezone.now(),
        },
    )
    return pyotp.TOTP(secret)


@pytest.fixture(autouse=True)
def _no_rotation(settings) -> None:  # type: ignore[no-untyped-def]
    settings.STAFF_PASSWORD_MAX_AGE_DAYS = 0


@pytest.mark.django_db
def test_judge_logs_in_with_password_only_and_gets_a_new_session_key(world: World) -> None:
    client = Client()
    client.get("/workbench/login/")
    before = client.cookies.get("sessionid")
    r = _login(client, "judge_in", next_url="/workbench/cases/")
    assert r.status_code == 302 and r["Location"] == "/workbench/cases/"
    assert client.cookies["sessionid"].value != (before.value if before else None)
    assert client.get("/workbench/cases/").status_code == 200


@pytest.mark.django_db
def test_public_user_and_wrong_password_may_not_log_in(world: World) -> None:
    r = _login(Client(), world.public.username)
    assert r.status_code == 422 and "用户名或密码不正确" in r.content.decode()
    r = _login(Client(), "judge_in", "Wrong#Pass2024")
    assert r.status_code == 422


@pytest.mark.django_db
def test_approver_needs_totp_and_codes_cannot_be_replayed(world: World) -> None:
    totp = _enrolled(world.approver)
    client = Client()
    r = _login(client, "approver")
    assert r.status_code == 302 and r["Location"] == "/workbench/accounts/totp/"
    assert client.get("/workbench/cases/").status_code == 302  # not logged in yet
    r = client.post("/workbench/accounts/totp/", {"code": "000000" if totp.now() != "000000" else "111111"})
    assert r.status_code == 422
    code = totp.now()
    r = client.post("/workbench/accounts/totp/", {"code": code})
    assert r.status_code == 302 and client.get("/workbench/cases/").status_code == 200
    other = Client()
    _login(other, "approver")
    r = other.post("/workbench/accounts/totp/", {"code": code})
    assert r.status_code == 422 and "已使用" in r.content.decode()
    assert AuditEvent.objects.filter(action="auth.staff_totp", result="success").count() == 1


@pytest.mark.django_db
def test_totp_step_needs_a_pending_password_step(world: World) -> None:
    r = Client().get("/workbench/accounts/totp/")
    assert r.status_code == 302 and r["Location"] == "/workbench/login/"


@pytest.mark.django_db
def test_first_login_enrols_totp_with_qr(world: World) -> None:
    client = Client()
    _login(client, "sysadmin")
    page = client.get("/workbench/accounts/totp/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    secret = page.context["secret"]
    r = client.post("/workbench/accounts/totp/", {"code": pyotp.TOTP(secret).now()})
    assert r.status_code == 302
    sec = StaffSecurity.objects.get(user=world.admin)
    assert sec.totp_confirmed_at is not None and sec.totp_secret == secret
    assert AuditEvent.objects.filter(action="auth.totp_enrol").exists()


@pytest.mark.django_db
def test_2fa_for_everyone_is_configurable(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.STAFF_2FA_FOR_ALL = True
    r = _login(Client(), "judge_in")
    assert r["Location"] == "/workbench/accounts/totp/"


@pytest.mark.django_db
def test_staff_lockout_after_five_failures(world: World) -> None:
    for _ in range(5):
        _login(Client(), "judge_in", "Wrong#Pass2024")
    r = _login(Client(), "judge_in")
    assert r.status_code == 422 and "锁定" in r.content.decode()
    for _ in range(5):
        _login(Client(), "nobody_here", "Wrong#Pass2024")
    assert "锁定" in _login(Client(), "nobody_here").content.decode()


@pytest.mark.django_db
def test_logout_ends_all_sessions(world: World) -> None:
    first, second = Client(), Client()
    _login(first, "judge_in")
    _login(second, "judge_in")
    assert second.get("/workbench/cases/").status_code == 200
    first.post("/workbench/logout/")
    assert first.get("/workbench/cases/").status_code == 302
    assert second.get("/workbench/cases/").status_code == 302


@pytest.mark.django_db
def test_password_change_requires_complexity_and_ends_all_sessions(world: World) -> None:
    first, second = Client(), Client()
    _login(first, "judge_in")
    _login(second, "judge_in")
    r = first.post(
        "/workbench/accounts/password/", {"old_password": PASSWORD, "new_password": "alllowercase"}
    )
    assert r.status_code == 422 and "至少3类" in r.content.decode()
    r = first.post(
        "/workbench/accounts/password/", {"old_password": "Wrong#1a", "new_password": "Better#Pass99"}
    )
    assert r.status_code == 422
    r = first.post(
        "/workbench/accounts/password/", {"old_password": PASSWORD, "new_password": "Better#Pass99"}
    )
    assert r.status_code == 200 and "密码已修改" in r.content.decode()
    assert second.get("/workbench/cases/").status_code == 302
    assert _login(Client(), "judge_in", "Better#Pass99").status_code == 302
    assert StaffSecurity.objects.get(user=world.judge).password_changed_at is not None
    assert Client().get("/workbench/accounts/password/").status_code == 302  # anonymous may not


@pytest.mark.django_db
def test_password_rotation_forces_change(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.STAFF_PASSWORD_MAX_AGE_DAYS = 90
    from datetime import timedelta

    from django.utils import timezone

    world.judge.date_joined = timezone.now() - timedelta(days=120)
    world.judge.save(update_fields=["date_joined"])
    client = Client()
    r = _login(client, "judge_in")
    assert r["Location"] == "/workbench/accounts/password/"
    r = client.get("/workbench/cases/")
    assert r.status_code == 302 and r["Location"] == "/workbench/accounts/password/"
    assert client.get("/workbench/accounts/password/").status_code == 200


def test_character_classes_validator() -> None:
    v = CharacterClassesValidator(3)
    for ok in ("Abcdefg1", "abcdef1!", "ABCDEF1!", "Abcdefg!"):
        v.validate(ok)
    for bad in ("abcdefgh", "abcdefg1", "ABCDEFG!", "12345678"):
        with pytest.raises(ValidationError):
            v.validate(bad)

    class Public:
        kind = "public"

    v.validate("abcdefgh", Public())  # public accounts: length/common list only


@pytest.mark.django_db
def test_idle_timeout_and_absolute_lifetime(world: World, settings) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    _login(client, "judge_in")
    assert client.get("/workbench/cases/").status_code == 200
    session = client.session
    session[LAST_SEEN] = int(time.time()) - settings.SESSION_IDLE_SECONDS - 5
    session.save()
    r = client.get("/workbench/cases/")
    assert r.status_code == 302 and r["Location"].startswith("/workbench/login/")
    assert client.get("/workbench/cases/").status_code == 302  # the session is gone, not just redirected

    client = Client()
    _login(client, "judge_in")
    session = client.session
    session[AUTH_AT] = int(time.time()) - 12 * 3600 - 5
    session.save()
    assert client.get("/workbench/", headers={"HX-Request": "true"})["HX-Redirect"].startswith(
        "/workbench/login/"
    )


@pytest.mark.django_db
def test_admin_login_form_is_not_a_2fa_bypass(world: World) -> None:
    r = Client().get("/admin/login/?next=/admin/")
    assert r.status_code == 302 and r["Location"].startswith("/workbench/login/")
    r = Client().post("/admin/login/", {"username": "sysadmin", "password": PASSWORD})
    assert r.status_code == 302 and "sessionid" not in r.cookies


@pytest.mark.django_db
def test_demo_totp_seed_and_command(world: World, capsys) -> None:  # type: ignore[no-untyped-def]
    from io import StringIO

    from django.core.management import call_command

    from zhixing.accounts import demo

    demo.seed(StringIO())
    out = StringIO()
    call_command("demo_totp", "approver", stdout=out, stderr=StringIO())
    code = out.getvalue().strip()
    assert pyotp.TOTP(demo.demo_totp_secret("approver")).verify(code, valid_window=1)
    assert not StaffSecurity.objects.filter(user=world.judge, totp_confirmed_at__isnull=False).exists()


@pytest.mark.django_db
def test_staff_needs_totp_roles(world: World) -> None:
    assert services.staff_needs_totp(user=world.approver)
    assert services.staff_needs_totp(user=world.admin)
    assert not services.staff_needs_totp(user=world.judge)


@pytest.mark.django_db
def test_admin_actions_reset_totp_and_end_sessions(world: World, as_user) -> None:  # type: ignore[no-untyped-def]
    _enrolled(world.approver)
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save(update_fields=["is_staff", "is_superuser"])
    judge_session = Client()
    _login(judge_session, "judge_in")
    admin = as_user(world.admin)
    r = admin.post(
        "/admin/accounts/user/",
        {"action": "reset_totp", "_selected_action": [world.approver.pk]},
    )
    assert r.status_code == 302
    sec = StaffSecurity.objects.get(user=world.approver)
    assert sec.totp_confirmed_at is None and sec.totp_secret == ""
    admin.post("/admin/accounts/user/", {"action": "end_sessions", "_selected_action": [world.judge.pk]})
    assert judge_session.get("/workbench/cases/").status_code == 302
    assert AuditEvent.objects.filter(action="auth.totp_reset").exists()
    # a judge may not use the admin
    r = as_user(world.judge).post(
        "/admin/accounts/user/", {"action": "end_sessions", "_selected_action": [world.admin.pk]}
    )
    assert r.status_code == 302 and r["Location"].startswith("/admin/login/")
    assert (
        judge_session.get("/workbench/cases/").status_code == 302
        and AuditEvent.objects.filter(action="auth.end_sessions").count() == 1
    )
