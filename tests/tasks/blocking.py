"""Instrumentation for the worker fault tests (loaded only by tests/tasks/worker_entry.py and the tests).

``BlockingSmsBackend`` stands in for an SMS provider: it logs each call and, while the test holds it, waits
inside ``deliver`` so the test can kill the worker mid-task at a known point.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any


def pause_dir() -> Path:
    return Path(os.environ["TASKS_TEST_PAUSE_DIR"])


def hold(name: str) -> None:
    """Record that ``name`` was reached and wait until the test releases it (at most two minutes)."""
    base = pause_dir()
    (base / f"{name}.entered").write_text(str(os.getpid()))
    deadline = time.monotonic() + 120
    while not (base / f"{name}.release").exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{name} was never released")
        time.sleep(0.05)


def log(line: str) -> None:
    with (pause_dir() / "calls.log").open("a") as handle:
        handle.write(f"{line} {os.getpid()}\n")


class BlockingSmsBackend:
    name = "blocking-test"

    def deliver(self, *, phone: str, template: str, params: dict[str, Any], body: str) -> str:
        log(f"sms-start {template}")
        hold("sms")
        log(f"sms-done {template}")
        return f"provider-{os.getpid()}"
