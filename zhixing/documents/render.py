"""One source of wording, two outputs: the template body is HTML; WeasyPrint makes the PDF and the same HTML
is walked to build the editable DOCX (A4, 仿宋/宋体 east-Asian fonts, court margins).

Body conventions (see ``library.py``): ``h1.court`` court name, ``h2`` document title, ``p.no`` number line,
``p.party`` unindented party lines, ``p`` body paragraphs (2-character first-line indent), ``p.sign`` / ``p.date``
right-aligned signature lines, ``span#seal`` the point the court seal is centred on.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass

import segno
from django.template.loader import render_to_string
from docx import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from lxml import html as lxml_html

PT_PER_PX = 0.75
A4_HEIGHT_PT = 841.89
SEAL_SIZE_PT = 119  # 4.2 cm, the usual court seal diameter
SEAL_OFFSET_PX = 80


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int
    seal_page: int
    seal_box: tuple[int, int, int, int]


def qr_data_uri(text: str) -> str:
    buf = io.BytesIO()
    segno.make(text, error="m").save(buf, kind="png", scale=4, border=1)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def full_html(*, body_html: str, title: str, verify_code: str = "", verify_url: str = "") -> str:
    return render_to_string(
        "documents/pdf/document.html",
        {
            "body_html": body_html,
            "title": title,
            "verify_code": verify_code,
            "verify_url": verify_url,
            "qr": qr_data_uri(verify_url) if verify_url else "",
        },
    )


def html_to_pdf(page_html: str) -> RenderedPdf:
    from weasyprint import HTML

    document = HTML(string=page_html, base_url=None).render()
    seal_page, x_px, y_px = len(document.pages) - 1, 600.0, 900.0
    for index, page in enumerate(document.pages):
        if "seal" in page.anchors:
            seal_page = index
            pos = page.anchors["seal"]  # (x, y) or (x1, y1, x2, y2) in CSS px, top-left origin
            x_px = pos[0]
            y_px = (pos[1] + pos[3]) / 2 if len(pos) == 4 else pos[1]
    # The anchor sits at the end of the date line; the seal covers the date (centre about 4 characters left).
    cx, cy = (x_px - SEAL_OFFSET_PX) * PT_PER_PX, A4_HEIGHT_PT - y_px * PT_PER_PX
    half = SEAL_SIZE_PT / 2
    box = (int(cx - half), int(cy - half), int(cx + half), int(cy + half))
    return RenderedPdf(
        data=document.write_pdf(), pages=len(document.pages), seal_page=seal_page, seal_box=box
    )


def _set_run_font(run: object, *, east_asia: str, size_pt: float, bold: bool = False) -> None:
    run.font.size = Pt(size_pt)  # type: ignore[attr-defined]
    run.font.bold = bold  # type: ignore[attr-defined]
    run.font.name = "Times New Roman"  # type: ignore[attr-defined]
    rpr = run._element.get_or_add_rPr()  # type: ignore[attr-defined]
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(rfonts)
    rfonts.set(qn("w:eastAsia"), east_asia)


def _runs(element: lxml_html.HtmlElement) -> list[tuple[str, bool]]:
    """Text pieces of a block with their bold flag; <br> becomes a line break."""
    out: list[tuple[str, bool]] = []
    if element.text:
        out.append((element.text, False))
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "br":
            out.append(("\n", False))
        else:
            bold = tag in {"strong", "b"}
            text = child.text_content()
            if text:
                out.append((text, bold))
        if child.tail:
            out.append((child.tail, False))
    return out


def html_to_docx(body_html: str) -> bytes:
    doc = DocxDocument()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(16)
    normal.element.get_or_add_rPr()
    root = lxml_html.fragment_fromstring(body_html, create_parent="div")
    for block in root:
        if not isinstance(block.tag, str):
            continue
        classes = set((block.get("class") or "").split())
        para = doc.add_paragraph()
        fmt = para.paragraph_format
        fmt.space_after = Pt(0)
        fmt.line_spacing = Pt(28)
        east, size, bold = "仿宋", 16.0, False
        if block.tag == "h1":
            east, size, bold = "宋体", 22.0, True
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            fmt.line_spacing = Pt(36)
        elif block.tag == "h2":
            east, size, bold = "宋体", 26.0 if "big" in classes else 22.0, True
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            fmt.line_spacing = Pt(40)
        elif "no" in classes:
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif classes & {"sign", "date"}:
            para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            fmt.right_indent = Cm(1.2)
        elif "center" in classes:
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif "party" in classes or "note" in classes:
            pass
        else:
            fmt.first_line_indent = Pt(32)
        if "note" in classes:
            size = 12.0
        for text, strong in _runs(block):
            run = para.add_run(text)
            _set_run_font(run, east_asia="黑体" if strong else east, size_pt=size, bold=bold or strong)
            if block.tag == "h1":
                run.font.color.rgb = RGBColor(0, 0, 0)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def pdf_page_count(data: bytes) -> int:
    from pyhanko.pdf_utils.reader import PdfFileReader

    return int(PdfFileReader(io.BytesIO(data), strict=False).root["/Pages"]["/Count"])


def pdf_page_png(data: bytes, page: int, *, dpi: int = 110) -> bytes:
    """One page (1-based) of a PDF as PNG, rendered with poppler's pdftoppm (the in-browser viewer that needs no
    PDF plug-in and no script)."""
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path

    tool = shutil.which("pdftoppm") or "/usr/bin/pdftoppm"
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(data)
        out = Path(tmp) / "page"
        subprocess.run(  # noqa: S603 - fixed tool, our own temporary files
            [
                tool,
                "-f",
                str(page),
                "-l",
                str(page),
                "-r",
                str(dpi),
                "-png",
                "-singlefile",
                str(src),
                str(out),
            ],
            check=True,
            capture_output=True,
            timeout=60,
        )
        return (Path(tmp) / "page.png").read_bytes()
