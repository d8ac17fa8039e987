"""Tasks used by the task-layer tests (importable by path, like application tasks)."""

from __future__ import annotations

import threading

from zhixing.tasks.core import task

CALLS: list[str] = []
FAIL_TIMES: dict[str, int] = {}
_lock = threading.Lock()


@task
def record(*, value: str) -> None:
    with _lock:
        CALLS.append(value)


@task(max_attempts=3)
def flaky(*, value: str) -> None:
    with _lock:
        if FAIL_TIMES.get(value, 0) > 0:
            FAIL_TIMES[value] -= 1
            raise RuntimeError(f"故障 {value}")
        CALLS.append(value)


@task(background=True)
def slow(*, value: str) -> None:
    with _lock:
        CALLS.append(f"{value}@{threading.current_thread().name}")


def plain(*, value: str) -> None:
    """Not a task."""
