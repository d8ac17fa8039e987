"""Receivers of the case domain events: publication and removal follow the case automatically.

Each receiver enqueues a task (``zhixing.tasks``) in the sender's transaction; it runs once that commits (a
failure there is logged and retried, and never undoes the court's decision). With the embedded default the
task runs in the same process right after the commit, so the lists show the change within the same second;
with workers on Redis it runs within seconds. The publishing services are idempotent (one published record
per list, case and identity), so a task run again after a worker died publishes nothing twice.
"""

from __future__ import annotations

import logging
from datetime import date
from decimal import Decimal
from typing import Any

from zhixing.tasks.core import task

from . import services

log = logging.getLogger("zhixing.publicinfo")


def _case(case_id: int) -> Any:
    from zhixing.cases.models import EnforcementCase

    return EnforcementCase.objects.filter(pk=case_id).first()


def _measure(measure_id: int | None) -> Any:
    if measure_id is None:
        return None
    from zhixing.workflow.models import CaseMatter

    return CaseMatter.objects.filter(pk=measure_id).first()


@task
def publish_debtors(*, case_id: int) -> None:
    case = _case(case_id)
    if case is not None:
        services.debtors_publish(case=case)


@task
def publish_measure(*, case_id: int, measure_id: int | None, kind: str) -> None:
    case = _case(case_id)
    if case is None:
        return
    measure = _measure(measure_id)
    if kind == "dishonest":
        services.dishonest_publish(case=case, measure=measure)
    elif kind == "consumption_restriction":
        services.restricted_publish(case=case, measure=measure)


@task
def lift_measure(*, case_id: int, measure_id: int | None, kind: str) -> None:
    case = _case(case_id)
    if case is not None:
        services.measure_lift(case=case, measure=_measure(measure_id), kind=kind)


@task
def record_case_closed(*, case_id: int, method: str, unpaid: str | None) -> None:
    case = _case(case_id)
    if case is not None:
        services.case_close_record(
            case=case, method=method, unpaid=Decimal(unpaid) if unpaid is not None else None
        )


@task
def record_performance(*, case_id: int, on: str) -> None:
    case = _case(case_id)
    if case is not None:
        services.performance_record(case=case, on=date.fromisoformat(on))


def on_case_filed(sender: Any, case: Any, **kwargs: Any) -> None:
    publish_debtors.enqueue(case_id=case.pk)


def on_measure_decided(sender: Any, case: Any, measure: Any = None, kind: str = "", **kwargs: Any) -> None:
    if kind in {"dishonest", "consumption_restriction"}:
        publish_measure.enqueue(case_id=case.pk, measure_id=getattr(measure, "pk", None), kind=kind)


def on_measure_lifted(sender: Any, case: Any, measure: Any = None, kind: str = "", **kwargs: Any) -> None:
    lift_measure.enqueue(case_id=case.pk, measure_id=getattr(measure, "pk", None), kind=kind)


def on_case_closed(
    sender: Any, case: Any, method: str = "", unpaid: Decimal | None = None, **kwargs: Any
) -> None:
    record_case_closed.enqueue(
        case_id=case.pk, method=method, unpaid=str(unpaid) if unpaid is not None else None
    )


def on_performance_completed(sender: Any, case: Any, on: Any = None, **kwargs: Any) -> None:
    from django.utils import timezone

    day = on or timezone.localdate()
    record_performance.enqueue(case_id=case.pk, on=day.isoformat())
