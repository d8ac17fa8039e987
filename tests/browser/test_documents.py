"""Done-when of the documents issue: a 限制消费令 made in a matter, approved, signed and served in one click,
read by the party in the inbox, and checked on the public verify page (signed copy valid, tampered copy not)."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from zhixing.documents import services
from zhixing.documents.models import DocStatus, Document, ServiceRecord
from zhixing.workflow.models import CaseMatter

from ..conftest import World
from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _documents_settings(settings: Any, tmp_path: Any) -> None:
    settings.DOCUMENTS_GENERATION_MODE = (
        "inline"  # the live server's in-memory SQLite is not shared with threads
    )
    settings.SIGNING_DIR = str(tmp_path / "signing")
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _login(page: Any, user: Any, base: str) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])


def test_limit_order_made_approved_signed_served_read_and_verified(
    live_server: Any, desktop_page: Any, phone_page: Any, browser: Any, world: World
) -> None:
    base = live_server.url
    applicant = world.case.parties.get(role="applicant")
    applicant.phone = "13900000001"
    applicant.save()
    matter = CaseMatter.objects.create(
        case=world.case,
        matter_type=services.matter_type_for("dishonest"),
        started_on=timezone.localdate(),
        created_by=world.judge,
    )
    judge = desktop_page
    _login(judge, world.judge, base)

    # 文书制作
    judge.goto(f"{base}/workbench/documents/matter/{matter.pk}/")
    expect(judge.locator("#doc-panel")).to_contain_text("文书审批级别说明")
    judge.get_by_role("link", name="文书制作").click()
    judge.get_by_role("link", name="限制消费令").click()
    expect(judge.locator("input[name=respondent]")).not_to_have_value("")
    expect(judge.locator("input[name=case_number]")).to_have_value(world.case.number)
    screenshot(judge, "documents-make")
    judge.get_by_role("button", name="保存草稿并生成").click()
    expect(judge.locator("#job-status")).to_contain_text("生成完成")
    doc = Document.objects.get(matter=matter)
    assert doc.status == DocStatus.DRAFT and doc.pdf

    # 文书报批
    judge.get_by_role("button", name="文书报批").click()
    expect(judge.locator("#doc-status")).to_have_text("审批中")

    # the approver (院长) approves
    approver_ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="zh-CN")
    approver = approver_ctx.new_page()
    _login(approver, world.approver, base)
    approver.goto(f"{base}/workbench/documents/approvals/")
    expect(approver.locator("section.approval")).to_contain_text("限制消费令")
    approver.fill("textarea[name=comment]", "同意采取限制消费措施。")
    screenshot(approver, "documents-approval")
    approver.get_by_role("button", name="同意").click()
    expect(approver.get_by_text("暂无待审批的文书")).to_be_visible()
    approver_ctx.close()
    doc.refresh_from_db()
    assert doc.status == DocStatus.APPROVED

    # 一键签章并送达
    judge.goto(f"{base}/workbench/documents/matter/{matter.pk}/")
    judge.check(f"#doc-{doc.pk}")
    judge.locator(f"input[name=party][value='{applicant.pk}']").check()
    judge.get_by_role("button", name="一键签章并送达").click()
    expect(judge.locator("#doc-panel")).to_contain_text("已签章")
    expect(judge.locator("#doc-panel")).to_contain_text("已送达1人")
    screenshot(judge, "documents-signed-served")
    doc.refresh_from_db()
    assert doc.status == DocStatus.SIGNED
    record = ServiceRecord.objects.get(document=doc)
    assert record.read_at is None

    # the party reads it in 服务台 → 我的文书
    party = phone_page
    _login(party, world.party, base)
    party.goto(f"{base}/service/documents/")
    party.get_by_text("《限制消费令》").click()
    expect(party.locator("#read-at")).not_to_be_empty()
    screenshot(party, "documents-inbox-read")
    record.refresh_from_db()
    assert record.read_at is not None
    signed = party.request.get(f"{base}/service/documents/{record.pk}/pdf/?download=1").body()
    assert signed[:4] == b"%PDF"

    # public verification: the signed copy is valid, a copy with one byte changed is not
    visitor_ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN")
    visitor = visitor_ctx.new_page()
    visitor.goto(f"{base}/verify/")
    visitor.fill("input[name=code]", doc.verify_code)
    visitor.get_by_role("button", name="查询").click()
    expect(visitor.locator("main")).to_contain_text(world.case.number)
    visitor.set_input_files(
        "input[type=file]",
        files=[{"name": "限制消费令.pdf", "mimeType": "application/pdf", "buffer": signed}],
    )
    visitor.get_by_role("button", name="开始核验").click()
    expect(visitor.locator("#verdict")).to_contain_text("核验通过")
    screenshot(visitor, "documents-verify-valid")
    tampered = bytearray(signed)
    tampered[len(tampered) // 2] ^= 0x01
    visitor.set_input_files(
        "input[type=file]",
        files=[{"name": "改.pdf", "mimeType": "application/pdf", "buffer": bytes(tampered)}],
    )
    visitor.get_by_role("button", name="开始核验").click()
    expect(visitor.locator("#verdict")).to_contain_text("核验未通过")
    screenshot(visitor, "documents-verify-tampered")
    visitor_ctx.close()


def test_party_template_styles_on_a_phone(live_server: Any, phone_page: Any, world: World) -> None:
    """文书样式: the eight categories, search, preview and a DOCX download on a phone."""
    page = phone_page
    page.goto(f"{live_server.url}/documents/styles/")
    expect(page.locator(".chips")).to_contain_text("申请缓交、减交、免交诉讼费")
    assert page.locator(".chips .chip").count() == 9  # 全部 + eight categories
    chip = page.locator(".chips .chip").nth(1).bounding_box()
    assert chip is not None and chip["height"] >= 44
    page.fill("input[name=q]", "担保")
    page.get_by_role("button", name="搜索").click()
    page.locator(".style-list").get_by_role("link", name="执行担保保证书").click()
    expect(page.locator("article.paper")).to_contain_text("保证人")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "documents-style-preview-390")
    with page.expect_download() as info:
        page.get_by_role("link", name="下载 DOCX").click()
    assert info.value.suggested_filename.endswith(".docx")
