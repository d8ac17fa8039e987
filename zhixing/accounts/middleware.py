"""Session lifetime rules: idle timeout, absolute lifetime, password rotation, and no bypass of 2FA via
the admin's own login form.

Works with any session backend: the times live in the session itself, and "log out everywhere" is the
user's ``auth_epoch`` inside the session auth hash (see ``User._get_session_auth_hash``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from .permissions import UNIT_SESSION_KEY

AUTH_AT = "_auth_at"
LAST_SEEN = "_last_seen"
PASSWORD_EXPIRED = "_password_expired"  # noqa: S105 - a session key, not a secret
TOUCH_EVERY = 30  # seconds; avoids a session write on every request

WORKBENCH_LOGIN = "/workbench/login/"
PORTAL_LOGIN = "/account/login/"
PASSWORD_CHANGE = "/workbench/accounts/password/"  # noqa: S105 - a URL


def mark_session_start(session: object) -> None:
    now = int(time.time())
    session[AUTH_AT] = now  # type: ignore[index]
    session[LAST_SEEN] = now  # type: ignore[index]


def _is_staff(request: HttpRequest) -> bool:
    return getattr(request.user, "kind", "") == "staff"


class SessionSecurityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        if path.startswith("/admin/login/"):
            # The admin's form would skip the second factor: staff log in on the workbench.
            target = request.GET.get("next") or "/admin/"
            return HttpResponseRedirect(f"{WORKBENCH_LOGIN}?{urlencode({'next': target})}")
        session = request.session
        authenticated = request.user.is_authenticated
        if authenticated or session.get(UNIT_SESSION_KEY):
            expired = self._check_times(request, staff=authenticated and _is_staff(request))
            if expired is not None:
                return expired
            if authenticated and session.get(PASSWORD_EXPIRED) and path.startswith("/workbench/"):
                allowed = (PASSWORD_CHANGE, "/workbench/logout/", WORKBENCH_LOGIN)
                if not path.startswith(allowed):
                    return HttpResponseRedirect(PASSWORD_CHANGE)
        return self.get_response(request)

    def _check_times(self, request: HttpRequest, *, staff: bool) -> HttpResponse | None:
        session = request.session
        now = int(time.time())
        started = session.get(AUTH_AT)
        last = session.get(LAST_SEEN)
        if not isinstance(started, int) or not isinstance(last, int):
            mark_session_start(session)
            return None
        idle_limit = settings.SESSION_IDLE_SECONDS if staff else settings.PUBLIC_SESSION_IDLE_SECONDS
        if now - last > idle_limit or now - started > settings.SESSION_COOKIE_AGE:
            logout(request)  # flushes the session (and any unit login) server-side
            login_url = WORKBENCH_LOGIN if staff or request.path.startswith("/workbench/") else PORTAL_LOGIN
            messages.info(request, "登录已超时，请重新登录。")
            if request.headers.get("HX-Request") == "true":
                response = HttpResponse(status=204)
                response["HX-Redirect"] = f"{login_url}?{urlencode({'next': request.get_full_path()})}"
                return response
            if request.path.startswith("/api/"):
                return None  # the API answers 401 to the now anonymous request
            if request.method == "GET":
                return HttpResponseRedirect(f"{login_url}?{urlencode({'next': request.get_full_path()})}")
            return HttpResponseRedirect(login_url)
        if now - last >= TOUCH_EVERY:
            session[LAST_SEEN] = now
        return None
