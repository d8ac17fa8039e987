"""The FAQ, synonym table and development set are data: check them against the law texts."""

from __future__ import annotations

import json
import re

import pytest

from zhixing.assist.loader import DATA_DIR, load_faq, read_faq_file
from zhixing.assist.models import Faq, FaqBasis
from zhixing.assist.qa import resolve_basis, synonym_table


def _squash(text: str) -> str:
    return re.sub(r"\s", "", text)


def test_faq_file_shape() -> None:
    data = read_faq_file()
    faqs = data["faqs"]
    assert len(faqs) >= 60
    ids = [f["id"] for f in faqs]
    assert len(set(ids)) == len(ids)
    cats = {c["slug"] for c in data["categories"]}
    assert {f["category"] for f in faqs} == cats
    for f in faqs:
        assert f["basis"], f["id"]
        assert len(f["answer"]) >= 30, f["id"]


def test_every_citation_resolves_to_the_in_force_article(knowledge: None) -> None:
    basis = list(FaqBasis.objects.select_related("faq"))
    assert len(basis) >= 100
    for b in basis:
        article = resolve_basis(b)
        assert article is not None, f"{b.faq.code}: {b} does not resolve"
        assert article.version.in_force, f"{b.faq.code}: {b} is not in force"
        assert _squash(b.quote) in _squash(article.text), f"{b.faq.code}: quote not in {article}"


def test_key_answers_cite_the_right_articles(knowledge: None) -> None:
    def cited(code: str) -> set[str]:
        return {str(resolve_basis(b)) for b in Faq.objects.get(code=code).basis.all()}

    limitation = Faq.objects.get(question__startswith="申请强制执行的期限")
    assert "中华人民共和国民事诉讼法 第二百五十条" in {str(resolve_basis(b)) for b in limitation.basis.all()}
    high = Faq.objects.get(question__contains="还能坐飞机、高铁")
    assert "最高人民法院关于限制被执行人高消费及有关消费的若干规定 第三条" in cited(high.code)
    crime = Faq.objects.get(question__contains="会坐牢")
    assert "中华人民共和国刑法 第三百一十三条" in cited(crime.code)


def test_loader_is_idempotent(knowledge: None) -> None:
    before = (Faq.objects.count(), FaqBasis.objects.count())
    result = load_faq()
    assert result.created == 0 and result.updated == 0
    assert (Faq.objects.count(), FaqBasis.objects.count()) == before


def test_synonyms_and_devset() -> None:
    assert len(synonym_table()) >= 50
    dev = json.loads((DATA_DIR / "devset.json").read_text(encoding="utf-8"))["items"]
    ids = {f["id"] for f in read_faq_file()["faqs"]}
    positives = [d for d in dev if d["expected"]]
    assert len(positives) >= 80
    assert all(d["expected"] in ids for d in positives)
    assert any(d["expected"] is None for d in dev)


@pytest.mark.parametrize("word", ["老赖", "高铁", "查封房子", "欠钱不还", "冻结工资"])
def test_required_colloquial_words(word: str) -> None:
    assert any(word in e.sources for e in synonym_table())
