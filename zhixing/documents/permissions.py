"""Who may see and act on a case's documents; the one place holding the fallback rules.

The workflow app's rules are used when present; the case's judge and the court's team leads may always prepare
documents of the case (the stage assignee comes from workflow).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from zhixing.cases.models import EnforcementCase
from zhixing.courts.models import Membership, Role

_wf_act: Callable[[Any, EnforcementCase], bool] | None
_wf_view: Callable[[Any, EnforcementCase], bool] | None
try:  # the workbench engineer's stage-aware rules
    from zhixing.workflow.permissions import can_act_on_case as _wf_act
    from zhixing.workflow.permissions import can_view_case as _wf_view
except ImportError:  # pragma: no cover - depends on the workflow app's progress
    _wf_act = None
    _wf_view = None


def _memberships(user: Any, court_id: int) -> list[Membership]:
    if (
        not getattr(user, "is_authenticated", False)
        or not user.is_active
        or getattr(user, "kind", "") != "staff"
    ):
        return []
    return list(Membership.objects.filter(user=user, court_id=court_id, is_active=True))


def can_view_case(user: Any, case: EnforcementCase) -> bool:
    if _wf_view is not None:
        return bool(_wf_view(user, case))
    return bool(_memberships(user, case.court_id))


def can_act_on_case(user: Any, case: EnforcementCase) -> bool:
    if not can_view_case(user, case):
        return False
    if case.judge_id == user.pk:
        return True
    if any(m.role == Role.TEAM_LEAD for m in _memberships(user, case.court_id)):
        return True
    return bool(_wf_act is not None and _wf_act(user, case))


def may_approve_level(user: Any, case: EnforcementCase, level: str) -> bool:
    """A team lead of the case's court approves 团队负责人 steps; an approver with that title the others."""
    for m in _memberships(user, case.court_id):
        if level == "team_lead" and m.role == Role.TEAM_LEAD:
            return True
        if m.role == Role.APPROVER and m.approver_title == level:
            return True
    return False


def approval_levels_of(user: Any) -> list[tuple[int, str]]:
    """(court id, level) pairs this user may approve."""
    out: list[tuple[int, str]] = []
    if not getattr(user, "is_authenticated", False):
        return out
    for m in Membership.objects.filter(user=user, is_active=True):
        if m.role == Role.TEAM_LEAD:
            out.append((m.court_id, "team_lead"))
        elif m.role == Role.APPROVER and m.approver_title:
            out.append((m.court_id, m.approver_title))
    return out
