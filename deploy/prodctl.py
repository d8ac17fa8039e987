# ruff: noqa: S603, S310  -- runs fixed local programs and loopback URLs
"""Start, stop and inspect the production topology on loopback (scripts/prod-start, prod-stop, prod-status).

    python deploy/prodctl.py start            # everything, idempotent (running parts are left alone)
    python deploy/prodctl.py stop             # everything it started; data stays in place
    python deploy/prodctl.py status           # one line per process
    python deploy/prodctl.py restart <part>   # one part: pg, pg-replica, redis, s3, app, tasks, nginx
    python deploy/prodctl.py stop <part> / start <part>
    python deploy/prodctl.py reload           # new code without downtime: gunicorn and nginx re-read (HUP)
    python deploy/prodctl.py env              # print the application environment (KEY=value lines)

Everything lives under ``PROD_VAR_DIR`` (default ``var/prod``): generated secrets (``secrets.env``), the
application environment (``prod.env``, for ``set -a; . var/prod/prod.env``), TLS files (``tls/``), the
PostgreSQL primary and replica clusters (``pg-primary/``, ``pg-replica/``), Redis data (``redis/``),
objects (``s3/``), the app's var folder (``app/``: collected static files, signing keys), nginx's prefix
(``nginx/``), pid files (``run/``) and logs (``log/``). See DEPLOYMENT.md for the topology.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy import pgcluster  # noqa: E402

PY = str(ROOT / ".venv" / "bin" / "python")
if not Path(PY).exists():
    PY = sys.executable
PARTS = ["pg", "pg-replica", "redis", "s3", "app", "tasks", "nginx"]


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


def _env_flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    return raw in {"1", "true", "yes", "on", "always"}


@dataclass
class Config:
    var: Path = field(
        default_factory=lambda: Path(os.environ.get("PROD_VAR_DIR") or ROOT / "var" / "prod").resolve()
    )
    https_port: int = field(default_factory=lambda: _env_int("PROD_HTTPS_PORT", 8443))
    http_port: int = field(default_factory=lambda: _env_int("PROD_HTTP_PORT", 8080))
    app_port: int = field(default_factory=lambda: _env_int("PROD_APP_PORT", 8001))
    pg_port: int = field(default_factory=lambda: _env_int("PROD_PG_PORT", 5434))
    pg_replica_port: int = field(default_factory=lambda: _env_int("PROD_PG_REPLICA_PORT", 5433))
    redis_port: int = field(default_factory=lambda: _env_int("PROD_REDIS_PORT", 6380))
    s3_port: int = field(default_factory=lambda: _env_int("PROD_S3_PORT", 9000))
    workers: int = field(default_factory=lambda: _env_int("PROD_WORKERS", 2 * (os.cpu_count() or 1) + 1))
    task_workers: int = field(default_factory=lambda: _env_int("PROD_TASK_WORKERS", 1))
    dbname: str = field(default_factory=lambda: os.environ.get("PROD_DB_NAME", "zhixing_prod"))
    bucket: str = field(default_factory=lambda: os.environ.get("PROD_S3_BUCKET", "zhixing-media"))
    replica: bool = field(default_factory=lambda: _env_flag("PROD_REPLICA", True))
    seed_demo: str = field(default_factory=lambda: os.environ.get("PROD_SEED_DEMO", "once"))
    external_db: str = field(default_factory=lambda: os.environ.get("PROD_DATABASE_URL", ""))
    external_replica: str = field(default_factory=lambda: os.environ.get("PROD_DATABASE_REPLICA_URL", ""))
    host: str = "127.0.0.1"

    @property
    def run(self) -> Path:
        return self.var / "run"

    @property
    def log(self) -> Path:
        return self.var / "log"

    @property
    def tls(self) -> Path:
        return self.var / "tls"

    @property
    def app_var(self) -> Path:
        return self.var / "app"

    @property
    def nginx_prefix(self) -> Path:
        return self.var / "nginx"

    @property
    def base_url(self) -> str:
        return f"https://{self.host}:{self.https_port}" if self.https_port != 443 else f"https://{self.host}"


def say(message: str) -> None:
    print(f"[prod] {message}", flush=True)


# -- secrets -----------------------------------------------------------------------------------------------
SECRET_NAMES = {
    "SECRET_KEY": 64,
    "ZHIXING_DATA_KEY": 48,
    "PG_SUPERUSER_PASSWORD": 24,
    "PG_APP_PASSWORD": 24,
    "PG_REPL_PASSWORD": 24,
    "REDIS_PASSWORD": 24,
    "S3_ACCESS_KEY": 12,
    "S3_SECRET_KEY": 30,
}


def load_env_file(path: Path) -> dict[str, str]:
    values: dict[str, str] = {}
    if not path.exists():
        return values
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        values[key.strip()] = shlex.split(value)[0] if value.strip() else ""
    return values


def write_env_file(path: Path, values: dict[str, str], header: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(f"# {header}\n")
        for key, value in values.items():
            handle.write(f"{key}={shlex.quote(value)}\n")
    os.replace(tmp, path)


def ensure_secrets(cfg: Config) -> dict[str, str]:
    path = cfg.var / "secrets.env"
    values = load_env_file(path)
    changed = False
    for name, nbytes in SECRET_NAMES.items():
        if not values.get(name):
            # URL-safe alphabet without '-' or '_' at odd places is fine for URLs and config files alike.
            values[name] = (
                secrets.token_hex(nbytes)
                if name.startswith(("PG_", "REDIS_", "S3_"))
                else secrets.token_urlsafe(nbytes)
            )
            changed = True
    if changed:
        write_env_file(path, values, "generated once by deploy/prodctl.py; back it up with the database")
        say(f"密钥已生成: {path}")
    return values


# -- TLS ---------------------------------------------------------------------------------------------------
def ensure_tls(cfg: Config) -> None:
    """A local CA and a server certificate for 127.0.0.1 / localhost / ::1, made once."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    cfg.tls.mkdir(parents=True, exist_ok=True)
    ca_pem, cert_pem, key_pem = cfg.tls / "ca.pem", cfg.tls / "server.pem", cfg.tls / "server.key"
    if ca_pem.exists() and cert_pem.exists() and key_pem.exists():
        cert = x509.load_pem_x509_certificate(cert_pem.read_bytes())
        if cert.not_valid_after_utc > dt.datetime.now(dt.UTC) + dt.timedelta(days=30):
            return
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "智慧执行 本地部署 CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                key_cert_sign=True,
                crl_sign=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    names = [
        x509.DNSName("localhost"),
        x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
        x509.IPAddress(ipaddress.ip_address("::1")),
    ]
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=397))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    ca_pem.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert_pem.write_bytes(
        cert.public_bytes(serialization.Encoding.PEM) + ca.public_bytes(serialization.Encoding.PEM)
    )
    fd = os.open(key_pem, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
    # The CA key is not kept: a new certificate means a new CA (trust ca.pem again).
    say(f"TLS 证书已生成: {cert_pem}（信任 {ca_pem}）")


# -- processes -----------------------------------------------------------------------------------------------
def _pidfile(cfg: Config, name: str) -> Path:
    return cfg.run / f"{name}.pid"


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie is not alive
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
        return state != "Z"
    except OSError:
        return True


def read_pid(cfg: Config, name: str) -> int | None:
    try:
        pid = int(_pidfile(cfg, name).read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if pid_alive(pid) else None


def spawn(cfg: Config, name: str, cmd: list[str], env: dict[str, str], cwd: Path = ROOT) -> int:
    """Start a long-running process detached from this one (own session), log to log/<name>.log."""
    running = read_pid(cfg, name)
    if running:
        return running
    cfg.run.mkdir(parents=True, exist_ok=True)
    cfg.log.mkdir(parents=True, exist_ok=True)
    log = open(cfg.log / f"{name}.log", "ab")  # noqa: SIM115 - handed to the child
    proc = subprocess.Popen(
        cmd, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    log.close()
    _pidfile(cfg, name).write_text(str(proc.pid))
    return proc.pid


def terminate(cfg: Config, name: str, sig: int = signal.SIGTERM, timeout: float = 30) -> bool:
    pid = read_pid(cfg, name)
    if pid is None:
        _pidfile(cfg, name).unlink(missing_ok=True)
        return False
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, sig)
    deadline = time.monotonic() + timeout
    while pid_alive(pid) and time.monotonic() < deadline:
        _reap(pid)
        time.sleep(0.1)
    if pid_alive(pid):
        os.kill(pid, signal.SIGKILL)
        time.sleep(0.2)
    _reap(pid)
    _pidfile(cfg, name).unlink(missing_ok=True)
    return True


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def wait_port(port: int, timeout: float = 30, host: str = "127.0.0.1") -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=1):
                return True
        except OSError:
            time.sleep(0.1)
    return False


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


# -- PostgreSQL --------------------------------------------------------------------------------------------------
def clusters(cfg: Config) -> tuple[pgcluster.Cluster, pgcluster.Cluster]:
    bindir = pgcluster.server_bindir()
    if bindir is None:
        raise SystemExit("找不到 PostgreSQL 服务器程序（Debian 软件包 postgresql）。")
    primary = pgcluster.Cluster(cfg.var / "pg-primary", cfg.pg_port, cfg.log / "pg-primary.log", bindir)
    replica = pgcluster.Cluster(
        cfg.var / "pg-replica", cfg.pg_replica_port, cfg.log / "pg-replica.log", bindir
    )
    return primary, replica


def ensure_external_db(url: str) -> None:
    """With PROD_DATABASE_URL: create the named database on that server when it does not exist yet."""
    import psycopg
    from psycopg import sql

    parts = urllib.parse.urlsplit(url)
    dbname = urllib.parse.unquote(parts.path.lstrip("/"))
    params = {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 5432,
        "user": urllib.parse.unquote(parts.username or "postgres"),
        "password": urllib.parse.unquote(parts.password or "") or None,
        "connect_timeout": 5,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:  # type: ignore[arg-type]
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname]).fetchone():
            say(f"创建数据库 {dbname}")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(dbname)))


