"""PAdES e-seal signing with pyHanko, and validation against the court trust roots.

One signing path for every backend: the document's byte-range digest is computed locally, a *CMS provider*
turns the digest into a CMS SignedData, and pyHanko embeds it. Providers:

- ``LocalProvider``: the court key of the embedded local CA (default) or a PKCS#12 file (``ESEAL_BACKEND=pkcs12``).
- ``ServerProvider``: a signing server (HSM / national-crypto e-seal platform). Protocol: ``GET {url}/certificate``
  returns the PEM chain (signing certificate first); ``POST {url}/sign`` with JSON
  ``{"digest": hex, "digest_algorithm": "sha256", "court": name}`` returns ``{"cms": base64 DER ContentInfo}``.
  ``zhixing.documents.signing_server`` is the local counterpart used by the tests.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import io
import json
import urllib.request
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol, TypeVar

from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from PIL import Image
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.signers.pdf_signer import PdfTBSDocument
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.stamp import StaticStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from . import pki
from .seal import seal_png

T = TypeVar("T")

FIELD_NAME = "CourtSeal"
CMS_RESERVED_BYTES = 16384


class SigningError(RuntimeError):
    """Signing could not be completed (the message is shown to the judge)."""


def _asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


class CmsProvider(Protocol):
    def certificates(self) -> list[asn1_x509.Certificate]:
        """Signing certificate first, then its chain."""

    def sign_digest(self, digest: bytes, digest_algorithm: str) -> cms.ContentInfo:
        """A PAdES CMS SignedData over ``digest`` (the document's byte-range digest)."""


class LocalProvider:
    def __init__(self, signer: signers.SimpleSigner) -> None:
        self.signer = signer

    @classmethod
    def for_court(cls, *, court_id: int, court_name: str) -> LocalProvider:
        creds = pki.court_credentials(court_id=court_id, court_name=court_name)
        key_der = creds.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        from asn1crypto import keys

        signer = signers.SimpleSigner(
            signing_cert=_asn1(creds.cert),
            signing_key=keys.PrivateKeyInfo.load(key_der),
            cert_registry=SimpleCertificateStore.from_certs([_asn1(c) for c in creds.chain]),
        )
        return cls(signer)

    @classmethod
    def from_pkcs12(cls, path: str, passphrase: str) -> LocalProvider:
        signer = signers.SimpleSigner.load_pkcs12(path, passphrase=passphrase.encode() or None)
        if signer is None:
            raise SigningError("无法读取 PKCS#12 签章证书文件，请检查路径与口令。")
        return cls(signer)

    def certificates(self) -> list[asn1_x509.Certificate]:
        cert = self.signer.signing_cert
        assert cert is not None
        return [cert, *[c for c in self.signer.cert_registry if c != cert]]

    def sign_digest(self, digest: bytes, digest_algorithm: str) -> cms.ContentInfo:
        return _run_coroutine(self.signer.async_sign(digest, digest_algorithm, use_pades=True))


def _off_running_loop(fn: Callable[..., T], *args: Any) -> T:
    """Call ``fn`` here, or in a helper thread when this thread already runs an event loop.

    pyHanko's synchronous entry points (and ours) use ``asyncio.run``, which refuses to start inside a running
    loop (an ASGI server, a Playwright session in the same process).
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="signing") as pool:
        return pool.submit(fn, *args).result()


def _run_coroutine(coro: Coroutine[Any, Any, T]) -> T:
    return _off_running_loop(asyncio.run, coro)


class ServerProvider:
    def __init__(self, url: str, *, token: str = "", court_name: str = "", timeout: int = 15) -> None:
        self.url = url.rstrip("/")
        self.token = token
        self.court_name = court_name
        self.timeout = timeout

    def _request(self, path: str, body: dict[str, Any] | None = None) -> bytes:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.url + path, data=data, method="POST" if data else "GET")  # noqa: S310
        req.add_header("Content-Type", "application/json")
        if self.token:
            req.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:  # noqa: S310
                payload: bytes = resp.read()
                return payload
        except OSError as exc:
            raise SigningError(f"签章服务器不可用：{exc}") from exc

    def certificates(self) -> list[asn1_x509.Certificate]:
        pem = self._request("/certificate")
        certs = x509.load_pem_x509_certificates(pem)
        if not certs:
            raise SigningError("签章服务器未返回证书。")
        return [_asn1(c) for c in certs]

    def sign_digest(self, digest: bytes, digest_algorithm: str) -> cms.ContentInfo:
        raw = self._request(
            "/sign", {"digest": digest.hex(), "digest_algorithm": digest_algorithm, "court": self.court_name}
        )
        try:
            return cms.ContentInfo.load(base64.b64decode(json.loads(raw)["cms"]))
        except (ValueError, KeyError) as exc:
            raise SigningError("签章服务器返回的签名格式不正确。") from exc


def provider_for(*, court_id: int, court_name: str) -> CmsProvider:
    backend = settings.ESEAL_BACKEND
    if backend == "pkcs12":
        return LocalProvider.from_pkcs12(settings.SIGNING_PKCS12_PATH, settings.SIGNING_PKCS12_PASSPHRASE)
    if backend == "server":
        return ServerProvider(
            settings.SIGNING_SERVER_URL,
            token=settings.SIGNING_SERVER_TOKEN,
            court_name=court_name,
            timeout=settings.SIGNING_SERVER_TIMEOUT,
        )
    return LocalProvider.for_court(court_id=court_id, court_name=court_name)


@lru_cache(maxsize=32)
def _seal_image(court_name: str) -> Image.Image:
    return Image.open(io.BytesIO(seal_png(court_name, caption="电子签章"))).convert("RGBA")


@dataclass(frozen=True)
class SealPlacement:
    page: int  # 0-based
    box: tuple[int, int, int, int]  # PDF points, lower-left origin


def sign_pdf(
    pdf: bytes, *, provider: CmsProvider, court_name: str, placement: SealPlacement, reason: str = "电子签章"
) -> bytes:
    """Apply one visible PAdES signature (the court seal) and return the signed file."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    certs = provider.certificates()
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        name=court_name,
        location=court_name,
    )
    ext = signers.ExternalSigner(
        signing_cert=certs[0],
        cert_registry=SimpleCertificateStore.from_certs(certs[1:]),
        signature_value=bytes(72),
    )
    style = StaticStampStyle(
        border_width=0, background=PdfImage(_seal_image(court_name), writer=writer), background_opacity=1.0
    )
    pdf_signer = signers.PdfSigner(
        meta,
        signer=ext,
        stamp_style=style,
        new_field_spec=fields.SigFieldSpec(FIELD_NAME, on_page=placement.page, box=placement.box),
    )

    async def run() -> bytes:
        prep, _tbs, output = await pdf_signer.async_digest_doc_for_signing(
            writer, bytes_reserved=CMS_RESERVED_BYTES
        )
        cms_obj = await asyncio.to_thread(provider.sign_digest, prep.document_digest, "sha256")
        await PdfTBSDocument.async_finish_signing(output, prep, cms_obj)
        output.seek(0)
        data: bytes = output.read()
        return data

    try:
        return _run_coroutine(run())
    except SigningError:
        raise
    except Exception as exc:
        raise SigningError(f"签章失败：{exc}") from exc


