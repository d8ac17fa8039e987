"""Reads of 执行互动 for parties (always filtered by owner and case scope) and for staff queues."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import HttpRequest

from zhixing.cases.models import CaseStatus, ClosureMethod, EnforcementCase, ProgressNode

from . import integration
from .integration import PortalActor
from .models import CasePreference, Clue, DocumentDraft, Message, Opinion

SESSION_KEY = "interaction_case_id"
SHARE_SALT = "zhixing.interaction.draft-share"


def share_days() -> int:
    return int(getattr(settings, "INTERACTION_SHARE_DAYS", 7))


# --- Cases ----------------------------------------------------------------------------------------------------


def party_status(case: EnforcementCase) -> str:
    """The four words the manual uses for a party's cases: 在执 / 终本 / 未结 / 已结."""
    if case.status == CaseStatus.CLOSED:
        return "终本" if case.closure_method == ClosureMethod.TERMINATED_THIS_ROUND else "已结"
    if case.status == CaseStatus.PENDING:
        return "未结"
    return "在执"


def case_list(*, request: HttpRequest, q: str = "") -> QuerySet[EnforcementCase]:
    qs = integration.portal_case_scope(request)
    text = (q or "").strip()
    if text:
        qs = qs.filter(Q(number__contains=text) | Q(parties__name__contains=text)).distinct()
    return qs.select_related("court", "judge").prefetch_related("parties").order_by("-filed_on", "-id")


def selected_case(request: HttpRequest, actor: PortalActor | None) -> EnforcementCase | None:
    """The case chosen in 选择案件: session first, then the saved preference; always re-checked in scope."""
    if actor is None:
        return None
    scope = integration.portal_case_scope(request).select_related("court", "judge")
    case_id = request.session.get(SESSION_KEY)
    if case_id:
        found = scope.filter(pk=case_id).first()
        if found is not None:
            return found
    pref = (
        CasePreference.objects.filter(user=actor.user).first()
        if actor.user is not None
        else CasePreference.objects.filter(user=None, unit_index=actor.unit_index).first()
    )
    if pref is not None:
        found = scope.filter(pk=pref.case_id).first()
        if found is not None:
            request.session[SESSION_KEY] = found.pk
            return found
    return None


@dataclass(frozen=True)
class Progress:
    case: EnforcementCase
    filed_on: date
    respondents: list[str]
    court: str
    assignee: str
    stage: str
    days: int
    nodes: list[ProgressNode]
    status: str


def case_progress(case: EnforcementCase) -> Progress:
    nodes = list(ProgressNode.objects.filter(case=case).order_by("sequence", "started_at", "id"))
    open_nodes = [n for n in nodes if n.completed_at is None]
    if case.status == CaseStatus.CLOSED:
        stage = (
            "终本结案"
            if case.closure_method == ClosureMethod.TERMINATED_THIS_ROUND
            else f"已结案（{case.get_closure_method_display()}）"
            if case.closure_method
            else "已结案"
        )
    elif open_nodes:
        stage = open_nodes[-1].name
    elif nodes:
        stage = nodes[-1].name
    else:
        stage = case.get_status_display()
    end = case.closed_on if (case.status == CaseStatus.CLOSED and case.closed_on) else integration.today()
    assignee = integration.case_assignee(case)
    return Progress(
        case=case,
        filed_on=case.filed_on,
        respondents=[p.name for p in case.respondents],
        court=case.court.name,
        assignee=str(assignee) if assignee else "—",
        stage=stage,
        days=max((end - case.filed_on).days, 0),
        nodes=nodes,
        status=party_status(case),
    )


# --- Party lists ----------------------------------------------------------------------------------------------


def message_threads(*, actor: PortalActor, case: EnforcementCase, replied: bool) -> QuerySet[Message]:
    """Root messages of the party on the case, newest first (callers page through them). 已回复: every
    message of the thread is answered; 未回复: some message (root or follow-up) still waits for the judge."""
    pending = Message.objects.filter(Q(pk=OuterRef("pk")) | Q(thread=OuterRef("pk")), replied_at__isnull=True)
    qs = (
        Message.objects.filter(actor.owner_q(), case=case, thread__isnull=True)
        .annotate(waiting=Exists(pending))
        .filter(waiting=not replied)
        .select_related("replied_by")
        .prefetch_related(
            Prefetch(
                "followups",
                queryset=Message.objects.select_related("replied_by").order_by("created_at", "id"),
            )
        )
        .order_by("-created_at", "-id")
    )
    return qs


def message_counts(*, actor: PortalActor, case: EnforcementCase) -> dict[str, int]:
    return {
        "replied": message_threads(actor=actor, case=case, replied=True).count(),
        "waiting": message_threads(actor=actor, case=case, replied=False).count(),
    }


def party_message(*, actor: PortalActor, case: EnforcementCase, pk: int) -> Message | None:
    return Message.objects.filter(actor.owner_q(), case=case, pk=pk).first()


