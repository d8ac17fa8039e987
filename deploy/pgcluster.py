# ruff: noqa: S603  -- runs fixed local programs and loopback URLs
"""A PostgreSQL primary and its streaming hot-standby replica, each a dedicated cluster in a folder.

Used by scripts/prod-start (clusters under var/prod) and by tests/prod (clusters under a temporary folder).
The Debian server binaries (/usr/lib/postgresql/<version>/bin) are used directly, so nothing in the system's
own cluster configuration changes. initdb and postgres refuse to run as root: when root, every server command
runs as the ``postgres`` system user (``runuser -u postgres --``) and the folders are handed to that user.

Authentication is scram-sha-256 on 127.0.0.1 only; the superuser password is set at initdb, the replica
connects as a ``REPLICATION`` role through a physical replication slot (the primary keeps the WAL the replica
still needs, up to ``max_slot_wal_keep_size``).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
from psycopg import sql

SLOT = "zhixing_replica"


def server_bindir() -> Path | None:
    """The newest installed PostgreSQL server's bin folder (Debian layout), or None."""
    found = []
    for initdb in glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        try:
            found.append((int(Path(initdb).parent.parent.name.split(".")[0]), Path(initdb).parent))
        except ValueError:
            continue
    if found:
        return max(found)[1]
    which = shutil.which("pg_config")
    if which:
        out = subprocess.run([which, "--bindir"], capture_output=True, text=True, check=False).stdout.strip()
        if out and (Path(out) / "initdb").exists():
            return Path(out)
    return None


def _as_root() -> bool:
    return os.geteuid() == 0


def _owner_prefix() -> list[str]:
    return ["runuser", "-u", "postgres", "--"] if _as_root() else []


def _chown_postgres(*paths: Path) -> None:
    if not _as_root():
        return
    import pwd

    pw = pwd.getpwnam("postgres")
    for path in paths:
        os.chown(path, pw.pw_uid, pw.pw_gid)


