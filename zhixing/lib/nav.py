"""Navigation registries: apps add their own menu entries in AppConfig.ready(), so the shared base
templates never list a page that does not exist."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class NavItem:
    section: str  # workbench: "执行实体化" | "业务办理" | "系统管理"; portal: a tab or page group
    label: str
    url_name: str
    order: int = 100
    # Who sees the entry; the view itself always checks permissions again.
    visible: Callable[[Any], bool] = field(default=lambda user: True)
    url_kwargs: tuple[tuple[str, Any], ...] = ()


WORKBENCH_SECTIONS = ["执行实体化", "业务办理", "内容管理", "系统管理"]
_workbench: list[NavItem] = []
_portal: list[NavItem] = []


def register_workbench(item: NavItem) -> None:
    if item not in _workbench:
        _workbench.append(item)


def register_portal(item: NavItem) -> None:
    if item not in _portal:
        _portal.append(item)


def workbench_items(user: Any) -> list[tuple[str, list[NavItem]]]:
    out = []
    for section in WORKBENCH_SECTIONS:
        items = sorted(
            (i for i in _workbench if i.section == section and i.visible(user)), key=lambda i: i.order
        )
        if items:
            out.append((section, items))
    return out


def portal_items(section: str, user: Any) -> list[NavItem]:
    return sorted((i for i in _portal if i.section == section and i.visible(user)), key=lambda i: i.order)
