"""The Alibaba Cloud SendSms backend against a local server that re-derives the RPC v1.0 signature
independently (from the raw form body, per the provider's published algorithm)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import urllib.parse
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from zhixing.accounts.sms_aliyun import AliyunSmsBackend, percent_encode
from zhixing.notifications.models import SmsMessage
from zhixing.notifications.services import sms_send
from zhixing.notifications.sms import SmsDeliveryError

KEY_ID = "LTAI5tTestKeyId"
SECRET = "test/secret+key=="


def _pe(value: str) -> str:
    # The spec's rule written out independently: URL-encode with UTF-8, then + → %20, * → %2A, %7E → ~.
    return (
        urllib.parse.quote_plus(value, encoding="utf-8")
        .replace("+", "%20")
        .replace("*", "%2A")
        .replace("%7E", "~")
    )


class _Aliyun(BaseHTTPRequestHandler):
    received: list[dict[str, str]] = []
    nonces: set[str] = set()
    answer: dict[str, Any] = {
        "Code": "OK",
        "Message": "OK",
        "BizId": "900619746936498440^0",
        "RequestId": "R1",
    }
    status = 200

    def do_POST(self) -> None:
        raw = self.rfile.read(int(self.headers["Content-Length"])).decode()
        params = dict(urllib.parse.parse_qsl(raw, keep_blank_values=True))
        type(self).received.append(params)
        signature = params.pop("Signature", "")
        canonical = "&".join(f"{_pe(k)}={_pe(v)}" for k, v in sorted(params.items()))
        to_sign = "POST&%2F&" + _pe(canonical)
        expected = base64.b64encode(
            hmac.new(f"{SECRET}&".encode(), to_sign.encode(), hashlib.sha1).digest()
        ).decode()
        stamp = datetime.strptime(params.get("Timestamp", ""), "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        problems = []
        if signature != expected:
            problems.append("SignatureDoesNotMatch")
        if params.get("AccessKeyId") != KEY_ID:
            problems.append("InvalidAccessKeyId.NotFound")
        if abs(datetime.now(UTC) - stamp) > timedelta(minutes=15):
            problems.append("InvalidTimeStamp.Expired")
        if params.get("SignatureNonce") in type(self).nonces:
            problems.append("SignatureNonceUsed")
        type(self).nonces.add(params.get("SignatureNonce", ""))
        for name, value in (
            ("Action", "SendSms"),
            ("Version", "2017-05-25"),
            ("SignatureMethod", "HMAC-SHA1"),
            ("SignatureVersion", "1.0"),
            ("Format", "JSON"),
        ):
            if params.get(name) != value:
                problems.append(f"Bad{name}")
        if problems:
            body, status = (
                {"Code": problems[0], "Message": "Specified signature is not matched with our calculation."},
                400,
            )
        else:
            body, status = type(self).answer, type(self).status
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: Any) -> None:
        return


@pytest.fixture
def aliyun(settings) -> Iterator[type[_Aliyun]]:  # type: ignore[no-untyped-def]
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Aliyun)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.SMS_BACKEND = "zhixing.accounts.sms_aliyun.AliyunSmsBackend"
    settings.SMS_ALIYUN_ENDPOINT = f"http://127.0.0.1:{server.server_address[1]}/"
    settings.SMS_ALIYUN_ACCESS_KEY_ID = KEY_ID
    settings.SMS_ALIYUN_ACCESS_KEY_SECRET = SECRET
    settings.SMS_ALIYUN_SIGN_NAME = "智慧执行"
    settings.SMS_ALIYUN_TEMPLATES = {"verify_code": "SMS_154950909", "account_exists": "SMS_154950910"}
    _Aliyun.received = []
    _Aliyun.answer = {"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0", "RequestId": "R1"}
    yield _Aliyun
    server.shutdown()
    server.server_close()


def test_percent_encoding_rules() -> None:
    assert percent_encode("a b*c~d/é") == "a%20b%2Ac~d%2F%C3%A9"


@pytest.mark.django_db
def test_send_sms_signed_request_and_payload(aliyun: type[_Aliyun]) -> None:
    message = sms_send(
        phone="13912345678",
        template="verify_code",
        params={"code": "482913", "minutes": 5, "purpose": "注册"},
    )
    assert message.status == SmsMessage.Status.SENT and message.provider_id == "900619746936498440^0"
    assert "482913" not in message.body  # a real provider: the outbox never keeps the code
    sent = aliyun.received[-1]
    assert sent["PhoneNumbers"] == "13912345678" and sent["SignName"] == "智慧执行"
    assert sent["TemplateCode"] == "SMS_154950909"
    assert json.loads(sent["TemplateParam"]) == {"code": "482913", "minutes": "5", "purpose": "注册"}


@pytest.mark.django_db
def test_wrong_secret_is_rejected_by_the_server_and_recorded(aliyun: type[_Aliyun], settings) -> None:  # type: ignore[no-untyped-def]
    settings.SMS_ALIYUN_ACCESS_KEY_SECRET = "not-the-secret"
    message = sms_send(phone="13912345678", template="account_exists", params={})
    assert message.status == SmsMessage.Status.FAILED and "SignatureDoesNotMatch" in message.error


@pytest.mark.django_db
def test_provider_errors_map_to_delivery_errors(aliyun: type[_Aliyun]) -> None:
    aliyun.answer = {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发分钟级流控Permits:1"}
    with pytest.raises(SmsDeliveryError, match="BUSINESS_LIMIT_CONTROL"):
        AliyunSmsBackend().deliver(phone="13912345678", template="verify_code", params={"code": "1"}, body="")
    with pytest.raises(SmsDeliveryError, match="模板"):
        AliyunSmsBackend().deliver(phone="13912345678", template="case_progress", params={}, body="")


@pytest.mark.django_db
def test_unreachable_endpoint(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SMS_ALIYUN_ENDPOINT = "http://127.0.0.1:9/"
    settings.SMS_ALIYUN_ACCESS_KEY_ID = KEY_ID
    settings.SMS_ALIYUN_ACCESS_KEY_SECRET = SECRET
    settings.SMS_ALIYUN_SIGN_NAME = "智慧执行"
    settings.SMS_ALIYUN_TEMPLATES = {"verify_code": "SMS_1"}
    with pytest.raises(SmsDeliveryError, match="不可达"):
        AliyunSmsBackend().deliver(phone="13912345678", template="verify_code", params={"code": "1"}, body="")
