"""执行互动 API (/api/v1/interaction/): the same services as the portal and workbench pages.

Party endpoints accept a verified person's session or a unit session (organisation code + query code);
staff endpoints accept court staff sessions. Session-cookie calls need the CSRF token (X-CSRFToken)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from ninja import Field, File, Form, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.security import APIKeyCookie, django_auth

from zhixing.courts.models import Court
from zhixing.notifications.models import Notice
from zhixing.notifications.services import notice_mark_read
from zhixing.workbench.access import is_staff_user

from . import doc_forms, integration, rendering, selectors, services
from .integration import PortalActor
from .models import Clue, ClueAttachment, DocumentDraft, Message, Opinion

API_PREFIX = "/interaction/"


class PortalAuth(APIKeyCookie):
    """A verified person or a unit session (CSRF is checked like Django's session auth)."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None) -> PortalActor | None:
        return integration.portal_actor(request)


portal_auth = PortalAuth()
router = Router(tags=["执行互动"])


def _actor(request: HttpRequest) -> PortalActor:
    actor: PortalActor = request.auth  # type: ignore[attr-defined]
    return actor


def _case(request: HttpRequest, case_id: int) -> Any:
    return get_object_or_404(integration.portal_case_scope(request), pk=case_id)


def _staff(request: HttpRequest) -> Any:
    if not is_staff_user(request.user):
        raise PermissionDenied("仅限法院工作人员使用。")
    return request.user


# --- Schemas --------------------------------------------------------------------------------------------------


class CaseRow(Schema):
    id: int
    number: str
    court: str
    respondents: list[str]
    status: str = Field(description="在执 / 终本 / 未结 / 已结")
    filed_on: date
    selected: bool


class SelectIn(Schema):
    case_id: int


class NodeOut(Schema):
    name: str
    started_at: datetime
    completed_at: datetime | None
    note: str


class ProgressOut(Schema):
    case_id: int
    number: str
    filed_on: date
    respondents: list[str]
    court: str
    assignee: str
    stage: str = Field(description="案件当前阶段")
    days: int = Field(description="已办理天数（立案至今，已结案件至结案日）")
    status: str
    nodes: list[NodeOut]


class MessageOut(Schema):
    id: int
    body: str
    created_at: datetime
    reply: str
    replied_at: datetime | None


class ThreadOut(MessageOut):
    followups: list[MessageOut]


class MessageIn(Schema):
    body: str = Field(description="留言内容，不超过50字")
    thread_id: int | None = Field(None, description="追加回复时填写原留言编号（须已回复）")


class AttachmentOut(Schema):
    id: int
    kind: str
    content_type: str
    size: int
    sha256: str
    upload_sha256: str
    captured_at: datetime | None
    url: str

    @staticmethod
    def resolve_url(obj: ClueAttachment) -> str:
        return reverse("interaction:clue-file", args=[obj.pk])


class ClueOut(Schema):
    id: int
    body: str
    urgent: bool
    status: str
    status_label: str
    created_at: datetime
    due_on: date
    outcome: str
    outcome_label: str
    result: str
    reviewed_at: datetime | None
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_status_label(obj: Clue) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_outcome_label(obj: Clue) -> str:
        return obj.get_outcome_display() if obj.outcome else ""

    @staticmethod
    def resolve_attachments(obj: Clue) -> list[ClueAttachment]:
        return list(obj.attachments.all())


class OpinionIn(Schema):
    court_id: int
    kind: str = Field(description="suggestion 意见建议 / complaint 投诉 / report 举报")
    body: str
    case_id: int | None = None


class OpinionOut(Schema):
    id: int
    court: str
    kind: str
    kind_label: str
    body: str
    created_at: datetime
    reply: str
    replied_at: datetime | None

    @staticmethod
    def resolve_court(obj: Opinion) -> str:
        return obj.court.name

    @staticmethod
    def resolve_kind_label(obj: Opinion) -> str:
        return obj.get_kind_display()


class DraftIn(Schema):
    kind: str = Field(description="application 执行申请书 / objection 执行异议书")
    data: dict[str, Any]
    complete: bool = Field(False, description="true：按法定要求完整校验（生成预览）；false：保存草稿")
    case_id: int | None = None


class DraftUpdate(Schema):
    data: dict[str, Any]
    complete: bool = False


class DraftOut(Schema):
    id: int
    kind: str
    data: dict[str, Any]
    is_complete: bool
    updated_at: datetime


class ShareOut(Schema):
    url: str
    expires_at: datetime


class StaffMessageOut(Schema):
    id: int
    case_id: int
    case_number: str
    author: str
    body: str
    thread_id: int | None
    created_at: datetime
    reply: str
    replied_at: datetime | None

    @staticmethod
    def resolve_case_number(obj: Message) -> str:
        return obj.case.number

    @staticmethod
    def resolve_author(obj: Message) -> str:
        return obj.author_label


class ReplyIn(Schema):
    reply: str


class StaffClueOut(ClueOut):
    case_id: int
    case_number: str
    author: str
    due_basis: str

    @staticmethod
    def resolve_case_number(obj: Clue) -> str:
        return obj.case.number

    @staticmethod
    def resolve_author(obj: Clue) -> str:
        return obj.author_label


class ReviewIn(Schema):
    outcome: str = Field(description="confirmed / partly / unfounded / unverifiable")
    result: str


class StaffOpinionOut(OpinionOut):
    author: str
    case_number: str | None

    @staticmethod
    def resolve_author(obj: Opinion) -> str:
        return obj.author_label

    @staticmethod
    def resolve_case_number(obj: Opinion) -> str | None:
        return obj.case.number if obj.case else None


class NoticeOut(Schema):
    id: int
    title: str
    body: str
    link: str
    category: str
    created_at: datetime
    read_at: datetime | None


# --- Party: cases ---------------------------------------------------------------------------------------------


@router.get("cases", response=list[CaseRow], auth=portal_auth, summary="选择案件：我的案件")
def cases(request: HttpRequest, q: str = "") -> Any:
    actor = _actor(request)
    current = selectors.selected_case(request, actor)
    return [
        {
            "id": c.pk,
            "number": c.number,
            "court": c.court.name,
            "respondents": [p.name for p in c.respondents],
            "status": selectors.party_status(c),
            "filed_on": c.filed_on,
            "selected": current is not None and current.pk == c.pk,
        }
        for c in selectors.case_list(request=request, q=q)
    ]


@router.post("cases/select", response={204: None}, auth=portal_auth, summary="选择案件")
def case_select(request: HttpRequest, payload: SelectIn) -> Any:
    case = _case(request, payload.case_id)
    services.case_select(actor=_actor(request), case=case)
    request.session[selectors.SESSION_KEY] = case.pk
    return Status(204, None)


@router.get("cases/{case_id}/progress", response=ProgressOut, auth=portal_auth, summary="案件办理阶段")
def case_progress(request: HttpRequest, case_id: int) -> Any:
    p = selectors.case_progress(_case(request, case_id))
    return {
        "case_id": p.case.pk,
        "number": p.case.number,
        "filed_on": p.filed_on,
        "respondents": p.respondents,
        "court": p.court,
        "assignee": p.assignee,
        "stage": p.stage,
        "days": p.days,
        "status": p.status,
        "nodes": p.nodes,
    }


# --- Party: messages ------------------------------------------------------------------------------------------

MESSAGES_PER_PAGE = 20


@router.get(
    "cases/{case_id}/messages", response=list[ThreadOut], auth=portal_auth, summary="留言（已回复/未回复）"
)
def message_list(request: HttpRequest, case_id: int, tab: str = "waiting", page: int = 1) -> Any:
    """Twenty threads per page, newest first; a page past the end is empty."""
    case = _case(request, case_id)
    start = (
        min(max(page, 1), 100_000) - 1
    ) * MESSAGES_PER_PAGE  # any integer is a page; SQL offsets stay small
    threads = selectors.message_threads(actor=_actor(request), case=case, replied=tab == "replied")[
        start : start + MESSAGES_PER_PAGE
    ]
    return [
        {
            **{f: getattr(t, f) for f in ("id", "body", "created_at", "reply", "replied_at")},
            "followups": list(t.followups.all()),
        }
        for t in threads
    ]


@router.post(
    "cases/{case_id}/messages", response={201: MessageOut}, auth=portal_auth, summary="给法官留言 / 追加回复"
)
def message_create(request: HttpRequest, case_id: int, payload: MessageIn) -> Any:
    actor = _actor(request)
    case = _case(request, case_id)
    thread = None
    if payload.thread_id is not None:
        thread = selectors.party_message(actor=actor, case=case, pk=payload.thread_id)
        if thread is None:
            raise Http404
    return Status(201, services.message_post(actor=actor, case=case, body=payload.body, thread=thread))


# --- Party: clues ---------------------------------------------------------------------------------------------


@router.get(
    "cases/{case_id}/clues", response=list[ClueOut], auth=portal_auth, summary="线索（核查中/已核查）"
)
def clue_list(request: HttpRequest, case_id: int, status: str = Clue.Status.CHECKING) -> Any:
    case = _case(request, case_id)
    return selectors.party_clues(actor=_actor(request), case=case, status=status)


@router.post(
    "cases/{case_id}/clues", response={201: ClueOut}, auth=portal_auth, summary="提交执行线索（multipart）"
)
def clue_create(
    request: HttpRequest,
    case_id: int,
    body: Form[str] = "",
    urgent: Form[bool] = False,
    files: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Any:
    case = _case(request, case_id)
    uploaded = list(files or [])
    try:
        clue = services.clue_submit(
            actor=_actor(request), case=case, body=body, files=uploaded, urgent=urgent
        )
    finally:
        for f in uploaded:
            f.close()
    return Status(201, Clue.objects.prefetch_related("attachments").get(pk=clue.pk))


# --- Party: opinions ------------------------------------------------------------------------------------------


@router.get("opinions", response=list[OpinionOut], auth=portal_auth, summary="意见建议（待回复/已回复）")
def opinion_list(request: HttpRequest, tab: str = "waiting") -> Any:
    return selectors.party_opinions(actor=_actor(request), replied=tab == "replied")


@router.post("opinions", response={201: OpinionOut}, auth=portal_auth, summary="新增意见建议、投诉或举报")
def opinion_create(request: HttpRequest, payload: OpinionIn) -> Any:
    court = get_object_or_404(Court, pk=payload.court_id, is_active=True)
    case = _case(request, payload.case_id) if payload.case_id is not None else None
    return Status(
        201,
        services.opinion_submit(
            actor=_actor(request), court=court, kind=payload.kind, body=payload.body, case=case
        ),
    )


# --- Party: documents -----------------------------------------------------------------------------------------


@router.get("documents", response=list[DraftOut], auth=portal_auth, summary="我制作的文书")
def draft_list(request: HttpRequest) -> Any:
    return selectors.party_drafts(actor=_actor(request))


@router.post("documents", response={201: DraftOut}, auth=portal_auth, summary="制作执行申请书 / 执行异议书")
def draft_create(request: HttpRequest, payload: DraftIn) -> Any:
    case = _case(request, payload.case_id) if payload.case_id is not None else None
    draft = services.draft_save(
        actor=_actor(request), kind=payload.kind, data=payload.data, case=case, complete=payload.complete
    )
    return Status(201, draft)


def _own_draft(request: HttpRequest, draft_id: int) -> DocumentDraft:
    draft = selectors.party_draft(actor=_actor(request), pk=draft_id)
    if draft is None:
        raise Http404
    return draft


@router.get("documents/{draft_id}", response=DraftOut, auth=portal_auth, summary="文书详情")
def draft_get(request: HttpRequest, draft_id: int) -> Any:
    return _own_draft(request, draft_id)


@router.put("documents/{draft_id}", response=DraftOut, auth=portal_auth, summary="修改文书")
def draft_update(request: HttpRequest, draft_id: int, payload: DraftUpdate) -> Any:
    draft = _own_draft(request, draft_id)
    return services.draft_save(
        actor=_actor(request), kind=draft.kind, data=payload.data, draft=draft, complete=payload.complete
    )


@router.get("documents/{draft_id}/download/{fmt}", auth=portal_auth, summary="下载文书（pdf / docx）")
def draft_download(request: HttpRequest, draft_id: int, fmt: str) -> HttpResponse:
    draft = _own_draft(request, draft_id)
    if fmt not in ("pdf", "docx"):
        raise Http404
    if not draft.is_complete:
        raise ValidationError({"data": ["请先填写完整并生成预览。"]})
    if fmt == "pdf":
        return HttpResponse(rendering.render_pdf(draft.kind, draft.data), content_type="application/pdf")
    return HttpResponse(
        rendering.render_docx(draft.kind, draft.data),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


@router.post("documents/{draft_id}/share", response=ShareOut, auth=portal_auth, summary="转发：生成限时链接")
def draft_share(request: HttpRequest, draft_id: int) -> Any:
    draft = _own_draft(request, draft_id)
    token = services.draft_share(actor=_actor(request), draft=draft)
    return {
        "url": request.build_absolute_uri(reverse("interaction:document-shared", args=[token])),
        "expires_at": selectors.share_expires(timezone.now()),
    }


@router.post(
    "documents/{draft_id}/share/revoke", response={204: None}, auth=portal_auth, summary="使已转发的链接失效"
)
def draft_share_revoke(request: HttpRequest, draft_id: int) -> Any:
    services.draft_share_revoke(actor=_actor(request), draft=_own_draft(request, draft_id))
    return Status(204, None)


@router.delete("documents/{draft_id}", response={204: None}, auth=portal_auth, summary="删除文书")
def draft_delete(request: HttpRequest, draft_id: int) -> Any:
    services.draft_delete(actor=_actor(request), draft=_own_draft(request, draft_id))
    return Status(204, None)


@router.get("document-fields/{kind}", auth=portal_auth, summary="文书字段（法定要素）")
def draft_fields(request: HttpRequest, kind: str) -> Any:
    if kind not in doc_forms.SPECS:
        raise Http404
    return [
        {
            "name": s.name,
            "label": s.label,
            "widget": s.widget,
            "required": s.required,
            "max_chars": s.max_chars,
            "group": s.group,
            "choices": [list(c) for c in s.choices],
            "help": s.help,
        }
        for s in doc_forms.SPECS[kind]
    ]


# --- 消息中心 -------------------------------------------------------------------------------------------------


@router.get("notices", response=list[NoticeOut], auth=django_auth, summary="消息中心")
def notice_list(request: HttpRequest, unread: bool = False) -> Any:
    user: Any = request.user
    qs = Notice.objects.filter(user=user)
    if unread:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")[:100]


@router.post("notices/{notice_id}/read", response={204: None}, auth=django_auth, summary="标记已读")
def notice_read(request: HttpRequest, notice_id: int) -> Any:
    user: Any = request.user
    notice = get_object_or_404(Notice, pk=notice_id, user=user)
    notice_mark_read(user=user, notice_id=notice.pk)
    return Status(204, None)


# --- Staff ----------------------------------------------------------------------------------------------------


@router.get("staff/messages", response=list[StaffMessageOut], auth=django_auth, summary="法官端：待回复留言")
def staff_messages(request: HttpRequest, replied: bool = False) -> Any:
    return selectors.staff_message_inbox(user=_staff(request), replied=replied)[:200]


@router.post(
    "staff/messages/{message_id}/reply",
    response=StaffMessageOut,
    auth=django_auth,
    summary="法官端：回复留言",
)
def staff_message_reply(request: HttpRequest, message_id: int, payload: ReplyIn) -> Any:
    user = _staff(request)
    message = selectors.staff_message(user=user, pk=message_id)
    if message is None:
        raise Http404
    return services.message_reply(actor=user, message=message, reply=payload.reply)


@router.get("staff/clues", response=list[StaffClueOut], auth=django_auth, summary="法官端：线索核查队列")
def staff_clues(request: HttpRequest, status: str = Clue.Status.CHECKING) -> Any:
    return selectors.staff_clue_queue(user=_staff(request), status=status).prefetch_related("attachments")[
        :200
    ]


@router.post(
    "staff/clues/{clue_id}/review", response=StaffClueOut, auth=django_auth, summary="法官端：反馈核查结果"
)
def staff_clue_review(request: HttpRequest, clue_id: int, payload: ReviewIn) -> Any:
    user = _staff(request)
    clue = selectors.staff_clue(user=user, pk=clue_id)
    if clue is None:
        raise Http404
    services.clue_review(actor=user, clue=clue, outcome=payload.outcome, result=payload.result)
    return Clue.objects.select_related("case").prefetch_related("attachments").get(pk=clue.pk)


@router.get("staff/opinions", response=list[StaffOpinionOut], auth=django_auth, summary="院领导：意见建议")
def staff_opinions(request: HttpRequest, replied: bool = False) -> Any:
    return selectors.staff_opinion_queue(user=_staff(request), replied=replied)[:200]


@router.post(
    "staff/opinions/{opinion_id}/reply",
    response=StaffOpinionOut,
    auth=django_auth,
    summary="院领导：回复意见建议",
)
def staff_opinion_reply(request: HttpRequest, opinion_id: int, payload: ReplyIn) -> Any:
    user = _staff(request)
    opinion = selectors.staff_opinion(user=user, pk=opinion_id)
    if opinion is None:
        raise Http404
    return services.opinion_reply(actor=user, opinion=opinion, reply=payload.reply)
