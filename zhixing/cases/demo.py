"""About sixty demo cases with parties and progress nodes in assorted states (deterministic)."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from zhixing.courts.models import Court
from zhixing.lib import synth

from .models import CaseStatus, ClosureMethod, EnforcementCase, ProgressNode
from .services import PartyInput, case_file, party_link_user

# The demo unit (法人) and its case: log in with this credit code and query code (see README).
DEMO_UNIT_NAME = "济南鑫源建筑工程有限公司"
DEMO_UNIT_CODE = "91370102MA3C8KXX5L"
DEMO_UNIT_CASE = "（2024）鲁0102执100号"
DEMO_UNIT_QUERY_CODE = "ZX7K2M9P4QRT"

# The verified demo party (13800000001) and the party who can still verify (13800000003).
VERIFIED_PARTY = ("张伟", "37010219850307123X")
LATER_PARTY = ("李娜", "370103199005124563")

CAUSES = [
    "民间借贷纠纷",
    "买卖合同纠纷",
    "金融借款合同纠纷",
    "建设工程施工合同纠纷",
    "劳动争议",
    "租赁合同纠纷",
    "机动车交通事故责任纠纷",
]
STAGE_NODES = ["财产查控", "财产处置", "案款分配", "结案归档"]


def seed(out: Any) -> None:
    rng = random.Random(20240601)
    User = get_user_model()
    courts = {c.case_code: c for c in Court.objects.filter(case_code__in=["鲁0102", "鲁0103", "鲁01"])}
    judges = {
        "鲁0102": list(
            User.objects.filter(
                username__in=["judge_wang", "judge_li", "judge_zhao", "judge_chen", "judge_liu"]
            ).order_by("username")
        ),
        "鲁0103": list(User.objects.filter(username="judge_ma")),
        "鲁01": list(User.objects.filter(username="judge_luo")),
    }
    today = timezone.localdate()
    unit_code = DEMO_UNIT_CODE
    created = 0
    plan = [("鲁0102", 44), ("鲁0103", 10), ("鲁01", 6)]
    index = 0
    for court_code, count in plan:
        court = courts[court_code]
        for n in range(count):
            index += 1
            year = 2025 if n % 3 else 2024
            seq = 100 + n
            number = f"（{year}）{court_code}执{seq}号"
            if EnforcementCase.objects.filter(number=number).exists():
                continue
            filed_on = date(year, 1, 1) + timedelta(days=rng.randint(0, 300))
            filed_on = min(filed_on, today - timedelta(days=5))
            parties = _parties(rng, court, index, number, unit_code)
            case = case_file(
                actor="seed_demo",
                court=court,
                number=number,
                filed_on=filed_on,
                basis_title=rng.choice(["民事判决书", "民事调解书", "民事裁定书", "仲裁裁决书"]),
                basis_issuer=court.name if rng.random() < 0.7 else "济南仲裁委员会",
                basis_number=f"（{year - 1}）{court_code}民初{rng.randint(100, 9999)}号",
                basis_effective_on=filed_on - timedelta(days=rng.randint(20, 90)),
                amount=Decimal(rng.choice([8000, 35000, 120000, 560000, 1280000, 3600000, 12500000]))
                + Decimal(rng.randint(0, 99)) / 100,
                cause=rng.choice(CAUSES),
                parties=parties,
                judge=rng.choice(judges[court_code]) if judges[court_code] else None,
                filed_at=timezone.make_aware(datetime.combine(filed_on, time(9, 30))),
            )
            if number == DEMO_UNIT_CASE:
                case.query_code = DEMO_UNIT_QUERY_CODE
                case.save(update_fields=["query_code"])
            _advance(rng, case, index)
            created += 1
    for user in User.objects.filter(verified_at__isnull=False).exclude(id_index=""):
        party_link_user(actor="seed_demo", user=user)
    out.write(f"  新建演示案件 {created} 件（共 {EnforcementCase.objects.count()} 件）")


def _parties(rng: random.Random, court: Court, index: int, number: str, unit_code: str) -> list[PartyInput]:
    applicant: PartyInput
    respondent: PartyInput
    if number == DEMO_UNIT_CASE:
        applicant = PartyInput(
            role="applicant",
            kind="legal",
            name=DEMO_UNIT_NAME,
            id_number=unit_code,
            legal_representative="韩立新",
            address="济南市历下区泉城路 88 号",
        )
    elif index % 7 == 1:
        applicant = PartyInput(
            role="applicant",
            kind="natural",
            name=VERIFIED_PARTY[0],
            id_number=VERIFIED_PARTY[1],
            phone="13800000001",
            address="济南市历下区解放路 12 号",
        )
    elif index % 11 == 2:
        applicant = PartyInput(
            role="applicant",
            kind="natural",
            name=LATER_PARTY[0],
            id_number=LATER_PARTY[1],
            phone="13800000003",
            address="济南市市中区经七路 5 号",
        )
    elif rng.random() < 0.4:
        applicant = PartyInput(
            role="applicant",
            kind="legal",
            name=synth.company_name(rng),
            id_number=synth.credit_code(rng, region=court.region_code),
            legal_representative=synth.chinese_name(rng),
        )
    else:
        applicant = PartyInput(
            role="applicant",
            kind="natural",
            name=synth.chinese_name(rng),
            id_number=synth.resident_id(rng, region=court.region_code),
        )
    if index % 13 == 5:
        respondent = PartyInput(
            role="respondent", kind="natural", name=VERIFIED_PARTY[0], id_number=VERIFIED_PARTY[1]
        )
    elif rng.random() < 0.45:
        respondent = PartyInput(
            role="respondent",
            kind="legal",
            name=synth.company_name(rng),
            id_number=synth.credit_code(rng, region=court.region_code),
            legal_representative=synth.chinese_name(rng),
        )
    else:
        respondent = PartyInput(
            role="respondent",
            kind="natural",
            name=synth.chinese_name(rng),
            id_number=synth.resident_id(rng, region=court.region_code),
            address="济南市",
        )
    return [applicant, respondent]


def _advance(rng: random.Random, case: EnforcementCase, index: int) -> None:
    """Give the case a believable state: pending, in one of the stages, or closed."""
    bucket = index % 6
    if bucket == 0:
        return  # 待接收
    start = timezone.make_aware(datetime.combine(case.filed_on, time(10, 0)))
    stages = {1: 1, 2: 1, 3: 2, 4: 3, 5: 4}[bucket]
    at = start + timedelta(days=1)
    for i, name in enumerate(STAGE_NODES[:stages], start=1):
        done = at + timedelta(days=rng.randint(10, 40)) if (bucket == 5 or i < stages) else None
        ProgressNode.objects.create(case=case, name=name, sequence=i, started_at=at, completed_at=done)
        at = done or at
    case.status = CaseStatus.ACTIVE
    if bucket == 5:
        case.status = CaseStatus.CLOSED
        case.closure_method = rng.choice(
            [ClosureMethod.FULFILLED, ClosureMethod.TERMINATED_THIS_ROUND, ClosureMethod.FULFILLED]
        )
        case.closed_on = min(at.date(), timezone.localdate())
        ProgressNode.objects.create(
            case=case,
            name="结案",
            sequence=len(STAGE_NODES) + 1,
            started_at=at,
            completed_at=at,
            note=case.get_closure_method_display(),
        )
    case.save(update_fields=["status", "closure_method", "closed_on", "updated_at"])
