"""Demo data: the demo cases' respondents on the 被执行人 list, a few 失信, 限消 and 终本 records of demo
cases, and a few thousand synthetic records in each list so queries show results (idempotent)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from zhixing.cases.models import EnforcementCase, Party

from . import services
from .importer import Context, RowError, _PostgresWriter, _SqliteWriter, validate_row
from .models import ListKind, PublishedRecord
from .synthetic import synthetic_rows

SYNTHETIC_PER_LIST = 2000
DEMO_SEED = 20240601


def seed(out: Any) -> None:
    before = PublishedRecord.objects.count()
    cases = list(EnforcementCase.objects.prefetch_related("parties").select_related("court").order_by("id"))
    for case in cases:
        if case.status != "closed":
            services.debtors_publish(case=case, actor="seed_demo")
    natural_cases = [
        c
        for c in cases
        if any(p.role == Party.Role.RESPONDENT and p.kind == Party.Kind.NATURAL for p in c.parties.all())
    ]
    for n, case in enumerate(natural_cases[:8]):
        measure = SimpleNamespace(
            pk=None,
            completed_on=None,
            data={"grounds": [1] if n % 2 else [1, 4], "conduct": ""},
        )
        services.dishonest_publish(case=case, measure=measure, actor="seed_demo")
        services.restricted_publish(case=case, measure=SimpleNamespace(pk=None, data={}), actor="seed_demo")
    for case in cases:
        if case.closure_method == "terminated_this_round":
            services.terminated_publish(case=case, unpaid=case.amount, actor="seed_demo")
    now = timezone.now()
    from zhixing.courts.models import Court

    ctx_courts = dict(Court.objects.values_list("case_code", "id"))
    writer = _PostgresWriter() if connection.vendor == "postgresql" else _SqliteWriter()
    for kind in ListKind.values:
        ctx = Context(kind=kind, today=timezone.localdate(now), now=now, courts=ctx_courts)
        rows = []
        for raw in synthetic_rows(kind, SYNTHETIC_PER_LIST, seed=DEMO_SEED, today=ctx.today):
            try:
                rows.append(validate_row(raw, ctx))
            except RowError:
                continue
        with transaction.atomic():
            writer.write(rows)
    out.write(
        f"  公布信息新增 {PublishedRecord.objects.count() - before} 条（共 {PublishedRecord.objects.count()} 条）"
    )
