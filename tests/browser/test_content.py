"""执行头条 on a phone (390×844): channels, endless scrolling, an article, a video; the guide and 客服."""

from __future__ import annotations

import io
from typing import Any

import pytest
from playwright.sync_api import expect

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_content(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    from zhixing.content import demo
    from zhixing.courts import demo as courts_demo

    out = io.StringIO()
    courts_demo.seed(out)
    demo.seed(out)


def test_visitor_browses_reads_and_plays(live_server: Any, phone_page: Any, demo_content: None) -> None:
    page = phone_page
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}/")
    tabs = page.locator("nav.channel-tabs")
    for name in ["关注", "推荐", "影视·人物", "本地", "视频", "执行动态", "典型案例", "曝光台"]:
        expect(tabs.get_by_role("link", name=name, exact=True)).to_have_count(1)
    expect(tabs.locator(".channel-tab.active")).to_have_text("推荐")
    box = tabs.get_by_role("link", name="推荐").bounding_box()
    assert box is not None and box["height"] >= 44
    cards = page.locator("#feed .news-card")
    expect(cards).to_have_count(10)
    screenshot(page, "content-home-390")

    # endless scrolling: revealing the sentinel loads the next page in place
    page.locator("#feed .load-more").scroll_into_view_if_needed()
    expect(cards).to_have_count(20)
    page.locator("#feed .load-more").scroll_into_view_if_needed()
    expect(page.locator("#feed .feed-end")).to_be_visible()
    assert cards.count() > 20
    screenshot(page, "content-home-scrolled-390")

    # a topic channel, then an article
    tabs.get_by_role("link", name="典型案例", exact=True).click()
    expect(tabs.locator(".channel-tab.active")).to_have_text("典型案例")
    first = page.locator("#feed .news-card").first
    title = first.locator(".news-title").inner_text()
    first.click()
    expect(page.locator(".article-title")).to_have_text(title)
    expect(page.locator(".article-body h3").first).to_be_visible()
    screenshot(page, "content-article-390")

    # follow the channel from the article, see it under 关注
    page.locator(".follow-inline form").first.get_by_role("button").click()
    expect(page.locator(".follow-inline form").first.get_by_role("button")).to_have_text("已关注")
    page.goto(f"{live_server.url}/?channel=following")
    expect(page.locator("#feed .news-card")).not_to_have_count(0)

    # the video channel: play a clip inline
    page.goto(f"{live_server.url}/?channel=video")
    page.locator("#feed .news-card").first.click()
    video = page.locator("video.article-video")
    expect(video).to_be_visible()
    # HAVE_METADATA (1) or more once the ranged request answered; then play to the end of the buffer.
    expect(video).not_to_have_js_property("readyState", 0, timeout=15_000)
    expect(video).to_have_js_property("duration", 4)
    video.click()
    expect(video).to_have_js_property("paused", False, timeout=10_000)
    screenshot(page, "content-video-390")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_local_channel_and_guide(live_server: Any, phone_page: Any, demo_content: None) -> None:
    page = phone_page
    page.goto(f"{live_server.url}/?channel=local")
    expect(page.get_by_text("请先选择您所在的地区")).to_be_visible()
    page.select_option("#region", "370100")
    page.get_by_role("button", name="切换").click()
    expect(page.locator(".region-current")).to_have_text("济南市")
    expect(page.locator("#feed .news-card")).not_to_have_count(0)
    screenshot(page, "content-local-390")

    page.locator("nav.tabbar").get_by_text("执行指南").click()
    expect(page.get_by_role("heading", name="执行权利义务告知")).to_be_visible()
    page.get_by_role("link", name="被执行人").click()
    expect(page.get_by_text("如实报告财产的义务")).to_be_visible()
    question = page.locator("details.qa").filter(has_text="被限制消费后还能坐高铁吗")
    question.locator("summary").click()
    expect(question.get_by_text("G字头动车组列车")).to_be_visible()
    screenshot(page, "content-rights-390")

    page.goto(f"{live_server.url}/content/hotline/")
    link = page.locator("a.hotline").first
    expect(link).to_have_attribute("href", "tel:12368")
    box = link.bounding_box()
    assert box is not None and box["height"] >= 44
    screenshot(page, "content-hotline-390")