def start_pg(cfg: Config, sec: dict[str, str]) -> None:
    if cfg.external_db:
        ensure_external_db(cfg.external_db)
        return
    primary, _ = clusters(cfg)
    if not primary.initialised():
        say(f"初始化 PostgreSQL 主库 {primary.datadir}（端口 {primary.port}）")
        pgcluster.init_primary(primary, superuser_password=sec["PG_SUPERUSER_PASSWORD"])
    primary.start()
    pgcluster.ensure_roles(
        primary,
        superuser_password=sec["PG_SUPERUSER_PASSWORD"],
        app_user="zhixing",
        app_password=sec["PG_APP_PASSWORD"],
        dbname=cfg.dbname,
        repl_user="replicator",
        repl_password=sec["PG_REPL_PASSWORD"],
    )


def start_pg_replica(cfg: Config, sec: dict[str, str]) -> None:
    if cfg.external_db or not cfg.replica:
        return
    primary, replica = clusters(cfg)
    if not replica.initialised():
        say(f"创建流复制只读副本 {replica.datadir}（端口 {replica.port}，pg_basebackup -R）")
        pgcluster.init_replica(
            primary, replica, repl_user="replicator", repl_password=sec["PG_REPL_PASSWORD"]
        )
    replica.start()


def stop_pg(cfg: Config) -> None:
    primary, _ = clusters(cfg)
    primary.stop()


