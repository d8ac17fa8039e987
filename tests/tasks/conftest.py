from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import redis
from django.db import connection

from zhixing.tasks import celery_app

REPO = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TASKS_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _redis_or_skip() -> redis.Redis:
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"Redis at {REDIS_URL} is unreachable and CI=true: {exc}")
        pytest.skip(f"Redis at {REDIS_URL} is unreachable ({exc}); the worker fault tests need it")
    return client


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@dataclass
class Queue:
    """A private Celery queue on the shared Redis: its own key prefix and queue name, removed afterwards."""

    client: redis.Redis | None
    prefix: str
    queue: str
    pause: Path
    env: dict[str, str] = field(default_factory=dict)
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start_worker(self) -> subprocess.Popen[bytes]:
        log = (self.pause / f"worker{len(self.procs)}.log").open("wb")
        proc = subprocess.Popen(  # noqa: S603
            [sys.executable, str(REPO / "tests/tasks/worker_entry.py")],
            cwd=REPO,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: SIGKILL reaches the pool processes too
        )
        self.procs.append(proc)
        return proc

    def kill(self, proc: subprocess.Popen[bytes]) -> None:
        """SIGKILL the worker and its pool processes (a machine or container dying mid-task)."""
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    def wait_for(self, what: Callable[[], Any], timeout: float, label: str) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = what()
            if value:
                return value
            for proc in self.procs:
                if proc.poll() not in (None, -signal.SIGKILL):
                    pytest.fail(f"worker exited ({proc.returncode}):\n{self.logs()}")
            time.sleep(0.1)
        pytest.fail(f"timed out after {timeout}s waiting for {label}\n{self.logs()}")

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace")[-4000:] for p in sorted(self.pause.glob("*.log")))

    def release(self, name: str) -> None:
        (self.pause / f"{name}.release").write_text("go")

    def entered(self, name: str) -> bool:
        return (self.pause / f"{name}.entered").exists()

    def calls(self) -> list[str]:
        path = self.pause / "calls.log"
        return path.read_text().split("\n")[:-1] if path.exists() else []


@pytest.fixture
def celery_queue(settings: Any, tmp_path: Path, transactional_db: Any) -> Iterator[Queue]:
    client = _redis_or_skip()
    yield from _queue(settings, tmp_path, "celery", client)


@pytest.fixture
def database_queue(settings: Any, tmp_path: Path, transactional_db: Any) -> Iterator[Queue]:
    yield from _queue(settings, tmp_path, "database", None)


def _queue(settings: Any, tmp_path: Path, backend: str, client: redis.Redis | None) -> Iterator[Queue]:
    run = uuid.uuid4().hex[:12]
    q = Queue(client=client, prefix=f"zx-test-{run}:", queue=f"zhixing-test-{run}", pause=tmp_path)
    task_settings = {
        "TASKS_BACKEND": backend,
        "TASKS_REDIS_URL": REDIS_URL,
        "TASKS_KEY_PREFIX": q.prefix,
        "TASKS_QUEUE": q.queue,
        "TASKS_VISIBILITY_TIMEOUT": 4,
        "TASKS_RESTORE_INTERVAL": 1,
        "TASKS_LEASE_SECONDS": 3,
    }
    for name, value in task_settings.items():
        setattr(settings, name, value)
    settings.SMS_BACKEND = "tests.tasks.blocking.BlockingSmsBackend"
    settings.DOCUMENTS_GENERATION_MODE = "thread"  # i.e. through the task layer
    q.env = {
        **os.environ,
        **{k: str(v) for k, v in task_settings.items()},
        "DATABASE_URL": _database_url(),
        "SMS_BACKEND": settings.SMS_BACKEND,
        "DOCUMENTS_GENERATION_MODE": "thread",
        "TASKS_TEST_PAUSE_DIR": str(tmp_path),
        "PYTHONUNBUFFERED": "1",
    }
    os.environ["TASKS_TEST_PAUSE_DIR"] = str(tmp_path)
    celery_app.get_app.cache_clear()
    try:
        yield q
    finally:
        for proc in q.procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        celery_app.get_app.cache_clear()
        os.environ.pop("TASKS_TEST_PAUSE_DIR", None)
        if client is not None:
            keys = list(client.scan_iter(match=f"{q.prefix}*", count=500))
            if keys:
                client.delete(*keys)
