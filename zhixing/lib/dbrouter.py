"""Database router: public-query reads may go to a PostgreSQL streaming replica, everything else to the primary.

Rules (``DATABASES["replica"]`` exists only when ``DATABASE_REPLICA_URL`` is set):

- Writes always go to ``default`` (the primary). Migrations run only there.
- A read goes to ``replica`` only when its model is listed in ``REPLICA_READ_MODELS`` (the published lists and
  the law texts by default: written by imports and case events, read by the anonymous public at volume), and
- it is made while serving a web request (``request_started`` … ``request_finished``): task workers, the
  scheduler, management commands and background threads always read the primary, so their read-then-write
  logic (idempotency checks, housekeeping) never acts on replica data that lags behind;
- nothing has been written in the current request yet: the first write *pins* the rest of the request to the
  primary, so a request always reads its own writes;
- the primary connection is not inside a transaction (reads inside ``atomic()`` must see that transaction);
- the replica answers: when it cannot be reached, reads fall back to the primary for ``REPLICA_RETRY_SECONDS``.

Replication on loopback lags by milliseconds; a reader that must see a write made by *another* request a moment
ago (for example a staff page after an edit) is not routed here — only models the public reads are.
"""

from __future__ import annotations

import contextlib
import threading
import time
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import DatabaseError, connections

REPLICA = "replica"
PRIMARY = "default"

# "request": serving a web request, replica reads allowed; "primary": anything else, or pinned after a write.
_route: ContextVar[str] = ContextVar("zhixing_db_route", default="primary")
_down_until = 0.0
_down_lock = threading.Lock()


def pin_to_primary() -> None:
    """Send every further read of this request to the primary."""
    _route.set("primary")


def is_pinned() -> bool:
    return _route.get() != "request"


def begin_request(**_: Any) -> None:
    _route.set("request")


def end_request(**_: Any) -> None:
    _route.set("primary")


request_started.connect(begin_request, dispatch_uid="zhixing.dbrouter.begin_request")
request_finished.connect(end_request, dispatch_uid="zhixing.dbrouter.end_request")


def replica_configured() -> bool:
    return REPLICA in connections.settings


def _replica_reachable() -> bool:
    global _down_until
    if time.monotonic() < _down_until:
        return False
    conn = connections[REPLICA]
    try:
        conn.ensure_connection()
    except DatabaseError:
        with _down_lock:
            _down_until = time.monotonic() + float(getattr(settings, "REPLICA_RETRY_SECONDS", 10))
        with contextlib.suppress(DatabaseError):
            conn.close()
        return False
    return True


def replica_eligible(model: type[Any]) -> bool:
    """Whether reads of ``model`` may be served by the replica at all (configuration only)."""
    meta = model._meta
    listed = set(getattr(settings, "REPLICA_READ_MODELS", []))
    return meta.app_label in listed or f"{meta.app_label}.{meta.object_name}" in listed


class PrimaryReplicaRouter:
    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        instance = hints.get("instance")
        if instance is not None and getattr(instance, "_state", None) is not None and instance._state.db:
            return str(instance._state.db)
        if not replica_configured() or not replica_eligible(model):
            return PRIMARY
        if _route.get() != "request" or connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return REPLICA if _replica_reachable() else PRIMARY

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        pin_to_primary()
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        dbs = {obj1._state.db, obj2._state.db}
        if dbs <= {PRIMARY, REPLICA, None}:
            return True
        return None

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool | None:
        return db != REPLICA
