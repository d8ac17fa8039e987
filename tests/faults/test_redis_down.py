"""Redis killed under a running gunicorn (a private redis-server on a free port).

While Redis is down the portal stays readable (public pages 200), a logged-in party stays logged in
(cached_db sessions fall back to the database), and every rate-limited action — SMS code requests, logins,
public queries, party messages — is refused with the Chinese "系统繁忙" message and 503 (fail closed), never
a 500. When Redis is back everything works again without restarting the app.
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path
from typing import Any

import pytest

from zhixing.lib.ratelimit import RateLimitUnavailable

from .http import Browser
from .procs import app_env, free_port, gunicorn, pytest_database_url, redis_server, wait_until

PASSWORD = "Strong#Pass2024"
PUBLIC_PAGES = ["/", "/laws/", "/guide/", "/assist/faq/", "/query/", "/tools/", "/api/v1/content/channels"]
BUSY = RateLimitUnavailable.message


def _form_login(base: str, phone: str) -> Any:
    browser = Browser(base)
    browser.get("/account/login/")
    body = urllib.parse.urlencode(
        {"phone": phone, "password": PASSWORD, "csrfmiddlewaretoken": browser.cookie("csrftoken")}
    ).encode()
    return browser.request(
        "POST", "/account/login/", data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )


@pytest.mark.django_db(transaction=True)
def test_redis_down_portal_readable_limits_fail_closed(world: Any, settings: Any, tmp_path: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    for user in (world.party, world.other_party):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    redis_port = free_port()
    redis = redis_server(port=redis_port, workdir=tmp_path / "redis")
    port = free_port()
    env = app_env(
        tmp_path / "app", DATABASE_URL=pytest_database_url(), REDIS_URL=f"redis://127.0.0.1:{redis_port}/0"
    )
    server = gunicorn(env, port=port, log=tmp_path / "gunicorn.log")
    base = f"http://127.0.0.1:{port}"
    case_messages = f"/api/v1/interaction/cases/{world.case.pk}/messages"
    try:
        party = Browser(base)
        assert party.login_public(world.party.phone, PASSWORD).status == 200
        visitor = Browser(base)
        visitor.csrf()
        assert (
            visitor.post_json(
                "/api/v1/accounts/sms-code", {"phone": "13700000001", "purpose": "register"}
            ).status
            == 200
        )
        for path in PUBLIC_PAGES:
            assert visitor.get(path).status == 200, path
        assert party.post_json(case_messages, {"body": "Redis 正常时的留言"}).status == 201

        redis.stop()

        # Readable: every public page, and the logged-in party's own pages.
        for path in PUBLIC_PAGES:
            reply = visitor.get(path)
            assert reply.status == 200, (path, reply.status, reply.text[:300])
        me = party.get("/api/v1/accounts/me")
        assert me.status == 200 and me.json()["kind"] == "public"
        assert party.get(case_messages).status == 200

        # Rate-limited actions fail closed: 503, the Chinese message, no 500.
        code = visitor.post_json("/api/v1/accounts/sms-code", {"phone": "13700000002", "purpose": "register"})
        assert code.status == 503 and code.json()["detail"] == BUSY and code.headers.get("Retry-After")
        newcomer = Browser(base)
        login = newcomer.login_public(world.other_party.phone, PASSWORD)
        assert login.status == 503 and login.json()["detail"] == BUSY
        assert newcomer.get("/api/v1/accounts/me").status == 401  # not logged in
        form = _form_login(base, world.other_party.phone)
        assert form.status == 503 and BUSY in form.text and "<form" in form.text  # the form, with the message
        query = visitor.post_json("/api/v1/public/comprehensive", {"name": "张伟", "id_number": ""})
        assert query.status == 503 and query.json()["detail"] == BUSY
        message = party.post_json(case_messages, {"body": "Redis 中断时的留言"})
        assert message.status == 503 and message.json()["detail"] == BUSY

        redis = redis_server(port=redis_port, workdir=tmp_path / "redis")
        wait_until(
            lambda: (
                visitor.post_json(
                    "/api/v1/accounts/sms-code", {"phone": "13700000003", "purpose": "register"}
                ).status
                == 200
            ),
            timeout=30,
            what="rate limits after Redis restart",
        )
        again = Browser(base)
        assert again.login_public(world.other_party.phone, PASSWORD).status == 200
        assert party.post_json(case_messages, {"body": "Redis 恢复后的留言"}).status == 201
        for path in PUBLIC_PAGES:
            assert visitor.get(path).status == 200, path
        assert "Internal Server Error" not in server.tail(400)
    except BaseException:
        print(server.tail(80))
        raise
    finally:
        server.stop()
        redis.stop()
