"""迟延履行期间的债务利息: worked examples computed by hand, the 2009 rule, properties."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, localcontext

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhixing.calculators import (
    CalculationError,
    ExcludedPeriod,
    GeneralInterest,
    Instalment,
    Payment,
    RateSpec,
    RateTable,
    SegmentKind,
    calculate_delay_interest,
    delay_interest_from_payload,
)

D = Decimal
day = dt.date.fromisoformat


def test_issue_worked_example() -> None:
    """principal 100,000, due 2024-03-01, 40,000 paid 2024-05-30, end 2024-09-27, no general interest."""
    result = delay_interest_from_payload(
        {
            "principal": "100000",
            "due_date": "2024-03-01",
            "end_date": "2024-09-27",
            "payments": [{"date": "2024-05-30", "amount": "40000"}],
            "excluded_periods": [],
            "general_interest": None,
        }
    )
    # Segment 1: 2024-03-02 .. 2024-05-30 = 30 (Mar 2–31) + 30 (Apr) + 30 (May 1–30) = 90 days
    #            = 2024-05-30 − 2024-03-01 (date difference; 届满之日 itself not counted, payment day counted)
    #            100,000 × 0.0175% × 90 = 1,575.00
    # Payment:   40,000 on 2024-05-30 -> 第四条: money debt first: 100,000 − 40,000 = 60,000 left;
    #            nothing left for the doubled interest, which stays at 1,575.00 unpaid
    # Segment 2: 2024-05-31 .. 2024-09-27 = 1 + 30 + 31 + 31 + 27 = 120 days = 2024-09-27 − 2024-05-30
    #            60,000 × 0.0175% × 120 = 1,260.00
    # Doubled interest 1,575 + 1,260 = 2,835.00; still owed 60,000 + 2,835 = 62,835.00
    assert result.doubled_interest == D("2835.00")
    assert result.general_interest is None
    assert result.total == D("2835.00")
    assert result.outstanding_principal == D("60000.00")
    assert result.outstanding_doubled_interest == D("2835.00")
    assert result.outstanding_total == D("62835.00")

    kinds = [s.kind for s in result.segments]
    assert kinds == [SegmentKind.DOUBLED, SegmentKind.PAYMENT, SegmentKind.DOUBLED]
    first, payment, second = result.segments
    assert (first.first_day, first.last_day, first.days, first.base, first.interest) == (
        day("2024-03-02"),
        day("2024-05-30"),
        90,
        D("100000"),
        D("1575.000000"),
    )
    assert (second.first_day, second.last_day, second.days, second.base, second.interest) == (
        day("2024-05-31"),
        day("2024-09-27"),
        120,
        D("60000"),
        D("1260.000000"),
    )
    allocation = payment.allocation
    assert allocation is not None
    assert allocation.rule == "2014"
    assert allocation.to_principal == D("40000")
    assert allocation.to_doubled_interest == 0
    assert allocation.principal_after == D("60000")
    assert "第四条" in payment.description and "先清偿金钱债务" in payment.description

    data = result.to_dict()
    json.dumps(data, ensure_ascii=False)
    assert (data["doubled_interest"], data["general_interest"], data["total"]) == ("2835.00", None, "2835.00")
    assert [s["kind"] for s in data["segments"]] == ["doubled", "payment", "doubled"]
    assert {b["article"] for b in data["legal_basis"]} >= {"第一条", "第二条", "第三条", "第四条"}
    assert any("次日起算" in c for c in data["conventions"])


def test_payment_beyond_the_debt_goes_to_doubled_interest() -> None:
    # 10,000 due 2024-01-01; 2024-01-02 .. 2024-03-01 = 31 + 29 = 60 days -> 10,000 × 0.0175% × 60 = 105.00
    # 10,100 paid on 2024-03-01: 10,000 to the debt, then 100 to the doubled interest; 5.00 remains.
    result = calculate_delay_interest(
        principal="10000",
        due_date="2024-01-01",
        end_date="2024-03-31",
        payments=[Payment(day("2024-03-01"), D("10100"))],
    )
    assert result.doubled_interest == D("105.00")
    assert result.allocations[0].to_doubled_interest == D("100")
    assert result.outstanding_total == D("5.00")


def test_excluded_period_art_3() -> None:
    # 2024-01-02 .. 2024-12-31 = 365 days (leap year); 中止执行 2024-04-01 .. 2024-04-30 = 30 days not counted
    # 100,000 × 0.0175% × (365 − 30) = 17.5 × 335 = 5,862.50
    result = calculate_delay_interest(
        principal="100000",
        due_date="2024-01-01",
        end_date="2024-12-31",
        excluded_periods=[ExcludedPeriod(day("2024-04-01"), day("2024-04-30"), "再审中止执行")],
    )
    assert result.doubled_interest == D("5862.50")
    assert result.excluded_days == 30
    excluded = [s for s in result.segments if s.kind is SegmentKind.EXCLUDED]
    assert [(s.first_day, s.last_day, s.days, s.interest) for s in excluded] == [
        (day("2024-04-01"), day("2024-04-30"), 30, D(0))
    ]
    assert "再审中止执行" in excluded[0].description


def test_instalment_judgment() -> None:
    # 1st instalment 50,000 due 2024-01-31, 2nd 50,000 due 2024-04-30; 60,000 paid 2024-03-31; end 2024-06-30.
    # 2024-02-01 .. 03-31 = 29 + 31 = 60 days: 50,000 × 0.0175% × 60 = 525.00 (only the 1st is overdue)
    # payment: 1st instalment 50,000, then 10,000 to the 2nd (not yet due) -> 40,000 left; 525 unpaid
    # 2024-04-01 .. 04-30: nothing overdue
    # 2024-05-01 .. 06-30 = 31 + 30 = 61 days: 40,000 × 0.0175% × 61 = 427.00
    result = calculate_delay_interest(
        instalments=[Instalment(day("2024-01-31"), D("50000")), Instalment(day("2024-04-30"), D("50000"))],
        end_date="2024-06-30",
        payments=[Payment(day("2024-03-31"), D("60000"))],
    )
    assert result.doubled_interest == D("952.00")
    assert result.outstanding_total == D("40952.00")
    assert [(t.index, t.paid, t.outstanding) for t in result.tranches] == [
        (1, D("50000"), D("0")),
        (2, D("10000"), D("40000")),
    ]
    doubled = [s for s in result.segments if s.kind is SegmentKind.DOUBLED]
    assert [(s.days, s.instalments, s.interest) for s in doubled] == [
        (60, (1,), D("525.000")),
        (61, (2,), D("427.000")),
    ]


def test_general_interest_is_money_debt_paid_before_principal() -> None:
    # Same facts as the issue example, but the judgment sets interest at 3.65 % a year (0.01 % a day).
    # 03-02 .. 05-30, 90 days: general 100,000 × 3.65% ÷ 365 × 90 = 900.00; doubled 1,575.00
    # 40,000 paid: general interest 900 first (民法典第五百六十一条), then 39,100 principal -> 60,900
    # 05-31 .. 09-27, 120 days: general 60,900 × 0.01% × 120 = 730.80; doubled 60,900 × 0.0175% × 120 = 1,278.90
    result = calculate_delay_interest(
        principal="100000",
        due_date="2024-03-01",
        end_date="2024-09-27",
        payments=[Payment(day("2024-05-30"), D("40000"))],
        general_interest=GeneralInterest(RateSpec.annual("0.0365")),
    )
    assert result.general_interest == D("1630.80")
    assert result.doubled_interest == D("2853.90")
    assert result.total == D("4484.70")
    assert result.outstanding_total == D("64484.70")  # 60,900 + 730.80 + 2,853.90
    assert result.allocations[0].to_general_interest == D("900")

    # principal first instead: 40,000 -> principal 60,000, general 900 stays unpaid;
    # 120 days: general 60,000 × 0.01% × 120 = 720.00; doubled 1,260.00
    other = calculate_delay_interest(
        principal="100000",
        due_date="2024-03-01",
        end_date="2024-09-27",
        payments=[Payment(day("2024-05-30"), D("40000"))],
        general_interest=GeneralInterest(RateSpec.annual("0.0365")),
        general_interest_first=False,
    )
    assert (other.general_interest, other.doubled_interest) == (D("1620.00"), D("2835.00"))
    assert other.outstanding_total == D("64455.00")  # 60,000 + 1,620 + 2,835


def test_general_interest_base_is_capped() -> None:
    # the judgment sets interest on 80,000 of the 100,000 only; 2024 has 366 days, one day = 3.65% ÷ 365
    # 80,000 × 3.65% ÷ 365 × 366 = 8 × 366 = 2,928.00
    result = calculate_delay_interest(
        principal="100000",
        due_date="2023-12-31",
        end_date="2024-12-31",
        general_interest=GeneralInterest(RateSpec.annual("0.0365"), base=D("80000")),
    )
    assert result.general_interest == D("2928.00")


def test_general_interest_at_floating_lpr() -> None:
    # 2024-07-01 .. 2024-07-21 (21 days) at 3.45 %, 07-22 .. 07-31 (10 days) at 3.35 % (quote of 2024-07-22)
    # 365,000 × (3.45% × 21 + 3.35% × 10) ÷ 365 = 1,000 × (0.7245 + 0.335) = 1,059.50
    result = calculate_delay_interest(
        principal="365000",
        due_date="2024-06-30",
        end_date="2024-07-31",
        general_interest=GeneralInterest(RateSpec.lpr("1", "1y", floating=True)),
    )
    assert result.general_interest == D("1059.50")
    general = [s for s in result.segments if s.kind is SegmentKind.GENERAL]
    assert [s.days for s in general] == [21, 10]


def test_delay_before_2014_uses_the_2009_method() -> None:
    # 100,000 due 2013-12-31, end 2014-12-31, nothing paid.
    # 2014-01-01 .. 2014-07-31 = 212 days (art. 7: old rules). 212 days > 6 months -> 六个月至一年 bucket,
    # benchmark 6.00 % (2012-07-06 row): 100,000 × 6.00% × 2 × 212 ÷ 360 = 12,000 × 212 ÷ 360 = 7,066.666…
    # 2014-08-01 .. 2014-12-31 = 153 days: 100,000 × 0.0175% × 153 = 2,677.50
    result = calculate_delay_interest(principal="100000", due_date="2013-12-31", end_date="2014-12-31")
    assert result.interest_2009 == D("7066.67")
    assert result.doubled_interest == D("2677.50")
    assert result.total == D("9744.17")  # 7,066.666… + 2,677.50 = 9,744.166…
    assert any(b.article == "第七条" for b in result.legal_basis)
    assert any("法释〔2009〕6号" in b.title for b in result.legal_basis)


def test_2009_method_follows_benchmark_changes() -> None:
    # 100,000 due 2012-05-31, end 2012-08-31 = 92 days (≤ 6 months: 六个月以内 bucket)
    # 06-01..06-07: 7 days at 6.10 %; 06-08..07-05: 28 days at 5.85 %; 07-06..08-31: 57 days at 5.60 %
    # 100,000 × 2 ÷ 360 × (6.10%×7 + 5.85%×28 + 5.60%×57) = 555.55… × 5.257 = 2,920.555…
    result = calculate_delay_interest(principal="100000", due_date="2012-05-31", end_date="2012-08-31")
    assert result.interest_2009 == D("2920.56")
    rows = [s for s in result.segments if s.kind is SegmentKind.INTEREST_2009]
    assert [s.days for s in rows] == [7, 28, 57]


def test_2009_payment_is_applied_proportionally() -> None:
    # 100,000 due 2012-12-31; 50,000 paid 2013-06-30 (181 days, ≤ 6 months, 5.60 %); end 2014-07-31.
    # factor f = 5.60% × 2 × 181 ÷ 360; money debt cleared x = 50,000 ÷ (1 + f); interest paid = 50,000 − x
    # rest (100,000 − x) bears 2012-12-31 .. 2014-07-31 = 577 days (19 months: 一至三年, 6.15 %)
    result = calculate_delay_interest(
        principal="100000",
        due_date="2012-12-31",
        end_date="2014-07-31",
        payments=[Payment(day("2013-06-30"), D("50000"))],
    )
    with localcontext() as ctx:
        ctx.prec = 50
        f = D("0.056") * 2 * 181 / 360
        x = D(50000) / (1 + f)
        rest = D(100000) - x
        rest_interest = rest * D("0.0615") * 2 * 577 / 360
        expected_total = (D(50000) - x) + rest_interest
    allocation = result.allocations[0]
    assert allocation.rule == "2009"
    assert abs(allocation.to_principal - x) < D("1e-30")
    assert round(allocation.to_interest_2009, 2) == D("2665.46")  # 50,000 − 47,334.54
    assert abs(result.interest_2009_exact - expected_total) < D("1e-30")
    assert result.outstanding_principal == D("52665.46")
    assert result.interest_2009 == D(
        "13048.02"
    )  # 2,665.46 + 52,665.46 × 12.3% × 577 ÷ 360 = 2,665.46 + 10,382.56


def test_transition_interest_is_paid_after_the_money_debt() -> None:
    # 10,000 due 2014-06-30. Old part 07-01..07-31 (31 days, 5.60 %): 10,000 × 5.60% × 2 × 31 ÷ 360 = 96.444…
    # new part 08-01..08-30 (30 days): 10,000 × 0.0175% × 30 = 52.50
    # 10,100 paid 2014-08-30: 10,000 debt, 96.444… old interest, 3.555… doubled; 48.944… doubled left
    result = calculate_delay_interest(
        principal="10000",
        due_date="2014-06-30",
        end_date="2014-09-30",
        payments=[Payment(day("2014-08-30"), D("10100"))],
    )
    assert result.interest_2009 == D("96.44")
    assert result.doubled_interest == D("52.50")
    assert result.total == D("148.94")
    assert result.outstanding_total == D("48.94")
    assert result.allocations[0].to_principal == D("10000")


def test_warning_for_delay_before_the_2009_reply() -> None:
    result = calculate_delay_interest(principal="1000", due_date="2008-12-31", end_date="2009-12-31")
    assert any("2009年5月18日" in w for w in result.warnings)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"principal": "1000", "due_date": "2024-03-01", "end_date": "2024-02-01"}, "end_date"),
        ({"principal": "-1000", "due_date": "2024-03-01", "end_date": "2024-04-01"}, "principal"),
        ({"principal": "1000", "due_date": "2024-02-30", "end_date": "2024-04-01"}, "due_date"),
        ({"principal": "1000", "due_date": "1998-03-01", "end_date": "2004-04-01"}, "due_date"),
        ({"due_date": "2024-03-01", "end_date": "2024-04-01"}, "principal"),
        (
            {
                "principal": "1000",
                "due_date": "2024-03-01",
                "end_date": "2024-04-01",
                "payments": [{"date": "2024-04-02", "amount": "10"}],
            },
            "payments[0].date",
        ),
        (
            {
                "principal": "1000",
                "due_date": "2024-03-01",
                "end_date": "2024-04-01",
                "payments": [{"date": "2024-03-02", "amount": "-10"}],
            },
            "payments[0].amount",
        ),
        (
            {
                "principal": "1000",
                "due_date": "2024-03-01",
                "end_date": "2024-04-01",
                "excluded_periods": [{"start": "2024-03-10", "end": "2024-03-05"}],
            },
            "excluded_periods[0].end",
        ),
        (
            {
                "principal": "1000",
                "due_date": "2024-03-01",
                "end_date": "2026-04-01",
                "general_interest": {"lpr_multiple": "1", "lpr_floating": True},
            },
            "general_interest",
        ),
        (
            {
                "principal": "1000",
                "due_date": "2024-03-01",
                "end_date": "2024-04-01",
                "general_interest": {"annual_rate": "0.1", "monthly_rate": "0.01"},
            },
            "general_interest.monthly_rate",
        ),
        (
            {"principal": "1000", "due_date": "2024-03-01", "end_date": "2024-04-01", "princpal": "1"},
            "princpal",
        ),
        (
            {
                "principal": "1000",
                "due_date": "2024-03-01",
                "end_date": "2024-04-01",
                "instalments": [{"due_date": "2024-03-01", "amount": "10"}],
            },
            "instalments",
        ),
    ],
)
def test_bad_input_raises_calculation_error(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(CalculationError) as error:
        delay_interest_from_payload(kwargs)
    assert error.value.field == field
    assert error.value.message


def test_extra_lpr_quotes_let_the_calculation_proceed() -> None:
    payload = {
        "principal": "1000",
        "due_date": "2025-06-01",
        "end_date": "2025-07-10",
        "general_interest": {"lpr_multiple": "1", "lpr_floating": True},
    }
    with pytest.raises(CalculationError):
        delay_interest_from_payload(payload)
    table = RateTable.default().with_lpr_quotes(
        [{"date": "2025-06-20", "lpr_1y": "3.00", "lpr_5y_plus": "3.50"}]
    )
    result = delay_interest_from_payload(payload, rate_table=table)
    # 2025-06-02 .. 2025-07-10 = 39 days, all at 3.00 % (3.00 % quoted 2025-05-20 and 2025-06-20)
    # 1,000 × 3.00% ÷ 365 × 39 = 1,170 ÷ 365 = 3.205… -> 3.21
    assert result.general_interest == D("3.21")


# -- properties ---------------------------------------------------------------------------------------

money = st.integers(min_value=1, max_value=10_000_000_000).map(lambda c: D(c) / 100)
new_rule_dates = st.dates(min_value=dt.date(2014, 8, 1), max_value=dt.date(2035, 1, 1))
any_dates = st.dates(min_value=dt.date(2005, 1, 1), max_value=dt.date(2030, 1, 1))


@given(principal=money, due=new_rule_dates, first=st.integers(0, 3000), second=st.integers(0, 3000))
def test_splitting_a_period_without_payments_does_not_change_interest(
    principal: Decimal, due: dt.date, first: int, second: int
) -> None:
    middle = due + dt.timedelta(days=first)
    end = middle + dt.timedelta(days=second)
    whole = calculate_delay_interest(principal=principal, due_date=due, end_date=end)
    part_one = calculate_delay_interest(principal=principal, due_date=due, end_date=middle)
    part_two = calculate_delay_interest(principal=principal, due_date=middle, end_date=end)
    assert whole.doubled_interest_exact == part_one.doubled_interest_exact + part_two.doubled_interest_exact


@settings(deadline=None)
@given(
    principal=money,
    due=any_dates,
    length=st.integers(0, 2500),
    payments=st.lists(st.tuples(st.integers(-60, 2500), money), max_size=4),
    extra=st.tuples(st.integers(-60, 2500), money),
    with_general=st.booleans(),
)
def test_payments_never_increase_what_is_owed(
    principal: Decimal,
    due: dt.date,
    length: int,
    payments: list[tuple[int, Decimal]],
    extra: tuple[int, Decimal],
    with_general: bool,
) -> None:
    end = due + dt.timedelta(days=length)

    def paid(items: list[tuple[int, Decimal]]) -> list[Payment]:
        return [Payment(due + dt.timedelta(days=min(offset, length)), amount) for offset, amount in items]

    general = GeneralInterest(RateSpec.annual("0.06")) if with_general else None
    base = calculate_delay_interest(
        principal=principal, due_date=due, end_date=end, payments=paid(payments), general_interest=general
    )
    more = calculate_delay_interest(
        principal=principal,
        due_date=due,
        end_date=end,
        payments=paid([*payments, extra]),
        general_interest=general,
    )
    with localcontext() as ctx:
        ctx.prec = 60
        tolerance = D("1e-30")  # allocations divide by (1 + factor) under the 2009 rule
        assert more.outstanding_total_exact <= base.outstanding_total_exact + tolerance
        assert more.total_exact <= base.total_exact + tolerance
    assert more.outstanding_total <= base.outstanding_total
