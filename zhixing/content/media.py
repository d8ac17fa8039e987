"""Uploads of covers and videos, and serving stored files with HTTP Range support.

Covers are checked by their content (Pillow must decode them) and re-encoded to JPEG, which drops
metadata (EXIF location) and anything appended to the image. Videos are checked by their container
signature (MP4 ``ftyp`` box or WebM's EBML header with doctype ``webm``) and size.

Browsers ask for byte ranges to seek in a <video>; Django's FileResponse always sends the whole file,
so ``ranged_file_response`` answers ``Range: bytes=a-b`` with 206 and ``Content-Range`` itself."""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Iterator
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils.http import http_date, quote_etag
from PIL import Image, ImageOps, UnidentifiedImageError

COVER_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
COVER_MAX_WIDTH = 1280
COVER_MAX_PIXELS = 40_000_000
CHUNK = 64 * 1024


def _video_max_bytes() -> int:
    return int(getattr(settings, "CONTENT_VIDEO_MAX_BYTES", 200 * 1024 * 1024))


def _cover_max_bytes() -> int:
    return int(getattr(settings, "CONTENT_COVER_MAX_BYTES", 10 * 1024 * 1024))


def process_cover(upload: Any) -> ContentFile[bytes]:
    """Decode an uploaded image and re-encode it as a JPEG at most 1280 px wide.

    Raises ValidationError({"cover": ...}) for anything that is not a JPEG/PNG/WebP/GIF picture."""
    size = getattr(upload, "size", None)
    if size is not None and size > _cover_max_bytes():
        raise ValidationError({"cover": ["封面图不能超过10MB。"]})
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            fmt = probe.format
            if fmt not in COVER_FORMATS:
                raise ValidationError({"cover": ["封面图只能是 JPG、PNG、WebP 或 GIF 图片。"]})
            if probe.width * probe.height > COVER_MAX_PIXELS:
                raise ValidationError({"cover": ["封面图像素过大。"]})
            probe.verify()
        upload.seek(0)
        with Image.open(upload) as img:
            img.load()
            picture = ImageOps.exif_transpose(img).convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError({"cover": ["文件不是有效的图片。"]}) from exc
    if picture.width > COVER_MAX_WIDTH:
        height = round(picture.height * COVER_MAX_WIDTH / picture.width)
        picture = picture.resize((COVER_MAX_WIDTH, max(height, 1)), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.jpg")


def sniff_video(head: bytes) -> str | None:
    """The MIME type of an MP4 or WebM file from its first bytes, or None."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        return "video/mp4"
    if head[:4] == b"\x1a\x45\xdf\xa3" and b"webm" in head[:64]:
        return "video/webm"
    return None


def check_video(upload: Any) -> tuple[Any, str]:
    """Validate an uploaded video; returns the file (renamed) and its MIME type."""
    size = getattr(upload, "size", 0) or 0
    if size > _video_max_bytes():
        raise ValidationError({"video": [f"视频不能超过{_video_max_bytes() // (1024 * 1024)}MB。"]})
    if size == 0:
        raise ValidationError({"video": ["视频文件为空。"]})
    upload.seek(0)
    head = upload.read(64)
    upload.seek(0)
    mime = sniff_video(head)
    if mime is None:
        raise ValidationError({"video": ["视频只能是 MP4（H.264）或 WebM 格式。"]})
    upload.name = f"{uuid.uuid4().hex}.{'mp4' if mime == 'video/mp4' else 'webm'}"
    return upload, mime


_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def parse_range(header: str, size: int) -> tuple[int, int] | bool | None:
    """One byte range → (start, end) inclusive; None when the header is absent or not a single range
    (serve the whole file); False when the range cannot be satisfied (416)."""
    if not header:
        return None
    m = _RANGE.match(header.strip())
    if not m or (not m.group(1) and not m.group(2)):
        return None
    first, last = m.group(1), m.group(2)
    if not first:  # suffix range: the last N bytes
        length = int(last)
        if length == 0:
            return False
        return max(size - length, 0), size - 1
    start = int(first)
    end = int(last) if last else size - 1
    if start >= size or end < start:
        return False
    return start, min(end, size - 1)


def _stream(handle: IO[bytes], start: int, length: int) -> Iterator[bytes]:
    try:
        handle.seek(start)
        remaining = length
        while remaining > 0:
            chunk = handle.read(min(CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
    finally:
        handle.close()


def ranged_file_response(
    request: HttpRequest,
    *,
    storage: Storage,
    name: str,
    content_type: str,
    etag: str,
    last_modified: float,
    cache_control: str,
) -> HttpResponse | StreamingHttpResponse:
    """Serve ``name`` from ``storage``, honouring a single ``Range`` and ``If-Range``/``If-None-Match``."""
    size = storage.size(name)
    tag = quote_etag(etag)
    if request.headers.get("If-None-Match") == tag:
        response = HttpResponse(status=304)
        response["ETag"] = tag
        return response
    byte_range = parse_range(request.headers.get("Range", ""), size)
    if_range = request.headers.get("If-Range")
    if if_range and if_range != tag:
        byte_range = None  # the client's copy is stale: send everything
    if byte_range is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        response["Accept-Ranges"] = "bytes"
        return response
    handle = storage.open(name, "rb")
    streamed: StreamingHttpResponse
    if byte_range:
        start, end = byte_range  # type: ignore[misc]
        streamed = StreamingHttpResponse(_stream(handle, start, end - start + 1), status=206)
        streamed["Content-Range"] = f"bytes {start}-{end}/{size}"
        streamed["Content-Length"] = str(end - start + 1)
    else:
        streamed = StreamingHttpResponse(_stream(handle, 0, size), status=200)
        streamed["Content-Length"] = str(size)
    streamed["Content-Type"] = content_type
    streamed["Accept-Ranges"] = "bytes"
    streamed["ETag"] = tag
    streamed["Last-Modified"] = http_date(last_modified)
    streamed["Cache-Control"] = cache_control
    streamed["X-Content-Type-Options"] = "nosniff"
    return streamed
