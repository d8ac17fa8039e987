"""Done-when for the segmented flow: one case walks 接收 → 财产查控 → 财产处置 (是否有拍 = 是) → 案款分配 →
结案归档 in the browser, with a field task (photo), a 限消失信 measure and 终结本次执行程序 at the end."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from tests.factories import make_case
from tests.workflow.conftest import _django_signing_backend, _own_nav_only, _workflow_defaults, stages  # noqa: F401

from ..conftest import World
from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "Strong#Pass2024"


def login(page: Any, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/workbench/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base}/workbench/**")


def flow_submit(page: Any) -> None:
    page.get_by_role("button", name="提交").click()


def test_case_walks_all_four_stages(
    live_server: Any,
    desktop_page: Any,
    world: World,
    stages: Any,  # noqa: F811
    tmp_path: Any,
    settings: Any,
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    page = desktop_page
    # The shared build machine is often heavily loaded: allow slow pages rather than flaky failures.
    page.set_default_timeout(30_000)
    expect.set_options(timeout=20_000)
    base = live_server.url
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    case = make_case(
        court=world.court, sequence=77, judge=world.judge, filed_on=timezone.localdate() - timedelta(days=150)
    )

    # 案件管理 → 案件分配 → 接收
    login(page, base, "judge_in")
    page.get_by_role("link", name="案件分配·接收").click()
    row = page.locator("tr", has_text=case.number)
    row.get_by_role("button", name="接收").click()
    expect(page.locator(".flash")).to_contain_text("财产查控")

    # 执行实体化 → 财产查控: own case in the team queue → 查控文书
    page.get_by_role("link", name="财产查控").first.click()
    row = page.locator("tr", has_text=case.number)
    expect(row).to_contain_text("剩余 30 天")
    screenshot(page, "workflow-team-asset-control")
    row.get_by_role("link", name="查控文书").click()
    page.select_option("select[name=matter_type]", label="线上·冻结")
    page.get_by_role("button", name="添加事项").click()
    page.select_option("select[name=matter_type]", label="强制措施·限消失信")
    page.get_by_role("button", name="添加事项").click()

    # 限消失信: consumption restriction + 失信 on ground (四)
    dishonest = page.locator("section.matter", has_text="限消失信")
    dishonest.locator("input[name=kinds][value=consumption_restriction]").check()
    dishonest.locator("input[name=kinds][value=dishonest]").check()
    dishonest.locator("input[name=grounds][value='4']").check()
    dishonest.locator("select[name=status]").select_option("done")
    dishonest.get_by_role("button", name="保存事项").click()
    expect(page.locator(".flash")).to_contain_text("已保存")
    expect(page.locator("section.matter", has_text="限消失信")).to_contain_text("2 年")

    # 事项交办 on the 冻结 matter
    freeze = page.locator("section.matter", has_text="冻结")
    freeze.locator("summary", has_text="事项交办").click()
    freeze.locator("input[name=place]").fill("济南市历下区泉城路 1 号")
    freeze.locator("input[name=due_on]").fill((timezone.localdate() + timedelta(days=3)).isoformat())
    freeze.locator("textarea[name=instructions]").fill("核实被执行人车辆停放地点并拍照")
    freeze.get_by_role("button", name="交办").click()
    expect(page.locator(".flash")).to_contain_text("已交办")
    screenshot(page, "workflow-matters")

    # the 外勤 officer reports back with a photo
    login(page, base, "field")
    page.get_by_role("link", name="外勤事项").click()
    page.locator("tr", has_text=case.number).get_by_role("link", name="办理").click()
    page.fill("textarea[name=result]", "车辆停放于地下车库 B2-018，已拍照")
    photo = tmp_path / "car.jpg"
    buf = io.BytesIO()
    Image.new("RGB", (80, 60), (20, 120, 200)).save(buf, format="JPEG")
    photo.write_bytes(buf.getvalue())
    page.set_input_files("input[name=photos]", str(photo))
    page.get_by_role("button", name="提交反馈").click()
    expect(page.locator("img[alt^=现场照片]")).to_have_count(1)

    # back to the judge: the result is there; close the 冻结 matter, then 流转 with 是否有拍 = 是
    login(page, base, "judge_in")
    page.goto(f"{base}/workbench/flow/cases/{case.pk}/matters/")
    expect(page.locator("table.grid").last).to_contain_text("已反馈")
    freeze = page.locator("section.matter", has_text="冻结")
    freeze.locator("select[name=status]").select_option("done")
    freeze.get_by_role("button", name="保存事项").click()
    page.get_by_role("link", name="流转").click()
    page.get_by_role("button", name="暂存").click()
    expect(page.locator(".flash")).to_contain_text("已暂存")
    page.fill("textarea[name=other_notes]", "已冻结银行存款，查封车辆一辆，需拍卖")
    page.check("input[name=has_auction][value=no]")
    page.select_option("select[name=next_stage]", "asset_disposal")
    flow_submit(page)
    expect(page.locator(".errorlist")).to_contain_text("不允许流转")  # 无拍 cannot go to 财产处置
    page.check("input[name=has_auction][value=yes]")
    page.select_option("select[name=next_stage]", "asset_disposal")
    screenshot(page, "workflow-flow-info")
    flow_submit(page)
    expect(page.locator(".flash")).to_contain_text("财产处置")

    # 财产处置 → 案款分配
    login(page, base, stages.disposal_judge.username)
    page.get_by_role("link", name="财产处置").first.click()
    page.locator("tr", has_text=case.number).get_by_role("link", name="流转").click()
    page.select_option("select[name=next_stage]", "fund_distribution")
    flow_submit(page)
    expect(page.locator(".flash")).to_contain_text("案款分配")

    # 案款分配: receipt and payout, then → 结案归档
    login(page, base, stages.distribution_judge.username)
    page.get_by_role("link", name="案款分配").first.click()
    page.locator("tr", has_text=case.number).get_by_role("link", name="案款文书").click()
    page.get_by_role("link", name="案款", exact=True).click()
    page.select_option("select[name=kind]", "receipt")
    page.fill("input[name=amount]", "12000.00")
    page.fill("input[name=counterparty]", "拍卖成交款")
    page.get_by_role("button", name="记账").click()
    expect(page.locator("#fund-balance")).to_have_text(re.compile(r"12,?000\.00"))
    page.get_by_role("link", name="流转").click()
    page.select_option("select[name=next_stage]", "closing_archive")
    flow_submit(page)
    expect(page.locator(".flash")).to_contain_text("结案归档")

    # 结案归档: 终结本次执行程序 with its conditions confirmed
    login(page, base, stages.closing_judge.username)
    page.get_by_role("link", name="结案归档").first.click()
    page.locator("tr", has_text=case.number).get_by_role("link", name="流转").click()
    page.select_option("select[name=closure_method]", "terminated_this_round")
    flow_submit(page)
    expect(page.locator(".errorlist")).to_contain_text("须确认下列条件")
    for box in page.locator("input[name=conditions]").all():
        box.check()
    page.select_option("select[name=closure_method]", "terminated_this_round")
    flow_submit(page)
    expect(page.locator(".flash")).to_contain_text("结案归档")

    case.refresh_from_db()
    assert case.status == "closed" and case.closure_method == "terminated_this_round"
    names = list(case.progress_nodes.order_by("sequence").values_list("name", flat=True))
    assert names == ["立案", "财产查控", "财产处置", "案款分配", "结案归档", "结案"]

    # 全院案件 shows it closed, without a stage deadline
    page.goto(f"{base}/workbench/cases/?number={case.number}")
    expect(page.locator("#case-table")).to_contain_text("终结本次执行程序")
    screenshot(page, "workflow-all-cases")
    assert not [e for e in errors if "Content Security Policy" in e], errors
