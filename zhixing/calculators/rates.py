"""Rate tables as data: PBOC benchmark loan rates (1999-06-10 .. 2015-10-24) and LPR quotes (2019-08-20 ..).

The shipped tables live in ``data/`` next to this module:

* ``data/pbc_benchmark_rates.tsv`` — 中国人民银行《金融机构人民币贷款基准利率调整表》, every adjustment
  from 1999-06-10 to 2015-10-24, five term buckets, annual percentages.
* ``data/lpr.tsv`` — 全国银行间同业拆借中心 (authorised by the PBOC) monthly LPR quotes, 1-year and
  5-year-plus, annual percentages.

Staff add newer LPR quotes in the database; the web layer builds ``RateTable.default().with_lpr_quotes(rows)``
and passes the table to the calculators. Rates are held internally as fractions (``Decimal("0.0345")``).

The table never extrapolates. A quote is known to be in force from its date until the day before the next
quote. The last quote is known to be in force only up to the 19th of the following month, because the next
monthly quote is published on the 20th (postponed, never advanced, over holidays); a calculation that needs
a later day raises :class:`CalculationError` asking for the missing quote, unless the caller states a later
``lpr_valid_through`` (e.g. "no quote has been published since"). A missing month between two quotes is
detected the same way. Benchmark rates are served for 1999-06-10 .. 2019-08-19 only (2019-08-20 onwards loans
are priced off the LPR; the calculators only need benchmark rates before 2014-08-01).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

from .errors import CalculationError
from .money import add_months, fmt_date, fmt_percent, parse_date, to_decimal

DATA_DIR = Path(__file__).resolve().parent / "data"
LPR_FILE = DATA_DIR / "lpr.tsv"
BENCHMARK_FILE = DATA_DIR / "pbc_benchmark_rates.tsv"

LPR_SOURCE = "全国银行间同业拆借中心（经中国人民银行授权）公布的贷款市场报价利率（LPR）"
BENCHMARK_SOURCE = "中国人民银行《金融机构人民币贷款基准利率调整表》"
#: The first LPR quote under the reformed mechanism.
LPR_FIRST_DATE = dt.date(2019, 8, 20)
#: Benchmark rates are served up to the day before the LPR reform took effect.
BENCHMARK_VALID_THROUGH = dt.date(2019, 8, 19)
_PERCENT = Decimal(100)


class LprTerm(StrEnum):
    ONE_YEAR = "1y"
    FIVE_YEAR = "5y"

    @property
    def label(self) -> str:
        return "1年期" if self is LprTerm.ONE_YEAR else "5年期以上"


class BenchmarkTerm(StrEnum):
    """PBOC benchmark loan-rate term buckets (upper bounds inclusive)."""

    UP_TO_6M = "le_6m"
    M6_TO_1Y = "6m_1y"
    Y1_TO_3Y = "1y_3y"
    Y3_TO_5Y = "3y_5y"
    OVER_5Y = "gt_5y"

    @property
    def label(self) -> str:
        return _BENCHMARK_LABELS[self]

    @classmethod
    def for_period(cls, start: dt.date, end: dt.date) -> BenchmarkTerm:
        """The bucket matching a period from ``start`` to ``end`` (months per 民法典第二百零二条)."""
        for months, term in ((6, cls.UP_TO_6M), (12, cls.M6_TO_1Y), (36, cls.Y1_TO_3Y), (60, cls.Y3_TO_5Y)):
            if end <= add_months(start, months):
                return term
        return cls.OVER_5Y


_BENCHMARK_LABELS = {
    BenchmarkTerm.UP_TO_6M: "六个月以内（含六个月）",
    BenchmarkTerm.M6_TO_1Y: "六个月至一年（含一年）",
    BenchmarkTerm.Y1_TO_3Y: "一至三年（含三年）",
    BenchmarkTerm.Y3_TO_5Y: "三至五年（含五年）",
    BenchmarkTerm.OVER_5Y: "五年以上",
}
_BENCHMARK_ORDER = tuple(BenchmarkTerm)


@dataclass(frozen=True)
class LprQuote:
    """One monthly LPR quote; rates are fractions (0.0345 for 3.45 %)."""

    date: dt.date
    one_year: Decimal
    five_year: Decimal
    source: str = LPR_SOURCE

    def rate(self, term: LprTerm) -> Decimal:
        return self.one_year if term is LprTerm.ONE_YEAR else self.five_year


@dataclass(frozen=True)
class BenchmarkRow:
    """One benchmark adjustment; ``rates`` are fractions in :class:`BenchmarkTerm` order."""

    effective_date: dt.date
    rates: tuple[Decimal, Decimal, Decimal, Decimal, Decimal]
    source: str = BENCHMARK_SOURCE

    def rate(self, term: BenchmarkTerm) -> Decimal:
        return self.rates[_BENCHMARK_ORDER.index(term)]


@dataclass(frozen=True)
class RatePeriod:
    """A span of days (``first_day`` .. ``last_day``, both inclusive) during which ``rate`` applies."""

    first_day: dt.date
    last_day: dt.date
    rate: Decimal
    published: dt.date
    source: str

    @property
    def describe(self) -> str:
        return f"{fmt_percent(self.rate)}（{fmt_date(self.published)}起执行，{self.source}）"


def _parse_percent(value: object, field: str, *, low: Decimal, high: Decimal) -> Decimal:
    pct = to_decimal(value, field, label="利率")
    if not low <= pct <= high:
        raise CalculationError(
            field, f"利率{pct}%不在合理范围（{low}%～{high}%）内，请以百分数填写，例如3.45表示3.45%。"
        )
    return pct / _PERCENT


def _read_tsv(path: Path) -> list[list[str]]:
    rows: list[list[str]] = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            text = line.strip()
            if text and not text.startswith("#"):
                rows.append(text.split("\t"))
    return rows[1:]  # skip the column header


def load_lpr_file(path: Path = LPR_FILE) -> list[LprQuote]:
    return [
        lpr_quote_from_percent(row[0], row[1], row[2], field=f"{path.name}:{number}")
        for number, row in enumerate(_read_tsv(path), start=1)
    ]


def load_benchmark_file(path: Path = BENCHMARK_FILE) -> list[BenchmarkRow]:
    result = []
    for number, row in enumerate(_read_tsv(path), start=1):
        field = f"{path.name}:{number}"
        rates = tuple(_parse_percent(cell, field, low=Decimal("0.5"), high=Decimal(30)) for cell in row[1:6])
        if len(rates) != 5:
            raise CalculationError(field, "基准利率表每行应有5个期限档次。")
        result.append(
            BenchmarkRow(parse_date(row[0], field), (rates[0], rates[1], rates[2], rates[3], rates[4]))
        )
    return result


def lpr_quote_from_percent(
    date: object, one_year_pct: object, five_year_pct: object, *, field: str = "lpr", source: str = LPR_SOURCE
) -> LprQuote:
    """Build a quote from percentages as published ("3.45" means 3.45 %)."""
    day = parse_date(date, f"{field}.date", label="LPR报价日期")
    if day < LPR_FIRST_DATE:
        raise CalculationError(f"{field}.date", "LPR报价日期不得早于2019年8月20日（新LPR首次发布日）。")
    low, high = Decimal("0.5"), Decimal(20)
    return LprQuote(
        date=day,
        one_year=_parse_percent(one_year_pct, f"{field}.lpr_1y", low=low, high=high),
        five_year=_parse_percent(five_year_pct, f"{field}.lpr_5y_plus", low=low, high=high),
        source=source,
    )


def _following_month_19th(day: dt.date) -> dt.date:
    """The last day a quote is certainly in force if no later quote is known."""
    nxt = add_months(day.replace(day=1), 1)
    return nxt.replace(day=19)


class RateTable:
    """Benchmark rates and LPR quotes, with explicit knowledge of where the known data ends."""

    def __init__(
        self,
        lpr_quotes: Iterable[LprQuote],
        benchmark_rows: Iterable[BenchmarkRow],
        *,
        lpr_valid_through: dt.date | None = None,
        benchmark_valid_through: dt.date = BENCHMARK_VALID_THROUGH,
    ) -> None:
        by_date: dict[dt.date, LprQuote] = {}
        for quote in lpr_quotes:
            by_date[quote.date] = quote  # later rows (e.g. from the database) override earlier ones
        self._lpr = tuple(sorted(by_date.values(), key=lambda q: q.date))
        rows: dict[dt.date, BenchmarkRow] = {row.effective_date: row for row in benchmark_rows}
        self._benchmark = tuple(sorted(rows.values(), key=lambda r: r.effective_date))
        if not self._lpr or not self._benchmark:
            raise CalculationError("rate_table", "利率表为空。")
        last = self._lpr[-1].date
        if lpr_valid_through is not None and lpr_valid_through < last:
            raise CalculationError("lpr_valid_through", "LPR有效截止日不得早于最后一次报价日期。")
        self._lpr_valid_through = lpr_valid_through or _following_month_19th(last)
        self._benchmark_valid_through = benchmark_valid_through

    # -- construction -------------------------------------------------------------------------------

    @classmethod
    def default(cls) -> RateTable:
        """The shipped tables (cached; the object is immutable)."""
        return _default_table()

    def with_lpr_quotes(
        self, quotes: Iterable[LprQuote | Mapping[str, object]], *, valid_through: dt.date | None = None
    ) -> RateTable:
        """A new table with extra quotes (e.g. staff-entered rows from the database) merged in.

        Mapping rows use the TSV's keys and units: ``{"date": "2025-06-20", "lpr_1y": "3.00",
        "lpr_5y_plus": "3.50"}`` (percentages). A row with the same date as a shipped one replaces it.
        """
        extra: list[LprQuote] = []
        for index, quote in enumerate(quotes):
            if isinstance(quote, LprQuote):
                extra.append(quote)
            else:
                field = f"lpr_quotes[{index}]"
                source = str(quote.get("source") or LPR_SOURCE)
                extra.append(
                    lpr_quote_from_percent(
                        quote.get("date"),
                        quote.get("lpr_1y"),
                        quote.get("lpr_5y_plus"),
                        field=field,
                        source=source,
                    )
                )
        return RateTable(
            [*self._lpr, *extra],
            self._benchmark,
            lpr_valid_through=valid_through,
            benchmark_valid_through=self._benchmark_valid_through,
        )

    # -- introspection ------------------------------------------------------------------------------

    @property
    def lpr_quotes(self) -> tuple[LprQuote, ...]:
        return self._lpr

    @property
    def benchmark_rows(self) -> tuple[BenchmarkRow, ...]:
        return self._benchmark

    @property
    def lpr_valid_through(self) -> dt.date:
        return self._lpr_valid_through

    @property
    def benchmark_valid_through(self) -> dt.date:
        return self._benchmark_valid_through

    # -- LPR ----------------------------------------------------------------------------------------

    def _lpr_spans(self) -> list[tuple[dt.date, dt.date, LprQuote]]:
        """``(first_day, last_day, quote)`` for every quote, clipped where the next month is missing."""
        spans = []
        for index, quote in enumerate(self._lpr):
            certain_end = _following_month_19th(quote.date)
            if index + 1 < len(self._lpr):
                next_day = self._lpr[index + 1].date
                follows = (next_day.year * 12 + next_day.month) - (
                    quote.date.year * 12 + quote.date.month
                ) <= 1
                last = next_day - dt.timedelta(days=1)
                if not follows:
                    last = min(last, certain_end)
            else:
                last = self._lpr_valid_through
            spans.append((quote.date, last, quote))
        return spans

    def _missing_lpr(self, day: dt.date, field: str) -> CalculationError:
        if day < LPR_FIRST_DATE:
            return CalculationError(
                field, f"{fmt_date(day)}早于2019年8月20日，当时尚无贷款市场报价利率（LPR），无法按LPR计算。"
            )
        if day > self._lpr_valid_through:
            return CalculationError(
                field,
                f"计算需要{fmt_date(day)}适用的LPR，但已知报价只覆盖至{fmt_date(self._lpr_valid_through)}"
                f"（最近一次报价为{fmt_date(self._lpr[-1].date)}）。请先在利率表中补录此后各月的LPR报价，"
                "系统不会自行推测。",
            )
        return CalculationError(
            field,
            f"利率表缺少{day.year}年{day.month}月的LPR报价，无法确定{fmt_date(day)}适用的利率，请补录。",
        )

    def lpr_on(self, day: dt.date, term: LprTerm, *, field: str = "date") -> RatePeriod:
        """The quote in force on ``day`` (the latest quote dated on or before it)."""
        for first, last, quote in self._lpr_spans():
            if first <= day <= last:
                return RatePeriod(
                    first, last, quote.rate(term), quote.date, f"{quote.source}（{term.label}）"
                )
        raise self._missing_lpr(day, field)

    def lpr_periods(
        self, first_day: dt.date, last_day: dt.date, term: LprTerm, *, field: str
    ) -> list[RatePeriod]:
        """The LPR in force on each day from ``first_day`` to ``last_day`` (inclusive), merged into runs."""
        return _periods(first_day, last_day, lambda d: self.lpr_on(d, term, field=field))

    # -- benchmark ----------------------------------------------------------------------------------

    def benchmark_on(self, day: dt.date, term: BenchmarkTerm, *, field: str = "date") -> RatePeriod:
        rows = self._benchmark
        if day < rows[0].effective_date or day > self._benchmark_valid_through:
            raise CalculationError(
                field,
                f"{fmt_date(day)}不在本工具收录的人民银行贷款基准利率区间（{fmt_date(rows[0].effective_date)}至"
                f"{fmt_date(self._benchmark_valid_through)}）内，无法确定同期贷款基准利率。",
            )
        for index in range(len(rows) - 1, -1, -1):
            row = rows[index]
            if row.effective_date <= day:
                last = (
                    rows[index + 1].effective_date - dt.timedelta(days=1)
                    if index + 1 < len(rows)
                    else self._benchmark_valid_through
                )
                return RatePeriod(
                    row.effective_date,
                    last,
                    row.rate(term),
                    row.effective_date,
                    f"{row.source}（{term.label}）",
                )
        raise AssertionError("unreachable")  # pragma: no cover

    def benchmark_periods(
        self, first_day: dt.date, last_day: dt.date, term: BenchmarkTerm, *, field: str
    ) -> list[RatePeriod]:
        return _periods(first_day, last_day, lambda d: self.benchmark_on(d, term, field=field))


def _periods(
    first_day: dt.date, last_day: dt.date, lookup: Callable[[dt.date], RatePeriod]
) -> list[RatePeriod]:
    """Split ``first_day .. last_day`` into runs of constant rate using ``lookup(day) -> RatePeriod``."""
    result: list[RatePeriod] = []
    day = first_day
    while day <= last_day:
        period = lookup(day)
        end = min(period.last_day, last_day)
        result.append(RatePeriod(day, end, period.rate, period.published, period.source))
        day = end + dt.timedelta(days=1)
    return result


@functools.cache
def _default_table() -> RateTable:
    return RateTable(load_lpr_file(), load_benchmark_file())
