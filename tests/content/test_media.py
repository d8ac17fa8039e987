"""Covers and videos are served by the app with HTTP Range support (206 + Content-Range)."""

from __future__ import annotations

from typing import Any

import pytest

from zhixing.content.media import parse_range, sniff_video
from zhixing.content.models import Article

from .conftest import FAKE_MP4

pytestmark = pytest.mark.django_db


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_parse_range_table() -> None:
    size = 1000
    assert parse_range("", size) is None
    assert parse_range("bytes=0-99", size) == (0, 99)
    assert parse_range("bytes=900-", size) == (900, 999)
    assert parse_range("bytes=-100", size) == (900, 999)
    assert parse_range("bytes=990-5000", size) == (990, 999)
    assert parse_range("bytes=1000-", size) is False
    assert parse_range("bytes=50-10", size) is False
    assert parse_range("bytes=-0", size) is False
    assert parse_range("bytes=0-1,5-9", size) is None  # multiple ranges: send the whole file
    assert parse_range("items=0-1", size) is None


def test_sniff_video() -> None:
    assert sniff_video(FAKE_MP4[:64]) == "video/mp4"
    assert sniff_video(b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm" + b"\0" * 40) == "video/webm"
    assert sniff_video(b"\x1a\x45\xdf\xa3" + b"matroska" + b"\0" * 50) is None
    assert sniff_video(b"GIF89a" + b"\0" * 60) is None


def test_video_full_and_ranged(client: Any, make_article: Any) -> None:
    article = make_article(video=FAKE_MP4)
    url = f"/content/media/video/{article.pk}/"
    full = client.get(url)
    assert full.status_code == 200
    assert full["Accept-Ranges"] == "bytes" and full["Content-Type"] == "video/mp4"
    assert _body(full) == FAKE_MP4
    part = client.get(url, HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 100-199/{len(FAKE_MP4)}"
    assert part["Content-Length"] == "100"
    assert _body(part) == FAKE_MP4[100:200]
    tail = client.get(url, HTTP_RANGE="bytes=-10")
    assert tail.status_code == 206 and _body(tail) == FAKE_MP4[-10:]
    open_end = client.get(url, HTTP_RANGE=f"bytes={len(FAKE_MP4) - 5}-")
    assert _body(open_end) == FAKE_MP4[-5:]
    bad = client.get(url, HTTP_RANGE=f"bytes={len(FAKE_MP4) + 10}-")
    assert bad.status_code == 416 and bad["Content-Range"] == f"bytes */{len(FAKE_MP4)}"


def test_if_range_and_etag(client: Any, make_article: Any) -> None:
    article = make_article(video=FAKE_MP4)
    url = f"/content/media/video/{article.pk}/"
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    stale = client.get(url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"other"')
    assert stale.status_code == 200  # stale validator: whole file
    fresh = client.get(url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=etag)
    assert fresh.status_code == 206


def test_media_of_unpublished_article_hidden(
    client: Any, make_article: Any, world: Any, as_user: Any
) -> None:
    article = make_article(video=FAKE_MP4, cover=True, status=Article.Status.DRAFT)
    assert client.get(f"/content/media/video/{article.pk}/").status_code == 404
    assert client.get(f"/content/media/cover/{article.pk}/").status_code == 404
    assert as_user(world.judge).get(f"/content/media/video/{article.pk}/").status_code == 404


def test_cover_served(client: Any, make_article: Any) -> None:
    article = make_article(cover=True)
    response = client.get(f"/content/media/cover/{article.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert "max-age" in response["Cache-Control"]
    no_cover = make_article(title="无封面")
    assert client.get(f"/content/media/cover/{no_cover.pk}/").status_code == 404
    assert client.get(f"/content/media/video/{no_cover.pk}/").status_code == 404


def test_article_page_embeds_video(client: Any, make_article: Any) -> None:
    article = make_article(video=FAKE_MP4, channel="video")
    html = client.get(f"/content/articles/{article.pk}/").content.decode()
    assert "<video" in html and f"/content/media/video/{article.pk}/" in html and 'type="video/mp4"' in html


def test_generated_demo_clip_is_mp4() -> None:
    from zhixing.content.artwork import cover_jpeg, video_mp4

    clip = video_mp4("测试视频", "视频", "#0d47a1", seconds=1, fps=4)
    if clip is None:
        pytest.skip("imageio-ffmpeg is not installed")
    assert sniff_video(clip[:64]) == "video/mp4"
    assert b"moov" in clip[:4096]  # faststart: metadata before the media data
    assert cover_jpeg("标题", "频道", "#b71c1c")[:3] == b"\xff\xd8\xff"
