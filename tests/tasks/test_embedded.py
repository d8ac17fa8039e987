"""The embedded backends (immediate, database) and the claim/lease rules every backend relies on."""

from __future__ import annotations

import io
import time
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from zhixing.notifications.models import SmsMessage
from zhixing.notifications.services import sms_deliver, sms_send
from zhixing.tasks import jobs
from zhixing.tasks.backends import get_backend
from zhixing.tasks.core import Outcome, enqueue, resolve, run_task
from zhixing.tasks.models import TaskRun

from . import sample


@pytest.fixture(autouse=True)
def _clean(settings: Any) -> None:
    settings.TASKS_BACKEND = "immediate"
    sample.CALLS.clear()
    sample.FAIL_TIMES.clear()


@pytest.mark.django_db(transaction=True)
def test_immediate_runs_after_commit_and_never_after_rollback() -> None:
    with transaction.atomic():
        run = sample.record.enqueue(value="a")
        assert sample.CALLS == []  # not before the change is committed
    assert sample.CALLS == ["a"]
    run.refresh_from_db()
    assert run.status == TaskRun.Status.DONE and run.attempts == 1 and run.finished_at

    with pytest.raises(RuntimeError), transaction.atomic():
        sample.record.enqueue(value="rolled-back")
        raise RuntimeError("the court's change failed")
    assert sample.CALLS == ["a"]
    assert not TaskRun.objects.filter(kwargs__value="rolled-back").exists()


@pytest.mark.django_db(transaction=True)
def test_a_repeated_delivery_is_skipped_and_a_key_enqueues_once() -> None:
    run = sample.record.enqueue(value="once")
    assert run_task(run.pk) is Outcome.SKIPPED  # e.g. a message redelivered after the ack was lost
    again = sample.record.enqueue(key="k-1", value="keyed")
    same = sample.record.enqueue(key="k-1", value="keyed")
    assert again.pk == same.pk
    assert sample.CALLS == ["once", "keyed"]


@pytest.mark.django_db(transaction=True)
def test_failure_is_recorded_and_recovered_until_attempts_run_out(settings: Any) -> None:
    settings.TASKS_STALE_SECONDS = 0
    sample.FAIL_TIMES["x"] = 1
    run = sample.flaky.enqueue(value="x")
    run.refresh_from_db()
    assert run.status == TaskRun.Status.FAILED and "故障 x" in run.error and run.attempts == 1
    time.sleep(0.01)
    assert jobs.recover() >= 1  # the scheduler's tasks.recover job re-dispatches it
    run.refresh_from_db()
    assert run.status == TaskRun.Status.DONE and run.attempts == 2 and sample.CALLS == ["x"]

    sample.FAIL_TIMES["y"] = 10
    run = sample.flaky.enqueue(value="y")
    for _ in range(5):
        run_task(run.pk)
    run.refresh_from_db()
    assert run.status == TaskRun.Status.FAILED and run.attempts == 3  # max_attempts=3
    assert run_task(run.pk) is Outcome.GAVE_UP


