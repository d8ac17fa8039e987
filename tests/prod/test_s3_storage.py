"""Uploads and generated files on S3-compatible object storage (the local server from deploy/s3server.py)."""

from __future__ import annotations

import hashlib
import io
import os
import signal
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.interaction.media_samples import png_bytes
from zhixing.interaction import services
from zhixing.interaction.integration import PortalActor

from .conftest import S3Server


@pytest.fixture
def on_s3(settings: Any, s3_server: S3Server) -> S3Server:
    settings.STORAGES = {**settings.STORAGES, "default": s3_server.storage_settings()}
    from django.core.cache import cache

    cache.clear()  # the interaction rate limits
    return s3_server


def test_storage_round_trip(on_s3: S3Server) -> None:
    from django.core.files.storage import storages
    from storages.backends.s3 import S3Storage

    assert isinstance(storages["default"], S3Storage)
    data = os.urandom(3 * 1024 * 1024 + 17)
    name = default_storage.save("tests/round/证据.bin", ContentFile(data))
    assert name.startswith("tests/round/")
    assert default_storage.exists(name) and default_storage.size(name) == len(data)
    with default_storage.open(name, "rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == hashlib.sha256(data).hexdigest()
    # The object really is in the bucket (not a local file), byte for byte.
    body = on_s3.client().get_object(Bucket=on_s3.bucket, Key=name)["Body"].read()
    assert body == data
    # Same name again: a new object, the first is never overwritten.
    second = default_storage.save("tests/round/证据.bin", ContentFile(b"other"))
    assert second != name and default_storage.size(name) == len(data)
    default_storage.delete(name)
    default_storage.delete(second)
    assert not default_storage.exists(name)


def test_large_upload_uses_multipart_and_survives_a_restart(on_s3: S3Server) -> None:
    data = os.urandom(12 * 1024 * 1024)  # above boto3's 8 MB multipart threshold
    name = default_storage.save("tests/big/clip.mp4", io.BytesIO(data))
    digest = hashlib.sha256(data).hexdigest()
    # Acknowledged writes are on disk before the answer: a killed server loses nothing.
    on_s3.stop(signal.SIGKILL)
    on_s3.start()
    with default_storage.open(name, "rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == digest
    default_storage.delete(name)


def test_clue_files_on_s3_are_served_only_to_those_allowed(world: Any, as_user: Any, on_s3: S3Server) -> None:
    image = png_bytes((40, 30))
    clue = services.clue_submit(
        actor=PortalActor(user=world.party, label=world.party.real_name),
        case=world.case,
        body="车辆停放在小区地下车库",
        files=[SimpleUploadedFile("car.png", image, content_type="image/png")],
    )
    attachment = clue.attachments.get()
    stored = on_s3.client().get_object(Bucket=on_s3.bucket, Key=attachment.file.name)["Body"].read()
    assert hashlib.sha256(stored).hexdigest() == attachment.sha256

    url = reverse("interaction:clue-file", args=[attachment.pk])
    owner = as_user(world.party).get(url)
    assert owner.status_code == 200
    assert hashlib.sha256(b"".join(owner.streaming_content)).hexdigest() == attachment.sha256
    # May not: another party, a judge of another court, an anonymous visitor.
    assert as_user(world.other_party).get(url).status_code in (403, 404)
    wb_url = reverse("interaction_wb:clue-file", args=[attachment.pk])
    assert as_user(world.judge_outside).get(wb_url).status_code in (403, 404)
    assert as_user(world.judge).get(wb_url).status_code == 200
    anonymous = as_user(None).get(url)
    assert anonymous.status_code in (302, 403, 404)
    assert stored not in anonymous.content
    # Nothing is reachable by a guessed path: media is not mounted outside DEBUG.
    assert as_user(None).get("/media/" + attachment.file.name).status_code == 404


def test_storage_down_refuses_the_upload_and_records_nothing(world: Any, on_s3: S3Server) -> None:

    from zhixing.interaction.models import Clue

    before = Clue.objects.count()
    on_s3.stop()
    try:
        with pytest.raises(Exception) as caught:
            services.clue_submit(
                actor=PortalActor(user=world.party, label=world.party.real_name),
                case=world.case,
                body="存储不可用时",
                files=[SimpleUploadedFile("a.png", png_bytes(), content_type="image/png")],
            )
    finally:
        on_s3.start()
    assert Clue.objects.count() == before
    assert "files" in caught.value.message_dict and caught.value.message_dict["files"][0]
