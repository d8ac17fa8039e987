from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from zhixing.lib.cjk import (
    BM25Index,
    cn_to_int,
    int_to_cn,
    phrase_count,
    query_terms,
    tokenize,
    tokens_text,
)


def test_bigrams_and_words() -> None:
    assert tokenize("被执行人") == ["被执", "执行", "行人"]
    assert tokenize("执行") == ["执行"]
    assert tokenize("债") == ["债"]
    assert tokenize("法释〔2014〕8号") == ["法释", "2014", "8", "号"]
    assert tokenize("ＡＢＣ　１２３，执行。") == ["abc", "123", "执行"]


def test_query_terms_phrases_and_prefix() -> None:
    terms = query_terms("迟延履行  利息 迟延履行 债")
    assert [t.phrase for t in terms] == ["迟延 延履 履行", "利息", "债"]
    assert terms[2].prefix and not terms[0].prefix


def test_phrase_count_needs_adjacency() -> None:
    doc = tokens_text("迟延履行期间的债务利息，履行迟延")
    assert phrase_count(doc, query_terms("迟延履行")[0]) == 1
    assert phrase_count(doc, query_terms("利息")[0]) == 1
    assert phrase_count(doc, query_terms("履行迟延")[0]) == 1
    assert phrase_count(doc, query_terms("迟延利息")[0]) == 0
    # a lone character matches the start of a bigram
    assert phrase_count(doc, query_terms("债")[0]) == 1


def test_chinese_numerals() -> None:
    assert cn_to_int("二百六十四") == 264
    assert cn_to_int("十") == 10
    assert cn_to_int("一千零一") == 1001
    assert cn_to_int("一千二百六十") == 1260
    assert cn_to_int("264") == 264
    assert cn_to_int("条") is None
    assert int_to_cn(264) == "二百六十四"
    assert int_to_cn(110) == "一百一十"
    assert int_to_cn(15) == "十五"
    assert int_to_cn(1001) == "一千零一"
    assert int_to_cn(205) == "二百零五"


@given(st.integers(min_value=0, max_value=9999))
def test_numeral_round_trip(n: int) -> None:
    assert cn_to_int(int_to_cn(n)) == n


def test_bm25_prefers_rarer_and_denser() -> None:
    idx = BM25Index([tokenize("执行 失信"), tokenize("执行"), tokenize("执行 执行 执行 执行")])
    s = idx.scores(tokenize("失信"))
    assert s[0] > 0 and s[1] == 0 and s[2] == 0
    s2 = idx.scores(["执行"])
    assert s2[2] > s2[0]
