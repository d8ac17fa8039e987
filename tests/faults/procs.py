"""Real services on loopback for the fault tests: gunicorn, a private PostgreSQL cluster, redis-server and a
local S3 server (moto). Each is started on a free port, logs to a file, and is stopped by its own pid."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
PG_BIN_CANDIDATES = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def wait_until(check: Callable[[], bool], *, timeout: float, what: str, interval: float = 0.2) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception:  # noqa: S110 - not up yet
            pass
        time.sleep(interval)
    raise TimeoutError(f"{what} not ready after {timeout:.0f} s")


class Service:
    """One child process in its own process group; ``stop`` ends exactly that group."""

    def __init__(
        self, name: str, cmd: list[str], *, env: dict[str, str], log: Path, cwd: Path = ROOT
    ) -> None:
        self.name = name
        self.cmd = cmd
        self.env = env
        self.log = log
        self.cwd = cwd
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> Service:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        handle = self.log.open("ab")
        self.proc = subprocess.Popen(  # noqa: S603 - fixed commands built by the tests
            self.cmd,
            env=self.env,
            cwd=self.cwd,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        handle.close()
        return self

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 20) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, sig)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def app_env(base: Path, **overrides: str) -> dict[str, str]:
    """Environment for a server process of the app: own var dir, the test process's keys."""
    from django.conf import settings

    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "DJANGO_", "REDIS_", "S3_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="zhixing.settings",
        ZHIXING_VAR_DIR=str(base / "var"),
        MEDIA_ROOT=str(base / "media"),
        SECRET_KEY=settings.SECRET_KEY,
        ZHIXING_DATA_KEY=settings.DATA_KEY,
        DEBUG="false",
        LOG_LEVEL="WARNING",
        DOCUMENTS_GENERATION_MODE="inline",
        PYTHONUNBUFFERED="1",
    )
    env.update(overrides)
    return env


def pytest_database_url() -> str:
    """URL of the test database the pytest process is using (so a server process sees the same rows)."""
    from django.db import connection

    info = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{info['NAME']}"
    return f"postgres://{info['USER'] or 'postgres'}@{info['HOST'] or '127.0.0.1'}:{info['PORT'] or 5432}/{info['NAME']}"


def gunicorn(env: dict[str, str], *, port: int, log: Path, workers: int = 2) -> Service:
    cmd = [
        str(VENV_BIN / "gunicorn"),
        "zhixing.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "60",
        "--graceful-timeout",
        "5",
    ]
    service = Service("gunicorn", cmd, env=env, log=log).start()
    wait_until(lambda: port_open(port), timeout=60, what="gunicorn")
    return service


def redis_server(*, port: int, workdir: Path) -> Service:
    workdir.mkdir(parents=True, exist_ok=True)
    binary = shutil.which("redis-server") or "/usr/bin/redis-server"
    cmd = [
        binary,
        "--port",
        str(port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
        "--dir",
        str(workdir),
    ]
    service = Service("redis", cmd, env=dict(os.environ), log=workdir / "redis.log").start()
    wait_until(lambda: port_open(port), timeout=20, what="redis-server")
    return service


def s3_server(*, port: int, workdir: Path, bucket: str) -> Service:
    """The local S3-compatible server of the production topology (deploy/s3server.py: moto from PyPI with
    write-through to a folder, so objects survive a restart); plain ``moto_server`` if that is absent."""
    workdir.mkdir(parents=True, exist_ok=True)
    wrapper = ROOT / "deploy" / "s3server.py"
    if wrapper.exists():
        cmd = [sys.executable, str(wrapper), "--host", "127.0.0.1", "--port", str(port)]
        cmd += ["--data", str(workdir / "data"), "--bucket", bucket]
    else:
        cmd = [str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)]
    service = Service("s3", cmd, env=dict(os.environ), log=workdir / "s3.log").start()
    wait_until(lambda: port_open(port), timeout=30, what="S3 server")
    if not wrapper.exists():
        s3_client(port).create_bucket(Bucket=bucket)
    return service


def s3_client(port: int) -> Any:
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=f"http://127.0.0.1:{port}",
        aws_access_key_id="faults",
        aws_secret_access_key="faults-secret",
        region_name="us-east-1",
    )


def pg_bin() -> Path | None:
    for candidate in PG_BIN_CANDIDATES:
        if (candidate / "initdb").exists() and (candidate / "pg_ctl").exists():
            return candidate
    return None


class PrivatePostgres:
    """A throw-away PostgreSQL cluster (initdb in a temp dir, trust auth, loopback, a free port).

    As root the server runs as the ``postgres`` system user (``runuser``). Never the shared server."""

    def __init__(self, workdir: Path) -> None:
        binaries = pg_bin()
        if binaries is None:
            raise RuntimeError("PostgreSQL server binaries not found")
        self.bin = binaries
        self.dir = workdir
        self.data = workdir / "pgdata"
        self.port = free_port()
        self.log = workdir / "postgres.log"

    def _as_owner(self, cmd: list[str]) -> list[str]:
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--", *cmd]
        return cmd

    def _run(self, cmd: list[str], timeout: float = 120) -> None:
        result = subprocess.run(self._as_owner(cmd), timeout=timeout, capture_output=True, text=True)  # noqa: S603
        if result.returncode != 0:
            raise RuntimeError(f"{cmd[0]} failed ({result.returncode}): {result.stdout}\n{result.stderr}")

    def init(self) -> PrivatePostgres:
        self.dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.dir.parent, 0o755)  # noqa: S103 - the server's user must reach its data directory
        if os.geteuid() == 0:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run(
            [
                str(self.bin / "initdb"),
                "-D",
                str(self.data),
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
            ]
        )
        return self

    def start(self) -> None:
        opts = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=60"
        self._run(
            [
                str(self.bin / "pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.log),
                "-o",
                opts,
                "-w",
                "-t",
                "60",
                "start",
            ]
        )

    def stop(self, mode: str = "fast") -> None:
        self._run([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop"])

    def running(self) -> bool:
        result = subprocess.run(  # noqa: S603
            self._as_owner([str(self.bin / "pg_ctl"), "-D", str(self.data), "status"]), capture_output=True
        )
        return result.returncode == 0

    def createdb(self, name: str) -> str:
        self._run(
            [str(self.bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name]
        )
        return self.url(name)

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def cleanup(self) -> None:
        with contextlib.suppress(Exception):
            if self.running():
                self.stop("immediate")
        shutil.rmtree(self.dir, ignore_errors=True)


def run_manage(args: list[str], env: dict[str, str], timeout: float = 300) -> Any:
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
