"""DOCX (python-docx) and PDF (WeasyPrint) of a party-made document, from the same blocks as the preview.

A4, 仿宋-style body in the embedded WenQuanYi Micro Hei (the only CJK font guaranteed on the servers); the
PDF embeds a subset of the font, so it shows the same everywhere (checked with ``pdffonts`` in the tests).
"""

from __future__ import annotations

import io

from django.template.loader import render_to_string

from zhixing.lib.fonts import CJK_FONT_FILE, CJK_FONT_NAME, cjk_font_url

from .doc_forms import TITLES, Block, document_blocks, masked


def render_html(kind: str, data: dict[str, object], *, standalone: bool, mask: bool = False) -> str:
    return render_to_string(
        "interaction/document_body.html",
        {
            "blocks": document_blocks(kind, masked(data) if mask else data),
            "title": TITLES[kind],
            "standalone": standalone,
            "font_url": cjk_font_url(),
            "font_name": CJK_FONT_NAME,
        },
    )


def render_pdf(kind: str, data: dict[str, object]) -> bytes:
    from weasyprint import HTML

    html = render_html(kind, data, standalone=True)
    # base_url lets WeasyPrint read the local font file; nothing is fetched from the network.
    pdf: bytes = HTML(string=html, base_url=str(CJK_FONT_FILE.parent)).write_pdf()
    return pdf


def render_docx(kind: str, data: dict[str, object]) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    doc = Document()
    section = doc.sections[0]
    # python-docx starts from US Letter: court documents are A4.
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2.54)
    section.left_margin = section.right_margin = Cm(2.8)
    style = doc.styles["Normal"]
    style.font.name = CJK_FONT_NAME
    style.font.size = Pt(14)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), CJK_FONT_NAME)

    def add(block: Block) -> None:
        p = doc.add_paragraph()
        run = p.add_run(block.text)
        fmt = p.paragraph_format
        fmt.space_after = Pt(6)
        if block.style == "title":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run.bold = True
            run.font.size = Pt(22)
            fmt.space_after = Pt(18)
        elif block.style == "heading":
            run.bold = True
        elif block.style == "right":
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        elif block.style == "para":
            fmt.first_line_indent = Pt(28)
        run.font.name = CJK_FONT_NAME
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), CJK_FONT_NAME)

    for block in document_blocks(kind, data):
        add(block)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
