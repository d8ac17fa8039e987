"""deploy/prodctl.py pieces that need no running processes: secrets, TLS files, the app environment and the
task processes read from deploy/PROCESSES.md."""

from __future__ import annotations

import ssl
import stat
from pathlib import Path
from typing import Any

from deploy import prodctl


def cfg_for(tmp_path: Path, monkeypatch: Any) -> prodctl.Config:
    monkeypatch.setenv("PROD_VAR_DIR", str(tmp_path / "prod"))
    monkeypatch.setenv("PROD_REDIS_PORT", "16380")
    monkeypatch.setenv("PROD_TASK_WORKERS", "3")
    return prodctl.Config()


def test_secrets_are_generated_once_and_private(tmp_path: Path, monkeypatch: Any) -> None:
    cfg = cfg_for(tmp_path, monkeypatch)
    first = prodctl.ensure_secrets(cfg)
    assert len(first["SECRET_KEY"]) >= 50 and len(first["ZHIXING_DATA_KEY"]) >= 32
    assert len(set(first.values())) == len(first)  # no two secrets alike
    assert stat.S_IMODE((cfg.var / "secrets.env").stat().st_mode) == 0o600
    assert prodctl.ensure_secrets(cfg) == first


def test_tls_files_make_a_chain_for_loopback(tmp_path: Path, monkeypatch: Any) -> None:
    cfg = cfg_for(tmp_path, monkeypatch)
    prodctl.ensure_tls(cfg)
    assert stat.S_IMODE((cfg.tls / "server.key").stat().st_mode) == 0o600
    ctx = ssl.create_default_context(cafile=str(cfg.tls / "ca.pem"))
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(cfg.tls / "server.pem", cfg.tls / "server.key")  # key matches certificate
    assert ctx.cert_store_stats()["x509_ca"] == 1
    before = (cfg.tls / "server.pem").read_bytes()
    prodctl.ensure_tls(cfg)
    assert (cfg.tls / "server.pem").read_bytes() == before  # kept while valid


def test_app_environment_is_production_on_this_topology(tmp_path: Path, monkeypatch: Any) -> None:
    cfg = cfg_for(tmp_path, monkeypatch)
    env = prodctl.app_env(cfg, prodctl.ensure_secrets(cfg))
    assert env["ZHIXING_ENV"] == "production"
    assert env["TRUSTED_PROXIES"] == "127.0.0.1"
    assert env["DATABASE_URL"].startswith("postgres://zhixing:") and env["DATABASE_REPLICA_URL"]
    assert env["S3_BUCKET"] == cfg.bucket and env["S3_ENDPOINT_URL"].startswith("http://127.0.0.1:")
    # Every Redis URL (also those named in deploy/PROCESSES.md) points at this topology's Redis.
    for key, value in env.items():
        if value.startswith("redis://"):
            assert "@127.0.0.1:16380/" in value, key


def test_task_processes_come_from_processes_md(tmp_path: Path, monkeypatch: Any) -> None:
    cfg = cfg_for(tmp_path, monkeypatch)
    _, commands = prodctl.processes_spec()
    if not (prodctl.ROOT / "deploy" / "PROCESSES.md").exists():
        assert commands == [] and prodctl.task_commands(cfg) == []
        return
    names = [name for name, _ in prodctl.task_commands(cfg)]
    assert all(not c.endswith("--check") for c in commands)
    workers = [n for n in names if n.startswith("task-worker")]
    assert workers == ["task-worker1", "task-worker2", "task-worker3"]
    assert any(n == "task-scheduler" for n in names)
    for _, argv in prodctl.task_commands(cfg):
        assert Path(argv[0]).is_absolute() and "manage.py" in argv
