"""Done-when of issue 9 in a real browser at 390×844: open 执行计算工具 from 执行指南, compute the execution
fee for 1,000,000 (12,400.00 元), a delay interest with one payment added as a dynamic row, and download
the PDF calculation sheet."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import ARTIFACTS, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_calculators_on_a_phone(live_server: Any, phone_page: Any) -> None:
    page = phone_page
    base = live_server.url
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    page.goto(f"{base}/guide/")
    page.get_by_role("link", name="执行计算工具").click()
    expect(page).to_have_url(re.compile(r"/tools/$"))
    expect(page.get_by_role("link", name=re.compile("申请执行费"))).to_be_visible()
    screenshot(page, "calcweb-index-390")

    # 申请执行费 for 1,000,000 元
    page.get_by_role("link", name=re.compile("申请执行费")).click()
    page.fill("#f-amount", "1000000")
    button = page.get_by_role("button", name="计算")
    box = button.bounding_box()
    assert box is not None and box["height"] >= 44
    button.click()
    expect(page.get_by_test_id("fee")).to_have_text("12,400.00 元")
    expect(page.locator(".calc-table")).to_contain_text("7,350.00")
    screenshot(page, "calcweb-execution-fee-390")

    # bad input: the error shows inline (HTMX swaps the 422 fragment)
    page.fill("#f-amount", "-5")
    page.get_by_role("button", name="计算").click()
    expect(page.locator("#calc-error")).to_contain_text("不能为负数")
    expect(page.locator("#err-amount")).to_be_visible()

    # 迟延履行期间的债务利息 with one payment (a second row added and removed with the static JS)
    page.goto(f"{base}/tools/delay-interest/")
    page.fill("#f-principal", "100000")
    page.fill("#f-due_date", "2024-03-01")
    page.fill("#f-end_date", "2024-09-27")
    rows = page.locator("[data-row-list]").first.locator(".calc-row")
    expect(rows).to_have_count(1)
    page.get_by_role("button", name="添加一笔付款").click()
    expect(rows).to_have_count(2)
    rows.nth(1).get_by_role("button", name="删除这一笔").click()
    expect(rows).to_have_count(1)
    rows.nth(0).locator("input[name=payment_date]").fill("2024-05-30")
    rows.nth(0).locator("input[name=payment_amount]").fill("40000")
    page.get_by_role("button", name="计算").click()
    expect(page.get_by_test_id("doubled")).to_have_text("2,835.00 元")
    expect(page.locator(".calc-table")).to_contain_text("1,575.00")
    expect(page.locator(".calc-table")).to_contain_text("1,260.00")
    screenshot(page, "calcweb-delay-interest-390")

    # the PDF calculation sheet
    with page.expect_download() as info:
        page.get_by_role("link", name="下载计算单（PDF）").click()
    download = info.value
    assert download.suggested_filename.startswith("calc-delay-interest-")
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / "calcweb-browser-download.pdf"
    download.save_as(str(target))
    assert target.read_bytes().startswith(b"%PDF")

    # 借贷利息 over the cap
    page.goto(f"{base}/tools/loan-interest/")
    page.fill("#f-principal", "100000")
    page.fill("#f-start_date", "2024-01-10")
    page.fill("#f-end_date", "2025-01-10")
    page.fill("#f-contract_date", "2024-01-10")
    page.fill("#f-rate", "15")
    page.get_by_role("button", name="计算").click()
    expect(page.get_by_test_id("interest")).to_have_text("15,041.10 元")
    expect(page.get_by_test_id("exceeds")).to_contain_text("超过上限")
    screenshot(page, "calcweb-loan-interest-390")
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_sysadmin_adds_an_lpr_quote(live_server: Any, desktop_page: Any, world: Any) -> None:
    from django.conf import settings
    from django.test import Client

    from zhixing.calcweb.models import LprQuote

    client = Client()
    client.force_login(world.admin)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page = desktop_page
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/workbench/")
    page.get_by_role("link", name="LPR报价").click()
    expect(page).to_have_url(re.compile(r"/workbench/calculators/lpr/$"))
    page.fill("input[name=date]", "2025-06-20")
    page.fill("input[name=lpr_1y]", "3.00")
    page.fill("input[name=lpr_5y_plus]", "3.50")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".flash")).to_contain_text("已录入2025-06-20的LPR报价")
    expect(page.locator("table").first).to_contain_text("2025-06-20")
    screenshot(page, "calcweb-workbench-lpr")
    assert LprQuote.objects.filter(date="2025-06-20", entered_by=world.admin).exists()
