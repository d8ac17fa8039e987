"""Every workbench page of the flow: who may, who may not, and constant query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import NoReverseMatch, reverse

from zhixing.cases.models import CaseStatus
from zhixing.workflow.models import CaseFlow, CaseMatter, MatterType

from .conftest import new_case

pytestmark = pytest.mark.django_db


def _url(name: str, **kw: Any) -> str:
    return reverse(f"workflow:{name}", kwargs=kw or None)


def test_intake_lists_and_receives_own_pending_cases(world: Any, stages: Any, as_user: Any) -> None:
    client = as_user(world.judge)
    page = client.get(_url("intake"))
    assert page.status_code == 200
    assert world.case.number in page.content.decode()
    response = client.post(_url("intake"), {"case_id": world.case.pk, "track": "simple"})
    assert response.status_code == 302
    world.case.refresh_from_db()
    assert world.case.status == CaseStatus.ACTIVE
    assert world.case.flow.stage.code == "asset_control"


def test_intake_refuses_other_judges_case(world: Any, stages: Any, as_user: Any) -> None:
    page = as_user(world.team_lead).get(_url("intake"))
    assert world.case.number not in page.content.decode()
    response = as_user(world.team_lead).post(_url("intake"), {"case_id": world.case.pk})
    assert response.status_code == 403
    world.case.refresh_from_db()
    assert world.case.status == CaseStatus.PENDING


def test_intake_refuses_anonymous_and_public(world: Any, as_user: Any) -> None:
    assert as_user(None).get(_url("intake")).status_code == 302
    assert as_user(world.party).get(_url("intake")).status_code == 403


def test_team_page_member_sees_own_lead_sees_team(
    world: Any, stages: Any, received: Any, as_user: Any
) -> None:
    url = _url("team-asset_control")
    own = as_user(world.judge).get(url).content.decode()
    assert received.number in own
    assert "查控文书" in own
    other_member = as_user(stages.judge2).get(url).content.decode()
    assert received.number not in other_member
    lead = as_user(world.team_lead).get(url).content.decode()
    assert received.number in lead
    outside = as_user(world.judge_outside).get(url).content.decode()
    assert received.number not in outside


def test_team_page_highlights_overdue(world: Any, stages: Any, received: Any, as_user: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    CaseFlow.objects.filter(case=received).update(deadline=timezone.localdate() - timedelta(days=4))
    html = as_user(world.judge).get(_url("team-asset_control")).content.decode()
    assert 'class="overdue"' in html and "已超期 4 天" in html


def test_team_page_query_count_is_constant(
    world: Any, stages: Any, as_user: Any, django_assert_max_num_queries: Any
) -> None:
    from zhixing.workflow.services import case_receive

    client = as_user(world.team_lead)
    for seq in range(10, 13):
        case_receive(actor=world.judge, case_id=new_case(world, seq).pk)
    with django_assert_max_num_queries(14):
        assert client.get(_url("team-asset_control")).status_code == 200
    for seq in range(13, 25):
        case_receive(actor=world.judge, case_id=new_case(world, seq).pk)
    with django_assert_max_num_queries(14):
        html = client.get(_url("team-asset_control")).content.decode()
    assert html.count("查控文书") >= 15


def test_unknown_stage_is_404(world: Any, as_user: Any) -> None:
    assert as_user(world.judge).get(_url("team", code="nope")).status_code == 404


def test_matter_page_may_and_may_not(world: Any, stages: Any, received: Any, as_user: Any) -> None:
    url = _url("matters", case_id=received.pk)
    page = as_user(world.judge).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    for label in [
        "线上",
        "线下",
        "强制措施",
        "其他事项",
        "限消失信",
        "悬赏执行",
        "移送拒执罪",
    ]:
        assert label in html
    assert as_user(world.judge_outside).get(url).status_code == 404
    mt = MatterType.objects.get(code="online_freeze")
    assert as_user(stages.judge2).post(url, {"matter_type": mt.pk}).status_code == 403
    assert as_user(world.judge).post(url, {"matter_type": mt.pk, "note": "银行存款"}).status_code == 302
    assert CaseMatter.objects.filter(case=received, matter_type=mt).count() == 1

    matter = CaseMatter.objects.get(case=received, matter_type=mt)
    html = as_user(world.judge).get(url).content.decode()
    try:
        panel = reverse("documents:matter-panel", kwargs={"matter_id": matter.pk})
    except NoReverseMatch:
        assert "文书审批级别说明" in html
    else:
        assert f'hx-get="{panel}"' in html


def test_documents_panel_slot_without_documents_app(
    world: Any, stages: Any, received: Any, as_user: Any, monkeypatch: Any
) -> None:
    from zhixing.workflow import views

    def no_panel(viewname: str, *args: Any, **kwargs: Any) -> str:
        if viewname == "documents:matter-panel":
            raise NoReverseMatch(viewname)
        return reverse(viewname, *args, **kwargs)

    monkeypatch.setattr(views, "reverse", no_panel)
    mt = MatterType.objects.get(code="online_notice")
    as_user(world.judge).post(_url("matters", case_id=received.pk), {"matter_type": mt.pk})
    html = as_user(world.judge).get(_url("matters", case_id=received.pk)).content.decode()
    assert "文书审批级别说明" in html and "hx-get" not in html.split("本阶段事项")[1]


def test_matter_page_wrong_matter_type_is_422(world: Any, stages: Any, received: Any, as_user: Any) -> None:
    response = as_user(world.judge).post(_url("matters", case_id=received.pk), {"matter_type": "999999"})
    assert response.status_code == 422
    assert "不属于本阶段" in response.content.decode()


def test_flow_page_draft_and_submit(world: Any, stages: Any, received: Any, as_user: Any) -> None:
    client = as_user(world.judge)
    url = _url("flow", case_id=received.pk)
    html = client.get(url).content.decode()
    assert "是否有拍" in html and "暂存" in html
    version = received.flow.version
    r = client.post(url, {"version": version, "action": "draft", "other_notes": "已查询银行存款"})
    assert r.status_code == 302
    r = client.post(
        url,
        {
            "version": version,
            "action": "submit",
            "has_auction": "no",
            "next_stage": "asset_disposal",
        },
    )
    assert r.status_code == 422
    assert "不允许流转" in r.content.decode()
    r = client.post(
        url,
        {
            "version": version,
            "action": "submit",
            "has_auction": "no",
            "next_stage": "fund_distribution",
        },
    )
    assert r.status_code == 302
    received.flow.refresh_from_db()
    assert received.flow.stage.code == "fund_distribution"


def test_flow_submit_refused_for_others(world: Any, stages: Any, received: Any, as_user: Any) -> None:
    url = _url("flow", case_id=received.pk)
    data = {
        "version": received.flow.version,
        "action": "submit",
        "has_auction": "yes",
        "next_stage": "asset_disposal",
    }
    assert as_user(stages.judge2).post(url, data).status_code == 403
    assert as_user(world.judge_outside).post(url, data).status_code == 404
    assert as_user(world.team_lead).post(url, data).status_code == 302  # the lead may act


def test_reassign_by_lead_only(world: Any, stages: Any, received: Any, as_user: Any) -> None:
    url = _url("reassign", case_id=received.pk)
    assert as_user(world.judge).post(url, {"assignee": stages.judge2.pk}).status_code == 403
    assert as_user(world.team_lead).post(url, {"assignee": stages.disposal_judge.pk}).status_code == 422
    assert as_user(world.team_lead).post(url, {"assignee": stages.judge2.pk}).status_code == 302
    received.flow.refresh_from_db()
    assert received.flow.assignee == stages.judge2


def test_property_and_funds_pages(world: Any, stages: Any, received: Any, as_user: Any) -> None:
    client = as_user(world.judge)
    purl = _url("property", case_id=received.pk)
    assert client.get(purl).status_code == 200
    assert (
        client.post(purl, {"kind": "deposit", "description": "工商银行账户", "value": "5000"}).status_code
        == 302
    )
    assert as_user(stages.judge2).post(purl, {"kind": "deposit", "description": "x"}).status_code == 403
    assert as_user(world.judge_outside).get(purl).status_code == 404
    assert client.post(purl, {"kind": "deposit", "description": ""}).status_code == 422
    furl = _url("funds", case_id=received.pk)
    assert (
        client.post(furl, {"kind": "receipt", "amount": "1000.00", "counterparty": "被执行人"}).status_code
        == 302
    )
    r = client.post(furl, {"kind": "fee", "amount": "2000.00"})
    assert r.status_code == 422 and "余额不足" in r.content.decode()
    assert as_user(world.judge_outside).get(furl).status_code == 404
    assert as_user(stages.judge2).post(furl, {"kind": "receipt", "amount": "1"}).status_code == 403


def test_search_and_all_cases_show_stage_columns(
    world: Any, stages: Any, received: Any, as_user: Any
) -> None:
    client = as_user(world.judge)
    html = client.get(reverse("workbench:cases")).content.decode()
    assert "当前阶段" in html and "阶段期限" in html and "财产查控" in html
    assert world.other_case.number not in html
    html = client.get(_url("search")).content.decode()
    assert "请输入查询条件" in html
    html = client.get(_url("search"), {"number": received.number[-5:]}).content.decode()
    assert received.number in html
    stage_id = received.flow.stage_id
    html = client.get(_url("search"), {"stage": stage_id, "deadline_state": "on_time"}).content.decode()
    assert received.number in html and world.unit_case.number not in html
    bad = client.get(_url("search"), {"filed_from": "2025-02-01", "filed_to": "2025-01-01"})
    assert bad.status_code == 422


def test_search_refuses_anonymous(world: Any, as_user: Any) -> None:
    assert as_user(None).get(_url("search")).status_code == 302
    assert as_user(world.party).get(reverse("workbench:cases")).status_code == 403
    assert as_user(world.party).get(_url("search-export")).status_code == 403


def test_search_query_count_constant(
    world: Any, stages: Any, as_user: Any, django_assert_max_num_queries: Any
) -> None:
    from zhixing.workflow.services import case_receive

    client = as_user(world.judge)
    for seq in range(30, 33):
        case_receive(actor=world.judge, case_id=new_case(world, seq).pk)
    with django_assert_max_num_queries(16):
        client.get(reverse("workbench:cases"))
    for seq in range(33, 45):
        case_receive(actor=world.judge, case_id=new_case(world, seq).pk)
    with django_assert_max_num_queries(16):
        html = client.get(reverse("workbench:cases")).content.decode()
    assert html.count("财产查控") >= 15


def test_csv_export_is_safe_against_formula_injection(world: Any, stages: Any, as_user: Any) -> None:
    import random

    from zhixing.lib import synth

    new_case(
        world,
        50,
        applicant=('=HYPERLINK("http://x")', synth.resident_id(random.Random(3))),
    )
    response = as_user(world.judge).get(_url("search-export"))
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in body
    assert "\n=HYPERLINK" not in body and ",=HYPERLINK" not in body
    assert world.other_case.number not in body


def test_stats_for_leaders_only(world: Any, stages: Any, received: Any, as_user: Any) -> None:
    html = as_user(world.team_lead).get(_url("stats")).content.decode()
    assert "<svg" in html and "财产查控" in html
    assert as_user(world.approver).get(_url("stats")).status_code == 200
    assert as_user(world.judge).get(_url("stats")).status_code == 403


def test_notices_page_shows_only_own(world: Any, as_user: Any) -> None:
    from zhixing.notifications.services import notice_send

    n = notice_send(user=world.judge, title="期限提醒甲")
    notice_send(user=world.team_lead, title="别人的提醒")
    html = as_user(world.judge).get(_url("notices")).content.decode()
    assert "期限提醒甲" in html and "别人的提醒" not in html
    as_user(world.team_lead).post(_url("notices"), {"notice": n.pk})
    n.refresh_from_db()
    assert n.read_at is None
    as_user(world.judge).post(_url("notices"), {"notice": n.pk})
    n.refresh_from_db()
    assert n.read_at is not None


def test_case_detail_shows_stage_panel(world: Any, stages: Any, received: Any, as_user: Any) -> None:
    html = as_user(world.judge).get(reverse("workbench:case-detail", args=[received.pk])).content.decode()
    assert "分段执行" in html and "查控文书" in html
    html = (
        as_user(world.judge).get(reverse("workbench:case-detail", args=[world.unit_case.pk])).content.decode()
    )
    assert "分段执行" not in html
    assert (
        as_user(world.judge_outside).get(reverse("workbench:case-detail", args=[received.pk])).status_code
        == 404
    )


def test_number_search_exact_sequence_and_fragment(world: Any, stages: Any, as_user: Any) -> None:
    from zhixing.workflow.selectors import case_search

    for text, found in [
        (world.unit_case.number, {world.unit_case.pk}),  # whole 案号: exact
        ("3号", {world.unit_case.pk}),  # 案件编号
        ("执", {world.case.pk, world.unit_case.pk}),  # fragment
        ("（1999）鲁0102执3号", set()),
    ]:
        assert set(case_search(user=world.judge, number=text).values_list("pk", flat=True)) == found, text
