"""Check 1: deployment checks and security headers on every page of the three faces.

Every route in the URL map (portal, workbench, API operations, admin) is requested over HTTPS with the production
security settings, as an anonymous visitor, a judge, a verified party, a unit session and a superuser; every answer
(200, 302, 403, 404, 405 …) must carry the strict CSP, nosniff, a Referrer-Policy and HSTS ≥ 1 year, and every answer
to a signed-in user or unit session must say ``Cache-Control: no-store``.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from zhixing.accounts.models import User

from ..conftest import UNIT, World
from . import sech_support as sup

# GET requests that end the session: walked last so the rest is seen signed in.
_LAST = ("logout",)
# Admin pages are walked for the superuser only (everyone else is redirected to the login).
_ADMIN = "/admin/"


def _values(world: World) -> dict[str, str]:
    case = str(world.case.pk)
    return {
        "case_id": case,
        "pk": case,
        "code": "asset_control",
        "slug": "execution-fee",
        "kind": "debtor",
        "fmt": "pdf",
        "n": "1",
        "app_label": "accounts",
        "object_id": str(world.judge.pk),
    }


def _client(persona: str, world: World) -> Client:
    client = Client(HTTP_HOST="testserver")
    if persona == "judge":
        client.force_login(world.judge)
    elif persona == "party":
        client.force_login(world.party)
    elif persona == "superuser":
        root = User.objects.create_superuser(username="root_sech", password="Strong#Pass2024")
        root.kind = User.Kind.STAFF
        root.save(update_fields=["kind"])
        client.force_login(root)
    elif persona == "unit":
        r = client.post("/account/unit/", {"unit_code": UNIT[1], "query_code": world.unit_case.query_code})
        assert r.status_code == 302, r.content.decode()[:300]
    return client


def _walk(client: Client, world: World, *, persona: str, methods: tuple[str, ...]) -> tuple[int, list[str]]:
    values = _values(world)
    routes = sup.url_patterns()
    if persona != "superuser":
        routes = [r for r in routes if not r[0].startswith(_ADMIN)]
    else:
        routes = [r for r in routes if r[0].startswith(_ADMIN)]
    routes.sort(key=lambda r: any(word in r[0] for word in _LAST))
    problems: list[str] = []
    count = 0
    signed_in = persona != "anonymous"
    for route, _name in routes:
        path = sup.fill(route, values)
        for method in methods:
            if method == "POST" and not path.startswith("/api/"):
                continue
            if any(word in path for word in _LAST) and method == "POST":
                continue
            if method == "GET":
                response = client.get(path, secure=True)
            else:
                response = client.post(path, data={}, content_type="application/json", secure=True)
            count += 1
            # A response to a signed-in user may carry personal data wherever it is.
            personal = signed_in and not any(word in path for word in _LAST)
            problems += sup.header_problems(response, path=f"{method} {path}", https=True, personal=personal)
    return count, problems


@pytest.fixture
def production_headers(settings: Any) -> None:
    for key, value in sup.production_overrides().items():
        setattr(settings, key, value)
    cache.clear()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["anonymous", "judge", "party", "unit", "superuser"])
def test_every_route_carries_the_security_headers(
    world: World, production_headers: None, persona: str, record_property: Any
) -> None:
    client = _client(persona, world)
    methods = ("GET", "POST") if persona != "superuser" else ("GET",)
    count, problems = _walk(client, world, persona=persona, methods=methods)
    record_property("requests", count)
    print(f"[headers] {persona}: {count} requests, {len(problems)} problems")
    assert count > (40 if persona == "superuser" else 150)
    assert not problems, "\n".join(problems[:40])


def test_production_settings_demand_https_and_strict_headers() -> None:
    prod = sup.production_settings()
    assert prod["DEBUG"] is False
    assert prod["SECURE_HSTS_SECONDS"] >= 31536000
    assert prod["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert prod["SECURE_SSL_REDIRECT"] is True
    assert prod["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert prod["SECURE_REFERRER_POLICY"] == "same-origin"
    assert prod["X_FRAME_OPTIONS"] == "DENY"
    csp = sup.csp_directives(prod["CONTENT_SECURITY_POLICY"])
    assert csp["script-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]


@pytest.mark.django_db
def test_plain_http_is_redirected_to_https_in_production(settings: Any) -> None:
    settings.SECURE_SSL_REDIRECT = sup.production_settings()["SECURE_SSL_REDIRECT"]
    response = Client().get("/account/login/")
    assert response.status_code == 301 and response["Location"].startswith("https://")


def test_header_rules_catch_weak_policies() -> None:
    """The checker itself: a page with an inline-script CSP, no nosniff or a cacheable personal page fails."""

    class Fake(dict):  # type: ignore[type-arg]
        def get(self, key: str, default: Any = None) -> Any:
            return super().get(key, default)

    good = Fake(
        {
            "Content-Type": "text/html",
            "Content-Security-Policy": "default-src 'self'; script-src 'self'; object-src 'none'; "
            "base-uri 'none'; frame-ancestors 'none'",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "same-origin",
            "Strict-Transport-Security": "max-age=31536000",
            "Cache-Control": "no-store",
        }
    )
    assert sup.header_problems(good, path="/", https=True, personal=True) == []
    for key, bad in [
        (
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self' 'unsafe-inline'; object-src 'none'; "
            "base-uri 'none'; frame-ancestors 'none'",
        ),
        ("Content-Security-Policy", "default-src 'self'; base-uri 'none'; frame-ancestors 'none'"),
        ("X-Content-Type-Options", ""),
        ("Strict-Transport-Security", "max-age=86400"),
        ("Cache-Control", "private, max-age=3600"),
        ("Referrer-Policy", "unsafe-url"),
    ]:
        weak = Fake(good)
        weak[key] = bad
        assert sup.header_problems(weak, path="/", https=True, personal=True), (key, bad)


@pytest.mark.django_db
def test_anonymous_answers_with_personal_data_are_never_stored(
    world: World, settings: Any, tmp_path: Any
) -> None:
    """Pages a visitor reaches by link or code that show someone's data: shared drafts, document verification,
    published-list records (web and API)."""
    from zhixing.interaction import selectors as interaction_selectors
    from zhixing.interaction.models import DocumentDraft
    from zhixing.publicinfo import selectors as publicinfo_selectors
    from zhixing.publicinfo import services as publicinfo_services

    from ..interaction.test_documents import APPLICATION

    sup.documents_sandbox(settings, tmp_path)
    for key, value in sup.production_overrides().items():
        setattr(settings, key, value)
    draft = DocumentDraft.objects.create(
        kind="application", data=APPLICATION, is_complete=True, author=world.party
    )
    token = interaction_selectors.share_token(draft)
    doc = sup.signed_document(world)
    records = publicinfo_services.debtors_publish(case=world.case)
    assert records, "filing publishes the respondent as 被执行人"
    record = publicinfo_selectors.record_token(records[0])
    paths = [
        f"/d/{token}/",
        f"/d/{token}/download.pdf",
        f"/verify/{doc.verify_code}/",
        f"/api/v1/documents/verify/{doc.verify_code}",
        f"/query/r/{record}/",
        f"/api/v1/public/records/{record}",
    ]
    anon = Client()
    problems: list[str] = []
    for path in paths:
        response = anon.get(path, secure=True)
        assert response.status_code == 200, (path, response.status_code)
        problems += sup.header_problems(response, path=path, https=True, personal=True)
    assert not problems, "\n".join(problems)
