"""Every page asks "may" and "may not"."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhixing.documents import services
from zhixing.documents.models import DocStatus, Document, ServiceRecord


@pytest.fixture
def signed_doc(world: Any, matter_of: Any, template_of: Any) -> Document:
    matter = matter_of(world.case, "notice", world.judge)
    doc = services.document_create(
        actor=world.judge, case=world.case, template=template_of("notice"), data={}, matter=matter
    )
    return services.document_sign(actor=world.judge, document=doc)


def test_matter_panel_and_page(world: Any, as_user: Any, matter_of: Any) -> None:
    matter = matter_of(world.case, "dishonest", world.judge)
    for name in ("documents:matter-panel", "documents:matter", "documents:sheet"):
        url = reverse(name, kwargs={"matter_id": matter.pk})
        r = as_user(world.judge).get(url)
        assert r.status_code == 200
        assert as_user(world.judge_outside).get(url).status_code == 403
        assert as_user(world.party).get(url).status_code == 403
        assert as_user(None).get(url).status_code == 302
    body = (
        as_user(world.judge)
        .get(reverse("documents:matter-panel", kwargs={"matter_id": matter.pk}))
        .content.decode()
    )
    for label in ("一键签章并送达", "浏览分表", "浏览总卷", "文书制作", "文书审批级别说明"):
        assert label in body


def test_make_form_prefilled_and_post(world: Any, as_user: Any, matter_of: Any, template_of: Any) -> None:
    matter = matter_of(world.case, "dishonest", world.judge)
    tpl = template_of("limit_consumption")
    url = reverse("documents:make", args=[matter.pk])
    r = as_user(world.judge).get(url + f"?template={tpl.pk}")
    assert r.status_code == 200 and world.case.number in r.content.decode()
    assert "限制消费令" in r.content.decode()
    assert as_user(world.judge_outside).get(url).status_code == 403
    assert as_user(world.field_officer).get(url).status_code == 403
    data = services.form_initial(version=tpl.current, case=world.case, matter=matter)
    r = as_user(world.judge).post(url, {"template": tpl.pk, **data})
    assert r.status_code == 302
    doc = Document.objects.get(matter=matter)
    assert r["Location"] == reverse("documents:document", args=[doc.pk])
    r = as_user(world.judge).post(url, {"template": tpl.pk, **data, "respondent": "长" * 400})
    assert r.status_code == 422
    assert as_user(world.judge_outside).post(url, {"template": tpl.pk, **data}).status_code == 403


def test_document_page_files_and_status(world: Any, as_user: Any, signed_doc: Document) -> None:
    page = reverse("documents:document", args=[signed_doc.pk])
    assert as_user(world.judge).get(page).status_code == 200
    assert as_user(world.judge_outside).get(page).status_code == 403
    r = as_user(world.judge).get(reverse("documents:job-status", args=[signed_doc.pk]))
    assert "生成完成" in r.content.decode() and "hx-trigger" not in r.content.decode()
    pdf = as_user(world.judge).get(reverse("documents:file", args=[signed_doc.pk, "signed"]))
    assert pdf.status_code == 200 and pdf["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in pdf["Content-Security-Policy"]
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    docx = as_user(world.judge).get(reverse("documents:file", args=[signed_doc.pk, "docx"]))
    assert docx.status_code == 200 and docx["Content-Type"].startswith("application/vnd.openxml")
    assert (
        as_user(world.judge_outside).get(reverse("documents:file", args=[signed_doc.pk, "pdf"])).status_code
        == 403
    )
    # ordinary pages keep DENY
    assert as_user(world.judge).get(page)["X-Frame-Options"] == "DENY"


def test_panel_actions(world: Any, as_user: Any, matter_of: Any, template_of: Any) -> None:
    matter = matter_of(world.case, "dishonest", world.judge)
    tpl = template_of("limit_consumption")
    doc = services.document_create(actor=world.judge, case=world.case, template=tpl, data={}, matter=matter)
    url = reverse("documents:matter-action", args=[matter.pk])
    applicant = world.case.parties.get(role="applicant")
    r = as_user(world.judge).post(url, {"action": "sign", "doc": [doc.pk]})
    assert r.status_code == 422 and "未经审批" in r.content.decode()
    assert as_user(world.judge_outside).post(url, {"action": "submit", "doc": [doc.pk]}).status_code == 403
    r = as_user(world.judge).post(url, {"action": "submit", "doc": [doc.pk]})
    assert r.status_code == 200 and "已报批" in r.content.decode()
    step = doc.approval_steps.get()
    assert (
        as_user(world.team_lead)
        .post(reverse("documents:approval-decide", args=[step.pk]), {"decision": "approve"})
        .status_code
        == 403
    )
    r = as_user(world.approver).get(reverse("documents:approvals"))
    assert r.status_code == 200 and "限制消费令" in r.content.decode()
    assert (
        as_user(world.approver).get(reverse("documents:approval-preview", args=[step.pk])).status_code == 200
    )
    assert as_user(world.judge).get(reverse("documents:approval-preview", args=[step.pk])).status_code == 403
    png = as_user(world.approver).get(reverse("documents:approval-page", args=[step.pk, 1]))
    assert png.status_code == 200 and png.content[:4] == b"\x89PNG"
    assert as_user(world.judge).get(reverse("documents:approval-page", args=[step.pk, 1])).status_code == 403
    r = as_user(world.approver).post(
        reverse("documents:approval-decide", args=[step.pk]), {"decision": "approve", "comment": "同意"}
    )
    assert r.status_code == 302
    r = as_user(world.judge).post(
        url, {"action": "sign_serve", "doc": [doc.pk], "party": [applicant.pk]}, HTTP_HX_REQUEST="true"
    )
    assert r.status_code == 200 and "已签章" in r.content.decode() and "已送达1人" in r.content.decode()
    doc.refresh_from_db()
    assert doc.status == DocStatus.SIGNED
    r = as_user(world.judge).post(url, {"action": "print", "doc": [doc.pk]})
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    record = ServiceRecord.objects.get(document=doc)
    assert as_user(world.judge).get(reverse("documents:receipt", args=[record.pk])).status_code == 200
    assert as_user(world.judge_outside).get(reverse("documents:receipt", args=[record.pk])).status_code == 403


def test_print_several(world: Any, as_user: Any, matter_of: Any, template_of: Any) -> None:
    matter = matter_of(world.case, "notice", world.judge)
    docs = [
        services.document_create(
            actor=world.judge, case=world.case, template=template_of(c), data={}, matter=matter
        )
        for c in ("notice", "report_property")
    ]
    r = as_user(world.judge).post(
        reverse("documents:matter-action", args=[matter.pk]), {"action": "print", "doc": [d.pk for d in docs]}
    )
    assert r.status_code == 200
    data = b"".join(r.streaming_content)
    assert (
        data.startswith(b"%PDF")
        and data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") + data.count(b"/Type/Page") >= 0
    )


def test_efile_pages(world: Any, as_user: Any, signed_doc: Document) -> None:
    url = reverse("documents:efile", args=[world.case.pk])
    r = as_user(world.judge).get(url)
    assert r.status_code == 200 and "签章文书" in r.content.decode() and "完整" in r.content.decode()
    assert as_user(world.judge_outside).get(url).status_code == 403
    assert as_user(world.party).get(url).status_code == 403
    up = reverse("documents:efile-upload", args=[world.case.pk])
    f = SimpleUploadedFile("现场照片.png", b"\x89PNG fake", content_type="image/png")
    r = as_user(world.judge).post(up, {"category": "field", "file": f, "title": "现场照片"})
    assert r.status_code == 302
    item = world.case.efile_items.get(title="现场照片")
    assert as_user(world.judge).get(reverse("documents:efile-file", args=[item.pk])).status_code == 200
    assert (
        as_user(world.judge_outside).get(reverse("documents:efile-file", args=[item.pk])).status_code == 403
    )
    f = SimpleUploadedFile("x.txt", b"x")
    assert as_user(world.judge_outside).post(up, {"category": "field", "file": f}).status_code == 403


def test_templates_pages(world: Any, as_user: Any, template_of: Any) -> None:
    tpl = template_of("notice")
    assert as_user(world.judge).get(reverse("documents:templates")).status_code == 200
    assert as_user(world.party).get(reverse("documents:templates")).status_code == 403
    edit = reverse("documents:template-edit", args=[tpl.pk])
    assert as_user(world.judge).get(edit).status_code == 403
    assert as_user(world.team_lead).get(edit).status_code == 200
    r = as_user(world.team_lead).post(
        edit, {"body": tpl.current.body + "<p>附加</p>", "approval_chain": "team_lead"}
    )
    assert r.status_code == 302
    r = as_user(world.team_lead).post(edit, {"body": "{% bad %}", "approval_chain": ""})
    assert r.status_code == 422


def test_party_inbox(world: Any, as_user: Any, signed_doc: Document) -> None:
    applicant = world.case.parties.get(role="applicant")
    (record,) = services.document_serve(actor=world.judge, document=signed_doc, parties=[applicant])
    r = as_user(world.party).get(reverse("documents:inbox"))
    assert r.status_code == 200 and "执行通知书" in r.content.decode()
    assert "执行通知书" not in as_user(world.other_party).get(reverse("documents:inbox")).content.decode()
    assert as_user(None).get(reverse("documents:inbox")).status_code == 302
    detail = reverse("documents:inbox-detail", args=[record.pk])
    assert as_user(world.other_party).get(detail).status_code == 404
    assert as_user(world.judge).get(detail).status_code == 404
    record.refresh_from_db()
    assert record.read_at is None
    r = as_user(world.party).get(detail)
    assert r.status_code == 200
    record.refresh_from_db()
    assert record.read_at is not None
    pdf = as_user(world.party).get(reverse("documents:inbox-pdf", args=[record.pk]))
    assert (
        pdf.status_code == 200
        and b"".join(pdf.streaming_content) == Path(signed_doc.signed_pdf.path).read_bytes()
    )
    assert as_user(world.other_party).get(reverse("documents:inbox-pdf", args=[record.pk])).status_code == 404


def test_styles_pages_are_public(as_user: Any, template_of: Any) -> None:
    template_of("p_apply")
    r = as_user(None).get(reverse("documents:styles"))
    body = r.content.decode()
    assert r.status_code == 200
    for label in (
        "执行申请",
        "执行异议",
        "委托授权书、身份证明书",
        "执行担保保证书",
        "证人证据、申请鉴定",
        "申请顺延期限",
        "申请缓交、减交、免交诉讼费",
        "恢复执行及其他申请",
    ):
        assert label in body
    r = as_user(None).get(reverse("documents:styles") + "?q=担保")
    assert "执行担保保证书" in r.content.decode() and "强制执行申请书" not in r.content.decode()
    assert "没有找到" in as_user(None).get(reverse("documents:styles") + "?q=不存在的文书").content.decode()
    r = as_user(None).get(reverse("documents:style", args=["p_apply"]))
    assert (
        r.status_code == 200
        and "强制执行申请书" in r.content.decode()
        and "第二百四十七条" in r.content.decode()
    )
    assert as_user(None).get(reverse("documents:style", args=["limit_consumption"])).status_code == 404
    docx = as_user(None).get(reverse("documents:style-download", args=["p_apply", "docx"]))
    assert docx.status_code == 200 and b"".join(docx.streaming_content)[:2] == b"PK"
    pdf = as_user(None).get(reverse("documents:style-download", args=["p_apply", "pdf"]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content)[:4] == b"%PDF"
    assert as_user(None).get(reverse("documents:style-download", args=["p_apply", "exe"])).status_code == 404


def test_verify_page(as_user: Any, signed_doc: Document, settings: Any) -> None:
    cache.clear()
    url = reverse("documents:verify-code", args=[signed_doc.verify_code])
    r = as_user(None).get(url)
    assert r.status_code == 200 and signed_doc.case.number in r.content.decode()
    assert as_user(None).get(reverse("documents:verify-code", args=["NOPE123456"])).status_code == 404
    assert (
        as_user(None).get(reverse("documents:verify") + "?code=" + signed_doc.verify_code.lower()).status_code
        == 302
    )
    data = Path(signed_doc.signed_pdf.path).read_bytes()
    r = as_user(None).post(url, {"file": SimpleUploadedFile("a.pdf", data, content_type="application/pdf")})
    assert r.status_code == 200 and "核验通过" in r.content.decode()
    bad = bytearray(data)
    bad[len(bad) // 2] ^= 0x01
    r = as_user(None).post(
        url, {"file": SimpleUploadedFile("a.pdf", bytes(bad), content_type="application/pdf")}
    )
    assert (
        r.status_code == 200 and "核验未通过" in r.content.decode() and "核验通过" not in r.content.decode()
    )
    # the unsigned generated PDF is not the court's signed document either
    unsigned = Path(signed_doc.pdf.path).read_bytes()
    r = as_user(None).post(url, {"file": SimpleUploadedFile("a.pdf", unsigned)})
    assert "核验未通过" in r.content.decode()
    settings.VERIFY_MAX_UPLOAD_BYTES = 10
    assert as_user(None).post(url, {"file": SimpleUploadedFile("a.pdf", data)}).status_code == 413
    settings.VERIFY_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
    for _ in range(30):
        as_user(None).post(url, {})
    assert as_user(None).post(url, {"file": SimpleUploadedFile("a.pdf", data)}).status_code == 429
    cache.clear()


def test_verify_by_hash_without_code(as_user: Any, signed_doc: Document) -> None:
    cache.clear()
    data = Path(signed_doc.signed_pdf.path).read_bytes()
    r = as_user(None).post(
        reverse("documents:verify-code", args=["UNKNOWN"]), {"file": SimpleUploadedFile("a.pdf", data)}
    )
    assert "核验通过" in r.content.decode()
    assert io.BytesIO(data).read(4) == b"%PDF"


def test_api_inbox_and_verify(world: Any, as_user: Any, signed_doc: Document) -> None:
    applicant = world.case.parties.get(role="applicant")
    services.document_serve(actor=world.judge, document=signed_doc, parties=[applicant])
    r = as_user(world.party).get("/api/v1/documents/inbox")
    assert r.status_code == 200 and [i["title"] for i in r.json()] == ["执行通知书"]
    assert as_user(world.other_party).get("/api/v1/documents/inbox").json() == []
    assert as_user(None).get("/api/v1/documents/inbox").status_code == 401
    r = as_user(None).get(f"/api/v1/documents/verify/{signed_doc.verify_code}")
    assert r.status_code == 200 and r.json()["sha256"] == signed_doc.signed_sha256
    assert as_user(None).get("/api/v1/documents/verify/NOPE").status_code == 404


def test_demo_seed_signs_and_serves_a_notice(world: Any) -> None:
    from zhixing.documents import demo

    out = io.StringIO()
    demo.seed(out)
    doc = Document.objects.get()
    assert doc.status == DocStatus.SIGNED and ServiceRecord.objects.filter(document=doc).exists()
    demo.seed(out)
    assert Document.objects.count() == 1


def test_page_image_viewer(world: Any, as_user: Any, signed_doc: Document) -> None:
    url = reverse("documents:page", args=[signed_doc.pk, "signed", 1])
    r = as_user(world.judge).get(url)
    assert r.status_code == 200 and r["Content-Type"] == "image/png" and r.content[:4] == b"\x89PNG"
    assert as_user(world.judge_outside).get(url).status_code == 403
    assert (
        as_user(world.judge).get(reverse("documents:page", args=[signed_doc.pk, "signed", 99])).status_code
        == 404
    )
    page = as_user(world.judge).get(reverse("documents:document", args=[signed_doc.pk])).content.decode()
    assert reverse("documents:page", args=[signed_doc.pk, "signed", 1]) in page
    item = world.case.efile_items.get(category="signed")
    r = as_user(world.judge).get(reverse("documents:efile-page", args=[item.pk, 1]))
    assert r.status_code == 200 and r.content[:4] == b"\x89PNG"
    assert (
        as_user(world.judge_outside).get(reverse("documents:efile-page", args=[item.pk, 1])).status_code
        == 403
    )
    efile = (
        as_user(world.judge)
        .get(reverse("documents:efile", args=[world.case.pk]) + f"?item={item.pk}")
        .content.decode()
    )
    assert reverse("documents:efile-page", args=[item.pk, 1]) in efile
