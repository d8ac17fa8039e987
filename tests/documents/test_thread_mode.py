"""The default generation mode runs jobs in a background thread; the page polls until they finish."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.urls import reverse

from zhixing.documents import services
from zhixing.documents.models import GenerationJob

pytestmark = pytest.mark.django_db(transaction=True)


def test_thread_mode_generates_in_the_background(
    world: Any, matter_of: Any, template_of: Any, settings: Any, as_user: Any
) -> None:
    settings.DOCUMENTS_GENERATION_MODE = "thread"
    matter = matter_of(world.case, "notice", world.judge)
    doc = services.document_create(
        actor=world.judge, case=world.case, template=template_of("notice"), data={}, matter=matter
    )
    job = doc.jobs.get()
    status_url = reverse("documents:job-status", args=[doc.pk])
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in {GenerationJob.Status.DONE, GenerationJob.Status.FAILED}:
            break
        body = as_user(world.judge).get(status_url, HTTP_HX_REQUEST="true").content.decode()
        if "生成完成" not in body and "失败" not in body:
            assert 'hx-trigger="every 1s"' in body  # queued or running: the fragment keeps polling
        time.sleep(0.3)
    assert job.status == GenerationJob.Status.DONE, job.error
    doc.refresh_from_db()
    assert doc.pdf and doc.docx
    r = as_user(world.judge).get(status_url, HTTP_HX_REQUEST="true")
    assert "生成完成" in r.content.decode() and "hx-trigger" not in r.content.decode()
