"""Portal pages of the calculators: plain form posts, HTMX fragments, 422s, and the guide tile."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhixing.calcweb.models import CourtFeeSetting

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def text(response: Any) -> str:
    return response.content.decode()


def test_guide_tab_lists_the_calculators(client: Client) -> None:
    page = text(client.get(reverse("portal:guide")))
    assert 'href="/tools/"' in page and "执行计算工具" in page


def test_index_lists_the_three_calculators(client: Client) -> None:
    response = client.get("/tools/")
    assert response.status_code == 200
    page = text(response)
    for title in ("申请执行费", "迟延履行期间的债务利息", "借贷利息"):
        assert title in page
    assert "<script>" not in page and "onclick" not in page
    assert "2025年5月20日" in page and "可计算至 2025年6月19日" in page  # the shipped LPR table's end


def test_unknown_calculator_is_404(client: Client) -> None:
    assert client.get("/tools/nothing/").status_code == 404


def test_execution_fee_plain_post(client: Client) -> None:
    response = client.post("/tools/execution-fee/", {"amount": "1000000"})
    assert response.status_code == 200
    page = text(response)
    assert "12,400.00 元" in page
    assert "7,350.00" in page and "5,000.00" in page  # the bracket rows
    assert "第十四条" in page  # legal basis
    assert "/tools/execution-fee/pdf?amount=1000000" in page
    assert "本计算结果仅供参考" in page


def test_execution_fee_get_with_go(client: Client) -> None:
    response = client.get("/tools/execution-fee/", {"amount": "500000", "go": "1"})
    assert "7,400.00 元" in text(response)


def test_execution_fee_htmx_fragment_and_422(client: Client) -> None:
    response = client.post("/tools/execution-fee/", {"amount": "1000000"}, **HX)
    assert response.status_code == 200
    assert text(response).lstrip().startswith('<div id="calc">')
    assert "HX-Request" in response["Vary"]
    bad = client.post("/tools/execution-fee/", {"amount": "-3"}, **HX)
    assert bad.status_code == 422
    page = text(bad)
    assert "执行金额不能为负数" in page
    assert 'id="err-amount"' in page  # shown beside the input
    assert "计算结果" not in page


def test_execution_fee_without_amount_uses_court_setting(client: Client, world: Any) -> None:
    CourtFeeSetting.objects.create(court=world.court, no_amount_execution_fee=Decimal("200"))
    page = text(client.post("/tools/execution-fee/", {"amount": "", "court": world.court.case_code}))
    assert "200.00 元" in page
    assert world.court.name in page


def test_delay_interest_with_rows(client: Client) -> None:
    data = {
        "principal": "100000",
        "due_date": "2024-03-01",
        "end_date": "2024-09-27",
        "payment_date": ["2024-05-30", ""],
        "payment_amount": ["40000", ""],
        "payment_note": ["划拨", ""],
    }
    response = client.post("/tools/delay-interest/", data)
    assert response.status_code == 200
    page = text(response)
    assert "2,835.00 元" in page
    assert "1,575.00" in page and "1,260.00" in page
    assert "法释〔2014〕8号" in page


def test_delay_interest_payment_after_end_is_422(client: Client) -> None:
    data = {
        "principal": "100000",
        "due_date": "2024-03-01",
        "end_date": "2024-09-27",
        "payment_date": "2024-12-01",
        "payment_amount": "100",
    }
    response = client.post("/tools/delay-interest/", data, **HX)
    assert response.status_code == 422
    assert "第1笔付款" in text(response)


def test_delay_interest_general_interest_in_percent(client: Client) -> None:
    data = {
        "principal": "100000",
        "due_date": "2024-03-01",
        "end_date": "2024-09-27",
        "gi_rate_kind": "annual",
        "gi_rate": "3.65",
    }
    page = text(client.post("/tools/delay-interest/", data))
    assert "2,100.00 元" in page  # 100,000 × 3.65 % × 210 / 365


def test_loan_interest_exceeds_cap(client: Client) -> None:
    data = {
        "principal": "100000",
        "start_date": "2024-01-10",
        "end_date": "2025-01-10",
        "contract_date": "2024-01-10",
        "rate_kind": "annual",
        "rate": "15",
    }
    response = client.post("/tools/loan-interest/", data)
    assert response.status_code == 200
    page = text(response)
    assert "15,041.10 元" in page
    assert "超过上限" in page
    assert "13.80%" in page


def test_loan_interest_past_known_rates_hints_staff(client: Client) -> None:
    data = {
        "principal": "100000",
        "start_date": "2025-06-25",
        "end_date": "2025-09-25",
        "contract_date": "2025-06-25",
        "rate_kind": "lpr",
        "rate": "1",
        "lpr_floating": "1",
    }
    response = client.post("/tools/loan-interest/", data)
    assert response.status_code == 422
    page = text(response)
    assert "补录" in page and "LPR报价" in page
