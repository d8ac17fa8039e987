from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from zhixing.lib.middleware import current_ip

from .models import AuditEvent

GENESIS = "0" * 64
_LOCK_KEY = 7_201_406  # PostgreSQL advisory lock that serialises appends to the chain


def _digest(prev_hash: str, fields: dict[str, Any]) -> str:
    body = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


def _hashed_fields(event: AuditEvent) -> dict[str, Any]:
    return {
        "occurred_at": event.occurred_at.isoformat(),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "role": event.role,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "result": event.result,
        "ip": event.ip,
        "details": event.details,
    }


def audit_record(
    *,
    action: str,
    actor: Any = None,
    role: str = "",
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    result: str = AuditEvent.Result.SUCCESS,
    details: dict[str, Any] | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """Append one event to the audit chain, inside the caller's transaction.

    Call it from the service that makes the change, so the change and its record commit together.
    Never put passwords, codes or full identity numbers into ``details``.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    user = actor if (actor is not None and getattr(actor, "is_authenticated", False)) else None
    label = ""
    if user is not None:
        label = str(getattr(user, "display_name", "") or user.get_username())
    elif isinstance(actor, str):
        label = actor
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
        event = AuditEvent(
            occurred_at=timezone.now(),
            actor=user,
            actor_label=label[:100],
            role=role[:40],
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            result=result,
            ip=ip or current_ip.get(),
            details=details or {},
            prev_hash=last or GENESIS,
        )
        event.hash = _digest(event.prev_hash, _hashed_fields(event))
        event.save()
    return event


def audit_verify() -> list[str]:
    """Walk the chain; return a description of every break (empty when intact)."""
    problems: list[str] = []
    prev = GENESIS
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        if event.prev_hash != prev:
            problems.append(f"#{event.pk}: 前一条哈希不符（记录被删除或插入）")
        if _digest(event.prev_hash, _hashed_fields(event)) != event.hash:
            problems.append(f"#{event.pk}: 内容哈希不符（记录被修改）")
        prev = event.hash
    return problems
