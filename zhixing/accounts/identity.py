"""Real-name verification providers behind one interface.

- ``LocalFaceProvider`` (default): checks the resident ID number locally and matches the ID-card portrait to
  the live selfie 1:1 with dlib's face descriptor (see ``face.py``). It cannot confirm with the issuing
  authority that the name belongs to the number; deployments that need that configure the national service.
- ``CtidProvider``: a JSON-over-HTTPS adapter for a national identity authentication service (CTID-style:
  name + number + live photo compared against the authority's record), request signed with HMAC-SHA256.
  The wire format is documented on the class; it is tested against a local HTTP server that checks it.

Providers never keep images: they receive bytes, decide, and return only a result and a score.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from . import face

NOTICE_VERSION = "2026-11-v1"
NOTICE_TEXT = """人脸识别实名认证告知书（版本 2026-11-v1）

一、目的：为确认您是本人，并将您的账户与您作为当事人的执行案件关联，本平台需要比对您上传的身份证人像照片与您本人现场拍摄的照片。
二、处理方式：照片仅在本次比对时使用，比对在法院服务器上完成，不提供给任何第三方（如法院配置了国家网络身份认证服务，则仅向该服务提交核验所需的信息）。
三、保存期限：比对结束后原始照片立即删除，不作保存；平台仅保存比对结果、相似度分值、照片的摘要值（无法还原为照片）以及本同意记录，保存期限与账户相同，用于核查和审计。
四、替代方式：如您不同意人脸识别，或识别未通过，可携带本人居民身份证到执行法院诉讼服务中心，由工作人员现场核验身份，效果相同。
五、您可以随时撤回本同意；撤回不影响撤回前已完成的认证。未满18周岁的用户不能在线认证。"""
NOTICE_SHA256 = hashlib.sha256(NOTICE_TEXT.encode()).hexdigest()


@dataclass(frozen=True)
class VerificationOutcome:
    matched: bool
    provider: str
    score: float | None = None  # face descriptor distance (local) or the service's similarity
    threshold: float | None = None
    reason: str = ""  # Chinese, shown to the user when not matched


class ProviderUnavailable(RuntimeError):
    """The provider could not give a decision (network, signature, service error); nothing is recorded."""


class IdentityProvider(Protocol):
    name: str

    def verify(
        self, *, real_name: str, id_number: str, portrait: bytes, selfie: bytes
    ) -> VerificationOutcome: ...


class LocalFaceProvider:
    name = "local-face"

    def __init__(self, threshold: float | None = None) -> None:
        self.threshold = float(threshold if threshold is not None else settings.FACE_MATCH_THRESHOLD)

    def verify(
        self, *, real_name: str, id_number: str, portrait: bytes, selfie: bytes
    ) -> VerificationOutcome:
        portrait_image = face.load_rgb(portrait)
        selfie_image = face.load_rgb(selfie)
        portrait_code = face.encode(portrait_image)
        if portrait_code is None:
            return VerificationOutcome(
                False,
                self.name,
                None,
                self.threshold,
                "身份证人像照片中未检测到人脸，请重新拍摄清晰的证件照片。",
            )
        selfie_code = face.encode(selfie_image)
        if selfie_code is None:
            return VerificationOutcome(
                False,
                self.name,
                None,
                self.threshold,
                "现场照片中未检测到人脸，请正对镜头、光线充足后重新拍摄。",
            )
        dist = face.distance(portrait_code, selfie_code)
        if dist <= self.threshold:
            return VerificationOutcome(True, self.name, round(dist, 4), self.threshold)
        return VerificationOutcome(
            False, self.name, round(dist, 4), self.threshold, "现场照片与身份证人像不一致，认证未通过。"
        )


def ctid_signature(secret: str, fields: dict[str, str]) -> str:
    """HMAC-SHA256 (hex) over ``key=value`` pairs sorted by key and joined with ``&``."""
    message = "&".join(f"{k}={fields[k]}" for k in sorted(fields))
    return hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


class CtidProvider:
    """National identity service adapter.

    Request: ``POST {IDENTITY_CTID_ENDPOINT}`` with JSON ``{"app_id", "timestamp" (Unix seconds), "nonce",
    "name", "id_number", "photo" (base64 JPEG/PNG of the live selfie), "sign"}`` where ``sign`` is
    ``ctid_signature(app_secret, {app_id, timestamp, nonce, name, id_number, photo_sha256})``.
    Response: ``{"code": "0", "message": "", "data": {"result": "consistent" | "inconsistent" | "no_record",
    "score": <0..1>}}``; any other ``code`` is a service error. The ID-card portrait is not sent: the
    authority compares the selfie with its own record of the number.
    """

    name = "ctid"

    def __init__(
        self, endpoint: str | None = None, app_id: str | None = None, app_secret: str | None = None
    ) -> None:
        self.endpoint = endpoint or settings.IDENTITY_CTID_ENDPOINT
        self.app_id = app_id or settings.IDENTITY_CTID_APP_ID
        self.app_secret = app_secret or settings.IDENTITY_CTID_APP_SECRET
        if not (self.endpoint and self.app_id and self.app_secret):
            raise ProviderUnavailable("IDENTITY_CTID_ENDPOINT / APP_ID / APP_SECRET are not configured")

    def verify(
        self, *, real_name: str, id_number: str, portrait: bytes, selfie: bytes
    ) -> VerificationOutcome:
        face.load_rgb(selfie)  # refuse undecodable uploads before calling out
        fields = {
            "app_id": self.app_id,
            "timestamp": str(int(time.time())),
            "nonce": secrets.token_hex(16),
            "name": real_name,
            "id_number": id_number,
            "photo_sha256": hashlib.sha256(selfie).hexdigest(),
        }
        body = {
            **{k: v for k, v in fields.items() if k != "photo_sha256"},
            "photo": base64.b64encode(selfie).decode(),
            "sign": ctid_signature(self.app_secret, fields),
        }
        request = urllib.request.Request(  # noqa: S310 - the endpoint is the configured https URL
            self.endpoint,
            data=json.dumps(body, ensure_ascii=False).encode(),
            headers={"Content-Type": "application/json; charset=utf-8"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310
                answer = json.loads(response.read().decode())
        except (urllib.error.URLError, TimeoutError, ValueError, OSError) as exc:
            raise ProviderUnavailable(f"identity service unreachable: {exc}") from exc
        if not isinstance(answer, dict) or str(answer.get("code")) != "0":
            message = answer.get("message", "") if isinstance(answer, dict) else ""
            raise ProviderUnavailable(f"identity service error: {message}")
        data = answer.get("data") or {}
        result = data.get("result")
        score = data.get("score")
        score_value = float(score) if isinstance(score, int | float) else None
        if result == "consistent":
            return VerificationOutcome(True, self.name, score_value)
        if result == "no_record":
            return VerificationOutcome(
                False, self.name, score_value, None, "未查询到该身份证号码的有效记录，请核对姓名和号码。"
            )
        if result == "inconsistent":
            return VerificationOutcome(
                False, self.name, score_value, None, "姓名、身份证号码与现场照片不一致，认证未通过。"
            )
        raise ProviderUnavailable(f"identity service returned an unknown result: {result!r}")


def get_provider() -> IdentityProvider:
    provider: IdentityProvider = import_string(settings.IDENTITY_PROVIDER)()
    return provider
