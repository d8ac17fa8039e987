from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from zhixing.cases.selectors import case_search, cases_visible_to_staff
from zhixing.courts.selectors import staff_courts, staff_memberships

from .access import staff_required
from .forms import CaseSearchForm


class LoginView(auth_views.LoginView):
    template_name = "workbench/login.html"
    redirect_authenticated_user = True


@require_GET
@staff_required
def home(request: HttpRequest) -> HttpResponse:
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
    form = CaseSearchForm(request.GET or None, courts=staff_courts(user=request.user))
    status = 200
    qs = case_search(user=request.user)
    if form.is_bound:
        if form.is_valid():
            d = form.cleaned_data
            qs = case_search(
                user=request.user,
                number=d["number"],
                party=d["party"],
                status=d["status"],
                filed_from=d["filed_from"],
                filed_to=d["filed_to"],
                court_id=d["court"].pk if d["court"] else None,
            )
        else:
            status = 422
            qs = qs.none()
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    template = "workbench/_case_table.html" if getattr(request, "htmx", False) else "workbench/cases.html"
    return render(request, template, {"form": form, "page": page}, status=status)


@require_GET
@staff_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(
        cases_visible_to_staff(user=request.user)
        .select_related("court", "judge")
        .prefetch_related("parties", "progress_nodes"),
        pk=pk,
    )
    return render(request, "workbench/case_detail.html", {"case": case})
