"""Cross-cutting request handling: client IP, security headers, HTMX conventions."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)


def _trusted_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    nets = []
    for item in getattr(settings, "TRUSTED_PROXIES", []):
        try:
            nets.append(ipaddress.ip_network(str(item).strip(), strict=False))
        except ValueError:
            continue
    return nets


def _is_trusted(address: str, nets: list[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in nets)


def client_ip(request: HttpRequest) -> str:
    """The caller's address. X-Forwarded-For is honoured only when the direct peer is a trusted proxy.

    ``TRUSTED_PROXIES`` lists proxy addresses or networks (``127.0.0.1``, ``10.0.0.0/8``). The proxy must
    *replace* the header with the address it sees (nginx: ``proxy_set_header X-Forwarded-For $remote_addr``)
    or append to it; either way the right-most address not belonging to a trusted proxy is the client, so a
    value the client wrote itself is never believed.
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not forwarded:
        return remote
    nets = _trusted_networks()
    if not nets or not _is_trusted(remote, nets):
        return remote
    for hop in reversed([h.strip() for h in forwarded.split(",") if h.strip()]):
        try:
            ip = ipaddress.ip_address(hop)
        except ValueError:
            break
        if not any(ip in net for net in nets):
            return str(ip)
    return remote


class RequestContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        ip = client_ip(request)
        request.client_ip = ip  # type: ignore[attr-defined]
        token = current_ip.set(ip)
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = settings.CONTENT_SECURITY_POLICY
        response.setdefault("Permissions-Policy", "camera=(self), microphone=(self), geolocation=()")
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.session.get("unit_login"):
            # Pages carrying personal data must never be kept by shared or browser caches.
            response["Cache-Control"] = "no-store"
        elif "Cache-Control" not in response:
            # Anonymous answers can carry personal data too (shared drafts, verification, published records):
            # nothing is cached unless its view says it may be (public media, the service worker …).
            response["Cache-Control"] = "no-store"
        return response


class HtmxMiddleware:
    """Marks HTMX requests and makes caches key on them (the same URL returns a page or a fragment)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.htmx = request.headers.get("HX-Request") == "true"  # type: ignore[attr-defined]
        response = self.get_response(request)
        vary = response.get("Vary", "")
        if "HX-Request" not in vary:
            response["Vary"] = f"{vary}, HX-Request" if vary else "HX-Request"
        return response
