from __future__ import annotations

import hashlib
import json
import random
import threading
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from zhixing.accounts import face, identity, services
from zhixing.accounts.models import FaceConsent, IdentityVerification
from zhixing.audit.models import AuditEvent
from zhixing.lib import synth

from ..conftest import World
from ..factories import make_case
from . import faces

NAME = "王芳"
ID = synth.resident_id(random.Random(3), born_from=date(1980, 1, 1), born_to=date(1990, 1, 1))


@pytest.fixture
def own_case(world: World) -> Any:
    return make_case(court=world.court, sequence=31, applicant=(NAME, ID), judge=world.judge)


def _upload(client: Client, selfie: bytes, *, name: str = NAME, number: str = ID) -> Any:
    return client.post(
        "/account/verify/",
        {
            "action": "verify",
            "real_name": name,
            "id_number": number,
            "portrait": SimpleUploadedFile("portrait.jpg", faces.portrait(), "image/jpeg"),
            "selfie": SimpleUploadedFile("selfie.jpg", selfie, "image/jpeg"),
        },
    )


# --- the local face model ---------------------------------------------------------------------------------------


def test_same_person_matches_and_other_people_do_not() -> None:
    provider = identity.LocalFaceProvider(threshold=0.6)
    same = provider.verify(
        real_name=NAME, id_number=ID, portrait=faces.portrait(), selfie=faces.selfie_same_person()
    )
    assert same.matched and same.score is not None and same.score < 0.6
    checked = 0
    for index in range(12):
        outcome = provider.verify(
            real_name=NAME, id_number=ID, portrait=faces.portrait(), selfie=faces.other_person(index)
        )
        assert not outcome.matched
        if outcome.score is not None:
            checked += 1
            assert outcome.score > 0.6
    assert checked >= 5  # most LFW crops are detected and compared, not just "no face"


def test_threshold_is_configurable() -> None:
    strict = identity.LocalFaceProvider(threshold=0.05)
    outcome = strict.verify(
        real_name=NAME, id_number=ID, portrait=faces.portrait(), selfie=faces.selfie_same_person()
    )
    assert not outcome.matched and outcome.threshold == 0.05


def test_no_face_and_garbage_images() -> None:
    provider = identity.LocalFaceProvider()
    outcome = provider.verify(real_name=NAME, id_number=ID, portrait=faces.portrait(), selfie=faces.no_face())
    assert not outcome.matched and "未检测到人脸" in outcome.reason
    with pytest.raises(face.FaceImageError):
        provider.verify(real_name=NAME, id_number=ID, portrait=faces.portrait(), selfie=b"not an image")


# --- the portal flow ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_face_verification_needs_consent_first(world: World, own_case: Any, as_user) -> None:  # type: ignore[no-untyped-def]
    client = as_user(world.public)
    page = client.get("/account/verify/")
    assert page.status_code == 200 and identity.NOTICE_VERSION in page.content.decode()
    r = _upload(client, faces.selfie_same_person())
    assert r.status_code == 422 and "consent" in r.context["errors"]
    assert not IdentityVerification.objects.exists()
    r = client.post("/account/verify/", {"action": "consent"})  # unticked box
    assert r.status_code == 422 and not FaceConsent.objects.exists()


