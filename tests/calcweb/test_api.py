"""The JSON API of the calculators: worked examples, court defaults, staff LPR quotes and 422s."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from zhixing.calcweb.models import CourtFeeSetting, LprQuote

pytestmark = pytest.mark.django_db
BASE = "/api/v1/calculators"


def post(client: Client, name: str, body: Any) -> Any:
    return client.post(f"{BASE}/{name}", data=json.dumps(body), content_type="application/json")


@pytest.fixture
def client() -> Client:
    return Client()


def test_execution_fee_one_million(client: Client) -> None:
    # 50 (first 10,000) + 490,000 × 1.5 % = 7,350 + 500,000 × 1 % = 5,000 → 12,400.00
    response = post(client, "execution-fee", {"amount": "1000000"})
    assert response.status_code == 200
    body = response.json()
    assert body["fee"] == "12400.00"
    assert [Decimal(s["fee"]) for s in body["steps"]] == [Decimal(50), Decimal(7350), Decimal(5000)]
    assert body["payer"] == "被执行人"
    assert any("第十四条" in b["article"] for b in body["legal_basis"])


@pytest.mark.parametrize(
    ("amount", "fee"),
    [
        ("10000", "50.00"),  # 每件50元
        ("10000.01", "50.00"),  # 0.01 × 1.5 % = 0.00015 → rounds to 50.00
        ("500000", "7400.00"),  # 50 + 490,000 × 1.5 %
        ("5000000", "52400.00"),  # 7,400 + 4,500,000 × 1 %
        ("10000000", "77400.00"),  # 52,400 + 5,000,000 × 0.5 %
        ("20000000", "87400.00"),  # 77,400 + 10,000,000 × 0.1 %
        (1000000, "12400.00"),  # a JSON number is read through its decimal text
    ],
)
def test_execution_fee_brackets(client: Client, amount: Any, fee: str) -> None:
    response = post(client, "execution-fee", {"amount": amount})
    assert response.status_code == 200, response.content
    assert response.json()["fee"] == fee


def test_execution_fee_without_amount_uses_court_setting(client: Client, world: Any) -> None:
    body = post(client, "execution-fee", {"amount": None}).json()
    assert body["fee"] == "50.00" and body["fee_range"] == ["50", "500"]
    CourtFeeSetting.objects.create(court=world.court, no_amount_execution_fee=Decimal(300))
    body = post(client, "execution-fee", {"amount": None, "court": world.court.case_code}).json()
    assert body["fee"] == "300.00"
    assert any("300.00元" in note for note in body["notes"])
    # another court without a setting: the statutory minimum, with the range shown
    body = post(client, "execution-fee", {"amount": None, "court": world.other_court.case_code}).json()
    assert body["fee"] == "50.00"
    # an explicit figure in the request wins
    assert post(client, "execution-fee", {"no_amount_fee": "120"}).json()["fee"] == "120.00"


def test_execution_fee_unknown_court_is_422(client: Client, world: Any) -> None:
    response = post(client, "execution-fee", {"amount": None, "court": "鲁9999"})
    assert response.status_code == 422
    assert "court" in response.json()["errors"]


def test_preservation_and_acceptance_fee(client: Client) -> None:
    # 保全: ≤1,000 → 30元; (100,000 − 1,000) × 1 % = 990 → 1,020.00
    body = post(client, "preservation-fee", {"amount": "100000"}).json()
    assert body["fee"] == "1020.00"
    # 受理费 100,000: 50 + 90,000 × 2.5 % = 2,300; halved for mediation = 1,150
    assert post(client, "acceptance-fee", {"amount": "100000"}).json()["fee"] == "2300.00"
    body = post(client, "acceptance-fee", {"amount": "100000", "reduction": "mediation"}).json()
    assert body["fee"] == "1150.00"


def test_delay_interest_worked_example(client: Client) -> None:
    # 2024-03-02..05-30: 90 days × 100,000 × 0.0175 % = 1,575.00; payment 40,000 clears the debt first;
    # 2024-05-31..09-27: 120 days × 60,000 × 0.0175 % = 1,260.00; total 2,835.00
    response = post(
        client,
        "delay-interest",
        {
            "principal": "100000",
            "due_date": "2024-03-01",
            "end_date": "2024-09-27",
            "payments": [{"date": "2024-05-30", "amount": "40000"}],
            "excluded_periods": [],
            "general_interest": None,
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["doubled_interest"] == "2835.00"
    assert body["general_interest"] is None
    assert body["total"] == "2835.00"
    interest_rows = [s for s in body["segments"] if s["kind"] == "doubled"]
    assert [(s["days"], s["interest_rounded"]) for s in interest_rows] == [(90, "1575.00"), (120, "1260.00")]
    assert body["outstanding_total"] == "62835.00"


def test_delay_interest_with_general_interest_and_excluded_period(client: Client) -> None:
    # Excluded 2024-04-01..04-30 (30 days): doubled interest on 100,000 for 210 − 30 = 180 days = 3,150.00.
    # General interest 3.65 % a year on 100,000 for 210 days (365-day year) = 2,100.00.
    body = post(
        client,
        "delay-interest",
        {
            "principal": "100000",
            "due_date": "2024-03-01",
            "end_date": "2024-09-27",
            "excluded_periods": [{"start": "2024-04-01", "end": "2024-04-30", "reason": "再审中止执行"}],
            "general_interest": {"annual_rate": "0.0365"},
        },
    ).json()
    assert body["doubled_interest"] == "3150.00"
    assert body["general_interest"] == "2100.00"
    assert body["total"] == "5250.00"
    assert body["excluded_days"] == 30


def test_loan_interest_exceeds_cap(client: Client) -> None:
    # Contract 2024-01-10: cap = 4 × 1-year LPR of 2023-12-20 (3.45 %) = 13.8 %; 15 % exceeds it.
    # 100,000 × 15 % × 366 / 365 = 15,041.095… → 15,041.10
    response = post(
        client,
        "loan-interest",
        {
            "principal": "100000",
            "start_date": "2024-01-10",
            "end_date": "2025-01-10",
            "annual_rate": "0.15",
            "contract_date": "2024-01-10",
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["exceeds_cap"] is True
    assert Decimal(body["legal_cap_rate"]) == Decimal("0.138")
    assert body["interest"] == "15041.10"
    assert Decimal(body["excess_interest"]) > 0
    assert body["segments"]


def test_loan_interest_lpr_multiple_within_cap(client: Client) -> None:
    body = post(
        client,
        "loan-interest",
        {
            "principal": "100000",
            "start_date": "2024-01-10",
            "end_date": "2024-07-10",
            "lpr_multiple": "1.5",
            "lpr_term": "1y",
            "contract_date": "2024-01-10",
        },
    ).json()
    assert body["exceeds_cap"] is False
    assert body["excess_interest"] == "0.00"


def test_loan_interest_past_last_known_quote_needs_staff_quotes(client: Client, world: Any) -> None:
    table_end = dt.date(2025, 6, 19)  # shipped table: last quote 2025-05-20, trusted until 2025-06-19
    payload = {
        "principal": "100000",
        "start_date": "2025-06-25",
        "end_date": "2025-08-25",
        "lpr_multiple": "1",
        "lpr_term": "1y",
        "lpr_floating": True,
        "contract_date": "2025-06-25",
    }
    response = post(client, "loan-interest", payload)
    assert response.status_code == 422
    assert "补录" in response.json()["detail"]
    assert table_end.isoformat() not in response.json()["detail"]  # the message uses 年月日
    for day in ("2025-06-20", "2025-07-21", "2025-08-20"):
        LprQuote.objects.create(date=day, lpr_1y=Decimal("3.00"), lpr_5y_plus=Decimal("3.50"))
    response = post(client, "loan-interest", payload)
    assert response.status_code == 200, response.content
    # 100,000 × 3 % × 61 / 365 = 501.369… → 501.37
    assert response.json()["interest"] == "501.37"


@pytest.mark.parametrize(
    ("name", "body", "field"),
    [
        ("execution-fee", {"amount": "-5"}, "amount"),
        ("execution-fee", {"amount": "abc"}, "amount"),
        ("execution-fee", {"amount": "12.345"}, "amount"),
        ("execution-fee", {"amount": True}, "amount"),
        ("execution-fee", {"amount": "100", "typo": 1}, "typo"),
        ("execution-fee", {"no_amount_fee": "800"}, "no_amount_fee"),
        ("acceptance-fee", {"amount": "100", "reduction": "bogus"}, "reduction"),
        (
            "delay-interest",
            {"principal": "100000", "due_date": "2024-03-01", "end_date": "2024-02-01"},
            "end_date",
        ),
        (
            "delay-interest",
            {
                "principal": "100000",
                "due_date": "2024-03-01",
                "end_date": "2024-09-27",
                "payments": [{"date": "2024-10-30", "amount": "40000"}],
            },
            "payments[0].date",
        ),
        (
            "delay-interest",
            {"principal": "100000", "due_date": "2024-02-30", "end_date": "2024-09-27"},
            "due_date",
        ),
        ("delay-interest", {"principal": "100000", "due_date": "2024-03-01"}, "end_date"),
        (
            "delay-interest",
            {"principal": "1", "due_date": "2024-03-01", "end_date": "2024-04-01", "payments": "x"},
            "payments",
        ),
        (
            "loan-interest",
            {
                "principal": "100000",
                "start_date": "2024-05-01",
                "end_date": "2024-01-01",
                "annual_rate": "0.1",
            },
            "end_date",
        ),
        (
            "loan-interest",
            {"principal": "100000", "start_date": "2024-01-01", "end_date": "2024-05-01"},
            "annual_rate",
        ),
        (
            "loan-interest",
            {"principal": "100000", "start_date": "2024-01-01", "end_date": "2024-05-01", "annual_rate": 11},
            "annual_rate",
        ),
    ],
)
def test_bad_input_is_422_with_chinese_message(client: Client, name: str, body: Any, field: str) -> None:
    response = post(client, name, body)
    assert response.status_code == 422, response.content
    data = response.json()
    assert data["detail"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in data["detail"])
    assert any(key == field or key.startswith(field) for key in data["errors"]), data


@pytest.mark.parametrize("raw", ["{not json", "[]", "null", '"text"', "12"])
def test_malformed_body_is_422(client: Client, raw: str) -> None:
    response = client.post(f"{BASE}/execution-fee", data=raw, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"]


def test_get_is_not_allowed(client: Client) -> None:
    assert client.get(f"{BASE}/execution-fee").status_code == 405


def test_openapi_documents_the_schemas(client: Client) -> None:
    schema = client.get("/api/openapi.json").json()
    paths = schema["paths"]
    for name in ("execution-fee", "preservation-fee", "acceptance-fee", "delay-interest", "loan-interest"):
        assert f"/api/v1/calculators/{name}" in paths
    components = schema["components"]["schemas"]
    assert {"FeeOut", "DelayInterestOut", "LoanInterestOut"} <= set(components)
    delay_in = paths["/api/v1/calculators/delay-interest"]["post"]["requestBody"]["content"][
        "application/json"
    ]
    assert {"principal", "due_date", "end_date", "payments", "excluded_periods", "general_interest"} <= set(
        delay_in["schema"]["properties"]
    )
    payment = delay_in["schema"]["properties"]["payments"]["anyOf"][0]["items"]
    assert {"date", "amount"} <= set(payment["properties"])
    loan_in = paths["/api/v1/calculators/loan-interest"]["post"]["requestBody"]["content"]["application/json"]
    assert {"annual_rate", "lpr_multiple", "lpr_term", "contract_date"} <= set(
        loan_in["schema"]["properties"]
    )
    assert "doubled_interest" in components["DelayInterestOut"]["properties"]
    assert "exceeds_cap" in components["LoanInterestOut"]["properties"]
