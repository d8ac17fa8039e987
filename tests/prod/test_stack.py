"""End to end: scripts/prod-start → HTTPS through nginx → scripts/prod-stop, on loopback.

One test on purpose: it starts one stack (its own folder under the test var folder, its own free ports, no demo
data) and checks everything against it. Slow the first time (initdb, base backup, migrate, collectstatic);
later runs reuse the folder. Skipped (outside CI) only when a Debian binary it needs is missing.
"""

from __future__ import annotations

import fcntl
import http.client
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import time
import urllib.parse
from pathlib import Path

import psycopg
from django.conf import settings

from deploy import pgcluster, prodctl

from .conftest import ROOT, free_port, need_binary

PORT_NAMES = [
    "PROD_HTTPS_PORT", "PROD_HTTP_PORT", "PROD_APP_PORT", "PROD_PG_PORT", "PROD_PG_REPLICA_PORT",
    "PROD_REDIS_PORT", "PROD_S3_PORT",
]  # fmt: skip


def _stack_env(var: Path) -> dict[str, str]:
    ports_file = var / "ports.json"
    ports = json.loads(ports_file.read_text()) if ports_file.exists() else {}
    if sorted(ports) != sorted(PORT_NAMES):
        ports = {name: free_port() for name in PORT_NAMES}
        var.mkdir(parents=True, exist_ok=True)
        ports_file.write_text(json.dumps(ports))
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("PROD_", "DATABASE_", "S3_", "REDIS_"))}
    keep.pop("ZHIXING_VAR_DIR", None)
    keep.pop("DJANGO_SETTINGS_MODULE", None)
    return {
        **keep,
        **{k: str(v) for k, v in ports.items()},
        "PROD_VAR_DIR": str(var),
        "PROD_SEED_DEMO": "0",
        "PROD_WORKERS": "2",
        "PROD_TASK_WORKERS": "1",
    }


