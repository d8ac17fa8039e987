"""PostgreSQL stopped and started under load (a private cluster, never the shared server).

gunicorn (2 workers, persistent connections with health checks) serves a logged-in party who keeps posting
messages and a visitor who keeps reading. While PostgreSQL is down every answer is a 503 with the Chinese
message (page, or JSON under /api/) and Retry-After — never a 500; when it is back the same workers serve
again without a restart, and every message the server acknowledged (201) is in the database.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psycopg
import pytest

from zhixing.lib.resilience import DB_DOWN

from .http import Browser, Reply
from .procs import ROOT, PrivatePostgres, app_env, free_port, gunicorn, pg_bin, run_manage, wait_until

pytestmark = [
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="PostgreSQL fault test runs in the PostgreSQL pass of the suite",
    ),
    pytest.mark.skipif(pg_bin() is None, reason="PostgreSQL server binaries are not installed"),
]


def _worker_pids(master: int) -> set[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True)  # noqa: S603, S607
    return {int(p) for p in out.stdout.split()}


class Load:
    """Two threads: a party posting messages, a visitor reading; every reply is recorded."""

    def __init__(self, writer: Browser, reader: Browser, case_id: int) -> None:
        self.writer, self.reader, self.case_id = writer, reader, case_id
        self.replies: list[tuple[float, float, str, Reply]] = []  # (sent, answered, kind, reply)
        self.acknowledged: dict[int, str] = {}
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self._write), threading.Thread(target=self._read)]

    def _record(self, sent: float, kind: str, reply: Reply) -> None:
        with self.lock:
            self.replies.append((sent, time.monotonic(), kind, reply))

    def _write(self) -> None:
        i = 0
        while not self.stop.is_set():
            i += 1
            body = f"故障演练留言{i:05d}"
            sent = time.monotonic()
            reply = self.writer.post_json(
                f"/api/v1/interaction/cases/{self.case_id}/messages", {"body": body}
            )
            self._record(sent, "write", reply)
            if reply.status == 201:
                self.acknowledged[int(reply.json()["id"])] = body
            time.sleep(0.02)

    def _read(self) -> None:
        paths = ["/", "/api/v1/content/channels", "/healthz"]
        i = 0
        while not self.stop.is_set():
            sent = time.monotonic()
            self._record(sent, "read", self.reader.get(paths[i % len(paths)]))
            i += 1
            time.sleep(0.02)

    def __enter__(self) -> Load:
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(timeout=60)


def test_postgres_restart_under_load() -> None:
    workdir = Path(tempfile.mkdtemp(prefix="zx-faults-pg-", dir="/tmp"))
    pg = PrivatePostgres(workdir / "pg")
    server = None
    try:
        pg.init()
        pg.start()
        url = pg.createdb("zx_faults")
        env = app_env(
            workdir / "app",
            DATABASE_URL=url,
            DB_CONN_MAX_AGE="60",
            INTERACTION_MESSAGES_PER_HOUR="1000000",
        )
        run_manage(["migrate", "-v0"], env)
        seeded = subprocess.run(
            [sys.executable, "-m", "tests.faults.seed"],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        world = __import__("json").loads(seeded.stdout.strip().splitlines()[-1])
        port = free_port()
        server = gunicorn(env, port=port, log=workdir / "gunicorn.log")
        base = f"http://127.0.0.1:{port}"
        writer, reader = Browser(base, timeout=20), Browser(base, timeout=20)
        assert writer.login_public(world["phone"], world["password"]).status == 200
        assert reader.get("/healthz").status == 200
        assert server.proc is not None
        workers_before = _worker_pids(server.proc.pid)
        assert len(workers_before) == 2

        with Load(writer, reader, world["case_id"]) as load:
            time.sleep(3)
            acknowledged_before_stop = len(load.acknowledged)
            pg.stop("fast")
            down_from = time.monotonic()
            time.sleep(4)
            # Explicit probes while the database is down: page, API and health check.
            page = Browser(base).get("/")
            api = Browser(base).get("/api/v1/content/channels")
            mine = writer.get("/api/v1/interaction/cases")  # logged in: the session store itself is down
            health = Browser(base).get("/healthz")
            down_until = time.monotonic()
            pg.start()
            wait_until(lambda: Browser(base).get("/healthz").status == 200, timeout=60, what="recovery")
            recovered_at = time.monotonic()
            time.sleep(3)

        assert acknowledged_before_stop > 0
        assert page.status == 503 and DB_DOWN in page.text and page.headers.get("Retry-After")
        assert "text/html" in page.headers.get("Content-Type", "")
        assert api.status == 503 and api.json() == {"detail": DB_DOWN} and api.headers.get("Retry-After")
        assert mine.status == 503 and mine.json()["detail"] == DB_DOWN
        assert health.status == 503 and health.json()["database"] == "unreachable"

        statuses = [(kind, r.status) for _, _, kind, r in load.replies]
        assert not [s for s in statuses if s[1] >= 500 and s[1] != 503], statuses
        # Sent after the stop had taken effect and answered before the restart began.
        during = [r for sent, done, _, r in load.replies if sent > down_from + 1.0 and done < down_until]
        assert during and all(r.status == 503 for r in during), [r.status for r in during]
        after = [r for sent, _, _, r in load.replies if sent > recovered_at + 0.5]
        assert after and all(r.status in (200, 201) for r in after), [r.status for r in after]
        writes_after = [
            r for sent, _, kind, r in load.replies if kind == "write" and sent > recovered_at + 0.5
        ]
        assert writes_after and all(r.status == 201 for r in writes_after)
        # The same workers recovered by themselves.
        assert _worker_pids(server.proc.pid) == workers_before

        # Nothing acknowledged was lost.
        with psycopg.connect(url.replace("postgres://", "postgresql://")) as conn:
            rows = dict(conn.execute("SELECT id, body FROM interaction_message").fetchall())
        missing = {k: v for k, v in load.acknowledged.items() if rows.get(k) != v}
        assert not missing, missing
        assert len(load.acknowledged) > acknowledged_before_stop
    except BaseException:
        if server is not None:
            print(server.tail(60))
        raise
    finally:
        if server is not None:
            server.stop()
        pg.cleanup()
        shutil.rmtree(workdir, ignore_errors=True)
