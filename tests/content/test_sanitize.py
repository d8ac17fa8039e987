"""Article bodies are sanitised when stored and again when rendered: no script ever reaches a page."""

from __future__ import annotations

from typing import Any

import pytest

from zhixing.content import services
from zhixing.content.sanitize import plain_text, sanitise_html

pytestmark = pytest.mark.django_db

EVIL = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">点我</a>',
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="https://evil.example"></iframe>',
    "<style>body{display:none}</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<scr<script>ipt>alert(1)</script>",
    '<form action="https://evil.example"><input name=a></form>',
]


@pytest.mark.parametrize("payload", EVIL)
def test_sanitiser_removes_active_content(payload: str) -> None:
    clean = sanitise_html(f"<p>正文</p>{payload}").lower()
    for bad in (
        "<script",
        "onerror",
        "javascript:",
        "<iframe",
        "<style",
        "style=",
        "<svg",
        "<form",
        "<input",
    ):
        assert bad not in clean


def test_sanitiser_keeps_allowed_markup() -> None:
    html = '<h3>小标题</h3><p><strong>加粗</strong><a href="https://court.gov.cn/a">链接</a></p><ul><li>一</li></ul>'
    clean = sanitise_html(html)
    assert "<h3>小标题</h3>" in clean and "<strong>加粗</strong>" in clean and "<li>一</li>" in clean
    assert 'rel="noopener noreferrer nofollow"' in clean
    assert plain_text(clean).startswith("小标题")


def test_script_in_stored_body_never_renders(client: Any, make_article: Any) -> None:
    # Even a body written straight into the database (bypassing the service) is cleaned on output.
    article = make_article(body='<p>正文内容</p><script>alert("x")</script><img src=x onerror=alert(1)>')
    html = client.get(f"/content/articles/{article.pk}/").content.decode()
    assert "正文内容" in html
    assert 'alert("x")' not in html and "onerror" not in html


def test_service_stores_sanitised_body(world: Any, publicity: Any, channels: Any) -> None:
    article = services.article_save(
        actor=publicity,
        channel=channels["news"],
        court=world.court,
        title="标题",
        body='<p onclick="x()">内容</p><script>steal()</script>',
    )
    assert "script" not in article.body and "onclick" not in article.body
    assert article.summary == "内容"
