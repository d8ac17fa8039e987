"""Serving a document happens once: the record, notice and SMS commit together, and serving again after a
request died half-way completes the missing receipt without a second notice or SMS."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from zhixing.documents import services
from zhixing.documents.models import DocStatus, DocTemplate, EfileItem, ServiceRecord
from zhixing.notifications.models import Notice, SmsMessage
from zhixing.tasks.models import TaskRun
from zhixing.workflow.models import CaseMatter

pytestmark = pytest.mark.django_db(transaction=True)


def test_serving_again_completes_a_missing_receipt_and_sends_nothing_twice(
    world: Any, settings: Any, tmp_path: Any
) -> None:
    settings.DOCUMENTS_GENERATION_MODE = "inline"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    services.library_sync()
    matter = CaseMatter.objects.create(
        case=world.case,
        matter_type=services.matter_type_for("notice"),
        started_on=timezone.localdate(),
        created_by=world.judge,
    )
    doc = services.document_create(
        actor=world.judge,
        case=world.case,
        template=DocTemplate.objects.get(court__isnull=True, code="notice"),
        data={},
        matter=matter,
    )
    doc.status = DocStatus.SIGNED
    doc.signed_sha256 = doc.pdf_sha256
    doc.save(update_fields=["status", "signed_sha256"])
    party = world.case.parties.get(role="applicant")
    party.phone = "13900000001"
    party.save(update_fields=["phone"])

    [record] = services.document_serve(actor=world.judge, document=doc, parties=[party])
    key = f"document-served-{record.pk}"
    sms = SmsMessage.objects.get(idempotency_key=key)
    assert sms.status == SmsMessage.Status.SENT  # delivered by its task right after the commit
    assert TaskRun.objects.get(key=f"sms:{sms.pk}").status == TaskRun.Status.DONE
    assert record.receipt_pdf and EfileItem.objects.filter(document=doc, category="receipt").count() == 1

    # The serving request died after its commit, before the receipt was made.
    ServiceRecord.objects.filter(pk=record.pk).update(receipt_pdf="", receipt_sha256="")
    [again] = services.document_serve(actor=world.judge, document=doc, parties=[party])
    assert again.pk == record.pk and again.receipt_pdf and again.receipt_sha256
    assert (
        EfileItem.objects.filter(document=doc, category="receipt").count() == 2
    )  # the e-file is append-only
    services.document_serve(actor=world.judge, document=doc, parties=[party])
    assert EfileItem.objects.filter(document=doc, category="receipt").count() == 2
    assert ServiceRecord.objects.filter(document=doc).count() == 1
    assert SmsMessage.objects.filter(idempotency_key=key).count() == 1
    assert Notice.objects.filter(dedupe_key=key).count() == (1 if party.user_id else 0)
