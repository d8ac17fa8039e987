"""A publicity officer writes, previews and publishes an article in the workbench (desktop)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from PIL import Image
from playwright.sync_api import expect

from ..factories import MembershipFactory, StaffFactory
from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page: Any, live_server: Any, user: Any) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_publicity_officer_publishes(
    live_server: Any, desktop_page: Any, world: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    from zhixing.content.defaults import load
    from zhixing.content.models import Article, Channel, GuideItem, Hotline
    from zhixing.courts.models import Role

    load(Channel, GuideItem, Hotline)
    officer = StaffFactory(username="publicity_b", display_name="徐宣传")
    MembershipFactory(user=officer, court=world.court, team=None, role=Role.PUBLICITY)
    page = desktop_page
    _login(page, live_server, officer)
    page.goto(f"{live_server.url}/workbench/content/")
    expect(page.locator(".wb-side")).to_contain_text("内容管理")
    page.get_by_role("link", name="写文章").click()
    page.fill("#id_title", "历下法院发布执行工作月报")
    page.fill("#id_body", "<p>本月共执结案件三百余件。</p><script>alert(1)</script>")
    page.select_option("#id_channel", label="执行动态")
    cover = tmp_path / "cover.png"
    buf = io.BytesIO()
    Image.new("RGB", (800, 450), "#b71c1c").save(buf, "PNG")
    cover.write_bytes(buf.getvalue())
    page.set_input_files("#id_cover", str(cover))
    screenshot(page, "content-wb-form")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".status")).to_have_text("草稿")
    expect(page.locator(".preview-frame")).to_contain_text("本月共执结案件三百余件")
    page.get_by_role("button", name="发布").click()
    expect(page.locator(".status")).to_have_text("已发布")
    expect(page.locator("table.grid")).to_contain_text("发布")
    screenshot(page, "content-wb-preview")
    article = Article.objects.get(title="历下法院发布执行工作月报")
    assert "script" not in article.body and article.is_live
    page.goto(f"{live_server.url}/workbench/content/")
    expect(page.locator("table.grid")).to_contain_text("历下法院发布执行工作月报")
    screenshot(page, "content-wb-list")
