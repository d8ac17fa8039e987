"""我要咨询: answer an everyday question with the best FAQ entries and the relevant law articles.

Retrieval is BM25 over character bigrams of the FAQ (question + keywords weighted above the answer), after
expanding colloquial words with the synonym table in data/synonyms.json (老赖 → 失信被执行人 …). When the best
score is under a threshold the result says plainly that there is no good answer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db.models import Count, Max

from zhixing.laws.models import Article
from zhixing.laws.search import current_article, resolve_law, search_articles
from zhixing.lib.cjk import BM25Index, normalise, tokenize

from .models import Faq, FaqBasis

DATA_DIR = Path(__file__).resolve().parent / "data"
MAX_QUESTION_LEN = 100
QUESTION_WEIGHT = 2.0
ANSWER_WEIGHT = 1.0
EXPANSION_WEIGHT = 0.35
# The best entry is a good answer when its score reaches MIN_SCORE, or a lower score with most of the question's
# words present (calibrated on data/devset.json, see bench/assist_eval.py); otherwise we say so plainly.
MIN_SCORE = 13.5
LOW_SCORE = 9.0
MIN_COVERAGE = 0.5
SUGGEST_SCORE = 6.0
# Bigrams of question words that carry no topic ("怎么办", "能不能" …).
STOP_TOKENS = frozenset(
    [
        "怎么",
        "么办",
        "什么",
        "么样",
        "可以",
        "能不",
        "不能",
        "会不",
        "不会",
        "是不",
        "不是",
        "有没",
        "没有",
        "要不",
        "不要",
        "如何",
        "请问",
        "一下",
        "还能",
        "能否",
        "为什",
        "为什么",
        "么时",
        "时候",
        "多少",
        "多久",
        "多长",
        "我的",
        "他的",
        "她的",
        "我们",
        "他们",
        "这个",
        "那个",
        "一个",
        "应该",
        "需要",
        "是否",
        "吗",
        "呢",
        "的",
        "了",
        "我",
        "他",
        "她",
        "吧",
        "啊",
        "呀",
        "么",
    ]
)


@dataclass(frozen=True)
class SynonymEntry:
    sources: tuple[str, ...]
    targets: tuple[str, ...]


@lru_cache(maxsize=1)
def synonym_table() -> tuple[SynonymEntry, ...]:
    data = json.loads((DATA_DIR / "synonyms.json").read_text(encoding="utf-8"))
    return tuple(
        SynonymEntry(tuple(normalise(s) for s in e["from"]), tuple(e["to"])) for e in data["entries"]
    )


def expand(query: str) -> list[tuple[str, tuple[str, ...]]]:
    """(colloquial word found, normalised terms) for every synonym entry that occurs in the query."""
    text = normalise(query)
    found: list[tuple[str, tuple[str, ...]]] = []
    for entry in synonym_table():
        hit = next((s for s in sorted(entry.sources, key=len, reverse=True) if s in text), None)
        if hit:
            found.append((hit, entry.targets))
    return found


def query_weights(query: str, *, use_synonyms: bool = True) -> dict[str, float]:
    weights: dict[str, float] = {}
    for tok in tokenize(query):
        if tok not in STOP_TOKENS:
            weights[tok] = 1.0
    if use_synonyms:
        for _word, targets in expand(query):
            for target in targets:
                for tok in tokenize(target):
                    if tok not in STOP_TOKENS:
                        weights[tok] = max(weights.get(tok, 0.0), EXPANSION_WEIGHT)
    return weights


@dataclass
class FaqIndex:
    faqs: list[Faq]
    questions: BM25Index
    answers: BM25Index

    def coverage(self, faq_pos: int, weights: dict[str, float]) -> float:
        """Share of the query's weight whose tokens occur in the FAQ entry at all."""
        total = sum(weights.values())
        if not total:
            return 0.0
        present = self.questions.tf[faq_pos].keys() | self.answers.tf[faq_pos].keys()
        return sum(w for t, w in weights.items() if t in present) / total

    def rank(self, weights: dict[str, float]) -> list[tuple[Faq, float]]:
        if not weights or not self.faqs:
            return []
        q = self.questions.scores(weights.keys(), weights)
        a = self.answers.scores(weights.keys(), weights)
        scored = [
            (faq, QUESTION_WEIGHT * sq + ANSWER_WEIGHT * sa)
            for faq, sq, sa in zip(self.faqs, q, a, strict=True)
        ]
        scored.sort(key=lambda x: (-x[1], x[0].order, x[0].pk))
        return scored


