"""Default data: the FAQ written for this project (idempotent)."""

from __future__ import annotations

from typing import Any

from .loader import load_faq


def seed(out: Any) -> None:
    r = load_faq()
    out.write(f"常见问题解答：{r.categories} 个类别，新增 {r.created} 条，更新 {r.updated} 条。")
