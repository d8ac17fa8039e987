"""Fixtures for 执行头条: a publicity officer, channels (from migration 0002) and an article builder."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from tests.factories import MembershipFactory, StaffFactory
from zhixing.content.models import Article, Channel
from zhixing.courts.models import Role


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()


@pytest.fixture
def publicity(world: Any) -> Any:
    user = StaffFactory(username="publicity_t", display_name="宣传干事")
    MembershipFactory(user=user, court=world.court, team=None, role=Role.PUBLICITY)
    return user


@pytest.fixture(autouse=True)
def _defaults(request: Any) -> None:
    """Migration 0002's rows; transactional tests elsewhere flush them, so make sure they are there."""
    if (
        "db" in request.fixturenames
        or "world" in request.fixturenames
        or request.node.get_closest_marker("django_db")
    ):
        request.getfixturevalue("db")
        from zhixing.content.defaults import load
        from zhixing.content.models import GuideItem, Hotline

        load(Channel, GuideItem, Hotline)


@pytest.fixture
def channels(db: Any) -> dict[str, Channel]:
    return {c.slug: c for c in Channel.objects.all()}


def png_bytes(size: tuple[int, int] = (64, 36), colour: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


# A minimal file that starts like an MP4 (ftyp box) — enough for signature checks and byte ranges.
FAKE_MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + bytes(range(256)) * 40


@pytest.fixture
def make_article(world: Any, channels: dict[str, Channel]) -> Callable[..., Article]:
    def make(
        *,
        channel: str = "news",
        court: Any = None,
        title: str = "测试文章",
        hours_ago: float = 1,
        views: int = 0,
        status: str = Article.Status.PUBLISHED,
        region_code: str = "",
        video: bytes | None = None,
        cover: bool = False,
        body: str = "<p>正文</p>",
    ) -> Article:
        court = court or world.court
        article = Article(
            channel=channels[channel],
            court=court,
            title=title,
            summary="摘要",
            body=body,
            region_code=region_code or court.region_code,
            status=status,
            publish_at=timezone.now() - timedelta(hours=hours_ago),
            views=views,
        )
        if video is not None:
            article.video.save("clip.mp4", ContentFile(video), save=False)
            article.video_type = "video/mp4"
        if cover:
            article.cover.save("c.jpg", ContentFile(png_bytes()), save=False)
        article.save()
        return article

    return make
