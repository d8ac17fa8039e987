"""执行头条 feeds: channels, 推荐 ordering, 关注 and 本地, scheduling, endless scrolling, view counts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from zhixing.content import selectors
from zhixing.content.models import Article, Channel, Follow
from zhixing.content.ranking import recommend_score
from zhixing.content.regions import match_prefix, normalise
from zhixing.content.selectors import Interests

pytestmark = pytest.mark.django_db


def test_eight_channels_in_manual_order(client: Any) -> None:
    names = list(selectors.channels_active().values_list("name", flat=True))
    assert names[:5] == ["关注", "推荐", "影视·人物", "本地", "视频"]
    assert len(names) == 8 and {"执行动态", "典型案例", "曝光台"} <= set(names)
    page = client.get("/")
    assert page.status_code == 200
    html = page.content.decode()
    for name in names:
        assert f">{name}</a>" in html


def test_channel_reordering_is_data(client: Any, channels: dict[str, Channel]) -> None:
    channels["exposure"].order = 1
    channels["exposure"].save()
    assert selectors.channels_active().first() == channels["exposure"]


def test_recommend_score_prefers_fresh_over_stale_popular() -> None:
    now = datetime(2026, 1, 10, 12, tzinfo=UTC)
    fresh = recommend_score(views=50, published=now - timedelta(hours=2), now=now)
    stale_popular = recommend_score(views=2000, published=now - timedelta(days=20), now=now)
    same_age_more_views = recommend_score(views=500, published=now - timedelta(hours=2), now=now)
    assert fresh > stale_popular
    assert same_age_more_views > fresh
    # a future publish time never gets a bonus beyond age zero
    assert recommend_score(views=0, published=now + timedelta(hours=5), now=now) == recommend_score(
        views=0, published=now, now=now
    )


def test_recommended_feed_orders_by_score(make_article: Any, channels: dict[str, Channel]) -> None:
    old_hit = make_article(title="旧热门", hours_ago=24 * 30, views=5000)
    fresh = make_article(title="新文章", hours_ago=1, views=10)
    mid = make_article(title="昨日热门", hours_ago=20, views=900)
    page = selectors.feed(channel=channels["recommended"], interests=Interests())
    titles = [a.title for a in page.articles]
    assert titles.index(fresh.title) < titles.index(old_hit.title)
    assert titles.index(mid.title) < titles.index(old_hit.title)


def test_topic_channel_shows_only_its_articles(make_article: Any, channels: dict[str, Channel]) -> None:
    make_article(channel="cases", title="案例一")
    make_article(channel="news", title="动态一")
    page = selectors.feed(channel=channels["cases"], interests=Interests())
    assert [a.title for a in page.articles] == ["案例一"]


def test_video_channel_includes_articles_with_video(make_article: Any, channels: dict[str, Channel]) -> None:
    from .conftest import FAKE_MP4

    make_article(channel="news", title="带视频的动态", video=FAKE_MP4)
    make_article(channel="news", title="纯文字")
    titles = [a.title for a in selectors.feed(channel=channels["video"], interests=Interests()).articles]
    assert titles == ["带视频的动态"]


def test_following_uses_channels_and_courts(
    world: Any, make_article: Any, channels: dict[str, Channel]
) -> None:
    make_article(channel="cases", title="关注频道的文章", court=world.other_court)
    make_article(channel="news", title="关注法院的文章", court=world.court)
    make_article(channel="news", title="无关文章", court=world.other_court)
    empty = selectors.feed(channel=channels["following"], interests=Interests())
    assert empty.articles == []
    mine = selectors.feed(
        channel=channels["following"],
        interests=Interests(channel_slugs=frozenset({"cases"}), court_ids=frozenset({world.court.pk})),
    )
    assert {a.title for a in mine.articles} == {"关注频道的文章", "关注法院的文章"}


def test_follow_logged_in_is_stored_per_user(world: Any, as_user: Any, make_article: Any) -> None:
    make_article(channel="cases", title="案例文章")
    client = as_user(world.public)
    response = client.post("/content/follow/", {"channel": "cases", "next": "/?channel=following"})
    assert response.status_code == 302 and response["Location"] == "/?channel=following"
    assert Follow.objects.filter(user=world.public, channel__slug="cases").exists()
    assert "案例文章" in client.get("/?channel=following").content.decode()
    # another user does not see it
    assert "案例文章" not in as_user(world.other_party).get("/?channel=following").content.decode()
    client.post("/content/follow/", {"channel": "cases"})  # toggles off
    assert not Follow.objects.filter(user=world.public).exists()


def test_follow_anonymous_uses_signed_cookie(client: Any, world: Any, make_article: Any) -> None:
    make_article(channel="news", title="历下法院新闻", court=world.court)
    response = client.post("/content/follow/", {"court": str(world.court.pk)})
    assert response.status_code == 302
    assert "zx_follow" in response.cookies
    assert "历下法院新闻" in client.get("/?channel=following").content.decode()
    # a forged cookie is ignored
    client.cookies["zx_follow"] = '{"c":["news"],"k":[]}'
    assert "历下法院新闻" not in client.get("/?channel=following").content.decode()


def test_follow_rejects_computed_channels_and_bad_input(client: Any) -> None:
    assert client.post("/content/follow/", {"channel": "recommended"}).status_code == 422
    assert client.post("/content/follow/", {}).status_code == 422
    assert client.post("/content/follow/", {"court": "999999"}).status_code == 404
    # an off-site next is not followed
    response = client.post("/content/follow/", {"channel": "news", "next": "https://evil.example/"})
    assert response["Location"].startswith("/")


def test_region_normalisation() -> None:
    assert normalise("370102") == "370100"  # district → city
    assert normalise("370000") == "370000"
    assert normalise("110105") == "110000"  # municipality → whole city
    assert normalise("990000") is None and normalise("12") is None and normalise(None) is None
    assert match_prefix("370100") == "3701" and match_prefix("370000") == "37"


def test_local_by_chosen_region(client: Any, world: Any, make_article: Any) -> None:
    make_article(title="济南本地新闻", region_code="370102")
    make_article(title="青岛新闻", region_code="370202")
    page = client.get("/?channel=local").content.decode()
    assert "请先选择您所在的地区" in page and "济南本地新闻" not in page
    response = client.post("/content/region/", {"region": "370100"})
    assert response.status_code == 302 and "zx_region" in response.cookies
    page = client.get("/?channel=local").content.decode()
    assert "济南本地新闻" in page and "青岛新闻" not in page
    assert client.post("/content/region/", {"region": "abc"}).status_code == 422


def test_local_from_verified_id_number(world: Any, as_user: Any, make_article: Any) -> None:
    make_article(title="济南本地新闻", region_code="370103")
    make_article(title="青岛新闻", region_code="370202")
    # world.party is verified with an ID number starting 370102 (济南市历下区)
    page = as_user(world.party).get("/?channel=local").content.decode()
    assert "济南本地新闻" in page and "青岛新闻" not in page
    assert "根据实名认证信息" in page
    # an unverified user gets no region
    assert "济南本地新闻" not in as_user(world.public).get("/?channel=local").content.decode()


def test_scheduled_article_invisible_until_its_time(client: Any, make_article: Any) -> None:
    article = make_article(title="明日发布", status=Article.Status.SCHEDULED, hours_ago=-2)
    assert "明日发布" not in client.get("/?channel=news").content.decode()
    assert client.get(f"/content/articles/{article.pk}/").status_code == 404
    later = timezone.now() + timedelta(hours=3)
    assert article in list(selectors.articles_live(now=later))
    article.publish_at = timezone.now() - timedelta(minutes=1)
    article.save()
    assert client.get(f"/content/articles/{article.pk}/").status_code == 200
    assert article.effective_status == Article.Status.PUBLISHED


def test_drafts_and_withdrawn_invisible(client: Any, make_article: Any) -> None:
    draft = make_article(title="草稿", status=Article.Status.DRAFT)
    gone = make_article(title="已撤回", status=Article.Status.WITHDRAWN)
    html = client.get("/?channel=news").content.decode()
    assert "草稿" not in html and "已撤回" not in html
    assert client.get(f"/content/articles/{draft.pk}/").status_code == 404
    assert client.get(f"/content/articles/{gone.pk}/").status_code == 404


def test_endless_scroll_pages(client: Any, make_article: Any) -> None:
    for i in range(23):
        make_article(title=f"第{i:02d}篇", hours_ago=i + 1)
    first = client.get("/?channel=news").content.decode()
    assert first.count('class="news-card"') == 10
    assert 'hx-trigger="revealed, click"' in first and "加载更多" in first
    second = client.get("/content/feed/?channel=news&page=2", HTTP_HX_REQUEST="true")
    assert second.status_code == 200 and "<html" not in second.content.decode()
    assert second.content.decode().count('class="news-card"') == 10
    third = client.get("/content/feed/?channel=news&page=3", HTTP_HX_REQUEST="true").content.decode()
    assert third.count('class="news-card"') == 3 and "加载更多" not in third and "已经到底了" in third
    # without JS the link leads to the full page of that page number
    fallback = client.get("/content/feed/?channel=news&page=2")
    assert fallback.status_code == 302 and fallback["Location"] == "/?channel=news&page=2"
    assert client.get("/?channel=news&page=3").content.decode().count('class="news-card"') == 3
    assert client.get("/?channel=news&page=abc").status_code == 200


def test_view_counting_deduplicates_per_viewer(
    client: Any, make_article: Any, world: Any, as_user: Any
) -> None:
    article = make_article(title="阅读计数")
    url = f"/content/articles/{article.pk}/"
    first = client.get(url)
    assert "zx_vid" in first.cookies
    client.get(url)
    client.get(url)
    article.refresh_from_db()
    assert article.views == 1
    as_user(world.party).get(url)
    as_user(world.party).get(url)
    article.refresh_from_db()
    assert article.views == 2
    from django.test import Client

    Client().get(url)  # same address and browser without the cookie: the same visitor
    article.refresh_from_db()
    assert article.views == 2
    for _ in range(3):  # a client that never keeps cookies cannot inflate the count
        Client(REMOTE_ADDR="10.0.0.9", HTTP_USER_AGENT="bot").get(url)
    article.refresh_from_db()
    assert article.views == 3
    Client(REMOTE_ADDR="10.0.0.10").get(url)  # another visitor
    article.refresh_from_db()
    assert article.views == 4


def test_view_count_after_an_hour_counts_again(make_article: Any) -> None:
    from django.core.cache import cache

    from zhixing.content.services import article_view_count

    article = make_article()
    assert article_view_count(article=article, viewer_key="k1") is True
    assert article_view_count(article=article, viewer_key="k1") is False
    cache.delete(f"content:viewed:{article.pk}:k1")  # what expiry after an hour does
    assert article_view_count(article=article, viewer_key="k1") is True
    assert article_view_count(article=article, viewer_key="") is False
    article.refresh_from_db()
    assert article.views == 2


def test_unknown_channel_falls_back_to_recommended(client: Any) -> None:
    html = client.get("/?channel=nope").content.decode()
    assert 'aria-current="page">推荐' in html


def test_home_without_channels_still_renders(client: Any) -> None:
    Channel.objects.all().delete()
    response = client.get("/")
    assert response.status_code == 200 and "暂未开通频道" in response.content.decode()
    assert client.get("/content/feed/?channel=news", HTTP_HX_REQUEST="true").status_code == 404


def test_follow_with_htmx_swaps_the_button(client: Any, world: Any, as_user: Any) -> None:
    response = client.post(
        "/content/follow/", {"channel": "cases", "next": "/?channel=cases"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "已关注" in html and 'aria-pressed="true"' in html and 'value="/?channel=cases"' in html
    assert "zx_follow" in response.cookies
    logged = as_user(world.party)
    html = logged.post(
        "/content/follow/", {"court": str(world.court.pk)}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "已关注" in html and world.court.name in html
    html = logged.post(
        "/content/follow/", {"court": str(world.court.pk)}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "+ 关注" in html


def test_home_lists_entries_registered_for_home(client: Any) -> None:
    from zhixing.lib import nav

    saved = list(nav._portal)
    try:
        nav.register_portal(nav.NavItem("home", "测试入口", "portal:about", order=1))
        html = client.get("/").content.decode()
        assert 'class="quick-links"' in html and "测试入口" in html
        assert "测试入口" not in client.get("/?channel=news&page=2").content.decode()
    finally:
        nav._portal[:] = saved
