"""法律法规 search and reading for the native apps (no login needed)."""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from . import selectors
from .models import Article
from .search import PER_PAGE, search_articles

API_PREFIX = "/laws/"
router = Router(tags=["法律法规"])


class SearchParams(Schema):
    q: str = Field("", description="检索词；支持“民诉法264条”“民事诉讼法第二百六十四条”等精确定位")
    category: str | None = Field(None, description="类别（文件夹名），如 司法解释、诉讼与非诉讼程序法")
    in_force: bool | None = Field(None, description="true 时仅检索现行有效版本")
    page: int = Field(1, ge=1, le=500)


class ArticleHitOut(Schema):
    id: int
    law_id: int
    law_title: str
    category: str
    version_id: int
    version_label: str
    in_force: bool
    article_number: str = Field(description="如 第二百六十四条")
    article_index: int = Field(description="条序号，如 264")
    path: str = Field(description="所在编/章/节")
    text: str
    highlight: str = Field(description="HTML 片段：检索词以 <mark> 标出，其余已转义")
    url: str = Field(description="阅读页中该条的链接（含 #art-N 锚点）")
    score: float


class SearchOut(Schema):
    query: str
    total: int
    page: int
    pages: int
    per_page: int
    exact: ArticleHitOut | None = Field(None, description="精确定位到的条文（如“民诉法264条”）")
    items: list[ArticleHitOut]


class VersionOut(Schema):
    id: int
    date: date | None
    event: str
    label: str
    in_force: bool
    article_count: int
    url: str


class LawOut(Schema):
    id: int
    title: str
    category: str
    aliases: list[str]
    repealed: bool
    versions: list[VersionOut]


def _hit(article: Article, highlight: str = "", score: float = 0.0) -> ArticleHitOut:
    return ArticleHitOut(
        id=article.pk,
        law_id=article.law_id,
        law_title=article.law.title,
        category=article.law.category,
        version_id=article.version_id,
        version_label=article.version.label,
        in_force=article.version.in_force,
        article_number=article.number,
        article_index=article.index,
        path=article.path,
        text=article.text,
        highlight=highlight or article.text,
        url=article.get_absolute_url(),
        score=round(score, 6),
    )


@router.get("/search", response=SearchOut, summary="检索条文")
def search(request: HttpRequest, params: Query[SearchParams]) -> SearchOut:
    res = search_articles(params.q, category=params.category, in_force=params.in_force, page=params.page)
    return SearchOut(
        query=res.query,
        total=res.total,
        page=res.page,
        pages=res.pages,
        per_page=PER_PAGE,
        exact=_hit(res.exact) if res.exact else None,
        items=[_hit(h.article, str(h.highlight), h.score) for h in res.hits],
    )


@router.get("/laws/{law_id}", response=LawOut, summary="法规及其版本")
def law_detail(request: HttpRequest, law_id: int) -> LawOut:
    law = selectors.law_get(law_id)
    if law is None:
        raise Http404("法规不存在")
    return LawOut(
        id=law.pk,
        title=law.title,
        category=law.category,
        aliases=law.aliases,
        repealed=law.repealed,
        versions=[
            VersionOut(
                id=v.pk,
                date=v.date,
                event=v.event,
                label=v.label,
                in_force=v.in_force,
                article_count=v.article_count,
                url=v.get_absolute_url(),
            )
            for v in law.versions.all()
        ],
    )


__all__ = ["router"]
