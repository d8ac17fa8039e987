from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from zhixing.cases.selectors import cases_visible_to_staff
from zhixing.courts.selectors import staff_memberships

from .access import staff_required


class LoginView(auth_views.LoginView):
    template_name = "workbench/login.html"
    redirect_authenticated_user = True


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The workbench entry: the login form for visitors (so the address itself answers 200), else 工作台."""
    if not request.user.is_authenticated and not getattr(request, "htmx", False):
        from zhixing.accounts.staff_views import staff_login

        return staff_login(request)
    return _home(request)


@staff_required
def _home(request: HttpRequest) -> HttpResponse:
    memberships = staff_memberships(user=request.user)
    visible = cases_visible_to_staff(user=request.user)
    stats = {
        "total": visible.count(),
        "mine": visible.filter(judge_id=request.user.pk).count(),
    }
    return render(request, "workbench/home.html", {"memberships": memberships, "stats": stats})


@require_GET
@staff_required
def cases(request: HttpRequest) -> HttpResponse:
    """全院案件: every case of the user's courts, with 当前阶段 and 阶段期限 (filters as 案件查询)."""
    from django.urls import reverse

    from zhixing.workflow.views import search_context

    ctx, status = search_context(request, require_criteria=False)
    ctx.update(title="全院案件", action=reverse("workbench:cases"))
    template = "workflow/_search_table.html" if getattr(request, "htmx", False) else "workflow/search.html"
    return render(request, template, ctx, status=status)


@require_GET
@staff_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(
        cases_visible_to_staff(user=request.user)
        .select_related("court", "judge", "flow", "flow__stage", "flow__team", "flow__assignee")
        .prefetch_related("parties", "progress_nodes"),
        pk=pk,
    )
    return render(request, "workbench/case_detail.html", {"case": case})
