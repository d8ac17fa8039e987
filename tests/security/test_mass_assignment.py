"""Mass assignment and field exposure (issue 11, check 4).

Protected fields — stage, assignee/judge, team, approver, status, court, case number, verified flags,
owner — cannot be written by sending them as extra form fields or JSON keys: each request below adds them
and the test asserts they are unchanged. JSON answers never carry internal keys (hashes, blind indexes,
whole identity numbers, face data); the authorisation matrix scans every page and answer for the seeded
people's full ID numbers as well.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.urls import reverse

from zhixing.cases.models import EnforcementCase
from zhixing.workflow.models import CaseFlow

from .conftest import PERSONAS, client_for
from .matrix_support import api_operations, api_path, body_of
from .test_authz_matrix import api_values

SMUGGLED = {
    "stage": "closing_archive",
    "stage_id": 4,
    "assignee": 1,
    "assignee_id": 1,
    "team": 1,
    "team_id": 1,
    "judge": 1,
    "judge_id": 1,
    "approver": 1,
    "approver_id": 1,
    "status": "closed",
    "court": 2,
    "court_id": 2,
    "number": "（2020）鲁0103执1号",
    "verified_at": "2020-01-01T00:00:00",
    "is_verified": True,
    "is_staff": True,
    "is_superuser": True,
    "kind": "staff",
    "user": 1,
    "user_id": 1,
    "owner": 1,
    "reply": "伪造的答复",
    "replied_by": 1,
    "outcome": "confirmed",
    "version": 99,
}


def _snapshot_case(case: EnforcementCase) -> tuple[Any, ...]:
    case = EnforcementCase.objects.get(pk=case.pk)
    flow = CaseFlow.objects.get(case=case)
    return (
        case.status,
        case.judge_id,
        case.court_id,
        case.number,
        flow.stage_id,
        flow.assignee_id,
        flow.team_id,
    )


def test_flow_draft_cannot_move_the_case(sec: Any) -> None:
    """暂存 with stage/assignee/team/status/court smuggled in: only the notes are kept."""
    case = sec.a.case
    before = _snapshot_case(case)
    flow = CaseFlow.objects.get(case=case)
    data = {
        **SMUGGLED,
        "judge": sec.world.judge_outside.pk,
        "assignee": sec.world.judge_outside.pk,
        "version": flow.version,
        "action": "save",
        "other_notes": "暂存说明",
    }
    response = client_for(sec, "judge").post(reverse("workflow:flow", args=[case.pk]), data)
    assert response.status_code < 500
    assert _snapshot_case(case) == before


def test_matter_edit_cannot_reassign_case_or_stage(sec: Any) -> None:
    matter = type(sec.a.matter).objects.get(pk=sec.a.matter.pk)
    before = (matter.case_id, matter.stage_id, matter.matter_type_id, matter.created_by_id)
    data = {**SMUGGLED, "status": "open", "note": "补充", "case": sec.world.other_case.pk, "matter_type": 1}
    response = client_for(sec, "judge").post(reverse("workflow:matter-edit", args=[matter.pk]), data)
    assert response.status_code < 500
    matter.refresh_from_db()
    assert (matter.case_id, matter.stage_id, matter.matter_type_id, matter.created_by_id) == before


def test_reassign_only_within_the_team(sec: Any) -> None:
    """The lead may reassign within the team holding the case, never to a judge of another court."""
    case = sec.a.case
    before = _snapshot_case(case)
    response = client_for(sec, "team_lead").post(
        reverse("workflow:reassign", args=[case.pk]), {"assignee": sec.world.judge_outside.pk, "team": 99}
    )
    assert response.status_code in (403, 404, 422) or response.status_code == 302
    assert _snapshot_case(case) == before


def test_case_api_ignores_status_judge_and_stage(sec: Any) -> None:
    body = {
        "court_id": sec.world.court.pk,
        "number": f"（2025）{sec.world.court.case_code}执777号",
        "filed_on": "2025-03-01",
        "basis_issuer": sec.world.court.name,
        "basis_number": f"（2024）{sec.world.court.case_code}民初7号",
        "amount": "1000.00",
        "parties": [
            {
                "role": "applicant",
                "kind": "natural",
                "name": "赵六",
                "id_number": "370102199008027172",
                "user_id": sec.world.public.pk,
            },
            {"role": "respondent", "kind": "natural", "name": "钱七", "id_number": "370102199007156597"},
        ],
        **{k: v for k, v in SMUGGLED.items() if k not in ("court_id", "number")},
        "judge_id": sec.world.judge_outside.pk,
        "status": "closed",
    }
    response = client_for(sec, "judge").post(
        "/api/v1/cases/", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    case = EnforcementCase.objects.get(number=body["number"])
    assert case.status != "closed"
    assert case.judge_id != sec.world.judge_outside.pk
    assert case.court_id == sec.world.court.pk
    assert not case.parties.filter(user=sec.world.public).exists()
    assert "370102199008027172" not in response.content.decode()  # the answer masks the number


def test_party_posts_cannot_answer_themselves(sec: Any) -> None:
    """A party's message, clue and opinion with reply/status/outcome smuggled in stay unanswered."""
    from zhixing.interaction.models import Clue, Message, Opinion

    party = client_for(sec, "party")
    extra = {
        k: v for k, v in SMUGGLED.items() if k in ("reply", "replied_by", "status", "outcome", "user_id")
    }
    r = party.post(
        f"/api/v1/interaction/cases/{sec.a.case.pk}/messages",
        json.dumps({"body": "请问何时发放案款", **extra}),
        content_type="application/json",
    )
    assert r.status_code in (200, 201), r.content
    msg = Message.objects.order_by("-pk").first()
    assert msg.body == "请问何时发放案款" and not msg.reply and msg.replied_by_id is None
    r = party.post(
        "/api/v1/interaction/opinions",
        json.dumps({"court_id": sec.world.court.pk, "kind": "complaint", "body": "投诉内容详述", **extra}),
        content_type="application/json",
    )
    assert r.status_code in (200, 201), r.content
    op = Opinion.objects.order_by("-pk").first()
    assert not op.reply and op.replied_by_id is None
    r = party.post(
        f"/api/v1/interaction/cases/{sec.a.case.pk}/clues",
        {"body": "被执行人有车辆停放在小区", "status": "checked", "outcome": "confirmed", "result": "伪造"},
    )
    assert r.status_code in (200, 201), r.content
    clue = Clue.objects.order_by("-pk").first()
    assert clue.status == Clue.Status.CHECKING and not clue.outcome and not clue.result


