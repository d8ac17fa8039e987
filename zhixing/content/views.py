"""Portal pages of 执行头条, 执行权利义务告知 and 客服 (all open without login)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from zhixing.courts.models import Court
from zhixing.lib.nav import portal_items

from . import regions, selectors, services, visitor
from .media import ranged_file_response
from .models import Article, Channel, GuideItem


def _page_number(request: HttpRequest) -> int:
    try:
        return max(int(request.GET.get("page", "1")), 1)
    except ValueError:
        return 1


def _channel(request: HttpRequest) -> Channel:
    slug = request.GET.get("channel", "")
    channel = selectors.channels_active().filter(slug=slug).first() if slug else None
    channel = channel or selectors.channel_default()
    if channel is None:
        raise Http404("尚未配置头条频道。")
    return channel


def _feed_context(request: HttpRequest, channel: Channel) -> dict[str, Any]:
    interests = visitor.interests(request)
    page = selectors.feed(channel=channel, interests=interests, page=_page_number(request))
    return {"channel": channel, "feed": page, "interests": interests}


@require_GET
@vary_on_headers("HX-Request")
def home(request: HttpRequest) -> HttpResponse:
    """执行头条: channel tabs along the top and the chosen channel's feed (the portal's home page)."""
    if not selectors.channels_active().exists():
        # Channels are data (migration 0002 / admin); with none configured the page still works.
        return render(
            request,
            "portal/home.html",
            {"tab": "home", "channels": [], "channel": None, "entries": portal_items("home", request.user)},
        )
    channel = _channel(request)
    context = _feed_context(request, channel)
    interests: selectors.Interests = context["interests"]
    if channel.kind == Channel.Kind.FOLLOWING:
        context["follow_channels"] = [
            (c, c.slug in interests.channel_slugs) for c in selectors.channels_active() if c.holds_articles
        ]
        courts = selectors.followable_courts(interests=interests)
        context["follow_courts"] = [(c, c.pk in interests.court_ids) for c in courts]
    if channel.kind == Channel.Kind.LOCAL:
        context["region_choices"] = regions.choices()
        context["region_label"] = regions.label(interests.region)
    return render(
        request,
        "portal/home.html",
        {
            "tab": "home",
            "channels": selectors.channels_active(),
            "entries": portal_items("home", request.user),
            **context,
        },
    )


@require_GET
@vary_on_headers("HX-Request")
def feed_fragment(request: HttpRequest) -> HttpResponse:
    """The next page of a feed, for endless scrolling (hx-trigger="revealed")."""
    channel = _channel(request)
    if not getattr(request, "htmx", False):
        # Without JavaScript the 加载更多 link goes to the full page instead.
        return HttpResponseRedirect(
            f"{reverse('portal:home')}?channel={channel.slug}&page={_page_number(request)}"
        )
    return render(request, "content/_feed_items.html", _feed_context(request, channel))


@require_GET
def article_detail(request: HttpRequest, pk: int) -> HttpResponse:
    article = selectors.article_visible(pk=pk, user=request.user)
    if article is None:
        raise Http404("文章不存在或尚未发布。")
    token = None
    if article.is_live:
        key, token = visitor.viewer_key(request)
        if services.article_view_count(article=article, viewer_key=key):
            article.views += 1
    interests = visitor.interests(request)
    response = render(
        request,
        "content/article.html",
        {
            "tab": "home",
            "article": article,
            "preview": not article.is_live,
            "related": selectors.related_articles(article=article),
            "follows_channel": article.channel.slug in interests.channel_slugs,
            "follows_court": article.court_id in interests.court_ids,
        },
    )
    visitor.remember_visitor(response, token)
    return response


def _back(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@require_POST
def follow(request: HttpRequest) -> HttpResponse:
    """Follow or unfollow a channel (``channel`` = slug) or a court (``court`` = id)."""
    channel = court = None
    if request.POST.get("channel"):
        channel = get_object_or_404(selectors.channels_active(), slug=request.POST["channel"])
        if not channel.holds_articles:
            return HttpResponse("该频道不能关注。", status=422)
    elif request.POST.get("court", "").isdigit():
        court = get_object_or_404(Court, pk=int(request.POST["court"]), is_active=True)
    else:
        return HttpResponse("请选择要关注的频道或法院。", status=422)
    if request.user.is_authenticated:
        on = services.follow_toggle(user=request.user, channel=channel, court=court)
        channels: set[str] = set()
        courts: set[int] = set()
    else:
        channels, courts = visitor.cookie_follows(request)
        if channel is not None:
            channels ^= {channel.slug}
        if court is not None:
            courts ^= {court.pk}
        on = (channel.slug in channels) if channel is not None else (court is not None and court.pk in courts)
    if getattr(request, "htmx", False):
        # HTMX swaps just this button; ``next`` keeps the no-JS redirect target.
        response: HttpResponse = render(
            request,
            "content/_follow_button.html",
            {
                "kind": "channel" if channel is not None else "court",
                "value": channel.slug if channel is not None else court.pk,  # type: ignore[union-attr]
                "label": channel.name if channel is not None else court.name,  # type: ignore[union-attr]
                "on": on,
                "next": _back(request, ""),
            },
        )
    else:
        response = HttpResponseRedirect(_back(request, f"{reverse('portal:home')}?channel=following"))
    if not request.user.is_authenticated:
        visitor.write_cookie_follows(response, channels, courts)
    return response


@require_POST
def region(request: HttpRequest) -> HttpResponse:
    """Choose the region of the 本地 channel (kept in a signed cookie); an empty choice clears it."""
    code = request.POST.get("region", "")
    normalised = regions.normalise(code)
    if code and normalised is None:
        return HttpResponse("地区代码不正确。", status=422)
    local = selectors.channels_active().filter(kind=Channel.Kind.LOCAL).first()
    target = reverse("portal:home") + (f"?channel={local.slug}" if local else "")
    response = HttpResponseRedirect(target)
    visitor.write_region(response, normalised)
    return response


def _media_article(request: HttpRequest, pk: int) -> Article:
    article = selectors.article_visible(pk=pk, user=request.user)
    if article is None:
        raise Http404
    return article


@require_GET
def cover(request: HttpRequest, pk: int) -> HttpResponseBase:
    article = _media_article(request, pk)
    if not article.cover:
        raise Http404
    return ranged_file_response(
        request,
        storage=article.cover.storage,
        name=str(article.cover.name),
        content_type="image/jpeg",
        etag=f"c{article.pk}-{article.cover.name}",
        last_modified=article.updated_at.timestamp(),
        cache_control="public, max-age=86400" if article.is_live else "private, no-store",
    )


@require_GET
def video(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The article's video with Range support, so a <video> can seek and read its metadata."""
    article = _media_article(request, pk)
    if not article.video:
        raise Http404
    return ranged_file_response(
        request,
        storage=article.video.storage,
        name=str(article.video.name),
        content_type=article.video_type or "video/mp4",
        etag=f"v{article.pk}-{article.video.name}",
        last_modified=article.updated_at.timestamp(),
        cache_control="public, max-age=86400" if article.is_live else "private, no-store",
    )


