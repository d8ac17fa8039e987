"""The contract with the web layer: JSON in, JSON out, and only CalculationError for bad input."""

from __future__ import annotations

import ast
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhixing.calculators import (
    CalculationError,
    acceptance_fee_from_payload,
    delay_interest_from_payload,
    execution_fee_from_payload,
    loan_interest_from_payload,
    preservation_fee_from_payload,
)

PACKAGE = Path(__file__).resolve().parents[1]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "100000",
            "0.15",
            "1e999999",
            "1e-999999",
            "NaN",
            "abc",
            "2024-03-01",
            "2014-07-31",
            "2013-02-28",
            "2030-01-01",
            "1999-06-09",
            "0001-01-01",
            "9999-12-31",
            "1y",
            "5y",
            "interest_first",
            "principal_first",
            "mediation",
        ]
    ),
    st.text(max_size=12),
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


def payloads(keys: list[str], nested: Mapping[str, list[str]]) -> st.SearchStrategy[dict[str, Any]]:
    def value_for(key: str) -> st.SearchStrategy[Any]:
        if key in nested:
            item = st.dictionaries(st.sampled_from(nested[key]), json_values, max_size=len(nested[key]))
            return st.one_of(json_values, st.lists(item, max_size=3), item)
        return json_values

    return st.fixed_dictionaries({}, optional={key: value_for(key) for key in keys})


ADAPTERS: list[tuple[Callable[[Mapping[str, Any]], Any], st.SearchStrategy[dict[str, Any]]]] = [
    (execution_fee_from_payload, payloads(["amount", "no_amount_fee", "bogus"], {})),
    (preservation_fee_from_payload, payloads(["amount"], {})),
    (acceptance_fee_from_payload, payloads(["amount", "reduction"], {})),
    (
        delay_interest_from_payload,
        payloads(
            [
                "principal",
                "due_date",
                "end_date",
                "payments",
                "excluded_periods",
                "general_interest",
                "instalments",
                "general_interest_first",
                "day_basis_2009",
            ],
            {
                "payments": ["date", "amount", "note"],
                "excluded_periods": ["start", "end", "reason"],
                "instalments": ["due_date", "amount"],
                "general_interest": [
                    "annual_rate",
                    "lpr_multiple",
                    "lpr_term",
                    "lpr_floating",
                    "base",
                    "day_basis",
                ],
            },
        ),
    ),
    (
        loan_interest_from_payload,
        payloads(
            [
                "principal",
                "start_date",
                "end_date",
                "annual_rate",
                "monthly_rate",
                "daily_rate",
                "lpr_multiple",
                "lpr_term",
                "lpr_floating",
                "lpr_reference_date",
                "contract_date",
                "filing_date",
                "repayments",
                "repayment_order",
                "day_basis",
            ],
            {"repayments": ["date", "amount", "note"]},
        ),
    ),
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_garbage_input_only_ever_raises_calculation_error(data: st.DataObject) -> None:
    for adapter, strategy in ADAPTERS:
        payload = data.draw(strategy)
        try:
            result = adapter(payload)
        except CalculationError as error:
            assert error.field
            assert error.message
            continue
        json.dumps(result.to_dict(), ensure_ascii=False)


def test_plausible_payloads_succeed_and_serialise() -> None:
    samples: list[tuple[Callable[[Mapping[str, Any]], Any], dict[str, Any]]] = [
        (execution_fee_from_payload, {"amount": "1000000"}),
        (execution_fee_from_payload, {"amount": None}),
        (preservation_fee_from_payload, {"amount": "250000"}),
        (acceptance_fee_from_payload, {"amount": 100000, "reduction": "simplified"}),
        (
            delay_interest_from_payload,
            {
                "instalments": [
                    {"due_date": "2013-05-31", "amount": "30000"},
                    {"due_date": "2014-12-31", "amount": 70000},
                ],
                "end_date": "2015-06-30",
                "payments": [
                    {"date": "2014-01-15", "amount": "10000"},
                    {"date": "2015-02-01", "amount": "50000"},
                ],
                "excluded_periods": [{"start": "2015-03-01", "end": "2015-03-31", "reason": "暂缓执行"}],
                "general_interest": {"annual_rate": "0.06", "day_basis": 360},
            },
        ),
        (
            loan_interest_from_payload,
            {
                "principal": "500000",
                "start_date": "2019-06-01",
                "end_date": "2021-06-01",
                "monthly_rate": "0.02",
                "filing_date": "2021-07-01",
                "repayments": [{"date": "2020-06-01", "amount": "100000"}],
            },
        ),
    ]
    for adapter, payload in samples:
        data = adapter(payload).to_dict()
        text = json.dumps(data, ensure_ascii=False)
        assert "legal_basis" in data
        assert "conventions" in data
        assert "E-" not in text and "E+" not in text  # no scientific notation leaks into the API


def test_the_engine_has_no_django_imports() -> None:
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(name.split(".")[0] == "django" for name in names), path


VALID: list[tuple[Callable[[Mapping[str, Any]], Any], dict[str, Any]]] = [
    (execution_fee_from_payload, {"amount": "1000000", "no_amount_fee": None}),
    (preservation_fee_from_payload, {"amount": "250000"}),
    (acceptance_fee_from_payload, {"amount": "100000", "reduction": "mediation"}),
    (
        delay_interest_from_payload,
        {
            "principal": "100000",
            "due_date": "2013-03-01",
            "end_date": "2024-09-27",
            "payments": [{"date": "2013-05-30", "amount": "40000", "note": "划拨"}],
            "excluded_periods": [{"start": "2015-01-01", "end": "2015-02-01", "reason": "暂缓执行"}],
            "general_interest": {"annual_rate": "0.0435", "base": "90000", "day_basis": 360},
            "general_interest_first": True,
            "day_basis_2009": 360,
        },
    ),
    (
        delay_interest_from_payload,
        {
            "instalments": [
                {"due_date": "2020-01-31", "amount": "30000"},
                {"due_date": "2021-01-31", "amount": "1"},
            ],
            "end_date": "2024-09-27",
            "payments": [{"date": "2021-05-30", "amount": "40000"}],
            "general_interest": {"lpr_multiple": "1.5", "lpr_term": "1y", "lpr_floating": True},
            "general_interest_first": False,
        },
    ),
    (
        loan_interest_from_payload,
        {
            "principal": "100000",
            "start_date": "2019-09-01",
            "end_date": "2023-01-01",
            "lpr_multiple": "4",
            "lpr_term": "5y",
            "lpr_floating": True,
            "lpr_reference_date": "2020-01-01",
            "contract_date": "2019-09-01",
            "filing_date": "2023-02-01",
            "repayments": [{"date": "2021-01-01", "amount": "5000", "note": "x"}],
            "repayment_order": "interest_first",
            "day_basis": 365,
        },
    ),
]


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


def _replace(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    copy: Any = dict(value) if isinstance(value, dict) else list(value)
    copy[path[0]] = _replace(copy[path[0]], path[1:], new)
    return copy


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_one_bad_field_in_a_valid_payload_only_raises_calculation_error(data: st.DataObject) -> None:
    adapter: Callable[[Mapping[str, Any]], Any]
    payload: dict[str, Any]
    adapter, payload = data.draw(st.sampled_from(VALID))
    path = data.draw(st.sampled_from(_paths(payload)))
    mutated = _replace(payload, path, data.draw(json_values))
    try:
        result = adapter(mutated)
    except CalculationError as error:
        assert error.field and error.message
        return
    json.dumps(result.to_dict(), ensure_ascii=False)
