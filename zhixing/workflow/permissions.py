"""Object-level permissions for the segmented flow (other apps import these names).

Checked on the server for every object: links hidden in templates are a convenience, never the check.
"""

from __future__ import annotations

from typing import Any

from zhixing.cases.models import CaseStatus, EnforcementCase
from zhixing.courts.models import Membership, Role

COURT_WIDE_ROLES = frozenset({Role.COURT_LEADER, Role.APPROVER, Role.SYSADMIN})


def memberships_of(user: Any) -> list[Membership]:
    """Active memberships of a staff user, loaded once per user object (one query per request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_zx_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user, is_active=True).select_related("team", "court"))
        user._zx_memberships = cached
    return cached


def staff_court_ids(user: Any) -> set[int]:
    if getattr(user, "kind", "") != "staff":
        return set()
    return {m.court_id for m in memberships_of(user)}


def led_team_ids(user: Any) -> set[int]:
    return {m.team_id for m in memberships_of(user) if m.role == Role.TEAM_LEAD and m.team_id}


def team_ids(user: Any) -> set[int]:
    return {m.team_id for m in memberships_of(user) if m.team_id}


def is_court_wide(user: Any, court_id: int) -> bool:
    return any(m.court_id == court_id and m.role in COURT_WIDE_ROLES for m in memberships_of(user))


def is_field_officer(user: Any) -> bool:
    return any(m.role == Role.FIELD_OFFICER for m in memberships_of(user))


def is_leader(user: Any) -> bool:
    """Team leads and court-wide roles see the leadership statistics."""
    return any(m.role == Role.TEAM_LEAD or m.role in COURT_WIDE_ROLES for m in memberships_of(user))


def can_view_case(user: Any, case: EnforcementCase) -> bool:
    """Court staff may open the cases of the courts they belong to."""
    return case.court_id in staff_court_ids(user)


def can_act_on_case(user: Any, case: EnforcementCase) -> bool:
    """Only the current assignee of the stage, or the lead of the team holding it, may act."""
    if not can_view_case(user, case) or case.status != CaseStatus.ACTIVE:
        return False
    flow = getattr(case, "flow", None)
    if flow is None or flow.stage_id is None:
        return False
    return flow.assignee_id == user.pk or (flow.team_id is not None and flow.team_id in led_team_ids(user))


def can_lead_case(user: Any, case: EnforcementCase) -> bool:
    """The team lead of the team that holds the case (may reassign)."""
    flow = getattr(case, "flow", None)
    return bool(
        can_view_case(user, case) and flow is not None and flow.team_id and flow.team_id in led_team_ids(user)
    )


def can_receive_case(user: Any, case: EnforcementCase) -> bool:
    return case.status == CaseStatus.PENDING and case.judge_id == user.pk and can_view_case(user, case)


CALENDAR_ROLES = frozenset({Role.COURT_LEADER, Role.SYSADMIN})


def calendar_court_ids(user: Any) -> list[int]:
    """Courts whose 节假日调整 the user may edit: 院领导 and 系统管理员 of that court."""
    if getattr(user, "kind", "") != "staff":
        return []
    return sorted({m.court_id for m in memberships_of(user) if m.role in CALENDAR_ROLES})


def can_manage_calendar(user: Any, court_id: int) -> bool:
    return court_id in calendar_court_ids(user)