@require_GET
def rights(request: HttpRequest) -> HttpResponse:
    """执行权利义务告知: rights, obligations and risks, for applicants or for debtors."""
    audience = request.GET.get("audience", GuideItem.Audience.APPLICANT)
    if audience not in (GuideItem.Audience.APPLICANT, GuideItem.Audience.RESPONDENT):
        audience = GuideItem.Audience.APPLICANT
    items = list(selectors.guide_items(audience=audience))
    return render(
        request,
        "content/rights.html",
        {
            "tab": "guide",
            "audience": audience,
            "audiences": [GuideItem.Audience.APPLICANT, GuideItem.Audience.RESPONDENT],
            "notices": [i for i in items if i.kind == GuideItem.Kind.ARTICLE],
            "questions": [i for i in items if i.kind == GuideItem.Kind.QA],
        },
    )


@require_GET
def hotline(request: HttpRequest) -> HttpResponse:
    """客服: 服务热线 and 24小时无休服务热线 as tap-to-call links, per court or the site-wide default."""
    court = None
    if request.GET.get("court", "").isdigit():
        court = Court.objects.filter(pk=int(request.GET["court"]), is_active=True).first()
    return render(
        request,
        "content/hotline.html",
        {
            "tab": "me",
            "court": court,
            "hotlines": selectors.hotlines(court=court),
            "courts": selectors.courts_with_hotlines(),
        },
    )
