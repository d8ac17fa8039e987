"""The JSON API at /api/v1/. Each domain app contributes ``router`` from its own ``api.py``
(optionally ``API_PREFIX``); routers are discovered here so apps never edit this file."""

from __future__ import annotations

import importlib
import importlib.util

from django.apps import apps
from ninja import NinjaAPI

from . import errors

api = NinjaAPI(
    title="智慧执行 API",
    version="1",
    description="智慧执行（当事人·公众端与法官端）的 JSON 接口。金额以字符串表示（元，精确到分），日期为 ISO 格式。",
    urls_namespace="api",
    docs_url=None,
    openapi_url="/openapi.json",
)
errors.install(api)


def _discover() -> None:
    for config in apps.get_app_configs():
        if not config.name.startswith("zhixing.") or config.label == "api":
            continue
        module_name = f"{config.name}.api"
        if importlib.util.find_spec(module_name) is None:
            continue
        module = importlib.import_module(module_name)
        router = getattr(module, "router", None)
        if router is not None:
            api.add_router(getattr(module, "API_PREFIX", f"/{config.label}/"), router)


_discover()
