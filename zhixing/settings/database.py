from __future__ import annotations

import dj_database_url

from zhixing.lib.env import env_int, env_str

from .base import VAR_DIR

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'zhixing.sqlite3'}"

_default = dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))
if _default["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while one writer commits; IMMEDIATE avoids lock-upgrade deadlocks.
    _default["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
        ),
    }
    # Tests use a file (WAL, like production) rather than a shared-cache in-memory database, whose
    # table-level locks make background threads fail with "database table is locked".
    _default["TEST"] = {"NAME": env_str("SQLITE_TEST_NAME") or str(VAR_DIR / "test.sqlite3")}
else:
    _default.setdefault("OPTIONS", {})
    _default["CONN_HEALTH_CHECKS"] = True

DATABASES = {"default": _default}
DATABASE_VENDOR = "sqlite" if _default["ENGINE"].endswith("sqlite3") else "postgresql"
