"""Workbench pages (matter panel, 文书制作, 报批, 签章, 送达, 卷宗, templates) and portal pages (我的文书, 文书样式,
public verification)."""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhixing.cases.models import EnforcementCase, Party
from zhixing.lib import ratelimit
from zhixing.workbench.access import staff_required
from zhixing.workflow.models import CaseMatter

from . import library, selectors, services, signing
from . import render as doc_render
from .hashing import sha256_hex
from .models import (
    ApprovalLevel,
    ApprovalStep,
    DocStatus,
    DocTemplate,
    Document,
    EfileCategory,
    EfileItem,
    ServiceRecord,
)
from .permissions import can_act_on_case, can_view_case, may_approve_level

FRAMEABLE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; object-src 'self'; "
    "frame-ancestors 'self'; base-uri 'none'"
)


def _errors(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [m for msgs in exc.message_dict.values() for m in msgs]
    return list(exc.messages)


def _case_for_staff(request: HttpRequest, case: EnforcementCase) -> EnforcementCase:
    if not can_view_case(request.user, case):
        raise PermissionDenied("您无权查看该案件。")
    return case


def _matter(request: HttpRequest, matter_id: int) -> CaseMatter:
    matter = get_object_or_404(CaseMatter.objects.select_related("case__court", "matter_type"), pk=matter_id)
    _case_for_staff(request, matter.case)
    return matter


def _document(request: HttpRequest, pk: int) -> Document:
    doc = get_object_or_404(
        Document.objects.select_related("case__court", "matter__matter_type", "template_version__template"),
        pk=pk,
    )
    _case_for_staff(request, doc.case)
    return doc


def _pdf_response(data_or_file: Any, filename: str, *, inline: bool = True) -> HttpResponse:
    response = FileResponse(
        data_or_file, content_type="application/pdf", as_attachment=not inline, filename=filename
    )
    response["Content-Security-Policy"] = FRAMEABLE_CSP
    response["Cache-Control"] = "no-store"
    return cast(HttpResponse, response)


def _panel_context(request: HttpRequest, matter: CaseMatter) -> dict[str, Any]:
    docs = list(selectors.documents_for_matter(matter))
    return {
        "matter": matter,
        "case": matter.case,
        "docs": docs,
        "parties": list(matter.case.parties.all()),
        "may_act": can_act_on_case(request.user, matter.case),
        "levels": ApprovalLevel.choices,
    }


# ------------------------------------------------------------------------------------ matter panel


@require_GET
@staff_required
def matter_panel(request: HttpRequest, matter_id: int) -> HttpResponse:
    """The documents panel the matter page loads with hx-get (also usable on its own)."""
    matter = _matter(request, matter_id)
    return render(request, "documents/_matter_panel.html", _panel_context(request, matter))


@require_GET
@staff_required
def matter_page(request: HttpRequest, matter_id: int) -> HttpResponse:
    matter = _matter(request, matter_id)
    return render(request, "documents/matter.html", _panel_context(request, matter))


@require_POST
@staff_required
def matter_action(request: HttpRequest, matter_id: int) -> HttpResponse:
    """The panel's buttons: 一键签章并送达, 一键签章, 一键送达, 文书报批, 文书打印."""
    matter = _matter(request, matter_id)
    action = request.POST.get("action", "")
    ids = [int(x) for x in request.POST.getlist("doc") if x.isdigit()]
    docs = list(selectors.documents_for_matter(matter).filter(pk__in=ids))
    party_ids = [int(x) for x in request.POST.getlist("party") if x.isdigit()]
    parties = list(Party.objects.filter(case=matter.case, pk__in=party_ids))
    errors: list[str] = []
    done: list[str] = []
    if not docs:
        errors.append("请先勾选文书。")
    elif action == "print":
        return _print(docs)
    elif not can_act_on_case(request.user, matter.case):
        raise PermissionDenied("您无权办理该案件的文书。")
    elif action in {"sign", "sign_serve"}:
        if action == "sign_serve" and not parties:
            errors.append("请选择受送达人。")
        else:
            signed, errs = services.documents_sign(actor=request.user, documents=docs)
            errors += errs
            done += [f"《{d.title}》已签章" for d in signed]
            if action == "sign_serve":
                for d in signed:
                    try:
                        services.document_serve(actor=request.user, document=d, parties=parties)
                        done.append(f"《{d.title}》已送达{len(parties)}人")
                    except ValidationError as exc:
                        errors += _errors(exc)
    elif action == "serve":
        for d in docs:
            try:
                services.document_serve(actor=request.user, document=d, parties=parties)
                done.append(f"《{d.title}》已送达{len(parties)}人")
            except ValidationError as exc:
                errors += _errors(exc)
    elif action == "submit":
        for d in docs:
            try:
                services.document_submit(actor=request.user, document=d)
                done.append(f"《{d.title}》已报批")
            except ValidationError as exc:
                errors += _errors(exc)
    else:
        errors.append("未知的操作。")
    ctx = _panel_context(request, matter)
    ctx.update(done=done, errors=errors)
    status = 422 if errors and not done else 200
    if getattr(request, "htmx", False):
        return render(request, "documents/_matter_panel.html", ctx, status=status)
    return render(request, "documents/matter.html", ctx, status=status)


def _print(docs: list[Document]) -> HttpResponse:
    """文书打印: one print-ready PDF of the chosen documents (signed copies where they exist)."""
    files = []
    for d in docs:
        f = d.signed_pdf if d.signed_pdf else d.pdf
        if f:
            files.append(f)
    if not files:
        raise Http404("没有可打印的文书。")
    if len(files) == 1:
        return _pdf_response(files[0].open("rb"), "print.pdf")
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, f in enumerate(files):
            p = Path(tmp) / f"{i}.pdf"
            with f.open("rb") as handle:
                p.write_bytes(handle.read())
            paths.append(str(p))
        out = Path(tmp) / "all.pdf"
        tool = shutil.which("pdfunite") or "pdfunite"
        subprocess.run([tool, *paths, str(out)], check=True, capture_output=True, timeout=60)  # noqa: S603
        data = out.read_bytes()
    return _pdf_response(io.BytesIO(data), "print.pdf")


# ------------------------------------------------------------------------------------ 文书制作


@require_http_methods(["GET", "POST"])
@staff_required
def make(request: HttpRequest, matter_id: int) -> HttpResponse:
    matter = _matter(request, matter_id)
    if not can_act_on_case(request.user, matter.case):
        raise PermissionDenied("您无权办理该案件的文书。")
    bound, others = selectors.templates_for_matter(matter=matter)
    template = None
    tid = request.POST.get("template") or request.GET.get("template")
    if tid and str(tid).isdigit():
        template = next((t for t in bound + others if t.pk == int(tid)), None)
        if template is None:
            raise Http404("模板不存在。")
    ctx: dict[str, Any] = {
        "matter": matter,
        "case": matter.case,
        "bound": bound,
        "others": others,
        "template": template,
    }
    if template is not None:
        version = template.current
        assert version is not None
        if request.method == "POST":
            values = {f["name"]: request.POST.get(f["name"], "") for f in version.fields}
            try:
                doc = services.document_create(
                    actor=request.user, case=matter.case, template=template, data=values, matter=matter
                )
            except ValidationError as exc:
                ctx.update(fields=_fields(version.fields, values), errors=_errors(exc))
                return render(request, "documents/make.html", ctx, status=422)
            messages.success(request, f"《{doc.title}》已保存为草稿，正在生成文书。")
            return HttpResponseRedirect(reverse("documents:document", args=[doc.pk]))
        ctx["fields"] = _fields(
            version.fields, services.form_initial(version=version, case=matter.case, matter=matter)
        )
    return render(request, "documents/make.html", ctx)


def _fields(spec: list[dict[str, str]], values: dict[str, str]) -> list[dict[str, str]]:
    return [{**f, "value": values.get(f["name"], "")} for f in spec]


@require_http_methods(["GET", "POST"])
@staff_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    doc = _document(request, pk)
    errors: list[str] = []
    may_act = can_act_on_case(request.user, doc.case)
    if request.method == "POST":
        if not may_act:
            raise PermissionDenied("您无权办理该案件的文书。")
        op = request.POST.get("op", "")
        try:
            if op == "edit":
                values = {f["name"]: request.POST.get(f["name"], "") for f in doc.template_version.fields}
                new = services.document_update(actor=request.user, document=doc, data=values)
                if new.pk != doc.pk:
                    messages.success(request, f"已生成第{new.version}版，需要重新报批。")
                else:
                    messages.success(request, "已保存，正在重新生成。")
                return HttpResponseRedirect(reverse("documents:document", args=[new.pk]))
            if op == "submit":
                services.document_submit(actor=request.user, document=doc)
                messages.success(request, "已提交审批。")
            elif op == "sign":
                services.document_sign(actor=request.user, document=doc)
                messages.success(request, "签章成功，签名已验证。")
            elif op == "retry":
                services.job_retry(actor=request.user, document=doc)
            else:
                errors.append("未知的操作。")
            if not errors:
                return HttpResponseRedirect(reverse("documents:document", args=[doc.pk]))
        except ValidationError as exc:
            errors = _errors(exc)
    doc.refresh_from_db()
    ctx = {
        "doc": doc,
        "case": doc.case,
        "may_act": may_act,
        "fields": _fields(doc.template_version.fields, doc.data),
        "steps": doc.approval_steps.select_related("approver", "submitted_by"),
        "services_list": doc.services.select_related("party"),
        "job": doc.jobs.order_by("-id").first(),
        "errors": errors,
        "history": _history(doc),
    }
    return render(request, "documents/document.html", ctx, status=422 if errors else 200)


def _history(doc: Document) -> list[Document]:
    out, cur = [], doc.previous
    while cur is not None:
        out.append(cur)
        cur = cur.previous
    return out


@require_GET
@staff_required
def job_status(request: HttpRequest, pk: int) -> HttpResponse:
    doc = _document(request, pk)
    return render(
        request, "documents/_job_status.html", {"doc": doc, "job": doc.jobs.order_by("-id").first()}
    )


@require_GET
@staff_required
@xframe_options_sameorigin
def document_file(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    doc = _document(request, pk)
    name = f"{doc.case.number}-{doc.title}"
    if kind == "docx" and doc.docx:
        return cast(
            HttpResponse,
            FileResponse(
                doc.docx.open("rb"),
                as_attachment=True,
                filename=f"{name}.docx",
                content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
        )
    if kind == "pdf" and doc.pdf:
        return _pdf_response(doc.pdf.open("rb"), f"{name}.pdf", inline=request.GET.get("download") != "1")
    if kind == "signed" and doc.signed_pdf:
        return _pdf_response(
            doc.signed_pdf.open("rb"), f"{name}-签章.pdf", inline=request.GET.get("download") != "1"
        )
    raise Http404("文件尚未生成。")


def _png_page(data: bytes, n: int) -> HttpResponse:
    if n < 1 or n > doc_render.pdf_page_count(data):
        raise Http404("页码超出范围。")
    response = HttpResponse(doc_render.pdf_page_png(data, n), content_type="image/png")
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@staff_required
def document_page(request: HttpRequest, pk: int, kind: str, n: int) -> HttpResponse:
    """A page of the document as an image (the viewer used where a PDF plug-in is not available)."""
    doc = _document(request, pk)
    f = doc.signed_pdf if kind == "signed" else doc.pdf
    if not f:
        raise Http404("文件尚未生成。")
    with f.open("rb") as handle:
        return _png_page(handle.read(), n)


@require_GET
@staff_required
def efile_page(request: HttpRequest, pk: int, n: int) -> HttpResponse:
    item = get_object_or_404(EfileItem.objects.select_related("case"), pk=pk)
    _case_for_staff(request, item.case)
    if item.content_type != "application/pdf":
        raise Http404
    with item.file.open("rb") as handle:
        return _png_page(handle.read(), n)


@require_GET
@staff_required
def approval_page(request: HttpRequest, step_id: int, n: int) -> HttpResponse:
    step = get_object_or_404(ApprovalStep.objects.select_related("document__case"), pk=step_id)
    if not may_approve_level(request.user, step.document.case, step.level):
        raise PermissionDenied("您不是该级别的审批人。")
    if not step.document.pdf:
        raise Http404
    with step.document.pdf.open("rb") as handle:
        return _png_page(handle.read(), n)


@require_GET
@staff_required
def receipt_file(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_object_or_404(ServiceRecord.objects.select_related("document__case"), pk=pk)
    _case_for_staff(request, record.document.case)
    if not record.receipt_pdf:
        raise Http404
    return _pdf_response(record.receipt_pdf.open("rb"), f"电子送达凭证-{record.pk}.pdf", inline=False)


# ------------------------------------------------------------------------------------ approvals


@require_GET
@staff_required
def approvals(request: HttpRequest) -> HttpResponse:
    return render(
        request, "documents/approvals.html", {"steps": selectors.pending_approvals_for(user=request.user)}
    )


@require_POST
@staff_required
def approval_decide(request: HttpRequest, step_id: int) -> HttpResponse:
    step = get_object_or_404(ApprovalStep.objects.select_related("document__case"), pk=step_id)
    if not may_approve_level(request.user, step.document.case, step.level):
        raise PermissionDenied("您不是该级别的审批人。")
    approve = request.POST.get("decision") == "approve"
    try:
        services.approval_decide(
            actor=request.user, step=step, approve=approve, comment=request.POST.get("comment", "")
        )
    except ValidationError as exc:
        ctx = {"steps": selectors.pending_approvals_for(user=request.user), "errors": _errors(exc)}
        return render(request, "documents/approvals.html", ctx, status=422)
    messages.success(request, "已同意。" if approve else "已退回。")
    return HttpResponseRedirect(reverse("documents:approvals"))


@require_GET
@staff_required
@xframe_options_sameorigin
def approval_preview(request: HttpRequest, step_id: int) -> HttpResponse:
    step = get_object_or_404(ApprovalStep.objects.select_related("document__case"), pk=step_id)
    if not may_approve_level(request.user, step.document.case, step.level):
        raise PermissionDenied("您不是该级别的审批人。")
    if not step.document.pdf:
        raise Http404
    return _pdf_response(step.document.pdf.open("rb"), "preview.pdf")


# ------------------------------------------------------------------------------------ e-file


@require_GET
@staff_required
def efile(request: HttpRequest, case_id: int) -> HttpResponse:
    """浏览总卷: the whole e-file as a categorised tree with a viewer."""
    case = _case_for_staff(
        request, get_object_or_404(EnforcementCase.objects.select_related("court"), pk=case_id)
    )
    items = list(selectors.efile_for_case(case))
    tree = []
    for value, label in EfileCategory.choices:
        group = [i for i in items if i.category == value]
        if group:
            tree.append((label, group))
    current = None
    if request.GET.get("item", "").isdigit():
        current = next((i for i in items if i.pk == int(request.GET["item"])), None)
    intact, bad = services.efile_verify_chain(case=case, check_files=False)
    shown = current or (items[0] if items else None)
    current_pages = 0
    if shown is not None and shown.content_type == "application/pdf":
        with shown.file.open("rb") as handle:
            try:
                current_pages = doc_render.pdf_page_count(handle.read())
            except Exception:  # an unreadable upload is offered as a download instead
                current_pages = 0
    ctx = {
        "current_pages": current_pages,
        "case": case,
        "tree": tree,
        "current": shown,
        "count": len(items),
        "intact": intact,
        "bad": bad,
        "categories": [c for c in EfileCategory.choices if c[0] not in {"signed", "receipt"}],
        "may_act": can_act_on_case(request.user, case),
        "documents": selectors.documents_for_case(case),
    }
    return render(request, "documents/efile.html", ctx)


@require_POST
@staff_required
def efile_upload(request: HttpRequest, case_id: int) -> HttpResponse:
    case = _case_for_staff(request, get_object_or_404(EnforcementCase, pk=case_id))
    if not can_act_on_case(request.user, case):
        raise PermissionDenied("您无权向该案件卷宗添加材料。")
    upload = request.FILES.get("file")
    category = request.POST.get("category", "other")
    error = ""
    if upload is None:
        error = "请选择文件。"
    elif (upload.size or 0) > settings.EFILE_MAX_UPLOAD_BYTES:
        error = f"文件不能超过{settings.EFILE_MAX_UPLOAD_BYTES // 1024 // 1024}MB。"
    if not error and upload is not None:
        try:
            item = services.efile_add(
                case=case,
                file=upload,
                category=category,
                source="法官上传",
                actor=request.user,
                title=request.POST.get("title", "").strip() or upload.name or "",
            )
        except ValidationError as exc:
            error = _errors(exc)[0]
    if error:
        messages.error(request, error)
        return HttpResponseRedirect(reverse("documents:efile", args=[case.pk]))
    return HttpResponseRedirect(reverse("documents:efile", args=[case.pk]) + f"?item={item.pk}")


_MAGIC = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": (b"RIFF",),
}


def _renders_as(ctype: str, head: bytes) -> bool:
    """True when ``head`` starts like the (PDF or raster image) type the file was stored as."""
    if ctype == "image/webp":
        return head.startswith(b"RIFF") and head[8:12] == b"WEBP"
    return head.startswith(_MAGIC.get(ctype, (b"\x00never",)))


@require_GET
@staff_required
@xframe_options_sameorigin
def efile_file(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(EfileItem.objects.select_related("case"), pk=pk)
    _case_for_staff(request, item.case)
    ctype = item.content_type or "application/octet-stream"
    handle = item.file.open("rb")
    head = handle.read(16)
    handle.seek(0)
    # Shown in the viewer frame only when the bytes really are what the uploader declared; anything else
    # (an HTML page called .pdf, an SVG) is downloaded, never rendered.
    inline = _renders_as(ctype, head)
    response = FileResponse(
        handle,
        content_type=ctype if inline else "application/octet-stream",
        as_attachment=not inline,
        filename=item.title,
    )
    response["Content-Security-Policy"] = FRAMEABLE_CSP
    response["X-Content-Type-Options"] = "nosniff"
    return cast(HttpResponse, response)


@require_GET
@staff_required
def sheet(request: HttpRequest, matter_id: int) -> HttpResponse:
    """浏览分表: the matter's documents only, with a viewer."""
    matter = _matter(request, matter_id)
    docs = list(selectors.documents_for_matter(matter))
    current = None
    if request.GET.get("doc", "").isdigit():
        current = next((d for d in docs if d.pk == int(request.GET["doc"])), None)
    return render(
        request,
        "documents/sheet.html",
        {
            "matter": matter,
            "case": matter.case,
            "docs": docs,
            "current": current or (docs[0] if docs else None),
        },
    )


# ------------------------------------------------------------------------------------ templates


def _staff_court(request: HttpRequest) -> Any:
    from zhixing.courts.selectors import staff_courts

    return staff_courts(user=request.user).first()


def _may_edit_templates(request: HttpRequest) -> bool:
    from zhixing.courts.models import Role
    from zhixing.courts.selectors import staff_roles

    return bool(staff_roles(user=request.user) & {Role.SYSADMIN, Role.TEAM_LEAD, Role.COURT_LEADER})


@require_GET
@staff_required
def templates(request: HttpRequest) -> HttpResponse:
    court = _staff_court(request)
    ctx = {
        "court_templates": selectors.templates_for_court(court_id=court.pk if court else None),
        "party_templates": selectors.templates_for_court(court_id=None, kind=DocTemplate.Kind.PARTY),
        "may_edit": _may_edit_templates(request),
        "court": court,
    }
    return render(request, "documents/templates.html", ctx)


@require_http_methods(["GET", "POST"])
@staff_required
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    court = _staff_court(request)
    tpl = get_object_or_404(DocTemplate, pk=pk)
    if tpl.court_id not in (None, getattr(court, "pk", None)):
        raise Http404
    if not _may_edit_templates(request):
        raise PermissionDenied("仅团队负责人、院领导或系统管理员可以修改模板。")
    errors: list[str] = []
    version = tpl.current
    body = version.body if version else ""
    chain = tpl.approval_chain
    if request.method == "POST":
        body, chain = request.POST.get("body", ""), request.POST.get("approval_chain", "")
        try:
            own = services.template_edit(
                actor=request.user,
                template=tpl,
                court=court,
                body=body,
                approval_chain=chain,
                note=request.POST.get("note", ""),
            )
            messages.success(request, f"已保存为第{own.current.number if own.current else 1}版。")
            return HttpResponseRedirect(reverse("documents:template-edit", args=[own.pk]))
        except ValidationError as exc:
            errors = _errors(exc)
    ctx = {
        "tpl": tpl,
        "version": version,
        "body": body,
        "chain": chain,
        "errors": errors,
        "levels": ApprovalLevel.choices,
        "versions": tpl.versions.all()[:20],
    }
    return render(request, "documents/template_edit.html", ctx, status=422 if errors else 200)


# ------------------------------------------------------------------------------------ portal: 我的文书


def _portal_login(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("portal:me"))
    return None


def _inbox_qs(request: HttpRequest) -> Any:
    qs = selectors.inbox_for(user=request.user)
    try:
        from zhixing.accounts.permissions import portal_case_scope
    except ImportError:  # pragma: no cover - the accounts app provides it
        from zhixing.cases.selectors import cases_of_party_user

        return qs.filter(document__case__in=cases_of_party_user(user=request.user))
    return qs.filter(document__case__in=portal_case_scope(request).values("pk"))


@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    if (resp := _portal_login(request)) is not None:
        return resp
    records = list(_inbox_qs(request))
    services.service_arrive(user=request.user, records=records)
    return render(request, "documents/inbox.html", {"records": records, "tab": "service"})


def _record(request: HttpRequest, pk: int) -> ServiceRecord:
    record = _inbox_qs(request).filter(pk=pk).first()
    if record is None:
        raise Http404("文书不存在。")
    return record


@require_GET
def inbox_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if (resp := _portal_login(request)) is not None:
        return resp
    record = services.service_open(user=request.user, record=_record(request, pk))
    return render(
        request, "documents/inbox_detail.html", {"r": record, "doc": record.document, "tab": "service"}
    )


@require_GET
@xframe_options_sameorigin
def inbox_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    if (resp := _portal_login(request)) is not None:
        return resp
    record = _record(request, pk)
    doc = record.document
    return _pdf_response(
        doc.signed_pdf.open("rb"), f"{doc.title}.pdf", inline=request.GET.get("download") != "1"
    )


# ------------------------------------------------------------------------------------ portal: 文书样式


def _party_template(code: str) -> DocTemplate:
    tpl = next((t for t in selectors.party_templates() if t.code == code), None)
    if tpl is None or tpl.current is None:
        raise Http404("文书样式不存在。")
    return tpl


@require_GET
def styles(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:40]
    category = request.GET.get("category", "")
    items = selectors.party_templates(q=q, category=category)
    groups = [(c, label, [t for t in items if t.category == c]) for c, label in library.PARTY_CATEGORIES]
    ctx = {
        "groups": [g for g in groups if g[2]],
        "categories": library.PARTY_CATEGORIES,
        "q": q,
        "category": category,
        "tab": "guide",
        "total": len(items),
    }
    return render(request, "documents/styles.html", ctx)


@require_GET
def style_preview(request: HttpRequest, code: str) -> HttpResponse:
    tpl = _party_template(code)
    assert tpl.current is not None
    body = services.render_body(version=tpl.current, data={}, blank=services.BLANK)
    return render(request, "documents/style_preview.html", {"tpl": tpl, "body": body, "tab": "guide"})


@require_GET
def style_download(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    tpl = _party_template(code)
    assert tpl.current is not None
    body = services.render_body(version=tpl.current, data={}, blank=services.BLANK)
    if fmt == "docx":
        return cast(
            HttpResponse,
            FileResponse(
                io.BytesIO(doc_render.html_to_docx(body)),
                as_attachment=True,
                filename=f"{tpl.name}.docx",
                content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ),
        )
    if fmt == "pdf":
        pdf = doc_render.html_to_pdf(doc_render.full_html(body_html=body, title=tpl.name)).data
        return cast(
            HttpResponse,
            FileResponse(
                io.BytesIO(pdf),
                as_attachment=True,
                filename=f"{tpl.name}.pdf",
                content_type="application/pdf",
            ),
        )
    raise Http404


# ------------------------------------------------------------------------------------ public verification


@require_GET
def verify(request: HttpRequest) -> HttpResponse:
    code = request.GET.get("code", "").strip().upper()
    if code:
        return HttpResponseRedirect(reverse("documents:verify-code", args=[code]))
    return render(request, "documents/verify.html", {"tab": "home"})


@require_http_methods(["GET", "POST"])
def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    doc = selectors.document_by_code(code)
    ctx: dict[str, Any] = {"doc": doc, "code": code, "tab": "home"}
    status = 200 if doc else 404
    if request.method == "POST":
        from zhixing.lib.middleware import client_ip

        try:
            rate = ratelimit.hit("verify-upload", client_ip(request), limit=30, window=600)
        except ratelimit.RateLimitUnavailable as exc:
            ctx["error"] = exc.message
            return render(request, "documents/verify.html", ctx, status=503)
        upload = request.FILES.get("file")
        if not rate.allowed:
            ctx["error"] = f"核验过于频繁，请{rate.retry_after}秒后再试。"
            status = 429
        elif upload is None:
            ctx["error"] = "请选择要核验的PDF文件。"
            status = 422
        elif (upload.size or 0) > settings.VERIFY_MAX_UPLOAD_BYTES:
            ctx["error"] = f"文件不能超过{settings.VERIFY_MAX_UPLOAD_BYTES // 1024 // 1024}MB。"
            status = 413
        else:
            data = upload.read()
            ctx["result"] = _verify_bytes(doc, data)
            status = 200
    return render(request, "documents/verify.html", ctx, status=status)


def _verify_bytes(doc: Document | None, data: bytes) -> dict[str, Any]:
    digest = sha256_hex(data)
    if doc is None:
        doc = (
            Document.objects.filter(signed_sha256=digest, status=DocStatus.SIGNED)
            .select_related("case__court")
            .first()
        )
    check = signing.validate_pdf(data)
    hash_ok = doc is not None and digest == doc.signed_sha256
    return {
        "valid": bool(hash_ok and check.ok),
        "hash_ok": hash_ok,
        "check": check,
        "sha256": digest,
        "doc": doc,
    }
