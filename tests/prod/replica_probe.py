"""Run by test_replica.py in its own process (settings come from the environment): Django against a real
primary (DATABASE_URL) and streaming replica (DATABASE_REPLICA_URL). Prints one JSON object of observations."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhixing.settings")
django.setup()

import psycopg  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.signals import request_started  # noqa: E402
from django.db import connections  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from zhixing.lib import crypto, dbrouter  # noqa: E402
from zhixing.publicinfo import selectors  # noqa: E402
from zhixing.publicinfo.models import PublishedRecord  # noqa: E402

NAME = "复制测试人"
out: dict[str, object] = {}


def new_request() -> None:
    request_started.send(sender=None, environ={})


def replica_su() -> psycopg.Connection:
    return psycopg.connect(
        host="127.0.0.1", port=int(os.environ["PROBE_REPLICA_PORT"]), user="postgres",
        password=os.environ["PROBE_SU_PASSWORD"], dbname="postgres", autocommit=True,
    )  # fmt: skip


def wait_replayed(timeout: float = 30) -> float:
    start = time.monotonic()
    with connections["default"].cursor() as cur:
        cur.execute("SELECT pg_current_wal_flush_lsn()")
        target = cur.fetchone()[0]
    with replica_su() as conn:
        while not conn.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target]).fetchone()[0]:
            if time.monotonic() - start > timeout:
                raise TimeoutError("replica did not catch up")
            time.sleep(0.02)
    return time.monotonic() - start


def publish(case_number: str) -> PublishedRecord:
    return PublishedRecord.objects.create(
        kind="debtor", subject_kind="natural", name=NAME, id_masked="370102********1234",
        id_index=crypto.blind_index(f"probe-{case_number}"), court_name="济南市历下区人民法院",
        province="山东省", province_code="37", case_number=case_number, published_at=timezone.now(),
    )  # fmt: skip


def query(*, replica_up: bool = True) -> tuple[int, int, int]:
    """(records found, queries on the replica, queries of published records on the primary)."""
    with CaptureQueriesContext(connections["default"]) as pri:
        if replica_up:
            with CaptureQueriesContext(connections["replica"]) as rep:
                result = selectors.list_query(kind="debtor", name=NAME)
            on_replica = len(rep.captured_queries)
        else:
            result = selectors.list_query(kind="debtor", name=NAME)
            on_replica = 0
    on_primary = sum("publicinfo_publishedrecord" in q["sql"] for q in pri.captured_queries)
    return result.total, on_replica, on_primary


call_command("migrate", "--noinput", verbosity=0)
PublishedRecord.objects.filter(name=NAME).delete()
with connections["replica"].cursor() as cur:
    cur.execute("SELECT pg_is_in_recovery()")
    out["replica_in_recovery"] = cur.fetchone()[0]

# 1. A record written on the primary is read back from the replica once replayed.
new_request()
publish("（2026）鲁0102执1号")
out["lag_seconds"] = wait_replayed()
new_request()
out["after_replay"] = query()

# 2. With replay paused, a new record is not on the replica: a fresh request does not see it (it reads the
#    replica), while the request that wrote it does (pinned to the primary: read-after-write).
with replica_su() as su:
    su.execute("SELECT pg_wal_replay_pause()")
new_request()
publish("（2026）鲁0102执2号")
out["same_request_after_write"] = query()
new_request()
out["other_request_while_paused"] = query()
with replica_su() as su:
    su.execute("SELECT pg_wal_replay_resume()")
out["lag_after_resume"] = wait_replayed()
new_request()
out["after_resume"] = query()

# 3. Writes never reach the replica: it is read-only, and the router sends them to the primary.
try:
    with connections["replica"].cursor() as cur:
        cur.execute("DELETE FROM publicinfo_publishedrecord")
    out["replica_write"] = "accepted"
except Exception as exc:  # a hot standby refuses writes
    out["replica_write"] = type(exc).__name__
out["write_alias"] = dbrouter.PrimaryReplicaRouter().db_for_write(PublishedRecord)

# 4. The replica stops: reads fall back to the primary.
connections["replica"].close()
os.system(os.environ["PROBE_STOP_REPLICA"])  # noqa: S605 - the test's own command line
new_request()
out["replica_down"] = query(replica_up=False)
print(json.dumps(out, ensure_ascii=False))
