"""我要咨询 evaluation on the development set (zhixing/assist/data/devset.json).

    .venv/bin/python bench/assist_eval.py [--db sqlite:///var/bench-assist/assist.sqlite3]

Uses a scratch database (migrated, shipped laws imported, FAQ loaded). Reports top-1 / top-3 accuracy of:
- ours: BM25 over FAQ bigrams (question + keywords weighted above the answer) with colloquial synonym
  expansion and stop bigrams,
- ours without the synonym table,
- baseline: rank-bm25 (BM25Okapi from PyPI) over the same bigrams of question + keywords + answer, no expansion;
and how the "no good answer" threshold behaves: positives we would refuse, negatives we would answer.
Note: the development set was used to calibrate the threshold and weights; it is not a held-out test.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default=f"sqlite:///{ROOT / 'var' / 'bench-assist' / 'assist.sqlite3'}")
    args = ap.parse_args()
    if args.db.startswith("sqlite:///"):
        Path(args.db.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = args.db
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhixing.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from rank_bm25 import BM25Okapi

    from zhixing.assist import qa
    from zhixing.assist.loader import DATA_DIR, load_faq
    from zhixing.laws.importer import import_builtin
    from zhixing.lib.cjk import tokenize

    call_command("migrate", verbosity=0, skip_checks=True)
    import_builtin()
    load_faq()

    dev = json.loads((DATA_DIR / "devset.json").read_text(encoding="utf-8"))["items"]
    positives = [d for d in dev if d["expected"]]
    negatives = [d for d in dev if not d["expected"]]
    index = qa.faq_index()
    codes = [f.code for f in index.faqs]
    corpus = [tokenize(f.question + " " + " ".join(f.keywords) + " " + f.answer) for f in index.faqs]
    baseline = BM25Okapi(corpus)

    def accuracy(rank: object) -> tuple[float, float]:
        t1 = t3 = 0
        for d in positives:
            top = rank(d["q"])  # type: ignore[operator]
            t1 += top[:1] == [d["expected"]]
            t3 += d["expected"] in top[:3]
        return t1 / len(positives), t3 / len(positives)

    def ours(q: str) -> list[str]:
        return [f.code for f, _ in qa.rank_faqs(q)]

    def ours_plain(q: str) -> list[str]:
        return [f.code for f, _ in qa.rank_faqs(q, use_synonyms=False)]

    def bm25_baseline(q: str) -> list[str]:
        scores = baseline.get_scores(tokenize(q))
        order = sorted(range(len(codes)), key=lambda i: (-scores[i], i))
        return [codes[i] for i in order]

    rows = [
        ("ours (BM25 + synonym expansion)", accuracy(ours)),
        ("ours without synonym table", accuracy(ours_plain)),
        ("baseline rank-bm25 BM25Okapi", accuracy(bm25_baseline)),
    ]
    refused = [d["q"] for d in positives if not qa.rank_and_decide(d["q"])[1]]
    wrong_confident = sum(
        1 for d in positives if (r := qa.rank_and_decide(d["q"]))[1] and r[0][0][0].code != d["expected"]
    )
    answered_neg = [d["q"] for d in negatives if qa.rank_and_decide(d["q"])[1]]
    times = []
    for d in dev:
        t = time.perf_counter()
        qa.ask(d["q"])
        times.append((time.perf_counter() - t) * 1000)

    print(f"\n我要咨询 — development set: {len(positives)} paraphrased questions, {len(negatives)} off-topic")
    print(f"FAQ entries: {len(codes)}, synonym entries: {len(qa.synonym_table())}\n")
    print(f"{'method':36s} top-1   top-3")
    for name, (t1, t3) in rows:
        print(f"{name:36s} {t1:6.1%}  {t3:6.1%}")
    print(
        f"\nno-answer threshold: {len(refused)}/{len(positives)} on-topic questions refused, "
        f"{wrong_confident} answered confidently with a wrong top-1, "
        f"{len(answered_neg)}/{len(negatives)} off-topic questions answered"
    )
    if refused:
        print("  refused: " + "；".join(refused))
    if answered_neg:
        print("  answered off-topic: " + "；".join(answered_neg))
    print(
        f"ask() latency incl. related articles: p50 {statistics.median(times):.1f} ms, max {max(times):.1f} ms"
    )
    a = qa.ask("老赖能坐高铁吗")
    best = a.matches[0] if a.matches else None
    print(
        "\n老赖能坐高铁吗 → "
        + (
            f"{best.faq.question} | 依据: " + "；".join(c.label for c in best.citations)
            if best
            else "no answer"
        )
    )


if __name__ == "__main__":
    main()
