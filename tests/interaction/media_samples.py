"""Tiny but structurally valid media files built in code (no binary fixtures in the repo)."""

from __future__ import annotations

import io
import struct

from PIL import Image

MP4_EPOCH_OFFSET = 2082844800  # seconds between 1904-01-01 and 1970-01-01


def jpeg_with_gps(*, taken: str = "2024:05:01 10:20:30", size: tuple[int, int] = (64, 48)) -> bytes:
    im = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x0110] = "TestCam"
    exif.get_ifd(0x8769)[36867] = taken
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (39.0, 54.0, 0.0), "E", (116.0, 23.0, 0.0)
    out = io.BytesIO()
    im.save(out, "JPEG", exif=exif)
    return out.getvalue()


def png_bytes(size: tuple[int, int] = (32, 32), alpha: bool = False) -> bytes:
    im = Image.new("RGBA" if alpha else "RGB", size, (10, 120, 200, 128) if alpha else (10, 120, 200))
    out = io.BytesIO()
    im.save(out, "PNG")
    return out.getvalue()


def _box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I4s", 8 + len(body), kind) + body


def mp4_bytes(*, created_unix: int = 1714530030, brand: bytes = b"isom", with_location: bool = True) -> bytes:
    ftyp = _box(b"ftyp", brand + struct.pack(">I", 512) + brand + b"mp41")
    created = created_unix + MP4_EPOCH_OFFSET
    mvhd_body = (
        b"\x00\x00\x00\x00"
        + struct.pack(">IIII", created, created, 1000, 1000)
        + struct.pack(">I", 0x00010000)
        + struct.pack(">H", 0x0100)
        + b"\x00" * 10
        + struct.pack(">9I", 0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000)
        + b"\x00" * 24
        + struct.pack(">I", 2)
    )
    udta = _box(b"udta", _box(b"\xa9xyz", b"\x00\x0c\x15\xc7+39.9+116.4/")) if with_location else b""
    moov = _box(b"moov", _box(b"mvhd", mvhd_body) + udta)
    mdat = _box(b"mdat", b"\x00" * 256)
    return ftyp + moov + mdat


def webm_bytes() -> bytes:
    header_body = (
        b"\x42\x86\x81\x01"  # EBMLVersion 1
        b"\x42\xf7\x81\x01"  # EBMLReadVersion 1
        b"\x42\xf2\x81\x04"  # EBMLMaxIDLength 4
        b"\x42\xf3\x81\x08"  # EBMLMaxSizeLength 8
        b"\x42\x82\x84webm"  # DocType webm
        b"\x42\x87\x81\x04"  # DocTypeVersion 4
        b"\x42\x85\x81\x02"  # DocTypeReadVersion 2
    )
    header = b"\x1a\x45\xdf\xa3" + bytes([0x80 | len(header_body)]) + header_body
    segment = b"\x18\x53\x80\x67" + b"\x01\xff\xff\xff\xff\xff\xff\xff" + b"\x15\x49\xa9\x66\x80"
    return header + segment
