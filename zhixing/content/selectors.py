"""Reads for 执行头条, the guide and 客服. Visibility rules live here, not in views."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from zhixing.courts.models import Court, Role

from . import regions
from .models import Article, Channel, Follow, GuideItem, Hotline
from .ranking import recommend_score

PAGE_SIZE = 10
# 推荐 ranks the most recent articles in Python (the score needs age arithmetic that differs between
# databases); older ones can still be found in their own channel.
RECOMMEND_WINDOW = 500
EDITOR_ROLES = (Role.PUBLICITY, Role.SYSADMIN)


@dataclass(frozen=True)
class Interests:
    """What a visitor follows (关注) and where they are (本地)."""

    channel_slugs: frozenset[str] = field(default_factory=frozenset)
    court_ids: frozenset[int] = field(default_factory=frozenset)
    region: str | None = None
    region_source: str = ""  # "chosen" | "id" | ""


@dataclass
class FeedPage:
    articles: list[Article]
    page: int
    has_next: bool


def channels_active() -> QuerySet[Channel]:
    return Channel.objects.filter(is_active=True).order_by("order", "id")


def channel_default() -> Channel | None:
    """The channel the home page opens on: 推荐 if present, else the first one."""
    qs = channels_active()
    return qs.filter(kind=Channel.Kind.RECOMMENDED).first() or qs.first()


def articles_live(*, now: Any = None) -> QuerySet[Article]:
    """Published articles, and scheduled ones whose time has come; never drafts or withdrawn ones."""
    now = now or timezone.now()
    return (
        Article.objects.filter(is_public=True, publish_at__lte=now, channel__is_active=True)
        .select_related("channel", "court")
        .order_by("-publish_at", "-id")
    )


def follows_of_user(*, user: Any) -> tuple[frozenset[str], frozenset[int]]:
    if not getattr(user, "is_authenticated", False):
        return frozenset(), frozenset()
    rows = Follow.objects.filter(user=user).values_list("channel__slug", "court_id")
    channels = frozenset(slug for slug, _ in rows if slug)
    courts = frozenset(court for _, court in rows if court)
    return channels, courts


def region_of_user(*, user: Any) -> str | None:
    """The verified identity's region: the first six digits of the resident ID number."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_verified", False):
        return None
    number = getattr(user, "id_number", "") or ""
    return regions.normalise(number[:6])


def _paginate(items: list[Article] | QuerySet[Article], page: int) -> FeedPage:
    page = max(page, 1)
    start = (page - 1) * PAGE_SIZE
    chunk = list(items[start : start + PAGE_SIZE + 1])
    return FeedPage(articles=chunk[:PAGE_SIZE], page=page, has_next=len(chunk) > PAGE_SIZE)


def recommended_ids(*, now: Any = None) -> list[int]:
    """Ids of the newest RECOMMEND_WINDOW live articles, best score first (only three columns are read)."""
    now = now or timezone.now()
    rows = list(articles_live(now=now).values_list("pk", "views", "publish_at")[:RECOMMEND_WINDOW])
    # publish_at is never null for live articles (articles_live filters on it).
    scored = [(recommend_score(views=v, published=p or now, now=now), pk) for pk, v, p in rows]
    scored.sort(reverse=True)
    return [pk for _, pk in scored]


