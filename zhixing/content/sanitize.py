"""Article bodies are HTML written by court staff; only an allow-list of tags and attributes survives.

nh3 (ammonia) parses the HTML like a browser does, so tricks such as broken tags or ``javascript:`` URLs
cannot slip through. Everything that can run script (script, style, on* attributes, iframes, forms, SVG)
is dropped."""

from __future__ import annotations

import nh3

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "blockquote", "ul", "ol", "li",
    "a", "img", "figure", "figcaption", "table", "thead", "tbody", "tr", "th", "td", "hr", "span", "sub", "sup",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def sanitise_html(html: str) -> str:
    """Return ``html`` reduced to the allow-list; safe to mark safe in templates."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def plain_text(html: str) -> str:
    """The text of a body without any markup (for summaries and the API's ``text``)."""
    return nh3.clean(html or "", tags=set(), clean_content_tags={"script", "style"}).strip()
