from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from zhixing.lib import crypto
from zhixing.lib.ids import validate_mobile
from zhixing.tasks.core import task

from . import sms
from .models import Notice, SmsMessage


def notice_send(
    *,
    user: Any,
    title: str,
    body: str = "",
    link: str = "",
    category: str = "general",
    dedupe_key: str | None = None,
) -> Notice | None:
    """Create an in-app notice; with ``dedupe_key`` a repeat is ignored (returns None)."""
    try:
        with transaction.atomic():
            return Notice.objects.create(
                user=user, title=title[:100], body=body, link=link, category=category, dedupe_key=dedupe_key
            )
    except IntegrityError:
        if dedupe_key and Notice.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        raise


def notice_mark_read(*, user: Any, notice_id: int) -> bool:
    return bool(
        Notice.objects.filter(pk=notice_id, user=user, read_at__isnull=True).update(read_at=timezone.now())
    )


def sms_send(
    *, phone: str, template: str, params: dict[str, Any], idempotency_key: str | None = None
) -> SmsMessage:
    """Record the SMS in the outbox, then deliver it through the configured backend.

    With an ``idempotency_key`` the same message is recorded at most once, even when a task is retried, and
    delivery is a background task (``sms_deliver``) started when the caller's transaction commits: the
    caller's change and its SMS commit together, and delivery happens once per message (a message already
    sent is never sent again). Without a key (verification codes, which the user is waiting for) delivery
    happens now. Delivery failures are recorded on the message (status 失败) rather than raised.
    """
    number = validate_mobile(phone)
    body = sms.render(template, params)
    backend = sms.get_backend()
    if idempotency_key:
        existing = SmsMessage.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            message = SmsMessage.objects.create(
                phone=number,
                phone_index=crypto.blind_index(number),
                template=template,
                params={k: v for k, v in params.items() if k != "code"},  # never keep codes in clear
                # The outbox backend *is* the delivery in development, so it keeps the text a phone would show;
                # with a real provider, codes are never stored in clear.
                body=body
                if backend.name == "outbox" or "code" not in params
                else sms.render(template, {**params, "code": "******"}),
                backend=backend.name,
                idempotency_key=idempotency_key,
            )
            deferred = bool(idempotency_key) and "code" not in params
            if deferred:
                sms_deliver.enqueue(key=f"sms:{message.pk}", message_id=message.pk)
    except IntegrityError:
        found = SmsMessage.objects.filter(idempotency_key=idempotency_key).first()
        if found is None:
            raise
        return found
    if deferred:
        message.refresh_from_db()  # already delivered when nothing encloses this call (embedded backend)
        return message
    return _deliver(message, backend=backend, params=params, body=body)


def _deliver(
    message: SmsMessage, *, backend: sms.SmsBackend, params: dict[str, Any], body: str
) -> SmsMessage:
    try:
        provider_id = backend.deliver(
            phone=message.phone, template=message.template, params=params, body=body
        )
    except sms.SmsDeliveryError as exc:
        SmsMessage.objects.filter(pk=message.pk).update(status=SmsMessage.Status.FAILED, error=str(exc)[:200])
        message.refresh_from_db()
        return message
    SmsMessage.objects.filter(pk=message.pk).update(
        status=SmsMessage.Status.SENT, provider_id=provider_id, sent_at=timezone.now()
    )
    message.refresh_from_db()
    return message


@task
def sms_deliver(*, message_id: int) -> None:
    """Deliver one recorded message unless it was already handed to the provider (status 已发送/失败).

    A worker killed while the provider call is in flight leaves the message 待发送; the retry delivers it
    again (at-least-once towards the provider, which dedupes on its side by our message id where supported),
    and the outbox still holds exactly one message."""
    message = SmsMessage.objects.filter(pk=message_id, status=SmsMessage.Status.QUEUED).first()
    if message is None:
        return
    _deliver(message, backend=sms.get_backend(), params=message.params, body=message.body)
