"""Reads for the law pages (all public)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from .models import Article, Law, LawNode, LawVersion


def law_get(law_id: int) -> Law | None:
    return Law.objects.filter(pk=law_id).first()


def version_get(version_id: int) -> LawVersion | None:
    return LawVersion.objects.select_related("law").filter(pk=version_id).first()


def categories() -> list[tuple[str, int]]:
    rows = Law.objects.values("category").annotate(n=Count("id")).order_by("category")
    return [(r["category"], r["n"]) for r in rows]


def laws_in_force(category: str | None = None) -> QuerySet[LawVersion]:
    qs = LawVersion.objects.select_related("law").filter(in_force=True)
    if category:
        qs = qs.filter(law__category=category)
    return qs.order_by("law__title")


@dataclass
class TocNode:
    node: LawNode
    children: list[TocNode] = field(default_factory=list)
    first_article: Article | None = None


def version_toc(version: LawVersion) -> list[TocNode]:
    """The 编/章/节 tree of a version."""
    nodes = list(version.nodes.all().order_by("position"))
    by_id: dict[int, TocNode] = {n.pk: TocNode(n) for n in nodes}
    roots: list[TocNode] = []
    for n in nodes:
        item = by_id[n.pk]
        if n.parent_id and n.parent_id in by_id:
            by_id[n.parent_id].children.append(item)
        else:
            roots.append(item)
    return roots


def version_blocks(version: LawVersion) -> list[tuple[str, object]]:
    """Headings and articles in reading order: ("node", LawNode) / ("article", Article)."""
    items: list[tuple[int, str, object]] = []
    for n in version.nodes.all():
        items.append((n.position, "node", n))
    for a in version.articles.all().only(
        "id", "number", "index", "sub_index", "text", "position", "version_id"
    ):
        items.append((a.position, "article", a))
    items.sort(key=lambda x: x[0])
    return [(kind, obj) for _, kind, obj in items]
