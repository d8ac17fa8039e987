"""我要制作文书: 执行申请书 and 执行异议书 — legal fields, validation, preview, DOCX/PDF, share links, drafts."""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import timedelta
from typing import Any

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from zhixing.interaction import doc_forms, rendering
from zhixing.interaction.models import DocumentDraft

APPLICATION = {
    "applicant_kind": "natural",
    "applicant_name": "张伟",
    "applicant_gender": "男",
    "applicant_birth": "1985-03-07",
    "applicant_ethnicity": "汉族",
    "applicant_id": "37010219850307123X",
    "applicant_address": "山东省济南市历下区某路1号",
    "applicant_phone": "13900000001",
    "respondent_kind": "legal",
    "respondent_name": "济南某某商贸有限公司",
    "respondent_address": "济南市市中区某路2号",
    "respondent_representative": "王某，总经理",
    "basis_issuer": "济南市历下区人民法院",
    "basis_number": "（2024）鲁0102民初123号",
    "basis_title": "民事判决书",
    "basis_effective_on": "2024-06-01",
    "claims": "1. 强制被执行人支付货款100000元及利息；\n2. 被执行人负担执行费用。",
    "amount": "100000",
    "reasons": "判决生效后被执行人未履行付款义务。",
    "property": "被执行人在某银行开有基本账户。",
    "court": "济南市历下区人民法院",
    "attachments": ["basis", "identity"],
    "signed_on": "2024-07-01",
}


def form(data: dict[str, Any], action: str = "preview") -> dict[str, Any]:
    return {**data, "action": action}


def test_required_items_follow_the_law() -> None:
    names = {s.name for s in doc_forms.SPECS["application"] if s.required}
    assert {"claims", "reasons", "property", "basis_number", "applicant_name", "attachments"} <= names
    names = {s.name for s in doc_forms.SPECS["objection"] if s.required}
    assert {"requests", "facts", "reasons", "service_address", "service_phone", "case_number"} <= names


def test_validation_messages_in_chinese() -> None:
    bad = {**APPLICATION, "applicant_id": "123", "amount": "1.234", "claims": "", "attachments": ["basis"]}
    with pytest.raises(Exception) as exc:
        doc_forms.validate_document("application", bad, strict=True)
    errors = exc.value.message_dict  # type: ignore[attr-defined]
    assert "身份证号码" in errors["applicant_id"][0]
    assert "两位小数" in errors["amount"][0]
    assert errors["claims"] == ["请填写请求事项（申请执行的事项）。"]
    assert "申请执行人身份证明" in errors["attachments"][0]
    # A draft keeps incomplete content but still refuses malformed values.
    draft = doc_forms.validate_document("application", {"claims": "草稿"}, strict=False)
    assert draft["claims"] == "草稿"


