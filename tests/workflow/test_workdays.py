"""Working-day arithmetic: known answers from the State Council holiday arrangements."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhixing.lib.workdays import add_working_days, add_years, day_info, deadline_for, is_workday, year_covered


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (date(2025, 9, 26), 1, date(2025, 9, 28)),  # Sunday 28 Sep 2025 is a make-up working day
        (date(2025, 9, 30), 1, date(2025, 10, 9)),  # National Day + Mid-Autumn 1–8 Oct 2025
        (date(2026, 1, 30), 5, date(2026, 2, 6)),  # ordinary weeks
        (date(2025, 1, 24), 2, date(2025, 1, 27)),  # 26 Jan 2025 (Sunday) make-up day
        (date(2024, 12, 31), 0, date(2024, 12, 31)),
        (date(2025, 1, 1), 0, date(2025, 1, 2)),  # New Year's Day moves to the next working day
    ],
)
def test_known_working_day_answers(start: date, days: int, expected: date) -> None:
    result = add_working_days(start, days)
    assert result.deadline == expected
    assert result.uncovered_years == ()
    assert result.warning == ""


def test_overrides_win_over_the_official_calendar() -> None:
    monday = date(2026, 3, 2)
    assert is_workday(monday)
    assert not is_workday(monday, {monday: False})
    saturday = date(2026, 3, 7)
    assert is_workday(saturday, {saturday: True})
    assert add_working_days(date(2026, 3, 1), 1, {monday: False}).deadline == date(2026, 3, 3)


def test_uncovered_year_falls_back_to_weekends_and_warns() -> None:
    assert year_covered(2026)
    assert not year_covered(2099)
    info = day_info(date(2099, 1, 1))
    assert not info.covered and info.is_workday  # a Thursday; New Year unknown without the calendar
    result = add_working_days(date(2099, 1, 2), 1)  # Friday → Monday
    assert result.deadline == date(2099, 1, 5)
    assert result.uncovered_years == (2099,)
    assert "2099" in result.warning and "尚未收录" in result.warning
    # a court override for the uncovered year is respected
    assert add_working_days(date(2099, 1, 2), 1, {date(2099, 1, 5): False}).deadline == date(2099, 1, 6)


def test_calendar_days_and_years() -> None:
    assert deadline_for(date(2026, 1, 31), 30, working=False).deadline == date(2026, 3, 2)
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert add_years(date(2025, 3, 1), 3) == date(2028, 3, 1)
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 1), -1)


@settings(deadline=None, max_examples=60)
@given(
    st.dates(min_value=date(2010, 1, 1), max_value=date(2030, 12, 31)), st.integers(min_value=1, max_value=40)
)
def test_working_day_deadline_properties(start: date, days: int) -> None:
    result = add_working_days(start, days)
    assert result.deadline > start
    assert is_workday(result.deadline)
    # exactly ``days`` working days in (start, deadline]
    from datetime import timedelta

    count = sum(
        1 for i in range(1, (result.deadline - start).days + 1) if is_workday(start + timedelta(days=i))
    )
    assert count == days
