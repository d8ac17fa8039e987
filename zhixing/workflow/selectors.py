"""Reads for the segmented flow: queues, search with stage columns, statistics."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import connections
from django.db.models import (
    Avg,
    BooleanField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone

from zhixing.cases.models import CaseStatus, EnforcementCase, Party

from . import permissions, search_index
from .models import (
    AuctionCondition,
    CalendarOverride,
    CaseFlow,
    CaseMatter,
    FieldTask,
    Stage,
    StageRecord,
    StageSet,
    StageTransition,
)

logger = logging.getLogger(__name__)

SOON_DAYS = 3


def calendar_overrides(court_id: int | None = None) -> dict[date, bool]:
    """Dates overriding the official calendar: the site-wide ones, then the court's own (which win)."""
    qs = CalendarOverride.objects.filter(court__isnull=True)
    if court_id:
        qs = CalendarOverride.objects.filter(Q(court__isnull=True) | Q(court_id=court_id))
    result: dict[date, bool] = {}
    # Site-wide rows first, the court's rows after them: for the same date the court's row is kept.
    for day, is_workday, _own in sorted(
        qs.values_list("day", "is_workday", "court_id"), key=lambda r: (r[2] is not None, r[0])
    ):
        result[day] = is_workday
    return result


def stage_set_ids(court_ids: Iterable[int]) -> set[int]:
    """The stage sets the courts use: each court's own set, and the default set for courts without one."""
    ids = set(court_ids)
    rows = list(
        StageSet.objects.filter(Q(court_id__in=ids) | Q(is_default=True)).values_list("id", "court_id")
    )
    own = {court for _pk, court in rows if court is not None}
    result = {pk for pk, court in rows if court is not None}
    if ids - own:
        result |= {pk for pk, court in rows if court is None}
    return result


def stage_set_for_court(court_id: int) -> StageSet | None:
    """The court's own stage set, else the default set."""
    return (
        StageSet.objects.filter(Q(court_id=court_id) | Q(is_default=True))
        .order_by("is_default", "id")
        .first()
    )


def stages_active(*, court_ids: Iterable[int] | None = None) -> list[Stage]:
    """Active stages of the sets these courts use (None: the default set), in flow order."""
    qs = Stage.objects.filter(is_active=True)
    if court_ids is None:
        qs = qs.filter(stage_set__is_default=True)
    else:
        qs = qs.filter(stage_set_id__in=stage_set_ids(court_ids))
    return list(qs.order_by("order", "id"))


def first_stage(*, court_id: int) -> Stage | None:
    stage_set = stage_set_for_court(court_id)
    if stage_set is None:
        return None
    return stage_set.stages.filter(is_active=True).order_by("order", "id").first()


def stage_in_court(*, court_id: int, code: str) -> Stage | None:
    """The active stage with this code in the set the court uses."""
    stage_set = stage_set_for_court(court_id)
    if stage_set is None:
        return None
    return stage_set.stages.filter(code=code, is_active=True).first()


def stages_for_user(*, user: Any, code: str) -> list[Stage]:
    """The stages with this code in the sets of the user's courts (a team page spans the user's courts)."""
    courts = permissions.staff_court_ids(user)
    if not courts:
        return []
    return list(
        Stage.objects.filter(code=code, is_active=True, stage_set_id__in=stage_set_ids(courts)).order_by("id")
    )


def transitions_from(stage: Stage, *, has_auction: bool | None) -> list[Stage]:
    """The stages a case may move to from ``stage``, given 是否有拍 (None: not chosen yet → all)."""
    qs = StageTransition.objects.filter(from_stage=stage, to_stage__is_active=True).select_related("to_stage")
    if has_auction is True:
        qs = qs.filter(auction__in=[AuctionCondition.ANY, AuctionCondition.YES])
    elif has_auction is False:
        qs = qs.filter(auction__in=[AuctionCondition.ANY, AuctionCondition.NO])
    seen: dict[int, Stage] = {}
    for t in qs.order_by("order", "id"):
        seen.setdefault(t.to_stage_id, t.to_stage)
    return list(seen.values())


def stage_uses_auction(stage: Stage) -> bool:
    return StageTransition.objects.filter(from_stage=stage).exclude(auction=AuctionCondition.ANY).exists()