def trust_roots() -> list[asn1_x509.Certificate]:
    roots = [_asn1(pki.root_certificate())]
    for path in filter(None, (p.strip() for p in settings.SIGNING_TRUST_ROOTS.split(","))):
        with open(path, "rb") as handle:
            roots.extend(_asn1(c) for c in x509.load_pem_x509_certificates(handle.read()))
    return roots


@dataclass(frozen=True)
class Validation:
    signed: bool
    intact: bool
    trusted: bool
    covers_whole_file: bool
    signer: str
    signing_time: str
    summary: str

    @property
    def ok(self) -> bool:
        return self.signed and self.intact and self.trusted and self.covers_whole_file


def validate_pdf(data: bytes) -> Validation:
    """Check the last signature: intact, chained to a trusted court root, and covering the whole file."""
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        sigs = reader.embedded_signatures
    except Exception:  # any parse failure of an uploaded file means "not a valid signed PDF"
        return Validation(False, False, False, False, "", "", "文件不是有效的PDF。")
    if not sigs:
        return Validation(False, False, False, False, "", "", "文件中没有电子签章。")
    sig = sigs[-1]
    vc = ValidationContext(trust_roots=trust_roots(), allow_fetching=False)
    try:
        status = _off_running_loop(validate_pdf_signature, sig, vc)
    except Exception as exc:  # malformed CMS etc.
        return Validation(True, False, False, False, "", "", f"签名无法解析：{exc}")
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    signer = status.signing_cert.subject.human_friendly if status.signing_cert else ""
    when = status.signer_reported_dt.isoformat() if status.signer_reported_dt else ""
    if not status.intact:
        summary = "签名后文件内容已被修改。"
    elif not status.trusted:
        summary = "签章证书不是由本平台信任的法院证书颁发。"
    elif not whole:
        summary = "签名后文件被追加了内容。"
    else:
        summary = "签章有效，文件自签章后未被修改。"
    return Validation(True, bool(status.intact), bool(status.trusted), whole, signer, when, summary)
