"""Alibaba Cloud SMS (短信服务) ``SendSms`` backend, speaking the provider's published RPC protocol.

Request signing follows Alibaba Cloud's RPC signature version 1.0:
1. Parameters = common parameters (Format, Version, AccessKeyId, SignatureMethod=HMAC-SHA1, Timestamp in UTC
   ``YYYY-MM-DDThh:mm:ssZ``, SignatureVersion=1.0, SignatureNonce, RegionId) + action parameters
   (Action=SendSms, PhoneNumbers, SignName, TemplateCode, TemplateParam as JSON, OutId).
2. Each key and value is percent-encoded per RFC 3986 (unreserved ``A-Z a-z 0-9 - _ . ~`` kept, space as
   ``%20``, ``*`` as ``%2A``), pairs sorted by key and joined ``k=v`` with ``&`` (the canonicalized query).
3. StringToSign = ``HTTPMethod & percentEncode("/") & percentEncode(canonicalizedQuery)``.
4. Signature = Base64(HMAC-SHA1(key = AccessKeySecret + "&", StringToSign)), sent as the ``Signature`` parameter.

Configure with ``SMS_BACKEND=zhixing.accounts.sms_aliyun.AliyunSmsBackend`` and the ``SMS_ALIYUN_*`` settings
(see ``zhixing/settings/accounts.py``). No Alibaba endpoint is reachable from the build machines: the protocol
is tested against a local HTTP server that recomputes the signature (tests/accounts/test_sms_aliyun.py).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import urllib.error
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from typing import Any

from django.conf import settings

from zhixing.notifications.sms import SmsDeliveryError

API_VERSION = "2017-05-25"


def percent_encode(value: str) -> str:
    return urllib.parse.quote(str(value), safe="-_.~")


def canonicalized_query(params: dict[str, str]) -> str:
    return "&".join(f"{percent_encode(k)}={percent_encode(params[k])}" for k in sorted(params))


def string_to_sign(method: str, params: dict[str, str]) -> str:
    return f"{method.upper()}&{percent_encode('/')}&{percent_encode(canonicalized_query(params))}"


def sign(method: str, params: dict[str, str], access_key_secret: str) -> str:
    digest = hmac.new(
        f"{access_key_secret}&".encode(), string_to_sign(method, params).encode(), hashlib.sha1
    ).digest()
    return base64.b64encode(digest).decode()


class AliyunSmsBackend:
    name = "aliyun"

    def __init__(self) -> None:
        self.endpoint = settings.SMS_ALIYUN_ENDPOINT
        self.access_key_id = settings.SMS_ALIYUN_ACCESS_KEY_ID
        self.access_key_secret = settings.SMS_ALIYUN_ACCESS_KEY_SECRET
        self.sign_name = settings.SMS_ALIYUN_SIGN_NAME
        self.region = settings.SMS_ALIYUN_REGION
        self.templates: dict[str, str] = dict(settings.SMS_ALIYUN_TEMPLATES)
        self.timeout = settings.SMS_ALIYUN_TIMEOUT

    def build_params(self, *, phone: str, template: str, params: dict[str, Any]) -> dict[str, str]:
        if not (self.access_key_id and self.access_key_secret and self.sign_name):
            raise SmsDeliveryError("阿里云短信未配置 AccessKey 或签名（SMS_ALIYUN_*）")
        template_code = self.templates.get(template)
        if not template_code:
            raise SmsDeliveryError(f"阿里云短信未配置模板 {template} 的模板编号（SMS_ALIYUN_TEMPLATES）")
        query = {
            "Format": "JSON",
            "Version": API_VERSION,
            "AccessKeyId": self.access_key_id,
            "SignatureMethod": "HMAC-SHA1",
            "Timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "SignatureVersion": "1.0",
            "SignatureNonce": secrets.token_hex(16),
            "RegionId": self.region,
            "Action": "SendSms",
            "PhoneNumbers": phone,
            "SignName": self.sign_name,
            "TemplateCode": template_code,
            "TemplateParam": json.dumps(
                {k: str(v) for k, v in params.items()}, ensure_ascii=False, separators=(",", ":")
            ),
        }
        query["Signature"] = sign("POST", query, self.access_key_secret)
        return query

    def deliver(self, *, phone: str, template: str, params: dict[str, Any], body: str) -> str:
        query = self.build_params(phone=phone, template=template, params=params)
        data = urllib.parse.urlencode(query, quote_via=urllib.parse.quote).encode()
        request = urllib.request.Request(  # noqa: S310 - configured https endpoint
            self.endpoint,
            data=data,
            headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                raw = response.read()
        except urllib.error.HTTPError as exc:  # the API answers errors with 4xx/5xx and a JSON body
            raw = exc.read()
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise SmsDeliveryError(f"阿里云短信接口不可达：{exc}") from exc
        try:
            answer = json.loads(raw.decode())
        except (ValueError, UnicodeDecodeError) as exc:
            raise SmsDeliveryError("阿里云短信接口返回了无法解析的内容") from exc
        if not isinstance(answer, dict) or answer.get("Code") != "OK":
            code = answer.get("Code", "") if isinstance(answer, dict) else ""
            message = answer.get("Message", "") if isinstance(answer, dict) else ""
            raise SmsDeliveryError(f"阿里云短信发送失败：{code} {message}".strip())
        return str(answer.get("BizId", ""))
