"""Portal pages of 服务台 (manual §3.2): 选择案件, 案件办理阶段, 给法官留言, 提交执行线索, 意见建议,
我要制作文书, and the 消息中心 under 我的. Views parse input and call services/selectors; rules live there."""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django.contrib import messages as flash
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhixing.courts.models import Court
from zhixing.lib.errors import error_dict
from zhixing.lib.nav import portal_items
from zhixing.notifications.models import Notice
from zhixing.notifications.services import notice_mark_read

from . import doc_forms, integration, rendering, selectors, services, uploads
from .integration import PortalActor
from .models import Clue, DocumentDraft, Opinion

View = Callable[..., HttpResponse]


def _ctx(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {"tab": "service", **extra}


def _login_redirect(request: HttpRequest) -> HttpResponse:
    url = f"{integration.login_url()}?next={request.get_full_path()}"
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def party_required(view: View) -> View:
    """Verified persons and unit sessions only; others go to login or see why they cannot continue."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        actor = integration.portal_actor(request)
        if actor is None:
            user = request.user
            if user.is_authenticated and getattr(user, "kind", "") == "public":
                return render(
                    request,
                    "interaction/need_verify.html",
                    _ctx(request, verify_url=integration.verify_url()),
                    status=403,
                )
            if user.is_authenticated:
                raise PermissionDenied("服务台仅供当事人使用。")
            return _login_redirect(request)
        request.party = actor  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper


def case_required(view: View) -> View:
    """The page works on the case chosen in 选择案件 (``?case=`` may switch to another case in scope)."""

    @wraps(view)
    @party_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        actor: PortalActor = request.party  # type: ignore[attr-defined]
        wanted = request.GET.get("case", "")
        if wanted.isdigit():
            case = integration.portal_case_scope(request).filter(pk=int(wanted)).first()
            if case is None:
                raise Http404
            if request.session.get(selectors.SESSION_KEY) != case.pk:
                services.case_select(actor=actor, case=case)
                request.session[selectors.SESSION_KEY] = case.pk
        case = selectors.selected_case(request, actor)
        if case is None:
            flash.info(request, "请先在【选择案件】中勾选要办理的案件。")
            return redirect(f"{reverse('interaction:cases')}?next={request.path}")
        request.case = case  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return wrapper


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


# --- 服务台 (the tab) -----------------------------------------------------------------------------------------


def service_tab(request: HttpRequest) -> HttpResponse:
    actor = integration.portal_actor(request)
    case = selectors.selected_case(request, actor) if actor else None
    registered = [
        i for i in portal_items("service", request.user) if not i.url_name.startswith("interaction:")
    ]
    return render(
        request,
        "portal/service.html",
        {
            "tab": "service",
            "actor": actor,
            "case": case,
            "case_status": selectors.party_status(case) if case else "",
            "entries": registered,
            "login_url": integration.login_url(),
            "verify_url": integration.verify_url(),
        },
    )


# --- 选择案件 -------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@party_required
def cases(request: HttpRequest) -> HttpResponse:
    actor: PortalActor = request.party  # type: ignore[attr-defined]
    if request.method == "POST":
        raw = request.POST.get("case", "")
        case = integration.portal_case_scope(request).filter(pk=int(raw)).first() if raw.isdigit() else None
        if case is None:
            raise Http404
        services.case_select(actor=actor, case=case)
        request.session[selectors.SESSION_KEY] = case.pk
        flash.success(request, f"已选择案件 {case.number}。")
        nxt = request.POST.get("next", "")
        if nxt.startswith("/service/") and "//" not in nxt:
            return redirect(nxt)
        return redirect("interaction:progress")
    q = request.GET.get("q", "")
    current = selectors.selected_case(request, actor)
    rows = [
        {
            "case": c,
            "status": selectors.party_status(c),
            "respondents": "、".join(p.name for p in c.respondents),
        }
        for c in selectors.case_list(request=request, q=q)
    ]
    return render(
        request,
        "interaction/cases.html",
        _ctx(request, rows=rows, q=q, current=current, next=request.GET.get("next", "")),
    )


# --- 案件办理阶段 -----------------------------------------------------------------------------------------------


@require_GET
@case_required
def progress(request: HttpRequest) -> HttpResponse:
    case = request.case  # type: ignore[attr-defined]
    return render(request, "interaction/progress.html", _ctx(request, p=selectors.case_progress(case)))


# --- 给法官留言 -------------------------------------------------------------------------------------------------


MESSAGES_PER_PAGE = 20


@require_http_methods(["GET", "POST"])
@case_required
def messages_page(request: HttpRequest) -> HttpResponse:
    actor: PortalActor = request.party  # type: ignore[attr-defined]
    case = request.case  # type: ignore[attr-defined]
    errors: dict[str, list[str]] = {}
    body = ""
    status = 200
    if request.method == "POST":
        body = request.POST.get("body", "")
        try:
            services.message_post(actor=actor, case=case, body=body)
        except ValidationError as exc:
            errors, status = error_dict(exc), 422
        else:
            flash.success(request, "留言已提交，承办人回复后将通知您。")
            return redirect(f"{reverse('interaction:messages')}?tab=waiting")
    tab = "replied" if request.GET.get("tab") == "replied" else "waiting"
    threads = selectors.message_threads(actor=actor, case=case, replied=tab == "replied")
    page = Paginator(threads, MESSAGES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "interaction/messages.html",
        _ctx(
            request,
            case=case,
            threads=page.object_list,
            page=page,
            view_tab=tab,
            counts=selectors.message_counts(actor=actor, case=case),
            errors=errors,
            body=body,
            max_chars=services.MESSAGE_MAX_CHARS,
        ),
        status=status,
    )


@require_POST
@case_required
def message_followup(request: HttpRequest, pk: int) -> HttpResponse:
    actor: PortalActor = request.party  # type: ignore[attr-defined]
    case = request.case  # type: ignore[attr-defined]
    thread = selectors.party_message(actor=actor, case=case, pk=pk)
    if thread is None:
        raise Http404
    try:
        services.message_post(actor=actor, case=case, body=request.POST.get("body", ""), thread=thread)
    except ValidationError as exc:
        flash.error(request, next(iter(error_dict(exc).values()))[0])
        return redirect(f"{reverse('interaction:messages')}?tab=replied")
    flash.success(request, "已追加回复。")
    return redirect(f"{reverse('interaction:messages')}?tab=waiting")


# --- 提交执行线索 -----------------------------------------------------------------------------------------------


@require_GET
@case_required
def clues(request: HttpRequest) -> HttpResponse:
    actor: PortalActor = request.party  # type: ignore[attr-defined]
    case = request.case  # type: ignore[attr-defined]
    tab = Clue.Status.CHECKED if request.GET.get("tab") == "checked" else Clue.Status.CHECKING
    return render(
        request,
        "interaction/clues.html",
        _ctx(
            request, case=case, view_tab=tab, clues=selectors.party_clues(actor=actor, case=case, status=tab)
        ),
    )


def _clue_form(
    request: HttpRequest, *, errors: dict[str, list[str]] | None = None, status: int = 200
) -> HttpResponse:
    from . import media

    return render(
        request,
        "interaction/clue_new.html",
        _ctx(
            request,
            case=request.case,  # type: ignore[attr-defined]
            errors=errors or {},
            body=request.POST.get("body", "") if request.method == "POST" else "",
            urgent=request.POST.get("urgent") == "on",
            max_chars=services.CLUE_MAX_CHARS,
            image_mb=media.image_max_bytes() // (1024 * 1024),
            video_mb=media.video_max_bytes() // (1024 * 1024),
            max_files=services.max_files(),
        ),
        status=status,
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def clue_new(request: HttpRequest) -> HttpResponse:
    # The upload handler must be swapped before the body is read, and the CSRF check reads the body:
    # hence csrf_exempt outside and csrf_protect inside (Django's documented pattern).
    if request.method == "POST":
        uploads.install(request)
    return _clue_new(request)


@csrf_protect
@case_required
def _clue_new(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _clue_form(request)
    actor: PortalActor = request.party  # type: ignore[attr-defined]
    case = request.case  # type: ignore[attr-defined]
    from . import media

    files = request.FILES.getlist("files")  # parses the body: only then are skipped files known
    too_large = uploads.too_large_names(request)
    try:
        if too_large:
            names = "、".join(f"“{os.path.basename(n)}”" for n in too_large)
            raise ValidationError(
                {
                    "files": [
                        f"{names}过大：图片不能超过{media.image_max_bytes() // 1048576} MB，"
                        f"视频不能超过{media.video_max_bytes() // 1048576} MB。"
                    ]
                }
            )
        clue = services.clue_submit(
            actor=actor,
            case=case,
            body=request.POST.get("body", ""),
            files=files,
            urgent=request.POST.get("urgent") == "on",
        )
    except ValidationError as exc:
        errors = error_dict(exc)
        if _wants_json(request):
            first = next(iter(errors.values()))[0]
            return JsonResponse({"detail": first, "errors": errors}, status=422)
        return _clue_form(request, errors=errors, status=422)
    finally:
        for f in files:
            f.close()
    flash.success(request, "线索已提交，承办人将在核查期限内处理。")
    url = f"{reverse('interaction:clues')}?tab=checking#clue-{clue.pk}"
    if _wants_json(request):
        return JsonResponse({"id": clue.pk, "redirect": url}, status=201)
    return redirect(url)


@require_GET
@party_required
def clue_file(request: HttpRequest, pk: int) -> HttpResponse:
    actor: PortalActor = request.party  # type: ignore[attr-defined]
    attachment = selectors.attachment_for_party(actor=actor, request=request, pk=pk)
    if attachment is None:
        raise Http404
    return _file_response(attachment)


def _file_response(attachment: Any) -> HttpResponse:
    """Stream the stored file (never read whole into memory); nosniff keeps browsers from guessing types.

    Served as an attachment: <img> and <video> still show it, but opening the URL never renders it as a page.
    """
    response = FileResponse(attachment.file.open("rb"), content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = f'attachment; filename="{os.path.basename(attachment.file.name)}"'
    # The decorators are typed for HttpResponse; a FileResponse is served the same way by Django.
    return cast(HttpResponse, response)


# --- 意见建议 -------------------------------------------------------------------------------------------------


@require_GET
@party_required
def opinions(request: HttpRequest) -> HttpResponse:
    actor: PortalActor = request.party  # type: ignore[attr-defined]
    replied = request.GET.get("tab") == "replied"
    return render(
        request,
        "interaction/opinions.html",
        _ctx(
            request,
            view_tab="replied" if replied else "waiting",
            rows=selectors.party_opinions(actor=actor, replied=replied),
        ),
    )


def _opinion_courts(request: HttpRequest) -> list[Court]:
    ids = integration.portal_case_scope(request).values_list("court_id", flat=True)
    own = list(Court.objects.filter(pk__in=ids, is_active=True))
    return own or list(Court.objects.filter(is_active=True))


@require_http_methods(["GET", "POST"])
@party_required
def opinion_new(request: HttpRequest) -> HttpResponse:
    actor: PortalActor = request.party  # type: ignore[attr-defined]
    case = selectors.selected_case(request, actor)
    courts = _opinion_courts(request)
    errors: dict[str, list[str]] = {}
    status = 200
    data = {
        "kind": request.POST.get("kind", Opinion.Kind.SUGGESTION),
        "body": request.POST.get("body", ""),
        "court": request.POST.get("court", str(case.court_id) if case else ""),
        "about_case": request.POST.get("about_case", "on" if request.method == "GET" and case else ""),
    }
    if request.method == "POST":
        court = next((c for c in courts if str(c.pk) == data["court"]), None)
        try:
            if court is None:
                raise ValidationError({"court": ["请选择法院。"]})
            services.opinion_submit(
                actor=actor,
                court=court,
                kind=data["kind"],
                body=data["body"],
                case=case if (data["about_case"] == "on" and case and case.court_id == court.pk) else None,
            )
        except ValidationError as exc:
            errors, status = error_dict(exc), 422
        else:
            flash.success(request, "已提交，法院领导回复后将通知您。")
            return redirect("interaction:opinions")
    return render(
        request,
        "interaction/opinion_new.html",
        _ctx(request, courts=courts, kinds=Opinion.Kind.choices, data=data, errors=errors, case=case),
        status=status,
    )


# --- 我要制作文书 ---------------------------------------------------------------------------------------------


@require_GET
@party_required
def documents(request: HttpRequest) -> HttpResponse:
    actor: PortalActor = request.party  # type: ignore[attr-defined]
    return render(
        request,
        "interaction/documents.html",
        _ctx(
            request,
            drafts=selectors.party_drafts(actor=actor),
            categories=integration.style_categories(),
        ),
    )


def _initial(kind: str, request: HttpRequest, actor: PortalActor) -> dict[str, Any]:
    """Prefill from the chosen case and the verified identity, so the party types as little as possible."""
    case = selectors.selected_case(request, actor)
    data: dict[str, Any] = {"signed_on": timezone.localdate().isoformat(), "attachments": []}
    if case is not None:
        data["court"] = case.court.name
        applicants = case.applicants
        respondents = case.respondents
        if kind == "application":
            data.update(
                basis_issuer=case.basis_issuer,
                basis_number=case.basis_number,
                basis_title=case.basis_title,
                basis_effective_on=case.basis_effective_on.isoformat() if case.basis_effective_on else "",
                amount=f"{case.amount:.2f}" if case.amount is not None else "",
            )
            if respondents:
                r = respondents[0]
                data.update(respondent_name=r.name, respondent_kind=r.kind, respondent_address=r.address)
        else:
            data.update(
                case_number=case.number,
                applicant_name="、".join(p.name for p in applicants),
                respondent_name="、".join(p.name for p in respondents),
            )
    prefix = "applicant" if kind == "application" else "objector"
    if actor.user is not None:
        data.update(
            {
                f"{prefix}_kind": "natural",
                f"{prefix}_name": actor.user.real_name,
                f"{prefix}_id": actor.user.id_number,
                f"{prefix}_phone": actor.user.phone,
            }
        )
    return data


def _form_data(kind: str, request: HttpRequest) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for spec in doc_forms.SPECS[kind]:
        out[spec.name] = (
            request.POST.getlist(spec.name) if spec.widget == "checks" else request.POST.get(spec.name, "")
        )
    return out


@require_http_methods(["GET", "POST"])
@party_required
def document_edit(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    actor: PortalActor = request.party  # type: ignore[attr-defined]
    if kind not in doc_forms.SPECS:
        raise Http404
    draft = None
    if pk is not None:
        draft = selectors.party_draft(actor=actor, pk=pk)
        if draft is None or draft.kind != kind:
            raise Http404
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        data = _form_data(kind, request)
        complete = request.POST.get("action") == "preview"
        try:
            draft = services.draft_save(
                actor=actor,
                kind=kind,
                data=data,
                draft=draft,
                case=selectors.selected_case(request, actor),
                complete=complete,
            )
        except ValidationError as exc:
            errors, status = error_dict(exc), 422
        else:
            if complete:
                return redirect("interaction:document-preview", pk=draft.pk)
            flash.success(request, "草稿已保存。")
            return redirect("interaction:document-edit", kind=kind, pk=draft.pk)
    else:
        data = dict(draft.data) if draft is not None else _initial(kind, request, actor)
    return render(
        request,
        "interaction/document_form.html",
        _ctx(
            request,
            kind=kind,
            title=doc_forms.TITLES[kind],
            form_groups=[
                (
                    group,
                    [
                        {
                            "spec": spec,
                            "value": data.get(spec.name, [] if spec.widget == "checks" else ""),
                            "errors": errors.get(spec.name, []),
                        }
                        for spec in specs
                    ],
                )
                for group, specs in doc_forms.groups(kind)
            ],
            errors=errors,
            draft=draft,
        ),
        status=status,
    )


def _own_complete_draft(request: HttpRequest, pk: int) -> DocumentDraft:
    actor: PortalActor = request.party  # type: ignore[attr-defined]
    draft = selectors.party_draft(actor=actor, pk=pk)
    if draft is None:
        raise Http404
    return draft


@require_GET
@party_required
def document_preview(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _own_complete_draft(request, pk)
    share = None
    token = request.session.pop(f"interaction_share_{draft.pk}", None)
    if token and draft.is_complete:
        share = {
            "url": request.build_absolute_uri(reverse("interaction:document-shared", args=[token])),
            "expires": selectors.share_expires(timezone.now()),
        }
    return render(
        request,
        "interaction/document_preview.html",
        _ctx(
            request,
            draft=draft,
            body_html=rendering.render_html(draft.kind, draft.data, standalone=False, mask=True),
            share=share,
            share_days=selectors.share_days(),
        ),
    )


def _download(draft: DocumentDraft, fmt: str) -> HttpResponse:
    title = doc_forms.TITLES[draft.kind]
    if fmt == "pdf":
        data, ctype = rendering.render_pdf(draft.kind, draft.data), "application/pdf"
    elif fmt == "docx":
        data = rendering.render_docx(draft.kind, draft.data)
        ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        raise Http404
    from urllib.parse import quote

    response = HttpResponse(data, content_type=ctype)
    response["Content-Disposition"] = (
        f"attachment; filename=\"document-{draft.pk}.{fmt}\"; filename*=UTF-8''{quote(title)}.{fmt}"
    )
    return response


@require_GET
@party_required
def document_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    draft = _own_complete_draft(request, pk)
    if not draft.is_complete:
        flash.error(request, "请先填写完整并生成预览。")
        return redirect("interaction:document-edit", kind=draft.kind, pk=draft.pk)
    return _download(draft, fmt)


@require_POST
@party_required
def document_share(request: HttpRequest, pk: int) -> HttpResponse:
    actor: PortalActor = request.party  # type: ignore[attr-defined]
    draft = _own_complete_draft(request, pk)
    if request.POST.get("action") == "revoke":
        services.draft_share_revoke(actor=actor, draft=draft)
        flash.success(request, "此前转发的链接已全部失效。")
        return redirect("interaction:document-preview", pk=draft.pk)
    if not draft.is_complete:
        raise Http404
    request.session[f"interaction_share_{draft.pk}"] = services.draft_share(actor=actor, draft=draft)
    return redirect("interaction:document-preview", pk=draft.pk)


@require_POST
@party_required
def document_delete(request: HttpRequest, pk: int) -> HttpResponse:
    actor: PortalActor = request.party  # type: ignore[attr-defined]
    draft = _own_complete_draft(request, pk)
    services.draft_delete(actor=actor, draft=draft)
    flash.success(request, "已删除。")
    return redirect("interaction:documents")


@require_GET
def document_shared(request: HttpRequest, token: str, fmt: str = "") -> HttpResponse:
    """A forwarded link: anyone holding it may read and download the document until it expires."""
    draft = selectors.draft_from_token(token)
    if draft is None:
        return render(request, "interaction/share_expired.html", {"tab": ""}, status=404)
    if fmt:
        return _download(draft, fmt)
    return render(
        request,
        "interaction/document_shared.html",
        {
            "tab": "",
            "draft": draft,
            "token": token,
            "body_html": rendering.render_html(draft.kind, draft.data, standalone=False, mask=True),
        },
    )


# --- 消息中心 -------------------------------------------------------------------------------------------------


def _notice_user(request: HttpRequest) -> Any:
    if not request.user.is_authenticated:
        return None
    return request.user


@require_GET
def notices(request: HttpRequest) -> HttpResponse:
    user = _notice_user(request)
    if user is None:
        return _login_redirect(request)
    unread_only = request.GET.get("tab") == "unread"
    qs = Notice.objects.filter(user=user)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs.order_by("-created_at", "-id"), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "interaction/notices.html",
        {
            "tab": "me",
            "page": page,
            "view_tab": "unread" if unread_only else "all",
            "unread": Notice.objects.filter(user=user, read_at__isnull=True).count(),
        },
    )


@require_POST
def notice_read(request: HttpRequest, pk: int) -> HttpResponse:
    user = _notice_user(request)
    if user is None:
        return _login_redirect(request)
    notice = get_object_or_404(Notice, pk=pk, user=user)
    notice_mark_read(user=user, notice_id=notice.pk)
    link = notice.link
    if request.POST.get("open") == "1" and link.startswith("/") and not link.startswith("//"):
        return redirect(link)
    return redirect("interaction:notices")


@require_POST
def notice_read_all(request: HttpRequest) -> HttpResponse:
    user = _notice_user(request)
    if user is None:
        return _login_redirect(request)
    Notice.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
    flash.success(request, "已全部标记为已读。")
    return redirect("interaction:notices")
