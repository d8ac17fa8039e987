"""The three faces: portal, workbench, API — who may and who may not."""

from __future__ import annotations

import json

from django.test import Client

from .conftest import World


def test_portal_tabs_open_to_everyone(db: None) -> None:
    client = Client()
    for url in ["/", "/guide/", "/service/", "/me/", "/install/", "/about/", "/offline/"]:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "执行头条" in body and "服务台" in body
        assert "unsafe-inline" not in response["Content-Security-Policy"].split("script-src")[1].split(";")[0]


def test_install_page_has_qr_and_manifest_is_valid(db: None) -> None:
    client = Client()
    page = client.get("/install/").content.decode()
    assert "<svg" in page and "添加到主屏幕" in page
    manifest = json.loads(client.get("/manifest.webmanifest").content)
    assert manifest["display"] == "standalone" and manifest["start_url"].startswith("/")
    assert {i["sizes"] for i in manifest["icons"]} >= {"192x192", "512x512"}
    sw = client.get("/sw.js")
    assert sw["Content-Type"].startswith("application/javascript") and "/offline/" in sw.content.decode()


def test_healthz_reports_database(db: None) -> None:
    data = Client().get("/healthz").json()
    assert data["database"] == "ok"


def test_workbench_requires_staff(world: World, as_user) -> None:  # type: ignore[no-untyped-def]
    entry = Client().get("/workbench/")
    assert entry.status_code == 200 and 'name="password"' in entry.content.decode()
    anonymous = Client().get("/workbench/cases/")
    assert anonymous.status_code == 302 and "/workbench/login/" in anonymous["Location"]
    htmx = Client().get("/workbench/cases/", headers={"HX-Request": "true"})
    assert htmx.headers.get("HX-Redirect", "").startswith("/workbench/login/")
    assert as_user(world.party).get("/workbench/cases/").status_code == 403
    assert as_user(world.judge).get("/workbench/cases/").status_code == 200


def test_workbench_case_list_scoped_to_court(world: World, as_user) -> None:  # type: ignore[no-untyped-def]
    body = as_user(world.judge).get("/workbench/cases/").content.decode()
    assert world.case.number in body and world.other_case.number not in body
    assert as_user(world.judge).get(f"/workbench/cases/{world.case.pk}/").status_code == 200
    assert as_user(world.judge).get(f"/workbench/cases/{world.other_case.pk}/").status_code == 404
    # Personal ID numbers never leave the server whole.
    detail = as_user(world.judge).get(f"/workbench/cases/{world.case.pk}/").content.decode()
    assert "37010219850307123X" not in detail and "370102********123X" in detail


def test_workbench_filter_errors_are_422(world: World, as_user) -> None:  # type: ignore[no-untyped-def]
    response = as_user(world.judge).get(
        "/workbench/cases/?filed_from=2025-02-01&filed_to=2025-01-01", headers={"HX-Request": "true"}
    )
    assert response.status_code == 422
    assert "结束日期不能早于开始日期" in response.content.decode()
    assert "HX-Request" in response["Vary"]


def test_workbench_login_with_password(world: World) -> None:
    client = Client()
    page = client.get("/workbench/login/")
    assert page.status_code == 200
    response = client.post("/workbench/login/", {"username": "judge_in", "password": "Strong#Pass2024"})
    assert response.status_code == 302
    assert client.get("/workbench/cases/").status_code == 200


def test_api_docs_and_schema(db: None) -> None:
    client = Client()
    assert client.get("/api/docs").status_code == 200
    schema = client.get("/api/openapi.json").json()
    assert "/api/v1/cases/" in schema["paths"]


def test_api_cases_may_and_may_not(world: World, as_user) -> None:  # type: ignore[no-untyped-def]
    assert Client().get("/api/v1/cases/").status_code == 401
    assert as_user(world.party).get("/api/v1/cases/").status_code == 403
    data = as_user(world.judge).get("/api/v1/cases/").json()
    numbers = {item["number"] for item in data["items"]}
    assert world.case.number in numbers and world.other_case.number not in numbers
    assert as_user(world.judge).get(f"/api/v1/cases/{world.other_case.pk}").status_code == 404
    assert "37010219850307123X" not in json.dumps(data, ensure_ascii=False)


def _case_payload(world: World, **overrides: object) -> dict:
    payload = {
        "court_id": world.court.pk,
        "number": "（2025）鲁0102执950号",
        "filed_on": "2025-03-01",
        "basis_issuer": "济南市历下区人民法院",
        "basis_number": "（2024）鲁0102民初77号",
        "amount": "50000.00",
        "parties": [
            {"role": "applicant", "kind": "natural", "name": "王五", "id_number": "370102199208157895"},
            {"role": "respondent", "kind": "legal", "name": "某公司", "id_number": "91370102MA3C8KXX5L"},
        ],
    }
    payload.update(overrides)
    return payload


def test_api_file_case(world: World, as_user) -> None:  # type: ignore[no-untyped-def]
    client = as_user(world.judge)
    created = client.post("/api/v1/cases/", _case_payload(world), content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["amount"] == "50000.00"
    outsider = as_user(world.judge_outside).post(
        "/api/v1/cases/",
        _case_payload(world, number="（2025）鲁0102执951号"),
        content_type="application/json",
    )
    assert outsider.status_code == 403


def test_api_bad_input_is_422_in_chinese(world: World, as_user) -> None:  # type: ignore[no-untyped-def]
    client = as_user(world.judge)
    bad = client.post(
        "/api/v1/cases/", _case_payload(world, number="2025执1", amount="-1"), content_type="application/json"
    )
    assert bad.status_code == 422
    errors = bad.json()["errors"]
    assert "案号" in errors["number"][0] and "负数" in errors["amount"][0]
    wrong_type = client.post(
        "/api/v1/cases/", _case_payload(world, filed_on="not-a-date"), content_type="application/json"
    )
    assert wrong_type.status_code == 422 and "日期" in wrong_type.json()["errors"]["filed_on"][0]
    missing = client.post("/api/v1/cases/", {"court_id": world.court.pk}, content_type="application/json")
    assert missing.status_code == 422 and "必填" in missing.json()["detail"]
    not_json = client.post("/api/v1/cases/", "{", content_type="application/json")
    assert not_json.status_code in (400, 422)
