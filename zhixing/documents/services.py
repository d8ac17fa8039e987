"""Documents: making, approving, signing and serving court documents, and the e-file (电子卷宗).

Every write is a keyword-only function; state changes that matter to a case write an audit event in the same
transaction. Other apps use ``efile_add`` to put materials into a case's e-file.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import close_old_connections, transaction
from django.db.models import Max, Q
from django.template import Context, Template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from zhixing.audit.services import audit_record
from zhixing.cases.models import EnforcementCase, Party
from zhixing.lib import resilience
from zhixing.tasks.core import task
from zhixing.workflow.models import CaseMatter, MatterType

from . import library, render, signing
from .hashing import hash_stream, sha256_hex, sm3_hex
from .models import (
    ApprovalLevel,
    ApprovalStep,
    DocStatus,
    DocTemplate,
    DocTemplateVersion,
    Document,
    EfileCategory,
    EfileItem,
    GenerationJob,
    ServiceRecord,
)
from .permissions import can_act_on_case, can_view_case, may_approve_level

log = logging.getLogger(__name__)
GENESIS = "0" * 64
CN_DIGITS = "〇一二三四五六七八九"
MEASURE_WORDS = {"seal_up": ("查封", "三年"), "freeze": ("冻结", "一年"), "distrain": ("扣押", "二年")}


# ---------------------------------------------------------------------------------------------- templates


def library_sync() -> int:
    """Create the built-in system templates that are missing and bring system templates up to the shipped
    wording with a new version when it changed (idempotent); returns how many templates were created."""
    created = 0
    for order, spec in enumerate(library.ALL_TEMPLATES):
        tpl, made = DocTemplate.objects.get_or_create(
            court=None,
            code=spec["code"],
            defaults={
                "name": spec["name"],
                "kind": spec["kind"],
                "category": spec["category"],
                "matter_codes": spec["matter_codes"],
                "approval_chain": spec["approval_chain"],
                "order": order,
            },
        )
        current = tpl.current
        if current is None:
            DocTemplateVersion.objects.create(
                template=tpl,
                number=1,
                body=spec["body"],
                fields=spec["fields"],
                legal_basis=spec["legal_basis"],
                note="内置版本",
            )
            created += int(made)
        elif (current.body, current.fields, current.legal_basis) != (
            spec["body"],
            spec["fields"],
            spec["legal_basis"],
        ):
            # The shipped wording changed: system templates follow it with a new version (court copies stay).
            DocTemplateVersion.objects.create(
                template=tpl,
                number=current.number + 1,
                body=spec["body"],
                fields=spec["fields"],
                legal_basis=spec["legal_basis"],
                note="内置版本更新",
            )
            tpl.approval_chain = spec["approval_chain"]
            tpl.matter_codes = spec["matter_codes"]
            tpl.save(update_fields=["approval_chain", "matter_codes"])
    return created


def matter_types_ensure() -> None:
    """Make sure the matter types the court templates bind to exist (matched by code, then by name)."""
    for code, _name, _category in library.MATTER_TYPES:
        matter_type_for(code)


def matter_type_for(code: str) -> MatterType:
    """The catalogue's matter type for one of the library codes (by code, then by name; created if missing)."""
    found = MatterType.objects.filter(code=code).first()
    if found is not None:
        return found
    spec = next((m for m in library.MATTER_TYPES if m[0] == code), None)
    if spec is None:
        raise ValueError(f"unknown matter code {code}")
    found = MatterType.objects.filter(name=spec[1]).order_by("id").first()
    return found or MatterType.objects.create(code=code, name=spec[1], category=spec[2])


def _validate_chain(chain: str) -> str:
    parts = [p.strip() for p in chain.split(",") if p.strip()]
    bad = [p for p in parts if p not in ApprovalLevel.values]
    if bad:
        raise ValidationError({"approval_chain": [f"未知的审批级别：{'、'.join(bad)}"]})
    return ",".join(parts)


