"""Public pages: 常见问题解答 (by category, with legal basis) and 我要咨询 (smart Q&A)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from zhixing.lib.errors import error_dict

from . import qa, selectors

EXAMPLES = ["老赖能坐高铁吗", "判决生效多久内要申请执行", "法院会把工资全扣光吗", "终本后还能再执行吗"]


def _help_context() -> dict[str, object]:
    return {"hotline_url": selectors.hotline_url()}


@require_GET
def faq_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "assist/faq_list.html", {"tab": "guide", "categories": selectors.categories_with_faqs()}
    )


@require_GET
def faq_detail(request: HttpRequest, code: str) -> HttpResponse:
    faq = selectors.faq_get(code)
    if faq is None:
        raise Http404("问题不存在")
    return render(
        request,
        "assist/faq_detail.html",
        {"tab": "guide", "faq": faq, "citations": qa.citations(faq), **_help_context()},
    )


@require_GET
def ask(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q")
    ctx: dict[str, object] = {
        "tab": "guide",
        "q": q or "",
        "examples": EXAMPLES,
        "max_len": qa.MAX_QUESTION_LEN,
        **_help_context(),
    }
    if q is None:
        return render(request, "assist/ask.html", ctx)
    try:
        ctx["answer"] = qa.ask(q)
    except ValidationError as exc:
        ctx["errors"] = error_dict(exc).get("q", [])
        return render(request, "assist/ask.html", ctx, status=422)
    return render(request, "assist/ask.html", ctx)
