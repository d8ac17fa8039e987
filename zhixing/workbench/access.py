"""Access to the workbench: only active court staff with at least one membership."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse


def is_staff_user(user: Any) -> bool:
    if not (
        getattr(user, "is_authenticated", False) and user.is_active and getattr(user, "kind", "") == "staff"
    ):
        return False
    # The memberships are loaded once per request and reused by every permission check of the page.
    from zhixing.workflow.permissions import memberships_of

    return bool(memberships_of(user))


def staff_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Anonymous → login (HX-Redirect for HTMX requests); a logged-in non-staff user → 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            if getattr(request, "htmx", False):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = f"/workbench/login/?next={request.get_full_path()}"
                return response
            return redirect_to_login(request.get_full_path(), "/workbench/login/")
        if not is_staff_user(request.user):
            raise PermissionDenied("仅限法院工作人员使用。")
        return view(request, *args, **kwargs)

    return wrapper