def stop_pg_replica(cfg: Config) -> None:
    _, replica = clusters(cfg)
    replica.stop()


# -- application environment --------------------------------------------------------------------------------------
def processes_spec() -> tuple[dict[str, str], list[str]]:
    """Environment lines and commands from deploy/PROCESSES.md (written by the task system), if present."""
    path = ROOT / "deploy" / "PROCESSES.md"
    env: dict[str, str] = {}
    commands: list[str] = []
    if not path.exists():
        return env, commands
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.startswith("    "):
            continue
        line = raw.strip()
        code = line.split("  #", 1)[0].split(" #", 1)[0].strip()
        if re.fullmatch(r"[A-Z][A-Z0-9_]*=\S*", code):
            key, _, value = code.partition("=")
            env[key] = value
        elif code.startswith(".venv/bin/") and "--check" not in code:
            commands.append(code)
    return env, commands


def _redis_url(cfg: Config, sec: dict[str, str], db: int = 0) -> str:
    return f"redis://:{sec['REDIS_PASSWORD']}@127.0.0.1:{cfg.redis_port}/{db}"


def app_env(cfg: Config, sec: dict[str, str]) -> dict[str, str]:
    if cfg.external_db:
        database_url = cfg.external_db
        replica_url = cfg.external_replica
    else:
        primary, replica = clusters(cfg)
        database_url = primary.url("zhixing", sec["PG_APP_PASSWORD"], cfg.dbname)
        replica_url = replica.url("zhixing", sec["PG_APP_PASSWORD"], cfg.dbname) if cfg.replica else ""
    origins = [cfg.base_url, cfg.base_url.replace("127.0.0.1", "localhost")]
    env = {
        "DJANGO_SETTINGS_MODULE": "zhixing.settings",
        "ZHIXING_ENV": "production",
        "ZHIXING_VAR_DIR": str(cfg.app_var),
        "SECRET_KEY": sec["SECRET_KEY"],
        "ZHIXING_DATA_KEY": sec["ZHIXING_DATA_KEY"],
        "DATABASE_URL": database_url,
        "DATABASE_REPLICA_URL": replica_url,
        "DB_CONN_MAX_AGE": "60",
        "REDIS_URL": _redis_url(cfg, sec, 0),
        "S3_BUCKET": cfg.bucket,
        "S3_ENDPOINT_URL": f"http://127.0.0.1:{cfg.s3_port}",
        "S3_ACCESS_KEY": sec["S3_ACCESS_KEY"],
        "S3_SECRET_KEY": sec["S3_SECRET_KEY"],
        "S3_REGION": "us-east-1",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CSRF_TRUSTED_ORIGINS": ",".join(origins),
        "TRUSTED_PROXIES": "127.0.0.1",
        "PUBLIC_BASE_URL": cfg.base_url,
        "STATIC_MANIFEST": "1",
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING"),
    }
    extra, _ = processes_spec()
    for key, value in extra.items():
        if key in env:
            continue
        if value.startswith("redis://"):
            # Same database number, but on this topology's Redis (with its password).
            db = value.rsplit("/", 1)[-1] if re.search(r"/\d+$", value) else "0"
            value = _redis_url(cfg, sec, int(db))
        env[key] = value
    return env


