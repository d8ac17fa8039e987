"""Pagination whose count stops early: a search matching 14,000 of a court's 100,000 cases (a surname)
need not count them all to show twenty.

``CappedPaginator`` counts at most ``limit`` rows (``SELECT COUNT(*) FROM (… LIMIT limit)``), where
``limit`` is one more than ``max(cap, requested page × per page)``: the count is exact whenever it is
smaller than that (the usual case: a name, a 案号, a date range), and otherwise the page says
“超过 N 件” — still enough to know the requested page exists and that another page follows it, so the
previous/next links stay correct on every page and the query count per page stays constant (one
count, one page of ids).
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import Paginator

COUNT_CAP = 1000  # rows counted exactly before a listing says “超过 N 件” (50 pages of 20)
MAX_PAGE = 1_000_000  # a page number beyond this is treated as this (keeps LIMIT in range)


def requested_page(value: Any) -> int:
    """The page number asked for, as ``Paginator.get_page`` reads it (anything invalid is page 1)."""
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), MAX_PAGE)


class CappedPaginator(Paginator):
    """A ``Paginator`` whose ``count`` is capped; ``capped`` tells whether more rows exist than counted.

    ``count_list`` (default: the object list) is what is counted — the same rows, possibly written for
    a plan that suits counting (see ``selectors.case_search``'s ``plan``).
    """

    def __init__(
        self,
        object_list: Any,
        per_page: int,
        *,
        page: Any = None,
        cap: int | None = None,
        count_list: Any = None,
    ) -> None:
        super().__init__(object_list, per_page)
        self.requested = requested_page(page)
        self.cap = COUNT_CAP if cap is None else cap
        self.limit = max(self.cap, self.requested * int(per_page)) + 1
        self.count_list = object_list if count_list is None else count_list

    @cached_property
    def count(self) -> int:
        # order_by(): the rows counted are the same whatever their order, and an ORDER BY inside the
        # LIMITed subquery would make the database sort every match before counting.
        return int(self.count_list.order_by()[: self.limit].count())

    @property
    def capped(self) -> bool:
        """More rows exist than were counted (the count shown is a lower bound)."""
        return self.count >= self.limit

    @property
    def floor(self) -> int:
        """With ``capped``: the listing has more than this many rows."""
        return self.limit - 1

    @property
    def shallow(self) -> bool:
        """Many rows match and the requested page is among the first ``cap`` rows: reading the rows in
        order and stopping after the page beats collecting and sorting every match."""
        return self.capped and self.requested * int(self.per_page) <= self.cap