def party_clues(*, actor: PortalActor, case: EnforcementCase, status: str) -> QuerySet[Clue]:
    return (
        Clue.objects.filter(actor.owner_q(), case=case, status=status)
        .prefetch_related("attachments")
        .order_by("-created_at", "-id")
    )


def party_opinions(*, actor: PortalActor, replied: bool) -> QuerySet[Opinion]:
    return (
        Opinion.objects.filter(actor.owner_q(), replied_at__isnull=not replied)
        .select_related("court", "case")
        .order_by("-created_at", "-id")
    )


def party_drafts(*, actor: PortalActor) -> QuerySet[DocumentDraft]:
    return DocumentDraft.objects.filter(actor.owner_q()).order_by("-updated_at", "-id")


def party_draft(*, actor: PortalActor, pk: int) -> DocumentDraft | None:
    return DocumentDraft.objects.filter(actor.owner_q(), pk=pk).first()


def attachment_for_party(*, actor: PortalActor, request: HttpRequest, pk: int) -> Any:
    from .models import ClueAttachment

    cases = integration.portal_case_scope(request).values("pk")
    return (
        ClueAttachment.objects.filter(pk=pk, clue__case__in=cases)
        .filter(actor.owner_q("clue__"))
        .select_related("clue")
        .first()
    )


# --- Share links ----------------------------------------------------------------------------------------------


def share_token(draft: DocumentDraft) -> str:
    return signing.TimestampSigner(salt=SHARE_SALT).sign(f"{draft.pk}.{draft.share_nonce}")


def share_expires(now: datetime) -> datetime:
    return now + timedelta(days=share_days())


def draft_from_token(token: str) -> DocumentDraft | None:
    try:
        value = signing.TimestampSigner(salt=SHARE_SALT).unsign(token, max_age=timedelta(days=share_days()))
    except signing.BadSignature:  # includes SignatureExpired
        return None
    pk, _, nonce = value.partition(".")
    if not pk.isdigit():
        return None
    return DocumentDraft.objects.filter(pk=int(pk), share_nonce=nonce, is_complete=True).first()


# --- Staff queues ---------------------------------------------------------------------------------------------


def staff_message_inbox(*, user: Any, replied: bool = False) -> QuerySet[Message]:
    cases = integration.staff_case_scope(user).values("pk")
    return (
        Message.objects.filter(case__in=cases, replied_at__isnull=not replied)
        .select_related("case", "thread", "author", "replied_by")
        .order_by("created_at" if not replied else "-replied_at", "id")
    )


def staff_message(*, user: Any, pk: int) -> Message | None:
    found = Message.objects.select_related("case", "case__court", "thread").filter(pk=pk).first()
    if found is None or not integration.staff_may_act(user, found.case):
        return None
    return found


def staff_clue_queue(*, user: Any, status: str = Clue.Status.CHECKING) -> QuerySet[Clue]:
    cases = integration.staff_case_scope(user).values("pk")
    order = ["due_on", "created_at", "id"] if status == Clue.Status.CHECKING else ["-reviewed_at", "-id"]
    return (
        Clue.objects.filter(case__in=cases, status=status)
        .select_related("case", "reviewed_by")
        .annotate(n_files=Count("attachments"))
        .order_by(*order)
    )


def staff_clue(*, user: Any, pk: int) -> Clue | None:
    found = (
        Clue.objects.select_related("case", "case__court")
        .prefetch_related("attachments")
        .filter(pk=pk)
        .first()
    )
    if found is None or not integration.staff_may_act(user, found.case):
        return None
    return found


def staff_attachment(*, user: Any, pk: int) -> Any:
    from .models import ClueAttachment

    found = ClueAttachment.objects.select_related("clue", "clue__case").filter(pk=pk).first()
    if found is None or not integration.staff_may_act(user, found.clue.case):
        return None
    return found


def staff_opinion_queue(*, user: Any, replied: bool = False) -> QuerySet[Opinion]:
    return (
        Opinion.objects.filter(
            court_id__in=integration.leader_court_ids(user), replied_at__isnull=not replied
        )
        .select_related("court", "case", "replied_by")
        .order_by("created_at" if not replied else "-replied_at", "id")
    )


def staff_opinion(*, user: Any, pk: int) -> Opinion | None:
    found = Opinion.objects.select_related("court", "case").filter(pk=pk).first()
    if found is None or not integration.is_court_leader(user, found.court_id):
        return None
    return found


def deadline_state(clue: Clue, today: date | None = None) -> str:
    """overdue / soon (due today or tomorrow) / ok — for the review queue's colouring."""
    now = today or integration.today()
    if clue.status == Clue.Status.CHECKED:
        return "done"
    if now > clue.due_on:
        return "overdue"
    if (clue.due_on - now).days <= 1:
        return "soon"
    return "ok"
