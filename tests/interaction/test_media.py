"""Content checks of clue uploads: by bytes, never by name; metadata stripped; capture time kept."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from zhixing.interaction import media

from .media_samples import jpeg_with_gps, mp4_bytes, png_bytes, webm_bytes


def up(name: str, data: bytes, ctype: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=ctype)


def test_jpeg_reencoded_without_gps_and_capture_time_kept() -> None:
    info = media.inspect_upload(up("a.jpg", jpeg_with_gps()), name="a.jpg")
    assert info.kind == "image" and info.content_type == "image/jpeg"
    assert info.captured_at == dt.datetime(2024, 5, 1, 2, 20, 30, tzinfo=dt.UTC)
    assert info.data is not None
    stored = Image.open(io.BytesIO(info.data))
    exif = stored.getexif()
    assert not exif.get_ifd(0x8825)  # no GPS
    assert len(exif) == 0
    assert (info.width, info.height) == (64, 48)


def test_png_with_alpha_stays_png() -> None:
    info = media.inspect_upload(up("x.png", png_bytes(alpha=True)))
    assert info.content_type == "image/png"


def test_image_named_like_video_is_still_an_image() -> None:
    info = media.inspect_upload(up("clip.mp4", png_bytes(), "video/mp4"))
    assert info.kind == "image"


@pytest.mark.parametrize(
    "data",
    [
        b"MZ\x90\x00" + b"\x00" * 200,  # a Windows executable
        b"%PDF-1.7\n" + b"x" * 100,
        b"\xff\xd8\xff\xe0" + b"\x00" * 50,  # a JPEG header with nothing behind it
        png_bytes()[:40],  # truncated PNG
        b"GIF89a" + b"\x00" * 40,
    ],
)
def test_bad_content_rejected_whatever_the_name(data: bytes) -> None:
    with pytest.raises(media.MediaError) as exc:
        media.inspect_upload(up("photo.jpg", data, "image/jpeg"), name="photo.jpg")
    assert "不是有效的" in exc.value.message_dict["files"][0]


def test_empty_file_rejected() -> None:
    with pytest.raises(media.MediaError, match="空文件"):
        media.inspect_upload(up("a.jpg", b""), name="a.jpg")


def test_mp4_accepted_capture_time_read_and_location_neutralised() -> None:
    data = mp4_bytes()
    f = up("v.bin", data)
    info = media.inspect_upload(f)
    assert (info.kind, info.content_type, info.extension) == ("video", "video/mp4", "mp4")
    assert info.captured_at == dt.datetime.fromtimestamp(1714530030, tz=dt.UTC)
    assert len(info.patches) == 1
    media.apply_patches(f, info.patches)
    patched = f.read()
    assert b"\xa9xyz" not in patched and len(patched) == len(data)
    # Still a valid file after patching.
    assert media.inspect_upload(up("v.mp4", patched)).patches == []


def test_quicktime_brand() -> None:
    info = media.inspect_upload(up("v.mov", mp4_bytes(brand=b"qt  ")))
    assert info.content_type == "video/quicktime"


def test_webm_accepted() -> None:
    info = media.inspect_upload(up("v", webm_bytes()))
    assert info.content_type == "video/webm"


@pytest.mark.parametrize(
    "data",
    [
        mp4_bytes()[:-10],  # truncated: last box runs past the end
        mp4_bytes().replace(b"moov", b"moof"),  # no moov
        mp4_bytes(brand=b"heic"),  # a HEIF image dressed as ftyp
        webm_bytes().replace(b"webm", b"xxxx"),  # EBML of another kind
        b"\x1a\x45\xdf\xa3\x81",  # EBML header cut short
    ],
)
def test_malformed_videos_rejected(data: bytes) -> None:
    with pytest.raises(media.MediaError, match="视频"):
        media.inspect_upload(up("v.mp4", data))


def test_size_limits_are_settings(settings: Any) -> None:
    settings.INTERACTION_IMAGE_MAX_BYTES = 1000
    with pytest.raises(media.MediaError, match="图片不能超过"):
        media.inspect_upload(up("a.jpg", jpeg_with_gps(size=(400, 400))))
    settings.INTERACTION_VIDEO_MAX_BYTES = 100
    with pytest.raises(media.MediaError, match="视频不能超过"):
        media.inspect_upload(up("v.mp4", mp4_bytes()))


def test_decompression_bomb_rejected() -> None:
    im = Image.new("1", (10000, 10000))
    out = io.BytesIO()
    im.save(out, "PNG")
    with pytest.raises(media.MediaError):
        media.inspect_upload(up("bomb.png", out.getvalue()))
