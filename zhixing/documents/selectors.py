"""Reads for documents, approvals, the e-file and the party inbox."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from zhixing.cases.models import EnforcementCase
from zhixing.workflow.models import CaseMatter

from . import library
from .models import ApprovalStep, DocStatus, DocTemplate, Document, EfileItem, ServiceRecord
from .permissions import approval_levels_of

_NAME_OF_CODE = {code: name for code, name, _ in library.MATTER_TYPES}


def templates_for_court(*, court_id: int | None, kind: str = DocTemplate.Kind.COURT) -> list[DocTemplate]:
    """Active templates of a kind; a court's own copy replaces the system template with the same code."""
    rows = DocTemplate.objects.filter(Q(court__isnull=True) | Q(court_id=court_id), kind=kind, is_active=True)
    chosen: dict[str, DocTemplate] = {}
    for tpl in rows.order_by("order", "id"):
        if tpl.code not in chosen or tpl.court_id is not None:
            chosen[tpl.code] = tpl
    return sorted(chosen.values(), key=lambda t: (t.order, t.pk))


def templates_for_matter(*, matter: CaseMatter) -> tuple[list[DocTemplate], list[DocTemplate]]:
    """(templates bound to the matter's type, all other court templates). Bound by code, or by the name the
    library gives that code when the catalogue uses another code."""
    mt = matter.matter_type
    bound, others = [], []
    for tpl in templates_for_court(court_id=matter.case.court_id):
        codes = [c.strip() for c in tpl.matter_codes.split(",") if c.strip()]
        names = {_NAME_OF_CODE.get(c) for c in codes} | {
            n for c in codes for n in library.MATTER_ALIASES.get(c, set())
        }
        if mt.code in codes or mt.name in names:
            bound.append(tpl)
        else:
            others.append(tpl)
    return bound, others


def _latest(qs: QuerySet[Document]) -> QuerySet[Document]:
    return (
        qs.exclude(status=DocStatus.SUPERSEDED)
        .filter(next_version__isnull=True)
        .select_related("case", "template_version__template", "created_by", "signed_by")
        .prefetch_related("approval_steps", "jobs", "services")
    )


def documents_for_matter(matter: CaseMatter) -> QuerySet[Document]:
    """The matter's current documents (the newest version of each)."""
    return _latest(Document.objects.filter(matter=matter)).order_by("created_at", "id")


def documents_for_case(case: EnforcementCase) -> QuerySet[Document]:
    return _latest(Document.objects.filter(case=case)).order_by("created_at", "id")


def efile_for_case(case: EnforcementCase) -> QuerySet[EfileItem]:
    return (
        EfileItem.objects.filter(case=case)
        .select_related("uploaded_by", "matter__matter_type")
        .order_by("seq")
    )


def pending_approvals_for(*, user: Any) -> list[ApprovalStep]:
    levels = approval_levels_of(user)
    if not levels:
        return []
    cond = Q()
    for court_id, level in levels:
        cond |= Q(document__case__court_id=court_id, level=level)
    return list(
        ApprovalStep.objects.filter(
            cond, decision=ApprovalStep.Decision.PENDING, document__status=DocStatus.PENDING
        )
        .exclude(document__created_by=user)
        .exclude(submitted_by=user)
        .select_related("document__case", "submitted_by")
        .order_by("created_at")
    )


def inbox_for(*, user: Any) -> QuerySet[ServiceRecord]:
    """Documents served to party records linked to this user (nothing else)."""
    if not getattr(user, "is_authenticated", False):
        return ServiceRecord.objects.none()
    return (
        ServiceRecord.objects.filter(party__user=user)
        .select_related("document__case__court", "party")
        .order_by("-sent_at", "-id")
    )


def party_templates(*, q: str = "", category: str = "") -> list[DocTemplate]:
    items = templates_for_court(court_id=None, kind=DocTemplate.Kind.PARTY)
    if category:
        items = [t for t in items if t.category == category]
    if q:
        q = q.strip()
        items = [t for t in items if q in t.name or q in (t.current.body if t.current else "")]
    return items


def document_by_code(code: str) -> Document | None:
    return (
        Document.objects.filter(verify_code=code.strip().upper(), status=DocStatus.SIGNED)
        .select_related("case__court", "signed_by")
        .first()
    )