def template_edit(
    *, actor: Any, template: DocTemplate, court: Any, body: str, approval_chain: str, note: str = ""
) -> DocTemplate:
    """Save a new version of ``template`` for ``court``; editing a system template makes the court's own copy."""
    chain = _validate_chain(approval_chain)
    try:
        Template(body).render(Context({}))
    except Exception as exc:  # template syntax errors are shown to the editor
        raise ValidationError({"body": [f"模板语法错误：{exc}"]}) from exc
    current = template.current
    with transaction.atomic():
        if template.court_id is None:
            own, _ = DocTemplate.objects.get_or_create(
                court=court,
                code=template.code,
                defaults={
                    "name": template.name,
                    "kind": template.kind,
                    "category": template.category,
                    "matter_codes": template.matter_codes,
                    "approval_chain": chain,
                    "order": template.order,
                },
            )
        else:
            own = template
        own.approval_chain = chain
        own.save(update_fields=["approval_chain"])
        # A court copy continues the numbering of the system version it was derived from.
        last = own.versions.aggregate(n=Max("number"))["n"] or (current.number if current else 0)
        DocTemplateVersion.objects.create(
            template=own,
            number=last + 1,
            body=body,
            fields=current.fields if current else [],
            legal_basis=current.legal_basis if current else "",
            note=note[:200],
            created_by=actor,
        )
        audit_record(action="document.template_edit", actor=actor, obj=own, details={"version": last + 1})
    return own


# ---------------------------------------------------------------------------------------------- context


def cn_date(day: dt.date) -> str:
    """二〇二六年十一月二十二日 — the date style of court documents."""

    def num(n: int) -> str:
        if n < 10:
            return "〇一二三四五六七八九"[n]
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")

    year = "".join(CN_DIGITS[int(c)] for c in str(day.year))
    return f"{year}年{num(day.month)}月{num(day.day)}日"


def _money(value: Decimal | None) -> str:
    return f"{value:,.2f}" if value is not None else ""


def _party_line(p: Party) -> str:
    role = p.get_role_display()
    if p.is_natural:
        extra = f"，{p.gender}" if p.gender else ""
        if p.birth_date:
            extra += f"，{p.birth_date.year}年{p.birth_date.month}月{p.birth_date.day}日出生"
        return f"{role}：{p.name}{extra}，公民身份号码{p.masked_id}，住{p.address or '＿＿＿＿'}。"
    line = f"{role}：{p.name}，统一社会信用代码{p.id_number}，住所地{p.address or '＿＿＿＿'}。"
    if p.legal_representative:
        line += f"\n法定代表人：{p.legal_representative}。"
    return line


def case_context(
    *, case: EnforcementCase, matter: CaseMatter | None = None, today: dt.date | None = None
) -> dict[str, str]:
    """Values the forms are pre-filled with, taken from the case, its parties and the matter's data."""
    today = today or timezone.localdate()
    parties = list(case.parties.all())
    applicants = [p for p in parties if p.role == Party.Role.APPLICANT]
    respondents = [p for p in parties if p.role == Party.Role.RESPONDENT]
    first_resp = respondents[0] if respondents else None
    code = matter.matter_type.code if matter is not None else ""
    measure, term = MEASURE_WORDS.get(code, ("查封", "三年"))
    matter_data = matter.data if matter is not None else {}
    prop = matter_data.get("property", "")
    if isinstance(prop, list):
        prop = "；".join(str(x) for x in prop)
    judge = case.judge
    amount = _money(case.amount)
    ctx = {
        "court_name": case.court.name,
        "case_number": case.number,
        "cause": case.cause or "",
        "basis": f"{case.basis_issuer}{case.basis_number}{case.basis_title}",
        "applicant": "、".join(p.name for p in applicants),
        "respondent": "、".join(p.name for p in respondents),
        "parties": "\n".join(_party_line(p) for p in applicants + respondents),
        "respondent_id": first_resp.masked_id if first_resp else "",
        "representative": (first_resp.legal_representative if first_resp else "") or "无",
        "respondent_address": first_resp.address if first_resp else "",
        "respondent_info": _party_line(first_resp) if first_resp else "",
        "subject": _party_line(first_resp).split("：", 1)[-1] if first_resp else "",
        "subject_name": first_resp.name if first_resp else "",
        "amount": amount,
        "obligation": f"向申请执行人支付人民币{amount}元" if amount else "",
        "filed_on": f"{case.filed_on.year}年{case.filed_on.month}月{case.filed_on.day}日",
        "date": cn_date(today),
        "judge": (getattr(judge, "display_name", "") or str(judge)) if judge else "",
        "court_phone": case.court.phone,
        "days": "十",
        "period_start": f"{case.filed_on.year - 1}年{case.filed_on.month}月{case.filed_on.day}日",
        "measure": measure,
        "term": term,
        "property": str(prop),
        "addressee": "、".join(p.name for p in applicants),
        "recipient": "、".join(p.name for p in respondents),
        "address": first_resp.address if first_resp else "",
        "method": "电子送达（智慧执行平台）",
        "pay_days": "七",
        # 失信规定第一条第一项 has no fixed term (第二条 sets two years for items 2–6 only).
        "term_dishonest": "自本决定作出之日起至被执行人履行生效法律文书确定的义务之日止",
        "clause_114": "第一款第六项",
        "clause_dishonest": "第一项",
    }
    return ctx