def _parties_prefetch(prefix: str = "") -> Prefetch[Any]:
    # Only what lists show: identity numbers and phones stay encrypted (and are not decrypted per row).
    return Prefetch(
        f"{prefix}parties",
        queryset=Party.objects.only("id", "case_id", "role", "kind", "name", "birth_date").order_by(
            "role", "id"
        ),
    )


def team_queue(*, user: Any, stages: list[Stage]) -> QuerySet[CaseFlow]:
    """Cases in one of ``stages`` (the same stage code in the sets of the user's courts): a member sees
    their own, a team lead sees the whole team's."""
    led = permissions.led_team_ids(user)
    if led and not (permissions.team_ids(user) - led):
        # A lead who is a member only of the teams they lead: their own cases are in those teams, and a
        # single indexable condition keeps the queue fast for a team with tens of thousands of cases.
        cond = Q(team_id__in=led)
    else:
        cond = Q(assignee_id=user.pk)
        if led:
            cond |= Q(team_id__in=led)
    return (
        # A flow keeps a stage only while the case is open (closing clears it), so no join is needed to
        # count the queue: the count is answered from the (assignee|team, stage) index alone.
        CaseFlow.objects.filter(cond, stage_id__in=[s.pk for s in stages])
        .select_related("case", "case__court", "assignee", "team", "stage")
        .prefetch_related(_parties_prefetch("case__"))
        .order_by("deadline", "case_id")
    )


def flow_rows(ids: list[int]) -> list[CaseFlow]:
    """Flows by id in this order, with case, court, assignee, team, stage and parties (one page)."""
    by_id = {
        f.pk: f
        for f in CaseFlow.objects.filter(pk__in=ids)
        .select_related("case", "case__court", "assignee", "team", "stage")
        .prefetch_related(_parties_prefetch("case__"))
    }
    return [by_id[i] for i in ids if i in by_id]


def cases_pending_receipt(*, user: Any) -> QuerySet[EnforcementCase]:
    court_ids = permissions.staff_court_ids(user)
    return (
        EnforcementCase.objects.filter(status=CaseStatus.PENDING, judge_id=user.pk, court_id__in=court_ids)
        .select_related("court")
        .prefetch_related(_parties_prefetch())
        .order_by("filed_on", "id")
    )


class DeadlineState:
    OVERDUE = "overdue"
    SOON = "soon"
    ON_TIME = "on_time"
    CHOICES = [("", "全部"), ("overdue", "已超期"), ("soon", f"{SOON_DAYS}日内到期"), ("on_time", "期限内")]


def case_search(
    *,
    user: Any,
    number: str = "",
    party: str = "",
    judge_id: int | None = None,
    stage_id: int | None = None,
    deadline_state: str = "",
    status: str = "",
    filed_from: date | None = None,
    filed_to: date | None = None,
    court_id: int | None = None,
    team_id: int | None = None,
    today: date | None = None,
    plan: str = "",
) -> QuerySet[EnforcementCase]:
    """全院案件 / 案件查询: cases of the user's courts with their current stage and deadline.

    ``plan`` only changes how a one- or two-character party name is looked up, never which cases match
    (see ``_filter_party``): ``Plan.COLLECT`` gathers the matching cases first (for a count, or a page
    of a few matches / a deep page), ``Plan.WALK`` reads the court's cases in list order and checks each
    (a shallow page when thousands match, e.g. a surname), "" leaves it to the database's planner.
    """
    court_ids = permissions.staff_court_ids(user)
    if court_id:
        court_ids &= {court_id}
    qs = EnforcementCase.objects.all()
    if stage_id or team_id or deadline_state:
        # Drive from the flow's (court, stage, deadline) / (team, …) indexes: a flow's court is its case's
        # court, so the court condition goes on the flow and the planner starts from the few flows that
        # match instead of walking the court's 100,000 cases.
        qs = qs.filter(flow__court_id__in=court_ids)
        if stage_id:
            qs = qs.filter(flow__stage_id=stage_id)
        if team_id:
            qs = qs.filter(flow__team_id=team_id)
        if deadline_state:
            day = today or timezone.localdate()
            active = Q(flow__stage__isnull=False, status=CaseStatus.ACTIVE)
            if deadline_state == DeadlineState.OVERDUE:
                qs = qs.filter(active, flow__deadline__lt=day)
            elif deadline_state == DeadlineState.SOON:
                qs = qs.filter(
                    active, flow__deadline__gte=day, flow__deadline__lte=day + timedelta(days=SOON_DAYS)
                )
            elif deadline_state == DeadlineState.ON_TIME:
                qs = qs.filter(active, flow__deadline__gt=day + timedelta(days=SOON_DAYS))
    else:
        qs = qs.filter(court_id__in=court_ids)
    if number:
        qs = _filter_number(qs, number.strip())
    if party:
        qs = _filter_party(qs, party.strip(), plan)
    if judge_id:
        qs = qs.filter(Q(judge_id=judge_id) | Q(flow__assignee_id=judge_id))
    if status:
        qs = qs.filter(status=status)
    if filed_from:
        qs = qs.filter(filed_on__gte=filed_from)
    if filed_to:
        qs = qs.filter(filed_on__lte=filed_to)
    # Lean on purpose: callers page through ids and load the rows of one page with case_rows(), so the
    # database never joins and sorts the whole court (100,000 cases) to show twenty.
    return qs.order_by("-filed_on", "-id")


