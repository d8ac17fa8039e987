"""Public 法律法规 pages: search with highlights and filters, and a reading page per law version."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhixing.lib.errors import error_dict

from . import selectors
from .search import MAX_QUERY_LEN, search_articles

EXAMPLES = ["失信", "迟延履行 利息", "民诉法264条", "拍卖", "限制消费 动车组", "执行异议"]


def _flag(value: str | None, default: bool) -> bool:
    if value is None:
        return default
    return value in {"1", "true", "on", "yes"}


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q")
    category = request.GET.get("category") or None
    # The form sends in_force=1 when ticked; a submitted form without it means "all versions".
    in_force = _flag(request.GET.get("in_force"), default=q is None)
    try:
        page = max(1, min(int(request.GET.get("page", "1")), 500))
    except ValueError:
        page = 1
    ctx: dict[str, object] = {
        "tab": "guide",
        "q": q or "",
        "category": category or "",
        "in_force": in_force,
        "categories": selectors.categories(),
        "examples": EXAMPLES,
        "max_len": MAX_QUERY_LEN,
    }
    if q is None:
        ctx["laws"] = selectors.laws_in_force(category)[:200]
        return render(request, "laws/search.html", ctx)
    try:
        result = search_articles(q, category=category, in_force=in_force, page=page)
    except ValidationError as exc:
        ctx["errors"] = error_dict(exc).get("q", [])
        return render(request, "laws/search.html", ctx, status=422)
    if result.exact is not None and not request.GET.get("list"):
        return HttpResponseRedirect(result.exact.get_absolute_url())
    ctx["result"] = result
    return render(request, "laws/search.html", ctx)


@require_GET
def law(request: HttpRequest, law_id: int) -> HttpResponse:
    obj = selectors.law_get(law_id)
    if obj is None:
        raise Http404("法规不存在")
    version = obj.versions.filter(in_force=True).first() or obj.versions.order_by("-date").first()
    if version is None:
        raise Http404("法规没有文本")
    return HttpResponseRedirect(version.get_absolute_url())


@require_GET
def version(request: HttpRequest, version_id: int) -> HttpResponse:
    ver = selectors.version_get(version_id)
    if ver is None:
        raise Http404("法规版本不存在")
    current = ver.law.versions.filter(in_force=True).first()
    return render(
        request,
        "laws/version.html",
        {
            "tab": "guide",
            "version": ver,
            "law": ver.law,
            "current": current,
            "versions": list(ver.law.versions.all()),
            "toc": selectors.version_toc(ver),
            "blocks": selectors.version_blocks(ver),
        },
    )
