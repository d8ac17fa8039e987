"""查询服务 on a phone: from 执行指南 to a 失信 result and its detail; the workbench correction queue."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from zhixing.cases.models import EnforcementCase
from zhixing.cases.signals import measure_decided
from zhixing.publicinfo import services
from zhixing.workflow.models import CaseMatter, MatterCategory, MatterType

from ..conftest import World
from ..factories import make_case
from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESPONDENT = ("王建国", "370102198203154519")


@pytest.fixture
def listed(world: World, settings: Any) -> EnforcementCase:
    settings.PUBLICINFO_CAPTCHA_AFTER = 1000
    cache.clear()
    case = make_case(
        court=world.court, sequence=60, respondent=RESPONDENT, judge=world.judge
    )  # on_commit runs
    mt, _ = MatterType.objects.get_or_create(
        code="dishonest", defaults={"name": "纳入失信名单", "category": MatterCategory.COERCIVE}
    )
    matter = CaseMatter.objects.create(
        case=case, matter_type=mt, status="done", data={"grounds": [1]}, started_on=case.filed_on
    )
    measure_decided.send(sender=EnforcementCase, case=case, measure=matter, kind="dishonest")
    return case


def test_query_dishonest_on_a_phone(live_server: Any, phone_page: Any, listed: EnforcementCase) -> None:
    page = phone_page
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}/guide/")
    page.get_by_role("link", name="查询服务").click()
    for label in ("综合查询", "被执行人查询", "失信人查询", "限制高消费人员查询", "终本案件查询"):
        expect(page.get_by_role("link", name=label)).to_be_visible()
    screenshot(page, "publicinfo-home-390")
    page.get_by_role("link", name="失信人查询").click()
    page.fill("#pi-name", "王")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_text("姓名或名称至少需要2个字。")).to_be_visible()
    page.fill("#pi-name", "王建国")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_text("共 1 条")).to_be_visible()
    row = page.locator(".pi-link").first
    box = row.bounding_box()
    assert box is not None and box["height"] >= 44
    assert "370102********4519" in row.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "publicinfo-results-390")
    row.click()
    expect(page.get_by_text("有履行能力而拒不履行")).to_be_visible()
    expect(page.get_by_role("link", name="申请纠正")).to_be_visible()
    assert RESPONDENT[1] not in page.content()
    screenshot(page, "publicinfo-detail-390")
    # 综合查询 with the full identity: the number goes in a POST body only.
    page.goto(f"{live_server.url}/query/comprehensive/")
    page.fill("#pi-name", "王建国")
    page.fill("#pi-id", RESPONDENT[1])
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("heading", name="失信被执行人（1）")).to_be_visible()
    assert RESPONDENT[1] not in page.url and RESPONDENT[1] not in page.content()
    screenshot(page, "publicinfo-comprehensive-390")
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_correction_request_reaches_the_workbench_queue(
    live_server: Any, phone_page: Any, desktop_page: Any, listed: EnforcementCase, world: World
) -> None:
    from zhixing.publicinfo.models import PublishedRecord
    from zhixing.publicinfo.selectors import record_token

    record = PublishedRecord.objects.get(case=listed, kind="dishonest")
    page = phone_page
    page.goto(f"{live_server.url}/query/r/{record_token(record)}/correction/")
    page.select_option("#pc-reason", "should_remove")
    page.fill("#pc-statement", "本人已全部履行判决确定的义务，请求删除失信信息。")
    page.fill("#pc-name", RESPONDENT[0])
    page.fill("#pc-id", RESPONDENT[1])
    page.fill("#pc-phone", "13912345678")
    page.get_by_role("button", name="提交申请").click()
    expect(page.get_by_text("纠正申请已提交").first).to_be_visible()
    desk = desktop_page
    desk.goto(f"{live_server.url}/workbench/")
    desk.fill("#id_username", "judge_in")
    desk.fill("#id_password", "Strong#Pass2024")
    desk.get_by_role("button", name="登录").click()
    desk.get_by_role("link", name="失信纠正申请").click()
    expect(desk.get_by_text(RESPONDENT[0])).to_be_visible()
    screenshot(desk, "publicinfo-wb-corrections")
    desk.get_by_role("link", name="审查", exact=True).click()
    desk.get_by_label("理由成立，撤销/删除失信信息").check()
    desk.fill("textarea[name=note]", "经核实已全部履行。")
    desk.get_by_role("button", name="作出决定").click()
    expect(desk.get_by_text("已作出审查决定")).to_be_visible()
    record.refresh_from_db()
    assert record.status == "removed"
    assert services.housekeeping_run().performed == 0
