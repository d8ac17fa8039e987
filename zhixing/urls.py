"""URL map: the three faces and the system pages. Domain apps add their own pages through
``portal_urls.py`` (mounted at /) and ``workbench_urls.py`` (mounted at /workbench/)."""

from __future__ import annotations

import importlib
import importlib.util

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from zhixing.api import views as api_views
from zhixing.api.main import api
from zhixing.portal import views as portal_views

admin.site.site_header = "智慧执行 · 系统管理"
admin.site.site_title = "智慧执行"
handler500 = "zhixing.lib.resilience.server_error"  # a backing service down → 503 page


def _app_urls(module_suffix: str) -> list[URLPattern | URLResolver]:
    found: list[URLPattern | URLResolver] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("zhixing."):
            continue
        name = f"{config.name}.{module_suffix}"
        if importlib.util.find_spec(name) is not None:
            found.append(path("", include(name)))
    return found


urlpatterns: list[URLPattern | URLResolver] = [
    path("healthz", portal_views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("api/openapi.json", api_views.openapi_json, name="openapi-json"),
    path("api/docs", api_views.docs, name="api-docs"),
    path("admin/", admin.site.urls),
    path("workbench/", include(_app_urls("workbench_urls"))),
    *_app_urls("portal_urls"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
