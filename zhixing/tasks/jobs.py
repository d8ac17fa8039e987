"""Periodic jobs (enqueued by ``manage.py run_scheduler``, see ``schedule.SCHEDULE``).

Each takes the period it runs for, so a repeated or late run does the same work (all are idempotent).
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from importlib import import_module

from django.conf import settings
from django.utils import timezone

from .core import due_runs, task
from .models import ScheduleSlot, TaskRun

log = logging.getLogger("zhixing.tasks")


@task
def deadline_reminders(*, day: str) -> None:
    """Daily: workbench notices for stage deadlines, control expiries, payouts and field tasks (dedupe keys)."""
    from zhixing.workflow.services import deadline_reminders_send

    sent = deadline_reminders_send(today=date.fromisoformat(day))
    log.info("deadline reminders for %s: %s sent", day, sent)


@task
def publicinfo_housekeeping(*, day: str) -> None:
    """Daily: take off records due for removal and 失信 records whose term ended."""
    from zhixing.publicinfo.services import housekeeping_run

    result = housekeeping_run(today=date.fromisoformat(day))
    log.info(
        "publicinfo housekeeping for %s: %s performed, %s expired", day, result.performed, result.expired
    )


@task
def sessions_clear(*, day: str) -> None:
    """Daily: delete expired sessions (database sessions; cache sessions expire by themselves)."""
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()


@task
def tasks_prune(*, day: str) -> None:
    """Daily: forget finished task rows and scheduler slots older than TASKS_KEEP_DAYS."""
    cutoff = timezone.now() - timedelta(days=settings.TASKS_KEEP_DAYS)
    done = TaskRun.objects.filter(status=TaskRun.Status.DONE, finished_at__lt=cutoff).delete()[0]
    slots = ScheduleSlot.objects.filter(created_at__lt=cutoff).delete()[0]
    # The every-two-minutes recovery job leaves 720 rows a day: keep one day of them.
    yesterday = timezone.now() - timedelta(days=1)
    done += TaskRun.objects.filter(
        status=TaskRun.Status.DONE, task=tasks_recover.path, finished_at__lt=yesterday
    ).delete()[0]
    slots += ScheduleSlot.objects.filter(job="tasks.recover", created_at__lt=yesterday).delete()[0]
    log.info("pruned %s task rows and %s scheduler slots", done, slots)


def recover(*, limit: int = 200) -> int:
    """Hand stale rows to the backend again: queued too long (the hand-over after commit was lost, e.g. Redis
    was down), failed with attempts left, or running under an expired lease (the executor died)."""
    from .core import dispatch

    stale = timedelta(seconds=settings.TASKS_STALE_SECONDS)
    ids = list(due_runs(stale_after=stale).values_list("pk", flat=True)[:limit])
    for run_id in ids:
        try:
            dispatch(run_id)
        except Exception:  # the backend is down: the next round tries again
            log.warning("could not re-dispatch task run %s", run_id, exc_info=True)
            break
    return len(ids)


@task
def tasks_recover(*, period: str) -> None:
    """Every few minutes: see ``recover``."""
    count = recover()
    if count:
        log.info("re-dispatched %s stale task runs", count)


@task
def ping() -> None:
    """Does nothing: health checks and the task benchmark measure the queue itself with it."""
