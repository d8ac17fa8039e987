"""Workbench benchmark: 100,000 cases in one court; time a team page and 全院案件 searches.

    .venv/bin/python bench/workbench_bench.py            # both databases (SQLite file + PostgreSQL)
    .venv/bin/python bench/workbench_bench.py sqlite     # one of them
    .venv/bin/python bench/workbench_bench.py postgres
    BENCH_OWN_NAV=1 …                                    # without other apps' menu-visibility queries

Uses its own databases (var/bench_workbench.sqlite3, PostgreSQL zx_bench_workbench); data is generated
once with bulk_create and synthetic identities from zhixing.lib.synth, then reused. Requests go through
the Django test client (full middleware, templates, permission checks), so the figures are page times
without the network. Target: p95 ≤ 100 ms.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
N_CASES = int(os.environ.get("BENCH_CASES", "100000"))
RUNS = int(os.environ.get("BENCH_RUNS", "40"))
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/zx_bench_workbench")
SQLITE_PATH = ROOT / "var" / "bench_workbench.sqlite3"
COURT_CODE = "鲁0199"


def _ensure_pg_database() -> None:
    import psycopg

    name = PG_URL.rsplit("/", 1)[1]
    admin_url = PG_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _setup(engine: str) -> None:
    sys.path.insert(0, str(ROOT))
    if engine == "postgres":
        _ensure_pg_database()
        os.environ["DATABASE_URL"] = PG_URL
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{SQLITE_PATH}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhixing.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _generate() -> None:
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from zhixing.cases.models import CaseStatus, EnforcementCase, Party
    from zhixing.courts.models import Court, Membership, Role, Team, TeamType
    from zhixing.lib import crypto, synth
    from zhixing.workflow.models import CaseFlow, Stage

    court, _ = Court.objects.get_or_create(
        case_code=COURT_CODE,
        defaults={
            "name": "基准测试区人民法院",
            "level": Court.Level.BASIC,
            "region_code": "370199",
            "province": "山东省",
        },
    )
    have = EnforcementCase.objects.filter(court=court).count()
    if have >= N_CASES:
        return
    print(f"  生成 {N_CASES} 件案件 …", flush=True)
    started = time.perf_counter()
    rng = random.Random(20261122)
    User = get_user_model()
    stages = list(Stage.objects.filter(is_active=True).order_by("order"))
    teams: dict[str, Team] = {}
    members: dict[str, list] = {}
    for order, stage in enumerate(stages):
        tt, _ = TeamType.objects.get_or_create(
            code=stage.team_type_code, defaults={"name": stage.name, "order": order}
        )
        teams[stage.code], _ = Team.objects.get_or_create(
            court=court, name=f"{stage.name}团队", defaults={"team_type": tt}
        )
        members[stage.code] = []
        for i in range(8):
            user, _ = User.objects.get_or_create(
                username=f"bench_{stage.code}_{i}",
                defaults={"kind": "staff", "display_name": synth.chinese_name(rng)},
            )
            Membership.objects.get_or_create(user=user, court=court, team=teams[stage.code], role=Role.JUDGE)
            members[stage.code].append(user)
        lead, _ = User.objects.get_or_create(
            username=f"bench_{stage.code}_lead", defaults={"kind": "staff", "display_name": "团队长"}
        )
        Membership.objects.get_or_create(user=lead, court=court, team=teams[stage.code], role=Role.TEAM_LEAD)
    leader, _ = User.objects.get_or_create(
        username="bench_president", defaults={"kind": "staff", "display_name": "院长"}
    )
    Membership.objects.get_or_create(user=leader, court=court, role=Role.COURT_LEADER)
    today = timezone.localdate()
    batch = 5000
    seq = have
    while seq < N_CASES:
        cases = []
        for _ in range(min(batch, N_CASES - seq)):
            seq += 1
            year = 2020 + seq % 7
            filed = date(year, 1, 1) + timedelta(days=rng.randint(0, 360))
            filed = min(filed, today - timedelta(days=1))
            closed = rng.random() < 0.3
            cases.append(
                EnforcementCase(
                    number=f"（{year}）{COURT_CODE}执{seq}号",
                    year=year,
                    court_code=COURT_CODE,
                    case_type="执",
                    sequence=seq,
                    court=court,
                    filed_on=filed,
                    basis_issuer=court.name,
                    basis_number=f"（{year - 1}）{COURT_CODE}民初{seq}号",
                    amount=Decimal(rng.randint(1000, 5_000_000)),
                    status=CaseStatus.CLOSED if closed else CaseStatus.ACTIVE,
                    judge=rng.choice(members[stages[0].code]),
                    query_code=f"B{seq:011d}",
                )
            )
        with transaction.atomic():
            EnforcementCase.objects.bulk_create(cases, batch_size=1000)
            cases = list(
                EnforcementCase.objects.filter(court=court, sequence__gt=seq - len(cases), sequence__lte=seq)
            )
            parties = []
            flows = []
            for case in cases:
                for role in ("applicant", "respondent"):
                    name = synth.chinese_name(rng)
                    rid = synth.resident_id(rng, region="370102")
                    parties.append(
                        Party(
                            case=case,
                            role=role,
                            kind="natural",
                            name=name,
                            id_kind="resident_id",
                            id_number=rid,
                            id_index=crypto.blind_index(rid),
                        )
                    )
                stage = stages[rng.choices(range(len(stages)), weights=[5, 2, 2, 1])[0]]
                entered = timezone.now() - timedelta(days=rng.randint(0, stage.deadline_days + 30))
                active = case.status == CaseStatus.ACTIVE
                flows.append(
                    CaseFlow(
                        case=case,
                        court=court,
                        stage=stage if active else None,
                        team=teams[stage.code] if active else None,
                        assignee=rng.choice(members[stage.code]) if active else None,
                        entered_at=entered,
                        deadline=timezone.localdate(entered) + timedelta(days=stage.deadline_days),
                        version=1,
                        finished_at=None if active else entered,
                    )
                )
            Party.objects.bulk_create(parties, batch_size=2000)
            CaseFlow.objects.bulk_create(flows, batch_size=2000)
        print(f"    {seq}/{N_CASES}", flush=True)
    print(f"  生成完毕，用时 {time.perf_counter() - started:.0f} 秒", flush=True)


def _analyze() -> None:
    """Statistics (and on PostgreSQL the visibility map, so counts can be index-only) as a database in
    steady state has them after autovacuum; cheap when nothing changed."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def _time(client: Any, url: str) -> tuple[list[float], list[float], list[float]]:
    from django.db import connection

    for _ in range(3):  # warm caches
        assert client.get(url).status_code == 200, url
    samples = []
    cpu = []
    sql = []
    spent = [0.0]

    def timer(execute: Any, query: Any, params: Any, many: Any, context: Any) -> Any:
        t = time.perf_counter()
        try:
            return execute(query, params, many, context)
        finally:
            spent[0] += time.perf_counter() - t

    for _ in range(RUNS):
        spent[0] = 0.0
        t0, c0 = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(timer):
            response = client.get(url)
        samples.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        sql.append(spent[0] * 1000)
        assert response.status_code == 200, url
    return samples, cpu, sql


