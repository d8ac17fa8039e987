"""API fuzzing (issue 11, check 10): schemathesis against /api/openapi.json, in-process through the WSGI
application, for each persona — zero server errors and zero answers that break their documented schema.

Every operation gets ``SECURITY_FUZZ_EXAMPLES`` generated requests (default 3) in each of schemathesis'
positive and negative modes, half of them aimed at the security world's real objects (so the bodies and
queries reach the code behind the permission checks), the rest with generated path parameters.
Generation is derandomised, so a run is repeatable. The test prints how many requests it sent.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from .conftest import client_for

EXAMPLES = int(os.environ.get("SECURITY_FUZZ_EXAMPLES", "3"))
FUZZ_PERSONAS = ("anonymous", "public", "party", "judge", "admin")


@contextmanager
def _same_connection() -> Iterator[None]:
    """The WSGI handler closes 'old' connections around each request; inside the test's transaction that
    would drop it. Django's test client disconnects the same receiver for the same reason."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _credentials(sec: Any, persona: str) -> dict[str, str]:
    from django.conf import settings as django_settings

    client = client_for(sec, persona)
    client.get("/api/v1/accounts/csrf")
    cookies = {k: v.value for k, v in client.cookies.items()}
    header = "; ".join(f"{k}={v}" for k, v in cookies.items())
    token = cookies.get(django_settings.CSRF_COOKIE_NAME, "")
    return {"Cookie": header, "X-CSRFToken": token}


def _real_path_values(sec: Any) -> dict[str, Any]:
    a = sec.a
    return {
        "case_id": a.case.pk,
        "draft_id": a.draft.pk,
        "fmt": "docx",
        "notice_id": a.notice.pk,
        "message_id": a.message.pk,
        "clue_id": a.clue.pk,
        "opinion_id": a.opinion.pk,
        "token": a.record_token,
        "article_id": a.article.pk,
        "law_id": sec.law.pk,
    }


@pytest.mark.parametrize("persona", FUZZ_PERSONAS)
def test_fuzz_api(sec: Any, persona: str, settings: Any) -> None:
    import schemathesis
    from django.core.wsgi import get_wsgi_application
    from schemathesis.checks import not_a_server_error
    from schemathesis.core.failures import FailureGroup
    from schemathesis.generation import GenerationMode
    from schemathesis.specs.openapi.checks import response_schema_conformance

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost", "testserver"]
    app = get_wsgi_application()
    headers = _credentials(sec, persona)
    real = _real_path_values(sec)
    sent = 0
    failures: list[str] = []
    with _same_connection():
        schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
        operations = [result.ok() for result in schema.get_all_operations()]
        for op in operations:
            params = {p.name for p in op.path_parameters}
            fixed = {k: v for k, v in real.items() if k in params}
            if "code" in params:
                fixed["code"] = (
                    "asset_control"
                    if "/flow/" in op.path
                    else (sec.a.doc.verify_code if "/verify/" in op.path else sec.faq.code)
                )
            if "kind" in params:
                fixed["kind"] = "application" if "document-fields" in op.path else "debtor"
            strategies = [op.as_strategy(generation_mode=mode) for mode in GenerationMode]
            if fixed:
                strategies += [
                    op.as_strategy(generation_mode=mode, path_parameters=fixed) for mode in GenerationMode
                ]
            strategy = st.one_of(*strategies)

            @given(case=strategy)
            @hypothesis_settings(
                max_examples=EXAMPLES * 2,
                deadline=None,
                derandomize=True,
                database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            def fuzz(case: Any) -> None:
                nonlocal sent
                response = case.call(headers={**(case.headers or {}), **headers})
                sent += 1
                try:
                    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
                except (AssertionError, FailureGroup) as exc:
                    failures.append(
                        f"{case.operation.method.upper()} {case.operation.path} as {persona}: {response.status_code} "
                        f"{' '.join(str(exc).split())[:500]} — {case.as_curl_command()[:300]}"
                    )

            fuzz()
    print(f"\nAPI fuzz, {persona}: {sent} requests over {len(operations)} operations")
    assert sent >= len(operations) * EXAMPLES
    assert not failures, "\n".join(failures[:30])


def test_api_schema_names_are_unique() -> None:
    """Two schema classes with one name share one OpenAPI component: the document then describes one
    operation with the other's fields (found by the fuzzer: 图形验证码 and 人脸识别告知书 answers)."""
    import typing
    from collections import defaultdict

    import pydantic

    from zhixing.api.main import api

    seen: dict[str, set[str]] = defaultdict(set)

    def walk(model: Any, depth: int = 0) -> None:
        if depth > 5 or not isinstance(model, type) or not issubclass(model, pydantic.BaseModel):
            return
        seen[model.__name__].add(f"{model.__module__}.{model.__qualname__}")
        for field in model.model_fields.values():
            for arg in (field.annotation, *typing.get_args(field.annotation)):
                for inner in (arg, *typing.get_args(arg)):
                    walk(inner, depth + 1)

    for _prefix, router in api._routers:
        for view in router.path_operations.values():
            for op in view.operations:
                for model in (op.response_models or {}).values():
                    walk(model)
                for model in getattr(op, "models", []) or []:
                    walk(model)
    clashes = {name: paths for name, paths in seen.items() if len(paths) > 1}
    assert len(seen) > 30
    assert not clashes, clashes
