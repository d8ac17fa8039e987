from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from zhixing.accounts import services
from zhixing.accounts.models import SmsCode
from zhixing.lib import crypto

from ..conftest import World
from .conftest import age_codes, last_code, sms_to

NEW = "13712345678"


@pytest.mark.django_db
def test_code_is_six_digits_stored_only_hashed_and_single_use(ip: str) -> None:
    services.sms_code_request(phone=NEW, purpose="register", ip=ip)
    code = last_code(NEW)
    record = SmsCode.objects.get()
    assert len(code) == 6 and code not in record.code_hash and code not in record.salt
    assert (record.expires_at - record.created_at) == timedelta(minutes=5)
    services.sms_code_consume(phone=NEW, purpose="register", code=code)
    with pytest.raises(ValidationError):  # replay
        services.sms_code_consume(phone=NEW, purpose="register", code=code)


@pytest.mark.django_db
def test_code_is_bound_to_purpose_and_number(world: World, ip: str) -> None:
    services.sms_code_request(phone=NEW, purpose="register", ip=ip)
    code = last_code(NEW)
    with pytest.raises(ValidationError):
        services.sms_code_consume(phone=NEW, purpose="reset", code=code)
    with pytest.raises(ValidationError):
        services.sms_code_consume(phone="13712345679", purpose="register", code=code)
    services.sms_code_consume(phone=NEW, purpose="register", code=code)


@pytest.mark.django_db
def test_expired_code_is_refused(ip: str) -> None:
    services.sms_code_request(phone=NEW, purpose="register", ip=ip)
    code = last_code(NEW)
    SmsCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(ValidationError):
        services.sms_code_consume(phone=NEW, purpose="register", code=code)


@pytest.mark.django_db
def test_five_wrong_tries_void_the_code(ip: str) -> None:
    services.sms_code_request(phone=NEW, purpose="register", ip=ip)
    code = last_code(NEW)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        with pytest.raises(ValidationError):
            services.sms_code_consume(phone=NEW, purpose="register", code=wrong)
    assert SmsCode.objects.get().voided_at is not None
    with pytest.raises(ValidationError):  # even the right code is dead now
        services.sms_code_consume(phone=NEW, purpose="register", code=code)


@pytest.mark.django_db
def test_new_code_voids_the_previous_one(ip: str) -> None:
    services.sms_code_request(phone=NEW, purpose="register", ip=ip)
    first = last_code(NEW)
    age_codes(NEW)
    services.sms_code_request(phone=NEW, purpose="register", ip=ip)
    second = last_code(NEW)
    if first != second:
        with pytest.raises(ValidationError):
            services.sms_code_consume(phone=NEW, purpose="register", code=first)
    services.sms_code_consume(phone=NEW, purpose="register", code=second)


@pytest.mark.django_db
def test_resend_waits_60_seconds_and_ten_a_day(ip: str) -> None:
    services.sms_code_request(phone=NEW, purpose="register", ip=ip)
    with pytest.raises(ValidationError, match="秒后再试"):
        services.sms_code_request(phone=NEW, purpose="login", ip=ip)
    for _ in range(9):
        age_codes(NEW)
        services.sms_code_request(phone=NEW, purpose="register", ip=f"198.51.100.{_}")
    age_codes(NEW)
    with pytest.raises(ValidationError, match="今日"):
        services.sms_code_request(phone=NEW, purpose="register", ip="198.51.100.99")
    assert SmsCode.objects.count() == 10


def _known_captcha(monkeypatch) -> str:  # type: ignore[no-untyped-def]
    """A real captcha whose text is fixed for the test (the service checks it as usual)."""
    from zhixing.lib import captcha

    with monkeypatch.context() as m:
        m.setattr(captcha.secrets, "choice", lambda seq: "A")
        token, png = captcha.captcha_new()
    assert png.startswith(b"\x89PNG")
    return token


