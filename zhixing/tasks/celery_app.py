"""Celery on Redis, configured for at-least-once delivery.

- ``acks_late``: a message is acknowledged after the task ran, not when a worker takes it.
- ``reject_on_worker_lost``: a pool process killed mid-task (OOM, SIGKILL) puts the message back at once.
- Redis ``visibility_timeout``: a whole worker killed mid-task leaves its message unacknowledged; another
  worker restores it after ``TASKS_VISIBILITY_TIMEOUT`` (checked every ``TASKS_RESTORE_INTERVAL`` s).
- ``worker_prefetch_multiplier=1``: a worker holds only the message it is running.

A message delivered twice (visibility timeout shorter than a long task, or a restore racing a slow ack) is
harmless: ``run_task`` skips a done row and defers to a live lease.
"""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from typing import Any

from celery import Celery
from django.conf import settings
from django.db import DatabaseError, close_old_connections

log = logging.getLogger("zhixing.tasks")


@lru_cache(maxsize=1)
def get_app() -> Celery:
    app = Celery("zhixing")
    prefix = settings.TASKS_KEY_PREFIX
    app.conf.update(
        broker_url=settings.TASKS_REDIS_URL,
        broker_connection_retry_on_startup=True,
        broker_connection_timeout=3,
        broker_transport_options={
            "visibility_timeout": settings.TASKS_VISIBILITY_TIMEOUT,
            "global_keyprefix": prefix,
            "unacked_restore_interval": settings.TASKS_RESTORE_INTERVAL,
            "unacked_restore_throttle": 1,
            "socket_connect_timeout": 3,
            "socket_timeout": 10,
        },
        task_default_queue=settings.TASKS_QUEUE,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_acks_on_failure_or_timeout=True,
        task_ignore_result=True,
        task_serializer="json",
        accept_content=["json"],
        task_publish_retry_policy={"max_retries": 2, "interval_start": 0, "interval_step": 0.5},
        worker_prefetch_multiplier=1,
        # A pool process is replaced after this many tasks (PDF rendering libraries hold on to memory).
        worker_max_tasks_per_child=500,
        # A task stuck this long is killed; its row's lease then lapses and ``tasks.recover`` runs it again.
        task_time_limit=settings.TASKS_TIME_LIMIT,
        task_soft_time_limit=max(settings.TASKS_TIME_LIMIT - 30, 1),
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        timezone=settings.TIME_ZONE,
        enable_utc=True,
    )

    @app.task(name="zhixing.execute", bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
    def execute(self: Any, run_id: int) -> str:
        from .core import Outcome, run_task

        close_old_connections()
        try:
            outcome = run_task(run_id, owner=f"{self.request.hostname}:{os.getpid()}"[:120])
        except DatabaseError as exc:
            # The database is unreachable (restart, failover): keep the message and try again shortly.
            log.warning("task run %s: database unavailable (%s); retrying", run_id, exc)
            raise self.retry(countdown=5) from exc
        finally:
            close_old_connections()
        if outcome is Outcome.BUSY:
            # Another worker holds a live lease (this is a repeated delivery): look again after the lease.
            raise self.retry(countdown=settings.TASKS_LEASE_SECONDS)
        if outcome is Outcome.FAILED:
            attempt = self.request.retries + 1
            raise self.retry(countdown=min(2**attempt, 300))
        return outcome.value

    return app


def queue_length() -> int:
    """Messages waiting in the queue (for health checks)."""
    app = get_app()
    with app.connection_for_write() as conn:
        client = conn.default_channel.client
        return int(client.llen(settings.TASKS_QUEUE))
