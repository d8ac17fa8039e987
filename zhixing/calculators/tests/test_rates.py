"""Rate tables: shipped data, lookups, extension with database rows, and refusal to extrapolate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from zhixing.calculators import BenchmarkTerm, CalculationError, LprTerm, RateTable
from zhixing.calculators.rates import BENCHMARK_FILE, LPR_FILE

D = Decimal
T = BenchmarkTerm


def _row(table: RateTable, day: str) -> tuple[Decimal, ...]:
    row = next(r for r in table.benchmark_rows if r.effective_date == dt.date.fromisoformat(day))
    return tuple(rate * 100 for rate in row.rates)


def test_benchmark_rows_named_in_the_brief() -> None:
    table = RateTable.default()
    assert _row(table, "2015-10-24") == (D("4.35"), D("4.35"), D("4.75"), D("4.75"), D("4.90"))
    assert _row(table, "2008-12-23") == (D("4.86"), D("5.31"), D("5.40"), D("5.76"), D("5.94"))
    assert _row(table, "2002-02-21") == (D("5.04"), D("5.31"), D("5.49"), D("5.58"), D("5.76"))
    assert _row(table, "1999-06-10") == (D("5.58"), D("5.85"), D("5.94"), D("6.03"), D("6.21"))


def test_benchmark_table_is_complete_and_consistent() -> None:
    rows = RateTable.default().benchmark_rows
    assert len(rows) == 29  # every adjustment from 1999-06-10 to 2015-10-24
    assert rows[0].effective_date == dt.date(1999, 6, 10)
    assert rows[-1].effective_date == dt.date(2015, 10, 24)
    for row in rows:
        assert list(row.rates) == sorted(row.rates), row  # longer terms never cheaper


def test_data_files_name_their_sources() -> None:
    assert "全国银行间同业拆借中心" in LPR_FILE.read_text(encoding="utf-8").splitlines()[0]
    assert "中国人民银行" in BENCHMARK_FILE.read_text(encoding="utf-8").splitlines()[0]


def test_benchmark_lookup() -> None:
    table = RateTable.default()
    assert table.benchmark_on(dt.date(2014, 7, 31), T.M6_TO_1Y).rate == D("0.06")
    assert table.benchmark_on(dt.date(2012, 7, 5), T.UP_TO_6M).rate == D("0.0585")
    assert table.benchmark_on(dt.date(2012, 7, 6), T.UP_TO_6M).rate == D("0.056")
    periods = table.benchmark_periods(dt.date(2012, 6, 1), dt.date(2012, 8, 31), T.UP_TO_6M, field="x")
    assert [(p.first_day.isoformat(), p.last_day.isoformat(), p.rate) for p in periods] == [
        ("2012-06-01", "2012-06-07", D("0.061")),
        ("2012-06-08", "2012-07-05", D("0.0585")),
        ("2012-07-06", "2012-08-31", D("0.056")),
    ]
    with pytest.raises(CalculationError):
        table.benchmark_on(dt.date(1999, 6, 9), T.UP_TO_6M, field="due_date")
    with pytest.raises(CalculationError):
        table.benchmark_on(dt.date(2019, 8, 20), T.UP_TO_6M, field="due_date")


def test_term_buckets_follow_calendar_months() -> None:
    start = dt.date(2012, 12, 31)
    assert BenchmarkTerm.for_period(start, dt.date(2013, 6, 30)) is T.UP_TO_6M  # no 31 June: month end
    assert BenchmarkTerm.for_period(start, dt.date(2013, 7, 1)) is T.M6_TO_1Y
    assert BenchmarkTerm.for_period(start, dt.date(2013, 12, 31)) is T.M6_TO_1Y
    assert BenchmarkTerm.for_period(start, dt.date(2014, 1, 1)) is T.Y1_TO_3Y
    assert BenchmarkTerm.for_period(start, dt.date(2017, 12, 31)) is T.Y3_TO_5Y
    assert BenchmarkTerm.for_period(start, dt.date(2018, 1, 1)) is T.OVER_5Y


def test_lpr_lookup_and_refusal_past_the_last_quote() -> None:
    table = RateTable.default()
    assert table.lpr_on(dt.date(2024, 10, 20), LprTerm.ONE_YEAR).rate == D("0.0335")
    assert table.lpr_on(dt.date(2024, 10, 21), LprTerm.ONE_YEAR).rate == D("0.031")
    assert table.lpr_on(dt.date(2024, 10, 21), LprTerm.FIVE_YEAR).rate == D("0.036")
    # the last shipped quote is 2025-05-20; the next one cannot appear before 2025-06-20
    assert table.lpr_valid_through == dt.date(2025, 6, 19)
    assert table.lpr_on(dt.date(2025, 6, 19), LprTerm.ONE_YEAR).rate == D("0.03")
    with pytest.raises(CalculationError) as error:
        table.lpr_on(dt.date(2025, 6, 20), LprTerm.ONE_YEAR, field="end_date")
    assert error.value.field == "end_date"
    assert "补录" in error.value.message
    with pytest.raises(CalculationError):
        table.lpr_on(dt.date(2019, 8, 19), LprTerm.ONE_YEAR)


def test_staff_added_quotes_extend_the_table() -> None:
    table = RateTable.default().with_lpr_quotes(
        [
            {"date": "2025-06-20", "lpr_1y": "3.00", "lpr_5y_plus": "3.50"},
            {"date": "2025-07-21", "lpr_1y": "3.00", "lpr_5y_plus": "3.50"},
        ]
    )
    assert table.lpr_on(dt.date(2025, 8, 1), LprTerm.ONE_YEAR).rate == D("0.03")
    assert table.lpr_valid_through == dt.date(2025, 8, 19)
    stated = RateTable.default().with_lpr_quotes([], valid_through=dt.date(2025, 7, 31))
    assert stated.lpr_on(dt.date(2025, 7, 31), LprTerm.ONE_YEAR).rate == D("0.03")


def test_a_missing_month_is_detected() -> None:
    table = RateTable.default().with_lpr_quotes(
        [{"date": "2025-08-20", "lpr_1y": "2.90", "lpr_5y_plus": "3.40"}]
    )
    assert table.lpr_on(dt.date(2025, 6, 19), LprTerm.ONE_YEAR).rate == D("0.03")
    with pytest.raises(CalculationError) as error:
        table.lpr_on(dt.date(2025, 7, 1), LprTerm.ONE_YEAR)
    assert "缺少" in error.value.message
    assert table.lpr_on(dt.date(2025, 8, 20), LprTerm.ONE_YEAR).rate == D("0.029")


@pytest.mark.parametrize(
    ("row", "field"),
    [
        (
            {"date": "2025-06-20", "lpr_1y": "0.030", "lpr_5y_plus": "3.50"},
            "lpr_quotes[0].lpr_1y",
        ),  # fraction
        ({"date": "2019-01-20", "lpr_1y": "4.30", "lpr_5y_plus": "4.90"}, "lpr_quotes[0].date"),
        ({"date": "2025-13-20", "lpr_1y": "3.00", "lpr_5y_plus": "3.50"}, "lpr_quotes[0].date"),
    ],
)
def test_bad_quote_rows_are_rejected(row: dict[str, str], field: str) -> None:
    with pytest.raises(CalculationError) as error:
        RateTable.default().with_lpr_quotes([row])
    assert error.value.field == field
