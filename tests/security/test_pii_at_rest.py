"""Check 9: personal identifiers are encrypted at rest and looked up through a keyed blind index.

The flows that take identity numbers and mobile numbers in (registration, SMS codes, logins, unit login, in-person
verification, case filing, published lists, document drafting, e-sealed documents, messages) are run, then every
column of every table is read back with raw SQL (below the ORM, as someone with a copy of the database would) and
searched for the plaintext of each known number. Face images are never stored (only hashes and the score), which
is checked against the database and the storage folder after a real face verification.
"""

from __future__ import annotations

import hashlib
import hmac
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse

from zhixing.accounts import services as account_services
from zhixing.accounts.models import IdentityVerification, User
from zhixing.cases.models import Party
from zhixing.lib import crypto

from ..accounts.conftest import last_code
from ..conftest import OTHER_PARTY_ID, PARTY_ID, UNIT, World
from ..interaction.test_documents import APPLICATION
from . import sech_support as sup

NEW_PHONE = "13712349876"
COUNTER_ID = ("王芳", "370102195912280346")  # synth.resident_id(random.Random(42))


def _text(value: Any) -> str:
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


def raw_scan(needles: set[str]) -> tuple[list[str], int, int]:
    """Every table, every column, raw SQL: (hits "table.column: needle", tables scanned, cells scanned)."""
    hits: list[str] = []
    cells = 0
    lowered = {n.lower() for n in needles}
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor, include_views=False)
        for table in tables:
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")  # noqa: S608 - names from introspection
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if value is None:
                        continue
                    cells += 1
                    text = _text(value).lower()
                    for needle in lowered:
                        if needle in text:
                            hits.append(f"{table}.{column}: {needle}")
    return hits, len(tables), cells


@pytest.fixture
def populated(world: World, settings: Any, tmp_path: Path) -> set[str]:
    """Run the flows that take personal identifiers in; return every identifier that must not appear in clear."""
    sup.documents_sandbox(settings, tmp_path)
    cache.clear()
    anon = Client()
    # Registration and SMS login by code (SMS outbox, code table, audit).
    anon.post("/account/register/", {"phone": NEW_PHONE, "action": "send_code"})
    anon.post(
        "/account/register/",
        {
            "phone": NEW_PHONE,
            "code": last_code(NEW_PHONE),
            "password": "Qing-tian-2026",
            "agree": "1",
            "action": "register",
        },
    )
    sms = Client()
    sms.post("/account/login/sms/", {"phone": world.party.phone, "action": "send_code"})
    sms.post("/account/login/sms/", {"phone": world.party.phone, "code": last_code(world.party.phone)})
    Client().post("/account/login/", {"phone": world.other_party.phone, "password": "Wrong-pass-1"})
    Client().post("/account/unit/", {"unit_code": UNIT[1], "query_code": world.unit_case.query_code})
    # In-person identity verification at the counter.
    account_services.identity_verify_in_person(
        staff=world.judge,
        user=world.public,
        real_name=COUNTER_ID[0],
        id_number=COUNTER_ID[1],
        document_note="居民身份证原件",
        ip="127.0.0.1",
    )
    # Published list of debtors (respondents of the filed cases).
    from zhixing.publicinfo import services as publicinfo_services

    for case in (world.case, world.other_case, world.unit_case):
        publicinfo_services.debtors_publish(case=case)
    # The party drafts an 执行申请书 (ID number and phone typed into the form) and writes to the judge.
    party = Client()
    party.force_login(world.party)
    party.post(reverse("interaction:cases"), {"case": world.case.pk})
    r = party.post(
        reverse("interaction:document-new", args=["application"]), {**APPLICATION, "action": "save"}
    )
    assert r.status_code in (200, 302), r.status_code
    party.post(reverse("interaction:messages"), {"body": f"我的电话{world.party.phone}，身份证{PARTY_ID[1]}"})
    # The judge makes and e-seals a document for the case.
    sup.signed_document(world)
    needles = {NEW_PHONE, COUNTER_ID[1], PARTY_ID[1], OTHER_PARTY_ID[1]}
    needles |= {u.phone for u in User.objects.exclude(phone="")}
    for p in Party.objects.all():
        if p.kind == "natural":
            needles.add(p.id_number)
        if p.phone:
            needles.add(p.phone)
    return needles


@pytest.mark.django_db
def test_no_plaintext_identity_or_phone_number_in_any_column(populated: set[str]) -> None:
    assert len(populated) >= 9
    hits, tables, cells = raw_scan(populated)
    print(
        f"[pii] {connection.vendor}: {tables} tables, {cells} cells, {len(populated)} numbers, {len(hits)} hits"
    )
    assert cells > 500
    # The free-text message the party typed is the one place a person may write their own number: it is theirs
    # to send to the judge. Every field the system collects as an identifier must be encrypted.
    collected = [h for h in hits if not h.startswith("interaction_message.body")]
    assert not collected, "\n".join(sorted(set(collected)))


