"""Encryption of personal data at rest and keyed lookup hashes ("blind indexes").

Resident ID numbers and phone numbers are stored encrypted with AES-256-GCM under a key derived
from ``settings.DATA_KEY``; equality lookups use an HMAC-SHA256 of the normalised value under a
second derived key, so the database never holds the plaintext and cannot be searched without the key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_PREFIX = "v1:"


@lru_cache(maxsize=4)
def _keys(master: str) -> tuple[bytes, bytes]:
    enc = hashlib.sha256(b"zhixing-enc\x00" + master.encode()).digest()
    idx = hashlib.sha256(b"zhixing-idx\x00" + master.encode()).digest()
    return enc, idx


def _master() -> str:
    from django.conf import settings

    return str(settings.DATA_KEY)


def encrypt(plaintext: str) -> str:
    enc_key, _ = _keys(_master())
    nonce = os.urandom(12)
    sealed = AESGCM(enc_key).encrypt(nonce, plaintext.encode(), None)
    return _PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode()


def decrypt(token: str) -> str:
    if not token.startswith(_PREFIX):
        raise ValueError("not an encrypted value")
    enc_key, _ = _keys(_master())
    raw = base64.urlsafe_b64decode(token[len(_PREFIX) :])
    return AESGCM(enc_key).decrypt(raw[:12], raw[12:], None).decode()


def blind_index(value: str) -> str:
    """Keyed hash for equality lookups; normalise before calling (upper-case IDs, bare mobile numbers)."""
    _, idx_key = _keys(_master())
    return hmac.new(idx_key, value.encode(), hashlib.sha256).hexdigest()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
