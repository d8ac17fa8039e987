from __future__ import annotations

import pytest
from django.test import Client

from zhixing.lib import ratelimit
from zhixing.lib.captcha import captcha_check, captcha_new
from zhixing.notifications.models import SmsMessage
from zhixing.notifications.services import notice_mark_read, notice_send, sms_send

from ..conftest import World


@pytest.mark.django_db
def test_sms_outbox_records_and_dev_page_shows_it(settings) -> None:  # type: ignore[no-untyped-def]
    message = sms_send(
        phone="13912345678",
        template="verify_code",
        params={"code": "123456", "minutes": 5, "purpose": "注册"},
    )
    assert message.status == SmsMessage.Status.SENT and "123456" in message.body
    assert "code" not in message.params
    page = Client().get("/dev/sms/").content.decode()
    assert "123456" in page and "13912345678" not in page
    settings.PRODUCTION = True
    assert Client().get("/dev/sms/").status_code == 404


@pytest.mark.django_db
def test_sms_idempotency_key_sends_once() -> None:
    first = sms_send(phone="13912345678", template="opinion_replied", params={}, idempotency_key="k1")
    again = sms_send(phone="13912345678", template="opinion_replied", params={}, idempotency_key="k1")
    assert first.pk == again.pk and SmsMessage.objects.count() == 1


@pytest.mark.django_db
def test_sms_with_provider_backend_never_stores_code(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SMS_BACKEND = "tests.notifications.test_notifications.RecordingBackend"
    message = sms_send(
        phone="13912345678",
        template="verify_code",
        params={"code": "654321", "minutes": 5, "purpose": "登录"},
    )
    assert "654321" not in message.body and RecordingBackend.sent[-1][1].count("654321") == 1


class RecordingBackend:
    name = "recording"
    sent: list[tuple[str, str]] = []

    def deliver(self, *, phone: str, template: str, params: dict, body: str) -> str:
        self.sent.append((phone, body))
        return "rec-1"


def test_notices_belong_to_their_user(world: World) -> None:
    notice = notice_send(user=world.party, title="测试", dedupe_key="n1")
    assert notice is not None
    assert notice_send(user=world.party, title="测试", dedupe_key="n1") is None
    assert not notice_mark_read(user=world.other_party, notice_id=notice.pk)
    assert notice_mark_read(user=world.party, notice_id=notice.pk)


def test_rate_limit_counts_per_window() -> None:
    results = [ratelimit.hit("test", "ip1", limit=3, window=60).allowed for _ in range(5)]
    assert results == [True, True, True, False, False]
    assert ratelimit.hit("test", "ip2", limit=3, window=60).allowed


def test_rate_limit_fails_closed_when_store_is_down(settings) -> None:  # type: ignore[no-untyped-def]
    # Nothing listens on port 1: the limiter must refuse rather than let the action through.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    with pytest.raises(ratelimit.RateLimitUnavailable):
        ratelimit.hit("test", "ip", limit=3, window=60)


def test_captcha_is_single_use() -> None:
    token, png = captcha_new()
    assert png.startswith(b"\x89PNG")
    from django.core.cache import cache

    stored = cache.get(f"captcha:{token}")
    assert stored is not None
    # A wrong answer spends the token, so the same image cannot be tried again.
    assert not captcha_check(token, "AAAAA")
    assert cache.get(f"captcha:{token}") is None


def test_captcha_accepts_the_right_answer_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import zhixing.lib.captcha as captcha

    monkeypatch.setattr(captcha.secrets, "choice", lambda seq: "K")
    token, _ = captcha_new()
    assert captcha_check(token, " kkkkk ")  # case and spaces forgiven
    assert not captcha_check(token, "KKKKK")  # spent: the same image cannot be replayed