def case_rows(ids: list[int]) -> list[EnforcementCase]:
    """The cases with these ids, in this order, with court, judge, flow (stage, team, assignee), parties."""
    by_id = {
        c.pk: c
        for c in EnforcementCase.objects.filter(pk__in=ids)
        .select_related("court", "judge", "flow", "flow__stage", "flow__team", "flow__assignee")
        .prefetch_related(_parties_prefetch())
    }
    return [by_id[i] for i in ids if i in by_id]


def _filter_number(qs: QuerySet[EnforcementCase], text: str) -> QuerySet[EnforcementCase]:
    """A whole 案号 is an exact (indexed) match; “12345号” is that case sequence number; anything else
    is a substring of the 案号."""
    from zhixing.lib.case_numbers import CaseNumberError, parse_case_number

    try:
        return qs.filter(number=str(parse_case_number(text)))
    except CaseNumberError:
        pass
    if text.endswith("号") and text[:-1].isdigit():
        return qs.filter(sequence=int(text[:-1]))
    return _substring(qs, "number", text, "workflow_case_number_fts")


class Plan:
    COLLECT = "collect"
    WALK = "walk"


def _filter_party(qs: QuerySet[EnforcementCase], text: str, plan: str = "") -> QuerySet[EnforcementCase]:
    """Cases with a party whose name contains ``text``, as a semi-join (IN subquery, no DISTINCT)."""
    if 0 < len(text) < search_index.MIN_TRIGRAM:
        # One or two characters (张伟): the gram index answers exactly, without touching party rows.
        vendor = connections[qs.db].vendor
        sql = search_index.short_party_case_ids_sql(vendor, collect=plan == Plan.COLLECT)
        if plan == Plan.WALK and vendor == "sqlite":
            # Unary + keeps SQLite from driving the query from the gram list (then sorting every match):
            # it walks the court's (court, 立案日期, id) index in list order and probes the list instead.
            table = qs.model._meta.db_table
            return qs.filter(
                RawSQL(  # noqa: S611 - fixed SQL, the text is a parameter
                    f'+"{table}"."id" IN ({sql})', [text], output_field=BooleanField()
                )
            )
        return qs.filter(pk__in=RawSQL(sql, [text]))  # noqa: S611 - fixed SQL, the text is a parameter
    parties = _substring(Party.objects.all(), "name", text, "workflow_party_name_fts")
    return qs.filter(pk__in=parties.values("case_id"))


def _substring(qs: QuerySet[Any], field: str, text: str, fts_table: str) -> QuerySet[Any]:
    """Rows whose ``field`` contains ``text`` — exactly what ``field__contains`` answers, found through the
    substring indexes of ``search_index`` (pg_trgm on PostgreSQL by the planner itself; on SQLite the FTS5
    trigram table narrows the rows first, then the same LIKE decides)."""
    if connections[qs.db].vendor == "sqlite" and len(text) >= search_index.MIN_TRIGRAM:
        qs = qs.filter(
            pk__in=RawSQL(  # noqa: S611 - fixed table name, the text is a parameter
                f"SELECT rowid FROM {fts_table} WHERE {fts_table} MATCH %s",  # noqa: S608
                [search_index.fts_phrase(text)],
            )
        )
    return qs.filter(**{f"{field}__contains": text})


