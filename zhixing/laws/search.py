"""Article search: bigram phrase matching in the database, BM25 ranking in Python.

The database engine (SQLite FTS5 or a PostgreSQL GIN tsvector index) finds the articles that contain every
query term (each term = its bigrams as an adjacent phrase, in the text or in the law's title/aliases) and
returns its own top ``CANDIDATES`` by bm25()/ts_rank_cd. Those candidates are re-ranked here with one BM25
formula over the stored tokens, so both engines give the same order (whenever the matches fit into the
candidate pool, which holds for all but the most general one-word queries over the full corpus).
"""

from __future__ import annotations

import html
import re
import time
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Avg, Count, Max, Q
from django.utils.safestring import SafeString, mark_safe

from zhixing.lib.cjk import Term, bm25_idf, bm25_term, cn_to_int, normalise, phrase_count, query_terms, runs

from .models import Article, Law

MAX_QUERY_LEN = 60
CANDIDATES = 2000
TITLE_BOOST = 0.6  # share of a term's idf added when the term is in the law's title or aliases
PER_PAGE = 20
SNIPPET = 160

PRC = "中华人民共和国"
CN_NUM = "零〇一二三四五六七八九十百千两"
EXACT_RE = re.compile(rf"^(?P<law>.+?)第?(?P<num>[0-9]+|[{CN_NUM}]+)条(?:之(?P<sub>[{CN_NUM}]+))?$")


@dataclass
class Hit:
    article: Article
    score: float
    highlight: SafeString


@dataclass
class SearchResult:
    query: str
    terms: list[Term]
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 0
    exact: Article | None = None
    truncated: bool = False  # more matches than the candidate pool


def clean_query(q: str | None) -> str:
    q = (q or "").strip()
    if not q:
        raise ValidationError({"q": ["请输入要检索的内容，例如：失信、迟延履行 利息、民诉法264条。"]})
    if len(q) > MAX_QUERY_LEN:
        raise ValidationError({"q": [f"检索内容过长，请不超过{MAX_QUERY_LEN}个字。"]})
    return q


# ---- exact lookups: 民事诉讼法第二百六十四条 / 民诉法264条 -------------------------------------


def _law_key(name: str) -> str:
    return re.sub(r"[\s《》〈〉<>\"“”]", "", normalise(name))


_law_names_cache: dict[tuple[int, int], dict[str, int]] = {}


def law_names() -> dict[str, int]:
    """Normalised title/short title/alias -> law id (aliases win over partial forms)."""
    stats = Law.objects.aggregate(n=Count("id"), m=Max("id"))
    key = (stats["n"] or 0, stats["m"] or 0)
    cached = _law_names_cache.get(key)
    if cached is not None:
        return cached
    names: dict[str, int] = {}
    for law_id, title, aliases in Law.objects.values_list("id", "title", "aliases").order_by("id"):
        names.setdefault(_law_key(title), law_id)
        if title.startswith(PRC):
            names.setdefault(_law_key(title[len(PRC) :]), law_id)
        for alias in aliases or []:
            names[_law_key(alias)] = law_id
    _law_names_cache.clear()
    _law_names_cache[key] = names
    return names


def resolve_law(name: str) -> Law | None:
    law_id = law_names().get(_law_key(name))
    return Law.objects.filter(pk=law_id).first() if law_id else None


def current_article(law: Law, index: int, sub_index: int = 0) -> Article | None:
    """The article of the version in force (or the latest version when none is in force)."""
    version = law.versions.filter(in_force=True).first() or law.versions.order_by("-date").first()
    if version is None:
        return None
    return (
        Article.objects.select_related("law", "version")
        .filter(version=version, index=index, sub_index=sub_index)
        .first()
    )


def exact_lookup(q: str) -> Article | None:
    compact = re.sub(r"\s+", "", normalise(q))
    m = EXACT_RE.match(compact)
    if not m:
        return None
    index = cn_to_int(m.group("num"))
    sub = cn_to_int(m.group("sub")) if m.group("sub") else 0
    if index is None or sub is None:
        return None
    law = resolve_law(m.group("law"))
    if law is None:
        return None
    return current_article(law, index, sub)


# ---- full-text matching per vendor ------------------------------------------------------------


def _fts5_expr(terms: list[Term]) -> str:
    parts = []
    for t in terms:
        parts.append(f'"{t.phrase}"' + (" *" if t.prefix else ""))
    return " AND ".join(parts)


