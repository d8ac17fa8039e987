from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from zhixing.cases.models import EnforcementCase
from zhixing.cases.signals import measure_decided
from zhixing.lib import synth
from zhixing.workflow.models import CaseMatter, MatterCategory, MatterType

from ..factories import make_case

RESPONDENT = ("王建国", "370102198203154519")
MINOR = ("王小明", "370102201506011237")


@pytest.fixture(autouse=True)
def _clean_limits(settings: Any) -> Any:
    from zhixing.publicinfo.api import ANSWERS

    cache.clear()
    ANSWERS.clear()
    settings.PUBLICINFO_THROTTLE = True
    settings.PUBLICINFO_CAPTCHA_AFTER = 1000
    settings.PUBLICINFO_LIMIT_PER_MINUTE = 1000
    settings.PUBLICINFO_LIMIT_PER_HOUR = 10000
    # Tests change records between queries; the answer cache has its own tests (test_fast_paths.py).
    settings.PUBLICINFO_CACHE_SECONDS = 0
    yield
    cache.clear()
    ANSWERS.clear()


@pytest.fixture
def dishonest_type(db: Any) -> MatterType:
    mt, _ = MatterType.objects.get_or_create(
        code="dishonest", defaults={"name": "纳入失信名单", "category": MatterCategory.COERCIVE}
    )
    return mt


@pytest.fixture
def restriction_type(db: Any) -> MatterType:
    mt, _ = MatterType.objects.get_or_create(
        code="consumption_restriction", defaults={"name": "限制消费", "category": MatterCategory.COERCIVE}
    )
    return mt


@pytest.fixture
def respondent_case(world: Any, django_capture_on_commit_callbacks: Any) -> EnforcementCase:
    """A case against 王建国, filed with the case_filed signal delivered (debtor published)."""
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(
            court=world.court, sequence=50, respondent=RESPONDENT, judge=world.judge, amount="250000.00"
        )
    return case


@pytest.fixture
def decide(django_capture_on_commit_callbacks: Any) -> Callable[..., CaseMatter]:
    """Simulate the workbench: create a CaseMatter and send measure_decided, delivering on commit."""

    def _decide(
        case: EnforcementCase, matter_type: MatterType, kind: str, on: date | None = None, **data: Any
    ) -> CaseMatter:
        day = on or timezone.localdate()
        matter = CaseMatter.objects.create(
            case=case, matter_type=matter_type, status="done", data=data, started_on=day, completed_on=day
        )
        with django_capture_on_commit_callbacks(execute=True):
            measure_decided.send(sender=EnforcementCase, case=case, measure=matter, kind=kind)
        return matter

    return _decide


def random_people(n: int, seed: int = 3) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    return [(synth.chinese_name(rng), synth.resident_id(rng)) for _ in range(n)]
