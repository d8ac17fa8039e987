"""法律法规 search benchmark over the full corpus, on SQLite and PostgreSQL, next to a LIKE scan and tantivy.

    .venv/bin/python bench/laws_bench.py [--corpus /work/shared/corpus/laws] [--repeat 5]
        [--sqlite var/bench-laws/laws.sqlite3] [--pg postgres://postgres@127.0.0.1:5432/zx_laws_bench]

For each database (a scratch database, never the development one) a child process migrates, imports the
corpus with ``manage.py import_laws`` (skipped when already imported), then measures per query:
- our search (bigram phrase match in FTS5 / GIN tsvector + BM25 re-rank in Python, first page of 20),
- a plain ``LIKE '%term%'`` scan over the article text (every term, in-force filter, all matching ids),
and recall@10 on a development set of queries with the articles a good answer must contain. The SQLite
child also builds two tantivy indexes in a temp dir over the same in-force articles: the ngram(2,2)
tokenizer over the raw text, and the whitespace tokenizer over our stored bigram tokens.
Prints p50/p95 latency per method and recall, and whether both databases returned identical rankings.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

LATENCY_QUERIES = [
    "执行",
    "失信",
    "拍卖",
    "查封",
    "利息",
    "异议",
    "迟延履行 利息",
    "申请执行的期间",
    "限制出境",
    "夫妻共同债务",
    "被执行人 工资 收入",
    "拒不执行判决 情节严重",
    "案外人 执行标的 异议",
    "悬赏公告",
    "以物抵债",
    "法释〔2014〕8号",
]

# query -> acceptable (law title fragment, article index) hits; recall@10 counts a query as found when
# any acceptable article is in the first ten results (in-force versions only).
DEV_SET: list[tuple[str, list[tuple[str, int]]]] = [
    ("迟延履行 利息", [("计算迟延履行期间的债务利息适用法律", 1)]),
    ("加倍部分债务利息 日万分之一点七五", [("计算迟延履行期间的债务利息适用法律", 1)]),
    ("申请执行的期间", [("中华人民共和国民事诉讼法", 250)]),
    ("失信被执行人名单 期限 二年", [("公布失信被执行人名单信息", 2)]),
    ("动车组", [("限制被执行人高消费及有关消费", 3)]),
    ("拒不执行 情节严重 有期徒刑", [("中华人民共和国刑法", 313)]),
    ("案外人 执行标的 书面异议", [("中华人民共和国民事诉讼法", 238)]),
    ("生活所必需的居住房屋", [("查封、扣押、冻结财产", 4)]),
    ("悬赏公告", [("民事执行中财产调查", 21)]),
    ("终结本次执行程序", [("适用《中华人民共和国民事诉讼法》的解释", 517)]),
    ("作价交申请执行人抵偿债务", [("适用《中华人民共和国民事诉讼法》的解释", 489)]),
    ("限制出境", [("中华人民共和国民事诉讼法", 266), ("执行程序若干问题的解释", 23)]),
    ("拒绝报告 虚假报告", [("中华人民共和国民事诉讼法", 252), ("民事执行中财产调查", 9)]),
    ("夫妻共同债务", [("中华人民共和国民法典", 1064)]),
    ("一人有限责任公司 股东", [("变更、追加当事人", 20)]),
    ("起拍价 百分之七十", [("网络司法拍卖", 10)]),
    ("执行和解协议 恢复执行", [("执行和解若干问题", 9), ("适用《中华人民共和国民事诉讼法》的解释", 465)]),
    ("参与分配", [("适用《中华人民共和国民事诉讼法》的解释", 506)]),
    ("申请执行 申请费", [("诉讼费用交纳办法", 14)]),
    ("扣留 提取 收入 生活必需费用", [("中华人民共和国民事诉讼法", 254)]),
    ("执行异议 十五日内审查 复议", [("中华人民共和国民事诉讼法", 236)]),
    (
        "被执行人 死亡 遗产",
        [("中华人民共和国民事诉讼法", 243), ("适用《中华人民共和国民事诉讼法》的解释", 473)],
    ),
    ("搜查令", [("中华人民共和国民事诉讼法", 259)]),
    ("冻结 银行存款 期限 一年", [("适用《中华人民共和国民事诉讼法》的解释", 485)]),
]
EXACT = [
    ("民事诉讼法第二百六十四条", ("中华人民共和国民事诉讼法", 264)),
    ("民诉法264条", ("中华人民共和国民事诉讼法", 264)),
    ("民诉法第264条", ("中华人民共和国民事诉讼法", 264)),
    ("刑法第三百一十三条", ("中华人民共和国刑法", 313)),
    ("限高规定第3条", ("限制被执行人高消费及有关消费", 3)),
]


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def timed(fn: Any, repeat: int) -> tuple[list[float], Any]:
    fn()  # warm-up
    samples = []
    out = None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        samples.append((time.perf_counter() - t) * 1000)
    return samples, out


# ---- child: one database ------------------------------------------------------------------------


def child(db_url: str, corpus: Path, repeat: int, with_tantivy: bool) -> dict[str, Any]:
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhixing.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from zhixing.laws.models import Article
    from zhixing.laws.search import exact_lookup, search_articles

    call_command("migrate", verbosity=0, skip_checks=True)
    result: dict[str, Any] = {"vendor": connection.vendor}
    n_before = Article.objects.count()
    if n_before < 50000:
        t = time.perf_counter()
        call_command("import_laws", str(corpus), stdout=sys.stderr)
        result["import_s"] = round(time.perf_counter() - t, 1)
    result["articles"] = Article.objects.count()
    result["in_force_articles"] = Article.objects.filter(version__in_force=True).count()

    ours: dict[str, list[float]] = {}
    like: dict[str, list[float]] = {}
    rankings: dict[str, list[str]] = {}
    totals: dict[str, int] = {}
    for q in LATENCY_QUERIES:
        samples, res = timed(lambda q=q: search_articles(q, in_force=True, per_page=20), repeat)
        ours[q] = samples
        totals[q] = res.total
        rankings[q] = [f"{h.article.law.title}|{h.article.version.date}|{h.article.number}" for h in res.hits]
        terms = q.split()

        def like_scan(terms: list[str] = terms) -> list[int]:
            qs = Article.objects.filter(version__in_force=True)
            for term in terms:
                qs = qs.filter(text__contains=term)
            return list(qs.values_list("id", flat=True))

        like[q], _ = timed(like_scan, repeat)
    exact_ms, _ = timed(lambda: [exact_lookup(q) for q, _ in EXACT], repeat)
    result["exact_ok"] = sum(
        1
        for q, (title, idx) in EXACT
        if (a := exact_lookup(q)) is not None
        and title in a.law.title
        and a.index == idx
        and a.version.in_force
    )
    result["exact_ms_per_lookup"] = round(statistics.median(exact_ms) / len(EXACT), 2)

    def found(hits: list[tuple[str, int]], expected: list[tuple[str, int]]) -> bool:
        return any(frag in title and idx == index for title, index in hits[:10] for frag, idx in expected)

    recall_ours = 0
    recall_like = 0
    for q, expected in DEV_SET:
        res = search_articles(q, in_force=True, per_page=10)
        recall_ours += found([(h.article.law.title, h.article.index) for h in res.hits], expected)
        qs = Article.objects.filter(version__in_force=True)
        for term in q.split():
            qs = qs.filter(text__contains=term)
        like_hits = list(qs.order_by("id").values_list("law__title", "index")[:10])
        recall_like += found(like_hits, expected)
    result["recall_ours"] = f"{recall_ours}/{len(DEV_SET)}"
    result["recall_like"] = f"{recall_like}/{len(DEV_SET)}"
    all_ours = [x for v in ours.values() for x in v]
    all_like = [x for v in like.values() for x in v]
    result["ours_p50"], result["ours_p95"] = round(pct(all_ours, 50), 1), round(pct(all_ours, 95), 1)
    result["like_p50"], result["like_p95"] = round(pct(all_like, 50), 1), round(pct(all_like, 95), 1)
    result["per_query_ours_p50"] = {q: round(statistics.median(v), 1) for q, v in ours.items()}
    result["per_query_like_p50"] = {q: round(statistics.median(v), 1) for q, v in like.items()}
    result["totals"] = totals
    result["rankings"] = rankings
    if with_tantivy:
        result["tantivy"] = tantivy_bench(repeat, found)
    return result


def tantivy_bench(repeat: int, found: Any) -> dict[str, Any]:
    import tantivy

    from zhixing.laws.models import Article

    rows = list(
        Article.objects.filter(version__in_force=True).values_list(
            "id", "text", "tokens", "law__title", "index"
        )
    )
    meta = {r[0]: (r[3], r[4]) for r in rows}
    out: dict[str, Any] = {}
    for name, tokenizer, column in [("ngram2", "ngram2", 1), ("bigram_tokens", "ws", 2)]:
        sb = tantivy.SchemaBuilder()
        sb.add_integer_field("id", stored=True, indexed=True)
        sb.add_text_field("body", stored=False, tokenizer_name=tokenizer, index_option="position")
        schema = sb.build()
        with tempfile.TemporaryDirectory() as tmp:
            index = tantivy.Index(schema, path=tmp)
            if tokenizer == "ngram2":
                analyzer = (
                    tantivy.TextAnalyzerBuilder(
                        tantivy.Tokenizer.ngram(min_gram=2, max_gram=2, prefix_only=False)
                    )
                    .filter(tantivy.Filter.lowercase())
                    .build()
                )
            else:
                analyzer = tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.whitespace()).build()
            index.register_tokenizer(tokenizer, analyzer)
            t = time.perf_counter()
            writer = index.writer(heap_size=200_000_000)
            for r in rows:
                writer.add_document(tantivy.Document(id=r[0], body=r[column]))
            writer.commit()
            index.reload()
            build_s = time.perf_counter() - t
            searcher = index.searcher()
            from zhixing.lib.cjk import query_terms

            def parse(q: str) -> Any:
                if tokenizer == "ngram2":  # noqa: B023 - used within this iteration only
                    text = " ".join(f'"{term}"' for term in q.split())
                else:
                    text = " ".join(f'"{t.phrase}"' for t in query_terms(q))
                return index.parse_query(text, ["body"])  # noqa: B023

            def run(q: str, limit: int = 20) -> list[int]:
                hits = searcher.search(parse(q), limit).hits  # noqa: B023
                return [searcher.doc(addr)["id"][0] for _score, addr in hits]  # noqa: B023

            samples: list[float] = []
            for q in LATENCY_QUERIES:
                s, _ = timed(lambda q=q: run(q), repeat)
                samples.extend(s)
            recall = sum(found([meta[i] for i in run(q, 10)], expected) for q, expected in DEV_SET)
            out[name] = {
                "build_s": round(build_s, 1),
                "p50": round(pct(samples, 50), 2),
                "p95": round(pct(samples, 95), 2),
                "recall": f"{recall}/{len(DEV_SET)}",
            }
    return out


# ---- parent ---------------------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", default="/work/shared/corpus/laws")
    ap.add_argument("--sqlite", default=str(ROOT / "var" / "bench-laws" / "laws.sqlite3"))
    ap.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/zx_laws_bench")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--tantivy", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        res = child(args.child, Path(args.corpus), args.repeat, args.tantivy)
        print("RESULT " + json.dumps(res, ensure_ascii=False))
        return

    Path(args.sqlite).parent.mkdir(parents=True, exist_ok=True)
    if args.pg:
        dbname = args.pg.rsplit("/", 1)[1]
        subprocess.run(
            ["psql", args.pg.rsplit("/", 1)[0] + "/postgres", "-qc", f"CREATE DATABASE {dbname}"],
            capture_output=True,
            check=False,
        )
    results = {}
    targets = [("sqlite", f"sqlite:///{Path(args.sqlite).resolve()}", True)]
    if args.pg:
        targets.append(("postgresql", args.pg, False))
    for name, url, with_tantivy in targets:
        cmd = [
            sys.executable,
            __file__,
            "--child",
            url,
            "--corpus",
            args.corpus,
            "--repeat",
            str(args.repeat),
        ]
        if with_tantivy:
            cmd.append("--tantivy")
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False, cwd=ROOT)
        line = next((x for x in proc.stdout.splitlines() if x.startswith("RESULT ")), None)
        if line is None:
            print(proc.stdout[-3000:], proc.stderr[-5000:])
            raise SystemExit(f"{name}: child failed")
        results[name] = json.loads(line[7:])

    print(
        f"\n法律法规 search benchmark — {len(LATENCY_QUERIES)} queries × {args.repeat} runs, in-force filter on"
    )
    for name, r in results.items():
        print(
            f"\n[{name}] articles {r['articles']} (in force {r['in_force_articles']})"
            + (f", import {r['import_s']} s" if "import_s" in r else "")
        )
        print(
            f"  ours (bigram FTS + BM25 re-rank, page of 20): p50 {r['ours_p50']} ms  p95 {r['ours_p95']} ms"
        )
        print(
            f"  LIKE scan (all matching ids):                p50 {r['like_p50']} ms  p95 {r['like_p95']} ms"
        )
        print(
            f"  recall@10 on {len(DEV_SET)} dev queries: ours {r['recall_ours']}, LIKE (id order) {r['recall_like']}"
        )
        print(f"  exact lookups correct: {r['exact_ok']}/{len(EXACT)} ({r['exact_ms_per_lookup']} ms each)")
        for label, t in r.get("tantivy", {}).items():
            print(
                f"  tantivy {label:14s} build {t['build_s']} s, p50 {t['p50']} ms  p95 {t['p95']} ms, "
                f"recall@10 {t['recall']}"
            )
        slow = sorted(r["per_query_ours_p50"].items(), key=lambda kv: -kv[1])[:4]
        print(
            "  slowest queries (ours, p50 ms / matches): "
            + ", ".join(f"{q} {ms} / {r['totals'][q]}" for q, ms in slow)
        )
    if len(results) == 2:
        a, b = results["sqlite"]["rankings"], results["postgresql"]["rankings"]
        same = sum(1 for q in LATENCY_QUERIES if a[q] == b[q])
        print(
            f"\nidentical first-page rankings on SQLite and PostgreSQL: {same}/{len(LATENCY_QUERIES)} queries"
        )
        for q in LATENCY_QUERIES:
            if a[q] != b[q]:
                print(
                    f"  differs: {q} (matches {results['sqlite']['totals'][q]} / {results['postgresql']['totals'][q]})"
                )


if __name__ == "__main__":
    main()
