"""Helpers for the authorisation matrix: walk every URL pattern, fill its path parameters from the
security world, classify responses as allowed or denied, and read whole bodies (streams included)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

# Pattern names whose path parameters come from the security world (court A, world.party's case).
# ``param name → attribute path on Sec`` per URL name; parameters not listed here use the defaults below.


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name" (admin patterns without a name get "admin:?<route>")
    route: str  # the pattern as written, e.g. "workbench/flow/cases/<int:case_id>/matters/"
    params: tuple[str, ...]
    module: str


_PARAM = re.compile(r"<(?:(?P<conv>[^>:]+):)?(?P<name>[^>]+)>")


def walk_routes() -> list[Route]:
    """Every URL pattern of the site except the API (checked operation by operation from its schema)."""

    def walk(resolver: URLResolver, prefix: str, ns: str | None) -> Iterator[Route]:
        for p in resolver.url_patterns:
            if isinstance(p, URLResolver):
                sub = ns
                if p.namespace:
                    sub = f"{ns}:{p.namespace}" if ns else p.namespace
                yield from walk(p, prefix + str(p.pattern), sub)
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                name = p.name or f"?{route}"
                full = f"{ns}:{name}" if ns else name
                params = tuple(m.group("name") for m in _PARAM.finditer(route))
                module = getattr(p.callback, "__module__", "")
                yield Route(full, route, params, module)

    out = [r for r in walk(get_resolver(), "", None) if not r.route.startswith("api/v1/")]
    seen: set[tuple[str, str]] = set()
    unique = []
    for r in out:
        if (r.name, r.route) not in seen:
            seen.add((r.name, r.route))
            unique.append(r)
    return unique


def build_path(route: Route, values: dict[str, Any]) -> str:
    def sub(m: re.Match[str]) -> str:
        return str(values[m.group("name")])

    return "/" + _PARAM.sub(sub, route.route)


def body_of(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        data = b"".join(response.streaming_content)
        response._sec_body = data
        return data
    return bytes(getattr(response, "content", b""))


# The portal's "我的" tab (/me/?next=…) is the public sign-in landing page.
LOGIN_PREFIXES = ("/workbench/login/", "/account/login/", "/admin/login/", "/me/?next=")


def denied(response: Any) -> bool:
    """302 to a login page, 401, 403, 404 (or 405 for a method the view does not serve)."""
    status = response.status_code
    if status in (401, 403, 404, 405):
        return True
    if status == 302:
        location = response.get("Location", "")
        return location.startswith(LOGIN_PREFIXES)
    return bool(status == 204 and response.get("HX-Redirect", "").startswith(LOGIN_PREFIXES))


@dataclass(frozen=True)
class Operation:
    method: str  # GET, POST, PUT, DELETE
    path: str  # /api/v1/cases/{case_id}
    operation_id: str
    params: tuple[str, ...]
    has_body: bool


def api_operations() -> list[Operation]:
    """Every operation of the JSON API, from the same schema /api/openapi.json serves."""
    from zhixing.api.main import api

    schema = api.get_openapi_schema(path_prefix="/api/v1")
    out = []
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            params = tuple(re.findall(r"{(\w+)}", path))
            out.append(Operation(method.upper(), path, op["operationId"], params, "requestBody" in op))
    return out


def api_path(op: Operation, values: dict[str, Any]) -> str:
    return re.sub(r"{(\w+)}", lambda m: str(values[m.group(1)]), op.path)


def api_call(client: Any, op: Operation, path: str) -> Any:
    """An empty JSON object as the body: authorisation is decided before the body is validated."""
    if op.method == "GET":
        return client.get(path)
    kwargs: dict[str, Any] = {"content_type": "application/json"}
    if op.has_body:
        kwargs["data"] = "{}"
    return getattr(client, op.method.lower())(path, **kwargs)
