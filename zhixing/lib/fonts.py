"""The CJK font every generated PDF embeds: WenQuanYi Micro Hei from Debian's ``fonts-wqy-microhei``.

One place for its location so PDF templates (``@font-face`` with a file:// URL) and DOCX output agree.
"""

from __future__ import annotations

from pathlib import Path

CJK_FONT_FILE = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
CJK_FONT_NAME = "WenQuanYi Micro Hei"


def cjk_font_url() -> str:
    """file:// URL of the font for ``@font-face``, or "" when it is not installed (fontconfig then decides)."""
    return CJK_FONT_FILE.as_uri() if CJK_FONT_FILE.exists() else ""
