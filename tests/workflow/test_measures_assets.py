"""Coercive measures within the law, the property register, the funds ledger, field tasks, reminders."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone
from PIL import Image

from zhixing.cases.models import EnforcementCase, Party
from zhixing.cases.signals import measure_decided, measure_lifted
from zhixing.notifications.models import Notice
from zhixing.workflow.models import CaseFlow, CaseFund, FieldTaskPhoto, FundEntry, MatterType, Property
from zhixing.workflow.services import (
    control_expiry,
    field_task_assign,
    field_task_report,
    fund_payout,
    fund_record,
    matter_add,
    matter_lift,
    matter_update,
    property_add,
    property_control,
)

pytestmark = pytest.mark.django_db


def _case(case: EnforcementCase) -> EnforcementCase:
    return EnforcementCase.objects.select_related("flow", "flow__stage").get(pk=case.pk)


def _matter(world: Any, case: EnforcementCase, code: str) -> Any:
    return matter_add(
        actor=world.judge, case=_case(case), matter_type_id=MatterType.objects.get(code=code).pk
    )


def _respondent(case: EnforcementCase) -> Party:
    return case.parties.get(role="respondent")


class TestDishonest:
    def test_decided_measures_send_signals_with_terms(self, world: Any, stages: Any, received: Any) -> None:
        seen: list[tuple[str, int]] = []

        def receiver(sender: Any, case: Any, measure: Any, kind: str, **kw: Any) -> None:
            seen.append((kind, case.pk))

        measure_decided.connect(receiver)
        try:
            m = _matter(world, received, "coercive_dishonest")
            matter_update(
                actor=world.judge,
                matter=m,
                status="done",
                data={
                    "kinds": ["consumption_restriction", "dishonest"],
                    "party_id": _respondent(received).pk,
                    "grounds": ["4"],
                },
                decided_on=date(2026, 3, 1)
                if timezone.localdate() >= date(2026, 3, 1)
                else timezone.localdate(),
            )
        finally:
            measure_decided.disconnect(receiver)
        assert seen == [("consumption_restriction", received.pk), ("dishonest", received.pk)]
        m.refresh_from_db()
        assert m.data["term_years"] == 2 and m.data["grounds"] == [4]
        lifted: list[str] = []

        def on_lift(sender: Any, case: Any, measure: Any, kind: str, **kw: Any) -> None:
            lifted.append(kind)

        measure_lifted.connect(on_lift)
        try:
            with pytest.raises(ValidationError):
                matter_lift(actor=world.judge, matter=m, reason="")
            with pytest.raises(PermissionDenied):
                matter_lift(actor=stages.judge2, matter=m, reason="已履行")
            matter_lift(actor=world.judge, matter=m, reason="已履行完毕")
        finally:
            measure_lifted.disconnect(on_lift)
        assert lifted == ["consumption_restriction", "dishonest"]

    def test_minor_may_not_be_listed(self, world: Any, stages: Any, received: Any) -> None:
        respondent = _respondent(received)
        Party.objects.filter(pk=respondent.pk).update(
            kind="natural", birth_date=timezone.localdate() - timedelta(days=17 * 366)
        )
        m = _matter(world, received, "coercive_dishonest")
        with pytest.raises(ValidationError) as exc:
            matter_update(
                actor=world.judge,
                matter=m,
                status="done",
                data={"kinds": ["dishonest"], "party_id": respondent.pk, "grounds": ["2"]},
            )
        assert "未成年人" in str(exc.value)

    @pytest.mark.parametrize(
        ("data", "field"),
        [
            ({"kinds": ["dishonest"], "grounds": []}, "grounds"),
            ({"kinds": ["dishonest"], "grounds": ["7"]}, "grounds"),
            ({"kinds": ["dishonest"], "grounds": ["1"]}, "art3_checked"),
            ({"kinds": ["dishonest"], "grounds": ["4"], "extension_years": "2"}, "extension_years"),
            (
                {"kinds": ["dishonest"], "grounds": ["2"], "severe": True, "extension_years": "4"},
                "extension_years",
            ),
            (
                {"kinds": ["dishonest"], "grounds": ["1"], "art3_checked": True, "extension_years": "1"},
                "extension_years",
            ),
            ({"kinds": []}, "kinds"),
        ],
    )
    def test_invalid_decisions(self, world: Any, stages: Any, received: Any, data: dict, field: str) -> None:
        m = _matter(world, received, "coercive_dishonest")
        with pytest.raises(ValidationError) as exc:
            matter_update(
                actor=world.judge,
                matter=m,
                status="done",
                data={**data, "party_id": _respondent(received).pk},
            )
        assert field in exc.value.message_dict

    def test_terms(self, world: Any, stages: Any, received: Any) -> None:
        r = _respondent(received).pk
        m = _matter(world, received, "coercive_dishonest")
        matter_update(
            actor=world.judge,
            matter=m,
            status="done",
            data={
                "kinds": ["dishonest"],
                "party_id": r,
                "grounds": ["2"],
                "severe": True,
                "extension_years": "3",
            },
        )
        assert m.data["term_years"] == 5
        m2 = _matter(world, received, "coercive_dishonest")
        matter_update(
            actor=world.judge,
            matter=m2,
            status="done",
            data={"kinds": ["dishonest"], "party_id": r, "grounds": ["1"], "art3_checked": True},
        )
        assert m2.data["term_years"] is None and m2.data["expires_on"] is None

    def test_party_must_be_a_respondent(self, world: Any, stages: Any, received: Any) -> None:
        applicant = received.parties.get(role="applicant")
        m = _matter(world, received, "coercive_dishonest")
        with pytest.raises(ValidationError):
            matter_update(
                actor=world.judge,
                matter=m,
                status="done",
                data={"kinds": ["consumption_restriction"], "party_id": applicant.pk},
            )


@pytest.mark.parametrize(
    ("kind", "amount", "ok"),
    [
        ("individual", "100000.00", True),
        ("individual", "100000.01", False),
        ("unit", "49999.99", False),
        ("unit", "50000", True),
        ("unit", "1000000", True),
        ("unit", "1000000.01", False),
        ("individual", "-5", False),
        ("individual", "abc", False),
    ],
)
def test_fine_limits(world: Any, stages: Any, received: Any, kind: str, amount: str, ok: bool) -> None:
    m = _matter(world, received, "coercive_fine")
    call = lambda: matter_update(  # noqa: E731
        actor=world.judge,
        matter=m,
        status="done",
        data={"target_kind": kind, "target_name": "某某", "amount": amount},
    )
    if ok:
        call()
        assert Decimal(m.data["amount"]) == Decimal(amount)
    else:
        with pytest.raises(ValidationError):
            call()


@pytest.mark.parametrize(("days", "ok"), [(1, True), (15, True), (16, False), (0, False)])
def test_detention_limit(world: Any, stages: Any, received: Any, days: int, ok: bool) -> None:
    m = _matter(world, received, "coercive_detention")
    data = {"target_name": "某某", "days": days}
    if ok:
        matter_update(actor=world.judge, matter=m, status="done", data=data)
    else:
        with pytest.raises(ValidationError):
            matter_update(actor=world.judge, matter=m, status="done", data=data)


def test_matter_not_of_this_stage_refused(world: Any, stages: Any, received: Any) -> None:
    from zhixing.workflow.services import stage_submit

    stage_submit(
        actor=world.judge,
        case_id=received.pk,
        version=CaseFlow.objects.get(case=received).version,
        next_stage_code="fund_distribution",
        has_auction=False,
    )
    with pytest.raises(ValidationError):
        matter_add(
            actor=stages.distribution_judge,
            case=_case(received),
            matter_type_id=MatterType.objects.get(code="online_seal").pk,
        )
    matter_add(
        actor=stages.distribution_judge,
        case=_case(received),
        matter_type_id=MatterType.objects.get(code="coercive_exit_ban").pk,
    )


class TestProperty:
    @pytest.mark.parametrize(
        ("kind", "years"), [("deposit", 1), ("vehicle", 2), ("real_estate", 3), ("equity", 3), ("other", 2)]
    )
    def test_legal_expiry(self, kind: str, years: int) -> None:
        assert control_expiry(kind, date(2025, 3, 10)) == date(2025 + years, 3, 9)

    def test_control_flow(self, world: Any, stages: Any, received: Any) -> None:
        case = _case(received)
        prop = property_add(
            actor=world.judge, case=case, kind="deposit", description="工商银行账户", value="1200.50"
        )
        with pytest.raises(ValidationError):
            property_control(actor=world.judge, prop=prop, status="sealed", on=timezone.localdate())
        with pytest.raises(ValidationError):
            property_control(actor=world.judge, prop=prop, status="released", on=timezone.localdate())
        day = timezone.localdate() - timedelta(days=10)
        property_control(actor=world.judge, prop=prop, status="frozen", on=day)
        assert prop.expires_on == control_expiry("deposit", day)
        property_control(actor=world.judge, prop=prop, status="released", on=timezone.localdate())
        assert prop.control_status == "released"
        with pytest.raises(PermissionDenied):
            property_add(actor=stages.judge2, case=case, kind="vehicle", description="鲁A12345")
        with pytest.raises(ValidationError):
            property_control(
                actor=world.judge, prop=prop, status="frozen", on=timezone.localdate() + timedelta(days=1)
            )


class TestFunds:
    def test_ledger_and_balance(self, world: Any, stages: Any, received: Any) -> None:
        case = _case(received)
        fund_record(actor=world.judge, case=case, kind="receipt", amount="10000.00", counterparty="被执行人")
        fund_record(actor=world.judge, case=case, kind="fee", amount="150.00")
        due = timezone.localdate() + timedelta(days=10)
        plan = fund_record(
            actor=world.judge,
            case=case,
            kind="payout",
            amount="9000.00",
            counterparty="申请执行人",
            due_on=due,
        )
        with pytest.raises(ValidationError):  # 850 available after the plan
            fund_record(
                actor=world.judge, case=case, kind="payout", amount="900.00", counterparty="甲", due_on=due
            )
        with pytest.raises(ValidationError):
            fund_record(actor=world.judge, case=case, kind="fee", amount="900.00")
        with pytest.raises(ValidationError):
            fund_record(actor=world.judge, case=case, kind="payout", amount="10.00", counterparty="甲")
        fund_payout(actor=world.judge, entry_id=plan.pk, case=case)
        assert CaseFund.objects.get(case=case).balance == Decimal("850.00")
        with pytest.raises(ValidationError):
            fund_payout(actor=world.judge, entry_id=plan.pk, case=case)
        assert FundEntry.objects.filter(case=case).count() == 3
        with pytest.raises(PermissionDenied):
            fund_record(actor=stages.judge2, case=case, kind="receipt", amount="1")

    def test_database_refuses_a_negative_balance(self, world: Any, stages: Any, received: Any) -> None:
        fund_record(actor=world.judge, case=_case(received), kind="receipt", amount="5.00")
        with pytest.raises(IntegrityError), transaction.atomic():
            CaseFund.objects.filter(case=received).update(balance=Decimal("-0.01"))


def _jpeg_with_gps() -> bytes:
    img = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    gps = {1: "N", 2: (36.0, 40.0, 0.0), 3: "E", 4: (117.0, 0.0, 0.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


class TestFieldTasks:
    def test_assign_report_with_photo_strips_location(
        self, world: Any, stages: Any, received: Any, settings: Any, tmp_path: Any
    ) -> None:
        settings.MEDIA_ROOT = str(tmp_path)
        case = _case(received)
        raw = _jpeg_with_gps()
        assert Image.open(io.BytesIO(raw)).getexif().get_ifd(0x8825)
        task = field_task_assign(
            actor=world.judge,
            case=case,
            officer_id=world.field_officer.pk,
            instructions="现场查看车辆",
            place="历下区泉城路1号",
            due_on=timezone.localdate() + timedelta(days=3),
        )
        assert Notice.objects.filter(user=world.field_officer, category="field_task").count() == 1
        with pytest.raises(PermissionDenied):
            field_task_report(actor=world.judge, task=task, result="x", photos=[])
        with pytest.raises(ValidationError):
            field_task_report(
                actor=world.field_officer,
                task=task,
                result="已查看",
                photos=[SimpleUploadedFile("a.jpg", b"<script>not an image</script>", "image/jpeg")],
            )
        field_task_report(
            actor=world.field_officer,
            task=task,
            result="车辆停放在地下车库",
            photos=[SimpleUploadedFile("a.jpg", raw, "image/jpeg")],
        )
        photo = FieldTaskPhoto.objects.get(task=task)
        stored = default_storage.open(photo.file).read()
        import hashlib

        assert hashlib.sha256(stored).hexdigest() == photo.sha256
        reopened = Image.open(io.BytesIO(stored))
        assert reopened.format == "JPEG"
        assert not reopened.getexif().get_ifd(0x8825) and 0x010F not in reopened.getexif()
        assert Notice.objects.filter(user=world.judge, category="field_task").count() == 1
        with pytest.raises(ValidationError):
            field_task_report(actor=world.field_officer, task=task, result="again", photos=[])

    def test_assign_validation(self, world: Any, stages: Any, received: Any) -> None:
        case = _case(received)
        with pytest.raises(ValidationError) as exc:
            field_task_assign(
                actor=world.judge,
                case=case,
                officer_id=world.judge_outside.pk,
                instructions="",
                place="",
                due_on=timezone.localdate() - timedelta(days=1),
            )
        assert {"officer", "instructions", "place", "due_on"} <= set(exc.value.message_dict)

    def test_task_pages(
        self, world: Any, stages: Any, received: Any, as_user: Any, settings: Any, tmp_path: Any
    ) -> None:
        from django.urls import reverse

        settings.MEDIA_ROOT = str(tmp_path)
        task = field_task_assign(
            actor=world.judge,
            case=_case(received),
            officer_id=world.field_officer.pk,
            instructions="送达",
            place="某地",
            due_on=timezone.localdate(),
        )
        officer = as_user(world.field_officer)
        assert received.number in officer.get(reverse("workflow:tasks")).content.decode()
        assert received.number not in as_user(world.judge).get(reverse("workflow:tasks")).content.decode()
        url = reverse("workflow:task-detail", args=[task.pk])
        assert as_user(world.judge_outside).get(url).status_code == 404
        r = officer.post(
            url, {"result": "已送达", "photos": SimpleUploadedFile("p.png", _png(), "image/png")}
        )
        assert r.status_code == 302
        photo = FieldTaskPhoto.objects.get(task=task)
        purl = reverse("workflow:photo", args=[photo.pk])
        assert as_user(world.judge).get(purl).status_code == 200
        assert as_user(world.judge_outside).get(purl).status_code == 404
        assert as_user(world.judge).post(url, {"result": "x"}).status_code == 403


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (10, 10), (0, 0, 255)).save(out, format="PNG")
    return out.getvalue()


def test_deadline_reminders_are_idempotent(world: Any, stages: Any, received: Any, settings: Any) -> None:
    CaseFlow.objects.filter(case=received).update(deadline=timezone.localdate() - timedelta(days=2))
    prop = property_add(actor=world.judge, case=_case(received), kind="deposit", description="账户")
    property_control(
        actor=world.judge, prop=prop, status="frozen", on=timezone.localdate() - timedelta(days=350)
    )
    fund_record(actor=world.judge, case=_case(received), kind="receipt", amount="100")
    fund_record(
        actor=world.judge,
        case=_case(received),
        kind="payout",
        amount="100",
        counterparty="申请人",
        due_on=timezone.localdate() + timedelta(days=1),
    )
    out = io.StringIO()
    call_command("send_deadline_reminders", stdout=out)
    first = Notice.objects.count()
    assert Notice.objects.filter(user=world.judge, category="deadline").count() == 1
    assert Notice.objects.filter(user=world.team_lead, category="deadline").count() == 1  # overdue → lead too
    assert Notice.objects.filter(category="property_expiry").count() == 1
    assert Notice.objects.filter(category="payout").count() == 1
    call_command("send_deadline_reminders", stdout=io.StringIO())
    assert Notice.objects.count() == first
    assert Property.objects.get(pk=prop.pk).expires_on is not None
