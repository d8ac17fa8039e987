"""案件查询 through the substring indexes answers exactly what a plain LIKE scan answers (both databases)."""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.db import connection

from tests.factories import make_case
from zhixing.cases.models import EnforcementCase, Party
from zhixing.lib import crypto, synth
from zhixing.workflow import search_index
from zhixing.workflow.selectors import case_search

pytestmark = pytest.mark.django_db

NAMES = [
    "张伟",
    "张伟明",
    "王张伟",
    "李四",
    "Abc有限公司",
    "aBC贸易",
    "100%控股公司",
    "下划_线公司",
    '引号"公司',
    "欧阳娜娜",
    "张",
]


def _add_party(case: EnforcementCase, name: str, rng: random.Random) -> Party:
    rid = synth.resident_id(rng)
    return Party.objects.create(
        case=case,
        role=Party.Role.RESPONDENT,
        kind=Party.Kind.NATURAL,
        name=name,
        id_kind=Party.IdKind.RESIDENT_ID,
        id_number=rid,
        id_index=crypto.blind_index(rid),
    )


def _plain_party(user_courts: set[int], text: str) -> set[int]:
    return set(
        EnforcementCase.objects.filter(court_id__in=user_courts, parties__name__contains=text).values_list(
            "pk", flat=True
        )
    )


def _plain_number(user_courts: set[int], text: str) -> set[int]:
    return set(
        EnforcementCase.objects.filter(court_id__in=user_courts, number__contains=text).values_list(
            "pk", flat=True
        )
    )


@pytest.fixture
def corpus(world: Any) -> list[EnforcementCase]:
    rng = random.Random(7)
    cases = []
    for i, name in enumerate(NAMES):
        case = make_case(court=world.court, sequence=200 + i * 37, judge=world.judge)
        _add_party(case, name, rng)
        cases.append(case)
    # A case of another court with the same names: never found by this court's staff.
    other = make_case(court=world.other_court, sequence=999, judge=world.judge_outside)
    _add_party(other, "张伟明", rng)
    return cases


QUERIES = [
    "张",
    "张伟",
    "伟明",
    "张伟明",
    "王张伟明",
    "abc",
    "ABC",
    "Abc有限",
    "%",
    "100%",
    "_",
    "划_线",
    '"',
    '引号"公',
    "欧阳娜娜",
    "李四",
    "无此人",
    "娜",
]


@pytest.mark.parametrize("plan", ["", "collect", "walk"])
@pytest.mark.parametrize("text", QUERIES)
def test_party_search_equals_plain_scan(world: Any, corpus: Any, text: str, plan: str) -> None:
    courts = {world.court.pk}
    expected = _plain_party(courts, text)
    found = list(case_search(user=world.judge, party=text, plan=plan).values_list("pk", flat=True))
    assert set(found) == expected
    # Every plan lists the same cases in the same order (newest 立案日期 first).
    assert found == list(
        EnforcementCase.objects.filter(pk__in=expected)
        .order_by("-filed_on", "-id")
        .values_list("pk", flat=True)
    )


@pytest.mark.parametrize("text", ["执", "2", "23", "237", "执23", "）鲁", "0102执2", "号", "nothing", "%"])
def test_number_search_equals_plain_scan(world: Any, corpus: Any, text: str) -> None:
    courts = {world.court.pk}
    expected = _plain_number(courts, text)
    found = set(case_search(user=world.judge, number=text).values_list("pk", flat=True))
    if text.endswith("号") and text[:-1].isdigit():
        pytest.skip("“N号” is a sequence lookup")
    assert found == expected


def test_indexes_follow_inserts_updates_and_deletes(world: Any, corpus: Any) -> None:
    rng = random.Random(11)
    party = _add_party(corpus[3], "司马相如", rng)
    assert corpus[3].pk in set(case_search(user=world.judge, party="相如").values_list("pk", flat=True))
    assert corpus[3].pk in set(case_search(user=world.judge, party="司马相").values_list("pk", flat=True))
    Party.objects.filter(pk=party.pk).update(name="东方朔")
    for old in ("相如", "司马相"):
        assert corpus[3].pk not in set(case_search(user=world.judge, party=old).values_list("pk", flat=True))
    for new in ("方朔", "东方朔", "朔"):
        assert corpus[3].pk in set(case_search(user=world.judge, party=new).values_list("pk", flat=True))
    Party.objects.filter(pk=party.pk).delete()
    assert corpus[3].pk not in set(case_search(user=world.judge, party="东方朔").values_list("pk", flat=True))
    EnforcementCase.objects.filter(pk=corpus[4].pk).update(number="（2031）鲁0102执77777号")
    assert set(case_search(user=world.judge, number="7777").values_list("pk", flat=True)) == {corpus[4].pk}


def test_ensure_is_idempotent_and_repairs_dropped_triggers(world: Any, corpus: Any) -> None:
    assert search_index.ensure(connection) == []
    if connection.vendor != "sqlite":
        return
    # What a table rebuild by a later migration does: the triggers vanish with the old table.
    with connection.cursor() as cur:
        cur.execute("DROP TRIGGER workflow_party_name_fts_ai")
        cur.execute("DROP TRIGGER workflow_party_name_gram_ai")
    rng = random.Random(5)
    _add_party(corpus[0], "诸葛孔明", rng)  # written while the triggers are missing
    repaired = search_index.ensure(connection)
    assert set(repaired) == {"workflow_party_name_fts", "workflow_party_name_gram"}
    for text in ("孔明", "诸葛孔明"):
        assert corpus[0].pk in set(case_search(user=world.judge, party=text).values_list("pk", flat=True))


def test_search_uses_the_indexes(world: Any, corpus: Any) -> None:
    """The query plans name the substring indexes (no full scan of the party table for these)."""
    qs = case_search(user=world.judge, party="张伟明").values_list("pk", flat=True)
    sql, _params = qs.query.sql_with_params()
    if connection.vendor == "sqlite":
        assert "workflow_party_name_fts" in sql
        short = case_search(user=world.judge, party="张伟").values_list("pk", flat=True)
        assert "workflow_party_name_gram" in str(short.query)
    else:
        short = case_search(user=world.judge, party="张伟").values_list("pk", flat=True)
        assert "workflow_short_grams" in str(short.query)
        with connection.cursor() as cur:
            cur.execute(
                "SELECT indexname FROM pg_indexes WHERE indexname IN "
                "('workflow_party_name_trgm', 'workflow_case_number_trgm', 'workflow_party_name_grams', 'workflow_case_id_status_filed')"
            )
            assert len(cur.fetchall()) == 4
