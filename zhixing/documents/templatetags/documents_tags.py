from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def page_numbers(count: int | None) -> range:
    """1..count, for the page-image viewer."""
    return range(1, (count or 0) + 1)
