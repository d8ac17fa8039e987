"""Working-day arithmetic for stage deadlines (pure: no Django imports).

The official calendar comes from ``chinesecalendar``, which knows the State Council holiday
arrangements only up to a given year (2026 for 1.11) and raises NotImplementedError after that.
Courts can override single dates (a holiday announced late, a make-up working day); overrides always
win. For a year the calendar does not cover, weekends plus overrides are used and the result says so,
so the UI can warn that the deadline may move once the year's arrangement is published.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

try:  # pragma: no cover - the dependency is declared, the guard keeps the module importable
    import chinese_calendar as _cc
except ImportError:  # pragma: no cover
    _cc = None

# date → True (working day) / False (rest day), as configured by the court.
Overrides = Mapping[date, bool]


@dataclass(frozen=True)
class DayInfo:
    is_workday: bool
    covered: bool  # False when the official calendar does not know the year


@dataclass(frozen=True)
class DeadlineResult:
    deadline: date
    uncovered_years: tuple[int, ...] = field(default=())

    @property
    def warning(self) -> str:
        if not self.uncovered_years:
            return ""
        years = "、".join(str(y) for y in self.uncovered_years)
        return f"{years} 年的法定节假日安排尚未收录，已按周末及本院调整日计算，期限可能需要复核。"


def year_covered(year: int) -> bool:
    """Whether the official holiday calendar knows this year."""
    if _cc is None:
        return False
    try:
        _cc.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def day_info(day: date, overrides: Overrides | None = None) -> DayInfo:
    if overrides and day in overrides:
        return DayInfo(bool(overrides[day]), True)
    if _cc is not None:
        try:
            return DayInfo(bool(_cc.is_workday(day)), True)
        except NotImplementedError:
            pass
    return DayInfo(day.weekday() < 5, False)


def is_workday(day: date, overrides: Overrides | None = None) -> bool:
    return day_info(day, overrides).is_workday


def add_calendar_days(start: date, days: int) -> DeadlineResult:
    if days < 0:
        raise ValueError("days must not be negative")
    return DeadlineResult(start + timedelta(days=days))


def add_working_days(start: date, days: int, overrides: Overrides | None = None) -> DeadlineResult:
    """The date of the ``days``-th working day after ``start`` (start itself is not counted).

    With days == 0 the start date is returned, moved forward to a working day if it is a rest day.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    uncovered: set[int] = set()
    current = start
    if days == 0:
        while True:
            info = day_info(current, overrides)
            if not info.covered:
                uncovered.add(current.year)
            if info.is_workday:
                return DeadlineResult(current, tuple(sorted(uncovered)))
            current += timedelta(days=1)
    counted = 0
    while counted < days:
        current += timedelta(days=1)
        info = day_info(current, overrides)
        if not info.covered:
            uncovered.add(current.year)
        if info.is_workday:
            counted += 1
    return DeadlineResult(current, tuple(sorted(uncovered)))


def deadline_for(
    start: date, days: int, *, working: bool, overrides: Overrides | None = None
) -> DeadlineResult:
    return add_working_days(start, days, overrides) if working else add_calendar_days(start, days)


def days_left(deadline: date, today: date) -> int:
    """Calendar days until the deadline (0 = due today, negative = overdue)."""
    return (deadline - today).days


def add_years(day: date, years: int) -> date:
    """Same calendar date ``years`` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