def child_env(app: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PROD_", "DATABASE_", "S3_", "REDIS_"))}
    env.update(app)
    env["PATH"] = f"{ROOT / '.venv' / 'bin'}:{os.environ.get('PATH', '/usr/bin:/bin')}"
    return env


def manage(app: dict[str, str], *args: str, timeout: float = 1800) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=child_env(app), check=True, timeout=timeout)


# -- Redis ------------------------------------------------------------------------------------------------------------
def start_redis(cfg: Config, sec: dict[str, str]) -> None:
    if read_pid(cfg, "redis"):
        return
    server = shutil.which("redis-server")
    if not server:
        raise SystemExit("找不到 redis-server（Debian 软件包 redis-server）。")
    data = cfg.var / "redis"
    data.mkdir(parents=True, exist_ok=True)
    conf = data / "redis.conf"
    conf.write_text(
        "\n".join(
            [
                f"bind 127.0.0.1\nport {cfg.redis_port}\nprotected-mode yes",
                f"requirepass {sec['REDIS_PASSWORD']}",
                f"dir {data}",
                "daemonize no",
                "appendonly yes\nappendfsync everysec",
                "save 300 10",
                # Sessions, cache and rate-limit keys carry a TTL; queue keys do not and are never evicted.
                "maxmemory 512mb\nmaxmemory-policy volatile-lru",
                "",
            ]
        )
    )
    os.chmod(conf, 0o600)
    spawn(cfg, "redis", [server, str(conf)], child_env({}))
    if not wait_port(cfg.redis_port, 15):
        raise SystemExit(f"Redis 未能在端口 {cfg.redis_port} 启动，见 {cfg.log / 'redis.log'}")


