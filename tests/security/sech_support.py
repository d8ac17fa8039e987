"""Helpers for the security checks owned by "sechard" (headers, sessions, uploads, integrity, data at rest).

Imported explicitly by those test modules; the shared personas come from ``tests/conftest.py``.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

# Settings that differ between the development default and ZHIXING_ENV=production.
PRODUCTION_KEYS = (
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SAMESITE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SESSION_COOKIE_AGE",
    "SESSION_IDLE_SECONDS",
    "PUBLIC_SESSION_IDLE_SECONDS",
    "CONTENT_SECURITY_POLICY",
    "DEBUG",
    "X_FRAME_OPTIONS",
)


@lru_cache(maxsize=1)
def production_settings() -> dict[str, Any]:
    """The settings a production process really computes (a fresh interpreter with ZHIXING_ENV=production)."""
    var = ROOT / "var" / f"prod-probe-{os.getpid()}"
    var.mkdir(parents=True, exist_ok=True)
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "ZHIXING_DATA_KEY", "DEBUG", "HTTPS", "SECURE_SSL_REDIRECT"}
        and not k.startswith("SESSION_")
    }
    env.update(
        ZHIXING_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ZHIXING_DATA_KEY=secrets.token_urlsafe(40),
        ALLOWED_HOSTS="zhixing.example.cn",
        ZHIXING_VAR_DIR=str(var),
        DATABASE_URL=f"sqlite:///{var / 'db.sqlite3'}",
        DJANGO_SETTINGS_MODULE="zhixing.settings",
    )
    script = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps({{k: getattr(s, k, None) for k in {list(PRODUCTION_KEYS)!r}}}))"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter with a fixed script
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


def production_overrides() -> dict[str, Any]:
    """Production security settings to apply in-process (``settings`` fixture / override_settings).

    SSL redirect stays off so the test client's https requests are answered, not redirected."""
    prod = production_settings()
    return {k: v for k, v in prod.items() if k not in {"SECURE_SSL_REDIRECT", "DEBUG"}}


# --- URL walk ---------------------------------------------------------------------------------------------------

_PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


def url_patterns() -> list[tuple[str, str]]:
    """Every route of the URL map as (route template, name), the API's operations included."""
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns: Any, prefix: str) -> Iterator[tuple[str, str]]:
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern), p.name or ""

    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for route, name in walk(get_resolver().url_patterns, "/"):
        if route.startswith("/^") or "(?P" in route:  # regex routes (admin's app index): filled below
            route = re.sub(r"\^|\$", "", route).replace("(?P<app_label>", "<app_label>")
            route = re.sub(r"<app_label>[^/]*\)", "<app_label>", route)
        if route not in seen:
            seen.add(route)
            out.append((route, name))
    return out


def fill(route: str, values: dict[str, str]) -> str:
    """A concrete path for a route template: known parameter names get real ids, the rest a plausible value."""

    def sub(m: re.Match[str]) -> str:
        name, conv = m.group("name"), m.group("conv") or "str"
        if name in values:
            return values[name]
        return "1" if conv == "int" or name.endswith("_id") or name == "pk" else "x"

    return _PARAM.sub(sub, route)


# --- Header rules -----------------------------------------------------------------------------------------------


def csp_directives(header: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0].lower()] = [w.lower() for w in words[1:]]
    return out


# File responses the workbench shows in its own viewer frame (PDF and page images): they may be framed by the
# same origin and may load the browser's PDF plugin; they still run no script and fix the base URI.
FRAMEABLE_TYPES = ("application/pdf", "image/")


def header_problems(response: Any, *, path: str, https: bool, personal: bool) -> list[str]:
    """Everything wrong with one response's security headers (empty list when it is fine)."""
    problems: list[str] = []
    ctype = response.get("Content-Type", "")
    csp_header = response.get("Content-Security-Policy", "")
    if not csp_header:
        return [f"{path}: 无 Content-Security-Policy"]
    csp = csp_directives(csp_header)
    scripts = csp.get("script-src", csp.get("default-src"))
    if scripts is None:
        problems.append(f"{path}: CSP 未限制脚本 (无 script-src / default-src)")
    elif {"'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"} & set(scripts):
        problems.append(f"{path}: CSP script-src 过宽 {scripts}")
    frameable = ctype.startswith(FRAMEABLE_TYPES)
    objects = csp.get("object-src", csp.get("default-src"))
    if objects != ["'none'"] and not (frameable and objects == ["'self'"]):
        problems.append(f"{path}: CSP object-src = {objects}")
    if csp.get("base-uri") != ["'none'"]:
        problems.append(f"{path}: CSP base-uri = {csp.get('base-uri')}")
    ancestors = csp.get("frame-ancestors")
    if ancestors != ["'none'"] and not (frameable and ancestors == ["'self'"]):
        problems.append(f"{path}: CSP frame-ancestors = {ancestors} ({ctype})")
    if response.get("X-Content-Type-Options", "").lower() != "nosniff":
        problems.append(f"{path}: 无 X-Content-Type-Options: nosniff")
    if response.get("Referrer-Policy", "") not in {
        "same-origin",
        "no-referrer",
        "strict-origin-when-cross-origin",
    }:
        problems.append(f"{path}: Referrer-Policy = {response.get('Referrer-Policy')!r}")
    if https:
        hsts = response.get("Strict-Transport-Security", "")
        m = re.search(r"max-age=(\d+)", hsts)
        if not m or int(m.group(1)) < 31536000:
            problems.append(f"{path}: HSTS = {hsts!r}")
    if personal and "no-store" not in response.get("Cache-Control", ""):
        problems.append(f"{path}: 含个人信息但 Cache-Control = {response.get('Cache-Control')!r}")
    return problems


# --- Objects for the checks --------------------------------------------------------------------------------------


def documents_sandbox(settings: Any, tmp_path: Path) -> None:
    """Documents generate inline and sign with a throw-away local CA under ``tmp_path``."""
    settings.DOCUMENTS_GENERATION_MODE = "inline"
    settings.SIGNING_DIR = str(tmp_path / "signing")
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.ESEAL_BACKEND = "local"


def signed_document(world: Any) -> Any:
    """A 执行通知书 of ``world.case`` made and e-sealed by the judge (call documents_sandbox first)."""
    from django.utils import timezone

    from zhixing.documents import services
    from zhixing.documents.models import DocTemplate
    from zhixing.workflow.models import CaseMatter

    services.library_sync()
    matter = CaseMatter.objects.create(
        case=world.case,
        matter_type=services.matter_type_for("notice"),
        started_on=timezone.localdate(),
        created_by=world.judge,
    )
    template = DocTemplate.objects.get(court__isnull=True, code="notice")
    doc = services.document_create(
        actor=world.judge, case=world.case, template=template, data={}, matter=matter
    )
    return services.document_sign(actor=world.judge, document=doc)
