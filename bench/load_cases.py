"""Fresh cases for the judges' real 提交 in bench/load_mix.py, filed and received through the real services.

Run with the environment of the instance under load (its prod.env), before the measured window:

    set -a; . var/bench-load/prod.env; set +a
    .venv/bin/python bench/load_cases.py --count 60            # prints {"pool": {username: [case ids]}, ...}
    .venv/bin/python bench/load_cases.py --check 12,13,14      # where those cases are now (after the run)

Each case is filed (立案: case_file — parties, 立案 node, audit event) at 济南市历下区人民法院 with one of the
财产查控 judges as 承办法官, then received by that judge (case_receive: the routing rule puts it into the first
stage, 财产查控, with the team's least-loaded member as assignee and a deadline). The pool maps each assignee to
the cases only that judge may submit, so in the load test every case is submitted exactly once, by a user who
is allowed to. Nothing here is a test; it writes real rows into the instance's database.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

COURT_CODE = "鲁0102"  # 济南市历下区人民法院 of the demo data
FIRST_STAGE = "asset_control"


def prepare(count: int, seed: int) -> dict[str, object]:
    from django.contrib.auth import get_user_model
    from django.db.models import Max
    from django.utils import timezone

    from zhixing.cases.models import EnforcementCase, Party
    from zhixing.cases.services import PartyInput, case_file
    from zhixing.courts.models import Court, Membership
    from zhixing.lib import synth
    from zhixing.workflow.services import case_receive

    rng = random.Random(seed)
    court = Court.objects.get(case_code=COURT_CODE)
    judge_ids = list(
        Membership.objects.filter(
            court=court, team__team_type__code=FIRST_STAGE, is_active=True, user__is_active=True
        ).values_list("user_id", flat=True)
    )
    judges = list(get_user_model().objects.filter(pk__in=judge_ids).order_by("username"))
    if not judges:
        raise SystemExit(f"{COURT_CODE} 没有财产查控团队的法官：请先加载演示数据（seed_demo）。")
    today = timezone.localdate()
    last = (
        EnforcementCase.objects.filter(court=court, year=today.year, case_type="执").aggregate(
            m=Max("sequence")
        )["m"]
        or 0
    )
    pool: dict[str, list[int]] = {}
    for i in range(count):
        judge = judges[i % len(judges)]
        applicant = synth.chinese_name(rng)
        debtor = synth.company_name(rng)
        case = case_file(
            actor=judge,
            court=court,
            number=f"（{today.year}）{COURT_CODE}执{last + 1 + i}号",
            filed_on=today,
            basis_issuer="济南市历下区人民法院",
            basis_number=f"（{today.year - 1}）{COURT_CODE}民初{rng.randrange(1000, 9999)}号",
            basis_title="民事判决书",
            amount=f"{rng.randrange(10_000, 900_000)}.00",
            cause="买卖合同纠纷",
            parties=[
                PartyInput(
                    role=Party.Role.APPLICANT,
                    kind=Party.Kind.NATURAL,
                    name=applicant,
                    id_number=synth.resident_id(rng),
                ),
                PartyInput(
                    role=Party.Role.RESPONDENT,
                    kind=Party.Kind.LEGAL,
                    name=debtor,
                    id_number=synth.credit_code(rng),
                    legal_representative=synth.chinese_name(rng),
                ),
            ],
            judge=judge,
        )
        flow = case_receive(actor=judge, case_id=case.pk)
        if flow is None or flow.stage is None or flow.stage.code != FIRST_STAGE or flow.assignee is None:
            raise SystemExit(f"{case.number} 接收后未进入财产查控阶段：检查分流规则。")
        pool.setdefault(flow.assignee.username, []).append(case.pk)
    return {"court": COURT_CODE, "stage": FIRST_STAGE, "pool": pool}


def check(ids: list[int]) -> dict[str, int]:
    from django.db.models import Count

    from zhixing.workflow.models import CaseFlow

    rows = CaseFlow.objects.filter(case_id__in=ids).values("stage__code").annotate(n=Count("id"))
    return {str(r["stage__code"]): r["n"] for r in rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=0, help="file and receive this many cases")
    parser.add_argument("--seed", type=int, default=int.from_bytes(os.urandom(4), "big"))
    parser.add_argument("--check", default="", help="comma-separated case ids: count them by current stage")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhixing.settings")
    import django

    django.setup()
    if args.check:
        print(json.dumps(check([int(x) for x in args.check.split(",") if x.strip()])))
    else:
        print(json.dumps(prepare(args.count, args.seed), ensure_ascii=False))


if __name__ == "__main__":
    main()