def test_make_preview_download_and_share(world: Any, as_user: Any) -> None:
    client = as_user(world.party)
    client.post(reverse("interaction:cases"), {"case": world.case.pk})
    page = client.get(reverse("interaction:document-new", args=["application"])).content.decode()
    assert world.case.basis_number in page  # prefilled from the chosen case
    response = client.post(
        reverse("interaction:document-new", args=["application"]), form({**APPLICATION, "claims": ""})
    )
    assert response.status_code == 422 and "请填写请求事项" in response.content.decode()
    response = client.post(reverse("interaction:document-new", args=["application"]), form(APPLICATION))
    assert response.status_code == 302
    draft = DocumentDraft.objects.get()
    assert draft.is_complete and draft.author == world.party and draft.case == world.case
    preview = client.get(reverse("interaction:document-preview", args=[draft.pk])).content.decode()
    assert "执行申请书" in preview and "此致" in preview and "生效法律文书副本" in preview
    assert "37010219850307123X" not in preview and "370102********123X" in preview  # masked on screen
    pdf = client.get(reverse("interaction:document-download", args=[draft.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    docx = client.get(reverse("interaction:document-download", args=[draft.pk, "docx"]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    # Share: an anonymous visitor with the link may read and download.
    shared_page = client.post(
        reverse("interaction:document-share", args=[draft.pk]), {"action": "share"}, follow=True
    )
    url = shared_page.context["share"]["url"]
    path = url.split("testserver", 1)[1]
    anon = as_user(None)
    assert "执行申请书" in anon.get(path).content.decode()
    token = path.strip("/").split("/")[1]
    assert anon.get(reverse("interaction:document-shared-download", args=[token, "pdf"])).content.startswith(
        b"%PDF"
    )
    # Revoking invalidates every earlier link.
    client.post(reverse("interaction:document-share", args=[draft.pk]), {"action": "revoke"})
    assert anon.get(path).status_code == 404


def test_share_link_expires(world: Any, as_user: Any, monkeypatch: Any) -> None:
    from zhixing.interaction import selectors

    draft = DocumentDraft.objects.create(
        kind="application", data=APPLICATION, is_complete=True, author=world.party
    )
    token = selectors.share_token(draft)
    assert selectors.draft_from_token(token) == draft
    later = timezone.now() + timedelta(days=8)
    monkeypatch.setattr(signing.time, "time", lambda: later.timestamp())
    assert selectors.draft_from_token(token) is None
    assert selectors.draft_from_token("garbage:token") is None


def test_other_party_may_not_open_a_draft(world: Any, as_user: Any) -> None:
    draft = DocumentDraft.objects.create(
        kind="application", data=APPLICATION, is_complete=True, author=world.party
    )
    other = as_user(world.other_party)
    for name, args in [
        ("interaction:document-preview", [draft.pk]),
        ("interaction:document-download", [draft.pk, "pdf"]),
        ("interaction:document-edit", ["application", draft.pk]),
    ]:
        assert other.get(reverse(name, args=args)).status_code == 404
    assert other.post(reverse("interaction:document-share", args=[draft.pk])).status_code == 404
    assert other.post(reverse("interaction:document-delete", args=[draft.pk])).status_code == 404
    assert as_user(None).get(reverse("interaction:document-preview", args=[draft.pk])).status_code == 302


def test_draft_saved_incomplete_then_completed(world: Any, as_user: Any) -> None:
    client = as_user(world.party)
    response = client.post(
        reverse("interaction:document-new", args=["objection"]),
        form({"objector_name": "张伟"}, action="save"),
    )
    assert response.status_code == 302
    draft = DocumentDraft.objects.get()
    assert not draft.is_complete
    assert client.get(reverse("interaction:document-download", args=[draft.pk, "pdf"])).status_code == 302
    page = client.get(reverse("interaction:documents")).content.decode()
    assert "草稿" in page and "执行异议书" in page


def test_objection_cites_the_right_article() -> None:
    data = {
        "objector_kind": "natural",
        "objector_name": "李某",
        "objector_id": "370103199005124563",
        "objector_address": "济南市某路",
        "objector_phone": "13900000009",
        "objector_role": "outsider",
        "case_number": "（2024）鲁0102执1号",
        "requests": "请求中止对某房产的执行。",
        "facts": "该房产系本人所有。",
        "reasons": "本人对执行标的享有足以排除强制执行的民事权益。",
        "service_address": "济南市某路3号",
        "service_recipient": "李某",
        "service_phone": "0531-86000000",
        "court": "济南市历下区人民法院",
        "attachments": ["identity"],
        "signed_on": "2024-07-01",
    }
    cleaned = doc_forms.validate_document("objection", data, strict=True)
    text = "".join(b.text for b in doc_forms.document_blocks("objection", cleaned))
    assert "第二百三十八条" in text and "送达地址：济南市某路3号" in text


def test_pdf_embeds_a_cjk_font_and_renders(tmp_path: Any) -> None:
    cleaned = doc_forms.validate_document("application", APPLICATION, strict=True)
    pdf = rendering.render_pdf("application", cleaned)
    path = tmp_path / "a.pdf"
    path.write_bytes(pdf)
    pdffonts, pdftotext = shutil.which("pdffonts"), shutil.which("pdftotext")
    if not pdffonts or not pdftotext:
        pytest.skip("poppler-utils is not installed")
    fonts = subprocess.run([pdffonts, str(path)], capture_output=True, text=True, check=True).stdout  # noqa: S603
    assert "WenQuanYi" in fonts and " yes " in fonts  # embedded
    text = subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True, check=True).stdout  # noqa: S603
    assert "执行申请书" in text and "第1页共" in text.replace(" ", "")
    from docx import Document

    doc = Document(io.BytesIO(rendering.render_docx("application", cleaned)))
    section = doc.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    assert any("执行申请书" in p.text for p in doc.paragraphs)
