"""推荐 ordering: popularity decayed by age, the "gravity" formula Hacker News made popular.

    score = (views + 1) / (age_hours + 2) ** GRAVITY

A new article starts with a small but undiluted score; every view adds to it, and the age term pulls every
article down over time, so a heavily read article from last month ranks below a moderately read one from
this morning. GRAVITY 1.5 halves a score roughly every day and a half for articles a few days old. Pure
function, no Django."""

from __future__ import annotations

from datetime import datetime

GRAVITY = 1.5


def recommend_score(*, views: int, published: datetime, now: datetime) -> float:
    age_hours = max((now - published).total_seconds() / 3600.0, 0.0)
    return (max(views, 0) + 1) / (age_hours + 2.0) ** GRAVITY
