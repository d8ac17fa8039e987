"""The task layer: tasks are defined once with ``@task``, enqueued with ``<task>.enqueue(**kwargs)`` and run
by the configured backend (``settings.TASKS_BACKEND``) after the enqueuing transaction commits.

Delivery is at-least-once; the effect of one enqueued task happens once:

- ``enqueue`` writes a ``TaskRun`` row in the caller's transaction (a committed change never loses its task;
  a rolled-back one never runs it) and hands the row's id to the backend on commit.
- ``run_task`` claims the row under a lease (renewed by a heartbeat while the task runs), runs the function
  and marks the row done. A message delivered again (the worker was killed before acknowledging it) finds the
  row done and does nothing, or finds the lease expired and takes the task over.
- Tasks with outside effects also make the effect itself idempotent (SMS idempotency keys, notice dedupe keys,
  generation job status, unique published records), so a task killed half-way and run again does not repeat
  what it already did.

Task arguments are JSON values (ids, strings, ISO dates), never model instances.
"""

from __future__ import annotations

import enum
import json
import logging
import os
import socket
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from .models import TaskRun

log = logging.getLogger("zhixing.tasks")


class Outcome(enum.Enum):
    DONE = "done"  # ran to completion now
    SKIPPED = "skipped"  # already done earlier (a repeated delivery)
    BUSY = "busy"  # another executor holds a live lease: try again later
    FAILED = "failed"  # raised; may be retried while attempts remain
    GAVE_UP = "gave_up"  # attempts exhausted
    MISSING = "missing"  # no such row (pruned, or the enqueuing transaction rolled back)


@dataclass(frozen=True)
class Task:
    func: Callable[..., Any]
    path: str
    background: bool = False  # immediate backend: run in a thread so the request does not wait
    max_attempts: int | None = None

    def __call__(self, **kwargs: Any) -> Any:
        return self.func(**kwargs)

    def enqueue(self, *, key: str | None = None, **kwargs: Any) -> TaskRun:
        return enqueue(self, key=key, kwargs=kwargs)

    @property
    def attempts_allowed(self) -> int:
        return self.max_attempts or settings.TASKS_MAX_ATTEMPTS


def task(
    func: Callable[..., Any] | None = None, *, background: bool = False, max_attempts: int | None = None
) -> Any:
    """Declare a task. The decorated function must stay importable under its module-level name."""

    def wrap(f: Callable[..., Any]) -> Task:
        return Task(
            func=f, path=f"{f.__module__}.{f.__name__}", background=background, max_attempts=max_attempts
        )

    return wrap(func) if func is not None else wrap


def owner_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"[:120]


def lease() -> timedelta:
    return timedelta(seconds=settings.TASKS_LEASE_SECONDS)


# ------------------------------------------------------------------------------------------------- enqueue


def enqueue(task_obj: Task, *, kwargs: dict[str, Any], key: str | None = None) -> TaskRun:
    """Record the task in the current transaction and hand it to the backend once that commits.

    With ``key`` the task is enqueued at most once for that key (a repeat returns the existing row).
    Raises TypeError when an argument is not a JSON value.
    """
    try:
        json.dumps(kwargs)
    except TypeError as exc:
        raise TypeError(f"task {task_obj.path}: arguments must be JSON values ({exc})") from exc
    run_key = key or f"{task_obj.path}:{uuid.uuid4().hex}"
    try:
        with transaction.atomic():
            run = TaskRun.objects.create(key=run_key, task=task_obj.path, kwargs=kwargs)
    except IntegrityError:
        existing = TaskRun.objects.filter(key=run_key).first()
        if existing is None:
            raise
        return existing
    run_id = run.pk
    transaction.on_commit(lambda: dispatch(run_id, task_obj), robust=True)
    return run


def dispatch(run_id: int, task_obj: Task | None = None) -> None:
    """Hand a recorded task to the configured backend (also used to re-dispatch stale rows)."""
    from .backends import get_backend

    if task_obj is None:
        run = TaskRun.objects.filter(pk=run_id).only("task").first()
        if run is None:
            return
        task_obj = resolve(run.task)
    get_backend().dispatch(run_id, task_obj)


def resolve(path: str) -> Task:
    obj = import_string(path)
    if not isinstance(obj, Task):
        raise TypeError(f"{path} is not a task")
    return obj


# ------------------------------------------------------------------------------------------------- running


