"""SMS sending behind one interface.

Backends (``settings.SMS_BACKEND``):
- ``zhixing.notifications.sms.OutboxBackend`` (default): delivers nothing; the message stays in the outbox
  (``SmsMessage``), visible on the development page ``/dev/sms/`` and in ``scripts/serve`` output, so a
  newcomer can sign up on the demo. This is the real record of every SMS in all modes.
- A provider backend speaking a Chinese SMS API's published, signed HTTP protocol (see that module).
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from zhixing.lib.masking import mask_mobile

# Message templates (Chinese). Providers require pre-registered templates; the codes map to them.
TEMPLATES: dict[str, str] = {
    "verify_code": "您的验证码为{code}，{minutes}分钟内有效，仅用于{purpose}。如非本人操作，请忽略本短信。",
    "document_served": "您有一份执行文书《{title}》（{case_number}）已送达，请登录智慧执行查收。",
    "message_replied": "承办法官已回复您在案件{case_number}中的留言，请登录智慧执行查看。",
    "clue_reviewed": "您在案件{case_number}中提交的执行线索已核查，请登录智慧执行查看结果。",
    "opinion_replied": "法院已回复您提出的意见建议，请登录智慧执行查看。",
    "case_progress": "您的案件{case_number}进入“{stage}”阶段，请登录智慧执行查看进展。",
    "publicinfo_correction_decided": "您对案件{case_number}失信信息提出的纠正申请已审查，结果：{outcome}。详情请咨询执行法院。",
    "account_exists": "该手机号已注册智慧执行账户，无需重复注册，请直接登录；如忘记密码可通过短信重置。如非本人操作，请忽略本短信。",
    "account_missing": "该手机号尚未注册智慧执行账户，无法{purpose}，请先注册。如非本人操作，请忽略本短信。",
    "phone_changed": "您的智慧执行账户已将绑定手机号更换为{masked}。如非本人操作，请立即联系法院。",
}


class SmsDeliveryError(RuntimeError):
    pass


class SmsBackend(Protocol):
    name: str

    def deliver(self, *, phone: str, template: str, params: dict[str, Any], body: str) -> str:
        """Deliver one message; return the provider's message id; raise SmsDeliveryError on failure."""


class OutboxBackend:
    """Keeps messages in the outbox only (development and demo)."""

    name = "outbox"

    def deliver(self, *, phone: str, template: str, params: dict[str, Any], body: str) -> str:
        # Shown in the scripts/serve console so a newcomer can read the code without a phone.
        logging.getLogger("zhixing.sms.outbox").warning("短信[发件箱] %s：%s", mask_mobile(phone), body)
        return ""


def render(template: str, params: dict[str, Any]) -> str:
    try:
        return TEMPLATES[template].format(**params)
    except KeyError as exc:
        raise ValueError(f"unknown SMS template or missing parameter: {exc}") from exc


def get_backend() -> SmsBackend:
    path = getattr(settings, "SMS_BACKEND", "zhixing.notifications.sms.OutboxBackend")
    backend: SmsBackend = import_string(path)()
    return backend
