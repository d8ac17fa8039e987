"""Making, approving, signing, serving and reading a document; versions; the e-file chain."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile

from zhixing.cases.models import Party
from zhixing.documents import selectors, services, signing
from zhixing.documents.models import ApprovalStep, DocStatus, EfileItem, GenerationJob, ServiceRecord
from zhixing.notifications.models import Notice, SmsMessage


def _limit_order(world: Any, matter_of: Any, template_of: Any) -> Any:
    matter = matter_of(world.case, "dishonest", world.judge)
    tpl = template_of("limit_consumption")
    data = services.form_initial(version=tpl.current, case=world.case, matter=matter)
    return services.document_create(
        actor=world.judge, case=world.case, template=tpl, data=data, matter=matter
    )


def test_every_court_template_renders_with_case_values(world: Any, matter_of: Any, template_of: Any) -> None:
    from zhixing.documents.library import ALL_TEMPLATES

    matter = matter_of(world.case, "seal_up", world.judge)
    for spec in ALL_TEMPLATES:
        tpl = template_of(spec["code"])
        data = services.form_initial(version=tpl.current, case=world.case, matter=matter)
        html = services.render_body(version=tpl.current, data=data, blank=services.BLANK)
        assert "{{" not in html and "{%" not in html
        if spec["kind"] == "court":
            assert world.court.name in html and world.case.number in html
            assert 'id="seal"' in html
            assert spec["legal_basis"].split("》")[0].lstrip("《") in html or "依照" in html


def test_templates_bind_to_matter_types_by_code_or_name(world: Any, matter_of: Any) -> None:
    bound, _ = selectors.templates_for_matter(matter=matter_of(world.case, "dishonest"))
    codes = {t.code for t in bound}
    assert {"limit_consumption", "dishonest_decision"} <= codes
    assert "fine_decision" not in codes


def test_make_approve_sign_serve_read(world: Any, matter_of: Any, template_of: Any) -> None:
    Party.objects.filter(case=world.case, role="applicant").update(phone="")
    applicant = world.case.parties.get(role="applicant")
    applicant.phone = "13900000001"
    applicant.save()
    doc = _limit_order(world, matter_of, template_of)
    doc.refresh_from_db()
    assert doc.status == DocStatus.DRAFT and doc.jobs.get().status == GenerationJob.Status.DONE
    assert doc.pdf and doc.docx and doc.pages >= 1 and doc.chain == ["president"]
    with pytest.raises(ValidationError, match="未经审批"):
        services.document_sign(actor=world.judge, document=doc)
    services.document_submit(actor=world.judge, document=doc)
    step = doc.approval_steps.get()
    # a team lead is not a president, the judge outside is not of this court
    with pytest.raises(PermissionDenied):
        services.approval_decide(actor=world.team_lead, step=step, approve=True)
    with pytest.raises(ValidationError):
        services.approval_decide(actor=world.approver, step=step, approve=False, comment="")
    services.approval_decide(actor=world.approver, step=step, approve=True, comment="同意")
    doc.refresh_from_db()
    assert doc.status == DocStatus.APPROVED
    signed = services.document_sign(actor=world.judge, document=doc)
    assert signed.status == DocStatus.SIGNED and signed.signed_sha256
    with signed.signed_pdf.open("rb") as fh:
        data = fh.read()
    assert signing.validate_pdf(data).ok
    assert EfileItem.objects.filter(document=signed, category="signed").exists()
    records = services.document_serve(actor=world.judge, document=signed, parties=[applicant])
    record = records[0]
    assert record.arrived_at is not None and record.read_at is None and record.receipt_pdf
    assert Notice.objects.filter(user=world.party, category="document").exists()
    sms = SmsMessage.objects.get(idempotency_key=f"document-served-{record.pk}")
    assert sms.template == "document_served"
    # serving again is idempotent
    services.document_serve(actor=world.judge, document=signed, parties=[applicant])
    assert ServiceRecord.objects.filter(document=signed).count() == 1
    assert SmsMessage.objects.filter(idempotency_key=f"document-served-{record.pk}").count() == 1
    with pytest.raises(PermissionDenied):
        services.service_open(user=world.other_party, record=record)
    services.service_open(user=world.party, record=record)
    record.refresh_from_db()
    first_read = record.read_at
    assert first_read is not None
    services.service_open(user=world.party, record=record)
    record.refresh_from_db()
    assert record.read_at == first_read
    ok, bad = services.efile_verify_chain(case=world.case)
    assert ok and bad is None


def test_no_self_approval(world: Any, matter_of: Any, template_of: Any) -> None:
    matter = matter_of(world.case, "seal_up", world.team_lead)
    tpl = template_of("ruling_seal_up")
    doc = services.document_create(
        actor=world.team_lead, case=world.case, template=tpl, data={}, matter=matter
    )
    services.document_submit(actor=world.team_lead, document=doc)
    step = doc.approval_steps.get()
    assert step.level == "team_lead"
    with pytest.raises(PermissionDenied, match="不能审批本人"):
        services.approval_decide(actor=world.team_lead, step=step, approve=True)
    assert step not in selectors.pending_approvals_for(user=world.team_lead)


def test_sequential_chain_and_return(world: Any, matter_of: Any, template_of: Any) -> None:
    matter = matter_of(world.case, "closing", world.judge)
    doc = services.document_create(
        actor=world.judge,
        case=world.case,
        template=template_of("ruling_terminate_round"),
        data={},
        matter=matter,
    )
    services.document_submit(actor=world.judge, document=doc)
    first, second = doc.approval_steps.order_by("sequence")
    assert (first.decision, second.decision) == ("pending", "waiting")
    with pytest.raises(ValidationError):  # not yet its turn
        services.approval_decide(actor=world.approver, step=second, approve=True)
    services.approval_decide(actor=world.team_lead, step=first, approve=True)
    second.refresh_from_db()
    assert second.decision == "pending"
    services.approval_decide(actor=world.approver, step=second, approve=False, comment="事实部分需补充")
    doc.refresh_from_db()
    assert doc.status == DocStatus.RETURNED
    services.document_update(actor=world.judge, document=doc, data={**doc.data, "measures": "查询银行存款"})
    doc.refresh_from_db()
    assert doc.status == DocStatus.DRAFT and doc.version == 1


def test_approved_document_is_locked_and_edits_make_a_new_version(
    world: Any, matter_of: Any, template_of: Any
) -> None:
    doc = _limit_order(world, matter_of, template_of)
    services.document_submit(actor=world.judge, document=doc)
    services.approval_decide(actor=world.approver, step=doc.approval_steps.get(), approve=True)
    doc.refresh_from_db()
    new = services.document_update(
        actor=world.judge, document=doc, data={**doc.data, "respondent": "改后的名称"}
    )
    assert (
        new.pk != doc.pk and new.version == 2 and new.status == DocStatus.DRAFT and new.previous_id == doc.pk
    )
    doc.refresh_from_db()
    assert doc.status == DocStatus.SUPERSEDED
    with pytest.raises(ValidationError, match="未经审批"):
        services.document_sign(actor=world.judge, document=new)
    assert list(selectors.documents_for_matter(doc.matter)) == [new]
    with pytest.raises(ValidationError):
        services.document_update(actor=world.judge, document=doc, data=doc.data)


def test_document_without_approval_signs_directly_and_outsiders_may_not(
    world: Any, matter_of: Any, template_of: Any
) -> None:
    matter = matter_of(world.case, "notice", world.judge)
    tpl = template_of("notice")
    with pytest.raises(PermissionDenied):
        services.document_create(
            actor=world.judge_outside, case=world.case, template=tpl, data={}, matter=matter
        )
    doc = services.document_create(actor=world.judge, case=world.case, template=tpl, data={}, matter=matter)
    with pytest.raises(ValidationError, match="无需审批"):
        services.document_submit(actor=world.judge, document=doc)
    with pytest.raises(PermissionDenied):
        services.document_sign(actor=world.judge_outside, document=doc)
    signed, errors = services.documents_sign(
        actor=world.judge, documents=[doc, _limit_order(world, matter_of, template_of)]
    )
    assert [d.pk for d in signed] == [doc.pk] and len(errors) == 1 and "未经审批" in errors[0]
    with pytest.raises(ValidationError, match="选择受送达人"):
        services.document_serve(actor=world.judge, document=signed[0], parties=[])


def test_worker_mode_leaves_jobs_for_the_worker(
    world: Any, matter_of: Any, template_of: Any, settings: Any
) -> None:
    settings.DOCUMENTS_GENERATION_MODE = "worker"
    doc = _limit_order(world, matter_of, template_of)
    job = doc.jobs.get()
    assert job.status == GenerationJob.Status.QUEUED and not doc.pdf
    with pytest.raises(ValidationError, match="尚未生成"):
        services.document_submit(actor=world.judge, document=doc)
    assert services.worker_loop(once=True) == 1
    job.refresh_from_db()
    doc.refresh_from_db()
    assert job.status == GenerationJob.Status.DONE and doc.pdf
    assert services.worker_loop(once=True) == 0


def test_failed_generation_is_visible(world: Any, matter_of: Any, template_of: Any, monkeypatch: Any) -> None:
    def boom(**kwargs: Any) -> None:
        raise RuntimeError("字体缺失")

    monkeypatch.setattr(services, "document_generate", boom)
    doc = _limit_order(world, matter_of, template_of)
    job = doc.jobs.get()
    assert job.status == GenerationJob.Status.FAILED and "字体缺失" in job.error


def test_efile_is_an_append_only_hash_chain(world: Any) -> None:
    items = [
        services.efile_add(
            case=world.case,
            file=ContentFile(f"材料{i}".encode(), name=f"m{i}.txt"),
            category="party",
            source="当事人线索",
            actor=world.judge,
        )
        for i in range(3)
    ]
    assert [i.seq for i in items] == [1, 2, 3]
    assert items[1].prev_hash == items[0].chain_hash and items[0].prev_hash == "0" * 64
    assert items[0].sm3 == services.sm3_hex("材料0".encode())
    assert services.efile_verify_chain(case=world.case) == (True, None)
    with pytest.raises(ValueError, match="只能追加"):
        items[1].save()
    with pytest.raises(ValueError, match="只能追加"):
        items[1].delete()
    EfileItem.objects.filter(pk=items[1].pk).update(title="被改过的名称")
    assert services.efile_verify_chain(case=world.case) == (False, 2)
    EfileItem.objects.filter(pk=items[1].pk).update(title=items[1].title)
    with open(items[2].file.path, "wb") as fh:
        fh.write(b"changed")
    assert services.efile_verify_chain(case=world.case) == (False, 3)
    with pytest.raises(ValidationError):
        services.efile_add(case=world.case, file=b"x", category="nonsense", source="x", actor=None)
    other = services.efile_add(
        case=world.other_case,
        file=b"raw bytes",
        category="field",
        source="外勤任务",
        actor=None,
        title="照片.jpg",
    )
    assert other.seq == 1


def test_template_edit_makes_a_court_copy_with_a_new_version(world: Any, template_of: Any) -> None:
    tpl = template_of("notice")
    body = tpl.current.body.replace("逾期不履行的", "逾期仍不履行的")
    own = services.template_edit(
        actor=world.team_lead, template=tpl, court=world.court, body=body, approval_chain="team_lead"
    )
    assert (
        own.pk != tpl.pk
        and own.court_id == world.court.pk
        and own.current.number == 2
        and own.chain == ["team_lead"]
    )
    assert [t.pk for t in selectors.templates_for_court(court_id=world.court.pk) if t.code == "notice"] == [
        own.pk
    ]
    assert [
        t.pk for t in selectors.templates_for_court(court_id=world.other_court.pk) if t.code == "notice"
    ] == [tpl.pk]
    with pytest.raises(ValidationError):
        services.template_edit(
            actor=world.team_lead, template=own, court=world.court, body="{% if %}", approval_chain=""
        )
    with pytest.raises(ValidationError):
        services.template_edit(
            actor=world.team_lead, template=own, court=world.court, body="x", approval_chain="mayor"
        )


def test_cn_date() -> None:
    import datetime as dt

    assert services.cn_date(dt.date(2026, 11, 22)) == "二〇二六年十一月二十二日"
    assert services.cn_date(dt.date(2025, 1, 10)) == "二〇二五年一月十日"
    assert services.cn_date(dt.date(2024, 12, 31)) == "二〇二四年十二月三十一日"


def test_approval_step_model_defaults() -> None:
    assert ApprovalStep.Decision.PENDING.label == "待审批"


def test_library_sync_is_idempotent_and_follows_shipped_wording(db: Any, monkeypatch: Any) -> None:
    from zhixing.documents import library
    from zhixing.documents.models import DocTemplate

    services.library_sync()
    count = DocTemplate.objects.count()
    assert services.library_sync() == 0 and DocTemplate.objects.count() == count
    notice = DocTemplate.objects.get(court__isnull=True, code="notice")
    before = notice.current.number
    spec = next(s for s in library.ALL_TEMPLATES if s["code"] == "notice")
    monkeypatch.setitem(spec, "body", spec["body"] + "<p>新增段落</p>")
    services.library_sync()
    assert notice.current.number == before + 1 and "新增段落" in notice.current.body
    services.library_sync()
    assert notice.current.number == before + 1