@pytest.mark.django_db(transaction=True)
def test_a_live_lease_keeps_others_out_and_an_expired_one_is_taken_over(settings: Any) -> None:
    settings.TASKS_BACKEND = "database"  # keep the task queued
    run = sample.record.enqueue(value="leased")
    TaskRun.objects.filter(pk=run.pk).update(
        status=TaskRun.Status.RUNNING,
        owner="dead-worker",
        attempts=1,
        lease_until=timezone.now() + timedelta(seconds=60),
    )
    assert run_task(run.pk) is Outcome.BUSY
    assert sample.CALLS == []
    TaskRun.objects.filter(pk=run.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    assert run_task(run.pk, owner="new-worker") is Outcome.DONE
    run.refresh_from_db()
    assert run.status == TaskRun.Status.DONE and run.attempts == 2 and run.owner == "new-worker"
    assert sample.CALLS == ["leased"]


@pytest.mark.django_db(transaction=True)
def test_background_tasks_run_in_a_thread() -> None:
    run = sample.slow.enqueue(value="bg")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.status == TaskRun.Status.DONE:
            break
        time.sleep(0.05)
    assert run.status == TaskRun.Status.DONE
    assert [f"bg@task-{run.pk}"] == sample.CALLS


@pytest.mark.django_db(transaction=True)
def test_database_backend_waits_for_the_worker(settings: Any) -> None:
    settings.TASKS_BACKEND = "database"
    first = sample.record.enqueue(value="1")
    sample.record.enqueue(value="2")
    assert sample.CALLS == []
    out = io.StringIO()
    call_command("run_worker", "--check", stdout=out)
    assert "database: 2 due" in out.getvalue()
    out = io.StringIO()
    call_command("run_worker", "--once", stdout=out)
    assert "ran 2 tasks" in out.getvalue() and sample.CALLS == ["1", "2"]
    first.refresh_from_db()
    assert first.status == TaskRun.Status.DONE


def test_run_worker_explains_that_immediate_needs_no_worker() -> None:
    with pytest.raises(CommandError, match="无需 worker"):
        call_command("run_worker")


@pytest.mark.django_db
def test_arguments_must_be_json_and_paths_must_be_tasks(settings: Any) -> None:
    with pytest.raises(TypeError, match="JSON"):
        sample.record.enqueue(value=object())
    with pytest.raises(TypeError, match="not a task"):
        resolve("tests.tasks.sample.plain")
    settings.TASKS_BACKEND = "nonsense"
    with pytest.raises(ValueError, match="TASKS_BACKEND"):
        get_backend()


@pytest.mark.django_db(transaction=True)
def test_notification_sms_is_recorded_with_the_change_and_delivered_once(settings: Any) -> None:
    settings.SMS_BACKEND = "tests.tasks.test_embedded.CountingBackend"
    CountingBackend.sent.clear()
    with transaction.atomic():
        message = sms_send(phone="13912345678", template="opinion_replied", params={}, idempotency_key="e-1")
        assert message.status == SmsMessage.Status.QUEUED and CountingBackend.sent == []
    message.refresh_from_db()
    assert message.status == SmsMessage.Status.SENT and message.provider_id == "count-1"
    sms_deliver(message_id=message.pk)  # a second run of the delivery (e.g. a duplicate message)
    sms_send(phone="13912345678", template="opinion_replied", params={}, idempotency_key="e-1")
    assert len(CountingBackend.sent) == 1 and SmsMessage.objects.count() == 1
    # Outside any transaction the embedded backend has delivered it by the time sms_send returns.
    other = sms_send(phone="13912345678", template="opinion_replied", params={}, idempotency_key="e-2")
    assert other.status == SmsMessage.Status.SENT and len(CountingBackend.sent) == 2
    # Verification codes (no key) are still delivered at once: the user is waiting for them.
    code = sms_send(
        phone="13912345678", template="verify_code", params={"code": "1", "minutes": 5, "purpose": "x"}
    )
    assert code.status == SmsMessage.Status.SENT and len(CountingBackend.sent) == 3


@pytest.mark.django_db
def test_enqueue_inside_a_test_transaction_is_recorded(django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        run = enqueue(sample.record, kwargs={"value": "captured"})
    run.refresh_from_db()
    assert run.status == TaskRun.Status.DONE and sample.CALLS == ["captured"]


class CountingBackend:
    name = "counting"
    sent: list[str] = []

    def deliver(self, *, phone: str, template: str, params: dict, body: str) -> str:
        self.sent.append(body)
        return f"count-{len(self.sent)}"


@pytest.mark.django_db
def test_prune_keeps_recent_and_unfinished_rows(settings: Any) -> None:
    settings.TASKS_BACKEND = "database"
    settings.TASKS_KEEP_DAYS = 30
    now = timezone.now()
    old_done = sample.record.enqueue(value="old")
    recent_done = sample.record.enqueue(value="recent")
    old_failed = sample.record.enqueue(value="failed")
    old_recover = jobs.tasks_recover.enqueue(period="1")
    new_recover = jobs.tasks_recover.enqueue(period="2")
    TaskRun.objects.filter(pk__in=[old_done.pk]).update(status="done", finished_at=now - timedelta(days=31))
    TaskRun.objects.filter(pk__in=[recent_done.pk]).update(status="done", finished_at=now - timedelta(days=2))
    TaskRun.objects.filter(pk=old_failed.pk).update(status="failed", finished_at=now - timedelta(days=40))
    TaskRun.objects.filter(pk=old_recover.pk).update(status="done", finished_at=now - timedelta(days=2))
    TaskRun.objects.filter(pk=new_recover.pk).update(status="done", finished_at=now - timedelta(hours=2))
    jobs.tasks_prune(day="2026-11-22")
    left = set(TaskRun.objects.values_list("pk", flat=True))
    assert left == {recent_done.pk, old_failed.pk, new_recover.pk}
