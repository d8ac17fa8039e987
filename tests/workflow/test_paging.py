"""Capped counts: exact below the cap, “超过 N 件” above it, and every page still holds exactly the rows
an uncapped listing would show there."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from zhixing.lib import synth
from zhixing.workflow import paging, selectors

from .conftest import new_case

pytestmark = pytest.mark.django_db


def _cases(world: Any, count: int, start: int = 300) -> None:
    today = timezone.localdate()
    rng = random.Random(start)
    for i in range(count):
        applicant = ("张三丰", synth.resident_id(rng))
        new_case(world, start + i, applicant=applicant, filed_on=today - timedelta(days=1 + i % 4))


def _ids(world: Any, plan: str, **filters: Any) -> Any:
    return selectors.case_search(user=world.judge, plan=plan, **filters).values_list("pk", flat=True)


@pytest.mark.parametrize("party", ["", "张", "三丰"])
def test_capped_pages_equal_the_plain_listing(world: Any, party: str) -> None:
    _cases(world, 12)
    filters = {"party": party} if party else {}
    everything = list(_ids(world, "", **filters))
    n = len(everything)
    assert n >= 12
    per = 3
    last = -(-n // per)
    for number in range(1, last + 2):
        paginator = paging.CappedPaginator(
            _ids(world, "", **filters),
            per,
            page=number,
            cap=5,
            count_list=_ids(world, selectors.Plan.COLLECT, **filters),
        )
        paginator.object_list = _ids(
            world, selectors.Plan.WALK if paginator.shallow else selectors.Plan.COLLECT, **filters
        )
        page = paginator.get_page(number)
        limit = max(5, number * per)
        if number <= last:
            assert paginator.capped == (n > limit)
            assert paginator.shallow == (n > limit and number * per <= 5)
            assert page.number == number
            assert list(page.object_list) == everything[(number - 1) * per : number * per]
            assert page.has_next() == (number < last)
            assert page.has_previous() == (number > 1)
        else:  # past the end: the last page, with the exact count
            assert not paginator.capped and page.number == last
        if paginator.capped:
            assert paginator.count == limit + 1 and paginator.floor == limit
        else:
            assert paginator.count == n


def test_exact_count_below_the_cap(world: Any) -> None:
    _cases(world, 4)
    paginator = paging.CappedPaginator(_ids(world, "", party="三丰"), 20, page="1", cap=5)
    assert paginator.count == 4 and not paginator.capped and not paginator.shallow
    assert paginator.num_pages == 1


@pytest.mark.parametrize("value", [None, "", "abc", "-3", "0", "1", "10" * 20])
def test_requested_page_is_bounded(value: Any) -> None:
    number = paging.requested_page(value)
    assert 1 <= number <= paging.MAX_PAGE


def test_search_page_says_more_than_n_with_working_links(
    world: Any, stages: Any, as_user: Any, monkeypatch: Any
) -> None:
    client = as_user(world.team_lead)
    url = reverse("workbench:cases")
    _cases(world, 3)
    with CaptureQueriesContext(connection) as few:
        html = client.get(url, {"party": "三丰"}).content.decode()
    assert "共 3 件，第 1/1 页" in html
    monkeypatch.setattr(paging, "COUNT_CAP", 10)
    _cases(world, 20, start=400)  # 23 cases: more than max(10, 20) + 1 = 21
    with CaptureQueriesContext(connection) as many:
        html = client.get(url, {"party": "三丰"}).content.decode()
    assert "超过 20 件，第 1 页" in html
    assert "page=2" in html  # 下一页
    assert len(many.captured_queries) == len(few.captured_queries)
    # Page 2: counted up to 40 + 1 rows, so the count is exact again (23) and there is no page 3.
    html = client.get(url, {"party": "三丰", "page": "2"}).content.decode()
    assert "共 23 件，第 2/2 页" in html and "page=1" in html and "page=3" not in html
    listed = [c.pk for c in selectors.case_search(user=world.team_lead, party="三丰")]
    assert len(listed) == 23