@pytest.mark.django_db
def test_raw_scan_finds_a_planted_plaintext(world: World) -> None:
    """The scanner itself: a number written in clear below the ORM is found."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_user SET real_name = %s WHERE id = %s", [PARTY_ID[1], world.public.pk]
        )
    hits, _, _ = raw_scan({PARTY_ID[1]})
    assert any(h.startswith("accounts_user.real_name") for h in hits)


@pytest.mark.django_db
def test_lookups_go_through_a_keyed_blind_index(world: World, settings: Any) -> None:
    phone = world.party.phone
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, phone_index FROM accounts_user WHERE id = %s", [world.party.pk])
        stored_phone, stored_index = cursor.fetchone()
    assert stored_phone.startswith("v1:") and phone not in stored_phone
    assert crypto.decrypt(stored_phone) == phone
    # The index is an HMAC under a key derived from the data key: not the bare hash of the number.
    assert stored_index == crypto.blind_index(phone)
    assert stored_index not in {
        hashlib.sha256(phone.encode()).hexdigest(),
        hashlib.md5(phone.encode()).hexdigest(),  # noqa: S324 - what a naive index would store
    }
    assert stored_index != hmac.new(b"", phone.encode(), hashlib.sha256).hexdigest()
    # Found by the index (login by number works), and the same number under another key gives another index.
    assert (
        account_services.public_login_password(phone=phone, password="Strong#Pass2024", ip="127.0.0.1")
        == world.party
    )
    settings.DATA_KEY = "another-key-" + "x" * 40
    assert crypto.blind_index(phone) != stored_index
    # Two encryptions of the same number differ (random nonce): equal values cannot be spotted by ciphertext.
    assert crypto.encrypt(phone) != crypto.encrypt(phone)


@pytest.mark.django_db
def test_face_images_are_never_stored(world: World, settings: Any, tmp_path: Path) -> None:
    """A full face verification (consent, ID portrait, selfie) leaves no image bytes in the database or storage."""
    from ..accounts import faces  # real face photographs shipped by scikit-image

    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()
    client = Client()
    client.force_login(world.public)
    client.post("/account/verify/", {"action": "consent", "agree": "1"})
    portrait, selfie = faces.portrait(), faces.selfie_same_person()
    r = client.post(
        "/account/verify/",
        {
            "real_name": COUNTER_ID[0],
            "id_number": COUNTER_ID[1],
            "portrait": io.BytesIO(portrait),
            "selfie": io.BytesIO(selfie),
        },
    )
    assert r.status_code in (200, 422)
    record = IdentityVerification.objects.filter(user=world.public).latest("pk")
    assert record.portrait_sha256 == hashlib.sha256(portrait).hexdigest()
    # No column holds the image (nor its base64), and no file was written.
    import base64

    probes = {
        portrait[200:232].hex(),
        base64.b64encode(portrait[300:348]).decode(),
        base64.b64encode(selfie[300:348]).decode(),
    }
    hits, _, _ = raw_scan(probes)
    assert not hits, hits
    media = Path(settings.MEDIA_ROOT)
    stored = [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
    assert not stored, stored


@pytest.mark.django_db
@pytest.mark.parametrize("api", [False, True], ids=["web", "api"])
def test_large_face_photos_leave_no_temporary_file(
    world: World, settings: Any, tmp_path: Path, api: bool, monkeypatch: Any
) -> None:
    """Photos above FILE_UPLOAD_MAX_MEMORY_SIZE are spooled to disk by Django: the file is gone after the request."""
    from django.core.files import uploadedfile

    from ..accounts import faces

    spooled: list[str] = []
    original_init = uploadedfile.TemporaryUploadedFile.__init__

    def recording_init(self: Any, *args: Any, **kwargs: Any) -> None:
        original_init(self, *args, **kwargs)
        spooled.append(self.temporary_file_path())

    monkeypatch.setattr(uploadedfile.TemporaryUploadedFile, "__init__", recording_init)

    spool = tmp_path / "uploads"
    spool.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(spool)
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()
    portrait = faces.portrait() + b"\0" * (
        settings.FILE_UPLOAD_MAX_MEMORY_SIZE + 1024
    )  # padding after the image
    assert len(portrait) > settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    client = Client()
    client.force_login(world.public)
    data = {
        "real_name": COUNTER_ID[0],
        "id_number": COUNTER_ID[1],
        "portrait": io.BytesIO(portrait),
        "selfie": io.BytesIO(faces.selfie_same_person()),
    }
    if api:
        client.post("/api/v1/accounts/verification/consent")
        r = client.post("/api/v1/accounts/verification/face", data)
    else:
        client.post("/account/verify/", {"action": "consent", "agree": "1"})
        r = client.post("/account/verify/", data)
    assert r.status_code in (200, 422)
    assert IdentityVerification.objects.filter(user=world.public).exists()
    assert spooled and all(p.startswith(str(spool)) for p in spooled), spooled  # it really went to disk
    assert list(spool.iterdir()) == []
