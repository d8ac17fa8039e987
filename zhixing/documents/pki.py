"""The embedded local CA: one root per installation and one EC P-256 signing certificate per court.

Keys live under ``settings.SIGNING_DIR`` as PKCS#8 PEM encrypted with ``settings.SIGNING_PASSPHRASE`` or, when
that is empty, a passphrase derived from ``settings.DATA_KEY``. ``manage.py signing_setup`` creates them; signing
creates them lazily when missing. Production installs may use a court PKCS#12 file or a signing server instead
(see ``signing.py``).
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings

ROOT_NAME = "智慧执行电子签章根证书"


def _passphrase() -> bytes:
    if settings.SIGNING_PASSPHRASE:
        return settings.SIGNING_PASSPHRASE.encode()
    return hashlib.sha256(b"zhixing-signing\x00" + str(settings.DATA_KEY).encode()).hexdigest().encode()


def _dir() -> Path:
    path = Path(settings.SIGNING_DIR)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


@contextmanager
def _locked() -> Iterator[None]:
    """Serialise key creation between processes (web workers, the job worker)."""
    fd = os.open(_dir() / ".lock", os.O_CREAT | os.O_RDWR, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _write(path: Path, data: bytes, mode: int = 0o600) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_suffix(path.suffix + f".tmp{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def _save_key(path: Path, key: ec.EllipticCurvePrivateKey) -> None:
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(_passphrase()),
    )
    _write(path, pem)


def _load_key(path: Path) -> Any:
    return serialization.load_pem_private_key(path.read_bytes(), password=_passphrase())


def _name(common: str, org: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def _root_paths() -> tuple[Path, Path]:
    return _dir() / "ca" / "root.key.pem", _dir() / "ca" / "root.crt.pem"


def _court_paths(court_id: int) -> tuple[Path, Path]:
    return _dir() / "courts" / str(court_id) / "key.pem", _dir() / "courts" / str(court_id) / "cert.pem"


def _ensure_root() -> tuple[Any, x509.Certificate]:
    key_path, cert_path = _root_paths()
    if key_path.exists() and cert_path.exists():
        return _load_key(key_path), x509.load_pem_x509_certificate(cert_path.read_bytes())
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    name = _name(ROOT_NAME, "智慧执行")
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * 20))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _save_key(key_path, key)
    _write(cert_path, cert.public_bytes(serialization.Encoding.PEM), 0o644)
    return key, cert


@dataclass(frozen=True)
class CourtCredentials:
    key: Any
    cert: x509.Certificate
    chain: tuple[x509.Certificate, ...]


def root_certificate() -> x509.Certificate:
    _, cert_path = _root_paths()
    if not cert_path.exists():
        with _locked():
            _ensure_root()
    return x509.load_pem_x509_certificate(cert_path.read_bytes())


def court_credentials(*, court_id: int, court_name: str, create: bool = True) -> CourtCredentials:
    """The court's signing key and certificate, created by the local CA on first use."""
    key_path, cert_path = _court_paths(court_id)
    if not (key_path.exists() and cert_path.exists()):
        if not create:
            raise FileNotFoundError(f"court {court_id} has no signing certificate")
        with _locked():
            if not (key_path.exists() and cert_path.exists()):
                _issue_court(court_id, court_name)
    root = root_certificate()
    return CourtCredentials(
        key=_load_key(key_path), cert=x509.load_pem_x509_certificate(cert_path.read_bytes()), chain=(root,)
    )


def _issue_court(court_id: int, court_name: str) -> None:
    root_key, root_cert = _ensure_root()
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(f"{court_name}电子签章", court_name))
        .issuer_name(root_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * 5))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_cert.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
        .sign(root_key, hashes.SHA256())
    )
    key_path, cert_path = _court_paths(court_id)
    _save_key(key_path, key)
    _write(cert_path, cert.public_bytes(serialization.Encoding.PEM), 0o644)


def has_court_credentials(court_id: int) -> bool:
    key_path, cert_path = _court_paths(court_id)
    return key_path.exists() and cert_path.exists()
