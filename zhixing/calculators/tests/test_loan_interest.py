"""借贷利息 and the legality check of the agreed rate (民间借贷规定 2015 / 2020)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal, localcontext

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhixing.calculators import (
    CalculationError,
    RateSpec,
    Repayment,
    calculate_loan_interest,
    loan_interest_from_payload,
)

D = Decimal
day = dt.date.fromisoformat


def test_issue_shape_rate_above_four_times_lpr() -> None:
    result = loan_interest_from_payload(
        {
            "principal": "100000",
            "start_date": "2024-01-10",
            "end_date": "2025-01-10",
            "annual_rate": "0.15",
            "contract_date": "2024-01-10",
        }
    )
    # days: 2025-01-10 − 2024-01-10 = 366 (2024 is a leap year); one day = annual rate ÷ 365
    # interest: 100,000 × 15% × 366 ÷ 365 = 5,490,000 ÷ 365 = 15,041.0958… -> 15,041.10
    # cap: 1-year LPR in force on 2024-01-10 = 3.45 % (quote of 2023-12-20) × 4 = 13.80 %
    # supported: 100,000 × 13.80% × 366 ÷ 365 = 5,050,800 ÷ 365 = 13,837.8082… -> 13,837.81
    # excess: 15,041.0958… − 13,837.8082… = 1,203.2876… -> 1,203.29
    assert result.days == 366
    assert result.interest == D("15041.10")
    assert result.legal_cap_rate == D("0.138")
    assert result.exceeds_cap is True
    assert result.supported_interest == D("13837.81")
    assert result.excess_interest == D("1203.29")
    assert result.void_interest is None
    data = result.to_dict()
    json.dumps(data, ensure_ascii=False)
    assert data["interest"] == "15041.10"
    assert data["exceeds_cap"] is True
    assert data["segments"][0]["days"] == 366
    assert any(b["article"] == "第二十五条" for b in data["legal_basis"])


def test_rate_within_the_cap() -> None:
    # 100,000 × 10% × 366 ÷ 365 = 10,027.397… -> 10,027.40; 10 % < 13.80 %
    result = calculate_loan_interest(
        principal="100000", start_date="2024-01-10", end_date="2025-01-10", rate=RateSpec.annual("0.10")
    )
    assert result.interest == D("10027.40")
    assert result.exceeds_cap is False
    assert result.excess_interest == D("0.00")
    assert "未填写合同成立日期" in result.notes[0]


def test_2015_rule_between_24_and_36_percent() -> None:
    # contract 2018-01-01, one year (365 days) at 30 %: 30,000; supported at 24 %: 24,000; excess 6,000
    result = calculate_loan_interest(
        principal="100000",
        start_date="2018-01-01",
        end_date="2019-01-01",
        rate=RateSpec.annual("0.30"),
        contract_date="2018-01-01",
        filing_date="2019-03-01",
    )
    assert (result.interest, result.supported_interest, result.excess_interest) == (
        D("30000.00"),
        D("24000.00"),
        D("6000.00"),
    )
    assert result.legal_cap_rate == D("0.24")
    assert result.void_rate == D("0.36")
    assert result.void_interest is None
    assert any("24%至36%" in note for note in result.notes)
    assert {b.article for b in result.legal_basis} >= {"第二十六条", "第三十一条"}


def test_transition_rule_with_repayment_and_rate_above_36_percent() -> None:
    # contract 2019-01-01 at 40 %; 30,000 repaid 2020-01-01; end 2021-01-01; filed 2021-03-01
    # Agreed rate:
    #   2019-01-01..2019-12-31: 365 days: 100,000 × 40% = 40,000.00; repayment pays 30,000 of it
    #   2020-01-01..2020-08-19: 232 days: 100,000 × 40% × 232 ÷ 365 = 25,424.657…
    #   2020-08-20..2020-12-31: 134 days: 100,000 × 40% × 134 ÷ 365 = 14,684.931…
    #   total 80,109.589… -> 80,109.59
    # Supported (24 % up to 2020-08-19, then 4 × LPR at filing: 4 × 3.85 % (quote 2021-02-22) = 15.40 %):
    #   2019: 100,000 × 24% = 24,000; repayment: 24,000 interest + 6,000 principal -> 94,000
    #   2020-01-01..08-19: 94,000 × 24% × 232 ÷ 365 = 14,339.506…
    #   2020-08-20..12-31: 94,000 × 15.40% × 134 ÷ 365 = 5,314.476…
    #   total 43,653.983… -> 43,653.98
    # Above 36 % (void): track at 36 % until 2020-08-19, agreed rate after: 36,000 + 22,882.191… + 14,684.931…
    #   = 73,567.123…; 80,109.589… − 73,567.123… = 6,542.465… -> 6,542.47
    result = loan_interest_from_payload(
        {
            "principal": "100000",
            "start_date": "2019-01-01",
            "end_date": "2021-01-01",
            "annual_rate": "0.40",
            "contract_date": "2019-01-01",
            "filing_date": "2021-03-01",
            "repayments": [{"date": "2020-01-01", "amount": "30000"}],
        }
    )
    assert result.interest == D("80109.59")
    assert result.supported_interest == D("43653.98")
    assert result.excess_interest == D("36455.61")  # 80,109.589… − 43,653.983… = 36,455.605…
    assert result.void_interest == D("6542.47")
    assert [(c.rule, c.cap_rate) for c in result.cap_periods] == [("2015", D("0.24")), ("2020", D("0.154"))]
    assert [s.days for s in result.segments] == [365, 232, 134]
    assert result.supported.outstanding_principal == D("94000.00")
    assert result.outstanding_principal == D("100000.00")  # agreed track: the 30,000 went to interest
    assert result.repayments[0].to_interest == D("30000")
    assert result.warnings == ()


def test_transition_without_filing_date_warns() -> None:
    result = calculate_loan_interest(
        principal="100000",
        start_date="2020-01-01",
        end_date="2021-01-01",
        rate=RateSpec.annual("0.2"),
        contract_date="2020-01-01",
    )
    assert any("未填写起诉日期" in w for w in result.warnings)
    # a filing date before 2020-08-20 keeps the 2015 rule for the whole period
    old = calculate_loan_interest(
        principal="100000",
        start_date="2020-01-01",
        end_date="2021-01-01",
        rate=RateSpec.annual("0.2"),
        contract_date="2020-01-01",
        filing_date="2020-06-01",
    )
    assert [c.rule for c in old.cap_periods] == ["2015"]
    assert old.exceeds_cap is False


def test_lpr_multiple_fixed_at_contract_date() -> None:
    # contract 2023-01-01: 1-year LPR 3.65 % (quote of 2022-12-20) × 1.5 = 5.475 %; 365 days -> 5,475.00
    result = loan_interest_from_payload(
        {
            "principal": "100000",
            "start_date": "2023-01-01",
            "end_date": "2024-01-01",
            "lpr_multiple": "1.5",
            "lpr_term": "1y",
            "contract_date": "2023-01-01",
        }
    )
    assert result.interest == D("5475.00")
    assert result.legal_cap_rate == D("0.146")  # 4 × 3.65 %


def test_lpr_floating_splits_at_each_change() -> None:
    # 2024-06-01..07-21: 51 days at 3.45 %; 07-22..10-20: 91 days at 3.35 %; 10-21..11-30: 41 days at 3.10 %
    # 100,000 × (3.45%×51 + 3.35%×91 + 3.10%×41) ÷ 365 = 100,000 × 6.079 ÷ 365 = 1,665.479… -> 1,665.48
    result = calculate_loan_interest(
        principal="100000",
        start_date="2024-06-01",
        end_date="2024-12-01",
        rate=RateSpec.lpr("1", "1y", floating=True),
    )
    assert [s.days for s in result.segments] == [51, 91, 41]
    assert result.interest == D("1665.48")


def test_monthly_and_daily_rates() -> None:
    # monthly 1.5 % = 18 % a year: 100,000 × 18% × 365 ÷ 365 = 18,000
    monthly = calculate_loan_interest(
        principal="100000", start_date="2023-01-01", end_date="2024-01-01", rate=RateSpec.monthly("0.015")
    )
    assert monthly.interest == D("18000.00")
    assert monthly.exceeds_cap is True  # cap 4 × 3.65 % = 14.60 %
    # daily 0.05 %: 100,000 × 0.05% × 365 = 18,250; annual equivalent 0.05% × 365 = 18.25 %
    daily = calculate_loan_interest(
        principal="100000", start_date="2023-01-01", end_date="2024-01-01", rate=RateSpec.daily("0.0005")
    )
    assert daily.interest == D("18250.00")
    assert daily.segments[0].annual_rate == D("0.1825")
    # 360-day basis on request: 100,000 × 18% × 365 ÷ 360 = 18,250
    basis_360 = calculate_loan_interest(
        principal="100000",
        start_date="2023-01-01",
        end_date="2024-01-01",
        rate=RateSpec.annual("0.18"),
        day_basis=360,
    )
    assert basis_360.interest == D("18250.00")


def test_repayment_order() -> None:
    # 100,000 at 7.3 % (0.02 % a day); 50,000 repaid after 100 days (2023-04-11): interest due 2,000
    # interest first: 2,000 interest + 48,000 principal -> 52,000 × 0.02% × 100 = 1,040 more
    # principal first: 50,000 principal -> 50,000 × 0.02% × 100 = 1,000 more, 2,000 still unpaid
    facts = {
        "principal": "100000",
        "start_date": "2023-01-01",
        "end_date": "2023-07-20",
        "annual_rate": "0.073",
        "repayments": [{"date": "2023-04-11", "amount": "50000"}],
    }
    first = loan_interest_from_payload(facts)
    assert (first.interest, first.outstanding_principal, first.outstanding_total) == (
        D("3040.00"),
        D("52000.00"),
        D("53040.00"),
    )
    second = loan_interest_from_payload({**facts, "repayment_order": "principal_first"})
    assert (second.interest, second.outstanding_principal, second.outstanding_total) == (
        D("3000.00"),
        D("50000.00"),
        D("53000.00"),
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end_date": "2022-12-31"}, "end_date"),
        ({"repayments": [{"date": "2024-01-02", "amount": "1"}]}, "repayments[0].date"),
        ({"repayments": [{"date": "2022-12-31", "amount": "1"}]}, "repayments[0].date"),
        ({"repayments": [{"date": "2023-06-01", "amount": "0"}]}, "repayments[0].amount"),
        ({"principal": "-5"}, "principal"),
        ({"annual_rate": "15"}, "annual_rate"),
        ({"annual_rate": None}, "annual_rate"),
        ({"monthly_rate": "0.01"}, "monthly_rate"),
        ({"day_basis": 300}, "day_basis"),
        ({"annual_rate": None, "lpr_multiple": "2", "contract_date": "2019-01-01"}, "lpr_multiple"),
        ({"contract_date": "2025-07-01"}, "contract_date"),
        ({"lpr_term": "1y"}, "lpr_term"),
        ({"repayment_order": "whatever"}, "repayment_order"),
        ({"start": "2023-01-01"}, "start"),
    ],
)
def test_bad_input_raises_calculation_error(changes: dict[str, object], field: str) -> None:
    payload: dict[str, object] = {
        "principal": "100000",
        "start_date": "2023-01-01",
        "end_date": "2024-01-01",
        "annual_rate": "0.1",
        **changes,
    }
    with pytest.raises(CalculationError) as error:
        loan_interest_from_payload(payload)
    assert error.value.field == field


# -- properties ---------------------------------------------------------------------------------------


def _close(whole: Decimal, part_one: Decimal, part_two: Decimal) -> bool:
    """Equal up to the 50-digit working precision (each part went through one division by the day basis)."""
    with localcontext() as ctx:
        ctx.prec = 60
        return abs(whole - (part_one + part_two)) <= D("1e-40") * max(D(1), abs(whole))


money = st.integers(min_value=1, max_value=10_000_000_000).map(lambda c: D(c) / 100)
rates = st.integers(min_value=0, max_value=5000).map(lambda bp: D(bp) / 10000)
dates = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2024, 12, 31))


@settings(deadline=None)
@given(principal=money, rate=rates, start=dates, first=st.integers(0, 400), second=st.integers(0, 400))
def test_splitting_a_period_without_repayments_does_not_change_interest(
    principal: Decimal, rate: Decimal, start: dt.date, first: int, second: int
) -> None:
    middle = start + dt.timedelta(days=first)
    end = middle + dt.timedelta(days=second)
    spec = RateSpec.annual(rate)

    def run(a: dt.date, b: dt.date) -> Decimal:
        return calculate_loan_interest(
            principal=principal,
            start_date=a,
            end_date=b,
            rate=spec,
            contract_date=start,
            filing_date="2025-01-02",
        ).interest_exact

    assert _close(run(start, end), run(start, middle), run(middle, end))


@settings(deadline=None)
@given(principal=money, start=st.dates(dt.date(2020, 1, 1), dt.date(2024, 1, 1)), first=st.integers(0, 300))
def test_splitting_with_floating_lpr(principal: Decimal, start: dt.date, first: int) -> None:
    middle = start + dt.timedelta(days=first)
    end = middle + dt.timedelta(days=150)
    spec = RateSpec.lpr("1.3", "5y", floating=True)

    def run(a: dt.date, b: dt.date) -> Decimal:
        return calculate_loan_interest(
            principal=principal,
            start_date=a,
            end_date=b,
            rate=spec,
            contract_date=start,
            filing_date="2025-01-02",
        ).interest_exact

    assert _close(run(start, end), run(start, middle), run(middle, end))


@settings(deadline=None)
@given(
    principal=money,
    rate=rates,
    start=dates,
    length=st.integers(0, 800),
    repayments=st.lists(st.tuples(st.integers(0, 800), money), max_size=4),
    extra=st.tuples(st.integers(0, 800), money),
    principal_first=st.booleans(),
)
def test_repayments_never_increase_what_is_owed(
    principal: Decimal,
    rate: Decimal,
    start: dt.date,
    length: int,
    repayments: list[tuple[int, Decimal]],
    extra: tuple[int, Decimal],
    principal_first: bool,
) -> None:
    end = start + dt.timedelta(days=length)

    def run(items: list[tuple[int, Decimal]]) -> tuple[Decimal, Decimal]:
        result = calculate_loan_interest(
            principal=principal,
            start_date=start,
            end_date=end,
            rate=RateSpec.annual(rate),
            contract_date=start,
            filing_date="2025-01-02",
            repayments=[Repayment(start + dt.timedelta(days=min(o, length)), a) for o, a in items],
            repayment_order="principal_first" if principal_first else "interest_first",
        )
        return result.outstanding_total, result.supported.outstanding_total

    before = run(repayments)
    after = run([*repayments, extra])
    assert after[0] <= before[0]
    assert after[1] <= before[1]
