from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from zhixing.lib import crypto
from zhixing.notifications.models import SmsMessage


@pytest.fixture(autouse=True)
def _fresh_limits() -> Iterator[None]:
    """Rate-limit counters and captchas live in the (local-memory) cache: start each test clean."""
    cache.clear()
    yield
    cache.clear()


def sms_to(phone: str) -> list[SmsMessage]:
    return list(SmsMessage.objects.filter(phone_index=crypto.blind_index(phone)).order_by("-id"))


def last_code(phone: str) -> str:
    """The code from the newest verification SMS to ``phone``, read from the outbox like a newcomer would."""
    for message in sms_to(phone):
        if message.template == "verify_code":
            found = re.search(r"验证码为(\d{6})", message.body)
            assert found, message.body
            return found.group(1)
    raise AssertionError(f"no verification SMS to {phone}")


def age_codes(phone: str, seconds: int = 61) -> None:
    """Pretend the last code request was ``seconds`` ago (resend interval)."""
    from datetime import timedelta

    from zhixing.accounts.models import SmsCode

    for code in SmsCode.objects.filter(phone_index=crypto.blind_index(phone)):
        SmsCode.objects.filter(pk=code.pk).update(created_at=code.created_at - timedelta(seconds=seconds))


@pytest.fixture
def ip() -> str:
    return "203.0.113.7"


def post_json(client: Any, url: str, data: dict[str, Any], **extra: Any) -> Any:
    return client.post(url, data=data, content_type="application/json", **extra)
