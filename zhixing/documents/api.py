"""Document API: a party's served documents (native app inbox) and public verification metadata."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from . import selectors

API_PREFIX = "/documents/"
router = Router(tags=["文书与送达"])


class InboxItem(Schema):
    id: int
    title: str
    case_number: str
    court: str
    sent_at: datetime
    arrived_at: datetime | None
    read_at: datetime | None
    open_url: str
    verify_code: str


@router.get("/inbox", response=list[InboxItem], auth=django_auth, summary="我的文书：送达给当前当事人的文书")
def inbox(request: HttpRequest) -> list[InboxItem]:
    """Documents served to party records linked to the signed-in user. Opening ``open_url`` records the
    read (signed-for) time."""
    return [
        InboxItem(
            id=r.pk,
            title=r.document.title,
            case_number=r.document.case.number,
            court=r.document.case.court.name,
            sent_at=r.sent_at,
            arrived_at=r.arrived_at,
            read_at=r.read_at,
            open_url=reverse("documents:inbox-detail", args=[r.pk]),
            verify_code=r.document.verify_code,
        )
        for r in selectors.inbox_for(user=request.user)
    ]


class VerifyOut(Schema):
    code: str
    title: str
    version: int
    case_number: str
    court: str
    signed_at: datetime | None
    pages: int
    sha256: str


@router.get("/verify/{code}", response=VerifyOut, auth=None, summary="文书验证：按验证码查询已签章文书")
def verify(request: HttpRequest, code: str) -> VerifyOut:
    doc = selectors.document_by_code(code)
    if doc is None:
        raise HttpError(404, "未找到该验证码对应的已签章文书。")
    return VerifyOut(
        code=doc.verify_code,
        title=doc.title,
        version=doc.version,
        case_number=doc.case.number,
        court=doc.case.court.name,
        signed_at=doc.signed_at,
        pages=doc.pages,
        sha256=doc.signed_sha256,
    )
