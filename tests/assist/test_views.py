from __future__ import annotations

from typing import Any

from zhixing.assist.models import Faq


def test_ask_page(knowledge: None, as_user: Any) -> None:
    client = as_user(None)
    assert client.get("/assist/ask/").status_code == 200
    r = client.get("/assist/ask/", {"q": "老赖能坐高铁吗"})
    body = r.content.decode()
    assert r.status_code == 200
    assert "最佳解答" in body and "动车组" in body and "法律依据" in body
    assert "限制被执行人高消费及有关消费的若干规定》第三条" in body
    assert "#art-3" in body


def test_ask_page_no_answer_offers_help(knowledge: None, as_user: Any) -> None:
    body = as_user(None).get("/assist/ask/", {"q": "今天天气怎么样"}).content.decode()
    assert "没有找到与您的问题足够匹配的解答" in body
    assert "给法官留言" in body and 'href="/service/"' in body


def test_ask_may_not(knowledge: None, as_user: Any) -> None:
    client = as_user(None)
    r = client.get("/assist/ask/", {"q": ""})
    assert r.status_code == 422 and "请输入您想咨询的问题" in r.content.decode()
    assert client.post("/assist/ask/", {"q": "老赖"}).status_code == 405
    r = client.get("/api/v1/assist/ask", {"q": "问" * 200})
    assert r.status_code == 422 and "问题过长" in r.json()["detail"]


def test_ask_api(knowledge: None, as_user: Any) -> None:
    data = as_user(None).get("/api/v1/assist/ask", {"q": "老赖能坐高铁吗"}).json()
    assert data["confident"] is True
    best = data["answers"][0]
    assert any(b["article_number"] == "第三条" and b["url"].endswith("#art-3") for b in best["basis"])
    assert any(u.startswith("老赖→") for u in data["understood_as"])
    none = as_user(None).get("/api/v1/assist/ask", {"q": "今天天气怎么样"}).json()
    assert none["confident"] is False and none["answers"] == [] and "留言" in none["help"]


def test_faq_pages(knowledge: None, as_user: Any) -> None:
    client = as_user(None)
    body = client.get("/assist/faq/").content.decode()
    assert "申请执行" in body and "失信与限制消费" in body
    faq = Faq.objects.get(question__startswith="申请强制执行的期限")
    r = client.get(faq.get_absolute_url())
    assert r.status_code == 200 and "第二百五十条" in r.content.decode()
    data = client.get("/api/v1/assist/faq").json()
    assert len(data) >= 60 and all(item["basis"] for item in data)
    assert client.get(f"/api/v1/assist/faq/{faq.code}").json()["question"] == faq.question


def test_faq_may_not(knowledge: None, as_user: Any) -> None:
    client = as_user(None)
    assert client.get("/assist/faq/NOPE/").status_code == 404
    assert client.get("/api/v1/assist/faq/NOPE").status_code == 404
    Faq.objects.filter(code="F001").update(is_published=False)
    assert client.get("/assist/faq/F001/").status_code == 404


def test_guide_tiles(knowledge: None) -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.urls import reverse

    from zhixing.lib.nav import portal_items

    labels = {i.label: reverse(i.url_name) for i in portal_items("guide", AnonymousUser())}
    assert labels["我要咨询"] == "/assist/ask/" and labels["常见问题解答"] == "/assist/faq/"
