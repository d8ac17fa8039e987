"""The scheduler: which periodic jobs exist and how one tick enqueues the due ones exactly once.

A tick computes each job's current period (the local date for daily jobs after their time of day, the
interval number for interval jobs) and inserts a ``ScheduleSlot(job, period)`` row together with the task in
one transaction. The unique constraint on (job, period) is the lock: with two schedulers running, one
insert wins and the other gets an IntegrityError and enqueues nothing. The lock lives in the database both
modes share, so it holds whichever task backend runs the jobs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from . import jobs
from .core import Task
from .models import ScheduleSlot

log = logging.getLogger("zhixing.tasks")


@dataclass(frozen=True)
class Periodic:
    name: str
    task: Task
    at: time | None = None  # daily at this local time
    every: timedelta | None = None  # or every interval

    def period(self, now: datetime) -> str | None:
        """The period due at ``now`` (aware), or None when a daily job's time has not come today."""
        local = timezone.localtime(now)
        if self.at is not None:
            return local.date().isoformat() if local.time() >= self.at else None
        assert self.every is not None
        seconds = int(self.every.total_seconds())
        return f"{int(local.timestamp()) // seconds * seconds}"

    def kwargs(self, period: str) -> dict[str, Any]:
        return {"day": period} if self.at is not None else {"period": period}


SCHEDULE: list[Periodic] = [
    Periodic("publicinfo.housekeeping", jobs.publicinfo_housekeeping, at=time(0, 20)),
    Periodic("sessions.clear", jobs.sessions_clear, at=time(3, 0)),
    Periodic("tasks.prune", jobs.tasks_prune, at=time(4, 0)),
    Periodic("workflow.deadline_reminders", jobs.deadline_reminders, at=time(7, 0)),
    Periodic("tasks.recover", jobs.tasks_recover, every=timedelta(minutes=2)),
]


def tick(
    *, now: datetime | None = None, scheduler: str = "", schedule: list[Periodic] | None = None
) -> list[str]:
    """Enqueue every job whose current period has not been enqueued yet; returns ``job@period`` for each."""
    now = now or timezone.now()
    enqueued = []
    for job in SCHEDULE if schedule is None else schedule:
        period = job.period(now)
        if period is None:
            continue
        if ScheduleSlot.objects.filter(job=job.name, period=period).exists():
            continue
        key = f"schedule:{job.name}:{period}"
        try:
            with transaction.atomic():
                ScheduleSlot.objects.create(
                    job=job.name, period=period, run_key=key, scheduler=scheduler[:120]
                )
                job.task.enqueue(key=key, **job.kwargs(period))
        except IntegrityError:
            continue  # another scheduler took this period
        log.info("scheduled %s for %s", job.name, period)
        enqueued.append(f"{job.name}@{period}")
    return enqueued
