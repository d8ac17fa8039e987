"""The printable calculation sheet: a real A4 PDF with an embedded CJK font, rendered to PNG for a look."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def _run(*args: str) -> str:
    """Run a poppler-utils tool (fixed program names, arguments from the test itself)."""
    return subprocess.run(list(args), capture_output=True, text=True, check=True).stdout  # noqa: S603


def _pdffonts(pdf: Path) -> str:
    return _run("pdffonts", str(pdf))


def _save(name: str, body: bytes) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    path.write_bytes(body)
    return path


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_delay_interest_sheet_embeds_cjk_font_and_renders(client: Client) -> None:
    query = {
        "principal": "100000",
        "due_date": "2024-03-01",
        "end_date": "2024-09-27",
        "payment_date": "2024-05-30",
        "payment_amount": "40000",
        "payment_note": "划拨",
    }
    response = client.get("/tools/delay-interest/pdf", query)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF")
    pdf = _save("calcweb-delay-interest.pdf", response.content)
    fonts = _pdffonts(pdf)
    assert "WenQuanYi" in fonts and "CID TrueType" in fonts, fonts
    for line in fonts.splitlines()[2:]:
        assert " yes " in f" {line} ", f"font not embedded: {line}"
    text = _run("pdftotext", "-layout", str(pdf), "-")
    for needle in (
        "迟延履行期间的债务利息计算单",
        "2,835.00",
        "1,575.00",
        "1,260.00",
        "法释〔2014〕8号",
        "本计算结果仅供参考",
        "计算口径",
    ):
        assert needle in text, needle
    info = _run("pdfinfo", str(pdf))
    assert "595.276 x 841.89" in info or "595.28 x 841.89" in info  # A4 in points
    png_base = ARTIFACTS / "calcweb-delay-interest-page1"
    _run("pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(png_base))
    png = png_base.with_suffix(".png")
    assert png.exists() and png.stat().st_size > 10_000


@pytest.mark.parametrize(
    ("slug", "data", "needle"),
    [
        ("execution-fee", {"amount": "1000000"}, "12,400.00"),
        ("preservation-fee", {"amount": "100000"}, "1,020.00"),
        ("acceptance-fee", {"amount": "100000", "reduction": "mediation"}, "1,150.00"),
        (
            "loan-interest",
            {
                "principal": "100000",
                "start_date": "2024-01-10",
                "end_date": "2025-01-10",
                "contract_date": "2024-01-10",
                "rate_kind": "annual",
                "rate": "15",
            },
            "15,041.10",
        ),
    ],
)
def test_every_calculator_prints_by_post(
    client: Client, slug: str, data: dict[str, Any], needle: str
) -> None:
    response = client.post(f"/tools/{slug}/pdf", data)
    assert response.status_code == 200
    pdf = _save(f"calcweb-{slug}.pdf", response.content)
    text = _run("pdftotext", str(pdf), "-")
    assert needle in text
    if slug == "loan-interest":
        assert "15.00%" in text and "13.80%" in text


def test_bad_input_gives_the_form_with_422_not_a_pdf(client: Client) -> None:
    response = client.get("/tools/execution-fee/pdf", {"amount": "-1"})
    assert response.status_code == 422
    assert response["Content-Type"].startswith("text/html")
    assert "不能为负数" in response.content.decode()
