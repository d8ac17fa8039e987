from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from ..conftest import World
from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_portal_home_on_a_phone(live_server: Any, phone_page: Any, world: World) -> None:
    errors: list[str] = []
    phone_page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    phone_page.goto(f"{live_server.url}/")
    tabbar = phone_page.locator("nav.tabbar")
    assert tabbar.is_visible()
    for label in ["执行头条", "执行指南", "服务台", "我的"]:
        assert tabbar.get_by_text(label).is_visible()
    box = tabbar.get_by_text("服务台").bounding_box()
    assert box is not None and box["height"] >= 44  # touch target
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling
    screenshot(phone_page, "portal-home-390")
    tabbar.get_by_text("我的").click()
    phone_page.get_by_role("link", name="下载安装").click()
    assert phone_page.locator(".qr svg").is_visible()
    screenshot(phone_page, "portal-install-390")
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_judge_logs_in_and_sees_case_list(live_server: Any, desktop_page: Any, world: World) -> None:
    page = desktop_page
    page.goto(f"{live_server.url}/workbench/")
    expect(page.locator("#id_username")).to_be_visible()  # /workbench/ itself shows the login form
    page.fill("#id_username", "judge_in")
    page.fill("#id_password", "Strong#Pass2024")
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="全院案件").click()
    page.wait_for_selector("table.grid")
    assert page.get_by_text(world.case.number).is_visible()
    assert page.get_by_text(world.other_case.number).count() == 0
    screenshot(page, "workbench-cases")
    page.fill("input[name=number]", "执3号")
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#case-table")).not_to_contain_text(world.case.number)
    expect(page.locator("#case-table")).to_contain_text(world.unit_case.number)