def _tsquery(terms: list[Term]) -> str:
    parts = []
    for t in terms:
        toks = list(t.tokens)
        if t.prefix:
            toks[-1] = toks[-1] + ":*"
        parts.append("(" + " <-> ".join(toks) + ")")
    return " & ".join(parts)


PG_VECTOR = "a.search_vector"  # stored generated tsvector (migration 0003)


def _filters_sql(category: str | None, in_force: bool | None) -> tuple[str, list[Any]]:
    sql = ""
    params: list[Any] = []
    if category:
        sql += " AND l.category = %s"
        params.append(category)
    if in_force:
        sql += " AND v.in_force = %s"
        params.append(True)
    return sql, params


def _match_ids(terms: list[Term], *, category: str | None, in_force: bool | None, limit: int) -> list[int]:
    fsql, fparams = _filters_sql(category, in_force)
    joins = "JOIN laws_lawversion v ON v.id = a.version_id JOIN laws_law l ON l.id = a.law_id"
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute(
                f"SELECT a.id FROM laws_article_fts f JOIN laws_article a ON a.id = f.rowid {joins} "  # noqa: S608
                f"WHERE laws_article_fts MATCH %s{fsql} ORDER BY bm25(laws_article_fts, 2.0, 1.0) LIMIT %s",
                [_fts5_expr(terms), *fparams, limit],
            )
        elif connection.vendor == "postgresql":
            cur.execute(
                f"SELECT a.id FROM laws_article a {joins} "  # noqa: S608
                f"WHERE {PG_VECTOR} @@ to_tsquery('simple'::regconfig, %s){fsql} "
                f"ORDER BY ts_rank_cd({PG_VECTOR}, to_tsquery('simple'::regconfig, %s)) DESC LIMIT %s",
                [_tsquery(terms), *fparams, _tsquery(terms), limit],
            )
        else:  # pragma: no cover - only SQLite and PostgreSQL are supported
            raise NotImplementedError(connection.vendor)
        return [row[0] for row in cur.fetchall()]


def _count(terms: list[Term]) -> int:
    with connection.cursor() as cur:
        if connection.vendor == "sqlite":
            cur.execute(
                "SELECT count(*) FROM laws_article_fts WHERE laws_article_fts MATCH %s", [_fts5_expr(terms)]
            )
        else:
            cur.execute(
                f"SELECT count(*) FROM laws_article a WHERE {PG_VECTOR} @@ to_tsquery('simple'::regconfig, %s)",  # noqa: S608
                [_tsquery(terms)],
            )
        return int(cur.fetchone()[0])


STATS_TTL = 300.0  # seconds; imports in this process invalidate at once (invalidate_stats)
_stats_cache: dict[str, tuple[float, tuple[str, int, int], int, float]] = {}
_df_cache: dict[tuple[str, int, int, tuple[str, ...], bool], int] = {}


def invalidate_stats() -> None:
    """Forget collection statistics and document frequencies (called after imports)."""
    _stats_cache.clear()
    _df_cache.clear()


def _collection_stats() -> tuple[tuple[str, int, int], int, float]:
    """(cache key, number of articles, average token count). Counting a large table is slow on
    PostgreSQL, so the figures are kept for STATS_TTL seconds (other processes pick up an import then)."""
    now = time.monotonic()
    cached = _stats_cache.get(connection.alias)
    if cached is not None and cached[0] > now:
        return cached[1], cached[2], cached[3]
    agg = Article.objects.aggregate(n=Count("id"), m=Max("id"), a=Avg("token_count"))
    key = (connection.alias, agg["n"] or 0, agg["m"] or 0)
    if cached is None or cached[1] != key:
        _df_cache.clear()
    _stats_cache[connection.alias] = (now + STATS_TTL, key, agg["n"] or 0, float(agg["a"] or 0.0))
    return key, agg["n"] or 0, float(agg["a"] or 0.0)


def _df(key: tuple[str, int, int], term: Term) -> int:
    k = (*key, term.tokens, term.prefix)
    if k not in _df_cache:
        if len(_df_cache) > 5000:
            _df_cache.clear()
        _df_cache[k] = _count([term])
    return _df_cache[k]


