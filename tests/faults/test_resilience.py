"""In-process checks of zhixing.lib.resilience (the real outages are in the other tests of this folder)."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from botocore.exceptions import EndpointConnectionError
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from tests.interaction.conftest import party_actor
from tests.interaction.media_samples import png_bytes
from zhixing.documents.models import EfileItem
from zhixing.interaction import services as interaction
from zhixing.interaction.models import Clue, ClueAttachment
from zhixing.lib import ratelimit
from zhixing.lib.resilience import CACHE_DOWN, DB_DOWN, STORAGE_DOWN, TolerantRedisCache


def _db_down() -> Any:
    return mock.patch.object(
        BaseDatabaseWrapper, "cursor", side_effect=OperationalError("connection refused (simulated)")
    )


@pytest.mark.django_db
def test_database_down_pages_api_and_sessions_get_503(world: Any) -> None:
    visitor = Client(raise_request_exception=False)
    party = Client(raise_request_exception=False)
    party.force_login(world.party)
    with _db_down():
        page = visitor.get("/")
        api = visitor.get("/api/v1/content/channels")
        session = party.get("/api/v1/interaction/cases")  # fails inside the session middleware
        health = visitor.get("/healthz")
    assert page.status_code == 503 and page["Retry-After"] == "10"
    assert DB_DOWN in page.content.decode() and page["Content-Type"].startswith("text/html")
    assert api.status_code == 503 and api.json() == {"detail": DB_DOWN}
    assert session.status_code == 503 and session.json() == {"detail": DB_DOWN}
    assert health.status_code == 503 and health.json()["database"] == "unreachable"
    # Back up: the same clients are served normally.
    assert visitor.get("/healthz").status_code == 200
    assert party.get("/api/v1/interaction/cases").status_code == 200


@pytest.mark.django_db
def test_a_bug_is_still_a_500(world: Any) -> None:
    client = Client(raise_request_exception=False)
    with mock.patch.object(BaseDatabaseWrapper, "cursor", side_effect=KeyError("a bug, not an outage")):
        response = client.get("/api/v1/content/channels")
    assert response.status_code == 500


def _dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again at once: nothing listens there


def test_tolerant_cache_degrades_but_counters_raise() -> None:
    cache = TolerantRedisCache(
        f"redis://127.0.0.1:{_dead_port()}/0", {"OPTIONS": {"socket_connect_timeout": 0.5}}
    )
    assert cache.get("k", "fallback") == "fallback"
    cache.set("k", 1)  # dropped, no error
    assert cache.add("k", 1) is False  # "already there": once-only actions are skipped
    assert cache.get_many(["a", "b"]) == {}
    assert cache.delete("k") is False
    with pytest.raises(Exception, match="onnect"):
        cache.incr("k")
    with (
        mock.patch.object(ratelimit, "caches", {"default": cache}),
        pytest.raises(ratelimit.RateLimitUnavailable),
    ):
        ratelimit.hit("sms-ip", "192.0.2.1", limit=3, window=60)
    assert ratelimit.RateLimitUnavailable.message == CACHE_DOWN


@pytest.mark.django_db
def test_limiter_down_answers_503_with_the_form_message(world: Any, settings: Any) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "zhixing.lib.resilience.TolerantRedisCache",
            "LOCATION": f"redis://127.0.0.1:{_dead_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }
    client = Client()
    client.get("/api/v1/accounts/csrf")
    code = client.post(
        "/api/v1/accounts/sms-code",
        {"phone": "13700000009", "purpose": "register"},
        content_type="application/json",
    )
    assert code.status_code == 503 and code.json()["detail"] == CACHE_DOWN and code["Retry-After"]
    page = client.post("/account/login/", {"phone": world.party.phone, "password": "x"})
    assert page.status_code == 503 and CACHE_DOWN in page.content.decode()
    assert client.get("/laws/").status_code == 200  # reading needs no limiter


@pytest.mark.django_db
def test_object_store_down_leaves_nothing_behind(world: Any, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    down = EndpointConnectionError(endpoint_url="http://127.0.0.1:9/bucket")
    with (
        mock.patch.object(FileSystemStorage, "_save", side_effect=down),
        pytest.raises(ValidationError) as caught,
    ):
        interaction.clue_submit(
            actor=party_actor(world.party),
            case=world.case,
            body="线索",
            files=[SimpleUploadedFile("a.png", png_bytes())],
        )
    assert caught.value.message_dict == {"files": [STORAGE_DOWN]}
    assert (
        not Clue.objects.exists() and not ClueAttachment.objects.exists() and not EfileItem.objects.exists()
    )
    assert not [p for p in (tmp_path / "media").rglob("*") if p.is_file()]


def test_a_lost_lock_race_is_busy_not_down() -> None:
    from psycopg.errors import DeadlockDetected

    from zhixing.lib.resilience import DB_BUSY, classify

    try:
        try:
            raise DeadlockDetected("deadlock detected")
        except DeadlockDetected as cause:
            raise OperationalError("deadlock detected") from cause
    except OperationalError as exc:
        assert classify(exc) == ("db", DB_BUSY)
    assert classify(OperationalError("connection refused")) == ("db", DB_DOWN)
    assert classify(KeyError("bug")) is None


@pytest.mark.django_db
def test_object_store_down_judges_efile_upload_is_refused_cleanly(
    world: Any, settings: Any, tmp_path: Path
) -> None:
    from django.contrib.messages import get_messages
    from django.urls import reverse

    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    judge = Client()
    judge.force_login(world.judge)
    url = reverse("documents:efile-upload", args=[world.case.pk])
    down = EndpointConnectionError(endpoint_url="http://127.0.0.1:9/bucket")
    with mock.patch.object(FileSystemStorage, "_save", side_effect=down):
        refused = judge.post(
            url, {"file": SimpleUploadedFile("材料.pdf", b"%PDF-1.4 x"), "category": "other"}
        )
    assert refused.status_code == 302
    assert [str(m) for m in get_messages(refused.wsgi_request)] == [STORAGE_DOWN]
    assert not EfileItem.objects.exists()
    accepted = judge.post(url, {"file": SimpleUploadedFile("材料.pdf", b"%PDF-1.4 x"), "category": "other"})
    assert accepted.status_code == 302 and EfileItem.objects.count() == 1
    # may not: a judge of another court
    outsider = Client()
    outsider.force_login(world.judge_outside)
    assert outsider.post(url, {"file": SimpleUploadedFile("x.pdf", b"%PDF-1.4 y")}).status_code in (403, 404)
