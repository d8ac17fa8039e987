"""Hashes, seal, rendering and signing primitives."""

from __future__ import annotations

import io
import json
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from docx import Document as Docx
from PIL import Image

from zhixing.documents import pki, render, signing
from zhixing.documents.hashing import sha256_hex, sm3_hex, sm3_pure
from zhixing.documents.seal import seal_png

SM3_VECTORS = [
    (b"abc", "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"),
    (b"abcd" * 16, "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"),
]


@pytest.mark.parametrize(("data", "expected"), SM3_VECTORS)
def test_sm3_matches_gbt32905_vectors(data: bytes, expected: str) -> None:
    assert sm3_pure(data) == expected
    assert sm3_hex(data) == expected


def test_sm3_pure_agrees_with_openssl_on_other_lengths() -> None:
    for n in (0, 1, 55, 56, 63, 64, 65, 200):
        data = bytes(range(256))[:n] * 3
        assert sm3_pure(data) == sm3_hex(data)
    assert sha256_hex(b"abc").startswith("ba7816bf")


def test_seal_is_red_transparent_png() -> None:
    img = Image.open(io.BytesIO(seal_png("济南市历下区人民法院", caption="电子签章")))
    assert img.mode == "RGBA"
    assert img.getpixel((0, 0))[3] == 0  # transparent corner
    raw = img.tobytes()
    reds = sum(1 for i in range(0, len(raw), 4) if raw[i + 3] > 0 and raw[i] > 150 and raw[i + 1] < 60)
    assert reds > 5000


def test_pdf_embeds_a_cjk_font_and_docx_is_a4_with_east_asian_fonts(tmp_path: Any) -> None:
    body = '<h1 class="court">某某人民法院</h1><h2>限制消费令</h2><p class="no">（2026）鲁0102执1号</p><p>正文&amp;内容</p><p class="date">二〇二六年一月一日<span id="seal"></span></p>'
    out = render.html_to_pdf(
        render.full_html(body_html=body, title="t", verify_code="ABC", verify_url="http://x/verify/ABC/")
    )
    path = tmp_path / "a.pdf"
    path.write_bytes(out.data)
    cmd = ["/usr/bin/pdffonts", str(path)]
    fonts = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout  # noqa: S603
    assert "WenQuanYi" in fonts and " yes " in fonts  # embedded
    args = ["/usr/bin/pdftotext", str(path), "-"]
    text = subprocess.run(args, capture_output=True, text=True, check=True).stdout  # noqa: S603
    assert "限制消费令" in text and "正文&内容" in text
    assert out.seal_box[2] - out.seal_box[0] == 119 and 0 < out.seal_box[1] < 842
    docx = Docx(io.BytesIO(render.html_to_docx(body)))
    section = docx.sections[0]
    assert abs(section.page_width.cm - 21) < 0.01 and abs(section.page_height.cm - 29.7) < 0.01
    xml = docx.paragraphs[3].runs[0]._element.xml
    assert 'w:eastAsia="仿宋"' in xml
    assert "正文&内容" in "".join(p.text for p in docx.paragraphs)


def _pdf() -> bytes:
    body = '<h2>测试</h2><p class="date">日期<span id="seal"></span></p>'
    return render.html_to_pdf(render.full_html(body_html=body, title="t")).data


