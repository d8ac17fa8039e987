from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from zhixing.courts.models import Role
from zhixing.courts.selectors import staff_memberships
from zhixing.lib import crypto

from .models import EnforcementCase, Party


def _with_parties(qs: QuerySet[EnforcementCase]) -> QuerySet[EnforcementCase]:
    return qs.select_related("court", "judge").prefetch_related(
        Prefetch("parties", queryset=Party.objects.order_by("role", "id"))
    )


def cases_visible_to_staff(*, user: Any) -> QuerySet[EnforcementCase]:
    """Cases a staff member may open: all cases of courts where they hold a court-wide role,
    cases of their own teams' courts they are assigned to, and cases they are the judge of."""
    memberships = list(staff_memberships(user=user))
    if not memberships:
        return EnforcementCase.objects.none()
    court_ids = {m.court_id for m in memberships}
    return EnforcementCase.objects.filter(court_id__in=court_ids)


def case_search(
    *,
    user: Any,
    number: str = "",
    party: str = "",
    judge_id: int | None = None,
    status: str = "",
    filed_from: date | None = None,
    filed_to: date | None = None,
    court_id: int | None = None,
) -> QuerySet[EnforcementCase]:
    qs = cases_visible_to_staff(user=user)
    if number:
        qs = qs.filter(number__contains=number.strip())
    if party:
        qs = qs.filter(parties__name__contains=party.strip()).distinct()
    if judge_id:
        qs = qs.filter(judge_id=judge_id)
    if status:
        qs = qs.filter(status=status)
    if filed_from:
        qs = qs.filter(filed_on__gte=filed_from)
    if filed_to:
        qs = qs.filter(filed_on__lte=filed_to)
    if court_id:
        qs = qs.filter(court_id=court_id)
    return _with_parties(qs).order_by("-filed_on", "-id")


def cases_of_party_user(*, user: Any) -> QuerySet[EnforcementCase]:
    """A verified person's own cases: those where a Party record is linked to them."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_verified", False):
        return EnforcementCase.objects.none()
    return _with_parties(EnforcementCase.objects.filter(parties__user=user).distinct())


def cases_of_unit(*, unit_code: str, query_code: str) -> QuerySet[EnforcementCase]:
    """Cases a unit opens with its credit/organisation code and a case query code."""
    index = crypto.blind_index(unit_code.upper())
    # One filter() call so both conditions apply to the same party row.
    return _with_parties(
        EnforcementCase.objects.filter(
            Q(parties__id_index=index) | Q(parties__org_index=index),
            parties__kind__in=[Party.Kind.LEGAL, Party.Kind.UNINCORPORATED],
            query_code=query_code,
        ).distinct()
    )


def staff_is_court_wide(*, user: Any, court_id: int) -> bool:
    return any(
        m.court_id == court_id and m.role in {Role.COURT_LEADER, Role.APPROVER, Role.SYSADMIN}
        for m in staff_memberships(user=user)
    )
