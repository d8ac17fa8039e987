"""The portal shell: tabs, install page, PWA files and the health check.

Tab pages show only what works; each domain app registers its entries (see zhixing.lib.nav)."""

from __future__ import annotations

import json
from typing import Any

import segno
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from zhixing.lib.nav import portal_items


def _page(request: HttpRequest, template: str, tab: str, **context: Any) -> HttpResponse:
    return render(request, template, {"tab": tab, **context})


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """执行头条: the channel tabs and feed (zhixing.content)."""
    from zhixing.content.views import home as content_home

    return content_home(request)


@require_GET
def guide(request: HttpRequest) -> HttpResponse:
    """执行指南 (manual §3.3): 执行权利义务告知, 查询服务 and 智能辅助.

    Other apps register their entries in the "guide" section; entries whose label names a query
    (查询) form the 查询服务 module, the rest (咨询, 法律法规, 文书样式, 计算工具, 问答 …) 智能辅助."""
    entries = portal_items("guide", request.user)
    query = [i for i in entries if "查询" in i.label]
    assist = [i for i in entries if "查询" not in i.label]
    return _page(request, "portal/guide.html", "guide", query_entries=query, assist_entries=assist)


@require_GET
def service(request: HttpRequest) -> HttpResponse:
    """服务台 (manual §3.2): the chosen case and the four modules (zhixing.interaction), plus tiles that
    other apps register in the "service" section (我的文书 …)."""
    from zhixing.interaction.views import service_tab

    return service_tab(request)


@require_GET
def me(request: HttpRequest) -> HttpResponse:
    return _page(request, "portal/me.html", "me", entries=portal_items("me", request.user))


@require_GET
def install(request: HttpRequest) -> HttpResponse:
    portal_url = request.build_absolute_uri("/")
    qr_svg = segno.make(portal_url, error="m").svg_inline(scale=5, dark="#1f2328", light="#ffffff")
    return _page(request, "portal/install.html", "me", portal_url=portal_url, qr_svg=qr_svg)


@require_GET
def about(request: HttpRequest) -> HttpResponse:
    return _page(request, "portal/about.html", "me")


@require_GET
def offline(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/offline.html", {"tab": ""})


@require_GET
@cache_control(max_age=3600)
def manifest(request: HttpRequest) -> HttpResponse:
    data = {
        "name": f"{settings.SITE_NAME}（当事人·公众端）",
        "short_name": settings.SITE_NAME,
        "lang": "zh-CN",
        "start_url": "/?source=pwa",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f5f6f8",
        "theme_color": "#b71c1c",
        "description": "执行案件查询、执行互动、失信被执行人查询、法律法规与执行计算工具",
        "icons": [
            {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {
                "src": static("icons/icon-maskable-512.png"),
                "sizes": "512x512",
                "type": "image/png",
                "purpose": "maskable",
            },
        ],
    }
    return HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/manifest+json")


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    shell = [
        "/offline/",
        static("portal/portal.css"),
        static("portal/portal.js"),
        static("vendor/htmx-2.0.11.min.js"),
        static("icons/icon-192.png"),
    ]
    body = render(
        request, "portal/sw.js", {"shell_json": json.dumps(shell), "version": _shell_version(shell)}
    )
    response = HttpResponse(body.content, content_type="application/javascript")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/"
    return response


def _shell_version(shell: list[str]) -> str:
    import hashlib

    return hashlib.sha256("|".join(shell).encode()).hexdigest()[:12]


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except Exception:  # any driver error means unreachable; report it rather than raise
        database = "unreachable"
    status = 200 if database == "ok" else 503
    return JsonResponse(
        {"status": "ok" if status == 200 else "degraded", "database": database, "vendor": connection.vendor},
        status=status,
    )
