"""我要咨询 and 常见问题解答 for the native apps (no login needed)."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from . import qa, selectors
from .models import Faq

API_PREFIX = "/assist/"
router = Router(tags=["我要咨询与常见问题"])


class CitationOut(Schema):
    label: str = Field(description="如 《中华人民共和国民事诉讼法》第二百五十条")
    law_title: str | None
    article_number: str | None
    text: str | None
    url: str | None = Field(description="条文在阅读页中的链接")
    quote: str


class FaqOut(Schema):
    code: str
    category: str
    question: str
    answer: str
    url: str
    basis: list[CitationOut]


class MatchOut(FaqOut):
    score: float


class LawArticleOut(Schema):
    law_title: str
    article_number: str
    text: str
    url: str


class AskParams(Schema):
    q: str = Field("", description="用日常语言描述的问题，如“老赖能坐高铁吗”")


class AskOut(Schema):
    question: str
    confident: bool = Field(description="false 表示没有足够匹配的解答，请联系客服或给法官留言")
    understood_as: list[str] = Field(description="识别出的口语词及其规范说法，如 老赖→失信被执行人")
    answers: list[MatchOut]
    articles: list[LawArticleOut]
    suggestions: list[str] = Field(description="没有把握时的相近问题（仅供参考）")
    help: str = Field(description="没有满意答案时的求助方式")
    hotline_url: str | None


def _citations(faq: Faq) -> list[CitationOut]:
    out = []
    for c in qa.citations(faq):
        a = c.article
        out.append(
            CitationOut(
                label=c.label,
                law_title=a.law.title if a else None,
                article_number=a.number if a else None,
                text=a.text if a else None,
                url=a.get_absolute_url() if a else None,
                quote=c.basis.quote,
            )
        )
    return out


def _faq(faq: Faq) -> FaqOut:
    return FaqOut(
        code=faq.code,
        category=faq.category.name,
        question=faq.question,
        answer=faq.answer,
        url=faq.get_absolute_url(),
        basis=_citations(faq),
    )


HELP = "没有找到满意的答案时，可以联系法院客服热线，或登录后在【服务台】给承办法官留言。"


@router.get("/ask", response=AskOut, summary="我要咨询")
def ask(request: HttpRequest, params: Query[AskParams]) -> AskOut:
    res = qa.ask(params.q)
    return AskOut(
        question=res.question,
        confident=res.confident,
        understood_as=[f"{w}→{'、'.join(t)}" for w, t in res.expansions],
        answers=[MatchOut(**_faq(m.faq).dict(), score=round(m.score, 3)) for m in res.matches],
        articles=[
            LawArticleOut(
                law_title=a.law.title, article_number=a.number, text=a.text, url=a.get_absolute_url()
            )
            for a in res.articles
        ],
        suggestions=[f.question for f in res.suggestions],
        help=HELP,
        hotline_url=selectors.hotline_url(),
    )


@router.get("/faq", response=list[FaqOut], summary="常见问题解答")
def faq_list(request: HttpRequest) -> list[FaqOut]:
    return [_faq(f) for cat in selectors.categories_with_faqs() for f in cat.faqs.all()]


@router.get("/faq/{code}", response=FaqOut, summary="单个问题")
def faq_detail(request: HttpRequest, code: str) -> FaqOut:
    faq = selectors.faq_get(code)
    if faq is None:
        raise Http404("问题不存在")
    return _faq(faq)
