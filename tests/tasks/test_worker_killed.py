"""Fault: a Celery worker on Redis is SIGKILLed mid-task; a new worker retries the task and its side effect
happens once (one SMS in the outbox, marked sent; one generation of the document)."""

from __future__ import annotations

import os
import signal
import time
from typing import Any

import pytest
from django.utils import timezone

from zhixing.documents import services as documents
from zhixing.documents.models import DocTemplate, GenerationJob
from zhixing.notifications.models import SmsMessage
from zhixing.notifications.services import sms_send
from zhixing.tasks.models import TaskRun
from zhixing.workflow.models import CaseMatter

from .conftest import Queue

pytestmark = pytest.mark.django_db(transaction=True)


def _run_of(task_path: str) -> TaskRun:
    return TaskRun.objects.get(task=task_path)


@pytest.mark.parametrize("backend", ["celery", "database"])
def test_sms_task_killed_mid_delivery_is_retried_and_sent_once(backend: str, request: Any) -> None:
    """Celery on Redis (message restored after the visibility timeout) and the database queue (row taken
    over after its lease lapsed) alike."""
    q: Queue = request.getfixturevalue(f"{backend}_queue")
    message = sms_send(
        phone="13912345678",
        template="opinion_replied",
        params={},
        idempotency_key="fault-test-opinion-1",
    )
    assert message.status == SmsMessage.Status.QUEUED  # recorded now, delivered by a worker
    first = q.start_worker()
    q.wait_for(lambda: q.entered("sms"), 90, "the first worker to reach the provider call")
    run = _run_of("zhixing.notifications.services.sms_deliver")
    assert run.status == TaskRun.Status.RUNNING and run.attempts == 1

    killed_at = time.monotonic()
    q.kill(first)  # SIGKILL while the provider call is in flight: nothing is acknowledged
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.QUEUED

    q.release("sms")
    q.start_worker()

    def done() -> bool:
        run.refresh_from_db()
        return run.status == TaskRun.Status.DONE

    q.wait_for(done, 90, "the task to be redelivered and finished by the second worker")
    print(f"sms task ({backend}): SIGKILL to done after retry {time.monotonic() - killed_at:.1f} s")
    assert run.attempts == 2  # taken over after the first executor's lease expired
    messages = SmsMessage.objects.filter(idempotency_key="fault-test-opinion-1")
    assert messages.count() == 1
    sent = messages.get()
    assert sent.status == SmsMessage.Status.SENT and sent.provider_id.startswith("provider-")
    assert sent.provider_id != f"provider-{first.pid}"
    calls = q.calls()
    # The killed attempt entered the provider call and never returned; the retry completed it once.
    assert [c.split()[0] for c in calls] == ["sms-start", "sms-start", "sms-done"], calls


def test_generation_task_killed_mid_render_is_retried_and_generated_once(
    celery_queue: Queue, world: Any
) -> None:
    q = celery_queue
    documents.library_sync()
    matter = CaseMatter.objects.create(
        case=world.case,
        matter_type=documents.matter_type_for("notice"),
        started_on=timezone.localdate(),
        created_by=world.judge,
    )
    doc = documents.document_create(
        actor=world.judge,
        case=world.case,
        template=DocTemplate.objects.get(court__isnull=True, code="notice"),
        data={},
        matter=matter,
    )
    job = doc.jobs.get()
    assert job.status == GenerationJob.Status.QUEUED
    first = q.start_worker()
    q.wait_for(lambda: q.entered("docgen"), 90, "the first worker to start rendering")
    job.refresh_from_db()
    assert job.status == GenerationJob.Status.RUNNING

    killed_at = time.monotonic()
    q.kill(first)
    q.release("docgen")
    q.start_worker()
    run = _run_of("zhixing.documents.services.generation_task")

    def done() -> bool:
        run.refresh_from_db()
        return run.status == TaskRun.Status.DONE

    q.wait_for(done, 120, "the generation task to be redelivered and finished")
    print(f"generation task: SIGKILL to done after retry {time.monotonic() - killed_at:.1f} s")
    job.refresh_from_db()
    doc.refresh_from_db()
    assert job.status == GenerationJob.Status.DONE and job.attempts == 1, job.error
    assert doc.pdf and doc.docx and doc.pdf_sha256
    assert run.attempts == 2
    assert [c.split()[0] for c in q.calls()] == ["docgen-start", "docgen-start", "docgen-done"]
    assert GenerationJob.objects.filter(document=doc).count() == 1


def test_pool_process_killed_is_rejected_and_rerun_by_the_same_worker(celery_queue: Queue) -> None:
    """Only the pool process running the task dies (OOM killer): ``reject_on_worker_lost`` puts the message
    back at once and the surviving worker runs it again; the SMS is still sent once."""
    q = celery_queue
    sms_send(phone="13912345678", template="opinion_replied", params={}, idempotency_key="fault-test-oom")
    worker = q.start_worker()
    q.wait_for(lambda: q.entered("sms"), 90, "the pool process to reach the provider call")
    child = int((q.pause / "sms.entered").read_text())
    assert child != worker.pid  # the task runs in a pool process, not in the worker's main process
    q.release("sms")
    killed_at = time.monotonic()
    os.kill(child, signal.SIGKILL)
    run = _run_of("zhixing.notifications.services.sms_deliver")

    def done() -> bool:
        run.refresh_from_db()
        return run.status == TaskRun.Status.DONE

    q.wait_for(done, 90, "the rejected message to be run again")
    print(f"sms task (pool process killed): SIGKILL to done {time.monotonic() - killed_at:.1f} s")
    assert worker.poll() is None  # the worker itself lived on
    assert run.attempts == 2
    sent = SmsMessage.objects.get(idempotency_key="fault-test-oom")
    assert sent.status == SmsMessage.Status.SENT and sent.provider_id != f"provider-{child}"
    assert [c.split()[0] for c in q.calls()] == ["sms-start", "sms-start", "sms-done"]