# -- S3 -------------------------------------------------------------------------------------------------------------
def start_s3(cfg: Config) -> None:
    if read_pid(cfg, "s3"):
        return
    cmd = [
        PY, str(ROOT / "deploy" / "s3server.py"), "--host", "127.0.0.1", "--port", str(cfg.s3_port),
        "--data", str(cfg.var / "s3"), "--bucket", cfg.bucket,
    ]  # fmt: skip
    spawn(cfg, "s3", cmd, child_env({}))
    if not wait_port(cfg.s3_port, 60):
        raise SystemExit(f"对象存储未能在端口 {cfg.s3_port} 启动，见 {cfg.log / 's3.log'}")


# -- application --------------------------------------------------------------------------------------------------------
def prepare_app(cfg: Config, app: dict[str, str]) -> None:
    say("数据库迁移 (migrate)")
    manage(app, "migrate", "--noinput", "-v0")
    # collectstatic (hashing and compressing every file) only when the static sources changed.
    fingerprint = static_fingerprint()
    stamp_static = cfg.run / "static.fingerprint"
    manifest = cfg.app_var / "static" / "staticfiles.json"
    if not manifest.exists() or not stamp_static.exists() or stamp_static.read_text() != fingerprint:
        say("收集静态文件 (collectstatic)")
        manage(app, "collectstatic", "--noinput", "-v0")
        stamp_static.write_text(fingerprint)
    stamp = cfg.run / "seeded"
    if cfg.seed_demo == "always" or (cfg.seed_demo in {"once", "1", "yes", "true"} and not stamp.exists()):
        say("载入演示数据 (seed_demo)")
        manage(app, "seed_demo")
        stamp.write_text(dt.datetime.now(dt.UTC).isoformat())


def static_fingerprint() -> str:
    """Names, sizes and times of every static source file (ours and the installed packages')."""
    import hashlib
    import importlib.util

    import django

    digest = hashlib.sha256(django.__version__.encode())
    roots = [ROOT / "zhixing", Path(django.__file__).parent / "contrib" / "admin" / "static"]
    spec = importlib.util.find_spec("ninja")  # located, not imported (it needs configured settings)
    if spec and spec.origin:
        roots.append(Path(spec.origin).parent / "static")
    for root in roots:
        for path in sorted(root.rglob("static/**/*") if root.name == "zhixing" else root.rglob("*")):
            if path.is_file():
                st = path.stat()
                digest.update(f"{path}:{st.st_size}:{st.st_mtime_ns}".encode())
    return digest.hexdigest()


