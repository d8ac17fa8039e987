"""执行头条 and 客服 for the native apps: channels, feeds, articles and hotline numbers (no login needed)."""

from __future__ import annotations

from datetime import datetime

from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from zhixing.courts.models import Court

from . import selectors, services, visitor
from .models import Article, Channel
from .sanitize import sanitise_html

API_PREFIX = "/content/"
router = Router(tags=["执行头条与客服"])


class ChannelOut(Schema):
    slug: str
    name: str
    kind: str = Field(description="following 关注 / recommended 推荐 / local 本地 / video 视频 / topic 专栏")
    order: int


class ArticleSummaryOut(Schema):
    id: int
    title: str
    summary: str
    channel: str
    channel_name: str
    court: str
    court_id: int
    region_code: str
    publish_at: datetime | None = Field(
        description="发布时间；未发布的草稿（仅本院宣传干事和管理员可见）为空"
    )
    views: int
    has_video: bool
    cover_url: str | None
    url: str


class ArticleOut(ArticleSummaryOut):
    body_html: str = Field(description="正文 HTML，已按白名单净化")
    video_url: str | None
    video_type: str | None


class FeedOut(Schema):
    channel: str
    page: int
    has_next: bool
    region: str | None = Field(description="本地频道使用的地区代码（选择的或实名认证身份证号的前6位）")
    items: list[ArticleSummaryOut]


class HotlineOut(Schema):
    kind: str = Field(description="service 服务热线 / all_day 24小时无休服务热线")
    kind_label: str
    number: str
    tel_url: str
    hours: str
    note: str
    court_id: int | None


class FeedQuery(Schema):
    channel: str = ""
    page: int = Field(1, ge=1, le=1000)


def _summary(a: Article, request: HttpRequest) -> dict[str, object]:
    return {
        "id": a.pk,
        "title": a.title,
        "summary": a.summary,
        "channel": a.channel.slug,
        "channel_name": a.channel.name,
        "court": a.court.name,
        "court_id": a.court_id,
        "region_code": a.region_code,
        "publish_at": a.publish_at,
        "views": a.views,
        "has_video": bool(a.video),
        "cover_url": request.build_absolute_uri(reverse("content:cover", args=[a.pk])) if a.cover else None,
        "url": request.build_absolute_uri(reverse("content:article", args=[a.pk])),
    }


@router.get("/channels", response=list[ChannelOut], summary="头条频道")
def channels(request: HttpRequest) -> list[Channel]:
    return list(selectors.channels_active())


@router.get("/articles", response=FeedOut, summary="频道文章（分页，每页10篇）")
def articles(request: HttpRequest, filters: Query[FeedQuery]) -> dict[str, object]:
    qs = selectors.channels_active()
    channel = qs.filter(slug=filters.channel).first() if filters.channel else selectors.channel_default()
    if channel is None:
        raise Http404("频道不存在。")
    interests = visitor.interests(request)
    page = selectors.feed(channel=channel, interests=interests, page=filters.page)
    return {
        "channel": channel.slug,
        "page": page.page,
        "has_next": page.has_next,
        "region": interests.region,
        "items": [_summary(a, request) for a in page.articles],
    }


@router.get("/articles/{article_id}", response=ArticleOut, summary="文章详情（计入阅读量）")
def article(request: HttpRequest, article_id: int) -> dict[str, object]:
    a = selectors.article_visible(pk=article_id, user=request.user)
    if a is None:
        raise Http404("文章不存在或尚未发布。")
    if a.is_live:
        key, _ = visitor.viewer_key(request)  # apps without cookies are keyed by address and agent
        if services.article_view_count(article=a, viewer_key=key):
            a.views += 1
    return {
        **_summary(a, request),
        "body_html": sanitise_html(a.body),
        "video_url": request.build_absolute_uri(reverse("content:video", args=[a.pk])) if a.video else None,
        "video_type": a.video_type or None,
    }


@router.get("/hotlines", response=list[HotlineOut], summary="客服热线（可按法院）")
def hotlines(request: HttpRequest, court: int | None = None) -> list[dict[str, object]]:
    court_obj = None
    if court is not None:
        court_obj = Court.objects.filter(pk=court, is_active=True).first()
        if court_obj is None:
            raise Http404("法院不存在。")
    return [
        {
            "kind": h.kind,
            "kind_label": h.get_kind_display(),
            "number": h.number,
            "tel_url": f"tel:{h.tel}",
            "hours": h.hours,
            "note": h.note,
            "court_id": h.court_id,
        }
        for h in selectors.hotlines(court=court_obj)
    ]