@dataclass
class Cluster:
    datadir: Path
    port: int
    logfile: Path
    bindir: Path

    def run(
        self, tool: str, *args: str, check: bool = True, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        cmd = [*_owner_prefix(), str(self.bindir / tool), *args]
        # cwd must be readable by the postgres user (not e.g. a root-only home folder).
        return subprocess.run(cmd, capture_output=True, text=True, check=check, timeout=timeout, cwd="/")

    def initialised(self) -> bool:
        return (self.datadir / "PG_VERSION").exists()

    def running(self) -> bool:
        if not self.initialised():
            return False
        return self.run("pg_ctl", "status", "-D", str(self.datadir), check=False).returncode == 0

    def pid(self) -> int | None:
        try:
            return int((self.datadir / "postmaster.pid").read_text().splitlines()[0])
        except (OSError, ValueError, IndexError):
            return None

    def _prepare_log(self) -> None:
        self.logfile.parent.mkdir(parents=True, exist_ok=True)
        self.logfile.touch(exist_ok=True)
        _chown_postgres(self.logfile)

    def start(self, timeout: int = 90) -> None:
        if self.running():
            return
        self._prepare_log()
        result = self.run(
            "pg_ctl", "start", "-D", str(self.datadir), "-l", str(self.logfile), "-w", "-t", str(timeout),
            "-o", f"-p {self.port}",
            check=False, timeout=timeout + 30,
        )  # fmt: skip
        if result.returncode != 0:
            tail = self.logfile.read_text(errors="replace")[-2000:] if self.logfile.exists() else ""
            raise RuntimeError(f"PostgreSQL ({self.datadir}) did not start: {result.stderr.strip()}\n{tail}")

    def stop(self, mode: str = "fast", timeout: int = 60) -> None:
        if not self.running():
            return
        self.run("pg_ctl", "stop", "-D", str(self.datadir), "-m", mode, "-w", "-t", str(timeout), check=False)

    def url(self, user: str, password: str, dbname: str) -> str:
        return f"postgres://{user}:{password}@127.0.0.1:{self.port}/{dbname}"

    def connect(self, user: str, password: str, dbname: str = "postgres") -> psycopg.Connection:
        return psycopg.connect(
            host="127.0.0.1", port=self.port, user=user, password=password, dbname=dbname,
            connect_timeout=5, autocommit=True,
        )  # fmt: skip


def _fresh_dir(path: Path) -> None:
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    _chown_postgres(path)
    if _as_root():
        probe = subprocess.run([*_owner_prefix(), "test", "-w", str(path)], check=False, cwd="/")
        if probe.returncode != 0:
            raise RuntimeError(
                f"系统用户 postgres 无法进入 {path}：请把仓库放在所有用户可进入的目录（如 /srv、/work），"
                "或设置 PROD_VAR_DIR 指向这样的目录。"
            )


def _append_conf(datadir: Path, name: str, lines: list[str]) -> None:
    conf = datadir / name
    with open(conf, "a", encoding="utf-8") as handle:
        handle.write("\n# zhixing (deploy/pgcluster.py)\n" + "\n".join(lines) + "\n")
    _chown_postgres(conf)


def init_primary(cluster: Cluster, *, superuser_password: str, shared_buffers: str = "128MB") -> None:
    """initdb a new primary with replication enabled (no-op when the folder already holds a cluster)."""
    if cluster.initialised():
        return
    _fresh_dir(cluster.datadir)
    pwfile = cluster.datadir.parent / f".pw-{cluster.datadir.name}"
    pwfile.write_text(superuser_password + "\n")
    os.chmod(pwfile, 0o600)
    _chown_postgres(pwfile)
    try:
        cluster.run(
            "initdb", "-D", str(cluster.datadir), "-U", "postgres", "-E", "UTF8", "--no-locale",
            "--auth-local=peer", "--auth-host=scram-sha-256", f"--pwfile={pwfile}",
        )  # fmt: skip
    finally:
        pwfile.unlink(missing_ok=True)
    _append_conf(
        cluster.datadir,
        "postgresql.conf",
        [
            "listen_addresses = '127.0.0.1'",
            f"port = {cluster.port}",
            "unix_socket_directories = ''",
            "max_connections = 300",
            f"shared_buffers = {shared_buffers}",
            "wal_level = replica",
            "max_wal_senders = 10",
            "max_replication_slots = 10",
            "wal_keep_size = 256MB",
            "max_slot_wal_keep_size = 4GB",
            "hot_standby = on",
            "hot_standby_feedback = on",
            "password_encryption = scram-sha-256",
        ],
    )


def ensure_roles(
    cluster: Cluster,
    *,
    superuser_password: str,
    app_user: str,
    app_password: str,
    dbname: str,
    repl_user: str,
    repl_password: str,
) -> None:
    """Create (or re-password) the application and replication roles and the application database."""
    with cluster.connect("postgres", superuser_password) as conn:
        for role, password, extra in (
            (app_user, app_password, sql.SQL("LOGIN")),
            (repl_user, repl_password, sql.SQL("LOGIN REPLICATION")),
        ):
            exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone()
            verb = sql.SQL("ALTER") if exists else sql.SQL("CREATE")
            conn.execute(
                sql.SQL("{} ROLE {} {} PASSWORD {}").format(
                    verb, sql.Identifier(role), extra, sql.Literal(password)
                )
            )
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone():
            conn.execute(
                sql.SQL("CREATE DATABASE {} OWNER {}").format(
                    sql.Identifier(dbname), sql.Identifier(app_user)
                )
            )
    with cluster.connect("postgres", superuser_password, dbname) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")


def init_replica(
    primary: Cluster, replica: Cluster, *, repl_user: str, repl_password: str, slot: str = SLOT
) -> None:
    """pg_basebackup the primary into the replica folder with ``-R`` (standby.signal + primary_conninfo)."""
    if replica.initialised():
        return
    _fresh_dir(replica.datadir)
    passfile = replica.datadir.parent / f".pgpass-{replica.datadir.name}"
    passfile.write_text(f"127.0.0.1:{primary.port}:*:{repl_user}:{repl_password}\n")
    os.chmod(passfile, 0o600)
    _chown_postgres(passfile)
    env_prefix = ["env", f"PGPASSFILE={passfile}"]
    cmd = [
        *_owner_prefix(), *env_prefix, str(primary.bindir / "pg_basebackup"),
        "-h", "127.0.0.1", "-p", str(primary.port), "-U", repl_user, "-D", str(replica.datadir),
        "-R", "-X", "stream", "-c", "fast", "--no-password",
    ]  # fmt: skip
    existing_slot = _slot_exists(primary, slot, repl_user, repl_password)
    cmd += ["-S", slot] if existing_slot else ["-C", "-S", slot]
    try:
        result = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=600, cwd="/")
    finally:
        passfile.unlink(missing_ok=True)
    if result.returncode != 0:
        shutil.rmtree(replica.datadir, ignore_errors=True)
        raise RuntimeError(f"pg_basebackup failed: {result.stderr.strip()}")
    # -R wrote standby.signal and a primary_conninfo naming the (now deleted) password file: replace it with
    # one that carries the password (the folder is the postgres user's alone). The copied postgresql.conf still
    # names the primary's port, so the replica's own port goes last and wins.
    conninfo = f"host=127.0.0.1 port={primary.port} user={repl_user} password={repl_password} application_name=replica"
    _append_conf(
        replica.datadir,
        "postgresql.auto.conf",
        [f"primary_conninfo = '{conninfo}'", f"primary_slot_name = '{slot}'", f"port = {replica.port}"],
    )


def _slot_exists(primary: Cluster, slot: str, repl_user: str, repl_password: str) -> bool:
    """Whether the physical slot exists (checked over a replication connection: the role needs no more)."""
    try:
        with psycopg.connect(
            host="127.0.0.1", port=primary.port, user=repl_user, password=repl_password, dbname="postgres",
            connect_timeout=5, autocommit=True,
        ) as conn:  # fmt: skip
            row = conn.execute("SELECT 1 FROM pg_replication_slots WHERE slot_name = %s", [slot]).fetchone()
            return row is not None
    except psycopg.Error:
        return False


def wait_replayed(
    primary: Cluster, replica: Cluster, *, user: str, password: str, timeout: float = 30
) -> float:
    """Wait until the replica has replayed everything the primary has flushed; return seconds waited."""
    start = time.monotonic()
    with primary.connect(user, password) as p:
        target = p.execute("SELECT pg_current_wal_flush_lsn()").fetchone()[0]  # type: ignore[index]
    with replica.connect(user, password) as r:
        while True:
            done = r.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [str(target)]).fetchone()[0]  # type: ignore[index]
            if done:
                return time.monotonic() - start
            if time.monotonic() - start > timeout:
                raise TimeoutError(f"replica did not replay up to {target} within {timeout}s")
            time.sleep(0.05)