@pytest.mark.django_db
def test_face_verification_links_cases_and_keeps_only_hashes(
    world: World, own_case: Any, as_user, tmp_path, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = str(tmp_path)
    client = as_user(world.public)
    r = client.post("/account/verify/", {"action": "consent", "agree": "1"})
    assert r.status_code == 200
    consent = FaceConsent.objects.get(user=world.public)
    assert consent.notice_version == identity.NOTICE_VERSION
    assert consent.notice_sha256 == hashlib.sha256(identity.NOTICE_TEXT.encode()).hexdigest()
    r = _upload(client, faces.selfie_same_person())
    assert r.status_code == 200 and "已完成实名认证" in r.content.decode()
    world.public.refresh_from_db()
    assert world.public.is_verified and world.public.real_name == NAME
    record = IdentityVerification.objects.get(user=world.public)
    assert record.result == "approved" and record.score is not None and record.score < 0.6
    assert record.portrait_sha256 == hashlib.sha256(faces.portrait()).hexdigest()
    assert record.selfie_sha256 == hashlib.sha256(faces.selfie_same_person()).hexdigest()
    assert ID not in record.id_masked
    assert not any(tmp_path.rglob("*"))  # no image written anywhere under media
    cases = client.get("/account/cases/")
    numbers = [c.number for c in cases.context["cases"]]
    assert numbers == [own_case.number]
    assert world.case.number not in cases.content.decode()
    assert AuditEvent.objects.filter(action="identity.verify_face", result="success").exists()


@pytest.mark.django_db
def test_face_mismatch_is_recorded_and_refused(world: World, own_case: Any, as_user) -> None:  # type: ignore[no-untyped-def]
    client = as_user(world.public)
    client.post("/account/verify/", {"action": "consent", "agree": "1"})
    r = _upload(client, faces.other_person(0))
    assert r.status_code == 422
    world.public.refresh_from_db()
    assert not world.public.is_verified
    record = IdentityVerification.objects.get(user=world.public)
    assert record.result == "rejected" and record.reason
    assert not own_case.parties.filter(user=world.public).exists()


@pytest.mark.django_db
def test_under_18_is_refused_clearly(world: World, as_user) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    minor = synth.resident_id(
        random.Random(5), born_from=date(today.year - 15, 1, 1), born_to=date(today.year - 15, 6, 1)
    )
    client = as_user(world.public)
    client.post("/account/verify/", {"action": "consent", "agree": "1"})
    r = _upload(client, faces.selfie_same_person(), number=minor)
    assert r.status_code == 422 and "未满18周岁" in r.content.decode()


@pytest.mark.django_db
def test_bad_id_and_id_of_another_account(world: World, as_user) -> None:  # type: ignore[no-untyped-def]
    client = as_user(world.public)
    client.post("/account/verify/", {"action": "consent", "agree": "1"})
    r = _upload(client, faces.selfie_same_person(), number=ID[:-1] + ("0" if ID[-1] != "0" else "1"))
    assert r.status_code == 422 and "id_number" in r.context["errors"]
    r = _upload(client, faces.selfie_same_person(), name="张伟", number=world.party.id_number)
    assert r.status_code == 422 and "已绑定其他账户" in r.content.decode()


@pytest.mark.django_db
def test_withdrawn_consent_stops_face_processing(world: World, as_user) -> None:  # type: ignore[no-untyped-def]
    client = as_user(world.public)
    client.post("/account/verify/", {"action": "consent", "agree": "1"})
    client.post("/account/verify/", {"action": "withdraw"})
    r = _upload(client, faces.selfie_same_person())
    assert r.status_code == 422 and "consent" in r.context["errors"]


@pytest.mark.django_db
def test_verify_page_may_not(world: World, as_user) -> None:  # type: ignore[no-untyped-def]
    r = Client().get("/account/verify/")
    assert r.status_code == 302 and r["Location"].startswith("/account/login/")
    assert as_user(world.judge).get("/account/verify/").status_code == 403


# --- in person ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_in_person_verification_by_staff(world: World, own_case: Any, as_user) -> None:  # type: ignore[no-untyped-def]
    staff = as_user(world.judge)
    page = staff.post("/workbench/accounts/verify/", {"phone": world.public.phone, "action": "find"})
    assert page.status_code == 200 and page.context["target"] == world.public
    assert not IdentityVerification.objects.exists()
    missing = staff.post("/workbench/accounts/verify/", {"phone": "13912349876", "action": "find"})
    assert missing.status_code == 422 and "未找到" in missing.content.decode()
    r = staff.post(
        "/workbench/accounts/verify/",
        {"phone": world.public.phone, "real_name": NAME, "id_number": ID, "document_note": "居民身份证原件"},
    )
    assert r.status_code == 422 and "confirm" in r.context["errors"]
    r = staff.post(
        "/workbench/accounts/verify/",
        {
            "phone": world.public.phone,
            "real_name": NAME,
            "id_number": ID,
            "document_note": "居民身份证原件",
            "confirm": "1",
        },
    )
    assert r.status_code == 200
    world.public.refresh_from_db()
    assert world.public.is_verified
    record = IdentityVerification.objects.get(user=world.public)
    assert record.method == "in_person" and record.staff == world.judge
    assert AuditEvent.objects.filter(action="identity.verify_in_person", actor=world.judge).exists()
    assert own_case.parties.filter(user=world.public).exists()


@pytest.mark.django_db
def test_in_person_verification_may_not(world: World, as_user) -> None:  # type: ignore[no-untyped-def]
    data = {
        "phone": world.public.phone,
        "real_name": NAME,
        "id_number": ID,
        "document_note": "身份证",
        "confirm": "1",
    }
    r = as_user(world.party).post("/workbench/accounts/verify/", data)
    assert r.status_code == 403
    r = Client().post("/workbench/accounts/verify/", data)
    assert r.status_code == 302
    world.public.refresh_from_db()
    assert not world.public.is_verified
    with pytest.raises(ValidationError):
        services.identity_verify_in_person(
            staff=world.judge, user=world.judge, real_name=NAME, id_number=ID, document_note="x", ip=""
        )


# --- national identity service adapter ---------------------------------------------------------------------------


class _CtidHandler(BaseHTTPRequestHandler):
    secret = "ctid-secret"
    records: dict[str, tuple[str, str]] = {}  # id -> (name, selfie sha256)
    seen: list[dict[str, Any]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).seen.append(body)
        import base64

        photo = base64.b64decode(body["photo"])
        fields = {k: body[k] for k in ("app_id", "timestamp", "nonce", "name", "id_number")}
        fields["photo_sha256"] = hashlib.sha256(photo).hexdigest()
        if body.get("sign") != identity.ctid_signature(self.secret, fields) or body["app_id"] != "court-app":
            answer: dict[str, Any] = {"code": "401", "message": "bad signature"}
        elif body["id_number"] not in self.records:
            answer = {"code": "0", "data": {"result": "no_record", "score": 0}}
        else:
            name, photo_hash = self.records[body["id_number"]]
            ok = name == body["name"] and photo_hash == fields["photo_sha256"]
            answer = {
                "code": "0",
                "data": {"result": "consistent" if ok else "inconsistent", "score": 0.97 if ok else 0.2},
            }
        raw = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, *args: Any) -> None:
        return


