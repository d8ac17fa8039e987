"""Staff LPR quotes: who may enter them, validation, audit, and that calculations use them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from zhixing.audit.models import AuditEvent
from zhixing.calcweb import selectors, services
from zhixing.calcweb.models import CourtFeeSetting, LprQuote

pytestmark = pytest.mark.django_db
URL = "/workbench/calculators/lpr/"


def test_sysadmin_may_open_and_add(world: Any, as_user: Any) -> None:
    client = as_user(world.admin)
    page = client.get(URL)
    assert page.status_code == 200
    assert "LPR报价" in page.content.decode()
    response = client.post(URL, {"date": "2025-06-20", "lpr_1y": "3.00", "lpr_5y_plus": "3.50", "source": ""})
    assert response.status_code == 302
    quote = LprQuote.objects.get()
    assert (quote.date, quote.lpr_1y, quote.lpr_5y_plus) == (
        dt.date(2025, 6, 20),
        Decimal("3.00"),
        Decimal("3.50"),
    )
    assert quote.entered_by == world.admin
    event = AuditEvent.objects.filter(action="calculators.lpr_quote_create").get()
    assert event.actor == world.admin and event.details["lpr_1y"] == "3.00"
    # the rate table now reaches one month further
    assert selectors.rate_table().lpr_valid_through == dt.date(2025, 7, 19)


def test_nav_entry_only_for_sysadmins(world: Any, as_user: Any) -> None:
    assert "/workbench/calculators/lpr/" in as_user(world.admin).get("/workbench/").content.decode()
    assert "/workbench/calculators/lpr/" not in as_user(world.judge).get("/workbench/").content.decode()


def test_judge_may_not(world: Any, as_user: Any) -> None:
    client = as_user(world.judge)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"date": "2025-06-20", "lpr_1y": "3", "lpr_5y_plus": "3.5"}).status_code == 403
    assert not LprQuote.objects.exists()


def test_anonymous_is_redirected_to_login(client: Any) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert "/workbench/login/" in response["Location"]


def test_party_is_forbidden(world: Any, as_user: Any) -> None:
    assert as_user(world.party).get(URL).status_code == 403


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"date": "2025-06-20", "lpr_1y": "30", "lpr_5y_plus": "3.5"}, "lpr_1y", "不在合理范围"),
        ({"date": "2025-06-20", "lpr_1y": "-1", "lpr_5y_plus": "3.5"}, "lpr_1y", "不在合理范围"),
        ({"date": "2025-06-20", "lpr_1y": "3", "lpr_5y_plus": "abc"}, "lpr_5y_plus", "不是有效的数字"),
        ({"date": "2019-01-20", "lpr_1y": "3", "lpr_5y_plus": "3.5"}, "date", "2019年8月20日"),
        ({"date": "", "lpr_1y": "3", "lpr_5y_plus": "3.5"}, "date", "格式不正确"),
    ],
)
def test_bad_quotes_rejected_with_422(
    world: Any, as_user: Any, data: dict[str, str], field: str, message: str
) -> None:
    response = as_user(world.admin).post(URL, data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not LprQuote.objects.exists()
    with pytest.raises(ValidationError) as info:
        services.lpr_quote_create(actor=world.admin, **data)
    assert field in info.value.message_dict


def test_future_and_duplicate_dates_rejected(world: Any) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as info:
        services.lpr_quote_create(actor=world.admin, date=tomorrow.isoformat(), lpr_1y="3", lpr_5y_plus="3.5")
    assert "不能晚于今天" in info.value.message_dict["date"][0]
    services.lpr_quote_create(actor=world.admin, date="2025-06-20", lpr_1y="3", lpr_5y_plus="3.5")
    with pytest.raises(ValidationError):
        services.lpr_quote_create(actor=world.admin, date="2025-06-20", lpr_1y="3", lpr_5y_plus="3.5")


def test_service_refuses_non_admins(world: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.lpr_quote_create(actor=world.judge, date="2025-06-20", lpr_1y="3", lpr_5y_plus="3.5")


def test_delete_is_audited_and_admin_only(world: Any, as_user: Any) -> None:
    quote = services.lpr_quote_create(actor=world.admin, date="2025-06-20", lpr_1y="3", lpr_5y_plus="3.5")
    delete_url = f"{URL}{quote.pk}/delete/"
    assert as_user(world.judge).post(delete_url).status_code == 403
    assert LprQuote.objects.exists()
    assert as_user(world.admin).post(delete_url).status_code == 302
    assert not LprQuote.objects.exists()
    assert AuditEvent.objects.filter(action="calculators.lpr_quote_delete").exists()


def test_court_fee_setting_service(world: Any) -> None:
    services.court_fee_setting_set(actor=world.admin, court=world.court, no_amount_execution_fee="250")
    assert selectors.no_amount_execution_fee(world.court) == Decimal("250.00")
    with pytest.raises(ValidationError):
        services.court_fee_setting_set(actor=world.admin, court=world.court, no_amount_execution_fee="600")
    assert CourtFeeSetting.objects.get().no_amount_execution_fee == Decimal("250.00")
    assert AuditEvent.objects.filter(action="calculators.court_fee_setting_set").count() == 1