def test_local_sign_validates_and_one_flipped_byte_is_invalid(db: Any) -> None:
    provider = signing.provider_for(court_id=7, court_name="测试人民法院")
    signed = signing.sign_pdf(
        _pdf(),
        provider=provider,
        court_name="测试人民法院",
        placement=signing.SealPlacement(0, (300, 300, 419, 419)),
    )
    check = signing.validate_pdf(signed)
    assert check.ok and "测试人民法院" in check.signer
    bad = bytearray(signed)
    bad[len(bad) // 3] ^= 0x01
    assert not signing.validate_pdf(bytes(bad)).ok
    appended = signed + b"\n% appended\n"
    assert not signing.validate_pdf(appended).covers_whole_file or not signing.validate_pdf(appended).ok


def test_sign_and_validate_work_while_this_thread_runs_an_event_loop(db: Any) -> None:
    """pyHanko's sync paths use asyncio.run; under a running loop (ASGI, a Playwright session in the same
    process) they must still sign and validate rather than fail with a RuntimeError."""
    import asyncio

    provider = signing.provider_for(court_id=10, court_name="测试人民法院")
    pdf = _pdf()

    async def inside_a_loop() -> signing.Validation:
        signed = signing.sign_pdf(
            pdf,
            provider=provider,
            court_name="测试人民法院",
            placement=signing.SealPlacement(0, (300, 300, 419, 419)),
        )
        return signing.validate_pdf(signed)

    check = asyncio.run(inside_a_loop())
    assert check.ok and "测试人民法院" in check.signer


def test_signature_from_an_untrusted_ca_is_not_trusted(db: Any, settings: Any, tmp_path: Any) -> None:
    provider = signing.provider_for(court_id=8, court_name="测试人民法院")
    signed = signing.sign_pdf(
        _pdf(),
        provider=provider,
        court_name="测试人民法院",
        placement=signing.SealPlacement(0, (300, 300, 419, 419)),
    )
    settings.SIGNING_DIR = str(tmp_path / "other-ca")  # a different installation's root
    check = signing.validate_pdf(signed)
    assert check.intact and not check.trusted and not check.ok


def test_pkcs12_backend(db: Any, settings: Any, tmp_path: Any) -> None:
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

    creds = pki.court_credentials(court_id=9, court_name="测试人民法院")
    p12 = pkcs12.serialize_key_and_certificates(
        b"court", creds.key, creds.cert, list(creds.chain), BestAvailableEncryption(b"pw")
    )
    path = tmp_path / "court.p12"
    path.write_bytes(p12)
    settings.ESEAL_BACKEND = "pkcs12"
    settings.SIGNING_PKCS12_PATH = str(path)
    settings.SIGNING_PKCS12_PASSPHRASE = "pw"
    provider = signing.provider_for(court_id=9, court_name="测试人民法院")
    assert isinstance(provider, signing.LocalProvider)
    signed = signing.sign_pdf(
        _pdf(),
        provider=provider,
        court_name="测试人民法院",
        placement=signing.SealPlacement(0, (300, 300, 419, 419)),
    )
    assert signing.validate_pdf(signed).ok


def test_signing_server_adapter_against_a_local_server(db: Any, settings: Any) -> None:
    """The server holds the key; the client sends only the digest and embeds the returned CMS."""
    from cryptography.hazmat.primitives import serialization

    server_side = signing.LocalProvider.for_court(court_id=10, court_name="测试人民法院")
    creds = pki.court_credentials(court_id=10, court_name="测试人民法院")
    chain_pem = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in (creds.cert, *creds.chain))
    seen: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            assert self.headers["Authorization"] == "Bearer t0ken"
            self.send_response(200)
            self.end_headers()
            self.wfile.write(chain_pem)

        def do_POST(self) -> None:
            import base64

            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            seen.append(body)
            cms = server_side.sign_digest(bytes.fromhex(body["digest"]), body["digest_algorithm"])
            self.send_response(200)
            self.end_headers()
            self.wfile.write(json.dumps({"cms": base64.b64encode(cms.dump()).decode()}).encode())

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        settings.ESEAL_BACKEND = "server"
        settings.SIGNING_SERVER_URL = f"http://127.0.0.1:{server.server_port}"
        settings.SIGNING_SERVER_TOKEN = "t0ken"
        provider = signing.provider_for(court_id=10, court_name="测试人民法院")
        assert isinstance(provider, signing.ServerProvider)
        signed = signing.sign_pdf(
            _pdf(),
            provider=provider,
            court_name="测试人民法院",
            placement=signing.SealPlacement(0, (300, 300, 419, 419)),
        )
    finally:
        server.shutdown()
    assert len(seen) == 1 and len(seen[0]["digest"]) == 64 and seen[0]["court"] == "测试人民法院"
    assert signing.validate_pdf(signed).ok


def test_signing_server_down_is_a_clear_error(db: Any, settings: Any) -> None:
    settings.ESEAL_BACKEND = "server"
    settings.SIGNING_SERVER_URL = "http://127.0.0.1:9"
    provider = signing.provider_for(court_id=11, court_name="测试人民法院")
    with pytest.raises(signing.SigningError, match="签章服务器不可用"):
        signing.sign_pdf(
            _pdf(),
            provider=provider,
            court_name="测试人民法院",
            placement=signing.SealPlacement(0, (1, 1, 100, 100)),
        )
