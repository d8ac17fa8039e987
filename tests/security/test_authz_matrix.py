"""Authorisation matrix (issue 11, check 3): every URL pattern and every API operation × every persona.

The expected table is data: URL name (or "METHOD /api/path") → the personas allowed. A persona not listed is
denied: 302 to a login page, 401, 403 or 404 (HTMX: 204 with HX-Redirect to the login page), and the body
holds none of the object's identifying strings. A URL or API operation that appears without an entry here
fails ``test_every_route_has_an_entry`` / ``test_every_api_operation_has_an_entry``.

Path parameters are filled with court A's objects (world.case of world.party, judged by world.judge in
world.team); personas of court B (judge_outside) and other parties (other_party) must therefore be refused
— that is the IDOR dimension of the matrix. Every response the matrix produces (allowed or not) is also
scanned for full resident ID numbers, password hashes, blind indexes and face data (check 4).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from .conftest import PERSONAS, PORTAL_USERS, STAFF, STAFF_A, client_for
from .matrix_support import (
    Route,
    api_call,
    api_operations,
    api_path,
    body_of,
    build_path,
    denied,
    walk_routes,
)

EVERYONE = frozenset(PERSONAS)
NOBODY: frozenset[str] = frozenset()
SIGNED_IN = EVERYONE - {"anonymous", "unit"}
PORTAL_CASE = frozenset({"party", "other_party", "unit"})  # portal users with a case in scope
CASE_ACTORS = frozenset({"judge", "team_lead"})  # assignee of the stage and the lead of its team
# Messages and clues: the case's judge, the leads of its judge's team and the court's leaders (院领导)
ANSWERERS = CASE_ACTORS | {"leader"}
PARTY = frozenset({"party"})
ADMIN = frozenset({"admin"})
LEADERS = frozenset({"team_lead", "approver", "admin", "leader"})

# --- pages (GET) ----------------------------------------------------------------------------------------------
EXPECTED_GET: dict[str, frozenset[str]] = {
    # system
    "healthz": EVERYONE,
    "openapi-json": EVERYONE,
    "api-docs": EVERYONE,
    # development SMS outbox: every persona in development, nobody in production (test_dev_outbox_...)
    "notifications:dev-sms": EVERYONE,
    # workbench shell: the login form for visitors; public users are refused
    "workbench:home": EVERYONE - PORTAL_USERS,
    "workbench:login": EVERYONE,
    "workbench:cases": STAFF,
    "workbench:case-detail": STAFF_A,
    "accounts_wb:totp": NOBODY,  # only during a pending second-factor login
    "accounts_wb:password": STAFF,
    "accounts_wb:verify": STAFF,
    "accounts_wb:query-codes": STAFF,
    # segmented flow
    "workflow:intake": STAFF,
    "workflow:team": STAFF,
    "workflow:team-asset_control": STAFF,
    "workflow:team-asset_disposal": STAFF,
    "workflow:team-fund_distribution": STAFF,
    "workflow:team-closing_archive": STAFF,
    "workflow:matters": STAFF_A,
    "workflow:flow": STAFF_A,
    "workflow:property": STAFF_A,
    "workflow:funds": STAFF_A,
    "workflow:tasks": STAFF,
    "workflow:task-detail": STAFF_A,
    "workflow:photo": STAFF_A,
    "workflow:search": STAFF,
    "workflow:search-export": STAFF,
    "workflow:stats": LEADERS,
    "workflow:notices": STAFF,
    "workflow:calendar": frozenset({"leader", "admin"}),  # 节假日调整: 院领导 and 系统管理员 of the court
    # interaction, judges' side
    "interaction_wb:messages": STAFF,
    "interaction_wb:clues": STAFF,
    "interaction_wb:clue-detail": ANSWERERS,
    "interaction_wb:clue-file": ANSWERERS,
    "interaction_wb:opinions": frozenset({"leader"}),
    "publicinfo_wb:corrections": STAFF,
    "publicinfo_wb:correction": STAFF_A,
    "content_wb:articles": ADMIN,
    "content_wb:create": ADMIN,
    "content_wb:edit": ADMIN,
    "content_wb:preview": ADMIN,
    "calcweb_wb:lpr": ADMIN,
    # documents, judges' side
    "documents:matter": STAFF_A,
    "documents:matter-panel": STAFF_A,
    "documents:make": CASE_ACTORS,
    "documents:sheet": STAFF_A,
    "documents:document": STAFF_A,
    "documents:job-status": STAFF_A,
    "documents:file": STAFF_A,
    "documents:page": STAFF_A,
    "documents:efile-page": STAFF_A,
    "documents:approval-page": frozenset({"team_lead"}),  # the approver of the pending step only
    "documents:approval-preview": frozenset({"team_lead"}),
    "documents:receipt": STAFF_A,
    "documents:approvals": STAFF,
    "documents:efile": STAFF_A,
    "documents:efile-file": STAFF_A,
    "documents:templates": STAFF,
    "documents:template-edit": frozenset({"team_lead", "admin", "leader"}),
    # documents, portal side
    "documents:inbox": SIGNED_IN,
    "documents:inbox-detail": PARTY,
    "documents:inbox-pdf": PARTY,
    "documents:styles": EVERYONE,
    "documents:style": EVERYONE,
    "documents:style-download": EVERYONE,
    "documents:verify": EVERYONE,
    "documents:verify-code": EVERYONE,
    # accounts, portal side
    "accounts:register": EVERYONE,
    "accounts:login": EVERYONE,
    "accounts:login-sms": EVERYONE,
    "accounts:reset": EVERYONE,
    "accounts:unit-login": EVERYONE,
    "accounts:cases": EVERYONE,  # lists the cases in the visitor's own scope (none for visitors)
    "accounts:phone": PORTAL_USERS,
    "accounts:verify": PORTAL_USERS,
    # interaction, portal side
    "interaction:cases": PORTAL_CASE,
    "interaction:progress": PORTAL_CASE,
    "interaction:messages": PORTAL_CASE,
    "interaction:clues": PORTAL_CASE,
    "interaction:clue-new": PORTAL_CASE,
    "interaction:clue-file": PARTY,
    "interaction:opinions": PORTAL_CASE,
    "interaction:opinion-new": PORTAL_CASE,
    "interaction:documents": PORTAL_CASE,
    "interaction:document-new": PORTAL_CASE,
    "interaction:document-edit": PARTY,
    "interaction:document-preview": PARTY,
    "interaction:document-download": PARTY,
    "interaction:document-shared": EVERYONE,  # the signed forwarding link is the capability
    "interaction:document-shared-download": EVERYONE,
    "interaction:notices": SIGNED_IN,
    # 查询服务
    "publicinfo:query": EVERYONE,
    "publicinfo:captcha": EVERYONE,
    "publicinfo:record": EVERYONE,
    "publicinfo:correction": EVERYONE - {"party", "other_party"},  # verified users of another identity: 403
    "publicinfo:correction-done": NOBODY,  # only right after an application, in that session
    "publicinfo:form": EVERYONE,
    # content (the article is court A's unpublished draft: only its court's sysadmin may preview it)
    "content:feed": EVERYONE,
    "content:article": ADMIN,
    "content:cover": ADMIN,
    "content:video": NOBODY,  # the draft has no video
    "content:rights": EVERYONE,
    "content:hotline": EVERYONE,
    "laws:search": EVERYONE,
    "laws:law": EVERYONE,
    "laws:version": EVERYONE,
    "assist:ask": EVERYONE,
    "assist:faq": EVERYONE,
    "assist:faq-detail": EVERYONE,
    "calcweb:index": EVERYONE,
    "calcweb:calculator": EVERYONE,
    "calcweb:pdf": EVERYONE,
    "portal:home": EVERYONE,
    "portal:guide": EVERYONE,
    "portal:service": EVERYONE,
    "portal:me": EVERYONE,
    "portal:install": EVERYONE,
    "portal:about": EVERYONE,
    "portal:offline": EVERYONE,
    "portal:manifest": EVERYONE,
    "portal:service-worker": EVERYONE,
}


def _post_data(sec: Any) -> dict[str, dict[str, Any]]:
    a, w = sec.a, sec.world
    return {
        "accounts_wb:query-code-regenerate": {},
        "workflow:calendar-delete": {},
        "workflow:reassign": {"assignee": sec.judge2.pk},
        "workflow:task-new": {
            "officer": w.field_officer.pk,
            "instructions": "复查车辆",
            "place": "市场西门",
            "due_on": "",
        },
        "workflow:matter-edit": {"status": "open", "note": "补充说明"},
        "workflow:matter-lift": {"reason": "已履行完毕"},
        "workflow:property-control": {"status": "sealed", "note": "查封"},
        "workflow:fund-pay": {},
        "interaction_wb:message-reply": {"reply": "已收到，正在办理"},
        "interaction_wb:opinion-reply": {"reply": "感谢您的建议"},
        "content_wb:publish": {},
        "content_wb:withdraw": {"reason": "撤回"},
        "calcweb_wb:lpr-delete": {},
        "documents:matter-action": {"action": "print", "doc": [a.doc.pk]},
        "documents:approval-decide": {"decision": "approve", "comment": "同意"},
        "documents:efile-upload": {"category": "other", "title": "补充材料"},
        "interaction:message-followup": {"body": "请尽快处理"},
        "interaction:document-share": {},
        "interaction:notice-read": {},
        "interaction:notice-read-all": {},
        "content:follow": {"channel": "news"},
        "content:region": {"region": "370102"},
        "interaction:document-delete": {},
        "workbench:logout": {},
        "accounts:logout": {},
    }


# POST-only views: who may act. Deleting and logging out run last (they end what the others need).
EXPECTED_POST: dict[str, frozenset[str]] = {
    "workflow:calendar-delete": frozenset({"leader", "admin"}),
    "accounts_wb:query-code-regenerate": frozenset({"judge", "team_lead", "admin", "leader"}),
    "workflow:reassign": frozenset({"team_lead"}),
    "workflow:task-new": CASE_ACTORS,
    "workflow:matter-edit": CASE_ACTORS,
    "workflow:matter-lift": CASE_ACTORS,
    "workflow:property-control": CASE_ACTORS,
    "workflow:fund-pay": CASE_ACTORS,
    "interaction_wb:message-reply": ANSWERERS,
    "interaction_wb:opinion-reply": frozenset({"leader"}),
    "content_wb:publish": ADMIN,
    "content_wb:withdraw": ADMIN,
    "calcweb_wb:lpr-delete": ADMIN,
    "documents:matter-action": STAFF_A,
    "documents:approval-decide": frozenset({"team_lead"}),
    "documents:efile-upload": CASE_ACTORS,
    "interaction:message-followup": PARTY,
    "interaction:document-share": PARTY,
    "interaction:notice-read": PARTY,
    "interaction:notice-read-all": SIGNED_IN,
    "content:follow": EVERYONE,
    "content:region": EVERYONE,
    "interaction:document-delete": PARTY,
    "workbench:logout": EVERYONE,
    "accounts:logout": EVERYONE,
}

# --- API ------------------------------------------------------------------------------------------------------
PUBLIC_API = EVERYONE
EXPECTED_API: dict[str, frozenset[str]] = {
    "GET /api/v1/accounts/csrf": PUBLIC_API,
    "GET /api/v1/accounts/captcha": PUBLIC_API,
    "POST /api/v1/accounts/sms-code": PUBLIC_API,
    "POST /api/v1/accounts/register": PUBLIC_API,
    "POST /api/v1/accounts/login": PUBLIC_API,
    "POST /api/v1/accounts/login-sms": PUBLIC_API,
    "POST /api/v1/accounts/password-reset": PUBLIC_API,
    "POST /api/v1/accounts/unit-login": PUBLIC_API,
    "POST /api/v1/accounts/logout": PUBLIC_API,
    "GET /api/v1/accounts/me": EVERYONE - {"anonymous"},
    "GET /api/v1/accounts/cases": EVERYONE - {"anonymous"},
    "POST /api/v1/accounts/phone-change": PORTAL_USERS,
    "GET /api/v1/accounts/verification/notice": PUBLIC_API,
    "POST /api/v1/accounts/verification/consent": PORTAL_USERS,
    "POST /api/v1/accounts/verification/face": PORTAL_USERS,
    "GET /api/v1/cases/": STAFF,
    "POST /api/v1/cases/": frozenset({"judge", "team_lead", "admin"}),  # FILING_ROLES of court A
    "GET /api/v1/cases/{case_id}": STAFF_A,
    "GET /api/v1/flow/queue": STAFF,
    "GET /api/v1/flow/queue/{code}": STAFF,
    "GET /api/v1/flow/cases/{case_id}": STAFF_A,
    "POST /api/v1/flow/cases/{case_id}/submit": CASE_ACTORS,
    "GET /api/v1/documents/inbox": SIGNED_IN,
    "GET /api/v1/documents/verify/{code}": PUBLIC_API,
    "GET /api/v1/interaction/cases": PORTAL_CASE,
    "POST /api/v1/interaction/cases/select": PARTY,
    "GET /api/v1/interaction/cases/{case_id}/progress": PARTY,
    "GET /api/v1/interaction/cases/{case_id}/messages": PARTY,
    "POST /api/v1/interaction/cases/{case_id}/messages": PARTY,
    "GET /api/v1/interaction/cases/{case_id}/clues": PARTY,
    "POST /api/v1/interaction/cases/{case_id}/clues": PARTY,
    "GET /api/v1/interaction/opinions": PORTAL_CASE,
    "POST /api/v1/interaction/opinions": PORTAL_CASE,
    "GET /api/v1/interaction/documents": PORTAL_CASE,
    "POST /api/v1/interaction/documents": PORTAL_CASE,
    "GET /api/v1/interaction/documents/{draft_id}": PARTY,
    "PUT /api/v1/interaction/documents/{draft_id}": PARTY,
    "DELETE /api/v1/interaction/documents/{draft_id}": PARTY,
    "GET /api/v1/interaction/documents/{draft_id}/download/{fmt}": PARTY,
    "POST /api/v1/interaction/documents/{draft_id}/share": PARTY,
    "POST /api/v1/interaction/documents/{draft_id}/share/revoke": PARTY,
    "GET /api/v1/interaction/document-fields/{kind}": PORTAL_CASE,
    "GET /api/v1/interaction/notices": SIGNED_IN,
    "POST /api/v1/interaction/notices/{notice_id}/read": PARTY,
    "GET /api/v1/interaction/staff/messages": STAFF,
    "POST /api/v1/interaction/staff/messages/{message_id}/reply": ANSWERERS,
    "GET /api/v1/interaction/staff/clues": STAFF,
    "POST /api/v1/interaction/staff/clues/{clue_id}/review": ANSWERERS,
    "GET /api/v1/interaction/staff/opinions": STAFF,
    "POST /api/v1/interaction/staff/opinions/{opinion_id}/reply": frozenset({"leader"}),
    "GET /api/v1/public/ping": PUBLIC_API,
    "POST /api/v1/public/captcha": PUBLIC_API,
    "POST /api/v1/public/comprehensive": PUBLIC_API,
    "POST /api/v1/public/lists/{kind}": PUBLIC_API,
    "GET /api/v1/public/records/{token}": PUBLIC_API,
    "GET /api/v1/content/channels": PUBLIC_API,
    "GET /api/v1/content/articles": PUBLIC_API,
    "GET /api/v1/content/articles/{article_id}": ADMIN,  # court A's unpublished draft
    "GET /api/v1/content/hotlines": PUBLIC_API,
    "GET /api/v1/laws/search": PUBLIC_API,
    "GET /api/v1/laws/laws/{law_id}": PUBLIC_API,
    "GET /api/v1/assist/ask": PUBLIC_API,
    "GET /api/v1/assist/faq": PUBLIC_API,
    "GET /api/v1/assist/faq/{code}": PUBLIC_API,
    "POST /api/v1/calculators/execution-fee": PUBLIC_API,
    "POST /api/v1/calculators/preservation-fee": PUBLIC_API,
    "POST /api/v1/calculators/acceptance-fee": PUBLIC_API,
    "POST /api/v1/calculators/delay-interest": PUBLIC_API,
    "POST /api/v1/calculators/loan-interest": PUBLIC_API,
}


def api_bodies(sec: Any) -> dict[str, Any]:
    """Valid bodies, so that a refusal comes from the permission check and not from validation."""
    from zhixing.workflow.models import CaseFlow

    from .conftest import application_data

    a, w = sec.a, sec.world
    return {
        "POST /api/v1/cases/": {
            "court_id": w.court.pk,
            "number": f"（2025）{w.court.case_code}执999号",
            "filed_on": "2025-03-01",
            "basis_issuer": w.court.name,
            "basis_number": f"（2024）{w.court.case_code}民初9号",
            "amount": "1000.00",
            "parties": [
                {"role": "applicant", "kind": "natural", "name": "赵六", "id_number": "370102199008027172"},
                {"role": "respondent", "kind": "natural", "name": "钱七", "id_number": "370102199007156597"},
            ],
        },
        "POST /api/v1/interaction/cases/select": {"case_id": a.case.pk},
        # the current version: actors are refused by the rules (open matters of the stage, 422), others 403
        "POST /api/v1/flow/cases/{case_id}/submit": {
            "version": CaseFlow.objects.get(case=a.case).version,
            "next_stage": "asset_disposal",
        },
        "POST /api/v1/interaction/cases/{case_id}/messages": {"body": "请问执行进度"},
        "POST /api/v1/interaction/opinions": {
            "court_id": w.court.pk,
            "kind": "suggestion",
            "body": "建议公开进度",
        },
        "POST /api/v1/interaction/documents": {"kind": "application", "data": {}},
        "PUT /api/v1/interaction/documents/{draft_id}": {
            "data": application_data("改", w.party),
            "complete": True,
        },
        "POST /api/v1/interaction/staff/messages/{message_id}/reply": {"reply": "正在办理"},
        "POST /api/v1/interaction/staff/clues/{clue_id}/review": {
            "outcome": "unverifiable",
            "result": "暂无法核实",
        },
        "POST /api/v1/interaction/staff/opinions/{opinion_id}/reply": {"reply": "感谢建议"},
        "POST /api/v1/accounts/phone-change": {"password": "x", "new_phone": "13912345678", "code": "123456"},
    }


MULTIPART_API = {
    "POST /api/v1/interaction/cases/{case_id}/clues",
    "POST /api/v1/accounts/verification/face",
}


def _captcha() -> str:
    from zhixing.publicinfo import throttle

    return throttle.captcha_issue()


def path_values(sec: Any, route: Route) -> dict[str, Any]:
    a = sec.a
    by_name: dict[str, dict[str, Any]] = {
        "workflow:team": {"code": "asset_control"},
        "workflow:calendar-delete": {"override_id": sec.calendar_override.pk},
        "workflow:property-control": {"property_id": a.prop.pk},
        "workflow:fund-pay": {"entry_id": a.fund.pk},
        "workflow:task-detail": {"task_id": a.task.pk},
        "workflow:photo": {"photo_id": a.photo.pk},
        "interaction_wb:message-reply": {"pk": a.message.pk},
        "interaction_wb:clue-detail": {"pk": a.clue.pk},
        "interaction_wb:clue-file": {"pk": a.clue_file.pk},
        "interaction_wb:opinion-reply": {"pk": a.opinion.pk},
        "publicinfo_wb:correction": {"pk": a.correction.pk},
        "calcweb_wb:lpr-delete": {"pk": sec.lpr.pk},
        "workbench:case-detail": {"pk": a.case.pk},
        "documents:document": {"pk": a.doc.pk},
        "documents:job-status": {"pk": a.doc.pk},
        "documents:file": {"pk": a.doc.pk, "kind": "pdf"},
        "documents:page": {"pk": a.doc.pk, "kind": "pdf", "n": 1},
        "documents:efile-page": {"pk": a.efile_pdf.pk, "n": 1},
        "documents:receipt": {"pk": a.service.pk},
        "documents:efile-file": {"pk": a.efile.pk},
        "documents:template-edit": {"pk": sec.template.pk},
        "documents:inbox-detail": {"pk": a.service.pk},
        "documents:inbox-pdf": {"pk": a.service.pk},
        "documents:style": {"code": "p_apply"},
        "documents:style-download": {"code": "p_apply", "fmt": "docx"},
        "documents:verify-code": {"code": a.doc.verify_code},
        "interaction:message-followup": {"pk": a.message.pk},
        "interaction:clue-file": {"pk": a.clue_file.pk},
        "interaction:document-new": {"kind": "application"},
        "interaction:document-edit": {"kind": "application", "pk": a.draft.pk},
        "interaction:document-download": {"pk": a.draft.pk, "fmt": "docx"},
        "interaction:document-shared": {"token": a.share_token},
        "interaction:document-shared-download": {"token": a.share_token, "fmt": "docx"},
        "interaction:notice-read": {"pk": a.notice.pk},
        "publicinfo:record": {"token": a.record_token},
        "publicinfo:correction": {"token": sec.dishonest_token},
        "publicinfo:form": {"kind": "debtor"},
        "content:article": {"pk": a.article.pk},
        "content:cover": {"pk": a.article.pk},
        "content:video": {"pk": a.article.pk},
        "laws:law": {"law_id": sec.law.pk},
        "laws:version": {"version_id": sec.law_version.pk},
        "assist:faq-detail": {"code": sec.faq.code},
        "calcweb:calculator": {"slug": "execution-fee"},
        "calcweb:pdf": {"slug": "execution-fee"},
    }
    defaults: dict[str, Any] = {
        "case_id": a.case.pk,
        "matter_id": a.matter.pk,
        "step_id": a.step.pk,
        "pk": a.draft.pk,
        "n": 1,
    }
    values = {**defaults, **by_name.get(route.name, {})}
    if route.name == "publicinfo:captcha":
        values["token"] = _captcha()
    if route.name.startswith("content_wb:"):
        values["pk"] = a.article.pk
    return {k: values[k] for k in route.params}


def api_values(sec: Any, op: Any) -> dict[str, Any]:
    a = sec.a
    values: dict[str, Any] = {
        "case_id": a.case.pk,
        "draft_id": a.draft.pk,
        "fmt": "docx",
        "notice_id": a.notice.pk,
        "message_id": a.message.pk,
        "clue_id": a.clue.pk,
        "opinion_id": a.opinion.pk,
        "token": a.record_token,
        "article_id": a.article.pk,
        "law_id": sec.law.pk,
    }
    if "document-fields" in op.path:
        values["kind"] = "application"
    elif "/lists/" in op.path:
        values["kind"] = "debtor"
    if op.path.startswith("/api/v1/flow/queue/"):
        values["code"] = "asset_control"
    elif op.path.startswith("/api/v1/documents/verify/"):
        values["code"] = a.doc.verify_code
    elif op.path.startswith("/api/v1/assist/faq/"):
        values["code"] = sec.faq.code
    return {k: values[k] for k in op.params}


# --- what must never be in a response -------------------------------------------------------------------------

# Where a full resident ID number is the content itself: the author's own 执行申请书 (its legal form asks for
# the applicant's number) — shown to its author, and through the forwarding link the author chose to share.
ID_EXEMPT = frozenset(
    {
        "interaction:document-new",
        "interaction:document-edit",
        "interaction:document-preview",
        "interaction:document-download",
        "interaction:document-shared",
        "interaction:document-shared-download",
        "GET /api/v1/interaction/documents/{draft_id}",
        "GET /api/v1/interaction/documents/{draft_id}/download/{fmt}",
        "PUT /api/v1/interaction/documents/{draft_id}",
        "GET /api/v1/interaction/documents",
    }
)
_ID_RE = re.compile(rb"(?<![0-9])[1-9][0-9]{16}[0-9Xx](?![0-9])")
# Logging out answers everyone with a redirect to a sign-in page: only "no server error, no data" applies.
ANY_ANSWER = frozenset({"workbench:logout", "accounts:logout"})
HASH_MARKERS = (b"argon2$", b"md5$", b"pbkdf2_sha256$", b"bcrypt$")


class Findings:
    def __init__(self, sec: Any) -> None:
        self.sec = sec
        self.errors: list[str] = []
        self.checks = 0
        self.secret = [m.encode() for m in sec.a.markers] + [
            sec.a.case.number.encode(),
            *(i.encode() for i in sec.ids),
        ]
        self.full_ids = [i.encode() for i in sec.ids] + [i.lower().encode() for i in sec.ids]
        from zhixing.accounts.models import User

        self.blind = [
            u.id_index.encode()
            for u in User.objects.exclude(id_index="").exclude(id_index__isnull=True)
            if len(u.id_index) >= 32
        ]

    def own_id(self, persona: str) -> bytes | None:
        from .conftest import OTHER_PARTY_ID, PARTY_ID

        own = {"party": PARTY_ID[1], "other_party": OTHER_PARTY_ID[1]}.get(persona)
        return own.encode() if own else None

    def scan(self, key: str, persona: str, body: bytes) -> None:
        """Check 4: no full ID number of a seeded person, no password hash, no blind index, no face data.
        On the author's own 申请书 pages only the author's own number may appear."""
        base = key.split(" (")[0]
        own = self.own_id(persona) if base in ID_EXEMPT else None
        if base in ID_EXEMPT and persona == "anonymous":
            own = self.own_id("party")  # the forwarding link the party shared
        for number in self.full_ids:
            if number in body and number.upper() != own:
                self.errors.append(f"{key} as {persona}: full ID number {number.decode()[:6]}… in the body")
        for marker in HASH_MARKERS:
            if marker in body:
                self.errors.append(f"{key} as {persona}: password hash in the body")
        for index in self.blind:
            if index in body:
                self.errors.append(f"{key} as {persona}: blind index in the body")
        if b"face_encoding" in body or b"descriptor" in body:
            self.errors.append(f"{key} as {persona}: face data in the body")

    def check(self, key: str, persona: str, allowed: frozenset[str], response: Any) -> None:
        self.checks += 1
        body = body_of(response)
        status = response.status_code
        if status >= 500:
            self.errors.append(f"{key} as {persona}: {status}")
            return
        if key.split(" (")[0] in ANY_ANSWER:
            self.scan(key, persona, body)
            return
        if persona in allowed:
            if denied(response):
                self.errors.append(
                    f"{key} as {persona}: expected access, got {status} {response.get('Location', '')}"
                )
        else:
            if not denied(response):
                self.errors.append(
                    f"{key} as {persona}: expected refusal, got {status} {response.get('Location', '')}"
                )
            leaked = [s.decode() for s in self.secret if s in body]
            if leaked:
                self.errors.append(f"{key} as {persona}: refused but the body holds {leaked}")
        self.scan(key, persona, body)


def _routes() -> list[Route]:
    return [r for r in walk_routes() if not r.name.startswith("admin:")]


def test_every_route_has_an_entry() -> None:
    """A new URL without an entry in the table fails here (anything not listed would be untested)."""
    names = {r.name for r in _routes()}
    missing = sorted(names - set(EXPECTED_GET) - set(EXPECTED_POST))
    stale = sorted((set(EXPECTED_GET) | set(EXPECTED_POST)) - names)
    assert not missing, f"URL patterns without an expected-access entry: {missing}"
    assert not stale, f"entries for URL patterns that no longer exist: {stale}"
    assert not set(EXPECTED_GET) & set(EXPECTED_POST)


def test_every_api_operation_has_an_entry() -> None:
    keys = {f"{op.method} {op.path}" for op in api_operations()}
    assert not sorted(keys - set(EXPECTED_API)), (
        f"API operations without an entry: {sorted(keys - set(EXPECTED_API))}"
    )
    assert not sorted(set(EXPECTED_API) - keys), f"stale API entries: {sorted(set(EXPECTED_API) - keys)}"


def _post_order(name: str) -> tuple[int, str]:
    return (("delete" in name) + 2 * ("logout" in name), name)


@pytest.mark.parametrize("persona", PERSONAS)
def test_pages_matrix(sec: Any, persona: str) -> None:
    findings = Findings(sec)
    client = client_for(sec, persona)
    routes = {r.name: r for r in _routes()}
    for name, allowed in EXPECTED_GET.items():
        route = routes[name]
        url = build_path(route, path_values(sec, route))
        findings.check(name, persona, allowed, client.get(url))
        if persona == "anonymous" and "anonymous" not in allowed:
            # HTMX requests from visitors: 204 + HX-Redirect to the login page, or a refusal, never data
            findings.check(f"{name} (htmx)", persona, allowed, client.get(url, HTTP_HX_REQUEST="true"))
    data = _post_data(sec)
    from django.core.files.uploadedfile import SimpleUploadedFile

    for name in sorted(EXPECTED_POST, key=_post_order):
        route = routes[name]
        url = build_path(route, path_values(sec, route))
        payload = dict(data[name])
        if name == "documents:efile-upload":
            payload["file"] = SimpleUploadedFile("材料.txt", "补充材料".encode(), "text/plain")
        # GET on a POST-only view is refused for everyone (405) or sends visitors to the login
        findings.check(f"{name} (GET)", persona, NOBODY, client.get(url))
        findings.check(f"{name} (POST)", persona, EXPECTED_POST[name], client.post(url, payload))
    print(f"\npages matrix, {persona}: {findings.checks} checks")
    assert not findings.errors, "\n".join(findings.errors)


def _admin_object_ids(sec: Any) -> dict[str, str]:
    from django.contrib import admin

    ids: dict[str, str] = {}
    for model in admin.site._registry:
        obj = model._default_manager.order_by("pk").first()
        ids[f"{model._meta.app_label}_{model._meta.model_name}"] = str(obj.pk) if obj is not None else "1"
    return ids


@pytest.mark.parametrize("persona", PERSONAS)
def test_admin_matrix(sec: Any, persona: str) -> None:
    """Every /admin/ pattern: the system administrator only (Django admin staff flag); others → login."""
    from django.contrib.contenttypes.models import ContentType

    findings = Findings(sec)
    client = client_for(sec, persona)
    object_ids = _admin_object_ids(sec)
    ct = ContentType.objects.get(app_label="cases", model="enforcementcase")
    for route in walk_routes():
        if not route.name.startswith("admin:"):
            continue
        values: dict[str, Any] = {}
        for param in route.params:
            if param == "object_id" or param == "id":
                key = next(
                    (k for k in object_ids if route.route.startswith(f"admin/{k.replace('_', '/', 1)}/")), ""
                )
                values[param] = object_ids.get(key, "1")
            elif param == "content_type_id":
                values[param] = ct.pk
            else:
                values[param] = "x"
        if route.name == "admin:view_on_site":
            values["object_id"] = sec.a.case.pk
        url = build_path(route, values)
        if persona == "admin" and route.name.endswith(("_add", "_delete", "_history")):
            continue  # the administrator's forms: the change pages and lists hold the data scanned here
        response = client.get(url)
        if persona == "admin" or route.name in ("admin:logout", "admin:login"):
            # The administrator: any answer but a server error (read-only models refuse add/delete with
            # 403 by design). Login redirects everyone to the workbench login (second factor); logout
            # needs POST. The responses are still scanned for identifiers, hashes and blind indexes.
            findings.checks += 1
            body = body_of(response)
            if response.status_code >= 500:
                findings.errors.append(f"{route.name} as {persona}: {response.status_code}")
            findings.scan(route.name, persona, body)
            continue
        findings.check(route.name, persona, ADMIN, response)
    print(f"\nadmin matrix, {persona}: {findings.checks} checks")
    assert not findings.errors, "\n".join(findings.errors)


@pytest.mark.parametrize("persona", PERSONAS)
def test_api_matrix(sec: Any, persona: str) -> None:
    import json

    from django.core.files.uploadedfile import SimpleUploadedFile

    from .conftest import png_bytes

    findings = Findings(sec)
    client = client_for(sec, persona)
    bodies = api_bodies(sec)
    ops = sorted(
        api_operations(),
        key=lambda op: ("logout" in op.path, op.method == "DELETE", "revoke" in op.path),
    )
    for op in ops:
        key = f"{op.method} {op.path}"
        path = api_path(op, api_values(sec, op))
        if key in MULTIPART_API:
            files = {
                "body": "市场摊位",
                "real_name": "张伟",
                "id_number": "37010219850307123X",
                "files": SimpleUploadedFile("a.png", png_bytes(), "image/png"),
                "portrait": SimpleUploadedFile("p.png", png_bytes(), "image/png"),
                "selfie": SimpleUploadedFile("s.png", png_bytes(), "image/png"),
            }
            response = client.post(path, files)
        elif key in bodies:
            response = getattr(client, op.method.lower())(
                path, data=json.dumps(bodies[key]), content_type="application/json"
            )
        else:
            response = api_call(client, op, path)
        findings.check(key, persona, EXPECTED_API[key], response)
    print(f"\nAPI matrix, {persona}: {findings.checks} checks")
    assert not findings.errors, "\n".join(findings.errors)


def test_dev_outbox_is_gone_in_production(sec: Any, settings: Any) -> None:
    """/dev/sms/ (every persona may read it in development) answers 404 to every persona in production."""
    settings.PRODUCTION = True
    for persona in PERSONAS:
        response = client_for(sec, persona).get("/dev/sms/")
        assert response.status_code == 404, persona


def test_matrix_size() -> None:
    """The figures of the matrix (printed; SECURITY.md quotes them): persona × URL/operation checks."""
    routes = walk_routes()
    admin_routes = [r for r in routes if r.name.startswith("admin:")]
    admin_forms = [r for r in admin_routes if r.name.endswith(("_add", "_delete", "_history"))]
    anonymous_htmx = sum(1 for allowed in EXPECTED_GET.values() if "anonymous" not in allowed)
    pages = len(EXPECTED_GET) * len(PERSONAS) + anonymous_htmx + 2 * len(EXPECTED_POST) * len(PERSONAS)
    admin = len(admin_routes) * len(PERSONAS) - len(admin_forms)
    api = len(EXPECTED_API) * len(PERSONAS)
    print(
        f"\nauthorisation matrix: {len(PERSONAS)} personas; {len(EXPECTED_GET) + len(EXPECTED_POST)} site URL "
        f"patterns, {len(admin_routes)} admin URL patterns, {len(EXPECTED_API)} API operations; "
        f"checks: pages {pages}, admin {admin}, API {api}, total {pages + admin + api}"
    )
    assert pages + admin + api > 5000
