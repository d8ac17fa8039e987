"""Object-level access for the party side (and the few staff checks accounts needs).

Every portal feature that shows a case to a member of the public asks these helpers, never the templates.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from zhixing.cases.models import EnforcementCase
from zhixing.cases.selectors import cases_of_party_user, cases_of_unit
from zhixing.courts.models import Role
from zhixing.courts.selectors import staff_roles

UNIT_SESSION_KEY = "unit_login"


def is_public_user(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "kind", "") == "public")


def is_verified_party_user(user: Any) -> bool:
    return is_public_user(user) and bool(getattr(user, "is_verified", False)) and user.is_active


def unit_session(session: Any) -> dict[str, str] | None:
    """The unit login stored in the session: {"code": normalised unit code, "query_code": ...} or None."""
    data = session.get(UNIT_SESSION_KEY) if session is not None else None
    if isinstance(data, dict) and data.get("code") and data.get("query_code"):
        return {"code": str(data["code"]), "query_code": str(data["query_code"])}
    return None


def can_party_view_case(user: Any, case: EnforcementCase) -> bool:
    """A verified public user sees a case where one of its Party records is linked to them."""
    if not is_verified_party_user(user):
        return False
    return case.parties.filter(user=user).exists()


def can_unit_view_case(session: Any, case: EnforcementCase) -> bool:
    """A unit session sees only the cases of that unit which carry the query code it logged in with."""
    unit = unit_session(session)
    if unit is None:
        return False
    return cases_of_unit(unit_code=unit["code"], query_code=unit["query_code"]).filter(pk=case.pk).exists()


def portal_case_scope(request: Any) -> QuerySet[EnforcementCase]:
    """Cases the current visitor may see on the portal: a verified party's own cases, plus the unit
    session's cases; nobody else sees any."""
    user = getattr(request, "user", None)
    unit = unit_session(getattr(request, "session", None))
    party_qs = cases_of_party_user(user=user) if is_verified_party_user(user) else None
    unit_qs = cases_of_unit(unit_code=unit["code"], query_code=unit["query_code"]) if unit else None
    if party_qs is not None and unit_qs is not None:
        ids = unit_qs.values("pk")
        return (
            EnforcementCase.objects.filter(Q(parties__user=user) | Q(pk__in=ids))
            .distinct()
            .select_related("court", "judge")
            .prefetch_related("parties")
        )
    if party_qs is not None:
        return party_qs
    if unit_qs is not None:
        return unit_qs
    return EnforcementCase.objects.none()


def can_regenerate_query_code(user: Any, case: EnforcementCase) -> bool:
    """The judge of the case, or a team lead, administrator or court leader of the case's court."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "kind", "") != "staff":
        return False
    if case.judge_id == user.pk:
        return True
    return bool(staff_roles(user=user, court=case.court) & {Role.TEAM_LEAD, Role.SYSADMIN, Role.COURT_LEADER})


def can_verify_in_person(user: Any) -> bool:
    """Counter staff who may record an in-person identity check (any active court staff member)."""
    from zhixing.workbench.access import is_staff_user

    return is_staff_user(user)
