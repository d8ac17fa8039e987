from __future__ import annotations

from typing import Any

from django import template

from zhixing.lib.nav import workbench_items

register = template.Library()


@register.simple_tag(takes_context=True)
def workbench_nav(context: dict[str, Any]) -> list[Any]:
    request = context.get("request")
    return workbench_items(getattr(request, "user", None))
