from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from zhixing.laws.models import Article
from zhixing.laws.search import (
    TITLE_BOOST,
    exact_lookup,
    highlight,
    search_articles,
)
from zhixing.lib.cjk import bm25_idf, bm25_term, phrase_count, query_terms, tokens_text

INTEREST = "最高人民法院关于执行程序中计算迟延履行期间的债务利息适用法律若干问题的解释"
RESTRICT = "最高人民法院关于限制被执行人高消费及有关消费的若干规定"


@pytest.mark.parametrize("q", ["执行", "失信", "拍卖", "查封", "债"])
def test_short_queries_find_articles(laws: None, q: str) -> None:
    res = search_articles(q, in_force=True)
    assert res.total > 0
    assert q in res.hits[0].article.text or q in res.hits[0].article.law.title


def test_late_interest_query_finds_fashi_2014_8(laws: None) -> None:
    res = search_articles("迟延履行 利息", in_force=True)
    assert res.hits[0].article.law.title == INTEREST
    assert "<mark>迟延履行</mark>" in res.hits[0].highlight


def test_fashi_number_alias(laws: None) -> None:
    res = search_articles("法释〔2014〕8号")
    assert {h.article.law.title for h in res.hits} == {INTEREST}


@pytest.mark.parametrize(
    "q", ["民事诉讼法第二百六十四条", "民诉法264条", "民诉法第264条", "中华人民共和国民事诉讼法 第 264 条"]
)
def test_exact_lookup_goes_to_in_force_article(laws: None, q: str) -> None:
    art = exact_lookup(q)
    assert art is not None
    assert art.law.title == "中华人民共和国民事诉讼法" and art.version.in_force
    assert art.number == "第二百六十四条" and "迟延履行期间的债务利息" in art.text
    assert art.get_absolute_url().endswith("#art-264")


def test_exact_lookup_other_forms(laws: None) -> None:
    art = exact_lookup("限高规定第3条")
    assert art is not None and art.law.title == RESTRICT and "动车组" in art.text
    assert exact_lookup("刑法第三百一十三条").text.startswith("第三百一十三条")  # type: ignore[union-attr]
    assert exact_lookup("不存在的法第1条") is None
    assert exact_lookup("民诉法9999条") is None
    assert exact_lookup("失信") is None


def test_filters(laws: None) -> None:
    all_versions = search_articles("申请执行的期间")
    current = search_articles("申请执行的期间", in_force=True)
    assert all_versions.total > current.total > 0
    assert all(h.article.version.in_force for h in current.hits)
    only = search_articles("执行", category="刑法")
    assert only.total > 0 and all(h.article.law.category == "刑法" for h in only.hits)


def test_query_validation() -> None:
    with pytest.raises(ValidationError):
        search_articles("   ")
    with pytest.raises(ValidationError):
        search_articles("执" * 61)


def test_highlight_escapes_everything_else() -> None:
    terms = query_terms("执行")
    out = highlight("<b>执行</b> & 执行", terms, snippet=None)
    assert out == "&lt;b&gt;<mark>执行</mark>&lt;/b&gt; &amp; <mark>执行</mark>"


def _reference_ranking(q: str, in_force: bool | None) -> list[tuple[int, float]]:
    """Brute force over every article in Python: the result any engine must reproduce."""
    terms = query_terms(q)
    arts = list(Article.objects.select_related("law", "version").all())
    n = len(arts)
    avg = sum(a.token_count for a in arts) / n
    dfs = [
        sum(1 for a in arts if phrase_count(a.tokens, t) or phrase_count(a.title_tokens, t)) for t in terms
    ]
    idfs = [bm25_idf(n, df) for df in dfs]
    rows = []
    for a in arts:
        if in_force and not a.version.in_force:
            continue
        if not all(phrase_count(a.tokens, t) or phrase_count(a.title_tokens, t) for t in terms):
            continue
        s = 0.0
        for t, idf in zip(terms, idfs, strict=True):
            s += bm25_term(phrase_count(a.tokens, t), a.token_count, avg, idf)
            if phrase_count(a.title_tokens, t):
                s += TITLE_BOOST * idf
        date_key = a.version.date.toordinal() if a.version.date else 0
        rows.append((-round(s, 9), not a.version.in_force, a.law.title, -date_key, a.position, a.pk, s))
    rows.sort()
    return [(r[5], round(r[6], 6)) for r in rows]


@pytest.mark.parametrize(
    ("q", "in_force"),
    [
        ("迟延履行 利息", None),
        ("失信", True),
        ("查封 房屋", None),
        ("民诉法 执行异议", True),
        ("动车组", None),
    ],
)
def test_engine_ranking_equals_python_reference(laws: None, q: str, in_force: bool | None) -> None:
    """The database engine only selects candidates; the order is the shared Python BM25. Run on SQLite
    and on PostgreSQL, this proves both engines return the same ranked list."""
    res = search_articles(q, in_force=in_force, per_page=10**6)
    got = [(h.article.pk, round(h.score, 6)) for h in res.hits]
    assert got == _reference_ranking(q, in_force)
    assert res.total == len(got) > 0


def test_title_tokens_include_aliases(laws: None) -> None:
    art = Article.objects.filter(law__title="中华人民共和国民事诉讼法").first()
    assert art is not None and tokens_text("民诉法") in art.title_tokens
