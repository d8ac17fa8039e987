from __future__ import annotations

from typing import Any

from zhixing.laws.models import Article, Law

CPL = "中华人民共和国民事诉讼法"


def test_search_api_public(laws: None, as_user: Any) -> None:
    r = as_user(None).get("/api/v1/laws/search", {"q": "迟延履行 利息", "in_force": "true"})
    assert r.status_code == 200
    data = r.json()
    first = data["items"][0]
    assert first["law_title"].startswith("最高人民法院关于执行程序中计算迟延履行期间的债务利息")
    assert first["article_number"].startswith("第") and first["text"]
    assert "<mark>" in first["highlight"]
    assert first["url"].startswith("/laws/v/") and "#art-" in first["url"]
    assert data["total"] >= len(data["items"]) > 0


def test_search_api_exact(laws: None, as_user: Any) -> None:
    data = as_user(None).get("/api/v1/laws/search", {"q": "民诉法264条"}).json()
    assert data["exact"]["article_number"] == "第二百六十四条"
    assert data["exact"]["law_title"] == CPL and data["exact"]["in_force"] is True


def test_search_api_may_not(laws: None, as_user: Any) -> None:
    client = as_user(None)
    r = client.get("/api/v1/laws/search", {"q": ""})
    assert r.status_code == 422 and "请输入" in r.json()["detail"]
    r = client.get("/api/v1/laws/search", {"q": "执" * 100})
    assert r.status_code == 422 and "过长" in r.json()["detail"]
    assert client.get("/api/v1/laws/search", {"q": "执行", "page": "0"}).status_code == 422
    assert client.post("/api/v1/laws/search?q=执行").status_code == 405
    assert client.get("/api/v1/laws/laws/999999").status_code == 404


def test_law_api(laws: None, as_user: Any) -> None:
    law = Law.objects.get(title=CPL)
    data = as_user(None).get(f"/api/v1/laws/laws/{law.pk}").json()
    assert [v["in_force"] for v in data["versions"]].count(True) == 1


def test_search_page(laws: None, as_user: Any) -> None:
    client = as_user(None)
    home = client.get("/laws/")
    assert home.status_code == 200 and "仅现行有效" in home.content.decode()
    r = client.get("/laws/", {"q": "失信", "in_force": "1"})
    body = r.content.decode()
    assert r.status_code == 200 and "<mark>失信</mark>" in body and "现行有效" in body


def test_search_page_exact_redirects(laws: None, as_user: Any) -> None:
    r = as_user(None).get("/laws/", {"q": "民诉法264条"})
    assert r.status_code == 302 and r["Location"].endswith("#art-264")


def test_search_page_may_not(laws: None, as_user: Any) -> None:
    r = as_user(None).get("/laws/", {"q": ""})
    assert r.status_code == 422 and "请输入要检索的内容" in r.content.decode()
    assert as_user(None).post("/laws/", {"q": "执行"}).status_code == 405


def test_reading_page(laws: None, as_user: Any) -> None:
    art = Article.objects.get(law__title=CPL, version__in_force=True, index=264)
    r = as_user(None).get(art.get_absolute_url().split("#")[0])
    body = r.content.decode()
    assert r.status_code == 200
    assert 'id="art-264"' in body and "现行有效" in body and "目录" in body
    assert "第三编 执行程序" in body and 'href="#node-' in body
    old = Law.objects.get(title=CPL).versions.get(in_force=False)
    r = as_user(None).get(old.get_absolute_url())
    assert "已被修改" in r.content.decode() and "查看现行有效版本" in r.content.decode()
    law = Law.objects.get(title=CPL)
    assert as_user(None).get(f"/laws/{law.pk}/")["Location"].endswith(f"/laws/v/{art.version_id}/")


def test_reading_page_may_not(laws: None, as_user: Any) -> None:
    assert as_user(None).get("/laws/v/999999/").status_code == 404
    assert as_user(None).get("/laws/999999/").status_code == 404


def test_guide_tile(laws: None) -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.urls import reverse

    from zhixing.lib.nav import portal_items

    items = [i for i in portal_items("guide", AnonymousUser()) if i.label == "法律法规"]
    assert len(items) == 1 and reverse(items[0].url_name) == "/laws/"
