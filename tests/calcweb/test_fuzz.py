"""Property test: whatever JSON arrives, the calculators answer 200 or 422 — never a 500."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

ENDPOINTS = ["execution-fee", "preservation-fee", "acceptance-fee", "delay-interest", "loan-interest"]
KEYS = [
    "amount",
    "no_amount_fee",
    "court",
    "reduction",
    "principal",
    "due_date",
    "end_date",
    "payments",
    "excluded_periods",
    "general_interest",
    "instalments",
    "general_interest_first",
    "day_basis_2009",
    "start_date",
    "contract_date",
    "filing_date",
    "annual_rate",
    "monthly_rate",
    "daily_rate",
    "lpr_multiple",
    "lpr_term",
    "lpr_floating",
    "lpr_reference_date",
    "repayments",
    "repayment_order",
    "day_basis",
    "date",
    "start",
    "end",
    "base",
    "note",
    "reason",
    "typo",
]
dates = st.dates(min_value=dt.date(1988, 1, 1), max_value=dt.date(2032, 12, 31)).map(lambda d: d.isoformat())
money_text = st.decimals(allow_nan=True, allow_infinity=True, places=3).map(str)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=12),
    dates,
    money_text,
    st.sampled_from(["1y", "5y", "interest_first", "mediation", "2024-02-30", "1e999", "NaN", "-0", ""]),
)
json_values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.sampled_from(KEYS), children, max_size=5),
    ),
    max_leaves=12,
)
payloads = st.dictionaries(st.sampled_from(KEYS), json_values, max_size=8)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(endpoint=st.sampled_from(ENDPOINTS), body=st.one_of(payloads, json_values))
def test_random_json_never_500(endpoint: str, body: Any) -> None:
    response = Client().post(
        f"/api/v1/calculators/{endpoint}", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code in {200, 422}, (response.status_code, body, response.content[:300])
    data = response.json()
    if response.status_code == 422:
        assert data["detail"] and data["errors"]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    principal=money_text,
    due=dates,
    end=dates,
    payments=st.lists(st.fixed_dictionaries({"date": dates, "amount": money_text}), max_size=3),
)
def test_delay_interest_plausible_shapes_never_500(
    principal: str, due: str, end: str, payments: list[Any]
) -> None:
    body = {"principal": principal, "due_date": due, "end_date": end, "payments": payments}
    response = Client().post(
        "/api/v1/calculators/delay-interest", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code in {200, 422}, (body, response.content[:300])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    principal=money_text,
    start=dates,
    end=dates,
    contract=st.one_of(st.none(), dates),
    rate=st.one_of(
        st.just({"annual_rate": "0.15"}),
        st.builds(lambda m: {"lpr_multiple": m, "lpr_term": "1y"}, money_text),
    ),
)
def test_loan_interest_plausible_shapes_never_500(
    principal: str, start: str, end: str, contract: str | None, rate: dict[str, Any]
) -> None:
    body = {"principal": principal, "start_date": start, "end_date": end, "contract_date": contract, **rate}
    response = Client().post(
        "/api/v1/calculators/loan-interest", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code in {200, 422}, (body, response.content[:300])


FORM_FIELDS = [
    "amount",
    "court",
    "reduction",
    "principal",
    "due_date",
    "end_date",
    "payment_date",
    "payment_amount",
    "payment_note",
    "excluded_start",
    "excluded_end",
    "instalment_due",
    "instalment_amount",
    "gi_rate_kind",
    "gi_rate",
    "gi_lpr_term",
    "gi_base",
    "start_date",
    "contract_date",
    "filing_date",
    "rate_kind",
    "rate",
    "lpr_term",
    "lpr_floating",
    "repay_date",
    "repay_amount",
    "repayment_order",
    "day_basis",
]
form_values = st.one_of(
    st.text(max_size=10),
    dates,
    money_text,
    st.sampled_from(
        ["annual", "monthly", "daily", "lpr", "1y", "5y", "360", "365", "mediation", "鲁0102", ""]
    ),
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    slug=st.sampled_from(ENDPOINTS),
    data=st.dictionaries(
        st.sampled_from(FORM_FIELDS), st.lists(form_values, min_size=1, max_size=3), max_size=10
    ),
)
def test_random_portal_forms_never_500(slug: str, data: dict[str, list[str]]) -> None:
    cleaned = {key: [v.replace("\x00", "") for v in values] for key, values in data.items()}
    response = Client().post(f"/tools/{slug}/", cleaned, HTTP_HX_REQUEST="true")
    assert response.status_code in {200, 422}, (slug, data)
