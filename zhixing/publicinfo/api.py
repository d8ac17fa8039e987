"""Public query API (/api/v1/public/...): the same queries and gate as the portal pages.

Queries that may carry an identity number are POST with a JSON body, so the number never appears in a URL
or an access log. There is no endpoint that lists records without a name.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache.backends.locmem import LocMemCache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from zhixing.lib.middleware import client_ip

from . import selectors, throttle
from .models import ListKind

API_PREFIX = "/public/"
router = Router(tags=["查询服务"])


class CaptchaIn(Schema):
    captcha_token: str = Field("", max_length=64, description="验证码令牌（需要时）")
    captcha_answer: str = Field("", max_length=16, description="验证码答案（需要时）")


class ComprehensiveIn(CaptchaIn):
    name: str = Field(..., max_length=100, description="被执行人姓名或名称（至少2个字，完全一致）")
    id_number: str = Field(..., max_length=20, description="身份证号码或统一社会信用代码")


class ListQueryIn(CaptchaIn):
    name: str = Field(..., max_length=100, description="被执行人姓名或名称（至少2个字，完全一致）")
    id_number: str = Field("", max_length=20, description="身份证号码或统一社会信用代码（选填）")
    province: str = Field("", max_length=20, description="省份代码或名称（选填）")
    court: str = Field("", max_length=100, description="执行法院全称（选填）")
    page: int = Field(1, ge=1, le=1000)


class RecordOut(Schema):
    token: str
    kind: str = Field(description="debtor 被执行人 / dishonest 失信 / restricted 限制消费 / terminated 终本")
    kind_label: str
    subject_kind: str
    name: str
    id_number_masked: str = Field(description="身份证号码隐去出生日期；单位代码完整显示")
    court: str
    province: str
    case_number: str
    filed_on: str | None
    basis_number: str
    basis_issuer: str
    published_at: str | None
    performance: str
    gender: str | None = None
    age: int | None = None
    legal_representative: str | None = None
    duty: str | None = None
    conduct: str | None = None
    situations: list[str] | None = None
    term_until: str | None = None
    amount: str | None = None
    unpaid: str | None = None
    closed_on: str | None = None


class ListOut(Schema):
    kind: str
    total: int
    capped: bool
    page: int
    pages: int
    results: list[RecordOut]


class ComprehensiveOut(Schema):
    total: int
    lists: dict[str, list[RecordOut]]


class CaptchaOut(Schema):
    captcha_token: str
    image_url: str


class Pong(Schema):
    ok: bool


def _gate(request: HttpRequest, payload: CaptchaIn | None = None, *, count: bool = True) -> None:
    ip = getattr(request, "client_ip", None) or client_ip(request)
    gate = throttle.query_gate(
        ip=ip,
        captcha_token=payload.captcha_token if payload else "",
        captcha_answer=payload.captcha_answer if payload else "",
        count=count,
    )
    if not gate.allowed:
        if gate.captcha_required:
            raise CaptchaRequired(gate.status, gate.message)
        raise HttpError(gate.status, gate.message)


def _json(data: dict[str, Any]) -> HttpResponse:
    """The public query answers are built from plain values by ``selectors.record_public`` (the schemas above
    document them); they are serialised directly, skipping per-field response validation, which was most of
    the CPU time of a query."""
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "separators": (",", ":")})


def _dump(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


# Answers are kept in each server process's memory (a bounded LRU): a hit costs microseconds, where a round
# trip to the shared cache (and building its client) costs about as much as the query it saves.
ANSWERS = LocMemCache("zhixing-publicinfo-answers", {"OPTIONS": {"MAX_ENTRIES": 5000, "CULL_FREQUENCY": 4}})


def _answer(key: str, build: Callable[[], dict[str, Any]]) -> HttpResponse:
    """The JSON answer of a validated query, from a short-lived cache keyed by the normalised query (name
    and identity only hashed into the key). ``PUBLICINFO_CACHE_SECONDS`` = 0 disables it; the TTL bounds how
    long a new or removed record may be missing from or still shown in an answer already cached (≤ 1 minute
    keeps the promise that a 失信 decision shows within a minute). The per-IP gate runs before, hit or miss."""
    ttl = settings.PUBLICINFO_CACHE_SECONDS
    body = ANSWERS.get(key) if ttl > 0 else None
    if not isinstance(body, bytes):
        body = _dump(build())
        if ttl > 0:
            ANSWERS.set(key, body, timeout=ttl)
    return HttpResponse(body, content_type="application/json")


class CaptchaRequired(HttpError):
    """403 (or 422 for a wrong answer) with ``captcha_required: true``: fetch /api/v1/public/captcha first."""


@router.get("/ping", response=Pong, summary="最简接口（用于基准对照）")
def ping(request: HttpRequest) -> dict[str, Any]:
    return {"ok": True}


@router.post("/captcha", response=CaptchaOut, summary="获取图形验证码")
def captcha(request: HttpRequest) -> dict[str, Any]:
    _gate(request, count=False)
    token = throttle.captcha_issue()
    return {"captcha_token": token, "image_url": reverse("publicinfo:captcha", args=[token])}


@router.post("/comprehensive", response=ComprehensiveOut, summary="综合查询")
def comprehensive(request: HttpRequest, payload: ComprehensiveIn) -> HttpResponse:
    _gate(request, payload)
    name, idx = selectors.comprehensive_params(name=payload.name, id_number=payload.id_number)
    key = "pubq:c:" + hashlib.sha256(f"{name}|{idx}".encode()).hexdigest()
    return _answer(key, lambda: selectors.comprehensive_answer(name, idx))


@router.post("/lists/{kind}", response=ListOut, summary="被执行人、失信人、限制高消费人员、终本案件查询")
def list_query(request: HttpRequest, kind: str, payload: ListQueryIn) -> HttpResponse:
    if kind not in ListKind.values:
        raise HttpError(404, "查询类型不存在。")
    _gate(request, payload)
    params = selectors.list_params(
        kind=kind,
        name=payload.name,
        id_number=payload.id_number,
        province=payload.province,
        court=payload.court,
        page=payload.page,
    )
    return _answer(params.cache_key(), lambda: selectors.list_answer(params))


@router.get("/records/{token}", response=RecordOut, summary="公开信息详情")
def record(request: HttpRequest, token: str) -> HttpResponse:
    _gate(request, count=False)
    found = selectors.record_by_token(token)
    if found is None:
        raise HttpError(404, "该信息不存在或已删除。")
    return _json(selectors.record_public(found))


def install_captcha_handler() -> None:
    """Add ``captcha_required`` to the error body of CaptchaRequired (registered on the shared API once)."""
    from zhixing.api.main import api

    @api.exception_handler(CaptchaRequired)
    def _captcha(request: HttpRequest, exc: CaptchaRequired) -> HttpResponse:
        return api.create_response(
            request, {"detail": str(exc), "captcha_required": True}, status=exc.status_code
        )


install_captcha_handler()