@pytest.mark.django_db
def test_ip_volume_requires_captcha_then_limits(settings, monkeypatch, ip: str) -> None:  # type: ignore[no-untyped-def]
    settings.SMS_CODE_CAPTCHA_AFTER = 2
    settings.SMS_CODE_IP_HOURLY_LIMIT = 3
    services.sms_code_request(phone="13700000001", purpose="register", ip=ip)
    services.sms_code_request(phone="13700000002", purpose="register", ip=ip)
    assert services.sms_code_captcha_required(ip=ip)
    with pytest.raises(ValidationError) as err:
        services.sms_code_request(phone="13700000003", purpose="register", ip=ip)
    assert "captcha" in err.value.message_dict
    token = _known_captcha(monkeypatch)
    with pytest.raises(ValidationError) as err:
        services.sms_code_request(
            phone="13700000003", purpose="register", ip=ip, captcha_token=token, captcha_answer="BBBBB"
        )
    assert "captcha" in err.value.message_dict
    with pytest.raises(ValidationError):  # the token was spent by the wrong answer
        services.sms_code_request(
            phone="13700000003", purpose="register", ip=ip, captcha_token=token, captcha_answer="AAAAA"
        )
    token = _known_captcha(monkeypatch)
    services.sms_code_request(
        phone="13700000003", purpose="register", ip=ip, captcha_token=token, captcha_answer="aaaaa"
    )
    assert sms_to("13700000003")
    token = _known_captcha(monkeypatch)
    with pytest.raises(ValidationError, match="频繁"):
        services.sms_code_request(
            phone="13700000004", purpose="register", ip=ip, captcha_token=token, captcha_answer="AAAAA"
        )
    assert not sms_to("13700000004")


@pytest.mark.django_db
def test_no_enumeration_register_on_existing_number(world: World, ip: str) -> None:
    existing = world.public.phone
    services.sms_code_request(phone=existing, purpose="register", ip=ip)
    services.sms_code_request(phone=NEW, purpose="register", ip=ip)
    assert sms_to(existing)[0].template == "account_exists"  # the owner learns it, the requester does not
    assert sms_to(NEW)[0].template == "verify_code"
    record = SmsCode.objects.get(phone_index=crypto.blind_index(existing))
    assert not record.usable


@pytest.mark.django_db
def test_no_enumeration_login_code_for_unknown_number(world: World, ip: str) -> None:
    services.sms_code_request(phone=NEW, purpose="login", ip=ip)
    services.sms_code_request(phone=world.public.phone, purpose="login", ip=ip)
    assert sms_to(NEW)[0].template == "account_missing"
    assert sms_to(world.public.phone)[0].template == "verify_code"


@pytest.mark.django_db
def test_code_space_is_uniform(ip: str) -> None:
    seen = set()
    for i in range(30):
        phone = f"1360000{i:04d}"
        services.sms_code_request(phone=phone, purpose="register", ip=f"192.0.2.{i}")
        seen.add(last_code(phone))
    assert len(seen) > 25  # 6 random digits: collisions among 30 are rare


class _DownCache:
    def add(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise ConnectionError("redis is down")

    def get(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise ConnectionError("redis is down")


@pytest.mark.django_db
def test_rate_limiter_down_fails_closed(monkeypatch, ip: str) -> None:  # type: ignore[no-untyped-def]
    from zhixing.lib import ratelimit

    monkeypatch.setattr(ratelimit, "caches", {"default": _DownCache()})
    with pytest.raises(ValidationError, match="系统繁忙"):
        services.sms_code_request(phone=NEW, purpose="register", ip=ip)
    assert not sms_to(NEW)


@pytest.mark.django_db
def test_change_codes_need_a_logged_in_user(world: World, ip: str) -> None:
    with pytest.raises(ValidationError, match="请先登录"):
        services.sms_code_request(phone=NEW, purpose="change", ip=ip)
    assert not sms_to(NEW)
    services.sms_code_request(phone=NEW, purpose="change", ip=ip, user=world.public)
    assert sms_to(NEW)[0].template == "verify_code"