def test_draft_owner_and_case_cannot_be_changed(sec: Any) -> None:
    from zhixing.interaction.models import DocumentDraft

    from .conftest import application_data

    draft = DocumentDraft.objects.get(pk=sec.a.draft.pk)
    before = {
        f.name: getattr(draft, f.attname)
        for f in draft._meta.concrete_fields
        if f.name not in ("data", "updated_at", "is_complete")
    }
    body = {
        "data": application_data("甲", sec.world.party),
        "complete": True,
        "user_id": sec.world.other_party.pk,
        "user": sec.world.other_party.pk,
        "case_id": sec.world.other_case.pk,
        "share_nonce": "x",
    }
    r = client_for(sec, "party").put(
        f"/api/v1/interaction/documents/{draft.pk}", json.dumps(body), content_type="application/json"
    )
    assert r.status_code == 200, r.content
    draft.refresh_from_db()
    after = {
        f.name: getattr(draft, f.attname)
        for f in draft._meta.concrete_fields
        if f.name not in ("data", "updated_at", "is_complete")
    }
    assert after == before


def test_registration_cannot_grant_staff_or_verification(sec: Any) -> None:
    """Register through the API with staff, superuser and verified flags smuggled in: a plain public user."""
    from zhixing.accounts.models import User
    from zhixing.notifications.models import SmsMessage

    client = client_for(sec, "anonymous")
    phone = "13912345670"
    r = client.post(
        "/api/v1/accounts/sms-code",
        json.dumps({"phone": phone, "purpose": "register"}),
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    sms = SmsMessage.objects.filter(template="verify_code").order_by("-pk").first()
    code = re.search(r"\d{6}", sms.body).group(0)
    body = {
        "phone": phone,
        "code": code,
        "password": "Strong#Pass2024x",
        **SMUGGLED,
        "real_name": "冒名",
        "id_number": "37010219850307123X",
        "verified_at": "2020-01-01T00:00:00Z",
    }
    r = client.post("/api/v1/accounts/register", json.dumps(body), content_type="application/json")
    assert r.status_code in (200, 201), r.content
    user = User.objects.get(phone_index__isnull=False, pk=User.objects.order_by("-pk").first().pk)
    assert user.kind == User.Kind.PUBLIC
    assert not user.is_staff and not user.is_superuser
    assert user.verified_at is None and not user.is_verified
    assert not user.real_name


def test_article_cannot_move_to_another_court(sec: Any) -> None:
    """The court's sysadmin editing a draft cannot place it under a court where they have no role."""
    from zhixing.content.models import Article

    article = Article.objects.get(pk=sec.a.article.pk)
    before = (article.court_id, article.status, article.views)
    data = {
        "channel": article.channel_id,
        "court": sec.world.other_court.pk,
        "title": article.title,
        "summary": "",
        "body": article.body,
        "region_code": "",
        "status": "published",
        "views": 99999,
    }
    r = client_for(sec, "admin").post(reverse("content_wb:edit", args=[article.pk]), data)
    assert r.status_code in (403, 422), r.status_code
    article.refresh_from_db()
    assert (article.court_id, article.status, article.views) == before


def test_document_status_and_chain_not_writable_through_make(sec: Any) -> None:
    """文书制作 with status/approval_chain/signed smuggled in: a draft that still needs its approval."""
    from zhixing.documents.models import DocStatus, DocTemplate, Document

    tpl = DocTemplate.objects.get(court__isnull=True, code="ruling_seal_up")
    url = reverse("documents:make", args=[sec.a.matter.pk])
    before = set(Document.objects.values_list("pk", flat=True))
    data = {
        "template": tpl.pk,
        "status": DocStatus.APPROVED,
        "approval_chain": "",
        "created_by": sec.world.team_lead.pk,
        "verify_code": "FORGED",
        "case": sec.world.other_case.pk,
    }
    r = client_for(sec, "judge").post(url, data)
    assert r.status_code < 500
    for doc in Document.objects.exclude(pk__in=before):
        assert doc.status == DocStatus.DRAFT
        assert doc.approval_chain == tpl.approval_chain
        assert doc.created_by_id == sec.world.judge.pk
        assert doc.case_id == sec.a.case.pk
        assert doc.verify_code != "FORGED"


FORBIDDEN_KEYS = {
    "password",
    "id_index",
    "phone_index",
    "face_encoding",
    "encoding",
    "descriptor",
    "portrait",
    "selfie",
}
_ID_RE = re.compile(r"^[1-9]\d{16}[\dXx]$")


def _walk(value: Any, path: str, problems: list[str]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            if key in FORBIDDEN_KEYS:
                problems.append(f"{path}.{key}")
            _walk(item, f"{path}.{key}", problems)
    elif isinstance(value, list):
        for item in value[:50]:
            _walk(item, f"{path}[]", problems)
    elif isinstance(value, str) and _ID_RE.match(value):
        problems.append(f"{path}: a whole identity number")


def test_api_answers_carry_no_internal_fields(sec: Any) -> None:
    """Every GET operation as every persona: no hash/index/face keys, no whole identity numbers as values
    (except the author's own 申请书 draft, whose legal form asks for the applicant's number)."""
    problems: list[str] = []
    checked = 0
    own_draft = {"/api/v1/interaction/documents/{draft_id}", "/api/v1/interaction/documents"}
    for persona in PERSONAS:
        client = client_for(sec, persona)
        for op in api_operations():
            if op.method != "GET" or op.path in own_draft:
                continue
            response = client.get(api_path(op, api_values(sec, op)))
            body = body_of(response)
            if not response.get("Content-Type", "").startswith("application/json"):
                continue
            checked += 1
            _walk(json.loads(body or b"null"), f"{persona} {op.path}", problems)
    print(f"\nfield exposure: {checked} JSON answers walked")
    assert checked > 100
    assert not problems, problems
