from __future__ import annotations

from datetime import date

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def days_left(days: int | None, deadline: date | None) -> str:
    """阶段期限 as days left: overdue in red, due within three days in amber (a tag, not an include,
    because it renders on every row of queues with thousands of cases)."""
    if days is None or deadline is None:
        return "—"
    title = deadline.strftime("%Y-%m-%d")
    if days < 0:
        return format_html('<span class="overdue" title="{}">已超期 {} 天</span>', title, -days)
    if days == 0:
        return format_html('<span class="soon" title="{}">今日到期</span>', title)
    css = "soon" if days <= 3 else "left"
    return format_html('<span class="{}" title="{}">剩余 {} 天</span>', css, title, days)
