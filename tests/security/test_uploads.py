"""Check 7: every upload endpoint against hostile files.

Endpoints: 执行线索 (portal form and API), 实名认证 face photos (portal form and API), 电子卷宗 upload (workbench),
外勤 photos (workbench), 执行头条 cover images. Attacks: wrong magic bytes (an HTML page called .jpg), a PDF with
JavaScript called .jpg, polyglots (a valid JPEG carrying an HTML/JS payload), oversize files, pixel floods (a tiny
PNG declaring 144 megapixels), path-traversal file names, and EXIF GPS location. Stored names must be made by the
server, stored images must be re-encoded (payload and GPS gone), and files are served as attachments with nosniff.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from zhixing.accounts.models import IdentityVerification
from zhixing.interaction.models import ClueAttachment

from ..accounts import faces
from ..conftest import World
from ..interaction.media_samples import jpeg_with_gps
from . import sech_support as sup

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
PAYLOAD = b"<script>alert(document.cookie)</script>"
PDF_JS = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R/OpenAction 3 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"3 0 obj<</S/JavaScript/JS(app.alert\\('pwned'\\))>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
TRAVERSAL = ["../../../../etc/cron.d/evil.jpg", "..\\..\\..\\evil.jpg", "/etc/passwd.jpg"]
COUNTER_ID = ("王芳", "370102195912280346")


def jpeg(size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 160, 90)).save(out, "JPEG")
    return out.getvalue()


def polyglot() -> bytes:
    """A valid JPEG that is also an HTML page: the payload sits after the end-of-image marker."""
    return jpeg() + HTML


def pixel_flood(width: int = 12_000, height: int = 12_000) -> bytes:
    """A ~150 kB PNG declaring 144 megapixels (432 MB once decoded to RGB)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    squeeze = zlib.compressobj(9)
    row = b"\x00" * (width + 1)
    data = b"".join(squeeze.compress(row) for _ in range(height)) + squeeze.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def has_gps(data: bytes) -> bool:
    with Image.open(io.BytesIO(data)) as im:
        return bool(im.getexif().get_ifd(0x8825))


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    sup.documents_sandbox(settings, tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    cache.clear()
    return Path(settings.MEDIA_ROOT)


# --- Upload targets: each posts one file the way its page or API does and says whether it was accepted ----------


def _clue_web(world: World, upload: SimpleUploadedFile) -> bool:
    client = Client()
    client.force_login(world.party)
    client.post(reverse("interaction:cases"), {"case": world.case.pk})
    r = client.post(reverse("interaction:clue-new"), {"body": "线索", "files": [upload]})
    assert r.status_code in (302, 422), r.status_code
    return r.status_code == 302


def _clue_api(world: World, upload: SimpleUploadedFile) -> bool:
    client = Client()
    client.force_login(world.party)
    r = client.post(f"/api/v1/interaction/cases/{world.case.pk}/clues", {"body": "线索", "files": [upload]})
    assert r.status_code in (201, 422), (r.status_code, r.content[:200])
    return r.status_code == 201


def _face(world: World, upload: SimpleUploadedFile, *, api: bool) -> bool:
    client = Client()
    client.force_login(world.public)
    data = {
        "real_name": COUNTER_ID[0],
        "id_number": COUNTER_ID[1],
        "portrait": upload,
        "selfie": SimpleUploadedFile("selfie.jpg", faces.selfie_same_person(), "image/jpeg"),
    }
    if api:
        client.post("/api/v1/accounts/verification/consent")
        r = client.post("/api/v1/accounts/verification/face", data)
        assert r.status_code in (200, 422), (r.status_code, r.content[:300])
        return r.status_code == 200 and bool(r.json()["verified"])
    client.post("/account/verify/", {"action": "consent", "agree": "1"})
    r = client.post("/account/verify/", data)
    assert r.status_code in (200, 422), r.status_code
    return IdentityVerification.objects.filter(user=world.public, result="approved").exists()


def _field_photo(world: World, upload: SimpleUploadedFile) -> bool:
    from zhixing.workflow import services as flow
    from zhixing.workflow.defaults import ensure_defaults

    ensure_defaults()
    from zhixing.cases.models import EnforcementCase

    if world.case.status == "pending":
        flow.case_receive(actor=world.judge, case_id=world.case.pk)
    world.case = EnforcementCase.objects.get(pk=world.case.pk)
    task = flow.field_task_assign(
        actor=world.team_lead,  # the team lead may assign whoever the flow picked as assignee
        case=world.case,
        officer_id=world.field_officer.pk,
        instructions="现场查看被执行人车辆",
        place="历下区某小区",
        due_on=timezone.localdate() + timedelta(days=3),
    )
    client = Client()
    client.force_login(world.field_officer)
    r = client.post(f"/workbench/flow/tasks/{task.pk}/", {"result": "已查看", "photos": [upload]})
    assert r.status_code in (200, 302, 422), r.status_code
    return r.status_code in (200, 302) and task.photos.exists()


def _cover(world: World, upload: SimpleUploadedFile) -> bool:
    from django.core.files.storage import default_storage

    from zhixing.content.media import process_cover

    try:
        content = process_cover(upload)
    except ValidationError:
        return False
    default_storage.save(f"content/covers/{content.name}", content)
    return True


IMAGE_TARGETS: dict[str, Callable[[World, SimpleUploadedFile], bool]] = {
    "clue-web": _clue_web,
    "clue-api": _clue_api,
    "face-web": lambda w, u: _face(w, u, api=False),
    "face-api": lambda w, u: _face(w, u, api=True),
    "field-photo": _field_photo,
    "cover": _cover,
}
STORES_IMAGES = {"clue-web", "clue-api", "field-photo", "cover"}


@pytest.mark.django_db
@pytest.mark.parametrize("target", list(IMAGE_TARGETS))
@pytest.mark.parametrize(
    ("attack", "data", "ctype"),
    [
        ("html-as-jpeg", HTML, "image/jpeg"),
        ("pdf-with-js-as-jpeg", PDF_JS, "image/jpeg"),
        ("pixel-flood", pixel_flood(), "image/png"),
        ("truncated-jpeg", jpeg()[:200], "image/jpeg"),
    ],
)
def test_hostile_images_are_refused_and_nothing_is_stored(
    world: World, media: Path, target: str, attack: str, data: bytes, ctype: str
) -> None:
    accepted = IMAGE_TARGETS[target](world, SimpleUploadedFile("photo.jpg", data, ctype))
    assert not accepted, f"{target} accepted {attack}"
    assert stored_files(media) == []


@pytest.mark.django_db
@pytest.mark.parametrize("target", sorted(STORES_IMAGES))
def test_polyglot_and_gps_are_re_encoded_away(world: World, media: Path, target: str) -> None:
    assert IMAGE_TARGETS[target](world, SimpleUploadedFile("a.jpg", polyglot(), "image/jpeg"))
    assert IMAGE_TARGETS[target](world, SimpleUploadedFile("b.jpg", jpeg_with_gps(), "image/jpeg"))
    assert has_gps(jpeg_with_gps())  # the sample really carries a location
    images = [p for p in stored_files(media) if p.suffix in {".jpg", ".jpeg", ".png"}]
    assert len(images) >= 2, images
    for path in images:
        data = path.read_bytes()
        assert b"<script" not in data and b"<html" not in data.lower(), path
        assert not has_gps(data), path


@pytest.mark.django_db
@pytest.mark.parametrize("target", sorted(STORES_IMAGES))
@pytest.mark.parametrize("name", TRAVERSAL)
def test_stored_names_are_made_by_the_server(world: World, media: Path, target: str, name: str) -> None:
    assert IMAGE_TARGETS[target](world, SimpleUploadedFile(name, jpeg(), "image/jpeg"))
    stored = stored_files(media)
    assert stored
    for path in stored:
        assert path.resolve().is_relative_to(media.resolve())
        assert "evil" not in path.name and "passwd" not in path.name and ".." not in path.parts


@pytest.mark.django_db
@pytest.mark.parametrize("target", ["face-web", "face-api"])
def test_face_photos_polyglot_and_gps_are_never_stored(world: World, media: Path, target: str) -> None:
    IMAGE_TARGETS[target](world, SimpleUploadedFile("p.jpg", faces.portrait() + HTML, "image/jpeg"))
    assert IdentityVerification.objects.filter(user=world.public).exists()
    assert stored_files(media) == []


@pytest.mark.django_db
def test_oversize_uploads_are_refused(world: World, media: Path, settings: Any, monkeypatch: Any) -> None:
    from zhixing.accounts import services as account_services
    from zhixing.workflow import services as flow

    big = jpeg((900, 700))
    settings.INTERACTION_IMAGE_MAX_BYTES = len(big) - 1
    settings.CONTENT_COVER_MAX_BYTES = len(big) - 1
    monkeypatch.setattr(flow, "MAX_PHOTO_BYTES", len(big) - 1)
    monkeypatch.setattr(account_services, "MAX_IMAGE_BYTES", len(big) - 1)
    for target, upload in IMAGE_TARGETS.items():
        assert not upload(world, SimpleUploadedFile("big.jpg", big, "image/jpeg")), target
    settings.EFILE_MAX_UPLOAD_BYTES = len(big) - 1
    judge = Client()
    judge.force_login(world.judge)
    judge.post(
        reverse("documents:efile-upload", args=[world.case.pk]),
        {"file": SimpleUploadedFile("big.jpg", big, "image/jpeg"), "category": "evidence"},
    )
    assert stored_files(media) == []


@pytest.mark.django_db
def test_face_pixel_flood_is_refused_before_decoding(world: World, media: Path, monkeypatch: Any) -> None:
    """Pillow only warns between 89 and 178 megapixels; the face check must refuse before it decodes."""
    from PIL import ImageFile

    calls: list[int] = []
    original = ImageFile.ImageFile.load

    def counting_load(self: Any) -> Any:
        calls.append(self.width * self.height)
        return original(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", counting_load)
    client = Client()
    client.force_login(world.public)
    client.post("/account/verify/", {"action": "consent", "agree": "1"})
    r = client.post(
        "/account/verify/",
        {
            "real_name": COUNTER_ID[0],
            "id_number": COUNTER_ID[1],
            "portrait": SimpleUploadedFile("p.png", pixel_flood(), "image/png"),
            "selfie": SimpleUploadedFile("s.jpg", faces.selfie_same_person(), "image/jpeg"),
        },
    )
    assert r.status_code == 422, r.status_code
    assert "像素过多" in r.content.decode(), r.context["errors"]
    assert not [n for n in calls if n > 50_000_000], "a flood image was decoded"


# --- E-file (电子卷宗): evidence is kept byte for byte, so the defence is in naming and serving ----------------------


def _efile_upload(world: World, name: str, data: bytes, ctype: str) -> Any:
    from zhixing.documents.models import EfileItem

    judge = Client()
    judge.force_login(world.judge)
    r = judge.post(
        reverse("documents:efile-upload", args=[world.case.pk]),
        {"file": SimpleUploadedFile(name, data, ctype), "category": "evidence"},
    )
    assert r.status_code == 302, r.status_code
    item = EfileItem.objects.filter(case=world.case).latest("seq")
    served = judge.get(reverse("documents:efile-file", args=[item.pk]))
    return item, served


@pytest.mark.django_db
@pytest.mark.parametrize("name", TRAVERSAL)
def test_efile_names_are_made_by_the_server(world: World, media: Path, name: str) -> None:
    item, _ = _efile_upload(world, name, b"%PDF-1.4 material", "application/pdf")
    stored = Path(item.file.path)
    assert stored.resolve().is_relative_to(media.resolve())
    assert "evil" not in stored.name and "passwd" not in stored.name
    assert item.title  # the uploader's name is kept as the title only


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "ctype", "inline_type"),
    [
        ("page.pdf", HTML, "application/pdf", None),  # declared PDF, really HTML → download
        (
            "drawing.svg",
            b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
            "image/svg+xml",
            None,
        ),
        ("notes.html", HTML, "text/html", None),
        (
            "photo.jpg",
            polyglot(),
            "image/jpeg",
            "image/jpeg",
        ),  # a real JPEG: shown in the viewer, scripts inert
        (
            "order.pdf",
            PDF_JS,
            "application/pdf",
            "application/pdf",
        ),  # a real PDF: viewer frame, no page scripts
    ],
)
def test_efile_files_are_served_safely(
    world: World, media: Path, name: str, data: bytes, ctype: str, inline_type: str | None
) -> None:
    _item, served = _efile_upload(world, name, data, ctype)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == data  # evidence is kept byte for byte (hash chain)
    assert served["X-Content-Type-Options"] == "nosniff"
    disposition = served["Content-Disposition"]
    if inline_type is None:
        assert disposition.startswith("attachment") and served["Content-Type"] == "application/octet-stream"
    else:
        assert disposition.startswith("inline") and served["Content-Type"] == inline_type
        csp = sup.csp_directives(served["Content-Security-Policy"])
        assert csp["default-src"] == ["'none'"] and "script-src" not in csp  # no script of any origin
        assert csp["frame-ancestors"] == ["'self'"] and csp["base-uri"] == ["'none'"]