def _pct(samples: list[float]) -> tuple[float, float]:
    samples = sorted(samples)
    return statistics.median(samples), samples[max(0, round(0.95 * len(samples)) - 1)]


def _report(label: str, timings: tuple[list[float], list[float], list[float]]) -> None:
    """Wall clock (what a user waits), this process's CPU time (what the page costs without contention
    from other processes on the machine; on SQLite it includes the database work, on PostgreSQL not) and
    the wall time spent inside SQL calls (the database's share, contention included)."""
    p50, p95 = _pct(timings[0])
    c50, c95 = _pct(timings[1])
    s50, s95 = _pct(timings[2])
    flag = "OK" if p95 <= 100 else "超出目标"
    print(
        f"  {label:<30} 墙钟 p50 {p50:7.1f} ms  p95 {p95:7.1f} ms {flag:<5}  进程CPU p50 {c50:6.1f} ms  "
        f"p95 {c95:6.1f} ms  SQL p50 {s50:6.1f} ms  p95 {s95:6.1f} ms",
        flush=True,
    )


def run(engine: str) -> None:
    _setup(engine)
    _generate()
    _analyze()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from zhixing.cases.models import EnforcementCase
    from zhixing.workflow.models import Stage

    User = get_user_model()
    own_nav = os.environ.get("BENCH_OWN_NAV") == "1"
    if own_nav:
        # Menu entries of other apps run their own visibility queries on every workbench page; this mode
        # measures the workflow pages themselves (menu limited to the workflow and workbench entries).
        from zhixing.lib import nav

        nav._workbench[:] = [
            i for i in nav._workbench if i.url_name.split(":")[0] in ("workflow", "workbench")
        ]
    total = EnforcementCase.objects.filter(court__case_code=COURT_CODE).count()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    print(
        f"[{engine}] {connection.vendor}，本院案件 {total} 件，每项 {RUNS} 次；开始时系统负载 {load:.1f}"
        f"（{os.cpu_count()} 核）{'；菜单仅含分段执行与工作台项' if own_nav else '；完整菜单'}",
        flush=True,
    )
    member = Client()
    member.force_login(User.objects.get(username="bench_asset_control_0"))
    lead = Client()
    lead.force_login(User.objects.get(username="bench_asset_control_lead"))
    president = Client()
    president.force_login(User.objects.get(username="bench_president"))
    stage_id = Stage.objects.get(code="asset_disposal").pk
    some = EnforcementCase.objects.filter(court__case_code=COURT_CODE).order_by("id")[N_CASES // 2]
    first_party = some.parties.order_by("id").first()
    assert first_party is not None
    party = first_party.name
    two = party[:2]  # a two-character fragment (张伟): no trigram, answered by the gram index
    scenarios = [
        ("财产查控·团队成员", member, "/workbench/flow/team/asset_control/"),
        ("财产查控·团队负责人", lead, "/workbench/flow/team/asset_control/"),
        ("财产查控·负责人第 50 页", lead, "/workbench/flow/team/asset_control/?page=50"),
        ("全院案件·默认", president, "/workbench/cases/"),
        ("全院案件·阶段+超期", president, f"/workbench/cases/?stage={stage_id}&deadline_state=overdue"),
        ("全院案件·完整案号", president, f"/workbench/cases/?number={some.number}"),
        ("全院案件·案号片段", president, f"/workbench/cases/?number={str(some.sequence)[:-1]}"),
        ("全院案件·当事人", president, f"/workbench/cases/?party={party}"),
        ("全院案件·当事人两字", president, f"/workbench/cases/?party={two}"),
        ("全院案件·当事人单字", president, f"/workbench/cases/?party={party[:1]}"),
        # Past the counted 1,000 rows (“超过 N 件”): the page is collected and sorted, not walked.
        ("全院案件·当事人单字第 60 页", president, f"/workbench/cases/?party={party[:1]}&page=60"),
        ("案件查询·当事人+阶段", president, f"/workbench/flow/search/?party={two}&stage={stage_id}"),
        ("全院案件·立案日期", president, "/workbench/cases/?filed_from=2023-03-01&filed_to=2023-03-31"),
    ]
    for label, client, url in scenarios:
        count = [0]

        def counter(
            execute: Any, sql: Any, params: Any, many: Any, context: Any, count: list[int] = count
        ) -> Any:
            count[0] += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            client.get(url)
        samples = _time(client, url)
        _report(f"{label}（{count[0]} 条查询）", samples)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    print(f"[{engine}] 结束时系统负载 {load:.1f}", flush=True)


def main() -> None:
    engines = sys.argv[1:] or ["sqlite", "postgres"]
    if len(engines) == 1:
        run(engines[0])
        return
    for engine in engines:
        subprocess.run([sys.executable, __file__, engine], check=True, cwd=ROOT)


if __name__ == "__main__":
    main()
