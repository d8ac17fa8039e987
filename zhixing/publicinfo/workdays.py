"""Working days for removal deadlines: the shared calendar when present, weekends only otherwise."""

from __future__ import annotations

from datetime import date, timedelta


def add_working_days(start: date, days: int) -> date:
    """The ``days``-th working day after ``start`` (start itself not counted)."""
    try:
        from zhixing.lib import workdays as shared
    except ImportError:  # pragma: no cover - the shared calendar module is optional for this app
        shared = None  # type: ignore[assignment]
    if shared is not None:
        return shared.add_working_days(start, days).deadline
    current, counted = start, 0
    while counted < days:
        current += timedelta(days=1)
        if current.weekday() < 5:
            counted += 1
    return current


def add_months(day: date, months: int) -> date:
    """Same day ``months`` later, clamped to the month's last day (29 Feb + 12 months → 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = day.day
    while True:
        try:
            return date(year, month, last)
        except ValueError:
            last -= 1
