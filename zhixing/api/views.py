from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .main import api


@require_GET
def openapi_json(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        api.get_openapi_schema(path_prefix="/api/v1"), json_dumps_params={"ensure_ascii": False}
    )


@require_GET
def docs(request: HttpRequest) -> HttpResponse:
    swagger_settings = {"url": "/api/openapi.json", "layout": "BaseLayout", "deepLinking": True}
    return render(
        request,
        "ninja/swagger.html",
        {"api": api, "swagger_settings": json.dumps(swagger_settings), "add_csrf": True},
    )
