"""Content hashes for the e-file: SHA-256 and SM3 (GB/T 32905-2016).

SM3 uses OpenSSL through ``cryptography`` when the linked OpenSSL provides it (the wheels do); a pure-Python
implementation is the fallback, tested against the standard's vectors either way.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterable
from typing import Any

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes

_IV = (0x7380166F, 0x4914B2B9, 0x172442D7, 0xDA8A0600, 0xA96F30BC, 0x163138AA, 0xE38DEE4D, 0xB0FB0E4E)
_MASK = 0xFFFFFFFF


def _rotl(x: int, n: int) -> int:
    n %= 32
    return ((x << n) | (x >> (32 - n))) & _MASK


_T = [_rotl(0x79CC4519 if j < 16 else 0x7A879D8A, j) for j in range(64)]


def sm3_pure(data: bytes) -> str:
    """SM3 in plain Python (slow: for platforms whose OpenSSL lacks SM3)."""
    length = len(data) * 8
    msg = data + b"\x80" + b"\x00" * ((55 - len(data)) % 64) + struct.pack(">Q", length)
    v = list(_IV)
    for off in range(0, len(msg), 64):
        w = list(struct.unpack(">16I", msg[off : off + 64]))
        for j in range(16, 68):
            x = w[j - 16] ^ w[j - 9] ^ _rotl(w[j - 3], 15)
            p1 = x ^ _rotl(x, 15) ^ _rotl(x, 23)
            w.append(p1 ^ _rotl(w[j - 13], 7) ^ w[j - 6])
        w1 = [w[j] ^ w[j + 4] for j in range(64)]
        a, b, c, d, e, f, g, h = v
        for j in range(64):
            a12 = _rotl(a, 12)
            ss1 = _rotl((a12 + e + _T[j]) & _MASK, 7)
            ss2 = ss1 ^ a12
            if j < 16:
                ff = a ^ b ^ c
                gg = e ^ f ^ g
            else:
                ff = (a & b) | (a & c) | (b & c)
                gg = (e & f) | (~e & g)
            tt1 = (ff + d + ss2 + w1[j]) & _MASK
            tt2 = (gg + h + ss1 + w[j]) & _MASK
            d, c, b, a = c, _rotl(b, 9), a, tt1
            h, g, f = g, _rotl(f, 19), e
            e = tt2 ^ _rotl(tt2, 9) ^ _rotl(tt2, 17)
        v = [x ^ y for x, y in zip(v, (a, b, c, d, e, f, g, h), strict=True)]
    return "".join(f"{x:08x}" for x in v)


def sm3_hex(data: bytes) -> str:
    try:
        digest = hashes.Hash(hashes.SM3())
    except UnsupportedAlgorithm:  # pragma: no cover - depends on the linked OpenSSL
        return sm3_pure(data)
    digest.update(data)
    return digest.finalize().hex()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def hash_stream(chunks: Iterable[bytes]) -> tuple[str, str, int]:
    """SHA-256 and SM3 of a stream read chunk by chunk (large uploads never sit in memory whole)."""
    sha = hashlib.sha256()
    size = 0
    try:
        sm: Any = hashes.Hash(hashes.SM3())
        pure: list[bytes] | None = None
    except UnsupportedAlgorithm:  # pragma: no cover - depends on the linked OpenSSL
        sm, pure = None, []
    for chunk in chunks:
        sha.update(chunk)
        size += len(chunk)
        if sm is not None:
            sm.update(chunk)
        else:
            assert pure is not None
            pure.append(chunk)
    sm_hex = sm.finalize().hex() if sm is not None else sm3_pure(b"".join(pure or []))
    return sha.hexdigest(), sm_hex, size
