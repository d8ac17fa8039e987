from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from zhixing.audit.models import AuditEvent
from zhixing.cases.models import EnforcementCase, Party
from zhixing.cases.selectors import cases_of_party_user, cases_of_unit
from zhixing.cases.services import PartyInput, case_file, parse_amount

from .conftest import UNIT, World


def _parties() -> list[PartyInput]:
    return [
        PartyInput(role="applicant", kind="natural", name="王五", id_number="370102199208157895"),
        PartyInput(role="respondent", kind="legal", name="某公司", id_number=UNIT[1]),
    ]


def test_case_file_writes_case_node_and_audit(world: World) -> None:
    before = AuditEvent.objects.count()
    case = case_file(
        actor=world.judge,
        court=world.court,
        number="(2025)鲁0102执900号",
        filed_on=date(2025, 1, 2),
        basis_issuer="济南市历下区人民法院",
        basis_number="（2024）鲁0102民初5号",
        amount="1234.50",
        parties=_parties(),
    )
    assert case.number == "（2025）鲁0102执900号" or case.number.endswith("执900号")
    assert case.progress_nodes.get().name == "立案"
    event = AuditEvent.objects.order_by("-id").first()
    assert AuditEvent.objects.count() == before + 1 and event is not None
    assert (event.action, event.object_id, event.actor_id) == ("case.file", str(case.pk), world.judge.pk)
    respondent = case.parties.get(role="respondent")
    assert respondent.id_kind == "credit_code" and respondent.masked_id == UNIT[1]
    applicant = case.parties.get(role="applicant")
    assert applicant.masked_id == "370102********7895" and applicant.gender == "男"


@pytest.mark.parametrize(
    ("field", "overrides", "message"),
    [
        ("number", {"number": "（2025）鲁0103执1号"}, "法院代字"),
        ("number", {"number": "鲁0102执1号"}, "案号格式"),
        ("amount", {"amount": "-5"}, "负数"),
        ("amount", {"amount": "12.345"}, "两位小数"),
        ("amount", {"amount": "abc"}, "金额格式"),
        ("basis_number", {"basis_number": " "}, "文号"),
    ],
)
def test_case_file_rejects_bad_input_and_saves_nothing(
    world: World, field: str, overrides: dict, message: str
) -> None:
    count = EnforcementCase.objects.count()
    kwargs = {
        "actor": world.judge,
        "court": world.court,
        "number": "（2025）鲁0102执901号",
        "filed_on": date(2025, 1, 2),
        "basis_issuer": "某院",
        "basis_number": "某号",
        "amount": "10",
        "parties": _parties(),
    }
    kwargs.update(overrides)
    with pytest.raises(ValidationError) as err:
        case_file(**kwargs)  # type: ignore[arg-type]
    assert message in " ".join(err.value.message_dict[field])
    assert EnforcementCase.objects.count() == count


def test_case_file_rejects_bad_party_identity(world: World) -> None:
    parties = [
        PartyInput(role="applicant", kind="natural", name="甲", id_number="370102199208157890"),
        PartyInput(role="respondent", kind="legal", name="乙", id_number="123"),
    ]
    with pytest.raises(ValidationError) as err:
        case_file(
            actor=None,
            court=world.court,
            number="（2025）鲁0102执902号",
            filed_on=date(2025, 1, 2),
            basis_issuer="x",
            basis_number="y",
            parties=parties,
        )
    assert "校验位" in err.value.message_dict["parties.0.id_number"][0]
    assert "parties.1.id_number" in err.value.message_dict


def test_duplicate_number_is_a_field_error(world: World) -> None:
    with pytest.raises(ValidationError) as err:
        case_file(
            actor=None,
            court=world.court,
            number=world.case.number,
            filed_on=world.case.filed_on,
            basis_issuer="x",
            basis_number="y",
            parties=_parties(),
        )
    assert "已存在" in err.value.message_dict["number"][0]


def test_future_filing_date_refused(world: World) -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as err:
        case_file(
            actor=None,
            court=world.court,
            number=f"（{tomorrow.year}）鲁0102执903号",
            filed_on=tomorrow,
            basis_issuer="x",
            basis_number="y",
            parties=_parties(),
        )
    assert "filed_on" in err.value.message_dict


def test_parse_amount() -> None:
    assert str(parse_amount("1,000.5")) == "1000.50"
    assert parse_amount(None) is None
    with pytest.raises(ValidationError):
        parse_amount("NaN")
    with pytest.raises(ValidationError):
        parse_amount("1e30")


def test_party_sees_only_own_cases(world: World) -> None:
    assert list(cases_of_party_user(user=world.party)) == [world.case]
    assert list(cases_of_party_user(user=world.other_party)) == [world.other_case]
    assert list(cases_of_party_user(user=world.public)) == []


def test_unit_sees_case_with_its_code_and_query_code(world: World) -> None:
    code = world.unit_case.query_code
    assert list(cases_of_unit(unit_code=UNIT[1], query_code=code)) == [world.unit_case]
    assert list(cases_of_unit(unit_code=UNIT[1][8:17], query_code=code)) == [world.unit_case]
    assert list(cases_of_unit(unit_code=UNIT[1], query_code=world.case.query_code)) == []
    # A natural person's ID number never opens a case through unit login.
    applicant = world.unit_case.parties.get(role="applicant")
    assert list(cases_of_unit(unit_code=applicant.id_number, query_code=code)) == []


def test_personal_data_is_encrypted_at_rest(world: World) -> None:
    party = world.case.parties.get(role="applicant")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, id_index FROM cases_party WHERE id = %s", [party.pk])
        raw_id, index = cursor.fetchone()
        cursor.execute("SELECT phone FROM accounts_user WHERE id = %s", [world.party.pk])
        raw_phone = cursor.fetchone()[0]
    assert party.id_number not in raw_id and raw_id.startswith("v1:")
    assert party.id_number not in index and len(index) == 64
    assert "13900000001" not in raw_phone
    assert Party.objects.get(pk=party.pk).id_number == party.id_number