def _claim(run_id: int, owner: str, max_attempts: int) -> bool:
    now = timezone.now()
    claimable = Q(status__in=[TaskRun.Status.QUEUED, TaskRun.Status.FAILED]) | Q(
        status=TaskRun.Status.RUNNING, lease_until__lt=now
    )
    return bool(
        TaskRun.objects.filter(claimable, pk=run_id, attempts__lt=max_attempts).update(
            status=TaskRun.Status.RUNNING,
            owner=owner,
            lease_until=now + lease(),
            attempts=F("attempts") + 1,
            started_at=now,
        )
    )


class _Heartbeat:
    """Renews the lease of a running task every third of the lease, from its own thread and connection."""

    def __init__(self, run_id: int, owner: str) -> None:
        self.run_id, self.owner = run_id, owner
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, daemon=True, name=f"task-heartbeat-{run_id}")
        self.thread.start()

    def _beat(self) -> None:
        interval = max(settings.TASKS_LEASE_SECONDS / 3, 0.2)
        try:
            while not self.stopped.wait(interval):
                TaskRun.objects.filter(
                    pk=self.run_id, owner=self.owner, status=TaskRun.Status.RUNNING
                ).update(lease_until=timezone.now() + lease())
        except Exception:  # a lost heartbeat only means another worker may take the task over
            log.warning("task heartbeat stopped: run %s", self.run_id, exc_info=True)
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)


def run_task(run_id: int, *, owner: str | None = None) -> Outcome:
    """Claim and run one recorded task; returns what happened (never raises for the task's own errors)."""
    owner = owner or owner_id()
    run = TaskRun.objects.filter(pk=run_id).first()
    if run is None:
        return Outcome.MISSING
    try:
        task_obj = resolve(run.task)
    except (ImportError, TypeError) as exc:
        TaskRun.objects.filter(pk=run_id).update(
            status=TaskRun.Status.FAILED, error=f"无法加载任务：{exc}"[:2000], finished_at=timezone.now()
        )
        return Outcome.GAVE_UP
    if not _claim(run_id, owner, task_obj.attempts_allowed):
        run.refresh_from_db()
        if run.status == TaskRun.Status.DONE:
            return Outcome.SKIPPED
        if run.status == TaskRun.Status.RUNNING and run.lease_until and run.lease_until >= timezone.now():
            return Outcome.BUSY
        if run.attempts >= task_obj.attempts_allowed:
            TaskRun.objects.filter(pk=run_id).exclude(status=TaskRun.Status.DONE).update(
                status=TaskRun.Status.FAILED, lease_until=None, finished_at=timezone.now()
            )
            return Outcome.GAVE_UP
        return Outcome.BUSY
    # Inside an enclosing transaction (tests, or a caller running tasks inline) no other connection could
    # see the row, so there is nothing to renew.
    heartbeat = None if connection.in_atomic_block else _Heartbeat(run_id, owner)
    try:
        task_obj.func(**run.kwargs)
    except Exception as exc:
        log.exception("task %s failed (run %s, attempt %s)", run.task, run_id, run.attempts + 1)
        if heartbeat:
            heartbeat.stop()
        TaskRun.objects.filter(pk=run_id, owner=owner).update(
            status=TaskRun.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            lease_until=None,
            finished_at=timezone.now(),
        )
        return Outcome.FAILED
    if heartbeat:
        heartbeat.stop()
    TaskRun.objects.filter(pk=run_id, owner=owner).update(
        status=TaskRun.Status.DONE, error="", lease_until=None, finished_at=timezone.now()
    )
    return Outcome.DONE


def run_in_thread(run_id: int) -> None:
    """Run a task in a daemon thread with its own database connection (immediate backend, slow tasks)."""

    def target() -> None:
        try:
            run_task(run_id)
        finally:
            close_old_connections()
            connection.close()

    threading.Thread(target=target, daemon=True, name=f"task-{run_id}").start()


def due_runs(*, now: Any = None, stale_after: timedelta | None = None) -> Any:
    """Rows a worker should (re)try now: queued, failed with attempts left, or running with an expired
    lease (their executor died). ``stale_after`` keeps freshly queued rows out (they are in flight)."""
    now = now or timezone.now()
    queued = Q(status=TaskRun.Status.QUEUED)
    if stale_after is not None:
        queued &= Q(created_at__lt=now - stale_after)
    failed = Q(status=TaskRun.Status.FAILED, attempts__lt=settings.TASKS_MAX_ATTEMPTS)
    if stale_after is not None:
        failed &= Q(finished_at__lt=now - stale_after)
    lost = Q(status=TaskRun.Status.RUNNING, lease_until__lt=now)
    return TaskRun.objects.filter(queued | failed | lost).order_by("id")
