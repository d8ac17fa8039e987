"""Check 8: tamper evidence. The case e-file is an append-only hash chain, the audit log is a hash chain checked by
``manage.py audit_verify``, and an e-sealed PDF fails validation when any byte changes.

Tampering is done below the ORM with raw SQL or on the stored file, as an intruder with database or disk access
would. See also tests/test_audit.py and tests/documents (test_flow, test_lib) for the single cases.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.urls import reverse

from zhixing.audit.services import audit_record, audit_verify
from zhixing.documents import services as documents
from zhixing.documents import signing
from zhixing.documents.models import EfileItem

from ..conftest import World
from . import sech_support as sup


@pytest.fixture
def sandbox(settings: Any, tmp_path: Path) -> None:
    sup.documents_sandbox(settings, tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


def _efile(world: World, n: int = 4) -> list[EfileItem]:
    return [
        documents.efile_add(
            case=world.case,
            file=ContentFile(f"证据材料{i}".encode(), name=f"m{i}.txt"),
            category="evidence",
            source="法官上传",
            actor=world.judge,
        )
        for i in range(n)
    ]


def _sql(statement: str, params: list[Any]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "attack",
    [
        "change-hash",
        "change-title",
        "change-time",
        "delete-middle",
        "insert-forged",
        "swap-order",
        "change-file",
    ],
)
def test_efile_chain_detects_tampering(world: World, sandbox: None, attack: str) -> None:
    items = _efile(world)
    assert documents.efile_verify_chain(case=world.case) == (True, None)
    call_command("efile_verify")  # intact: no error
    second, third = items[1], items[2]
    if attack == "change-hash":
        _sql("UPDATE documents_efileitem SET sha256 = %s WHERE id = %s", ["0" * 64, second.pk])
    elif attack == "change-title":
        _sql("UPDATE documents_efileitem SET title = %s WHERE id = %s", ["调换后的材料", second.pk])
    elif attack == "change-time":
        _sql(
            "UPDATE documents_efileitem SET uploaded_at = uploaded_at - INTERVAL '1 day' WHERE id = %s"
            if connection.vendor == "postgresql"
            else "UPDATE documents_efileitem SET uploaded_at = datetime(uploaded_at, '-1 day') WHERE id = %s",
            [second.pk],
        )
    elif attack == "delete-middle":
        _sql("DELETE FROM documents_efileitem WHERE id = %s", [second.pk])
    elif attack == "insert-forged":
        # A forged entry that copies a real one's hashes but claims another file, appended at the end.
        _sql(
            "INSERT INTO documents_efileitem (case_id, seq, category, source, title, file, content_type, size,"
            " sha256, sm3, prev_hash, chain_hash, uploaded_at) SELECT case_id, 99, category, source, '伪造材料', file,"
            " content_type, size, sha256, sm3, prev_hash, %s, uploaded_at FROM documents_efileitem WHERE id = %s",
            ["f" * 64, third.pk],
        )
    elif attack == "swap-order":
        _sql("UPDATE documents_efileitem SET seq = 1000 WHERE id = %s", [second.pk])
        _sql("UPDATE documents_efileitem SET seq = %s WHERE id = %s", [second.seq, third.pk])
        _sql("UPDATE documents_efileitem SET seq = %s WHERE id = %s", [third.seq, second.pk])
    elif attack == "change-file":
        Path(second.file.path).write_bytes("证据材料X".encode())
    intact, first_bad = documents.efile_verify_chain(case=world.case)
    assert not intact and first_bad is not None
    with pytest.raises(CommandError, match="电子卷宗校验失败"):
        call_command("efile_verify")
    if attack != "change-file":  # the page re-checks the chain on every view (file hashes: the command)
        judge = Client()
        judge.force_login(world.judge)
        page = judge.get(reverse("documents:efile", args=[world.case.pk]))
        assert page.status_code == 200 and page.context["intact"] is False


@pytest.mark.django_db
def test_efile_rows_cannot_be_changed_through_the_application(world: World, sandbox: None) -> None:
    items = _efile(world, 2)
    with pytest.raises(ValueError, match="只能追加"):
        items[0].save()
    with pytest.raises(ValueError, match="只能追加"):
        items[0].delete()
    assert documents.efile_verify_chain(case=world.case) == (True, None)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "attack", ["change-action", "change-details", "change-actor-label", "delete", "insert"]
)
def test_audit_verify_detects_changed_deleted_and_inserted_rows(world: World, attack: str) -> None:
    events = [audit_record(action=f"test.step{i}", actor=world.judge, details={"n": i}) for i in range(5)]
    call_command("audit_verify")  # intact: no error
    target = events[2]
    if attack == "change-action":
        _sql("UPDATE audit_auditevent SET action = %s WHERE id = %s", ["case.forged", target.pk])
    elif attack == "change-details":
        _sql("UPDATE audit_auditevent SET details = %s WHERE id = %s", ['{"n": 99}', target.pk])
    elif attack == "change-actor-label":
        _sql("UPDATE audit_auditevent SET actor_label = %s WHERE id = %s", ["别人", target.pk])
    elif attack == "delete":
        _sql("DELETE FROM audit_auditevent WHERE id = %s", [target.pk])
    elif attack == "insert":
        _sql(
            "INSERT INTO audit_auditevent (occurred_at, actor_label, role, action, object_type, object_id, result,"
            " details, prev_hash, hash) SELECT occurred_at, actor_label, role, 'case.forged', object_type, object_id,"
            " result, details, prev_hash, %s FROM audit_auditevent WHERE id = %s",
            ["e" * 64, events[-1].pk],
        )
    problems = audit_verify()
    assert problems
    with pytest.raises(CommandError, match="审计日志校验失败"):
        call_command("audit_verify")


@pytest.mark.django_db
def test_signed_document_detects_every_changed_byte(world: World, sandbox: None) -> None:
    doc = sup.signed_document(world)
    data = Path(doc.signed_pdf.path).read_bytes()
    assert signing.validate_pdf(data).ok
    # One flipped bit at spread positions: header, body, the signature container, the trailer.
    positions = [10, len(data) // 5, len(data) // 2, (4 * len(data)) // 5, len(data) - 20]
    for pos in positions:
        bad = bytearray(data)
        bad[pos] ^= 0x01
        assert not signing.validate_pdf(bytes(bad)).ok, pos
    assert not signing.validate_pdf(data[:-100]).ok
    # Through the public verification page, as a recipient would check a copy.
    anon = Client()
    url = reverse("documents:verify-code", args=[doc.verify_code])
    bad = bytearray(data)
    bad[len(data) // 3] ^= 0x01
    from django.core.files.uploadedfile import SimpleUploadedFile

    ok = anon.post(url, {"file": SimpleUploadedFile("a.pdf", data, content_type="application/pdf")})
    assert ok.status_code == 200 and ok.context["result"]["valid"] is True
    forged = anon.post(url, {"file": SimpleUploadedFile("a.pdf", bytes(bad), content_type="application/pdf")})
    assert forged.status_code == 200 and forged.context["result"]["valid"] is False
