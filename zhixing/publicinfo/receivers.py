"""Receivers of the case domain events: publication and removal follow the case automatically.

Each receiver defers its work until the sender's transaction commits (``robust``: a failure here is
logged and never undoes the court's decision); the lists then show the change within the same second.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

from django.db import transaction

from . import services

log = logging.getLogger("zhixing.publicinfo")


def on_case_filed(sender: Any, case: Any, **kwargs: Any) -> None:
    transaction.on_commit(lambda: services.debtors_publish(case=case), robust=True)


def on_measure_decided(sender: Any, case: Any, measure: Any = None, kind: str = "", **kwargs: Any) -> None:
    if kind == "dishonest":
        transaction.on_commit(lambda: services.dishonest_publish(case=case, measure=measure), robust=True)
    elif kind == "consumption_restriction":
        transaction.on_commit(lambda: services.restricted_publish(case=case, measure=measure), robust=True)


def on_measure_lifted(sender: Any, case: Any, measure: Any = None, kind: str = "", **kwargs: Any) -> None:
    transaction.on_commit(lambda: services.measure_lift(case=case, measure=measure, kind=kind), robust=True)


def on_case_closed(
    sender: Any, case: Any, method: str = "", unpaid: Decimal | None = None, **kwargs: Any
) -> None:
    transaction.on_commit(
        lambda: services.case_close_record(case=case, method=method, unpaid=unpaid), robust=True
    )


def on_performance_completed(sender: Any, case: Any, on: Any = None, **kwargs: Any) -> None:
    from django.utils import timezone

    day = on or timezone.localdate()
    transaction.on_commit(lambda: services.performance_record(case=case, on=day), robust=True)
