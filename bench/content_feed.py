"""执行头条 feed latency with many articles: p50/p95 per channel (selector and full page), printed.

    DATABASE_URL=sqlite:////tmp/zx_content_bench.sqlite3 .venv/bin/python bench/content_feed.py --articles 20000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zx_content_bench .venv/bin/python bench/content_feed.py

The database must be a bench database (its name contains "bench"); it is migrated and filled with synthetic
published articles spread over 400 days, 40 courts' regions and the topic channels. 推荐 ranks the newest
RECOMMEND_WINDOW articles in Python, so its cost is bounded whatever the table size.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhixing.settings")


def _check_database() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if "bench" not in url.rsplit("/", 1)[-1]:
        raise SystemExit("请设置 DATABASE_URL 为基准测试专用数据库（名称须含 bench）。")


def _timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    _check_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from zhixing.content import selectors
    from zhixing.content.models import Article, Channel
    from zhixing.content.selectors import Interests
    from zhixing.courts.models import Court

    call_command("migrate", verbosity=0)
    rng = random.Random(7)
    courts = []
    for i in range(40):
        region = f"37{(i % 16) + 1:02d}{(i % 5) + 1:02d}"
        court, _ = Court.objects.get_or_create(
            case_code=f"鲁{9000 + i}",
            defaults={
                "name": f"基准测试法院{i}",
                "level": "basic",
                "region_code": region,
                "province": "山东省",
            },
        )
        courts.append(court)
    topics = list(Channel.objects.filter(kind__in=["topic", "video"]))
    have = Article.objects.count()
    now = timezone.now()
    if have < args.articles:
        start = time.perf_counter()
        batch = []
        for n in range(have, args.articles):
            court = rng.choice(courts)
            batch.append(
                Article(
                    channel=rng.choice(topics),
                    court=court,
                    region_code=court.region_code,
                    title=f"基准文章{n}",
                    summary="摘要",
                    body="<p>正文</p>",
                    status="published",
                    publish_at=now - timedelta(minutes=rng.randint(1, 400 * 24 * 60)),
                    views=rng.randint(0, 5000),
                )
            )
            if len(batch) == 2000:
                Article.objects.bulk_create(batch)
                batch = []
        Article.objects.bulk_create(batch)
        print(f"inserted {args.articles - have} articles in {time.perf_counter() - start:.1f}s")
    print(f"database: {os.environ['DATABASE_URL'].split('://')[0]}, articles: {Article.objects.count()}")
    channels = {c.slug: c for c in Channel.objects.all()}
    interests = Interests(
        channel_slugs=frozenset({"cases"}),
        court_ids=frozenset({courts[0].pk}),
        region="370100",
        region_source="chosen",
    )
    client = Client()
    rows = []
    for slug in ["recommended", "news", "local", "following", "video"]:
        ch = channels[slug]

        def first(ch: Any = ch) -> Any:
            return selectors.feed(channel=ch, interests=interests, page=1).articles

        def deep_page(ch: Any = ch) -> Any:
            return selectors.feed(channel=ch, interests=interests, page=50).articles

        def full(slug: str = slug) -> Any:
            return client.get(f"/?channel={slug}")

        sel = _timed(first, args.runs)
        deep = _timed(deep_page, args.runs)
        page = _timed(full, max(args.runs // 2, 5))
        rows.append((slug, sel, deep, page))
    print(f"{'channel':<12}{'selector p50/p95 ms':>22}{'page 50 p50/p95':>20}{'full page p50/p95':>22}")
    for slug, sel, deep, page in rows:
        print(
            f"{slug:<12}{sel[0]:>11.1f}/{sel[1]:<10.1f}{deep[0]:>9.1f}/{deep[1]:<10.1f}{page[0]:>11.1f}/{page[1]:<10.1f}"
        )


if __name__ == "__main__":
    main()
