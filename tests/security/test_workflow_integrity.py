"""Workflow integrity (issue 11, check 5), through the workbench pages a judge uses.

Skipped stages, illegal transitions, acting by someone who is neither the stage's assignee nor the lead of
its team, self-approval of documents, signing an unapproved document and two submits of the same form are
all refused (403/404/422) with a Chinese message, and nothing moves.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhixing.workflow.models import CaseFlow, CaseMatter, StageRecord

from .conftest import client_for

CJK = re.compile(r"[\u4e00-\u9fff]{4,}")


def _flow(case: Any) -> CaseFlow:
    return CaseFlow.objects.select_related("stage").get(case=case)


def _close_matters(case: Any) -> None:
    CaseMatter.objects.filter(case=case).update(status="done")


def _submit(client: Client, case: Any, **fields: Any) -> Any:
    data = {"action": "submit", "version": _flow(case).version, **fields}
    return client.post(reverse("workflow:flow", args=[case.pk]), data)


def _snapshot(case: Any) -> tuple[Any, ...]:
    flow = _flow(case)
    return (
        flow.stage_id,
        flow.assignee_id,
        flow.team_id,
        flow.version,
        StageRecord.objects.filter(case=case).count(),
    )


def _message(response: Any) -> str:
    text = response.content.decode()
    assert CJK.search(text), f"no Chinese message in the {response.status_code} answer"
    return text


@pytest.mark.parametrize(
    ("fields", "why"),
    [
        ({"next_stage": "closing_archive"}, "skips 财产处置 and 案款分配"),
        ({"next_stage": "asset_control"}, "stays in the same stage"),
        ({"next_stage": "no_such_stage"}, "unknown stage"),
        ({"next_stage": "asset_disposal", "has_auction": "no"}, "财产处置 without an auction"),
        ({"next_stage": "", "closure_method": "fulfilled"}, "closes from the first stage"),
    ],
)
def test_illegal_transitions_are_refused(sec: Any, fields: dict[str, str], why: str) -> None:
    case = sec.a.case
    _close_matters(case)
    before = _snapshot(case)
    response = _submit(client_for(sec, "judge"), case, **fields)
    assert response.status_code == 422, why
    _message(response)
    assert _snapshot(case) == before, why


def test_submit_with_open_matters_is_refused(sec: Any) -> None:
    case = sec.a.case
    before = _snapshot(case)
    response = _submit(client_for(sec, "judge"), case, next_stage="asset_disposal", has_auction="yes")
    assert response.status_code == 422
    assert "事项" in _message(response)
    assert _snapshot(case) == before


@pytest.mark.parametrize(
    "persona", ["approver", "field_officer", "leader", "admin", "judge_outside", "judge2"]
)
def test_only_assignee_or_lead_may_submit(sec: Any, persona: str) -> None:
    case = sec.a.case
    _close_matters(case)
    before = _snapshot(case)
    if persona == "judge2":  # a judge of the same team who is not the assignee
        client = Client()
        client.force_login(sec.judge2)
    else:
        client = client_for(sec, persona)
    response = _submit(client, case, next_stage="asset_disposal", has_auction="yes")
    assert response.status_code in (403, 404), persona
    if response.status_code == 403:
        _message(response)
    assert _snapshot(case) == before


def test_the_assignee_and_the_lead_may_submit_once(sec: Any) -> None:
    """The may-side, and the same form submitted twice (a double click, a second tab): one transition."""
    case = sec.a.case
    _close_matters(case)
    version = _flow(case).version
    form = {"action": "submit", "version": version, "next_stage": "asset_disposal", "has_auction": "yes"}
    first = client_for(sec, "judge").post(reverse("workflow:flow", args=[case.pk]), form)
    assert first.status_code == 302
    second = client_for(sec, "team_lead").post(reverse("workflow:flow", args=[case.pk]), form)
    assert second.status_code in (403, 422)  # stale version (or the lead no longer holds the case)
    _message(second)
    assert _flow(case).stage.code == "asset_disposal"
    assert StageRecord.objects.filter(case=case, stage__code="asset_disposal").count() == 1


def test_reassign_by_a_non_lead_is_refused(sec: Any) -> None:
    case = sec.a.case
    before = _snapshot(case)
    response = client_for(sec, "judge").post(
        reverse("workflow:reassign", args=[case.pk]), {"assignee": sec.judge2.pk}
    )
    assert response.status_code == 403
    _message(response)
    assert _snapshot(case) == before


def _new_document(sec: Any, actor: Any, code: str) -> Any:
    from zhixing.documents import services
    from zhixing.documents.models import DocTemplate

    tpl = DocTemplate.objects.get(court__isnull=True, code=code)
    return services.document_create(actor=actor, case=sec.a.case, template=tpl, data={}, matter=sec.a.matter)


def test_self_approval_is_refused(sec: Any) -> None:
    """The team lead drafts and submits a ruling; approving it themselves is refused."""
    from zhixing.documents import services
    from zhixing.documents.models import ApprovalStep, DocStatus

    lead = sec.world.team_lead
    doc = services.document_submit(actor=lead, document=_new_document(sec, lead, "ruling_seal_up"))
    step = ApprovalStep.objects.get(document=doc, decision=ApprovalStep.Decision.PENDING)
    response = client_for(sec, "team_lead").post(
        reverse("documents:approval-decide", args=[step.pk]), {"decision": "approve", "comment": "同意"}
    )
    assert response.status_code == 403
    assert "本人" in _message(response)
    step.refresh_from_db()
    doc.refresh_from_db()
    assert step.decision == ApprovalStep.Decision.PENDING and doc.status == DocStatus.PENDING


def test_approval_by_the_wrong_level_or_twice_is_refused(sec: Any) -> None:
    from zhixing.documents.models import ApprovalStep

    step = sec.a.step  # team_lead level, submitted by the judge
    url = reverse("documents:approval-decide", args=[step.pk])
    for persona in ("judge", "approver", "field_officer", "judge_outside"):
        response = client_for(sec, persona).post(url, {"decision": "approve", "comment": "同意"})
        assert response.status_code in (403, 404), persona
    assert ApprovalStep.objects.get(pk=step.pk).decision == ApprovalStep.Decision.PENDING
    lead = client_for(sec, "team_lead")
    assert lead.post(url, {"decision": "approve", "comment": "同意"}).status_code in (200, 302)
    again = lead.post(url, {"decision": "approve", "comment": "再次同意"})
    assert again.status_code in (403, 422)
    _message(again)
    assert (
        ApprovalStep.objects.filter(document=step.document, decision=ApprovalStep.Decision.APPROVED).count()
        == 1
    )


def test_signing_an_unapproved_document_is_refused(sec: Any) -> None:
    """A document waiting for approval (and one returned) cannot be signed from the documents panel."""
    from zhixing.documents.models import DocStatus, Document

    pending = sec.a.step.document
    draft = _new_document(sec, sec.world.judge, "ruling_seal_up")  # needs approval, never submitted
    for doc in (pending, draft):
        before = Document.objects.get(pk=doc.pk).status
        response = client_for(sec, "judge").post(
            reverse("documents:matter-action", args=[sec.a.matter.pk]), {"action": "sign", "doc": [doc.pk]}
        )
        assert response.status_code in (200, 422)
        text = _message(response)
        assert "审批" in text or "签章" in text
        fresh = Document.objects.get(pk=doc.pk)
        assert fresh.status == before and fresh.status != DocStatus.SIGNED and not fresh.signed_pdf
