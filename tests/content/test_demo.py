"""The demo seed: at least four articles per channel, generated covers and videos, idempotent."""

from __future__ import annotations

import io
from typing import Any

import pytest

from zhixing.content import demo, selectors
from zhixing.content.models import Article, Channel, Hotline
from zhixing.content.selectors import Interests

pytestmark = pytest.mark.django_db


def test_demo_seed(settings: Any) -> None:
    from zhixing.courts import demo as courts_demo

    out = io.StringIO()
    courts_demo.seed(out)
    demo.seed(out)
    count = Article.objects.count()
    demo.seed(out)  # idempotent
    assert Article.objects.count() == count
    interests = Interests(
        channel_slugs=frozenset({"cases", "news"}),
        court_ids=frozenset(),
        region="370100",
        region_source="chosen",
    )
    for channel in Channel.objects.all():
        page = selectors.feed(channel=channel, interests=interests)
        assert len(page.articles) >= 4, channel.name
    assert all(a.cover for a in Article.objects.all() if a.is_live)
    videos = Article.objects.exclude(video="")
    if videos.exists():  # imageio-ffmpeg installed
        with videos.first().video.open("rb") as fh:  # type: ignore[union-attr]
            assert fh.read(12)[4:8] == b"ftyp"
    scheduled = Article.objects.get(status=Article.Status.SCHEDULED)
    assert not scheduled.is_live
    assert Hotline.objects.filter(court__case_code="鲁0102", kind=Hotline.Kind.ALL_DAY).exists()
