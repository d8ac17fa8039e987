"""Object storage stopped under a running gunicorn (the local S3 server of the production topology).

While it is down a clue with a photo is refused with the Chinese storage message and 503 — through the API
and through the portal form — and nothing is half-recorded: no clue, attachment or e-file row. Text-only
clues (no object needed) still go through. When the store is back the same upload works and its object is
in the bucket under the name the database holds.
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path
from typing import Any

import pytest

from tests.interaction.media_samples import png_bytes
from zhixing.documents.models import EfileItem
from zhixing.interaction.models import Clue, ClueAttachment
from zhixing.lib.resilience import STORAGE_DOWN

from .http import Browser
from .procs import app_env, free_port, gunicorn, pytest_database_url, s3_client, s3_server

PASSWORD = "Strong#Pass2024"
BUCKET = "zx-faults"


def _counts() -> tuple[int, int, int]:
    return Clue.objects.count(), ClueAttachment.objects.count(), EfileItem.objects.count()


@pytest.mark.django_db(transaction=True)
def test_object_store_down_uploads_fail_cleanly(world: Any, settings: Any, tmp_path: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    world.party.set_password(PASSWORD)
    world.party.save(update_fields=["password"])
    s3_port = free_port()
    s3 = s3_server(port=s3_port, workdir=tmp_path / "s3", bucket=BUCKET)
    port = free_port()
    env = app_env(
        tmp_path / "app",
        DATABASE_URL=pytest_database_url(),
        S3_BUCKET=BUCKET,
        S3_ENDPOINT_URL=f"http://127.0.0.1:{s3_port}",
        S3_ACCESS_KEY="faults",
        S3_SECRET_KEY="faults-secret",
        S3_MAX_ATTEMPTS="2",
        S3_CONNECT_TIMEOUT="2",
    )
    server = gunicorn(env, port=port, log=tmp_path / "gunicorn.log")
    base = f"http://127.0.0.1:{port}"
    clues = f"/api/v1/interaction/cases/{world.case.pk}/clues"
    photo = ("files", "photo.png", png_bytes(), "image/png")
    try:
        party = Browser(base)
        assert party.login_public(world.party.phone, PASSWORD).status == 200
        first = party.post_multipart(clues, {"body": "存储正常时的线索"}, [photo])
        assert first.status == 201, first.text
        before = _counts()
        assert before[1] == 1

        s3.stop()

        refused = party.post_multipart(clues, {"body": "存储中断时的线索"}, [photo])
        assert refused.status == 503, refused.text
        assert refused.json()["detail"] == STORAGE_DOWN and refused.headers.get("Retry-After")
        assert _counts() == before
        # The portal form: the page comes back with the message, still nothing recorded.
        token = party.cookie("csrftoken")
        selected = party.request(
            "POST",
            "/service/cases/",
            data=urllib.parse.urlencode({"case": world.case.pk, "csrfmiddlewaretoken": token}).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        assert selected.status == 302
        form = party.post_multipart(
            "/service/clues/new/",
            {"body": "表单提交的线索", "csrfmiddlewaretoken": token},
            [photo],
            accept="text/html",
        )
        assert "text/html" in form.headers.get("Content-Type", "")
        assert form.status == 503 and STORAGE_DOWN in form.text
        assert _counts() == before
        # A clue without files needs no object store.
        text_only = party.post_multipart(clues, {"body": "只有文字的线索"}, [])
        assert text_only.status == 201

        s3 = s3_server(port=s3_port, workdir=tmp_path / "s3", bucket=BUCKET)

        again = party.post_multipart(clues, {"body": "存储恢复后的线索"}, [photo])
        assert again.status == 201, again.text
        attachment = ClueAttachment.objects.get(clue_id=again.json()["id"])
        keys = {o["Key"] for o in s3_client(s3_port).list_objects_v2(Bucket=BUCKET).get("Contents", [])}
        assert attachment.file.name in keys
        # The object stored before the outage survived it (the store is durable) and every row has its object.
        for row in ClueAttachment.objects.all():
            assert row.file.name in keys
        for item in EfileItem.objects.all():
            assert item.file.name in keys
        assert "Internal Server Error" not in server.tail(400)
    except BaseException:
        print(server.tail(80))
        raise
    finally:
        server.stop()
        s3.stop()