def score_article(
    tokens: str, title_tokens: str, length: int, terms: list[Term], idfs: list[float], avg: float
) -> float:
    score = 0.0
    for term, idf in zip(terms, idfs, strict=True):
        score += bm25_term(phrase_count(tokens, term), length, avg, idf)
        if phrase_count(title_tokens, term):
            score += TITLE_BOOST * idf
    return score


def search_articles(
    q: str | None,
    *,
    category: str | None = None,
    in_force: bool | None = None,
    page: int = 1,
    per_page: int = PER_PAGE,
    candidates: int = CANDIDATES,
) -> SearchResult:
    query = clean_query(q)
    terms = query_terms(query)
    result = SearchResult(query=query, terms=terms, page=max(page, 1))
    result.exact = exact_lookup(query)
    if not terms:
        return result
    ids = _match_ids(terms, category=category, in_force=in_force, limit=candidates)
    result.truncated = len(ids) >= candidates
    if not ids:
        return result
    key, n_docs, avg = _collection_stats()
    idfs = [bm25_idf(n_docs, _df(key, t)) for t in terms]
    rows = Article.objects.filter(pk__in=ids).values_list(
        "id",
        "tokens",
        "title_tokens",
        "token_count",
        "law__title",
        "version__in_force",
        "version__date",
        "position",
    )
    scored = []
    for art_id, tokens, title_tokens, length, law_title, v_in_force, v_date, position in rows:
        s = score_article(tokens, title_tokens, length, terms, idfs, avg)
        date_key = v_date.toordinal() if v_date else 0
        scored.append((-round(s, 9), not v_in_force, law_title, -date_key, position, art_id, s))
    scored.sort()
    result.total = len(scored)
    result.pages = (result.total + per_page - 1) // per_page
    start = (result.page - 1) * per_page
    window = scored[start : start + per_page]
    articles = Article.objects.select_related("law", "version").in_bulk([row[5] for row in window])
    for row in window:
        art = articles[row[5]]
        result.hits.append(Hit(article=art, score=row[6], highlight=highlight(art.text, terms)))
    return result


def ranked_ids(q: str, **kwargs: Any) -> list[tuple[int, float]]:
    """(article id, score) of every ranked hit — used by tests and the benchmark."""
    res = search_articles(q, per_page=10**6, **kwargs)
    return [(h.article.pk, round(h.score, 9)) for h in res.hits]


# ---- highlighting -----------------------------------------------------------------------------


def _needles(terms: list[Term]) -> list[str]:
    out: set[str] = set()
    for t in terms:
        for run, _is_han in runs(t.raw):
            out.add(run)
    return sorted(out, key=len, reverse=True)


def highlight(text: str, terms: list[Term], *, snippet: int | None = SNIPPET) -> SafeString:
    """HTML-escaped text with <mark> around the query terms; cut to a window around the first match."""
    needles = _needles(terms)
    if not needles:
        return mark_safe(html.escape(_cut(text, 0, snippet)))  # noqa: S308 - escaped above
    pattern = re.compile("|".join(re.escape(n) for n in needles), re.IGNORECASE)
    # Match against NFKC-normalised text when lengths agree (full-width digits), else the raw text.
    norm = normalise(text)
    haystack = norm if len(norm) == len(text) else text
    matches = list(pattern.finditer(haystack))
    first = matches[0].start() if matches else 0
    start, end = _window(len(text), first, snippet)
    out: list[str] = ["…" if start > 0 else ""]
    pos = start
    for m in matches:
        if m.end() <= start or m.start() >= end or m.start() < pos:
            continue
        out.append(html.escape(text[pos : m.start()]))
        out.append(f"<mark>{html.escape(text[m.start() : m.end()])}</mark>")
        pos = m.end()
    out.append(html.escape(text[pos:end]))
    if end < len(text):
        out.append("…")
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped


def _window(length: int, first: int, snippet: int | None) -> tuple[int, int]:
    if snippet is None or length <= snippet:
        return 0, length
    start = max(0, first - snippet // 4)
    end = min(length, start + snippet)
    start = max(0, end - snippet)
    return start, end


def _cut(text: str, first: int, snippet: int | None) -> str:
    start, end = _window(len(text), first, snippet)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def law_filter_q(category: str | None, in_force: bool | None) -> Q:
    q = Q()
    if category:
        q &= Q(law__category=category)
    if in_force:
        q &= Q(version__in_force=True)
    return q