def start_app(cfg: Config, app: dict[str, str]) -> None:
    if read_pid(cfg, "gunicorn"):
        return
    if port_in_use(cfg.app_port):
        raise SystemExit(f"端口 {cfg.app_port} 已被占用（PROD_APP_PORT）。")
    cmd = [
        str(ROOT / ".venv" / "bin" / "gunicorn"), "zhixing.wsgi:application",
        "--bind", f"127.0.0.1:{cfg.app_port}", "--workers", str(cfg.workers),
        "--timeout", "120", "--graceful-timeout", "30", "--keep-alive", "5",
        "--max-requests", "2000", "--max-requests-jitter", "200",
        "--forwarded-allow-ips", "127.0.0.1",
        "--access-logfile", str(cfg.log / "gunicorn-access.log"), "--error-logfile", "-",
        "--name", "zhixing",
    ]  # fmt: skip
    spawn(cfg, "gunicorn", cmd, child_env(app))
    if not wait_http(f"http://127.0.0.1:{cfg.app_port}/healthz", 90, headers={"X-Forwarded-Proto": "https"}):
        raise SystemExit(f"应用服务未就绪，见 {cfg.log / 'gunicorn.log'}")


def wait_http(
    url: str, timeout: float, headers: dict[str, str] | None = None, context: ssl.SSLContext | None = None
) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            req = urllib.request.Request(url, headers=headers or {})
            with urllib.request.urlopen(req, timeout=5, context=context) as resp:
                if resp.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    return False


def task_commands(cfg: Config) -> list[tuple[str, list[str]]]:
    _, commands = processes_spec()
    out: list[tuple[str, list[str]]] = []
    for command in commands:
        argv = shlex.split(command)
        argv[0] = str(ROOT / argv[0])
        if "run_worker" in command:
            for i in range(1, max(cfg.task_workers, 1) + 1):
                copy = [a.replace("worker1@", f"worker{i}@") for a in argv]
                out.append((f"task-worker{i}", copy))
        else:
            stem = next((a for a in argv if re.fullmatch(r"[a-z_]+", a) and a not in {"manage"}), "task")
            name = "task-" + stem.replace("run_", "").replace("_", "-")
            out.append((name, argv))
    return out


def start_tasks(cfg: Config, app: dict[str, str]) -> None:
    for name, argv in task_commands(cfg):
        if not read_pid(cfg, name):
            spawn(cfg, name, argv, child_env(app))


def stop_tasks(cfg: Config) -> None:
    names = [p.stem for p in cfg.run.glob("task-*.pid")] if cfg.run.exists() else []
    for name in names:
        terminate(cfg, name, timeout=60)