# --- Serving stored uploads ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_clue_files_are_served_as_attachments_with_nosniff(world: World, media: Path) -> None:
    assert _clue_web(world, SimpleUploadedFile("a.jpg", jpeg(), "image/jpeg"))
    attachment = ClueAttachment.objects.get()
    party, judge = Client(), Client()
    party.force_login(world.party)
    judge.force_login(world.judge)
    for client, url in [
        (party, reverse("interaction:clue-file", args=[attachment.pk])),
        (judge, f"/workbench/interaction/clues/files/{attachment.pk}/"),
    ]:
        r = client.get(url)
        assert r.status_code == 200, url
        assert r["Content-Disposition"].startswith("attachment"), url
        assert r["X-Content-Type-Options"] == "nosniff"
        assert r["Content-Type"] in {"image/jpeg", "image/png"}


@pytest.mark.django_db
def test_field_photos_are_served_as_attachments_with_nosniff(world: World, media: Path) -> None:
    from zhixing.workflow.models import FieldTaskPhoto

    assert _field_photo(world, SimpleUploadedFile("a.jpg", jpeg(), "image/jpeg"))
    photo = FieldTaskPhoto.objects.get()
    client = Client()
    client.force_login(world.judge)
    r = client.get(f"/workbench/flow/photos/{photo.pk}/")
    assert r.status_code == 200
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Content-Disposition"].startswith("attachment")