def case_for_staff(*, user: Any, pk: int) -> EnforcementCase | None:
    """One case with its flow, or None when the user may not see it."""
    case = (
        EnforcementCase.objects.select_related(
            "court", "judge", "flow", "flow__stage", "flow__team", "flow__assignee"
        )
        .prefetch_related(_parties_prefetch())
        .filter(pk=pk)
        .first()
    )
    if case is None or not permissions.can_view_case(user, case):
        return None
    return case


def case_matters(*, case: EnforcementCase, stage: Stage | None = None) -> QuerySet[CaseMatter]:
    qs = CaseMatter.objects.filter(case=case).select_related("matter_type", "stage")
    if stage is not None:
        qs = qs.filter(stage=stage)
    return qs.order_by("matter_type__category", "matter_type__order", "id")


def matter_related_documents(matter: CaseMatter) -> list[Any]:
    """Documents of the e-file related to a matter (extension point for the documents app).

    Uses ``zhixing.documents.selectors.documents_for_matter(matter)`` when that app provides it;
    until then (or if it fails to import) there are no related documents and the judge writes the 说明.
    Each item needs a ``title`` (str); ``pk``/``id`` is used when present.
    """
    try:
        from zhixing.documents.selectors import documents_for_matter
    except (ImportError, AttributeError):
        return []
    return list(documents_for_matter(matter))


def current_record(case: EnforcementCase) -> StageRecord | None:
    flow = getattr(case, "flow", None)
    if flow is None or flow.stage_id is None:
        return None
    return (
        StageRecord.objects.filter(case=case, stage_id=flow.stage_id, left_at__isnull=True)
        .order_by("-entered_at", "-id")
        .first()
    )


def field_tasks_of_officer(*, user: Any) -> QuerySet[FieldTask]:
    return (
        FieldTask.objects.filter(assigned_to=user)
        .select_related("case", "assigned_by", "matter__matter_type")
        .order_by("status", "due_on", "id")
    )


def field_officers(*, court_id: int) -> list[Any]:
    from django.contrib.auth import get_user_model

    from zhixing.courts.models import Role

    return list(
        get_user_model()
        .objects.filter(
            memberships__court_id=court_id,
            memberships__role=Role.FIELD_OFFICER,
            memberships__is_active=True,
            is_active=True,
        )
        .distinct()
        .order_by("id")
    )


@dataclass(frozen=True)
class StageStats:
    per_stage: list[tuple[str, int]]
    overdue_per_team: list[tuple[str, int]]
    avg_days_per_stage: list[tuple[str, float]]


def stage_statistics(*, court_ids: Iterable[int], today: date | None = None) -> StageStats:
    """Cases per stage, overdue per team, average stage duration. Stages of different courts' sets are
    put together by name (财产查控 of a court's own set and of the default set are one bar)."""
    day = today or timezone.localdate()
    ids = list(court_ids)
    names: list[str] = []
    for s in stages_active(court_ids=ids):
        if s.name not in names:
            names.append(s.name)
    counts = dict(
        CaseFlow.objects.filter(court_id__in=ids, stage__isnull=False, case__status=CaseStatus.ACTIVE)
        .values_list("stage__name")
        .annotate(n=Count("id"))
        .values_list("stage__name", "n")
    )
    overdue = (
        CaseFlow.objects.filter(
            court_id__in=ids, stage__isnull=False, deadline__lt=day, case__status=CaseStatus.ACTIVE
        )
        .values("team__name", "team__court__name")
        .annotate(n=Count("id"))
        .order_by("-n", "team__name")
    )
    duration = ExpressionWrapper(F("left_at") - F("entered_at"), output_field=DurationField())
    avgs = dict(
        StageRecord.objects.filter(case__court_id__in=ids, left_at__isnull=False)
        .values("stage__name")
        .annotate(avg=Avg(duration))
        .values_list("stage__name", "avg")
    )
    multi_court = len(ids) > 1
    return StageStats(
        per_stage=[(name, counts.get(name, 0)) for name in names],
        overdue_per_team=[
            (
                (f"{row['team__court__name']}·" if multi_court else "") + (row["team__name"] or "未分配团队"),
                row["n"],
            )
            for row in overdue
        ],
        avg_days_per_stage=[
            (name, round(avgs[name].total_seconds() / 86400, 1) if avgs.get(name) else 0.0) for name in names
        ],
    )