def faq_doc_tokens(faq: Faq) -> tuple[list[str], list[str]]:
    head = faq.question + " " + " ".join(faq.keywords or [])
    return tokenize(head), tokenize(faq.answer)


_index_cache: dict[tuple[int, object], FaqIndex] = {}


def faq_index() -> FaqIndex:
    qs = Faq.objects.filter(is_published=True)
    sig = qs.aggregate(n=Count("id"), m=Max("updated_at"))
    key = (sig["n"] or 0, sig["m"])
    cached = _index_cache.get(key)
    if cached is not None:
        return cached
    faqs = list(qs.select_related("category").order_by("order", "id"))
    docs = [faq_doc_tokens(f) for f in faqs]
    index = FaqIndex(faqs, BM25Index([d[0] for d in docs]), BM25Index([d[1] for d in docs]))
    _index_cache.clear()
    _index_cache[key] = index
    return index


@dataclass
class Citation:
    basis: FaqBasis
    article: Article | None

    @property
    def label(self) -> str:
        if self.article is not None:
            return f"《{self.article.law.title}》{self.article.number}"
        return f"{self.basis.law_ref}第{self.basis.article_index}条"


def resolve_basis(basis: FaqBasis) -> Article | None:
    law = resolve_law(basis.law_ref)
    if law is None:
        return None
    return current_article(law, basis.article_index, basis.sub_index)


def citations(faq: Faq) -> list[Citation]:
    return [Citation(b, resolve_basis(b)) for b in faq.basis.all()]


@dataclass
class Match:
    faq: Faq
    score: float
    citations: list[Citation] = field(default_factory=list)


@dataclass
class Answer:
    question: str
    expansions: list[tuple[str, tuple[str, ...]]]
    matches: list[Match]
    confident: bool
    articles: list[Article]
    suggestions: list[Faq] = field(default_factory=list)


def clean_question(q: str | None) -> str:
    q = (q or "").strip()
    if not q:
        raise ValidationError({"q": ["请输入您想咨询的问题，例如：老赖能坐高铁吗？"]})
    if len(q) > MAX_QUESTION_LEN:
        raise ValidationError({"q": [f"问题过长，请简要描述（不超过{MAX_QUESTION_LEN}个字）。"]})
    return q


def rank_faqs(question: str, *, use_synonyms: bool = True) -> list[tuple[Faq, float]]:
    return faq_index().rank(query_weights(question, use_synonyms=use_synonyms))


def rank_and_decide(question: str, *, use_synonyms: bool = True) -> tuple[list[tuple[Faq, float]], bool]:
    """Ranked FAQ entries and whether the best one is a good answer."""
    index = faq_index()
    weights = query_weights(question, use_synonyms=use_synonyms)
    ranked = index.rank(weights)
    if not ranked:
        return ranked, False
    best_faq, best = ranked[0]
    coverage = index.coverage(index.faqs.index(best_faq), weights)
    return ranked, best >= MIN_SCORE or (best >= LOW_SCORE and coverage >= MIN_COVERAGE)


def ask(q: str | None, *, limit: int = 3) -> Answer:
    question = clean_question(q)
    expansions = expand(question)
    ranked, confident = rank_and_decide(question)
    matches: list[Match] = []
    suggestions: list[Faq] = []
    if confident:
        best = ranked[0][1]
        for faq, score in ranked[:limit]:
            # Keep runners-up only when they are reasonably close to the best answer.
            if score >= 0.5 * best:
                matches.append(Match(faq, score, citations(faq)))
    else:
        suggestions = [faq for faq, score in ranked[:2] if score >= SUGGEST_SCORE]
    articles: list[Article] = []
    seen: set[int] = set()
    for m in matches:
        for c in m.citations:
            if c.article is not None and c.article.pk not in seen:
                seen.add(c.article.pk)
                articles.append(c.article)
    articles.extend(_related_articles(question, expansions, seen))
    return Answer(question, expansions, matches, confident, articles[:8], suggestions)


def _related_articles(
    question: str, expansions: list[tuple[str, tuple[str, ...]]], seen: set[int]
) -> list[Article]:
    """A few more in-force articles found by searching the normalised terms of the question."""
    out: list[Article] = []
    for _word, targets in expansions[:2]:
        try:
            res = search_articles(targets[0], in_force=True, per_page=3)
        except ValidationError:
            continue
        for hit in res.hits:
            if hit.article.pk not in seen:
                seen.add(hit.article.pk)
                out.append(hit.article)
    return out[:3]
