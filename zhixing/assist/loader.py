"""Load the FAQ data file (data/faq.json) into the database (idempotent upsert by code)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from .models import Faq, FaqBasis, FaqCategory

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass
class LoadResult:
    categories: int = 0
    created: int = 0
    updated: int = 0


def read_faq_file(path: Path | None = None) -> dict[str, Any]:
    return dict(json.loads((path or DATA_DIR / "faq.json").read_text(encoding="utf-8")))


@transaction.atomic
def load_faq(path: Path | None = None) -> LoadResult:
    data = read_faq_file(path)
    result = LoadResult()
    cats: dict[str, FaqCategory] = {}
    for c in data["categories"]:
        cat, _ = FaqCategory.objects.update_or_create(
            slug=c["slug"], defaults={"name": c["name"], "order": c["order"]}
        )
        cats[c["slug"]] = cat
        result.categories += 1
    for order, item in enumerate(data["faqs"], start=1):
        fields = {
            "category": cats[item["category"]],
            "question": item["question"],
            "answer": item["answer"],
            "keywords": item.get("keywords", []),
            "order": order,
        }
        faq = Faq.objects.filter(code=item["id"]).first()
        if faq is None:
            faq = Faq.objects.create(code=item["id"], **fields)
            result.created += 1
        else:
            changed = any(getattr(faq, k) != v for k, v in fields.items())
            if changed:
                for k, v in fields.items():
                    setattr(faq, k, v)
                faq.save()
                result.updated += 1
        wanted = [
            (b["law"], int(b["article"]), int(b.get("sub", 0)), b.get("quote", ""))
            for b in item.get("basis", [])
        ]
        have = [(x.law_ref, x.article_index, x.sub_index, x.quote) for x in faq.basis.all()]
        if wanted != have:
            faq.basis.all().delete()
            FaqBasis.objects.bulk_create(
                [
                    FaqBasis(faq=faq, law_ref=law, article_index=art, sub_index=sub, quote=quote, order=i)
                    for i, (law, art, sub, quote) in enumerate(wanted)
                ]
            )
    return result
