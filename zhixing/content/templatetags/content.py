from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from zhixing.content.sanitize import sanitise_html

register = template.Library()


@register.filter
def clean_html(value: str) -> SafeString:
    """Article HTML through the allow-list again at render time, then marked safe."""
    return mark_safe(sanitise_html(value or ""))  # noqa: S308 - sanitised by nh3 on the line above


@register.filter
def paragraphs(value: str) -> SafeString:
    """Plain text (guide items): blank-line separated paragraphs, "- " lines as a list. Everything escaped."""
    blocks = [b.strip() for b in (value or "").replace("\r\n", "\n").split("\n\n") if b.strip()]
    out = []
    for block in blocks:
        lines = block.split("\n")
        if all(line.startswith("- ") for line in lines):
            items = format_html_join("", "<li>{}</li>", ((line[2:],) for line in lines))
            out.append(format_html("<ul>{}</ul>", items))
        else:
            out.append(format_html("<p>{}</p>", "\n".join(lines)))
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped by format_html
