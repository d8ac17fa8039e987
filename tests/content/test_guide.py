"""执行指南 tab, 执行权利义务告知 and 客服 pages."""

from __future__ import annotations

import re
from typing import Any

import pytest

from zhixing.content.guide_data import ITEMS
from zhixing.content.models import GuideItem, Hotline

pytestmark = pytest.mark.django_db


def test_guide_tab_shows_three_modules(client: Any) -> None:
    html = client.get("/guide/").content.decode()
    assert "执行权利义务告知" in html
    assert "/content/rights/?audience=applicant" in html and "/content/rights/?audience=respondent" in html


def test_guide_tab_groups_registered_entries(client: Any) -> None:
    from zhixing.lib import nav

    saved = list(nav._portal)
    try:
        nav.register_portal(nav.NavItem("guide", "查询服务", "portal:about", order=1))
        nav.register_portal(nav.NavItem("guide", "法律法规", "portal:install", order=2))
        html = client.get("/guide/").content.decode()
        query = html.index('id="m-query"')
        assist = html.index('id="m-assist"')
        assert query < html.index("查询服务</strong>") < assist < html.index("法律法规</strong>")
    finally:
        nav._portal[:] = saved


def test_rights_pages_for_both_audiences(client: Any) -> None:
    applicant = client.get("/content/rights/?audience=applicant").content.decode()
    respondent = client.get("/content/rights/?audience=respondent").content.decode()
    assert "申请执行的权利与期限" in applicant and "如实报告财产的义务" not in applicant
    assert "如实报告财产的义务" in respondent and "申请执行的权利与期限" not in respondent
    assert "执行和解" in applicant and "执行和解" in respondent  # items for both parties
    assert "<details" in respondent and "被限制消费后还能坐高铁吗" in respondent
    assert "第二百五十二条" in respondent
    assert client.get("/content/rights/?audience=x").status_code == 200


def test_guide_texts_cite_2023_article_numbers() -> None:
    # Sanity checks against the 2023 revision: these provisions moved in 2021 and 2023.
    text = {slug: (body, basis) for slug, _, _, _, body, basis in ITEMS}
    assert "第二百五十条" in text["applicant-right-to-apply"][1]  # 申请执行期间
    assert "第二百六十四条" in text["respondent-duty-to-perform"][1]  # 迟延履行
    assert "第二百五十二条" in text["respondent-report-property"][1]  # 报告财产
    assert "第二百三十七条" in text["qa-six-months"][1]  # 六个月未执行
    assert "第三百一十三条" in text["respondent-sanctions"][1]
    for _, audience, kind, title, body, basis in ITEMS:
        assert audience in GuideItem.Audience.values and kind in GuideItem.Kind.values
        assert title and body and basis
        assert not re.search(r"第二百(四十六|五十三)条.*迟延", basis)  # old numbering


def test_guide_items_are_escaped(client: Any) -> None:
    GuideItem.objects.create(
        slug="x", audience="applicant", kind="qa", title="<b>问</b>", body="<script>x()</script>", basis=""
    )
    html = client.get("/content/rights/?audience=applicant").content.decode()
    assert "<script>x()" not in html and "&lt;script&gt;" in html


def test_hotline_page_tel_links(client: Any, world: Any) -> None:
    html = client.get("/content/hotline/").content.decode()
    assert 'href="tel:12368"' in html and "服务热线" in html
    Hotline.objects.create(
        court=world.court, kind=Hotline.Kind.ALL_DAY, number="0531-88880000", hours="24小时"
    )
    html = client.get(f"/content/hotline/?court={world.court.pk}").content.decode()
    assert 'href="tel:053188880000"' in html and "24小时无休服务热线" in html and 'href="tel:12368"' in html
    assert client.get("/content/hotline/?court=abc").status_code == 200


def test_hotline_listed_under_me(client: Any) -> None:
    assert "/content/hotline/" in client.get("/me/").content.decode()


def test_hotline_number_validation() -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        Hotline(kind=Hotline.Kind.SERVICE, number="javascript:x").full_clean()
