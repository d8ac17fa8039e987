"""Overlapping CJK character bigrams (the classic CJK analyzer), pure Python.

The same tokenizer runs over stored text and over queries, so any engine that matches space-separated
tokens as phrases (SQLite FTS5 unicode61, PostgreSQL 'simple' tsvector, tantivy) finds the same rows.

- A run of Han characters of length n >= 2 gives its n-1 overlapping bigrams; a lone Han character
  gives itself.
- A run of ASCII letters/digits (and full-width digits/letters, normalised) gives one lower-case token.
- Everything else (punctuation, spaces, brackets) separates runs.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_RUN_RE = re.compile(rf"([{_HAN}]+)|([0-9a-z]+)")

CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def normalise(text: str) -> str:
    """NFKC (full-width digits/letters to ASCII) and lower case."""
    return unicodedata.normalize("NFKC", text).lower()


def runs(text: str) -> list[tuple[str, bool]]:
    """Split text into (run, is_han) pieces, dropping separators."""
    out: list[tuple[str, bool]] = []
    for m in _RUN_RE.finditer(normalise(text)):
        if m.group(1):
            out.append((m.group(1), True))
        else:
            out.append((m.group(2), False))
    return out


def run_tokens(run: str, is_han: bool) -> list[str]:
    if not is_han or len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def tokenize(text: str) -> list[str]:
    """Tokens of a text in order (bigrams for Han runs, words for ASCII runs)."""
    out: list[str] = []
    for run, is_han in runs(text):
        out.extend(run_tokens(run, is_han))
    return out


def tokens_text(text: str) -> str:
    """Space-joined tokens, the form stored in the database."""
    return " ".join(tokenize(text))


@dataclass(frozen=True)
class Term:
    """One query term: a phrase of adjacent tokens; ``prefix`` when it ends in a lone Han character
    (which in the text may be the first half of a bigram)."""

    raw: str
    tokens: tuple[str, ...]
    prefix: bool

    @property
    def phrase(self) -> str:
        return " ".join(self.tokens)


MAX_TERMS = 8


def query_terms(query: str) -> list[Term]:
    """Split a user query on whitespace/punctuation-free chunks into phrase terms (duplicates dropped)."""
    terms: list[Term] = []
    seen: set[tuple[str, ...]] = set()
    for chunk in normalise(query).split():
        pieces = runs(chunk)
        if not pieces:
            continue
        tokens: list[str] = []
        for run, is_han in pieces:
            tokens.extend(run_tokens(run, is_han))
        last_run, last_han = pieces[-1]
        prefix = last_han and len(last_run) == 1
        key = tuple(tokens)
        if key in seen:
            continue
        seen.add(key)
        terms.append(Term(raw=chunk, tokens=key, prefix=prefix))
        if len(terms) >= MAX_TERMS:
            break
    return terms


def phrase_count(doc_tokens: str, term: Term) -> int:
    """Occurrences of a term's phrase in a space-joined token string."""
    if not doc_tokens:
        return 0
    padded = f" {doc_tokens} "
    if not term.prefix:
        return padded.count(f" {term.phrase} ")
    # Last token is a lone Han character: it may start a longer token.
    head = " ".join(term.tokens[:-1])
    needle = f" {head} {term.tokens[-1]}" if head else f" {term.tokens[-1]}"
    return padded.count(needle)


# ---- BM25 -----------------------------------------------------------------------------------------

K1 = 1.2
B = 0.75


def bm25_idf(n_docs: int, df: int) -> float:
    """Lucene-style non-negative idf."""
    return math.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))


def bm25_term(tf: int, doc_len: int, avg_len: float, idf: float) -> float:
    if tf <= 0:
        return 0.0
    norm = K1 * (1 - B + B * doc_len / max(avg_len, 1e-9))
    return idf * tf * (K1 + 1) / (tf + norm)


class BM25Index:
    """A small in-memory BM25 index over token lists (used for the FAQ, a few hundred documents)."""

    def __init__(self, docs: Sequence[Sequence[str]]) -> None:
        self.docs = [list(d) for d in docs]
        self.n = len(self.docs)
        self.lengths = [len(d) for d in self.docs]
        self.avg = (sum(self.lengths) / self.n) if self.n else 0.0
        self.tf: list[dict[str, int]] = []
        self.df: dict[str, int] = {}
        for d in self.docs:
            counts: dict[str, int] = {}
            for t in d:
                counts[t] = counts.get(t, 0) + 1
            self.tf.append(counts)
            for t in counts:
                self.df[t] = self.df.get(t, 0) + 1

    def idf(self, token: str) -> float:
        return bm25_idf(self.n, self.df.get(token, 0))

    def scores(self, query: Iterable[str], weights: dict[str, float] | None = None) -> list[float]:
        q = list(dict.fromkeys(query))
        out = []
        for i in range(self.n):
            s = 0.0
            for t in q:
                tf = self.tf[i].get(t, 0)
                if tf:
                    w = weights.get(t, 1.0) if weights else 1.0
                    s += w * bm25_term(tf, self.lengths[i], self.avg, self.idf(t))
            out.append(s)
        return out


# ---- Chinese numerals -------------------------------------------------------------------------------


def cn_to_int(text: str) -> int | None:
    """'二百六十四' -> 264, '十' -> 10, '一千零一' -> 1001, '264' -> 264; None if not a number."""
    text = normalise(text).strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    total = 0
    current = 0
    for ch in text:
        if ch in CN_DIGITS:
            current = CN_DIGITS[ch]
        elif ch in CN_UNITS:
            unit = CN_UNITS[ch]
            total += (current or 1) * unit
            current = 0
        else:
            return None
    return total + current


def int_to_cn(n: int) -> str:
    """264 -> '二百六十四', 10 -> '十', 1001 -> '一千零一' (the form used in article numbers)."""
    if n < 0:
        raise ValueError(n)
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    parts: list[str] = []
    units = [(1000, "千"), (100, "百"), (10, "十")]
    rest = n
    zero_pending = False
    started = False
    for value, name in units:
        d = rest // value
        rest %= value
        if d:
            if zero_pending:
                parts.append("零")
                zero_pending = False
            if not (value == 10 and d == 1 and not started):
                parts.append(digits[d])
            parts.append(name)
            started = True
        elif started:
            zero_pending = True
    if rest:
        if zero_pending:
            parts.append("零")
        parts.append(digits[rest])
    return "".join(parts)
