"""Found by bench/load_mix.py: a party's message and a clue upload on the same case deadlocked on PostgreSQL.

The message's deferred foreign-key check takes FOR KEY SHARE on the case row at COMMIT, after its audit event
took the audit chain's advisory lock; the e-file append held FOR UPDATE on the same case row and then waited for
that advisory lock. The e-file append now locks the case FOR NO KEY UPDATE, which does not conflict with KEY
SHARE. This test replays the interleaving deterministically.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection, connections

from tests.interaction.conftest import party_actor
from zhixing.documents import services as documents
from zhixing.documents.models import EfileItem
from zhixing.interaction import services as interaction
from zhixing.interaction.models import Message


@pytest.mark.django_db(transaction=True)
def test_efile_append_and_message_on_same_case_do_not_deadlock(
    world: Any, settings: Any, tmp_path: Any
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks and advisory locks are PostgreSQL's")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    locked, message_done = threading.Event(), threading.Event()
    errors: list[BaseException] = []
    real_audit = documents.audit_record

    def audit_after_the_message(**kwargs: Any) -> Any:
        locked.set()  # the e-file append holds its case lock now
        message_done.wait(timeout=8)
        return real_audit(**kwargs)

    def append() -> None:
        try:
            documents.efile_add(
                case=world.case,
                file=b"%PDF-1.4 x",
                category="other",
                source="法官上传",
                actor=world.judge,
                title="a.pdf",
            )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    documents.audit_record = audit_after_the_message  # type: ignore[assignment]
    try:
        worker = threading.Thread(target=append)
        worker.start()
        assert locked.wait(timeout=20)
        interaction.message_post(actor=party_actor(world.party), case=world.case, body="同一案件的留言")
        message_done.set()
        worker.join(timeout=30)
    finally:
        documents.audit_record = real_audit  # type: ignore[assignment]
        message_done.set()
    assert not errors, errors
    assert Message.objects.filter(case=world.case).count() == 1
    assert EfileItem.objects.filter(case=world.case, title="a.pdf").count() == 1
