from __future__ import annotations

from django import template

from zhixing.lib.masking import mask_mobile

register = template.Library()


@register.filter(name="mask_mobile")
def mask_mobile_filter(value: str | None) -> str:
    return mask_mobile(value)
