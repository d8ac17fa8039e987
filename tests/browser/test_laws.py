"""法律法规 and 我要咨询 on a phone (390×844): ask a question, search the laws, open an article directly."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import ARTIFACTS, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def viewport_shot(page: Any, name: str) -> None:
    """Long law texts: capture the visible screen only (a full-page capture of 300 articles is huge)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=False)


@pytest.fixture
def knowledge() -> None:
    from zhixing.assist import demo as assist_demo
    from zhixing.laws import demo as laws_demo

    out = io.StringIO()
    laws_demo.seed(out)
    assist_demo.seed(out)


def test_visitor_asks_searches_and_opens_an_article(
    live_server: Any, phone_page: Any, knowledge: None
) -> None:
    page = phone_page
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)

    # 我要咨询: "老赖能坐高铁吗" → the 限制消费 answer with its legal basis.
    page.goto(f"{live_server.url}/assist/ask/")
    page.get_by_label("请用一句话描述您的问题").fill("老赖能坐高铁吗")
    page.get_by_role("button", name="提问").click()
    best = page.locator("article.answer.best")
    expect(best).to_contain_text("限制消费")
    expect(best).to_contain_text("动车组")
    basis = best.get_by_role("link", name=re.compile("限制被执行人高消费及有关消费的若干规定》第三条"))
    expect(basis).to_be_visible()
    box = page.get_by_role("button", name="提问").bounding_box()
    assert box is not None and box["height"] >= 44
    screenshot(page, "assist-ask-390")
    basis.click()
    expect(page).to_have_url(re.compile(r"/laws/v/\d+/#art-3$"))
    expect(page.locator("#art-3")).to_contain_text("乘坐G字头动车组列车全部座位")
    viewport_shot(page, "laws-basis-art3-390")

    # 法律法规: "迟延履行 利息" finds 法释〔2014〕8号.
    page.goto(f"{live_server.url}/laws/")
    page.get_by_placeholder(re.compile("如：失信")).fill("迟延履行 利息")
    page.get_by_role("button", name="检索").click()
    first = page.locator("li.hit").first
    expect(first).to_contain_text(
        "最高人民法院关于执行程序中计算迟延履行期间的债务利息适用法律若干问题的解释"
    )
    expect(first.locator("mark").first).to_be_visible()
    screenshot(page, "laws-search-interest-390")

    # Two characters work too.
    page.get_by_placeholder(re.compile("如：失信")).fill("失信")
    page.get_by_role("button", name="检索").click()
    expect(page.locator("li.hit").first.locator("mark").first).to_have_text("失信")

    # "民诉法264条" opens the in-force article directly, with chapter navigation.
    page.get_by_placeholder(re.compile("如：失信")).fill("民诉法264条")
    page.get_by_role("button", name="检索").click()
    expect(page).to_have_url(re.compile(r"/laws/v/\d+/#art-264$"))
    article = page.locator("#art-264")
    expect(article).to_contain_text("加倍支付迟延履行期间的债务利息")
    expect(article).to_be_in_viewport()
    expect(page.locator(".law-status .badge")).to_have_text("现行有效")
    viewport_shot(page, "laws-cpl-264-390")
    page.locator("details.toc > summary").click()
    page.locator("details.toc").get_by_role("link", name="第三编 执行程序").click()
    expect(page).to_have_url(re.compile(r"#node-\d+$"))
    viewport_shot(page, "laws-toc-390")
    # Version switcher: the 2021 text is marked as amended.
    page.locator("details.versions > summary").click()
    page.locator("details.versions").get_by_role("link", name=re.compile("2021-12-24")).click()
    expect(page.locator(".law-status .badge")).to_have_text("已被修改")
    assert errors == []
