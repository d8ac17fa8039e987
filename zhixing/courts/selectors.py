from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .models import Court, Membership, Role, Team


def staff_memberships(*, user: Any) -> QuerySet[Membership]:
    if not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    return Membership.objects.filter(user=user, is_active=True).select_related(
        "court", "team", "team__team_type"
    )


def staff_roles(*, user: Any, court: Court | None = None) -> set[str]:
    qs = staff_memberships(user=user)
    if court is not None:
        qs = qs.filter(court=court)
    return set(qs.values_list("role", flat=True))


def staff_courts(*, user: Any) -> QuerySet[Court]:
    return Court.objects.filter(memberships__user=user, memberships__is_active=True).distinct()


def staff_teams(*, user: Any) -> QuerySet[Team]:
    return Team.objects.filter(memberships__user=user, memberships__is_active=True).distinct()


def led_teams(*, user: Any) -> QuerySet[Team]:
    return Team.objects.filter(
        memberships__user=user, memberships__is_active=True, memberships__role=Role.TEAM_LEAD
    ).distinct()


def is_court_wide(*, user: Any, court: Court) -> bool:
    """Court leaders, approvers and administrators see every case of their court (全院案件)."""
    return bool(staff_roles(user=user, court=court) & {Role.COURT_LEADER, Role.APPROVER, Role.SYSADMIN})
