"""Checking clue photos and videos by their content (never by name or declared type).

Images: Pillow must identify and verify the file as JPEG, PNG or WebP; it is then re-encoded (orientation
applied, every metadata block — GPS included — dropped) and only the capture time (EXIF DateTimeOriginal) is
kept, as evidence metadata on the model. Videos: MP4 / QuickTime (ISO-BMFF boxes walked end to end, a
``moov`` box required) or WebM (EBML header with DocType ``webm`` followed by a Segment). Video location
atoms (``©xyz``, ``loci``, Apple ``meta`` with location keys) are neutralised in place by renaming them to
``free``, which every player skips. Videos are streamed in chunks; an image is at most a few MB in memory.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import struct
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, ImageOps, UnidentifiedImageError

CHUNK = 1024 * 1024
IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_IMAGE_PIXELS = 60_000_000
_MP4_EPOCH = dt.datetime(1904, 1, 1, tzinfo=dt.UTC)
_IMAGE_BRANDS = {b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis"}
_LEGACY_QT_FIRST = {b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}


class MediaError(ValidationError):
    pass


def _err(message: str) -> MediaError:
    return MediaError({"files": [message]})


@dataclass
class Inspected:
    kind: str  # "image" | "video"
    content_type: str
    extension: str
    upload_sha256: str
    original_size: int
    captured_at: dt.datetime | None = None
    width: int | None = None
    height: int | None = None
    data: bytes | None = None  # re-encoded image
    source: Any = None  # the (patched) uploaded video file
    patches: list[int] = field(default_factory=list)


def image_max_bytes() -> int:
    return int(getattr(settings, "INTERACTION_IMAGE_MAX_BYTES", 10 * 1024 * 1024))


def video_max_bytes() -> int:
    return int(getattr(settings, "INTERACTION_VIDEO_MAX_BYTES", 200 * 1024 * 1024))


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.0f} MB"


def stream_sha256(f: IO[bytes]) -> str:
    h = hashlib.sha256()
    f.seek(0)
    while chunk := f.read(CHUNK):
        h.update(chunk)
    f.seek(0)
    return h.hexdigest()


def _file_size(f: Any) -> int:
    size = getattr(f, "size", None)
    if size is None:
        pos = f.tell()
        f.seek(0, io.SEEK_END)
        size = f.tell()
        f.seek(pos)
    return int(size)


def inspect_upload(f: Any, *, name: str = "") -> Inspected:
    """Identify an uploaded file by its bytes; raise MediaError (Chinese message) when it is not acceptable."""
    label = f"“{name}”" if name else "文件"
    size = _file_size(f)
    if size == 0:
        raise _err(f"{label}是空文件。")
    f.seek(0)
    head = f.read(64)
    f.seek(0)
    if _looks_like_video(head):
        if size > video_max_bytes():
            raise _err(f"{label}过大：视频不能超过 {_mb(video_max_bytes())}。")
        return _inspect_video(f, head, size, label)
    if size > image_max_bytes():
        # Could still be a (bad) image or anything else: say what the limit is.
        raise _err(f"{label}过大：图片不能超过 {_mb(image_max_bytes())}。")
    return _inspect_image(f, size, label)


def _looks_like_video(head: bytes) -> bool:
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return True
    return len(head) >= 8 and (head[4:8] == b"ftyp" or head[4:8] in _LEGACY_QT_FIRST)


# --- Images ---------------------------------------------------------------------------------------------------


def _exif_capture_time(im: Image.Image) -> dt.datetime | None:
    try:
        exif = im.getexif()
        sub = exif.get_ifd(0x8769)
    except Exception:
        return None
    raw = sub.get(36867) or exif.get(306)
    if not isinstance(raw, str):
        return None
    try:
        naive = dt.datetime.strptime(raw.strip("\x00 ").strip(), "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    offset = sub.get(36881)
    if isinstance(offset, str) and len(offset.strip()) >= 6:
        try:
            sign = -1 if offset.strip()[0] == "-" else 1
            hours, minutes = offset.strip()[1:6].split(":")
            tz: dt.tzinfo = dt.timezone(sign * dt.timedelta(hours=int(hours), minutes=int(minutes)))
            return naive.replace(tzinfo=tz)
        except ValueError:
            pass
    # Cameras without an offset record local time: the court's time zone is the best reading.
    return naive.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))


def _inspect_image(f: Any, size: int, label: str) -> Inspected:
    f.seek(0)
    data = f.read()
    upload_sha = hashlib.sha256(data).hexdigest()
    bad = _err(f"{label}不是有效的图片或视频（支持 JPEG、PNG、WebP 图片和 MP4、MOV、WebM 视频）。")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format
                if fmt not in IMAGE_FORMATS:
                    raise bad
                if probe.width * probe.height > MAX_IMAGE_PIXELS:
                    raise _err(f"{label}像素过多，请压缩后再上传。")
                probe.verify()
            im = Image.open(io.BytesIO(data))
            im.load()
        except MediaError:
            raise
        except (
            UnidentifiedImageError,
            OSError,
            SyntaxError,
            ValueError,
            struct.error,
            Image.DecompressionBombError,
            Image.DecompressionBombWarning,
        ) as exc:
            raise bad from exc
    captured = _exif_capture_time(im)
    picture: Image.Image = ImageOps.exif_transpose(im) or im
    out = io.BytesIO()
    has_alpha = picture.mode in ("RGBA", "LA") or (picture.mode == "P" and "transparency" in picture.info)
    if has_alpha:
        picture.convert("RGBA").save(out, format="PNG", optimize=True)
        content_type, ext = "image/png", "png"
    else:
        picture.convert("RGB").save(out, format="JPEG", quality=90, optimize=True)
        content_type, ext = "image/jpeg", "jpg"
    return Inspected(
        kind="image",
        content_type=content_type,
        extension=ext,
        upload_sha256=upload_sha,
        original_size=size,
        captured_at=captured,
        width=picture.width,
        height=picture.height,
        data=out.getvalue(),
    )


# --- Videos ---------------------------------------------------------------------------------------------------


def _inspect_video(f: Any, head: bytes, size: int, label: str) -> Inspected:
    upload_sha = stream_sha256(f)
    bad = _err(f"{label}不是完整有效的视频文件（支持 MP4、MOV、WebM）。")
    try:
        if head[:4] == b"\x1a\x45\xdf\xa3":
            _check_webm(f, size)
            return Inspected("video", "video/webm", "webm", upload_sha, size, source=f)
        content_type, ext, captured, patches = _check_bmff(f, size)
    except (struct.error, ValueError) as exc:
        raise bad from exc
    return Inspected(
        "video", content_type, ext, upload_sha, size, captured_at=captured, source=f, patches=patches
    )


def _read_exact(f: Any, n: int) -> bytes:
    data = f.read(n)
    if len(data) != n:
        raise ValueError("truncated")
    return bytes(data)


def _boxes(f: Any, start: int, end: int) -> Iterator[tuple[int, int, int, bytes]]:
    """Yield (offset, size, header length, type) for each ISO-BMFF box in [start, end)."""
    pos = start
    while pos < end:
        if end - pos < 8:
            raise ValueError("trailing bytes")
        f.seek(pos)
        size, kind = struct.unpack(">I4s", _read_exact(f, 8))
        header = 8
        if size == 1:
            size = struct.unpack(">Q", _read_exact(f, 8))[0]
            header = 16
        elif size == 0:
            size = end - pos
        if size < header or pos + size > end:
            raise ValueError("box size out of range")
        if not all(32 <= b < 127 or b == 0xA9 for b in kind):
            raise ValueError("not a box type")
        yield pos, size, header, kind
        pos += size


_CONTAINERS = {b"trak", b"udta", b"mdia", b"minf", b"edts"}


def _location_patches(f: Any, start: int, end: int, depth: int = 0) -> list[int]:
    """Offsets of box type fields to overwrite with ``free`` (location metadata)."""
    found: list[int] = []
    if depth > 6:
        return found
    for pos, size, header, kind in _boxes(f, start, end):
        if kind in (b"\xa9xyz", b"loci"):
            found.append(pos + 4)
        elif kind == b"meta":
            f.seek(pos + header)
            body = f.read(min(size - header, 64 * 1024))
            if b"location" in body or b"\xa9xyz" in body:
                found.append(pos + 4)
        elif kind in _CONTAINERS:
            found.extend(_location_patches(f, pos + header, pos + size, depth + 1))
    return found


def _check_bmff(f: Any, size: int) -> tuple[str, str, dt.datetime | None, list[int]]:
    boxes = list(_boxes(f, 0, size))
    first = boxes[0][3]
    content_type, ext = "video/mp4", "mp4"
    if first == b"ftyp":
        f.seek(boxes[0][0] + boxes[0][2])
        brand = _read_exact(f, 4)
        if brand in _IMAGE_BRANDS:
            raise ValueError("HEIF image, not a video")
        if brand == b"qt  ":
            content_type, ext = "video/quicktime", "mov"
    elif first in _LEGACY_QT_FIRST:
        content_type, ext = "video/quicktime", "mov"
    else:
        raise ValueError("unknown first box")
    moov = [b for b in boxes if b[3] == b"moov"]
    if len(moov) != 1:
        raise ValueError("moov box missing")
    pos, msize, header, _ = moov[0]
    captured = None
    children = list(_boxes(f, pos + header, pos + msize))
    for cpos, _csize, cheader, ckind in children:
        if ckind == b"mvhd":
            f.seek(cpos + cheader)
            version = _read_exact(f, 4)[0]
            seconds = (
                struct.unpack(">Q", _read_exact(f, 8))[0]
                if version == 1
                else struct.unpack(">I", _read_exact(f, 4))[0]
            )
            if seconds > 0:
                when = _MP4_EPOCH + dt.timedelta(seconds=seconds)
                if (
                    dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
                    < when
                    < dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
                ):
                    captured = when
    if not any(c[3] == b"mvhd" for c in children):
        raise ValueError("mvhd missing")
    patches = []
    for cpos, csize, cheader, ckind in children:
        if ckind in (b"udta", b"meta", b"trak"):
            if ckind == b"meta":
                patches.extend(_location_patches(f, cpos, cpos + csize))
            else:
                patches.extend(_location_patches(f, cpos + cheader, cpos + csize))
    f.seek(0)
    return content_type, ext, captured, patches


def _vint(f: Any, *, keep_marker: bool) -> tuple[int, int]:
    first = _read_exact(f, 1)[0]
    if first == 0:
        raise ValueError("bad EBML vint")
    length = 8 - first.bit_length() + 1
    value = first if keep_marker else first & (0xFF >> length)
    for b in _read_exact(f, length - 1):
        value = (value << 8) | b
    return value, length


def _check_webm(f: Any, size: int) -> None:
    f.seek(0)
    ident, _ = _vint(f, keep_marker=True)
    if ident != 0x1A45DFA3:
        raise ValueError("not EBML")
    header_size, _ = _vint(f, keep_marker=False)
    body_start = f.tell()
    if body_start + header_size > size:
        raise ValueError("EBML header out of range")
    doctype = b""
    while f.tell() < body_start + header_size:
        el, _ = _vint(f, keep_marker=True)
        el_size, _ = _vint(f, keep_marker=False)
        value = _read_exact(f, el_size)
        if el == 0x4282:
            doctype = value.rstrip(b"\x00")
    if doctype != b"webm":
        raise ValueError("EBML DocType is not webm")
    f.seek(body_start + header_size)
    segment, _ = _vint(f, keep_marker=True)
    if segment != 0x18538067:
        raise ValueError("Segment missing")
    f.seek(0)


def apply_patches(f: Any, patches: list[int]) -> None:
    """Rename location boxes to ``free`` in the (temporary) uploaded file before it is stored."""
    for offset in patches:
        f.seek(offset)
        f.write(b"free")
    f.seek(0)
