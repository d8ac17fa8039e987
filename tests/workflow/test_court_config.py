"""Per-court configuration: a court's own stage set, court calendar overrides, the 节假日调整 page."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import MembershipFactory, StaffFactory
from zhixing.audit.models import AuditEvent
from zhixing.courts.models import Role
from zhixing.lib import nav
from zhixing.workflow import selectors
from zhixing.workflow.models import CalendarOverride, CaseFlow, RoutingRule, Stage, StageSet, StageTransition
from zhixing.workflow.services import (
    calendar_override_add,
    calendar_override_delete,
    case_receive,
    stage_deadline,
    stage_set_copy,
    stage_submit,
)

from .conftest import new_case

pytestmark = pytest.mark.django_db


def test_migrated_stages_form_the_default_set() -> None:
    default = StageSet.objects.get(is_default=True)
    assert default.court_id is None
    assert set(Stage.objects.values_list("stage_set_id", flat=True)) == {default.pk}
    assert list(default.stages.order_by("order").values_list("code", flat=True)) == [
        "asset_control",
        "asset_disposal",
        "fund_distribution",
        "closing_archive",
    ]


def test_copy_gives_the_court_its_own_editable_set(world: Any) -> None:
    own = stage_set_copy(actor=world.admin, court=world.court)
    default = StageSet.objects.get(is_default=True)
    assert own.stages.count() == default.stages.count() == 4
    assert StageTransition.objects.filter(from_stage__stage_set=own).count() == (
        StageTransition.objects.filter(from_stage__stage_set=default).count()
    )
    # Transitions stay inside the copy; matter types are copied per stage.
    assert (
        not StageTransition.objects.filter(from_stage__stage_set=own)
        .exclude(to_stage__stage_set=own)
        .exists()
    )
    control = own.stages.get(code="asset_control")
    assert control.matter_types.count() == default.stages.get(code="asset_control").matter_types.count()
    assert AuditEvent.objects.filter(action="flow.stage_set_copy").exists()
    with pytest.raises(ValidationError):
        stage_set_copy(actor=world.admin, court=world.court)
    assert selectors.stage_set_for_court(world.court.pk) == own
    assert selectors.stage_set_for_court(world.other_court.pk) == default


def test_receive_routes_into_the_courts_own_stages(world: Any, stages: Any) -> None:
    own = stage_set_copy(actor=world.admin, court=world.court)
    own.stages.filter(code="asset_control").update(deadline_days=10)
    flow = case_receive(actor=world.judge, case_id=world.case.pk)
    assert flow is not None and flow.stage is not None
    assert flow.stage.stage_set_id == own.pk and flow.stage.code == "asset_control"
    assert flow.deadline == timezone.localdate() + timedelta(days=10)
    # The other court has no set of its own: the default set's 30 days.
    other = new_case(world, 70)
    other.court = world.other_court
    other.judge = world.judge_outside
    other.save()
    other_flow = case_receive(actor=world.judge_outside, case_id=other.pk)
    assert other_flow is not None and other_flow.stage is not None
    assert other_flow.stage.stage_set.is_default
    assert other_flow.deadline == timezone.localdate() + timedelta(days=30)
    # Transitions follow the court's set: the next stage is the copy's 财产处置.
    stage_submit(
        actor=world.judge,
        case_id=world.case.pk,
        version=flow.version,
        next_stage_code="asset_disposal",
        has_auction=True,
    )
    moved = CaseFlow.objects.select_related("stage").get(case=world.case)
    assert moved.stage.stage_set_id == own.pk and moved.stage.code == "asset_disposal"


def test_rule_entry_stage_is_matched_by_code_in_the_courts_set(world: Any, stages: Any) -> None:
    own = stage_set_copy(actor=world.admin, court=world.court)
    default_disposal = Stage.objects.get(stage_set__is_default=True, code="asset_disposal")
    RoutingRule.objects.update(is_active=False)
    RoutingRule.objects.create(name="直接处置", priority=1, entry_stage=default_disposal)
    flow = case_receive(actor=world.judge, case_id=world.case.pk)
    assert flow is not None and flow.stage == own.stages.get(code="asset_disposal")


def test_team_page_and_search_use_the_courts_stages(
    world: Any, stages: Any, as_user: Any, django_assert_max_num_queries: Any
) -> None:
    own = stage_set_copy(actor=world.admin, court=world.court)
    case_receive(actor=world.judge, case_id=world.case.pk)
    html = as_user(world.judge).get(reverse("workflow:team-asset_control")).content.decode()
    assert world.case.number in html
    own_control = own.stages.get(code="asset_control")
    found = selectors.case_search(user=world.judge, stage_id=own_control.pk)
    assert list(found.values_list("pk", flat=True)) == [world.case.pk]
    page = as_user(world.judge).get(reverse("workbench:cases"), {"stage": own_control.pk})
    assert page.status_code == 200 and world.case.number in page.content.decode()
    # A stage of the default set is not among this court's choices any more.
    default_control = Stage.objects.get(stage_set__is_default=True, code="asset_control")
    assert (
        as_user(world.judge).get(reverse("workbench:cases"), {"stage": default_control.pk}).status_code == 422
    )
    stats = selectors.stage_statistics(court_ids=[world.court.pk])
    assert dict(stats.per_stage)["财产查控"] == 1


def test_court_override_beats_site_wide_and_other_courts_unaffected(world: Any) -> None:
    # 2026-10-10 is a Saturday; site-wide rows say it is a working day, the court says rest.
    saturday = date(2026, 10, 10)
    CalendarOverride.objects.create(day=saturday, is_workday=True, name="全院：调休上班")
    calendar_override_add(
        actor=world.admin, court_id=world.court.pk, day=saturday, is_workday=False, name="本院放假"
    )
    assert selectors.calendar_overrides(world.court.pk)[saturday] is False
    assert selectors.calendar_overrides(world.other_court.pk)[saturday] is True
    assert selectors.calendar_overrides()[saturday] is True
    working = Stage.objects.get(stage_set__is_default=True, code="closing_archive")  # 15 工作日
    start = date(2026, 10, 9)  # Friday
    mine = stage_deadline(stage=working, start=start, court_id=world.court.pk).deadline
    theirs = stage_deadline(stage=working, start=start, court_id=world.other_court.pk).deadline
    assert mine > theirs  # one working day fewer in the court's calendar


def test_calendar_services_permissions(world: Any) -> None:
    with pytest.raises(PermissionDenied):
        calendar_override_add(
            actor=world.judge, court_id=world.court.pk, day=date(2027, 1, 4), is_workday=False
        )
    with pytest.raises(PermissionDenied):  # a court's sysadmin cannot edit another court's calendar
        calendar_override_add(
            actor=world.admin, court_id=world.other_court.pk, day=date(2027, 1, 4), is_workday=False
        )
    o = calendar_override_add(
        actor=world.admin, court_id=world.court.pk, day=date(2027, 1, 4), is_workday=False
    )
    with pytest.raises(ValidationError):  # the same date twice
        calendar_override_add(
            actor=world.admin, court_id=world.court.pk, day=date(2027, 1, 4), is_workday=True
        )
    with pytest.raises(ValidationError):
        calendar_override_add(actor=world.admin, court_id=world.court.pk, day=None, is_workday=True)
    with pytest.raises(PermissionDenied):
        calendar_override_delete(actor=world.judge_outside, override_id=o.pk)
    calendar_override_delete(actor=world.admin, override_id=o.pk)
    assert not CalendarOverride.objects.filter(pk=o.pk).exists()
    assert AuditEvent.objects.filter(action__in=["flow.calendar_add", "flow.calendar_delete"]).count() == 2


@pytest.fixture
def leader(world: Any) -> Any:
    user = StaffFactory(username="president", display_name="院长")
    MembershipFactory(user=user, court=world.court, role=Role.COURT_LEADER)
    return user


def test_calendar_page_may_and_may_not(world: Any, leader: Any, as_user: Any) -> None:
    url = reverse("workflow:calendar")
    for user in (leader, world.admin):
        page = as_user(user).get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert "节假日调整" in html and "已收录" in html
    for user in (world.judge, world.team_lead, world.approver, world.field_officer, world.judge_outside):
        assert as_user(user).get(url).status_code == 403
        assert as_user(user).post(url, {"day": "2027-01-04", "kind": "rest"}).status_code == 403
    assert as_user(world.party).get(url).status_code == 403
    assert as_user(None).get(url).status_code == 302
    # Another court's id in the query is refused, not silently switched.
    assert as_user(leader).get(url, {"court": world.other_court.pk}).status_code == 403


def test_calendar_page_add_list_delete(world: Any, leader: Any, as_user: Any) -> None:
    client = as_user(leader)
    url = reverse("workflow:calendar")
    r = client.post(url, {"court": world.court.pk, "day": "2027-02-12", "kind": "rest", "name": "春节"})
    assert r.status_code == 302
    o = CalendarOverride.objects.get(court=world.court, day=date(2027, 2, 12))
    assert not o.is_workday and o.created_by == leader
    assert "2027-02-12" in client.get(url).content.decode()
    dup = client.post(url, {"court": world.court.pk, "day": "2027-02-12", "kind": "workday"})
    assert dup.status_code == 422 and "已有本院调整" in dup.content.decode()
    bad = client.post(url, {"court": world.court.pk, "day": "not-a-date", "kind": "rest"})
    assert bad.status_code == 422 and "请选择日期" in bad.content.decode()
    # Delete: others may not, the leader may.
    delete = reverse("workflow:calendar-delete", args=[o.pk])
    assert as_user(world.judge).post(delete).status_code == 403
    assert as_user(world.judge_outside).post(delete).status_code == 403
    assert client.post(delete).status_code == 302
    assert not CalendarOverride.objects.filter(pk=o.pk).exists()


def test_calendar_page_warns_about_uncovered_years(
    world: Any, leader: Any, as_user: Any, monkeypatch: Any
) -> None:
    from zhixing.lib import workdays

    this_year = timezone.localdate().year
    monkeypatch.setattr(workdays, "year_covered", lambda y: y <= this_year)
    html = as_user(leader).get(reverse("workflow:calendar")).content.decode()
    assert f"{this_year + 1} 年的法定节假日安排尚未收录" in html
    monkeypatch.setattr(workdays, "year_covered", lambda y: True)
    html = as_user(leader).get(reverse("workflow:calendar")).content.decode()
    assert "尚未收录" not in html


def test_calendar_menu_entry_only_for_leaders_and_admins(world: Any, leader: Any) -> None:
    def labels(user: Any) -> list[str]:
        return [i.label for _section, items in nav.workbench_items(user) for i in items]

    assert "节假日调整" in labels(leader) and "节假日调整" in labels(world.admin)
    assert "节假日调整" not in labels(world.judge)


def test_admin_adding_a_courts_stage_set_copies_the_default(world: Any, as_user: Any) -> None:
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save(update_fields=["is_staff", "is_superuser"])
    client = as_user(world.admin)
    assert client.get("/admin/workflow/stageset/add/").status_code == 200
    # A set without a court is refused with a message (only the seeded default has none).
    r = client.post("/admin/workflow/stageset/add/", {"name": "无法院"})
    assert r.status_code == 200 and StageSet.objects.count() == 1
    r = client.post("/admin/workflow/stageset/add/", {"name": "历下法院配置", "court": world.court.pk})
    assert r.status_code == 302
    own = StageSet.objects.get(court=world.court)
    assert own.stages.count() == 4 and not own.is_default
    assert client.get(f"/admin/workflow/stageset/{own.pk}/change/").status_code == 200