# -- nginx ------------------------------------------------------------------------------------------------------------
def body_limit_mb(app: dict[str, str]) -> int:
    """The largest legitimate request body, from the app's own upload limits (settings), in MB."""
    code = (
        "from django.conf import settings as s;"
        "clue = s.INTERACTION_CLUE_MAX_FILES * max(s.INTERACTION_VIDEO_MAX_BYTES, s.INTERACTION_IMAGE_MAX_BYTES);"
        "content = getattr(s, 'CONTENT_VIDEO_MAX_BYTES', 200 << 20) + getattr(s, 'CONTENT_COVER_MAX_BYTES', 10 << 20);"
        "print(max(clue, content, s.EFILE_MAX_UPLOAD_BYTES, s.VERIFY_MAX_UPLOAD_BYTES, s.DATA_UPLOAD_MAX_MEMORY_SIZE))"
    )
    out = subprocess.run(
        [PY, "-c", f"import django; django.setup(); {code}"], cwd=ROOT, env=child_env(app),
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    largest = int(out.stdout.strip().splitlines()[-1])
    # Multipart framing and the other form fields: one extra MB.
    return largest // (1024 * 1024) + 1


def nginx_user() -> str | None:
    if os.geteuid() != 0:
        return None
    import pwd

    for user in ("www-data", "nobody"):
        try:
            pwd.getpwnam(user)
            return user
        except KeyError:
            continue
    return None


def write_nginx_conf(cfg: Config, app: dict[str, str]) -> Path:
    prefix = cfg.nginx_prefix
    for sub in ("conf", "temp/client_body", "temp/proxy", "temp/fastcgi", "temp/uwsgi", "temp/scgi"):
        (prefix / sub).mkdir(parents=True, exist_ok=True)
    user = nginx_user()
    if user:
        import pwd

        pw = pwd.getpwnam(user)
        for sub in ("temp", "temp/client_body", "temp/proxy", "temp/fastcgi", "temp/uwsgi", "temp/scgi"):
            os.chown(prefix / sub, pw.pw_uid, pw.pw_gid)
    limit = body_limit_mb(app)
    static_root = cfg.app_var / "static"
    template = (ROOT / "deploy" / "nginx.conf.template").read_text(encoding="utf-8")
    redirect_port = "" if cfg.https_port == 443 else f":{cfg.https_port}"
    conf = template
    for key, value in {
        "USER_LINE": f"user {user};" if user else "# (not root: workers run as the current user)",
        "PID": str(cfg.run / "nginx.pid"),
        "ERROR_LOG": str(cfg.log / "nginx-error.log"),
        "ACCESS_LOG": str(cfg.log / "nginx-access.log"),
        "TEMP": str(prefix / "temp"),
        "BODY_LIMIT": f"{limit}m",
        "APP_PORT": str(cfg.app_port),
        "HTTP_PORT": str(cfg.http_port),
        "HTTPS_PORT": str(cfg.https_port),
        "REDIRECT_PORT": redirect_port,
        "CERT": str(cfg.tls / "server.pem"),
        "KEY": str(cfg.tls / "server.key"),
        "STATIC_ROOT": str(static_root) + "/",
        "MIME_TYPES": "/etc/nginx/mime.types",
    }.items():
        conf = conf.replace("{{" + key + "}}", value)
    path = prefix / "conf" / "nginx.conf"
    path.write_text(conf, encoding="utf-8")
    return path


def start_nginx(cfg: Config, app: dict[str, str]) -> None:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise SystemExit("找不到 nginx（Debian 软件包 nginx）。")
    conf = write_nginx_conf(cfg, app)
    base = [nginx, "-p", str(cfg.nginx_prefix) + "/", "-c", str(conf), "-e", str(cfg.log / "nginx-error.log")]
    test = subprocess.run([*base, "-t", "-q"], capture_output=True, text=True, check=False)
    if test.returncode != 0:
        raise SystemExit(f"nginx 配置有误: {test.stderr.strip()}")
    pid = read_pid(cfg, "nginx")
    if pid:
        os.kill(pid, signal.SIGHUP)  # re-read the (re-written) configuration
        return
    for port in (cfg.https_port, cfg.http_port):
        if port_in_use(port):
            raise SystemExit(f"端口 {port} 已被占用（PROD_HTTPS_PORT / PROD_HTTP_PORT）。")
    spawn(cfg, "nginx", base, child_env({}))
    ctx = ssl.create_default_context(cafile=str(cfg.tls / "ca.pem"))
    if not wait_http(f"{cfg.base_url}/healthz", 30, context=ctx):
        raise SystemExit(f"nginx 未就绪，见 {cfg.log / 'nginx-error.log'}")


# -- commands ---------------------------------------------------------------------------------------------------------
def start(cfg: Config, parts: list[str]) -> None:
    cfg.var.mkdir(parents=True, exist_ok=True)
    cfg.run.mkdir(parents=True, exist_ok=True)
    cfg.log.mkdir(parents=True, exist_ok=True)
    sec = ensure_secrets(cfg)
    ensure_tls(cfg)
    app = app_env(cfg, sec)
    write_env_file(cfg.var / "prod.env", app, "application environment written by deploy/prodctl.py start")
    everything = parts == PARTS
    if "pg" in parts:
        start_pg(cfg, sec)
    if "pg-replica" in parts:
        start_pg_replica(cfg, sec)
    if "redis" in parts:
        start_redis(cfg, sec)
    if "s3" in parts:
        start_s3(cfg)
    if "app" in parts:
        if everything or not read_pid(cfg, "gunicorn"):
            prepare_app(cfg, app)
        start_app(cfg, app)
    if "tasks" in parts:
        start_tasks(cfg, app)
    if "nginx" in parts:
        start_nginx(cfg, app)
    if everything:
        banner(cfg)


def stop(cfg: Config, parts: list[str]) -> None:
    if "nginx" in parts:
        terminate(cfg, "nginx", signal.SIGQUIT, timeout=30)
    if "tasks" in parts:
        stop_tasks(cfg)
    if "app" in parts:
        terminate(cfg, "gunicorn", timeout=40)
    if "s3" in parts:
        terminate(cfg, "s3", timeout=15)
    if "redis" in parts:
        terminate(cfg, "redis", timeout=30)
    if not cfg.external_db and (cfg.var / "pg-primary").exists():
        if "pg-replica" in parts:
            stop_pg_replica(cfg)
        if "pg" in parts:
            stop_pg(cfg)


def status(cfg: Config) -> int:
    rows: list[tuple[str, str, str]] = []
    if not cfg.external_db and (cfg.var / "pg-primary").exists():
        primary, replica = clusters(cfg)
        rows.append(("pg", f"127.0.0.1:{primary.port}", str(primary.pid()) if primary.running() else "-"))
        if cfg.replica:
            rows.append(
                ("pg-replica", f"127.0.0.1:{replica.port}", str(replica.pid()) if replica.running() else "-")
            )
    for name, where in (
        ("redis", f"127.0.0.1:{cfg.redis_port}"),
        ("s3", f"127.0.0.1:{cfg.s3_port}"),
        ("gunicorn", f"127.0.0.1:{cfg.app_port}"),
    ):
        pid = read_pid(cfg, name)
        rows.append((name, where, str(pid) if pid else "-"))
    for name, _ in task_commands(cfg):
        pid = read_pid(cfg, name)
        rows.append((name, "", str(pid) if pid else "-"))
    pid = read_pid(cfg, "nginx")
    rows.append(("nginx", f"{cfg.base_url}  http://127.0.0.1:{cfg.http_port}", str(pid) if pid else "-"))
    down = 0
    for name, where, pid_text in rows:
        state = "running" if pid_text != "-" else "stopped"
        down += state == "stopped"
        print(f"{name:<16} {state:<8} pid={pid_text:<8} {where}")
    return 0 if down == 0 else 3


def banner(cfg: Config) -> None:
    say("生产模式已启动（仅监听 127.0.0.1）")
    print(
        json.dumps(
            {
                "https": cfg.base_url + "/",
                "http_redirect": f"http://127.0.0.1:{cfg.http_port}/",
                "ca_certificate": str(cfg.tls / "ca.pem"),
                "app_workers": cfg.workers,
                "environment": str(cfg.var / "prod.env"),
                "logs": str(cfg.log),
            },
            ensure_ascii=False,
            indent=2,
        )
    )


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"start", "stop", "restart", "status", "env", "reload"}:
        print(__doc__)
        return 2
    cfg = Config()
    command, parts = argv[0], argv[1:] or list(PARTS)
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        print(f"未知部件: {unknown}; 可选: {PARTS}", file=sys.stderr)
        return 2
    if command == "status":
        return status(cfg)
    if command == "reload":
        for name in ("gunicorn", "nginx"):
            pid = read_pid(cfg, name)
            if pid:
                os.kill(pid, signal.SIGHUP)  # gunicorn: graceful worker restart; nginx: re-read configuration
                say(f"{name} (pid {pid}) reloaded")
        return 0
    if command == "env":
        for key, value in app_env(cfg, ensure_secrets(cfg)).items():
            print(f"{key}={shlex.quote(value)}")
        return 0
    if command in {"stop", "restart"}:
        stop(cfg, parts)
        if command == "stop":
            say("已停止（数据保留在 " + str(cfg.var) + "）")
    if command in {"start", "restart"}:
        start(cfg, parts)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
