"""Writes of 执行互动. Every function checks the object against the actor, validates input (Chinese
ValidationError by field), writes an audit event in the same transaction and notifies the party on replies."""

from __future__ import annotations

import logging
import os
import secrets
import unicodedata
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from zhixing.audit.services import audit_record
from zhixing.cases.models import EnforcementCase, Party
from zhixing.courts.models import Court
from zhixing.lib import crypto, ratelimit, resilience
from zhixing.lib.errors import field_error
from zhixing.notifications.services import notice_send, sms_send

from . import integration, media
from .doc_forms import validate_document
from .integration import PortalActor
from .models import CasePreference, Clue, ClueAttachment, DocumentDraft, Message, Opinion

log = logging.getLogger(__name__)

MESSAGE_MAX_CHARS = 50
CLUE_MAX_CHARS = 200
OPINION_MAX_CHARS = 1000
REPLY_MAX_CHARS = 500


def count_chars(text: str) -> int:
    """Characters as people count them: Unicode code points after NFC normalisation (一个汉字 = 1)."""
    return len(unicodedata.normalize("NFC", text))


def _clean(text: Any) -> str:
    return unicodedata.normalize("NFC", str(text or "")).strip()


def _throttle(actor: PortalActor, scope: str) -> None:
    """Per-party limits against flooding the judge's queues (settings INTERACTION_*_LIMIT, per window)."""
    from django.conf import settings

    limit, window = getattr(settings, f"INTERACTION_{scope.upper()}_LIMIT", (30, 3600))
    ident = f"u{actor.user.pk}" if actor.user is not None else f"n{actor.unit_index[:16]}"
    try:
        result = ratelimit.hit(f"interaction.{scope}", ident, limit=limit, window=window)
    except ratelimit.RateLimitUnavailable as exc:
        raise field_error("__all__", exc.message) from exc
    if not result.allowed:
        minutes = max(1, result.retry_after // 60)
        raise field_error("__all__", f"提交过于频繁，请{minutes}分钟后再试。")


def _audit_actor(actor: PortalActor) -> Any:
    return actor.user if actor.user is not None else f"单位：{actor.label}"


def _notify_owner(
    *,
    row: Any,
    case: EnforcementCase | None,
    template: str,
    params: dict[str, Any],
    title: str,
    body: str,
    link: str,
    key: str,
) -> None:
    """In-app notice + SMS to whoever owns ``row`` (a person, or a unit through its party phone)."""
    phone = ""
    if row.author is not None:
        notice_send(
            user=row.author, title=title, body=body, link=link, category="interaction", dedupe_key=key
        )
        phone = row.author.phone or ""
    elif case is not None and row.unit_index:
        party = Party.objects.filter(
            Q(id_index=row.unit_index) | Q(org_index=row.unit_index), case=case
        ).first()
        phone = (party.phone if party else "") or ""
    if phone:
        try:
            sms_send(phone=phone, template=template, params=params, idempotency_key=key)
        except (ValueError, ValidationError):
            # A landline on file cannot take an SMS; the in-app notice still stands.
            log.info("no SMS for %s: number not mobile", key)


# --- 选择案件 ------------------------------------------------------------------------------------------------


def case_select(*, actor: PortalActor, case: EnforcementCase) -> None:
    """Remember the case the party chose (the caller has checked it is in the party's scope)."""
    with transaction.atomic():
        if actor.user is not None:
            CasePreference.objects.update_or_create(user=actor.user, defaults={"case": case})
        else:
            CasePreference.objects.update_or_create(
                unit_index=actor.unit_index, user=None, defaults={"case": case}
            )
        audit_record(
            action="interaction.case_select",
            actor=_audit_actor(actor),
            obj=case,
            details={"case": case.number},
        )


# --- 给法官留言 ------------------------------------------------------------------------------------------------


def message_post(
    *, actor: PortalActor, case: EnforcementCase, body: str, thread: Message | None = None
) -> Message:
    """A party leaves a message (≤ 50 characters) or, on a replied thread, a follow-up (追加回复)."""
    text = _clean(body)
    if not text:
        raise field_error("body", "请填写留言内容。")
    if count_chars(text) > MESSAGE_MAX_CHARS:
        raise field_error("body", f"留言不能超过{MESSAGE_MAX_CHARS}个字（当前{count_chars(text)}个字）。")
    if thread is not None:
        root = thread.thread or thread
        if root.case_id != case.pk or not Message.objects.filter(actor.owner_q(), pk=root.pk).exists():
            raise PermissionDenied("无权追加回复该留言。")
        if not root.is_replied:
            raise field_error("body", "承办人回复后才能追加回复。")
        thread = root
    _throttle(actor, "message")
    with transaction.atomic():
        message = Message.objects.create(case=case, thread=thread, body=text, **actor.owner_fields())
        audit_record(
            action="interaction.message.followup" if thread else "interaction.message.post",
            actor=_audit_actor(actor),
            obj=message,
            details={"case": case.number},
        )
    return message


def message_reply(*, actor: Any, message: Message, reply: str) -> Message:
    """The judge (or the team lead / court leader) answers one message; the party is notified."""
    if not integration.staff_may_act(actor, message.case):
        raise PermissionDenied("您无权回复该案件的留言。")
    text = _clean(reply)
    if not text:
        raise field_error("reply", "请填写回复内容。")
    if count_chars(text) > REPLY_MAX_CHARS:
        raise field_error("reply", f"回复不能超过{REPLY_MAX_CHARS}个字。")
    with transaction.atomic():
        locked = Message.objects.select_for_update().get(pk=message.pk)
        if locked.replied_at is not None:
            raise field_error("reply", "该留言已回复。")
        locked.reply = text
        locked.replied_by = actor
        locked.replied_at = timezone.now()
        locked.save(update_fields=["reply", "replied_by", "replied_at"])
        audit_record(
            action="interaction.message.reply", actor=actor, obj=locked, details={"case": locked.case.number}
        )
        _notify_owner(
            row=locked,
            case=locked.case,
            template="message_replied",
            params={"case_number": locked.case.number},
            title="承办法官回复了您的留言",
            body=text[:200],
            link=f"/service/messages/?case={locked.case_id}",
            key=f"interaction:message:{locked.pk}:replied",
        )
    return locked


# --- 提交执行线索 ---------------------------------------------------------------------------------------------


def max_files() -> int:
    from django.conf import settings

    return int(getattr(settings, "INTERACTION_CLUE_MAX_FILES", 9))


def clue_submit(
    *, actor: PortalActor, case: EnforcementCase, body: str, files: list[Any], urgent: bool = False
) -> Clue:
    """Submit a clue: text ≤ 200 characters and/or photos and videos, each checked by content.

    Every file is checked before anything is stored; images are re-encoded without metadata (capture time
    kept on the attachment), videos have location boxes neutralised; SHA-256 of the upload and of the stored
    file are recorded; files go to default storage under server-made names and into the case e-file. On any
    error nothing remains: the transaction rolls back and files already written are deleted.
    """
    text = _clean(body)
    errors: dict[str, list[str]] = {}
    if count_chars(text) > CLUE_MAX_CHARS:
        errors["body"] = [f"线索内容不能超过{CLUE_MAX_CHARS}个字（当前{count_chars(text)}个字）。"]
    if not text and not files:
        errors["body"] = ["请填写线索内容或上传图片、视频。"]
    if len(files) > max_files():
        errors["files"] = [f"每次最多上传{max_files()}个文件。"]
    if errors:
        raise ValidationError(errors)
    _throttle(actor, "clue")
    inspected: list[tuple[Any, media.Inspected]] = []
    for f in files:
        name = os.path.basename(str(getattr(f, "name", "") or ""))[:120]
        inspected.append((f, media.inspect_upload(f, name=name)))
    stored: list[str] = []
    try:
        with resilience.storage_errors("files"), transaction.atomic():
            start = integration.today()
            due_on, basis = integration.clue_due_date(start=start, urgent=urgent)
            clue = Clue.objects.create(
                case=case, body=text, urgent=urgent, due_on=due_on, due_basis=basis, **actor.owner_fields()
            )
            for f, info in inspected:
                name = f"{timezone.now():%Y%m%d}-{secrets.token_hex(12)}.{info.extension}"
                if info.kind == "image":
                    assert info.data is not None
                    content: File[Any] = ContentFile(info.data, name=name)
                    stored_sha = crypto.sha256_hex(info.data)
                    size = len(info.data)
                else:
                    media.apply_patches(info.source, info.patches)
                    stored_sha = media.stream_sha256(info.source) if info.patches else info.upload_sha256
                    content = File(info.source, name=name)
                    size = info.original_size
                attachment = ClueAttachment(
                    clue=clue,
                    kind=info.kind,
                    content_type=info.content_type,
                    size=size,
                    sha256=stored_sha,
                    upload_sha256=info.upload_sha256,
                    original_name=os.path.basename(str(getattr(f, "name", "") or ""))[:120],
                    captured_at=info.captured_at,
                    width=info.width,
                    height=info.height,
                )
                attachment.file.save(name, content, save=False)
                stored.append(str(attachment.file.name))
                attachment.save()
                attachment.file.open("rb")
                try:
                    ref, efile_name = integration.efile_add(
                        case=case,
                        file=attachment.file,
                        source="当事人线索",
                        actor=actor.user,
                        title=f"执行线索{(info.kind == 'image' and '图片') or '视频'}（{attachment.original_name or name}）",
                        content_type=info.content_type,
                    )
                finally:
                    attachment.file.close()
                if efile_name:
                    stored.append(efile_name)
                if ref:
                    attachment.efile_ref = ref[:40]
                    attachment.save(update_fields=["efile_ref"])
            audit_record(
                action="interaction.clue.submit",
                actor=_audit_actor(actor),
                obj=clue,
                details={
                    "case": case.number,
                    "files": [{"sha256": i.upload_sha256, "type": i.content_type} for _, i in inspected],
                    "urgent": urgent,
                },
            )
    except BaseException:
        for name in stored:
            try:
                default_storage.delete(name)
            except Exception:  # the object store may be the thing that failed
                log.exception("could not remove %s after a failed clue submission", name)
        raise
    return clue


def clue_review(*, actor: Any, clue: Clue, outcome: str, result: str) -> Clue:
    """The judge records the check result; the party sees it under 已核查 and is notified."""
    if not integration.staff_may_act(actor, clue.case):
        raise PermissionDenied("您无权核查该案件的线索。")
    errors: dict[str, list[str]] = {}
    if outcome not in Clue.Outcome.values:
        errors["outcome"] = ["请选择核查结论。"]
    text = _clean(result)
    if not text:
        errors["result"] = ["请填写核查结果。"]
    elif count_chars(text) > REPLY_MAX_CHARS:
        errors["result"] = [f"核查结果不能超过{REPLY_MAX_CHARS}个字。"]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Clue.objects.select_for_update().get(pk=clue.pk)
        if locked.status == Clue.Status.CHECKED:
            raise field_error("result", "该线索已核查。")
        locked.status = Clue.Status.CHECKED
        locked.outcome = outcome
        locked.result = text
        locked.reviewed_by = actor
        locked.reviewed_at = timezone.now()
        locked.save(update_fields=["status", "outcome", "result", "reviewed_by", "reviewed_at"])
        audit_record(
            action="interaction.clue.review",
            actor=actor,
            obj=locked,
            details={
                "case": locked.case.number,
                "outcome": outcome,
                "on_time": integration.today() <= locked.due_on,
            },
        )
        _notify_owner(
            row=locked,
            case=locked.case,
            template="clue_reviewed",
            params={"case_number": locked.case.number},
            title="您提交的执行线索已核查",
            body=f"{locked.get_outcome_display()}：{text[:150]}",
            link=f"/service/clues/?tab=checked&case={locked.case_id}",
            key=f"interaction:clue:{locked.pk}:reviewed",
        )
    return locked


# --- 意见建议 -------------------------------------------------------------------------------------------------


def opinion_submit(
    *, actor: PortalActor, court: Court, kind: str, body: str, case: EnforcementCase | None = None
) -> Opinion:
    errors: dict[str, list[str]] = {}
    if kind not in Opinion.Kind.values:
        errors["kind"] = ["请选择类型：意见建议、投诉或举报。"]
    text = _clean(body)
    if not text:
        errors["body"] = ["请填写内容。"]
    elif count_chars(text) > OPINION_MAX_CHARS:
        errors["body"] = [f"内容不能超过{OPINION_MAX_CHARS}个字。"]
    if not court.is_active:
        errors["court"] = ["请选择法院。"]
    if case is not None and case.court_id != court.pk:
        errors["court"] = ["所选法院与案件的承办法院不一致。"]
    if errors:
        raise ValidationError(errors)
    _throttle(actor, "opinion")
    with transaction.atomic():
        opinion = Opinion.objects.create(court=court, case=case, kind=kind, body=text, **actor.owner_fields())
        audit_record(
            action="interaction.opinion.submit",
            actor=_audit_actor(actor),
            obj=opinion,
            details={"kind": kind, "court": court.pk},
        )
    return opinion


def opinion_reply(*, actor: Any, opinion: Opinion, reply: str) -> Opinion:
    """Only court leadership (院领导) of the opinion's court may reply."""
    if not integration.is_court_leader(actor, opinion.court_id):
        raise PermissionDenied("仅本院院领导可以回复意见建议。")
    text = _clean(reply)
    if not text:
        raise field_error("reply", "请填写回复内容。")
    if count_chars(text) > OPINION_MAX_CHARS:
        raise field_error("reply", f"回复不能超过{OPINION_MAX_CHARS}个字。")
    with transaction.atomic():
        locked = Opinion.objects.select_for_update().get(pk=opinion.pk)
        if locked.replied_at is not None:
            raise field_error("reply", "该意见已回复。")
        locked.reply = text
        locked.replied_by = actor
        locked.replied_at = timezone.now()
        locked.save(update_fields=["reply", "replied_by", "replied_at"])
        audit_record(
            action="interaction.opinion.reply", actor=actor, obj=locked, details={"kind": locked.kind}
        )
        _notify_owner(
            row=locked,
            case=locked.case,
            template="opinion_replied",
            params={},
            title=f"法院已回复您的{locked.get_kind_display()}",
            body=text[:200],
            link="/service/opinions/?tab=replied",
            key=f"interaction:opinion:{locked.pk}:replied",
        )
    return locked


# --- 我要制作文书 ---------------------------------------------------------------------------------------------


def draft_save(
    *,
    actor: PortalActor,
    kind: str,
    data: dict[str, Any],
    draft: DocumentDraft | None = None,
    case: EnforcementCase | None = None,
    complete: bool = False,
) -> DocumentDraft:
    """Keep a draft; with ``complete`` the content must satisfy every legal requirement (else 422)."""
    if kind not in DocumentDraft.Kind.values:
        raise field_error("kind", "文书类型不正确。")
    if draft is not None and not DocumentDraft.objects.filter(actor.owner_q(), pk=draft.pk).exists():
        raise PermissionDenied("无权修改该文书。")
    cleaned = validate_document(kind, data, strict=complete)
    with transaction.atomic():
        if draft is None:
            draft = DocumentDraft.objects.create(
                kind=kind, case=case, data=cleaned, is_complete=complete, **actor.owner_fields()
            )
            action = "interaction.draft.create"
        else:
            draft.data = cleaned
            draft.is_complete = complete
            if case is not None:
                draft.case = case
            draft.save(update_fields=["data", "is_complete", "case", "updated_at"])
            action = "interaction.draft.update"
        audit_record(
            action=action, actor=_audit_actor(actor), obj=draft, details={"kind": kind, "complete": complete}
        )
    return draft


def draft_delete(*, actor: PortalActor, draft: DocumentDraft) -> None:
    if not DocumentDraft.objects.filter(actor.owner_q(), pk=draft.pk).exists():
        raise PermissionDenied("无权删除该文书。")
    with transaction.atomic():
        audit_record(action="interaction.draft.delete", actor=_audit_actor(actor), obj=draft)
        draft.delete()


def draft_share(*, actor: PortalActor, draft: DocumentDraft) -> str:
    """Issue a forwarding link token (valid INTERACTION_SHARE_DAYS); only complete documents are shared."""
    from .selectors import share_token

    if not DocumentDraft.objects.filter(actor.owner_q(), pk=draft.pk).exists():
        raise PermissionDenied("无权操作该文书。")
    if not draft.is_complete:
        raise field_error("data", "请先填写完整并生成预览。")
    audit_record(action="interaction.draft.share", actor=_audit_actor(actor), obj=draft)
    return share_token(draft)


def draft_share_revoke(*, actor: PortalActor, draft: DocumentDraft) -> None:
    if not DocumentDraft.objects.filter(actor.owner_q(), pk=draft.pk).exists():
        raise PermissionDenied("无权操作该文书。")
    with transaction.atomic():
        draft.share_nonce = secrets.token_urlsafe(12)
        draft.save(update_fields=["share_nonce", "updated_at"])
        audit_record(action="interaction.draft.share_revoke", actor=_audit_actor(actor), obj=draft)
