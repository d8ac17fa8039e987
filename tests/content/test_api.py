"""API: /api/v1/content/channels, articles, article detail and hotlines (public)."""

from __future__ import annotations

from typing import Any

import pytest

from zhixing.content.models import Article, Hotline

from .conftest import FAKE_MP4

pytestmark = pytest.mark.django_db


def test_channels(client: Any) -> None:
    data = client.get("/api/v1/content/channels").json()
    assert [c["name"] for c in data][:5] == ["关注", "推荐", "影视·人物", "本地", "视频"]
    assert len(data) == 8


def test_articles_pages_and_visibility(client: Any, make_article: Any) -> None:
    for i in range(12):
        make_article(title=f"动态{i}", hours_ago=i + 1)
    make_article(title="草稿不可见", status=Article.Status.DRAFT)
    first = client.get("/api/v1/content/articles?channel=news&page=1").json()
    assert first["has_next"] is True and len(first["items"]) == 10
    second = client.get("/api/v1/content/articles?channel=news&page=2").json()
    assert second["has_next"] is False and len(second["items"]) == 2
    titles = {i["title"] for i in first["items"] + second["items"]}
    assert "草稿不可见" not in titles
    assert client.get("/api/v1/content/articles?channel=nope").status_code == 404
    assert client.get("/api/v1/content/articles?channel=news&page=0").status_code == 422


def test_local_uses_verified_identity(world: Any, as_user: Any, make_article: Any) -> None:
    make_article(title="济南", region_code="370102")
    data = as_user(world.party).get("/api/v1/content/articles?channel=local").json()
    assert data["region"] == "370100" and [i["title"] for i in data["items"]] == ["济南"]
    assert client_region(as_user(None)) is None


def client_region(client: Any) -> Any:
    return client.get("/api/v1/content/articles?channel=local").json()["region"]


def test_article_detail_counts_and_sanitises(client: Any, make_article: Any) -> None:
    article = make_article(body="<p>正文</p><script>x()</script>", video=FAKE_MP4)
    data = client.get(f"/api/v1/content/articles/{article.pk}").json()
    assert data["body_html"] == "<p>正文</p>"
    assert data["video_url"].endswith(f"/content/media/video/{article.pk}/")
    assert data["views"] == 1
    assert client.get(f"/api/v1/content/articles/{article.pk}").json()["views"] == 1  # same viewer


def test_article_detail_hidden_when_not_live(client: Any, make_article: Any) -> None:
    draft = make_article(status=Article.Status.DRAFT)
    assert client.get(f"/api/v1/content/articles/{draft.pk}").status_code == 404
    assert client.get("/api/v1/content/articles/999999").status_code == 404


def test_hotlines_default_and_per_court(client: Any, world: Any) -> None:
    default = client.get("/api/v1/content/hotlines").json()
    assert default[0]["number"] == "12368" and default[0]["tel_url"] == "tel:12368"
    Hotline.objects.create(court=world.court, kind=Hotline.Kind.ALL_DAY, number="0531-88880000")
    Hotline.objects.create(court=world.court, kind=Hotline.Kind.SERVICE, number="0531-12368")
    court = client.get(f"/api/v1/content/hotlines?court={world.court.pk}").json()
    assert {h["number"] for h in court} == {
        "0531-88880000",
        "0531-12368",
    }  # the court's own replace the default
    assert {h["tel_url"] for h in court} == {"tel:053188880000", "tel:053112368"}
    other = client.get(f"/api/v1/content/hotlines?court={world.other_court.pk}").json()
    assert [h["number"] for h in other] == ["12368"]  # falls back to the site-wide number
    assert client.get("/api/v1/content/hotlines?court=999999").status_code == 404
