from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .models import SmsMessage


def outbox_enabled() -> bool:
    return settings.SMS_BACKEND.endswith("OutboxBackend") and not settings.PRODUCTION


@require_GET
def dev_sms_outbox(request: HttpRequest) -> HttpResponse:
    """Development page listing the SMS outbox (only with the outbox backend, never in production)."""
    if not outbox_enabled():
        raise Http404
    messages = SmsMessage.objects.filter(backend="outbox")[:50]
    return render(request, "notifications/dev_sms.html", {"sms_messages": messages, "tab": "me"})
