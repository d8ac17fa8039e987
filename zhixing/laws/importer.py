"""Import law files (Markdown, optionally gzip-compressed) into Law / LawVersion / LawNode / Article.

Files of the same law and date (民法典 is split by 编) are merged into one version. The latest dated
version of a law is in force unless the law is listed as repealed (data/repealed.json).
Idempotent: a version that already exists (same law and date) is kept unless ``replace=True``.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.db import transaction

from zhixing.lib.cjk import tokenize, tokens_text

from .models import Article, Law, LawNode, LawVersion
from .parser import ParsedDoc, parse_text

DATA_DIR = Path(__file__).resolve().parent / "data"
BUILTIN_DIR = DATA_DIR / "builtin"
PRC = "中华人民共和国"

Progress = Callable[[int, int, str], None]


@lru_cache(maxsize=1)
def alias_table() -> dict[str, list[str]]:
    """Full title -> curated aliases (data/aliases.json)."""
    data = json.loads((DATA_DIR / "aliases.json").read_text(encoding="utf-8"))
    return {k: list(v) for k, v in data.items()}


@lru_cache(maxsize=1)
def repealed_table() -> dict[str, str]:
    return dict(json.loads((DATA_DIR / "repealed.json").read_text(encoding="utf-8")))


def aliases_for(title: str) -> list[str]:
    out: list[str] = []
    if title.startswith(PRC) and len(title) > len(PRC) + 1:
        out.append(title[len(PRC) :])
    for alias in alias_table().get(title, []):
        if alias not in out and alias != title:
            out.append(alias)
    return out


def title_tokens_for(title: str, aliases: Iterable[str]) -> str:
    return " ".join(tokens_text(t) for t in [title, *aliases])


def read_source(path: Path) -> str:
    if path.suffix == ".gz":
        return gzip.decompress(path.read_bytes()).decode("utf-8")
    return path.read_text(encoding="utf-8")


def discover(root: Path) -> list[tuple[Path, str]]:
    """(file, category) for every law file under root; category = first folder below root."""
    found: list[tuple[Path, str]] = []
    for path in sorted(root.rglob("*")):
        name = path.name
        if not path.is_file() or not (name.endswith(".md") or name.endswith(".md.gz")):
            continue
        if name.startswith("_index") or name == "SOURCE.md":
            continue
        rel = path.relative_to(root)
        category = rel.parts[0] if len(rel.parts) > 1 else "其他"
        found.append((path, category))
    return found


@dataclass
class Group:
    title: str
    category: str
    docs: list[ParsedDoc]

    @property
    def date(self) -> dt.date | None:
        dates = [d.version_date for d in self.docs if d.version_date]
        return max(dates) if dates else None


def _group(parsed: list[tuple[ParsedDoc, str]]) -> list[Group]:
    groups: dict[tuple[str, object], Group] = {}
    for doc, category in parsed:
        if not doc.title:
            continue
        # Undated files of one title (民法典 split by 编) are parts of one version.
        key = (doc.title, doc.file_date or "undated")
        group = groups.setdefault(key, Group(doc.title, category, []))
        # The same file filed under two categories is one document, not two parts.
        if any(d.subtitle == doc.subtitle for d in group.docs):
            continue
        group.docs.append(doc)
    for group in groups.values():
        group.docs.sort(key=lambda d: (d.articles[0].index if d.articles else 0, d.source_name))
    return list(groups.values())


@dataclass
class ImportResult:
    files: int = 0
    laws: int = 0
    versions_created: int = 0
    versions_skipped: int = 0
    articles: int = 0


def import_paths(
    files: list[tuple[Path, str]], *, replace: bool = False, progress: Progress | None = None
) -> ImportResult:
    """Parse and import files given as (path, category)."""
    result = ImportResult(files=len(files))
    parsed: list[tuple[ParsedDoc, str]] = []
    for path, category in files:
        name = path.name.removesuffix(".gz")
        parsed.append((parse_text(read_source(path), source_name=name), category))
    groups = _group(parsed)
    total = len(groups)
    touched: set[int] = set()
    laws_seen: set[str] = set()
    for i, group in enumerate(groups, start=1):
        with transaction.atomic():
            law, _created = _law_for(group)
            laws_seen.add(law.title)
            touched.add(law.pk)
            existing = LawVersion.objects.filter(law=law, date=group.date).first()
            if existing is not None and not replace:
                result.versions_skipped += 1
            else:
                if existing is not None:
                    existing.delete()
                result.articles += _create_version(law, group)
                result.versions_created += 1
        if progress:
            progress(i, total, group.title)
    refresh_in_force(Law.objects.filter(pk__in=touched))
    from .search import invalidate_stats

    invalidate_stats()
    result.laws = len(laws_seen)
    return result


def import_dir(root: Path, **kwargs: object) -> ImportResult:
    return import_paths(discover(root), **kwargs)  # type: ignore[arg-type]


def import_builtin(**kwargs: object) -> ImportResult:
    return import_dir(BUILTIN_DIR, **kwargs)


def _law_for(group: Group) -> tuple[Law, bool]:
    law, created = Law.objects.get_or_create(
        title=group.title, defaults={"category": group.category, "aliases": aliases_for(group.title)}
    )
    note = repealed_table().get(law.title)
    changed = False
    if (note is not None) != law.repealed:
        law.repealed = note is not None
        law.repeal_note = note or ""
        changed = True
    aliases = aliases_for(law.title)
    if aliases != law.aliases:
        law.aliases = aliases
        changed = True
    if changed:
        law.save()
        Article.objects.filter(law=law).update(title_tokens=title_tokens_for(law.title, law.aliases))
    return law, created


def _create_version(law: Law, group: Group) -> int:
    first = group.docs[0]
    merged = len(group.docs) > 1
    history = []
    seen_lines: set[str] = set()
    for doc in group.docs:
        for line in doc.date_lines:
            if line.text not in seen_lines:
                seen_lines.add(line.text)
                history.append({"date": line.date.isoformat(), "event": line.event, "text": line.text})
    date = group.date
    event = next((d.version_event for d in group.docs if d.version_date == date), first.version_event)
    version = LawVersion.objects.create(
        law=law,
        date=date,
        event=event,
        subtitle="" if merged else first.subtitle,
        history=history,
        preamble="\n".join(d.preamble for d in group.docs if d.preamble and not merged) or first.preamble,
        source_name=" + ".join(d.source_name for d in group.docs)[:300],
    )
    title_tokens = title_tokens_for(law.title, law.aliases)
    # Structure: collect nodes with global positions; merged parts get a top node each.
    node_rows: list[tuple[LawNode, int]] = []  # (node, depth)
    article_rows: list[tuple[Article, int | None]] = []  # (article, index into node_rows)
    position = 0
    for doc in group.docs:
        offset = 0
        if merged and doc.subtitle:
            position += 1
            node_rows.append(
                (LawNode(version=version, level="编", title=doc.subtitle, depth=1, position=position), 1)
            )
            offset = 1
        local: dict[int, int] = {}
        for pnode in doc.nodes:
            position += 1
            depth = pnode.depth + offset
            node_rows.append(
                (
                    LawNode(
                        version=version, level=pnode.level, title=pnode.title, depth=depth, position=position
                    ),
                    depth,
                )
            )
            local[pnode.position] = len(node_rows) - 1
        part_index = len(node_rows) - len(doc.nodes) - 1 if offset else None
        for part in doc.articles:
            position += 1
            node_idx = local.get(part.node_position) if part.node_position is not None else part_index
            article_rows.append(
                (
                    Article(
                        version=version,
                        law=law,
                        number=part.number,
                        index=part.index,
                        sub_index=part.sub_index,
                        text=part.text,
                        position=position,
                        tokens=" ".join(toks := tokenize(part.text)),
                        title_tokens=title_tokens,
                        token_count=len(toks),
                    ),
                    node_idx,
                )
            )
    nodes = LawNode.objects.bulk_create([n for n, _ in node_rows], batch_size=500)
    # Parents: the nearest earlier node of smaller depth.
    stack: list[LawNode] = []
    for lnode in nodes:
        while stack and stack[-1].depth >= lnode.depth:
            stack.pop()
        lnode.parent = stack[-1] if stack else None
        stack.append(lnode)
    LawNode.objects.bulk_update([n for n in nodes if n.parent is not None], ["parent"], batch_size=500)
    by_pk = {n.pk: n for n in nodes}
    articles = []
    for art, node_idx in article_rows:
        if node_idx is not None and 0 <= node_idx < len(nodes):
            art.node = nodes[node_idx]
            chain = []
            cur: LawNode | None = nodes[node_idx]
            while cur is not None:
                chain.append(cur.title)
                cur = by_pk.get(cur.parent_id) if cur.parent_id else None
            art.path = " / ".join(reversed(chain))[:400]
        articles.append(art)
    Article.objects.bulk_create(articles, batch_size=500)
    version.article_count = len(articles)
    version.save(update_fields=["article_count"])
    return len(articles)


def refresh_in_force(laws: Iterable[Law]) -> None:
    """The latest dated version of each law is in force unless the law is repealed."""
    for law in laws:
        versions = list(law.versions.all())
        dated = sorted(versions, key=lambda v: (v.date is not None, v.date or 0), reverse=True)
        current = None if law.repealed or not dated else dated[0]
        for v in versions:
            flag = current is not None and v.pk == current.pk
            if v.in_force != flag:
                v.in_force = flag
                v.save(update_fields=["in_force"])
