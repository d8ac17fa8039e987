"""Workbench pages where court publicity staff write, preview, schedule, publish and withdraw articles."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from zhixing.audit.models import AuditEvent
from zhixing.workbench.access import staff_required

from . import selectors, services
from .forms import ArticleForm
from .models import Article

ACTION_LABELS = {
    "content.article_create": "新建",
    "content.article_update": "修改",
    "content.article_publish": "发布",
    "content.article_withdraw": "撤回",
}


def editor_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Staff only (login otherwise), and only publicity staff or sysadmins of some court (403 otherwise)."""

    @staff_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not selectors.is_editor(request.user):
            raise PermissionDenied("仅限宣传干事和系统管理员使用。")
        return view(request, *args, **kwargs)

    return wrapper


def _article(request: HttpRequest, pk: int) -> Article:
    article = get_object_or_404(Article.objects.select_related("channel", "court"), pk=pk)
    if not selectors.can_edit_at(user=request.user, court=article.court):
        raise PermissionDenied("您不能编辑其他法院的文章。")
    return article


@require_http_methods(["GET"])
@editor_required
def article_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in Article.Status.values:
        status = ""
    q = request.GET.get("q", "").strip()[:40]
    qs = selectors.articles_for_editor(user=request.user, status=status, q=q)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "content/wb/list.html",
        {"page": page, "status": status, "q": q, "statuses": Article.Status.choices},
    )


def _save(request: HttpRequest, article: Article | None) -> HttpResponse:
    courts = selectors.editor_courts(user=request.user)
    if request.method == "POST":
        form = ArticleForm(request.POST, request.FILES, courts=courts)
        if form.is_valid():
            d = form.cleaned_data
            try:
                saved = services.article_save(
                    actor=request.user,
                    article=article,
                    channel=d["channel"],
                    court=d["court"],
                    title=d["title"],
                    summary=d["summary"],
                    body=d["body"],
                    region_code=d["region_code"],
                    publish_at=d["publish_at"],
                    cover=d["cover"],
                    video=d["video"],
                    remove_video=d["remove_video"],
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                messages.success(request, "已保存。")
                return redirect("content_wb:preview", pk=saved.pk)
        status = 422
    else:
        initial = ArticleForm.initial_for(article) if article else {}
        if article is None and courts.count() == 1:
            initial["court"] = courts.first()
        form = ArticleForm(initial=initial, courts=courts)
        status = 200
    return render(request, "content/wb/form.html", {"form": form, "article": article}, status=status)


@require_http_methods(["GET", "POST"])
@editor_required
def article_create(request: HttpRequest) -> HttpResponse:
    return _save(request, None)


@require_http_methods(["GET", "POST"])
@editor_required
def article_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _save(request, _article(request, pk))


@require_http_methods(["GET"])
@editor_required
def article_preview(request: HttpRequest, pk: int) -> HttpResponse:
    article = _article(request, pk)
    event_qs = AuditEvent.objects.filter(
        object_type=Article._meta.label_lower, object_id=str(article.pk)
    ).order_by("-id")[:20]
    events = list(event_qs)
    for event in events:
        event.action_label = ACTION_LABELS.get(event.action, event.action)  # type: ignore[attr-defined]
    future = bool(article.publish_at and article.publish_at > timezone.now())
    return render(
        request, "content/wb/preview.html", {"article": article, "events": events, "future": future}
    )


@require_POST
@editor_required
def article_publish(request: HttpRequest, pk: int) -> HttpResponse:
    article = _article(request, pk)
    services.article_publish(actor=request.user, article=article)
    if article.status == Article.Status.SCHEDULED:
        messages.success(request, "已定时发布，到时自动出现在执行头条。")
    else:
        messages.success(request, "已发布。")
    return redirect("content_wb:preview", pk=article.pk)


@require_POST
@editor_required
def article_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    article = _article(request, pk)
    try:
        services.article_withdraw(actor=request.user, article=article, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, "已撤回，公众端不再显示。")
    return redirect("content_wb:preview", pk=article.pk)