def articles_recommended(*, now: Any = None) -> list[Article]:
    ids = recommended_ids(now=now)
    by_id = articles_live(now=now).in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def feed(*, channel: Channel, interests: Interests, page: int = 1, now: Any = None) -> FeedPage:
    """One page of a channel's articles, newest first (推荐: by score)."""
    live = articles_live(now=now)
    kind = channel.kind
    if kind == Channel.Kind.RECOMMENDED:
        ids = recommended_ids(now=now)
        page = max(page, 1)
        chunk = ids[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        by_id = live.in_bulk(chunk)
        return FeedPage(
            articles=[by_id[i] for i in chunk if i in by_id], page=page, has_next=len(ids) > page * PAGE_SIZE
        )
    if kind == Channel.Kind.FOLLOWING:
        if not interests.channel_slugs and not interests.court_ids:
            return FeedPage(articles=[], page=1, has_next=False)
        return _paginate(
            live.filter(Q(channel__slug__in=interests.channel_slugs) | Q(court_id__in=interests.court_ids)),
            page,
        )
    if kind == Channel.Kind.LOCAL:
        if not interests.region:
            return FeedPage(articles=[], page=1, has_next=False)
        return _paginate(live.filter(region_code__startswith=regions.match_prefix(interests.region)), page)
    if kind == Channel.Kind.VIDEO:
        return _paginate(live.filter(Q(channel=channel) | ~Q(video="")), page)
    return _paginate(live.filter(channel=channel), page)


def followable_courts(*, interests: Interests, recent: int = 200) -> QuerySet[Court]:
    """Courts offered on the 关注 panel: those already followed, those of the visitor's region, and those
    that wrote one of the ``recent`` newest articles (bounded, whatever the number of courts)."""
    recent_ids = set(articles_live().values_list("court_id", flat=True)[:recent])
    q = Q(pk__in=recent_ids | set(interests.court_ids))
    if interests.region:
        q |= Q(region_code__startswith=regions.match_prefix(interests.region))
    return Court.objects.filter(q, is_active=True).order_by("region_code", "name")


def article_visible(*, pk: int, user: Any) -> Article | None:
    """The article if the public may read it, or if ``user`` may edit it (preview)."""
    article = Article.objects.select_related("channel", "court").filter(pk=pk).first()
    if article is None:
        return None
    if article.is_live and article.channel.is_active:
        return article
    if can_edit_at(user=user, court=article.court):
        return article
    return None


def related_articles(*, article: Article, limit: int = 4) -> list[Article]:
    return list(articles_live().filter(channel=article.channel).exclude(pk=article.pk)[:limit])


# --- editors ------------------------------------------------------------------------------------------------


def editor_courts(*, user: Any) -> QuerySet[Court]:
    """Courts where ``user`` may write 执行头条: an active publicity or sysadmin membership."""
    if not getattr(user, "is_authenticated", False) or getattr(user, "kind", "") != "staff":
        return Court.objects.none()
    return Court.objects.filter(
        memberships__user=user, memberships__is_active=True, memberships__role__in=EDITOR_ROLES
    ).distinct()


def is_editor(user: Any) -> bool:
    return editor_courts(user=user).exists()


def can_edit_at(*, user: Any, court: Court) -> bool:
    return editor_courts(user=user).filter(pk=court.pk).exists()


def articles_for_editor(*, user: Any, status: str = "", q: str = "") -> QuerySet[Article]:
    qs = Article.objects.filter(court__in=editor_courts(user=user)).select_related("channel", "court")
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(title__icontains=q)
    return qs.order_by("-updated_at", "-id")


# --- guide and hotlines -------------------------------------------------------------------------------------


def guide_items(*, audience: str | None = None) -> QuerySet[GuideItem]:
    qs = GuideItem.objects.filter(is_published=True)
    if audience:
        qs = qs.filter(audience__in=[audience, GuideItem.Audience.BOTH])
    return qs.order_by("order", "id")


def hotlines(*, court: Court | None = None) -> list[Hotline]:
    """A court's own numbers; kinds it has not configured fall back to the site-wide default."""
    defaults = list(Hotline.objects.filter(court__isnull=True, is_active=True))
    if court is None:
        return defaults
    own = list(Hotline.objects.filter(court=court, is_active=True))
    own_kinds = {h.kind for h in own}
    return sorted(own + [h for h in defaults if h.kind not in own_kinds], key=lambda h: (h.order, h.pk))


def courts_with_hotlines() -> QuerySet[Court]:
    return Court.objects.filter(hotlines__is_active=True, is_active=True).distinct()