@pytest.fixture
def ctid_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _CtidHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/verify"
    server.shutdown()
    server.server_close()


def test_ctid_provider_speaks_the_signed_protocol(ctid_server: str) -> None:
    selfie = faces.selfie_same_person()
    _CtidHandler.records = {ID: (NAME, hashlib.sha256(selfie).hexdigest())}
    provider = identity.CtidProvider(endpoint=ctid_server, app_id="court-app", app_secret="ctid-secret")
    assert provider.verify(real_name=NAME, id_number=ID, portrait=b"", selfie=selfie).matched
    wrong_name = provider.verify(real_name="李四", id_number=ID, portrait=b"", selfie=selfie)
    assert not wrong_name.matched and "不一致" in wrong_name.reason
    assert not provider.verify(
        real_name=NAME, id_number="110101199003077777", portrait=b"", selfie=selfie
    ).matched
    bad_key = identity.CtidProvider(endpoint=ctid_server, app_id="court-app", app_secret="wrong")
    with pytest.raises(identity.ProviderUnavailable):
        bad_key.verify(real_name=NAME, id_number=ID, portrait=b"", selfie=selfie)
    assert "portrait" not in _CtidHandler.seen[-1]


@pytest.mark.django_db
def test_ctid_provider_through_the_service(world: World, own_case: Any, ctid_server: str, settings) -> None:  # type: ignore[no-untyped-def]
    settings.IDENTITY_PROVIDER = "zhixing.accounts.identity.CtidProvider"
    settings.IDENTITY_CTID_ENDPOINT = ctid_server
    settings.IDENTITY_CTID_APP_ID = "court-app"
    settings.IDENTITY_CTID_APP_SECRET = "ctid-secret"
    selfie = faces.selfie_same_person()
    _CtidHandler.records = {ID: (NAME, hashlib.sha256(selfie).hexdigest())}
    services.face_consent_give(user=world.public, ip="127.0.0.1")
    record = services.identity_verify_face(
        user=world.public,
        real_name=NAME,
        id_number=ID,
        portrait=faces.portrait(),
        selfie=selfie,
        ip="127.0.0.1",
    )
    assert record.result == "approved" and record.provider == "ctid"
    settings.IDENTITY_CTID_ENDPOINT = "http://127.0.0.1:9/unreachable"
    services.face_consent_give(user=world.other_party, ip="127.0.0.1")
    world.other_party.verified_at = None
    world.other_party.save()
    with pytest.raises(ValidationError, match="暂时不可用"):
        services.identity_verify_face(
            user=world.other_party,
            real_name="李娜",
            id_number=world.other_party.id_number,
            portrait=faces.portrait(),
            selfie=selfie,
            ip="127.0.0.1",
        )