def form_initial(
    *, version: DocTemplateVersion, case: EnforcementCase, matter: CaseMatter | None
) -> dict[str, str]:
    ctx = case_context(case=case, matter=matter)
    return {f["name"]: ctx.get(f.get("source") or f["name"], "") for f in version.fields}


BLANK = "＿＿＿＿＿＿"


def render_body(*, version: DocTemplateVersion, data: dict[str, Any], blank: str = "") -> str:
    """The body HTML with the form values (escaped); missing values become ``blank``."""
    ctx = {f["name"]: (str(data.get(f["name"], "")).strip() or blank) for f in version.fields}
    return Template(version.body).render(Context(ctx, autoescape=True))


def clean_data(*, version: DocTemplateVersion, data: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for f in version.fields:
        value = str(data.get(f["name"], "") or "").strip()
        limit = 4000 if f.get("kind") == "textarea" else 300
        if len(value) > limit:
            errors[f["name"]] = [f"{f['label']}不能超过{limit}个字符。"]
        out[f["name"]] = value
    if errors:
        raise ValidationError(errors)
    return out


# ---------------------------------------------------------------------------------------------- documents


def _check_act(actor: Any, case: EnforcementCase) -> None:
    if not can_act_on_case(actor, case):
        raise PermissionDenied("您无权办理该案件的文书。")


def document_create(
    *,
    actor: Any,
    case: EnforcementCase,
    template: DocTemplate,
    data: dict[str, Any],
    matter: CaseMatter | None = None,
) -> Document:
    """Save a draft from ``template`` with the edited form values and queue its DOCX/PDF generation."""
    _check_act(actor, case)
    if matter is not None and matter.case_id != case.pk:
        raise ValidationError({"matter": ["事项不属于该案件。"]})
    if template.kind != DocTemplate.Kind.COURT or (template.court_id not in (None, case.court_id)):
        raise ValidationError({"template": ["该模板不能用于本案。"]})
    version = template.current
    if version is None:
        raise ValidationError({"template": ["模板没有可用版本。"]})
    cleaned = clean_data(version=version, data=data)
    with transaction.atomic():
        doc = Document.objects.create(
            case=case,
            matter=matter,
            template_version=version,
            title=template.name,
            data=cleaned,
            approval_chain=template.approval_chain,
            created_by=actor,
        )
        audit_record(
            action="document.create", actor=actor, obj=doc, details={"case": case.number, "title": doc.title}
        )
        job_enqueue(document=doc)
    doc.refresh_from_db()
    return doc


def document_update(*, actor: Any, document: Document, data: dict[str, Any]) -> Document:
    """Edit a document. Drafts and returned documents change in place; a locked one (in approval, approved or
    signed) gets a new version that must be approved again."""
    _check_act(actor, document.case)
    if document.status == DocStatus.SUPERSEDED or hasattr(document, "next_version"):
        raise ValidationError({"document": ["该文书已有新版本，请修改最新版本。"]})
    cleaned = clean_data(version=document.template_version, data=data)
    with transaction.atomic():
        if document.is_locked:
            if document.status == DocStatus.PENDING:
                document.approval_steps.filter(
                    decision__in=[ApprovalStep.Decision.PENDING, ApprovalStep.Decision.WAITING]
                ).update(decision=ApprovalStep.Decision.CANCELLED)
            if document.status != DocStatus.SIGNED:
                document.status = DocStatus.SUPERSEDED
                document.save(update_fields=["status", "updated_at"])
            new = Document.objects.create(
                case=document.case,
                matter=document.matter,
                template_version=document.template_version,
                title=document.title,
                data=cleaned,
                version=document.version + 1,
                previous=document,
                approval_chain=document.approval_chain,
                created_by=actor,
            )
            audit_record(
                action="document.new_version", actor=actor, obj=new, details={"previous": document.pk}
            )
            job_enqueue(document=new)
            new.refresh_from_db()
            return new
        document.data = cleaned
        document.status = DocStatus.DRAFT
        document.pdf_sha256 = ""
        document.save(update_fields=["data", "status", "pdf_sha256", "updated_at"])
        audit_record(action="document.edit", actor=actor, obj=document)
        job_enqueue(document=document)
    document.refresh_from_db()
    return document


def verify_url(document: Document) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + reverse(
        "documents:verify-code", args=[document.verify_code]
    )


def document_generate(*, document: Document) -> Document:
    """Render the document's DOCX and PDF (with the verification QR code) and store them."""
    version = document.template_version
    body = render_body(version=version, data=document.data, blank=BLANK)
    page = render.full_html(
        body_html=body,
        title=document.title,
        verify_code=document.verify_code,
        verify_url=verify_url(document),
    )
    pdf = render.html_to_pdf(page)
    docx = render.html_to_docx(body)
    stem = f"{document.case.number}-{document.title}-v{document.version}".replace("/", "-")
    document.pdf.save(f"{stem}.pdf", ContentFile(pdf.data), save=False)
    document.docx.save(f"{stem}.docx", ContentFile(docx), save=False)
    document.pdf_sha256 = sha256_hex(pdf.data)
    document.pages = pdf.pages
    document.seal_page = pdf.seal_page
    document.seal_box = ",".join(str(v) for v in pdf.seal_box)
    document.save(update_fields=["pdf", "docx", "pdf_sha256", "pages", "seal_page", "seal_box", "updated_at"])
    return document


def job_enqueue(*, document: Document) -> GenerationJob:
    """Queue generation. Mode ``inline`` runs it now; ``worker`` leaves it for ``manage.py documents_worker``;
    any other mode (default ``thread``) hands it to the task layer (``generation_task``) after commit, in the
    same transaction as the job row, so a committed document is always generated."""
    job = GenerationJob.objects.create(document=document)
    mode = settings.DOCUMENTS_GENERATION_MODE
    if mode == "inline":
        job_run(job_id=job.pk)
    elif mode != "worker":
        generation_task.enqueue(job_id=job.pk)
    return job


@task(background=True)
def generation_task(*, job_id: int) -> None:
    """Task-layer entry for one generation job. Idempotent: a finished or failed job is left alone; a job left
    running by a worker that died is run again (the task layer's lease lets only one executor in at a time,
    and regeneration overwrites the same files)."""
    if GenerationJob.objects.filter(
        pk=job_id, status__in=[GenerationJob.Status.QUEUED, GenerationJob.Status.RUNNING]
    ).update(status=GenerationJob.Status.RUNNING, started_at=timezone.now()):
        job_run(job_id=job_id, claimed=True)


# A job running longer than this is taken to be abandoned (its worker died) and may be claimed again.
JOB_STALE = dt.timedelta(minutes=10)


def _claimable() -> Q:
    return Q(status=GenerationJob.Status.QUEUED) | Q(
        status=GenerationJob.Status.RUNNING, started_at__lt=timezone.now() - JOB_STALE
    )


def job_claim(*, job_id: int) -> bool:
    return bool(
        GenerationJob.objects.filter(_claimable(), pk=job_id).update(
            status=GenerationJob.Status.RUNNING, started_at=timezone.now()
        )
    )


def job_run(*, job_id: int, claimed: bool = False) -> GenerationJob:
    """Run one generation job (claimed atomically so two workers never run the same job)."""
    if not claimed and not job_claim(job_id=job_id):
        return GenerationJob.objects.get(pk=job_id)
    job = GenerationJob.objects.select_related("document__case__court", "document__template_version").get(
        pk=job_id
    )
    try:
        document_generate(document=job.document)
    except Exception as exc:  # the failure is shown on the document page and can be retried
        log.exception("document generation failed: job %s", job_id)
        GenerationJob.objects.filter(pk=job_id).update(
            status=GenerationJob.Status.FAILED,
            error=str(exc)[:2000],
            finished_at=timezone.now(),
            attempts=job.attempts + 1,
        )
    else:
        GenerationJob.objects.filter(pk=job_id).update(
            status=GenerationJob.Status.DONE, finished_at=timezone.now(), attempts=job.attempts + 1
        )
    job.refresh_from_db()
    return job


def job_retry(*, actor: Any, document: Document) -> GenerationJob:
    _check_act(actor, document.case)
    return job_enqueue(document=document)


def worker_loop(*, once: bool = False, sleep: float = 1.0) -> int:
    """Process queued jobs until stopped (or until the queue is empty with ``once``); returns jobs run."""
    done = 0
    while True:
        job = GenerationJob.objects.filter(_claimable()).order_by("id").first()
        if job is None:
            if once:
                return done
            close_old_connections()
            time.sleep(sleep)
            continue
        if job_claim(job_id=job.pk):
            job_run(job_id=job.pk, claimed=True)
            done += 1


def generation_ready(document: Document) -> bool:
    job = document.jobs.order_by("-id").first()
    return bool(document.pdf) and (job is None or job.status == GenerationJob.Status.DONE)


# ---------------------------------------------------------------------------------------------- approvals


def document_submit(*, actor: Any, document: Document) -> Document:
    """文书报批: open the template's approval chain; the first step becomes pending."""
    _check_act(actor, document.case)
    if not document.needs_approval:
        raise ValidationError({"document": ["该文书无需审批，可直接签章。"]})
    if document.status not in {DocStatus.DRAFT, DocStatus.RETURNED}:
        raise ValidationError({"document": [f"文书当前状态为“{document.get_status_display()}”，不能报批。"]})
    if not generation_ready(document):
        raise ValidationError({"document": ["文书尚未生成完成，请稍候再报批。"]})
    with transaction.atomic():
        for i, level in enumerate(document.chain):
            ApprovalStep.objects.create(
                document=document,
                sequence=i + 1,
                level=level,
                submitted_by=actor,
                decision=ApprovalStep.Decision.PENDING if i == 0 else ApprovalStep.Decision.WAITING,
            )
        document.status = DocStatus.PENDING
        document.save(update_fields=["status", "updated_at"])
        audit_record(
            action="document.submit", actor=actor, obj=document, details={"chain": document.approval_chain}
        )
    return document


def approval_decide(*, actor: Any, step: ApprovalStep, approve: bool, comment: str = "") -> ApprovalStep:
    """Approve (the next step opens, or the document is approved) or return with comments. No self-approval."""
    document = step.document
    if step.decision != ApprovalStep.Decision.PENDING or document.status != DocStatus.PENDING:
        raise ValidationError({"step": ["该审批已处理或尚未轮到。"]})
    if not may_approve_level(actor, document.case, step.level):
        raise PermissionDenied("您不是该级别的审批人。")
    if (
        actor.pk in {document.created_by_id, step.submitted_by_id}
        or document.approval_steps.filter(approver=actor, decision=ApprovalStep.Decision.APPROVED).exists()
    ):
        raise PermissionDenied("不能审批本人制作或报批的文书，也不能重复审批。")
    comment = comment.strip()
    if not approve and not comment:
        raise ValidationError({"comment": ["退回时请填写审批意见。"]})
    with transaction.atomic():
        step.decision = ApprovalStep.Decision.APPROVED if approve else ApprovalStep.Decision.RETURNED
        step.approver = actor
        step.comment = comment[:2000]
        step.acted_at = timezone.now()
        step.save()
        if not approve:
            document.approval_steps.filter(decision=ApprovalStep.Decision.WAITING).update(
                decision=ApprovalStep.Decision.CANCELLED
            )
            document.status = DocStatus.RETURNED
        else:
            nxt = (
                document.approval_steps.filter(decision=ApprovalStep.Decision.WAITING)
                .order_by("sequence")
                .first()
            )
            if nxt is not None:
                nxt.decision = ApprovalStep.Decision.PENDING
                nxt.save(update_fields=["decision"])
            else:
                document.status = DocStatus.APPROVED
        document.save(update_fields=["status", "updated_at"])
        audit_record(
            action="document.approve" if approve else "document.return",
            actor=actor,
            obj=document,
            details={"level": step.level, "comment": comment[:200]},
        )
    if document.created_by_id and document.created_by.kind == "staff":
        from zhixing.notifications.services import notice_send

        notice_send(
            user=document.created_by,
            title=f"《{document.title}》{'审批通过' if document.status == DocStatus.APPROVED else ('已退回' if not approve else '进入下一级审批')}",
            body=comment,
            link=reverse("documents:document", args=[document.pk]),
            category="document",
        )
    return step


# ---------------------------------------------------------------------------------------------- signing


def document_sign(*, actor: Any, document: Document) -> Document:
    """一键签章: PAdES-sign the approved PDF with the court seal, verify the signature at once, file it."""
    _check_act(actor, document.case)
    if document.status == DocStatus.SIGNED:
        return document
    if not document.may_sign:
        raise ValidationError({"document": [f"《{document.title}》未经审批，不能签章。"]})
    if not generation_ready(document):
        raise ValidationError({"document": [f"《{document.title}》尚未生成完成，不能签章。"]})
    court = document.case.court
    with document.pdf.open("rb") as handle:
        pdf = handle.read()
    if sha256_hex(pdf) != document.pdf_sha256:
        raise ValidationError({"document": ["文书文件与生成记录不一致，请重新生成。"]})
    provider = signing.provider_for(court_id=court.pk, court_name=court.name)
    placement = signing.SealPlacement(page=document.seal_page, box=document.seal_box_tuple())
    try:
        signed = signing.sign_pdf(pdf, provider=provider, court_name=court.name, placement=placement)
    except signing.SigningError as exc:
        raise ValidationError({"document": [str(exc)]}) from exc
    check = signing.validate_pdf(signed)
    if not check.ok:
        raise ValidationError({"document": [f"签章后验证未通过：{check.summary}"]})
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        if locked.status == DocStatus.SIGNED:
            return locked
        stem = f"{document.case.number}-{document.title}-v{document.version}-签章".replace("/", "-")
        locked.signed_pdf.save(f"{stem}.pdf", ContentFile(signed), save=False)
        locked.signed_sha256 = sha256_hex(signed)
        locked.signed_at = timezone.now()
        locked.signed_by = actor
        locked.signer_subject = check.signer[:300]
        locked.status = DocStatus.SIGNED
        locked.save()
        efile_add(
            case=locked.case,
            file=ContentFile(signed, name=f"{stem}.pdf"),
            category=EfileCategory.SIGNED,
            source="文书签章",
            actor=actor,
            matter=locked.matter,
            title=f"{locked.title}（签章版）",
            document=locked,
        )
        audit_record(
            action="document.sign", actor=actor, obj=locked, details={"sha256": locked.signed_sha256}
        )
    return locked


def documents_sign(*, actor: Any, documents: list[Document]) -> tuple[list[Document], list[str]]:
    """Sign several documents; returns the signed ones and the error messages of the others."""
    done, errors = [], []
    for doc in documents:
        try:
            done.append(document_sign(actor=actor, document=doc))
        except (ValidationError, PermissionDenied) as exc:
            errors.append(_message(exc))
    return done, errors


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return (
            "；".join(m for msgs in exc.message_dict.values() for m in msgs)
            if hasattr(exc, "error_dict")
            else "；".join(exc.messages)
        )
    return str(exc)


# ---------------------------------------------------------------------------------------------- service


def _receipt(record: ServiceRecord) -> None:
    html = render_to_string("documents/pdf/receipt.html", {"r": record, "doc": record.document})
    pdf = render.html_to_pdf(html).data
    record.receipt_pdf.save(
        f"送达凭证-{record.document.case.number}-{record.pk}.pdf".replace("/", "-"),
        ContentFile(pdf),
        save=False,
    )
    record.receipt_sha256 = sha256_hex(pdf)
    ServiceRecord.objects.filter(pk=record.pk).update(
        receipt_pdf=record.receipt_pdf.name, receipt_sha256=record.receipt_sha256
    )


def document_serve(*, actor: Any, document: Document, parties: list[Party]) -> list[ServiceRecord]:
    """一键送达: deliver a signed document to the parties' inboxes with an SMS and in-app notice, record the
    times and produce the 电子送达凭证 (filed in the e-file)."""
    _check_act(actor, document.case)
    if document.status != DocStatus.SIGNED:
        raise ValidationError({"document": [f"《{document.title}》尚未签章，不能送达。"]})
    if not parties:
        raise ValidationError({"parties": ["请选择受送达人。"]})
    from zhixing.notifications.services import notice_send, sms_send

    records = []
    for party in parties:
        if party.case_id != document.case_id:
            raise ValidationError({"parties": ["受送达人不属于本案。"]})
        now = timezone.now()
        # The record, its audit event, the in-app notice and the SMS (outbox row + delivery task) commit
        # together: a request that dies half-way leaves nothing or everything, and serving again is a no-op.
        with transaction.atomic():
            record, created = ServiceRecord.objects.get_or_create(
                document=document,
                party=party,
                defaults={
                    "document_sha256": document.signed_sha256,
                    "sent_at": now,
                    "arrived_at": now if party.user_id else None,
                    "served_by": actor,
                },
            )
            if created:
                audit_record(
                    action="document.serve",
                    actor=actor,
                    obj=record,
                    details={"document": document.pk, "party": party.pk},
                )
                if party.user_id:
                    notice_send(
                        user=party.user,
                        title=f"您有新的执行文书：《{document.title}》",
                        body=f"案号：{document.case.number}",
                        link=reverse("documents:inbox-detail", args=[record.pk]),
                        category="document",
                        dedupe_key=f"document-served-{record.pk}",
                    )
                if party.phone:
                    try:
                        sms = sms_send(
                            phone=party.phone,
                            template="document_served",
                            params={"title": document.title, "case_number": document.case.number},
                            idempotency_key=f"document-served-{record.pk}",
                        )
                        record.sms_status = sms.get_status_display()
                    except (ValidationError, ValueError) as exc:
                        record.sms_status = f"未发送：{_message(exc)}"[:20]
                    ServiceRecord.objects.filter(pk=record.pk).update(sms_status=record.sms_status)
        if created or not record.receipt_pdf:
            # Also completes a record whose receipt was never made (the serving request died after commit).
            _receipt(record)
            with record.receipt_pdf.open("rb") as handle:
                efile_add(
                    case=document.case,
                    file=ContentFile(handle.read(), name="receipt.pdf"),
                    category=EfileCategory.RECEIPT,
                    source="电子送达",
                    actor=actor,
                    matter=document.matter,
                    title=f"电子送达凭证：《{document.title}》→{party.name}",
                    document=document,
                )
        records.append(record)
    return records


def service_arrive(*, user: Any, records: list[ServiceRecord]) -> None:
    """Mark records as arrived when the party's inbox first lists them (parties linked after sending)."""
    ids = [r.pk for r in records if r.arrived_at is None and r.party.user_id == user.pk]
    if ids:
        ServiceRecord.objects.filter(pk__in=ids, arrived_at__isnull=True).update(arrived_at=timezone.now())


def service_open(*, user: Any, record: ServiceRecord) -> ServiceRecord:
    """The party opens the document: the first opening is the read (signed-for) time; the receipt is renewed."""
    if record.party.user_id != user.pk:
        raise PermissionDenied("无权查看该文书。")
    if record.read_at is None:
        now = timezone.now()
        with transaction.atomic():
            ServiceRecord.objects.filter(pk=record.pk, read_at__isnull=True).update(read_at=now)
            ServiceRecord.objects.filter(pk=record.pk, arrived_at__isnull=True).update(arrived_at=now)
            audit_record(action="document.read", actor=user, obj=record)
        record.refresh_from_db()
        _receipt(record)
        with record.receipt_pdf.open("rb") as handle:
            efile_add(
                case=record.document.case,
                file=ContentFile(handle.read(), name="receipt.pdf"),
                category=EfileCategory.RECEIPT,
                source="电子送达（已签收）",
                actor=None,
                matter=record.document.matter,
                title=f"电子送达凭证（已签收）：《{record.document.title}》→{record.party.name}",
                document=record.document,
            )
    return record


# ---------------------------------------------------------------------------------------------- e-file


def _chain_hash(
    *, prev: str, case_id: int, seq: int, sha256: str, sm3: str, category: str, title: str, at: dt.datetime
) -> str:
    return sha256_hex(f"{prev}|{case_id}|{seq}|{sha256}|{sm3}|{category}|{title}|{at.isoformat()}".encode())


def _stored_name(original: str) -> str:
    """A server-made storage name: random, keeping only a short plain extension of the uploader's name."""
    import re
    import uuid
    from pathlib import PurePosixPath

    suffix = PurePosixPath(original.replace("\\", "/")).suffix.lower()
    if not re.fullmatch(r"\.[a-z0-9]{1,8}", suffix):
        suffix = ".bin"
    return f"{uuid.uuid4().hex}{suffix}"


def efile_add(
    *,
    case: EnforcementCase,
    file: File | bytes,
    category: str,
    source: str,
    actor: Any,
    matter: CaseMatter | None = None,
    title: str = "",
    document: Document | None = None,
    content_type: str = "",
) -> EfileItem:
    """Append a material to the case's e-file with its SHA-256 and SM3 hashes, chained to the previous entry.

    ``file`` is a Django ``File``/upload (its name is kept) or raw bytes. ``category`` is an ``EfileCategory``
    value; ``source`` says where it came from (当事人线索, 外勤任务 …). Safe to call inside the caller's transaction.
    """
    if category not in EfileCategory.values:
        raise ValidationError({"category": ["未知的卷宗材料类别。"]})
    if isinstance(file, bytes | bytearray):
        upload: File = ContentFile(bytes(file))
        name = title or "material.bin"
    else:
        upload = file
        name = getattr(file, "name", "") or title or "material.bin"
        content_type = content_type or getattr(file, "content_type", "") or ""
    # Hash chunk by chunk and let the storage stream the file: a 200 MB clue video never sits in memory.
    upload.seek(0)
    sha, sm, size = hash_stream(upload.chunks())
    upload.seek(0)
    if not size:
        raise ValidationError({"file": ["文件为空。"]})
    name = name.rsplit("/", 1)[-1]
    title = (title or name)[:200]
    with resilience.storage_errors("file"), transaction.atomic():
        # NO KEY UPDATE: serialises appends per case without blocking the deferred FK checks (KEY SHARE) of
        # other transactions inserting rows of this case, which would deadlock against the audit-chain lock.
        EnforcementCase.objects.select_for_update(no_key=True).filter(pk=case.pk).first()
        last = EfileItem.objects.filter(case=case).order_by("-seq").first()
        seq = (last.seq + 1) if last else 1
        prev = last.chain_hash if last else GENESIS
        now = timezone.now().replace(microsecond=0)
        item = EfileItem(
            case=case,
            matter=matter,
            document=document,
            seq=seq,
            category=category,
            source=source[:60],
            title=title,
            content_type=content_type[:100] or ("application/pdf" if name.lower().endswith(".pdf") else ""),
            size=size,
            sha256=sha,
            sm3=sm,
            prev_hash=prev,
            chain_hash=_chain_hash(
                prev=prev,
                case_id=case.pk,
                seq=seq,
                sha256=sha,
                sm3=sm,
                category=category,
                title=title,
                at=now,
            ),
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
            uploaded_at=now,
        )
        item.file.save(_stored_name(name), upload, save=False)  # the uploader's name stays in ``title``
        item.save()
        audit_record(
            action="efile.add",
            actor=actor,
            obj=item,
            details={"case": case.number, "sha256": sha, "category": category},
        )
    return item


def efile_verify_chain(*, case: EnforcementCase, check_files: bool = True) -> tuple[bool, int | None]:
    """Recompute the chain (and the file hashes); returns (intact, first bad sequence number)."""
    prev = GENESIS
    for item in EfileItem.objects.filter(case=case).order_by("seq"):
        if item.prev_hash != prev:
            return False, item.seq
        expected = _chain_hash(
            prev=prev,
            case_id=case.pk,
            seq=item.seq,
            sha256=item.sha256,
            sm3=item.sm3,
            category=item.category,
            title=item.title,
            at=item.uploaded_at,
        )
        if expected != item.chain_hash:
            return False, item.seq
        if check_files:
            with item.file.open("rb") as handle:
                data = handle.read()
            if sha256_hex(data) != item.sha256 or sm3_hex(data) != item.sm3:
                return False, item.seq
        prev = item.chain_hash
    return True, None


def staff_may_view(user: Any, case: EnforcementCase) -> bool:
    return can_view_case(user, case)
