"""The one place where 执行互动 reaches into other engineers' apps, each with a fallback.

accounts (portal case scope, login pages), workflow (staff permissions, stage names), documents (e-file,
style pages) and lib.workdays are used when present; otherwise the documented fallback applies. Nothing else
in this app imports those modules directly.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import FieldError
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from zhixing.cases import selectors as case_selectors
from zhixing.cases.models import EnforcementCase, Party
from zhixing.courts.models import Membership, Role
from zhixing.lib import crypto

log = logging.getLogger(__name__)


def _optional(module: str, name: str) -> Any:
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


# --- Who is using the portal ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PortalActor:
    """A verified person (``user``) or a unit logged in with its code and a case query code."""

    user: Any = None
    unit_index: str = ""
    unit_code: str = ""
    query_code: str = ""
    label: str = ""

    @property
    def is_unit(self) -> bool:
        return self.user is None

    def owner_q(self, prefix: str = "") -> Q:
        if self.user is not None:
            return Q(**{f"{prefix}author": self.user})
        return Q(**{f"{prefix}author__isnull": True, f"{prefix}unit_index": self.unit_index})

    def owner_fields(self) -> dict[str, Any]:
        return {"author": self.user, "unit_index": self.unit_index, "author_label": self.label[:100]}


def unit_session(request: HttpRequest) -> dict[str, str] | None:
    data = request.session.get("unit_login") if hasattr(request, "session") else None
    if isinstance(data, dict) and data.get("code") and data.get("query_code"):
        return {"code": str(data["code"]).upper(), "query_code": str(data["query_code"]).upper()}
    return None


def portal_actor(request: HttpRequest) -> PortalActor | None:
    """The party behind the request, or None (anonymous, not verified, or court staff)."""
    user = getattr(request, "user", None)
    if (
        user is not None
        and user.is_authenticated
        and user.is_active
        and getattr(user, "kind", "") == "public"
        and getattr(user, "is_verified", False)
    ):
        return PortalActor(user=user, label=str(user.real_name or user))
    unit = unit_session(request)
    if unit:
        name = (
            Party.objects.filter(
                Q(id_index=crypto.blind_index(unit["code"])) | Q(org_index=crypto.blind_index(unit["code"])),
                case__query_code=unit["query_code"],
            )
            .values_list("name", flat=True)
            .first()
        )
        return PortalActor(
            unit_index=crypto.blind_index(unit["code"]),
            unit_code=unit["code"],
            query_code=unit["query_code"],
            label=name or unit["code"],
        )
    return None


def portal_case_scope(request: HttpRequest) -> QuerySet[EnforcementCase]:
    """Cases the current portal visitor may open (accounts' rule when available)."""
    scope = _optional("zhixing.accounts.permissions", "portal_case_scope")
    if scope is not None:
        return scope(request)
    actor = portal_actor(request)
    if actor is None:
        return EnforcementCase.objects.none()
    if actor.user is not None:
        return case_selectors.cases_of_party_user(user=actor.user)
    return case_selectors.cases_of_unit(unit_code=actor.unit_code, query_code=actor.query_code)


def _reverse_first(*names: str, fallback: str) -> str:
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return fallback


def login_url() -> str:
    return _reverse_first("accounts:login", "accounts:login-person", fallback="/me/")


def verify_url() -> str:
    return _reverse_first("accounts:verify", "accounts:verification", fallback="/me/")


def styles_url() -> str | None:
    url = _reverse_first("documents:styles", "documents:style-list", fallback="")
    return url or None


# The eight kinds of party documents of the manual (§3.2.3.1); 执行申请 and 执行异议 are also made online here.
DEFAULT_STYLE_CATEGORIES = [
    ("apply", "执行申请"),
    ("objection", "执行异议"),
    ("authorization", "委托授权书、身份证明书"),
    ("guarantee", "执行担保保证书"),
    ("evidence", "证人证据、申请鉴定"),
    ("extension", "申请顺延期限"),
    ("fees", "申请缓交、减交或者免交诉讼费"),
    ("other", "恢复执行及其他申请"),
]


def style_categories() -> list[tuple[str, str | None]]:
    """(label, link to the 文书样式 page of that category, or None when the documents app is absent)."""
    categories = _optional("zhixing.documents.library", "PARTY_CATEGORIES") or DEFAULT_STYLE_CATEGORIES
    base = styles_url()
    return [(label, f"{base}?category={code}" if base else None) for code, label in categories]


# --- Case progress (workflow) ---------------------------------------------------------------------------------


def case_assignee(case: EnforcementCase) -> Any:
    selector = _optional("zhixing.workflow.selectors", "case_assignee")
    if selector is not None:
        try:
            found = selector(case=case)
            if found is not None:
                return found
        except Exception:  # a partner API in flux must not break the party's page
            log.exception("workflow.case_assignee failed; showing the case judge")
    return case.judge


# --- Staff permissions ----------------------------------------------------------------------------------------


def _led_judge_ids(user: Any, case: EnforcementCase) -> bool:
    """Is ``user`` the team lead of a team the case judge belongs to, at the case's court?"""
    if case.judge_id is None:
        return False
    led = Membership.objects.filter(
        user=user, is_active=True, role=Role.TEAM_LEAD, court_id=case.court_id, team__isnull=False
    ).values_list("team_id", flat=True)
    return Membership.objects.filter(user_id=case.judge_id, is_active=True, team_id__in=list(led)).exists()


def staff_may_act(user: Any, case: EnforcementCase) -> bool:
    """May this staff member answer the party's messages and review clues of the case?"""
    if not getattr(user, "is_authenticated", False) or getattr(user, "kind", "") != "staff":
        return False
    # The stage assignee (workflow) may answer too; the 承办人 answers whatever the stage state.
    check = _optional("zhixing.workflow.permissions", "can_act_on_case")
    if check is not None and check(user, case):
        return True
    if case.judge_id == user.pk:
        return True
    if Membership.objects.filter(
        user=user, is_active=True, role=Role.COURT_LEADER, court_id=case.court_id
    ).exists():
        return True
    return _led_judge_ids(user, case)


def staff_case_scope(user: Any) -> QuerySet[EnforcementCase]:
    """Cases whose messages and clues appear in the user's queues (same rule as staff_may_act)."""
    if not getattr(user, "is_authenticated", False):
        return EnforcementCase.objects.none()
    memberships = Membership.objects.filter(user=user, is_active=True)
    leader_courts = list(memberships.filter(role=Role.COURT_LEADER).values_list("court_id", flat=True))
    led_teams = list(
        memberships.filter(role=Role.TEAM_LEAD, team__isnull=False).values_list("team_id", "court_id")
    )
    q = Q(judge=user) | Q(court_id__in=leader_courts)
    for team_id, court_id in led_teams:
        judges = Membership.objects.filter(team_id=team_id, is_active=True).values_list("user_id", flat=True)
        q |= Q(court_id=court_id, judge_id__in=list(judges))
    flow_q = Q(flow__assignee=user) | Q(flow__team_id__in=[t for t, _ in led_teams])
    try:
        return EnforcementCase.objects.filter(q | flow_q).distinct()
    except FieldError:  # no workflow flows in this installation
        return EnforcementCase.objects.filter(q)


def is_court_leader(user: Any, court_id: int | None = None) -> bool:
    qs = Membership.objects.filter(user=user, is_active=True, role=Role.COURT_LEADER)
    if court_id is not None:
        qs = qs.filter(court_id=court_id)
    return getattr(user, "is_authenticated", False) and qs.exists()


def leader_court_ids(user: Any) -> list[int]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Membership.objects.filter(user=user, is_active=True, role=Role.COURT_LEADER).values_list(
            "court_id", flat=True
        )
    )


