"""Writes for 执行头条: editing, publishing and withdrawing articles, view counts and follows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from zhixing.audit.services import audit_record
from zhixing.courts.models import Court

from . import selectors
from .media import check_video, process_cover
from .models import Article, Channel, Follow
from .sanitize import plain_text, sanitise_html

VIEW_DEDUPE_SECONDS = 3600


def _role_label(user: Any, court: Court) -> str:
    from zhixing.courts.selectors import staff_roles

    roles = staff_roles(user=user, court=court) & set(selectors.EDITOR_ROLES)
    return ",".join(sorted(roles))


def _require_editor(actor: Any, court: Court) -> None:
    if not selectors.can_edit_at(user=actor, court=court):
        raise PermissionDenied("您不是该法院的宣传干事或系统管理员，不能编辑执行头条。")


def article_save(
    *,
    actor: Any,
    article: Article | None = None,
    channel: Channel,
    court: Court,
    title: str,
    summary: str = "",
    body: str = "",
    region_code: str = "",
    publish_at: datetime | None = None,
    cover: Any = None,
    video: Any = None,
    remove_video: bool = False,
) -> Article:
    """Create (``article`` None) or update an article.

    The body is sanitised before it is stored; a cover is decoded and re-encoded as JPEG; a video must be
    MP4 or WebM. The editor must be publicity staff or a sysadmin at both the old and the new court.
    A new article is a draft; editing a live article keeps it live. Writes an audit event.
    Raises ValidationError({field: [...]}) or PermissionDenied."""
    if article is not None:
        _require_editor(actor, article.court)
    _require_editor(actor, court)
    errors: dict[str, list[str]] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = ["请填写标题。"]
    elif len(title) > 80:
        errors["title"] = ["标题不能超过80个字。"]
    if not channel.holds_articles:
        errors["channel"] = [f"“{channel.name}”频道由系统按规则生成，不能直接发文，请选择专栏或视频频道。"]
    clean_body = sanitise_html(body)
    if not plain_text(clean_body) and not video and not (article and article.video and not remove_video):
        errors["body"] = ["请填写正文或上传视频。"]
    summary = (summary or "").strip() or plain_text(clean_body)[:80]
    if len(summary) > 200:
        errors["summary"] = ["摘要不能超过200个字。"]
    region_code = (region_code or "").strip() or court.region_code
    if not (len(region_code) == 6 and region_code.isdigit()):
        errors["region_code"] = ["地区代码应为6位数字。"]
    cover_file = video_file = None
    video_type = ""
    if cover:
        try:
            cover_file = process_cover(cover)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if video:
        try:
            video_file, video_type = check_video(video)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)

    creating = article is None
    with transaction.atomic():
        if article is None:
            article = Article(created_by=actor if getattr(actor, "is_authenticated", False) else None)
        article.channel = channel
        article.court = court
        article.title = title
        article.summary = summary
        article.body = clean_body
        article.region_code = region_code
        if publish_at is not None and article.status in (Article.Status.SCHEDULED, Article.Status.PUBLISHED):
            article.publish_at = publish_at
            article.status = (
                Article.Status.SCHEDULED if publish_at > timezone.now() else Article.Status.PUBLISHED
            )
        elif publish_at is not None:
            article.publish_at = publish_at  # the planned time, used when it is published
        if cover_file is not None:
            article.cover.save(cover_file.name or "cover.jpg", cover_file, save=False)
        if video_file is not None:
            article.video.save(video_file.name, video_file, save=False)
            article.video_type = video_type
        elif remove_video and article.video:
            article.video = ""
            article.video_type = ""
        article.save()
        audit_record(
            action="content.article_create" if creating else "content.article_update",
            actor=actor,
            role=_role_label(actor, court),
            obj=article,
            details={"title": title, "channel": channel.slug, "court": court.pk},
        )
    return article


def article_publish(*, actor: Any, article: Article, publish_at: datetime | None = None) -> Article:
    """Publish now, or schedule for ``publish_at`` (or the article's planned time) if it is in the future.

    Scheduled articles become visible by themselves when their time comes (selectors.articles_live)."""
    _require_editor(actor, article.court)
    now = timezone.now()
    when = publish_at or (article.publish_at if article.publish_at and article.publish_at > now else None)
    with transaction.atomic():
        if when is not None and when > now:
            article.status = Article.Status.SCHEDULED
            article.publish_at = when
        else:
            article.status = Article.Status.PUBLISHED
            article.publish_at = when or now
        article.save(update_fields=["status", "publish_at", "updated_at"])
        audit_record(
            action="content.article_publish",
            actor=actor,
            role=_role_label(actor, article.court),
            obj=article,
            details={"status": article.status, "publish_at": article.publish_at.isoformat()},
        )
    return article


def article_withdraw(*, actor: Any, article: Article, reason: str = "") -> Article:
    """Take an article off the portal (it stays in the workbench and can be published again)."""
    _require_editor(actor, article.court)
    if article.status == Article.Status.WITHDRAWN:
        raise ValidationError({"status": ["该文章已撤回。"]})
    with transaction.atomic():
        article.status = Article.Status.WITHDRAWN
        article.save(update_fields=["status", "updated_at"])
        audit_record(
            action="content.article_withdraw",
            actor=actor,
            role=_role_label(actor, article.court),
            obj=article,
            details={"reason": reason[:200]},
        )
    return article


def article_view_count(*, article: Article, viewer_key: str) -> bool:
    """Count one view unless the same viewer (session, user or visitor cookie) was counted within the hour.

    Uses an atomic ``UPDATE … SET views = views + 1``; returns whether the view was counted."""
    if not viewer_key:
        return False
    key = f"content:viewed:{article.pk}:{viewer_key}"
    if not cache.add(key, 1, timeout=VIEW_DEDUPE_SECONDS):
        return False
    Article.objects.filter(pk=article.pk).update(views=F("views") + 1)
    return True


def follow_toggle(*, user: Any, channel: Channel | None = None, court: Court | None = None) -> bool:
    """Follow or unfollow a channel or a court for a logged-in user; returns the new state."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied("请先登录。")
    if (channel is None) == (court is None):
        raise ValidationError({"target": ["请选择要关注的频道或法院。"]})
    if channel is not None and not channel.holds_articles:
        raise ValidationError({"target": ["该频道不能关注。"]})
    lookup = {"channel": channel} if channel is not None else {"court": court}
    existing = Follow.objects.filter(user=user, **lookup)
    if existing.exists():
        existing.delete()
        return False
    Follow.objects.get_or_create(user=user, **lookup)
    return True
