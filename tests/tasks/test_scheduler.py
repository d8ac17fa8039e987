"""The scheduler enqueues each periodic job once per period, however many schedulers run."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from zhixing.tasks import schedule
from zhixing.tasks.models import ScheduleSlot, TaskRun

from . import sample
from .conftest import REPO, _database_url

SH = ZoneInfo("Asia/Shanghai")
DAILY = schedule.Periodic("test.daily", sample.record, at=time(7, 0))
EVERY = schedule.Periodic("test.every", sample.record, every=timedelta(minutes=2))


@pytest.fixture(autouse=True)
def _clean(settings: Any) -> None:
    settings.TASKS_BACKEND = "database"  # enqueue only: these tests are about the scheduling
    sample.CALLS.clear()


def test_periods() -> None:
    assert DAILY.period(datetime(2026, 11, 22, 6, 59, tzinfo=SH)) is None
    assert DAILY.period(datetime(2026, 11, 22, 7, 0, tzinfo=SH)) == "2026-11-22"
    assert DAILY.period(datetime(2026, 11, 22, 23, 59, tzinfo=SH)) == "2026-11-22"
    a = EVERY.period(datetime(2026, 11, 22, 10, 0, 10, tzinfo=SH))
    assert a == EVERY.period(datetime(2026, 11, 22, 10, 1, 59, tzinfo=SH))
    assert a != EVERY.period(datetime(2026, 11, 22, 10, 2, 0, tzinfo=SH))


@pytest.mark.django_db
def test_tick_enqueues_each_period_once() -> None:
    jobs = [DAILY, EVERY]
    morning = datetime(2026, 11, 22, 7, 30, tzinfo=SH)
    assert sorted(schedule.tick(now=morning, schedule=jobs)) == [
        "test.daily@2026-11-22",
        f"test.every@{EVERY.period(morning)}",
    ]
    assert schedule.tick(now=morning + timedelta(seconds=30), schedule=jobs) == []
    later = morning + timedelta(minutes=2)
    assert schedule.tick(now=later, schedule=jobs) == [f"test.every@{EVERY.period(later)}"]
    assert schedule.tick(now=morning + timedelta(days=1), schedule=jobs)[0] == "test.daily@2026-11-23"
    run = TaskRun.objects.get(key="schedule:test.daily:2026-11-22")
    assert run.kwargs == {"day": "2026-11-22"} and run.status == TaskRun.Status.QUEUED


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_racing_enqueue_once() -> None:
    """Eight threads (separate connections) tick at the same instant: one slot and one task per job."""
    now = datetime(2026, 11, 22, 8, 0, tzinfo=SH)
    barrier = threading.Barrier(8)
    results: list[list[str]] = []
    errors: list[BaseException] = []

    def run(i: int) -> None:
        from django.db import connection

        try:
            barrier.wait(timeout=10)
            results.append(schedule.tick(now=now, scheduler=f"s{i}", schedule=[DAILY, EVERY]))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    enqueued = sorted(item for r in results for item in r)
    assert enqueued == sorted(["test.daily@2026-11-22", f"test.every@{EVERY.period(now)}"])
    assert ScheduleSlot.objects.count() == 2 and TaskRun.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_scheduler_processes_enqueue_each_job_once() -> None:
    """Two ``run_scheduler --once`` processes started together against the same database."""
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "TASKS_BACKEND": "database",
        "PYTHONUNBUFFERED": "1",
    }
    cmd = [sys.executable, "manage.py", "run_scheduler", "--once"]
    procs = [
        subprocess.Popen(cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # noqa: S603
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1].decode()[-2000:] for o in outs]
    lines = [line for out, _ in outs for line in out.decode().splitlines() if line.startswith("enqueued ")]
    items = [line.split()[1] for line in lines]  # "<job>@<period>"
    due = [job.name for job in schedule.SCHEDULE if job.period(datetime.now(tz=SH)) is not None]
    # Every (job, period) once, split between the two processes. A slow start can put the two processes on
    # either side of a short job's period boundary (tasks.recover: every 2 minutes); that is two periods,
    # each enqueued once, not a duplicate.
    assert len(items) == len(set(items)), items
    assert {item.split("@")[0] for item in items} == set(due)
    for job in due:
        periods = {item for item in items if item.split("@")[0] == job}
        assert ScheduleSlot.objects.filter(job=job).count() == len(periods)
        assert TaskRun.objects.filter(key__startswith=f"schedule:{job}:").count() == len(periods)


@pytest.mark.django_db(transaction=True)
def test_scheduled_jobs_run(settings: Any, world: Any) -> None:
    """The real daily jobs run through the task layer (embedded default) and leave their rows done."""
    settings.TASKS_BACKEND = "immediate"
    out = io.StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    assert "tasks.recover" in out.getvalue()
    runs = TaskRun.objects.filter(key__startswith="schedule:")
    assert runs.exists()
    assert set(runs.values_list("status", flat=True)) == {TaskRun.Status.DONE}, list(
        runs.values_list("task", "error")
    )
    now = datetime.now(tz=SH)
    for job in schedule.SCHEDULE[:-1]:
        ran = TaskRun.objects.filter(key=f"schedule:{job.name}:{now.date().isoformat()}").exists()
        assert ran == (job.period(now) is not None)
    # Each daily job's task also runs for a given day (a late or repeated run), whatever the hour now.
    for job in schedule.SCHEDULE[:-1]:
        job.task(day="2026-11-22")


def test_list() -> None:
    out = io.StringIO()
    call_command("run_scheduler", "--list", stdout=out)
    assert "workflow.deadline_reminders\t每日 07:00" in out.getvalue()
    assert "publicinfo.housekeeping\t每日 00:20" in out.getvalue()
