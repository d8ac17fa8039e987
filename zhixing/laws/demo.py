"""Demo/default data: the enforcement-relevant laws shipped in data/builtin (idempotent)."""

from __future__ import annotations

from typing import Any

from .importer import import_builtin


def seed(out: Any) -> None:
    result = import_builtin()
    out.write(
        f"法律法规：{result.laws} 部，新建版本 {result.versions_created} 个，已有 {result.versions_skipped} 个，"
        f"新增条文 {result.articles} 条。"
    )
