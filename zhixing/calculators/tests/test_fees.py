"""Fee tables of the《诉讼费用交纳办法》: the regulation's own brackets, hand-computed examples, properties."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhixing.calculators import (
    CalculationError,
    FeeReduction,
    FeeResult,
    acceptance_fee_from_payload,
    calculate_acceptance_fee,
    calculate_bankruptcy_fee,
    calculate_execution_fee,
    calculate_payment_order_fee,
    calculate_preservation_fee,
    execution_fee_from_payload,
    preservation_fee_from_payload,
)

D = Decimal


# -- 申请执行费, 第十四条第（一）项 ---------------------------------------------------------------------

EXECUTION_TABLE = [
    # amount, fee, arithmetic
    ("0.01", "50.00"),  # 不超过1万元的，每件交纳50元
    ("5000", "50.00"),
    ("10000", "50.00"),  # upper edge of the first bracket
    ("10000.01", "50.00"),  # 50 + 0.01×1.5% = 50.00015
    ("12345.67", "85.19"),  # 50 + 2,345.67×1.5% = 50 + 35.18505 = 85.18505
    ("100000", "1400.00"),  # 50 + 90,000×1.5% = 50 + 1,350
    ("500000", "7400.00"),  # 50 + 490,000×1.5% = 50 + 7,350
    ("1000000", "12400.00"),  # 7,400 + 500,000×1% = 7,400 + 5,000
    ("5000000", "52400.00"),  # 7,400 + 4,500,000×1% = 7,400 + 45,000
    ("10000000", "77400.00"),  # 52,400 + 5,000,000×0.5% = 52,400 + 25,000
    ("20000000", "87400.00"),  # 77,400 + 10,000,000×0.1% = 77,400 + 10,000
]


@pytest.mark.parametrize(("amount", "fee"), EXECUTION_TABLE)
def test_execution_fee_table(amount: str, fee: str) -> None:
    assert calculate_execution_fee(amount).fee == D(fee)


def test_execution_fee_worked_example_one_million() -> None:
    result = calculate_execution_fee("1000000")
    # 不超过1万元: 50; 1万–50万: 490,000 × 1.5% = 7,350; 50万–100万: 500,000 × 1% = 5,000; total 12,400
    assert [step.fee for step in result.steps] == [D("50"), D("7350.000"), D("5000.00")]
    assert [step.portion for step in result.steps] == [D("10000"), D("490000"), D("500000")]
    assert result.fee == D("12400.00")
    assert result.payer == "被执行人"
    assert "执行后交纳" in result.prepayment
    assert {b.article for b in result.legal_basis} >= {
        "第十四条第（一）项",
        "第二十条第二款",
        "第三十八条第一款、第二款",
    }
    data = result.to_dict()
    json.dumps(data, ensure_ascii=False)
    assert data["fee"] == "12400.00"
    assert len(data["steps"]) == 3


def test_execution_fee_without_amount_uses_configured_figure_within_range() -> None:
    default = calculate_execution_fee(None)
    assert default.fee == D("50.00")
    assert default.fee_range == (D("50"), D("500"))
    configured = calculate_execution_fee(None, no_amount_fee="300")
    assert configured.fee == D("300.00")
    with pytest.raises(CalculationError) as error:
        calculate_execution_fee(None, no_amount_fee="600")
    assert error.value.field == "no_amount_fee"
    assert execution_fee_from_payload({"amount": None}).fee_range == (D("50"), D("500"))


# -- 财产保全申请费, 第十四条第（二）项 ------------------------------------------------------------------

PRESERVATION_TABLE = [
    ("500", "30.00"),  # 不超过1000元的，每件交纳30元
    ("1000", "30.00"),
    ("50000", "520.00"),  # 30 + 49,000×1% = 30 + 490
    ("100000", "1020.00"),  # 30 + 99,000×1% = 30 + 990
    ("500000", "3020.00"),  # 1,020 + 400,000×0.5% = 1,020 + 2,000
    (
        "896000",
        "5000.00",
    ),  # 1,020 + 796,000×0.5% = 1,020 + 3,980 = 5,000: the ceiling is reached exactly here
    ("1000000", "5000.00"),  # 1,020 + 900,000×0.5% = 5,520 -> 最多不超过5000元
]


@pytest.mark.parametrize(("amount", "fee"), PRESERVATION_TABLE)
def test_preservation_fee_table(amount: str, fee: str) -> None:
    assert calculate_preservation_fee(amount).fee == D(fee)


def test_preservation_fee_cap_is_shown_as_an_adjustment() -> None:
    result = calculate_preservation_fee("1000000")
    assert result.fee_exact == D("5000")
    assert result.adjustments[0].fee_before == D("5520.000")
    assert result.adjustments[0].fee_after == D("5000")
    assert calculate_preservation_fee(None).fee == D("30.00")  # 不涉及财产数额
    assert preservation_fee_from_payload({"amount": "50000"}).fee == D("520.00")


# -- 案件受理费, 第十三条第（一）项, and derived fees ---------------------------------------------------

ACCEPTANCE_TABLE = [
    ("10000", "50.00"),
    ("100000", "2300.00"),  # 50 + 90,000×2.5% = 50 + 2,250
    ("200000", "4300.00"),  # 2,300 + 100,000×2% = 2,300 + 2,000
    ("500000", "8800.00"),  # 4,300 + 300,000×1.5% = 4,300 + 4,500
    ("1000000", "13800.00"),  # 8,800 + 500,000×1% = 8,800 + 5,000
    ("2000000", "22800.00"),  # 13,800 + 1,000,000×0.9% = 13,800 + 9,000
    ("5000000", "46800.00"),  # 22,800 + 3,000,000×0.8% = 22,800 + 24,000
    ("10000000", "81800.00"),  # 46,800 + 5,000,000×0.7% = 46,800 + 35,000
    ("20000000", "141800.00"),  # 81,800 + 10,000,000×0.6% = 81,800 + 60,000
    ("30000000", "191800.00"),  # 141,800 + 10,000,000×0.5% = 141,800 + 50,000
]


@pytest.mark.parametrize(("amount", "fee"), ACCEPTANCE_TABLE)
def test_acceptance_fee_table(amount: str, fee: str) -> None:
    assert calculate_acceptance_fee(amount).fee == D(fee)


def test_acceptance_fee_halving() -> None:
    # 2,300 ÷ 2 = 1,150 (第十六条 简易程序)
    result = calculate_acceptance_fee("100000", reduction=FeeReduction.SIMPLIFIED)
    assert result.fee == D("1150.00")
    assert any(b.article == "第十六条" for b in result.legal_basis)
    assert acceptance_fee_from_payload({"amount": "100000", "reduction": "mediation"}).fee == D("1150.00")
    with pytest.raises(CalculationError) as error:
        calculate_acceptance_fee("100000", reduction="half")
    assert error.value.field == "reduction"


def test_payment_order_and_bankruptcy_fees() -> None:
    # 支付令: 2,300 × 1/3 = 766.666… -> 766.67
    assert calculate_payment_order_fee("100000").fee == D("766.67")
    # 破产: 13,800 ÷ 2 = 6,900
    assert calculate_bankruptcy_fee("1000000").fee == D("6900.00")
    # 200,000,000: 141,800 + 180,000,000×0.5% = 1,041,800; half 520,900 > 300,000 -> 最高不超过30万元
    big = calculate_bankruptcy_fee("200000000")
    assert big.fee == D("300000.00")
    assert [a.fee_after for a in big.adjustments] == [D("520900.000"), D("300000")]


@pytest.mark.parametrize(
    ("amount", "field_fragment"),
    [("-1", "负数"), ("0", "大于0"), ("100.001", "两位小数"), ("abc", "不是有效的数字"), ("1e20", "上限")],
)
def test_bad_amounts_raise_calculation_error(amount: str, field_fragment: str) -> None:
    for function in (calculate_execution_fee, calculate_preservation_fee, calculate_acceptance_fee):
        with pytest.raises(CalculationError) as error:
            function(amount)
        assert error.value.field == "amount"
        assert field_fragment in error.value.message


def test_json_number_input_is_read_through_its_decimal_text() -> None:
    assert calculate_execution_fee(12345.67).fee == D("85.19")  # type: ignore[arg-type]


def test_unknown_payload_key_is_reported() -> None:
    with pytest.raises(CalculationError) as error:
        execution_fee_from_payload({"amout": "100"})
    assert error.value.field == "amout"


# -- properties ---------------------------------------------------------------------------------------

cents = st.integers(min_value=1, max_value=5_000_000_000).map(lambda c: D(c) / 100)
FUNCTIONS: list[tuple[Callable[[Decimal], FeeResult], Decimal]] = [
    (calculate_execution_fee, D("0.015")),
    (calculate_preservation_fee, D("0.01")),
    (calculate_acceptance_fee, D("0.025")),
]


@given(a=cents, b=cents)
def test_fees_are_non_decreasing_and_continuous(a: Decimal, b: Decimal) -> None:
    low, high = min(a, b), max(a, b)
    for function, top_rate in FUNCTIONS:
        f_low, f_high = function(low), function(high)
        assert f_low.fee <= f_high.fee
        assert f_low.fee_exact <= f_high.fee_exact
        # Lipschitz with the highest marginal rate: no jump anywhere, in particular at the bracket edges
        assert f_high.fee_exact - f_low.fee_exact <= top_rate * (high - low)


@given(amount=cents)
def test_fee_equals_sum_of_steps(amount: Decimal) -> None:
    result = calculate_execution_fee(amount)
    assert result.fee_exact == sum(step.fee for step in result.steps)
    assert sum(step.portion for step in result.steps) == amount
