from __future__ import annotations

from io import StringIO
from typing import Any

import pytest

from zhixing.publicinfo import demo
from zhixing.publicinfo.models import PublishedRecord

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent(world: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(demo, "SYNTHETIC_PER_LIST", 150)
    demo.seed(StringIO())
    count = PublishedRecord.objects.count()
    for kind in ("debtor", "dishonest", "restricted", "terminated"):
        assert PublishedRecord.objects.filter(kind=kind).count() >= 100, kind
    # The demo cases' respondents are on the 被执行人 list.
    assert PublishedRecord.objects.filter(case=world.unit_case, kind="debtor").exists()
    demo.seed(StringIO())
    assert PublishedRecord.objects.count() == count
