from __future__ import annotations

import dj_database_url

from zhixing.lib.env import env_int, env_list, env_str

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

# A streaming read replica (PostgreSQL hot standby) for public-query reads; see zhixing/lib/dbrouter.py.
# Writes never go there; tests mirror it onto the default test database.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    _replica = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0))
    _replica.setdefault("OPTIONS", {})
    _replica["OPTIONS"].setdefault("connect_timeout", 2)
    _replica["CONN_HEALTH_CHECKS"] = True
    _replica["TEST"] = {"MIRROR": "default"}
    DATABASES["replica"] = _replica
DATABASE_ROUTERS = ["zhixing.lib.dbrouter.PrimaryReplicaRouter"]
# Models whose reads may be served by the replica ("app_label" or "app_label.ModelName"): the published
# lists and the law texts, written only by imports and case events, read by the anonymous public.
REPLICA_READ_MODELS = env_list("REPLICA_READ_MODELS", ["publicinfo.PublishedRecord", "laws"])
# After the replica fails to answer, reads go to the primary for this many seconds before it is tried again.
REPLICA_RETRY_SECONDS = env_int("REPLICA_RETRY_SECONDS", 10)