def _script(name: str, env: dict[str, str], timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [str(ROOT / "scripts" / name)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout,
        check=False,
    )  # fmt: skip


def _https(port: int, ca: Path) -> http.client.HTTPSConnection:
    return http.client.HTTPSConnection(
        "127.0.0.1", port, timeout=30, context=ssl.create_default_context(cafile=ca)
    )


def test_production_stack_end_to_end() -> None:
    need_binary(
        shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None), "nginx"
    )
    need_binary(str(pgcluster.server_bindir() or "") or None, "PostgreSQL 服务器")
    need_binary(shutil.which("redis-server"), "redis-server")

    var = Path(settings.VAR_DIR) / "stack"
    var.mkdir(parents=True, exist_ok=True)
    lock = open(var.parent / "stack.lock", "w")  # noqa: SIM115 - held for the whole test
    fcntl.flock(lock, fcntl.LOCK_EX)
    env = _stack_env(var)
    https_port, http_port = int(env["PROD_HTTPS_PORT"]), int(env["PROD_HTTP_PORT"])
    ca = var / "tls" / "ca.pem"
    try:
        started = _script("prod-start", env, timeout=1500)
        assert started.returncode == 0, started.stdout[-3000:] + started.stderr[-3000:]

        # TLS with the generated CA; the same server is untrusted without it.
        conn = _https(https_port, ca)
        conn.request("GET", "/healthz")
        resp = conn.getresponse()
        body = json.loads(resp.read())
        assert resp.status == 200 and body == {"status": "ok", "database": "ok", "vendor": "postgresql"}
        hsts = resp.getheader("Strict-Transport-Security") or ""
        assert (
            re.search(r"max-age=(\d+)", hsts) and int(re.search(r"max-age=(\d+)", hsts).group(1)) >= 31536000
        )
        assert len(resp.headers.get_all("Strict-Transport-Security") or []) == 1
        untrusted = http.client.HTTPSConnection(
            "127.0.0.1", https_port, timeout=10, context=ssl.create_default_context()
        )
        try:
            untrusted.request("GET", "/healthz")
            untrusted.getresponse()
            raise AssertionError("a client without the local CA must not trust the certificate")
        except ssl.SSLCertVerificationError:
            pass

        # Plain HTTP only redirects to HTTPS.
        plain = http.client.HTTPConnection("127.0.0.1", http_port, timeout=10)
        plain.request("GET", "/query/?a=1")
        redirect = plain.getresponse()
        assert redirect.status == 301
        assert redirect.getheader("Location") == f"https://127.0.0.1:{https_port}/query/?a=1"

        # Request-size limit from the app's own upload limits: refused by nginx with 413 before the app.
        conf = (var / "nginx" / "conf" / "nginx.conf").read_text()
        limit_mb = int(re.search(r"client_max_body_size (\d+)m;", conf).group(1))
        largest = settings.INTERACTION_CLUE_MAX_FILES * max(
            settings.INTERACTION_VIDEO_MAX_BYTES, settings.INTERACTION_IMAGE_MAX_BYTES
        )
        assert limit_mb == largest // (1024 * 1024) + 1
        big = _https(https_port, ca)
        big.putrequest("POST", "/api/v1/public/ping")
        big.putheader("Content-Length", str(limit_mb * 1024 * 1024 + 1))
        big.putheader("Content-Type", "application/octet-stream")
        big.endheaders()
        assert big.getresponse().status == 413
        small = _https(https_port, ca)
        small.request("POST", "/api/v1/public/ping", body=b"x" * 1024)
        assert small.getresponse().status == 405  # reached the app (GET only), not refused by size

        # X-Forwarded-For written by the client is not believed: the audit trail records the real peer.
        client = _https(https_port, ca)
        client.request("GET", "/api/v1/accounts/csrf")
        csrf_resp = client.getresponse()
        token = json.loads(csrf_resp.read())["csrf_token"]
        cookie = (csrf_resp.getheader("Set-Cookie") or "").split(";")[0]
        origin = f"https://127.0.0.1:{https_port}"
        marker = f"1390000{int(time.time()) % 10000:04d}"
        client.request(
            "POST",
            "/api/v1/accounts/login",
            body=json.dumps({"phone": marker, "password": "Wrong-pass-1"}),
            headers={
                "Content-Type": "application/json", "X-CSRFToken": token, "Cookie": cookie, "Origin": origin,
                "Referer": origin + "/", "X-Forwarded-For": "203.0.113.77", "X-Real-IP": "203.0.113.78",
            },
        )  # fmt: skip
        login = client.getresponse()
        login.read()
        assert 400 <= login.status < 500
        secrets_env = prodctl.load_env_file(var / "secrets.env")
        with psycopg.connect(
            host="127.0.0.1", port=int(env["PROD_PG_PORT"]), user="zhixing", dbname="zhixing_prod",
            password=secrets_env["PG_APP_PASSWORD"], connect_timeout=5,
        ) as db:  # fmt: skip
            rows = db.execute(
                "SELECT host(ip) FROM audit_auditevent WHERE action = 'auth.login' ORDER BY id DESC LIMIT 5"
            ).fetchall()
            spoofed = db.execute(
                "SELECT count(*) FROM audit_auditevent WHERE host(ip) IN ('203.0.113.77', '203.0.113.78')"
            ).fetchone()[0]
        assert rows and rows[0][0] == "127.0.0.1"
        assert spoofed == 0

        # Static files: hashed names cached for a year, served by nginx from STATIC_ROOT.
        manifest = json.loads((var / "app" / "static" / "staticfiles.json").read_text())["paths"]
        hashed = manifest["vendor/htmx-2.0.11.min.js"]
        assets = _https(https_port, ca)
        assets.request("GET", "/static/" + urllib.parse.quote(hashed), headers={"Accept-Encoding": "gzip"})
        asset = assets.getresponse()
        asset.read()
        assert asset.status == 200
        assert "immutable" in (asset.getheader("Cache-Control") or "")
        assert asset.getheader("Content-Encoding") == "gzip"
        assert asset.getheader("Strict-Transport-Security")
        # Uploaded files are never served by path.
        media = _https(https_port, ca)
        media.request("GET", "/media/efile/anything.pdf")
        assert media.getresponse().status == 404

        # Every process runs; a second start changes nothing (idempotent).
        status = _script("prod-status", env, timeout=60)
        assert status.returncode == 0, status.stdout
        for name in ("pg ", "pg-replica", "redis", "s3", "gunicorn", "nginx"):
            assert any(line.startswith(name) and "running" in line for line in status.stdout.splitlines()), (
                name
            )
        cfg_pids = {p.name: p.read_text() for p in (var / "run").glob("*.pid")}
        again = _script("prod-start", env, timeout=900)
        assert again.returncode == 0, again.stderr[-2000:]
        assert {p.name: p.read_text() for p in (var / "run").glob("*.pid")} == cfg_pids
    finally:
        stopped = _script("prod-stop", env, timeout=300)
    assert stopped.returncode == 0, stopped.stderr[-2000:]
    after = _script("prod-status", env, timeout=60)
    assert after.returncode == 3 and "running" not in after.stdout
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", https_port)) != 0
    assert (var / "pg-primary" / "PG_VERSION").exists()  # data stays
    lock.close()
