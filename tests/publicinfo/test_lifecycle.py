"""Publication follows the case events; removal within 3 working days of performance; terms; minors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from zhixing.cases.models import EnforcementCase
from zhixing.cases.signals import case_closed, measure_lifted, performance_completed
from zhixing.publicinfo import services
from zhixing.publicinfo.models import ListKind, PublishedRecord, RecordStatus

from ..factories import make_case
from .conftest import MINOR, RESPONDENT

pytestmark = pytest.mark.django_db


def _query(client: Any, name: str, id_number: str) -> dict[str, Any]:
    response = client.post(
        "/api/v1/public/comprehensive",
        {"name": name, "id_number": id_number},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return response.json()


def test_filed_case_publishes_its_respondent_as_debtor(respondent_case: EnforcementCase, client: Any) -> None:
    record = PublishedRecord.objects.get(kind=ListKind.DEBTOR, case=respondent_case)
    assert record.name == RESPONDENT[0]
    assert record.id_masked == "370102********4519"
    assert record.court_name == respondent_case.court.name
    assert record.province_code == "37"
    assert RESPONDENT[1] not in str(PublishedRecord.objects.values_list().filter(pk=record.pk).get())
    found = _query(client, *RESPONDENT)
    assert [r["case_number"] for r in found["lists"]["debtor"]] == [respondent_case.number]
    # The applicant is never published.
    assert not PublishedRecord.objects.filter(case=respondent_case).exclude(name=RESPONDENT[0]).exists()


def test_dishonest_decision_appears_in_public_query_with_art6_fields(
    respondent_case: EnforcementCase, dishonest_type: Any, decide: Any, client: Any
) -> None:
    assert _query(client, *RESPONDENT)["lists"]["dishonest"] == []
    decide(
        respondent_case, dishonest_type, "dishonest", grounds=[1, 4], term_months=36, conduct="拒不申报财产"
    )
    result = _query(client, *RESPONDENT)["lists"]["dishonest"]
    assert len(result) == 1
    r = result[0]
    assert r["name"] == "王建国" and r["gender"] == "男" and r["age"] >= 18
    assert r["id_number_masked"] == "370102********4519"
    assert r["court"] == respondent_case.court.name and r["province"] == respondent_case.court.province
    assert (
        r["basis_number"] == respondent_case.basis_number
        and r["basis_issuer"] == respondent_case.basis_issuer
    )
    assert (
        r["case_number"] == respondent_case.number and r["filed_on"] == respondent_case.filed_on.isoformat()
    )
    assert "250000.00" in r["duty"] and r["performance"] == "全部未履行"
    assert r["conduct"] == "拒不申报财产"
    assert r["situations"] == ["有履行能力而拒不履行生效法律文书确定义务", "违反财产报告制度"]
    assert r["published_at"] == timezone.localdate().isoformat()
    assert r["term_until"] is not None


def test_unit_record_shows_credit_code_and_legal_representative(
    world: Any, dishonest_type: Any, decide: Any
) -> None:
    decide(world.unit_case, dishonest_type, "dishonest", grounds=[2])
    record = PublishedRecord.objects.get(kind=ListKind.DISHONEST, case=world.unit_case)
    assert record.subject_kind == "unit" and record.id_masked == "91370102MA3C8KXX5L"
    assert record.gender == "" and record.age is None


def test_terms_follow_art2(respondent_case: EnforcementCase, dishonest_type: Any, decide: Any) -> None:
    day = date(2025, 3, 3)
    assert services.dishonest_term_until(grounds=[1], decided_on=day) is None
    assert services.dishonest_term_until(grounds=[3], decided_on=day) == date(2027, 3, 3)
    assert services.dishonest_term_until(grounds=[2, 3], decided_on=day, term_months=48) == date(2029, 3, 3)
    # Never longer than 2 + 3 years, never shorter than 2 years.
    assert services.dishonest_term_until(grounds=[2], decided_on=day, term_months=99) == date(2030, 3, 3)
    assert services.dishonest_term_until(grounds=[2], decided_on=day, term_months=6) == date(2027, 3, 3)
    assert services.dishonest_term_until(grounds=[2], decided_on=date(2024, 2, 29)) == date(2026, 2, 28)
    assert services.parse_grounds("1，4,9,x") == [1, 4]
    assert services.parse_grounds(None) == []
    matter = decide(respondent_case, dishonest_type, "dishonest", on=day, grounds="5")
    record = PublishedRecord.objects.get(matter_id=matter.pk)
    assert record.term_until == date(2027, 3, 3)
    services.dishonest_term_extend(record=record, years=2, actor=None)
    record.refresh_from_db()
    assert record.term_until == date(2029, 3, 3)
    with pytest.raises(ValidationError):
        services.dishonest_term_extend(record=record, years=4, actor=None)


def test_expired_term_is_removed_by_housekeeping(
    respondent_case: EnforcementCase, dishonest_type: Any, decide: Any
) -> None:
    matter = decide(respondent_case, dishonest_type, "dishonest", on=date(2023, 1, 10), grounds=[4])
    record = PublishedRecord.objects.get(matter_id=matter.pk)
    assert record.term_until == date(2025, 1, 10)
    services.housekeeping_run(today=date(2025, 1, 10))
    record.refresh_from_db()
    assert record.status == RecordStatus.PUBLISHED
    result = services.housekeeping_run(today=date(2025, 1, 11))
    record.refresh_from_db()
    assert (
        result.expired == 1 and record.status == RecordStatus.REMOVED and "期限届满" in record.removal_reason
    )


def test_full_performance_removes_within_three_working_days(
    respondent_case: EnforcementCase,
    dishonest_type: Any,
    restriction_type: Any,
    decide: Any,
    client: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    decide(respondent_case, dishonest_type, "dishonest", grounds=[1])
    decide(respondent_case, restriction_type, "consumption_restriction")
    assert PublishedRecord.objects.filter(case=respondent_case, status="published").count() == 3
    friday = date(2025, 3, 7)  # an ordinary working Friday
    with django_capture_on_commit_callbacks(execute=True):
        performance_completed.send(sender=EnforcementCase, case=respondent_case, on=friday)
    records = PublishedRecord.objects.filter(case=respondent_case)
    assert {r.removal_due_on for r in records} == {date(2025, 3, 12)}  # Mon, Tue, Wed
    assert {r.performance for r in records} == {"已全部履行"}
    services.housekeeping_run(today=date(2025, 3, 11))
    assert records.filter(status="published").count() == 3
    result = services.housekeeping_run(today=date(2025, 3, 12))
    assert result.performed == 3
    assert records.filter(status="published").count() == 0
    # Kept as history, never public.
    assert records.filter(status="removed", removed_at__isnull=False).exclude(removal_reason="").count() == 3
    lists = _query(client, *RESPONDENT)["lists"]
    assert all(v == [] for v in lists.values())


def test_housekeeping_command(
    respondent_case: EnforcementCase, django_capture_on_commit_callbacks: Any
) -> None:
    from io import StringIO

    from django.core.management import call_command

    with django_capture_on_commit_callbacks(execute=True):
        performance_completed.send(sender=EnforcementCase, case=respondent_case, on=date(2025, 3, 7))
    out = StringIO()
    call_command("publicinfo_housekeeping", "--today", "2025-03-12", stdout=out)
    assert "履行完毕/结案 1 条" in out.getvalue()


def test_lifted_measure_is_removed_at_once(
    respondent_case: EnforcementCase,
    restriction_type: Any,
    decide: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    matter = decide(respondent_case, restriction_type, "consumption_restriction")
    record = PublishedRecord.objects.get(matter_id=matter.pk)
    with django_capture_on_commit_callbacks(execute=True):
        measure_lifted.send(
            sender=EnforcementCase, case=respondent_case, measure=matter, kind="consumption_restriction"
        )
    record.refresh_from_db()
    assert record.status == RecordStatus.REMOVED
    # The debtor record of the same case is untouched.
    assert PublishedRecord.objects.get(case=respondent_case, kind="debtor").status == RecordStatus.PUBLISHED


def test_terminated_closing_publishes_terminated_and_removes_debtor(
    respondent_case: EnforcementCase, django_capture_on_commit_callbacks: Any, client: Any
) -> None:
    respondent_case.status = "closed"
    respondent_case.closure_method = "terminated_this_round"
    respondent_case.closed_on = timezone.localdate()
    respondent_case.save()
    with django_capture_on_commit_callbacks(execute=True):
        case_closed.send(
            sender=EnforcementCase,
            case=respondent_case,
            method="terminated_this_round",
            unpaid=Decimal("180000.50"),
        )
    debtor = PublishedRecord.objects.get(case=respondent_case, kind="debtor")
    assert debtor.status == RecordStatus.REMOVED
    lists = _query(client, *RESPONDENT)["lists"]
    assert lists["debtor"] == []
    [terminated] = lists["terminated"]
    assert terminated["amount"] == "250000.00" and terminated["unpaid"] == "180000.50"
    assert terminated["performance"] == "部分履行"


def test_minors_are_never_published(
    world: Any, dishonest_type: Any, decide: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(court=world.court, sequence=77, respondent=MINOR, judge=world.judge)
    decide(case, dishonest_type, "dishonest", grounds=[1])
    assert not PublishedRecord.objects.filter(case=case).exists()


def test_republication_is_idempotent(respondent_case: EnforcementCase) -> None:
    assert services.debtors_publish(case=respondent_case) == []
    assert PublishedRecord.objects.filter(case=respondent_case, kind="debtor").count() == 1


def test_workbench_matter_data_shape(
    respondent_case: EnforcementCase, dishonest_type: Any, decide: Any
) -> None:
    """The stage engine stores kinds, party_id, grounds, term_years and expires_on in CaseMatter.data."""
    party = respondent_case.parties.get(role="respondent")
    data = {
        "kinds": ["consumption_restriction", "dishonest"],
        "party_id": party.pk,
        "grounds": [2, 3],
        "term_years": 3,
        "expires_on": "2028-05-06",
        "decided_on": "2025-05-06",
    }
    matter = decide(respondent_case, dishonest_type, "dishonest", **data)
    record = PublishedRecord.objects.get(matter_id=matter.pk, kind="dishonest")
    assert record.term_until == date(2028, 5, 6) and record.grounds == "2,3"
    services.records_remove(records=PublishedRecord.objects.filter(pk=record.pk), reason="重新纳入测试")
    decide(respondent_case, dishonest_type, "dishonest", party_id=party.pk, grounds=[1], term_years=None)
    assert PublishedRecord.objects.get(kind="dishonest", status="published").term_until is None


def test_terminated_unpaid_from_funds_ledger_when_not_stated(
    respondent_case: EnforcementCase, django_capture_on_commit_callbacks: Any
) -> None:
    from zhixing.workflow.models import FundEntry

    FundEntry.objects.create(case=respondent_case, kind="receipt", status="done", amount=Decimal("50000.00"))
    FundEntry.objects.create(
        case=respondent_case, kind="receipt", status="cancelled", amount=Decimal("9999.00")
    )
    with django_capture_on_commit_callbacks(execute=True):
        case_closed.send(
            sender=EnforcementCase, case=respondent_case, method="terminated_this_round", unpaid=None
        )
    record = PublishedRecord.objects.get(case=respondent_case, kind="terminated")
    assert record.unpaid == Decimal("200000.00") and record.performance == "部分履行"
