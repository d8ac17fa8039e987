"""Production mode: secrets are mandatory and Django's deployment checks pass."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ZHIXING_DATA_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    base.update(env)
    return subprocess.run(  # noqa: S603 - fixed arguments, our own manage.py
        [sys.executable, str(ROOT / "manage.py"), *args],
        capture_output=True,
        text=True,
        env=base,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_in_production(tmp_path: Path) -> None:
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        ZHIXING_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ZHIXING_DATA_KEY=secrets.token_urlsafe(40),
        ALLOWED_HOSTS="zhixing.example.cn",
        ZHIXING_VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secrets(tmp_path: Path) -> None:
    result = _manage("check", ZHIXING_ENV="production", ZHIXING_VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
