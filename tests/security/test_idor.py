"""IDOR (issue 11, check 3): every object type of court A / world.party, fetched, listed, exported,
downloaded and acted upon by personas who must not reach it → refused, none of its bytes in the answer,
and nothing changed. The attackers: the judge of another court, another verified party, the unit user
(another case), an unverified public user and a visitor.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from .conftest import client_for
from .matrix_support import body_of, denied

ATTACKERS = ("judge_outside", "other_party", "unit", "public", "anonymous")


@dataclass
class Attack:
    kind: str  # object type
    what: str  # fetched / listed / exported / downloaded / written
    method: str
    url: Callable[[Any], str]
    data: Callable[[Any], Any] | None = None
    json: bool = False
    state: Callable[[Any], Any] | None = None  # a snapshot that must not change
    list_only: bool = False  # a list every signed-in persona may open: only "none of its bytes" applies


def _doc_url(kind: str) -> Callable[[Any], str]:
    return lambda s: reverse("documents:file", args=[s.a.doc.pk, kind])


def _refresh(obj: Any, *fields: str) -> Callable[[Any], Any]:
    def snap(s: Any) -> Any:
        fresh = type(obj).objects.get(pk=obj.pk)
        return tuple(getattr(fresh, f) for f in fields)

    return snap


ATTACKS: list[Attack] = [
    # case and parties
    Attack("case", "fetched", "GET", lambda s: reverse("workbench:case-detail", args=[s.a.case.pk])),
    Attack("case", "fetched (API)", "GET", lambda s: f"/api/v1/cases/{s.a.case.pk}"),
    Attack(
        "case", "listed (API, by party name)", "GET", lambda s: "/api/v1/cases/?party=张伟", list_only=True
    ),
    Attack(
        "case",
        "listed (search)",
        "GET",
        lambda s: f"/workbench/flow/search/?q={s.a.case.number}",
        list_only=True,
    ),
    Attack(
        "case",
        "exported (CSV)",
        "GET",
        lambda s: f"/workbench/flow/search/export.csv?q={s.a.case.number}",
        list_only=True,
    ),
    Attack("case", "listed (all cases)", "GET", lambda s: "/workbench/cases/?q=张伟", list_only=True),
    # another court's id in the filters: the filter narrows within the persona's scope, never widens it
    Attack(
        "case",
        "listed (API, court filter)",
        "GET",
        lambda s: f"/api/v1/cases/?court_id={s.world.court.pk}",
        list_only=True,
    ),
    Attack(
        "case",
        "listed (court filter)",
        "GET",
        lambda s: f"/workbench/cases/?court={s.world.court.pk}",
        list_only=True,
    ),
    Attack(
        "case",
        "exported (CSV, court filter)",
        "GET",
        lambda s: f"/workbench/flow/search/export.csv?court={s.world.court.pk}",
        list_only=True,
    ),
    Attack(
        "case",
        "team queue (court filter)",
        "GET",
        lambda s: f"/workbench/flow/team/asset_control/?court={s.world.court.pk}",
        list_only=True,
    ),
    Attack(
        "calendar", "court filter", "GET", lambda s: f"/workbench/flow/calendar/?court={s.world.court.pk}"
    ),
    Attack(
        "case",
        "selected as the portal case",
        "POST",
        lambda s: "/api/v1/interaction/cases/select",
        data=lambda s: {"case_id": s.a.case.pk},
        json=True,
    ),
    Attack("party", "fetched (flow page)", "GET", lambda s: reverse("workflow:flow", args=[s.a.case.pk])),
    Attack(
        "case",
        "query code regenerated",
        "POST",
        lambda s: reverse("accounts_wb:query-code-regenerate", args=[s.a.case.pk]),
        data=lambda s: {},
        state=lambda s: type(s.a.case).objects.get(pk=s.a.case.pk).query_code,
    ),
    # progress
    Attack("progress", "fetched (API)", "GET", lambda s: f"/api/v1/interaction/cases/{s.a.case.pk}/progress"),
    # messages
    Attack("message", "listed (API)", "GET", lambda s: f"/api/v1/interaction/cases/{s.a.case.pk}/messages"),
    Attack("message", "listed (inbox)", "GET", lambda s: "/workbench/interaction/messages/", list_only=True),
    Attack(
        "message", "listed (staff API)", "GET", lambda s: "/api/v1/interaction/staff/messages", list_only=True
    ),
    Attack(
        "message",
        "answered",
        "POST",
        lambda s: f"/api/v1/interaction/staff/messages/{s.a.message.pk}/reply",
        data=lambda s: {"reply": "越权答复"},
        json=True,
        state=lambda s: _refresh(s.a.message, "reply")(s),
    ),
    Attack(
        "message",
        "answered (page)",
        "POST",
        lambda s: reverse("interaction_wb:message-reply", args=[s.a.message.pk]),
        data=lambda s: {"reply": "越权答复"},
        state=lambda s: _refresh(s.a.message, "reply")(s),
    ),
    Attack(
        "message",
        "followed up",
        "POST",
        lambda s: reverse("interaction:message-followup", args=[s.a.message.pk]),
        data=lambda s: {"body": "越权追加"},
        state=lambda s: type(s.a.message).objects.count(),
    ),
    # clues and attachments
    Attack("clue", "listed (API)", "GET", lambda s: f"/api/v1/interaction/cases/{s.a.case.pk}/clues"),
    Attack("clue", "fetched", "GET", lambda s: reverse("interaction_wb:clue-detail", args=[s.a.clue.pk])),
    Attack("clue", "listed (queue)", "GET", lambda s: "/workbench/interaction/clues/", list_only=True),
    Attack("clue", "listed (staff API)", "GET", lambda s: "/api/v1/interaction/staff/clues", list_only=True),
    Attack(
        "clue attachment",
        "downloaded (portal)",
        "GET",
        lambda s: reverse("interaction:clue-file", args=[s.a.clue_file.pk]),
    ),
    Attack(
        "clue attachment",
        "downloaded (workbench)",
        "GET",
        lambda s: reverse("interaction_wb:clue-file", args=[s.a.clue_file.pk]),
    ),
    Attack(
        "clue",
        "reviewed",
        "POST",
        lambda s: f"/api/v1/interaction/staff/clues/{s.a.clue.pk}/review",
        data=lambda s: {"outcome": "unfounded", "result": "越权核查"},
        json=True,
        state=lambda s: _refresh(s.a.clue, "status", "result")(s),
    ),
    # opinions
    Attack("opinion", "listed (queue)", "GET", lambda s: "/workbench/interaction/opinions/", list_only=True),
    Attack(
        "opinion", "listed (staff API)", "GET", lambda s: "/api/v1/interaction/staff/opinions", list_only=True
    ),
    Attack("opinion", "listed (portal API)", "GET", lambda s: "/api/v1/interaction/opinions", list_only=True),
    Attack(
        "opinion",
        "answered",
        "POST",
        lambda s: f"/api/v1/interaction/staff/opinions/{s.a.opinion.pk}/reply",
        data=lambda s: {"reply": "越权答复"},
        json=True,
        state=lambda s: _refresh(s.a.opinion, "reply")(s),
    ),
    # court documents (PDF/DOCX/signed), pages, receipts, the party's inbox copy
    Attack("document", "fetched", "GET", lambda s: reverse("documents:document", args=[s.a.doc.pk])),
    Attack("document", "downloaded (PDF)", "GET", _doc_url("pdf")),
    Attack("document", "downloaded (DOCX)", "GET", _doc_url("docx")),
    Attack("document", "downloaded (signed PDF)", "GET", _doc_url("signed")),
    Attack("document", "page image", "GET", lambda s: reverse("documents:page", args=[s.a.doc.pk, "pdf", 1])),
    Attack(
        "document", "service receipt", "GET", lambda s: reverse("documents:receipt", args=[s.a.service.pk])
    ),
    Attack(
        "document", "inbox copy", "GET", lambda s: reverse("documents:inbox-detail", args=[s.a.service.pk])
    ),
    Attack("document", "inbox PDF", "GET", lambda s: reverse("documents:inbox-pdf", args=[s.a.service.pk])),
    Attack("document", "listed (inbox API)", "GET", lambda s: "/api/v1/documents/inbox", list_only=True),
    Attack(
        "document",
        "approved",
        "POST",
        lambda s: reverse("documents:approval-decide", args=[s.a.step.pk]),
        data=lambda s: {"decision": "approve", "comment": "越权"},
        state=lambda s: _refresh(s.a.step, "decision")(s),
    ),
    Attack(
        "document",
        "approval preview",
        "GET",
        lambda s: reverse("documents:approval-preview", args=[s.a.step.pk]),
    ),
    # e-file
    Attack("e-file", "listed", "GET", lambda s: reverse("documents:efile", args=[s.a.case.pk])),
    Attack("e-file", "downloaded", "GET", lambda s: reverse("documents:efile-file", args=[s.a.efile.pk])),
    Attack(
        "e-file", "page image", "GET", lambda s: reverse("documents:efile-page", args=[s.a.efile_pdf.pk, 1])
    ),
    Attack(
        "e-file",
        "appended",
        "POST",
        lambda s: reverse("documents:efile-upload", args=[s.a.case.pk]),
        data=lambda s: {"category": "other", "file": SimpleUploadedFile("x.txt", b"x", "text/plain")},
        state=lambda s: s.a.case.efile_items.count(),
    ),
    # property, funds
    Attack("property", "listed", "GET", lambda s: reverse("workflow:property", args=[s.a.case.pk])),
    Attack(
        "property",
        "controlled",
        "POST",
        lambda s: reverse("workflow:property-control", args=[s.a.prop.pk]),
        data=lambda s: {"status": "sealed"},
        state=lambda s: _refresh(s.a.prop, "control_status", "controlled_on")(s),
    ),
    Attack("fund entry", "listed", "GET", lambda s: reverse("workflow:funds", args=[s.a.case.pk])),
    Attack(
        "fund entry",
        "paid out",
        "POST",
        lambda s: reverse("workflow:fund-pay", args=[s.a.fund.pk]),
        data=lambda s: {},
        state=lambda s: _refresh(s.a.fund, "status")(s),
    ),
    # field tasks and photos
    Attack("field task", "fetched", "GET", lambda s: reverse("workflow:task-detail", args=[s.a.task.pk])),
    Attack("field task", "listed", "GET", lambda s: "/workbench/flow/tasks/", list_only=True),
    Attack("field photo", "downloaded", "GET", lambda s: reverse("workflow:photo", args=[s.a.photo.pk])),
    Attack(
        "field task",
        "assigned",
        "POST",
        lambda s: reverse("workflow:task-new", args=[s.a.case.pk]),
        data=lambda s: {"officer": s.world.field_officer.pk, "instructions": "越权", "place": "某地"},
        state=lambda s: type(s.a.task).objects.count(),
    ),
    # notices, SMS outbox
    Attack("notice", "listed", "GET", lambda s: "/me/notices/", list_only=True),
    Attack("notice", "listed (API)", "GET", lambda s: "/api/v1/interaction/notices", list_only=True),
    Attack(
        "notice",
        "marked read",
        "POST",
        lambda s: f"/api/v1/interaction/notices/{s.a.notice.pk}/read",
        data=lambda s: {},
        json=True,
        state=lambda s: _refresh(s.a.notice, "read_at")(s),
    ),
    Attack("staff notice", "listed", "GET", lambda s: "/workbench/flow/notices/", list_only=True),
    # the party's own drafts (执行申请书)
    Attack("draft", "fetched (API)", "GET", lambda s: f"/api/v1/interaction/documents/{s.a.draft.pk}"),
    Attack(
        "draft",
        "downloaded (API)",
        "GET",
        lambda s: f"/api/v1/interaction/documents/{s.a.draft.pk}/download/docx",
    ),
    Attack("draft", "listed (API)", "GET", lambda s: "/api/v1/interaction/documents", list_only=True),
    Attack(
        "draft", "previewed", "GET", lambda s: reverse("interaction:document-preview", args=[s.a.draft.pk])
    ),
    Attack(
        "draft",
        "overwritten",
        "PUT",
        lambda s: f"/api/v1/interaction/documents/{s.a.draft.pk}",
        data=lambda s: {"data": {}, "complete": False},
        json=True,
        state=lambda s: _refresh(s.a.draft, "data", "is_complete")(s),
    ),
    Attack(
        "draft",
        "deleted",
        "DELETE",
        lambda s: f"/api/v1/interaction/documents/{s.a.draft.pk}",
        state=lambda s: type(s.a.draft).objects.filter(pk=s.a.draft.pk).exists(),
    ),
    # 失信 correction requests, verification records
    Attack(
        "correction",
        "fetched",
        "GET",
        lambda s: reverse("publicinfo_wb:correction", args=[s.a.correction.pk]),
    ),
    Attack("correction", "listed", "GET", lambda s: "/workbench/publicinfo/corrections/", list_only=True),
    Attack("verification record", "listed (own page)", "GET", lambda s: "/account/verify/", list_only=True),
    Attack(
        "verification record",
        "admin",
        "GET",
        lambda s: f"/admin/accounts/identityverification/{s.a.verification.pk}/change/",
    ),
    Attack("SMS outbox", "admin", "GET", lambda s: f"/admin/notifications/smsmessage/{s.a.sms.pk}/change/"),
]


def _send(client: Any, attack: Attack, sec: Any) -> Any:
    url = attack.url(sec)
    method = attack.method.lower()
    if attack.method == "GET":
        return client.get(url)
    data = attack.data(sec) if attack.data else None
    if attack.json:
        return getattr(client, method)(url, data=json.dumps(data or {}), content_type="application/json")
    if attack.method == "POST":
        return client.post(url, data or {})
    return getattr(client, method)(url)


def _forbidden_strings(sec: Any) -> list[bytes]:
    a = sec.a
    return [m.encode() for m in a.markers] + [a.case.number.encode(), *(i.encode() for i in sec.ids)]


@pytest.mark.parametrize("attacker", ATTACKERS)
def test_objects_out_of_reach(sec: Any, attacker: str) -> None:
    client = client_for(sec, attacker)
    secret = _forbidden_strings(sec)
    problems: list[str] = []
    tried = 0
    for attack in ATTACKS:
        before = attack.state(sec) if attack.state else None
        response = _send(client, attack, sec)
        body = body_of(response)
        tried += 1
        label = f"{attack.kind} {attack.what} by {attacker}"
        if response.status_code >= 500:
            problems.append(f"{label}: {response.status_code}")
            continue
        if not attack.list_only and not denied(response):
            problems.append(f"{label}: not refused ({response.status_code} {response.get('Location', '')})")
        leaked = [s.decode() for s in secret if s in body]
        if leaked:
            problems.append(f"{label}: its data is in the answer: {leaked}")
        if attack.state is not None and attack.state(sec) != before:
            problems.append(f"{label}: the object changed")
    print(f"\nIDOR, {attacker}: {tried} attacks on {len({a.kind for a in ATTACKS})} object types")
    assert not problems, "\n".join(problems)


def test_the_owner_reaches_the_same_objects(sec: Any) -> None:
    """The may-side of the attacks above: the party and the case's judge do get their objects."""
    party, judge = client_for(sec, "party"), client_for(sec, "judge")
    a = sec.a
    assert b"%PDF" in body_of(party.get(reverse("documents:inbox-pdf", args=[a.service.pk])))[:8]
    assert party.get(reverse("interaction:clue-file", args=[a.clue_file.pk])).status_code == 200
    assert judge.get(reverse("workflow:photo", args=[a.photo.pk])).status_code == 200
    csv = body_of(judge.get(f"/workbench/flow/search/export.csv?q={a.case.number}")).decode("utf-8-sig")
    assert a.case.number in csv
    assert "甲何时拍卖房产" in judge.get("/workbench/interaction/messages/").content.decode()
    assert "甲提醒正文" in party.get("/me/notices/").content.decode()


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # broken signature
        lambda t: "9999" + t[t.index(":") :] if ":" in t else t + "x",  # another record's id, same signature
        lambda t: "",
    ],
)
def test_public_record_tokens_cannot_be_forged(sec: Any, tamper: Any) -> None:
    token = tamper(sec.a.record_token)
    for url in (f"/query/r/{token}/", f"/api/v1/public/records/{token}"):
        if not token:
            url = "/api/v1/public/records/%20"
        response = client_for(sec, "anonymous").get(url)
        assert response.status_code == 404, url
        assert sec.a.record.name.encode() not in body_of(response)


def test_shared_link_dies_with_revocation(sec: Any) -> None:
    """The forwarding link is a capability: after the author revokes it, it is refused to everyone."""
    anonymous = client_for(sec, "anonymous")
    url = reverse("interaction:document-shared", args=[sec.a.share_token])
    assert anonymous.get(url).status_code == 200
    response = client_for(sec, "party").post(f"/api/v1/interaction/documents/{sec.a.draft.pk}/share/revoke")
    assert response.status_code in (200, 204)
    again = anonymous.get(url)
    assert again.status_code == 404 and "甲判决生效后" not in again.content.decode()