# --- Deadlines ------------------------------------------------------------------------------------------------

CLUE_CHECK_DAYS = 7
CLUE_CHECK_DAYS_URGENT = 3


def clue_due_date(*, start: date, urgent: bool) -> tuple[date, str]:
    """The check deadline: 7 days (urgent 3) counted in working days with zhixing.lib.workdays and the
    court calendar overrides of zhixing.workflow when present; otherwise calendar days. Returns the date and
    "workdays" or "calendar", which the queue shows so the judge knows how it was counted."""
    days = CLUE_CHECK_DAYS_URGENT if urgent else CLUE_CHECK_DAYS
    add = _optional("zhixing.lib.workdays", "add_working_days")
    if add is not None:
        overrides_of = _optional("zhixing.workflow.selectors", "calendar_overrides")
        try:
            overrides = overrides_of() if overrides_of is not None else None
            return add(start, days, overrides).deadline, "workdays"
        except Exception:  # a partner API in flux must not stop a clue: fall back and say so
            log.exception("working-day deadline failed; using calendar days")
    return start + timedelta(days=days), "calendar"


def today() -> date:
    return timezone.localdate()


# --- Documents (e-file) ---------------------------------------------------------------------------------------


def efile_add(
    *, case: EnforcementCase, file: Any, source: str, actor: Any, title: str, content_type: str
) -> tuple[str, str]:
    """Put a clue file into the case e-file (电子卷宗, category 财产线索) when the documents app offers it.

    Returns (e-file entry id, the storage name of the copy it made) — the caller deletes that copy too if its
    own transaction fails — or ("", "") without the documents app.
    """
    add = _optional("zhixing.documents.services", "efile_add")
    if add is None:
        return "", ""
    entry = add(
        case=case,
        file=file,
        category="clue",
        source=source,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        matter=None,
        title=title,
        content_type=content_type,
    )
    stored = getattr(getattr(entry, "file", None), "name", "") or ""
    return str(getattr(entry, "pk", "") or ""), stored
