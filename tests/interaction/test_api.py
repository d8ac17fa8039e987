"""/api/v1/interaction/: the same rules through the API — "may" and "may not" per endpoint."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.conftest import UNIT
from zhixing.interaction import services
from zhixing.interaction.models import Clue, Message

from .conftest import party_actor
from .media_samples import mp4_bytes, png_bytes
from .test_documents import APPLICATION

API = "/api/v1/interaction/"


def test_anonymous_and_unverified_get_401(world: Any, as_user: Any) -> None:
    for client in (as_user(None), as_user(world.public)):
        assert client.get(f"{API}cases").status_code == 401
        assert (
            client.post(
                f"{API}cases/{world.case.pk}/messages", {"body": "x"}, content_type="application/json"
            ).status_code
            == 401
        )


def test_cases_progress_and_select(world: Any, as_user: Any) -> None:
    client = as_user(world.party)
    rows = client.get(f"{API}cases").json()
    assert [r["number"] for r in rows] == [world.case.number]
    assert client.get(f"{API}cases", {"q": "无此人"}).json() == []
    assert (
        client.post(
            f"{API}cases/select", {"case_id": world.case.pk}, content_type="application/json"
        ).status_code
        == 204
    )
    assert client.get(f"{API}cases").json()[0]["selected"] is True
    progress = client.get(f"{API}cases/{world.case.pk}/progress").json()
    assert progress["stage"] and progress["days"] == 30 and progress["nodes"][0]["name"] == "立案"
    # may not: another party's case
    assert client.get(f"{API}cases/{world.other_case.pk}/progress").status_code == 404
    assert (
        client.post(
            f"{API}cases/select", {"case_id": world.other_case.pk}, content_type="application/json"
        ).status_code
        == 404
    )


def test_messages_api(world: Any, as_user: Any) -> None:
    client = as_user(world.party)
    url = f"{API}cases/{world.case.pk}/messages"
    response = client.post(url, {"body": "字" * 51}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"] == "留言不能超过50个字（当前51个字）。"
    created = client.post(url, {"body": "字" * 50}, content_type="application/json")
    assert created.status_code == 201
    mid = created.json()["id"]
    assert [t["id"] for t in client.get(url).json()] == [mid]
    followup = client.post(url, {"body": "追加", "thread_id": mid}, content_type="application/json")
    assert followup.status_code == 422  # not replied yet
    # may not: other party's case / other party's thread
    other = as_user(world.other_party)
    assert other.get(url).status_code == 404
    assert (
        other.post(
            f"{API}cases/{world.other_case.pk}/messages",
            {"body": "x", "thread_id": mid},
            content_type="application/json",
        ).status_code
        == 404
    )


def test_messages_api_enforces_csrf(world: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.party)
    response = client.post(
        f"{API}cases/{world.case.pk}/messages", {"body": "x"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert not Message.objects.exists()


def test_unit_session_api(world: Any) -> None:
    client = Client()
    session = client.session
    session["unit_login"] = {"code": UNIT[1], "query_code": world.unit_case.query_code}
    session.save()
    assert [r["number"] for r in client.get(f"{API}cases").json()] == [world.unit_case.number]
    assert (
        client.post(
            f"{API}cases/{world.unit_case.pk}/messages", {"body": "单位留言"}, content_type="application/json"
        ).status_code
        == 201
    )
    assert client.get(f"{API}cases/{world.case.pk}/messages").status_code == 404


def test_clue_upload_api(world: Any, as_user: Any) -> None:
    client = as_user(world.party)
    url = f"{API}cases/{world.case.pk}/clues"
    response = client.post(
        url,
        {
            "body": "车辆线索",
            "urgent": "true",
            "files": [SimpleUploadedFile("p.png", png_bytes()), SimpleUploadedFile("v.mp4", mp4_bytes())],
        },
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["urgent"] is True and len(data["attachments"]) == 2
    assert {a["content_type"] for a in data["attachments"]} == {
        "image/jpeg",
        "video/mp4",
    }  # RGB PNG re-encoded as JPEG
    bad = client.post(url, {"body": "x", "files": [SimpleUploadedFile("p.png", b"nope")]})
    assert bad.status_code == 422 and "不是有效的" in bad.json()["detail"]
    assert Clue.objects.count() == 1
    assert as_user(world.other_party).post(url, {"body": "x"}).status_code == 404
    assert len(client.get(url).json()) == 1
    assert as_user(world.other_party).get(url).status_code == 404


def test_staff_api(world: Any, as_user: Any, leader: Any) -> None:
    message = services.message_post(actor=party_actor(world.party), case=world.case, body="问进度")
    clue = services.clue_submit(actor=party_actor(world.party), case=world.case, body="线索", files=[])
    opinion = services.opinion_submit(
        actor=party_actor(world.party), court=world.court, kind="report", body="举报内容"
    )
    judge = as_user(world.judge)
    assert [m["id"] for m in judge.get(f"{API}staff/messages").json()] == [message.pk]
    assert (
        judge.post(
            f"{API}staff/messages/{message.pk}/reply", {"reply": "已办"}, content_type="application/json"
        ).status_code
        == 200
    )
    assert [c["id"] for c in judge.get(f"{API}staff/clues").json()] == [clue.pk]
    review = judge.post(
        f"{API}staff/clues/{clue.pk}/review",
        {"outcome": "unfounded", "result": "查无此车"},
        content_type="application/json",
    )
    assert review.status_code == 200 and review.json()["status"] == "checked"
    # may not
    outside = as_user(world.judge_outside)
    assert outside.get(f"{API}staff/messages").json() == []
    assert (
        outside.post(
            f"{API}staff/clues/{clue.pk}/review",
            {"outcome": "confirmed", "result": "x"},
            content_type="application/json",
        ).status_code
        == 404
    )
    assert as_user(world.party).get(f"{API}staff/messages").status_code == 403
    assert judge.get(f"{API}staff/opinions").json() == []
    assert (
        judge.post(
            f"{API}staff/opinions/{opinion.pk}/reply", {"reply": "x"}, content_type="application/json"
        ).status_code
        == 404
    )
    reply = as_user(leader).post(
        f"{API}staff/opinions/{opinion.pk}/reply", {"reply": "已转纪检"}, content_type="application/json"
    )
    assert reply.status_code == 200
    mine = as_user(world.party).get(f"{API}opinions", {"tab": "replied"}).json()
    assert mine[0]["reply"] == "已转纪检"
    assert as_user(world.other_party).get(f"{API}opinions", {"tab": "replied"}).json() == []


def test_opinion_api_validation(world: Any, as_user: Any) -> None:
    client = as_user(world.party)
    bad = client.post(
        f"{API}opinions",
        {"court_id": world.court.pk, "kind": "x", "body": "y"},
        content_type="application/json",
    )
    assert bad.status_code == 422
    # A case of someone else cannot be attached.
    assert (
        client.post(
            f"{API}opinions",
            {
                "court_id": world.other_court.pk,
                "kind": "complaint",
                "body": "y",
                "case_id": world.other_case.pk,
            },
            content_type="application/json",
        ).status_code
        == 404
    )


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_documents_api(world: Any, as_user: Any, fmt: str) -> None:
    client = as_user(world.party)
    created = client.post(
        f"{API}documents",
        {"kind": "application", "data": APPLICATION, "complete": True},
        content_type="application/json",
    )
    assert created.status_code == 201
    did = created.json()["id"]
    download = client.get(f"{API}documents/{did}/download/{fmt}")
    assert download.status_code == 200 and len(download.content) > 1000
    share = client.post(f"{API}documents/{did}/share")
    assert share.status_code == 200 and "/d/" in share.json()["url"]
    incomplete = client.post(
        f"{API}documents",
        {"kind": "objection", "data": {}, "complete": True},
        content_type="application/json",
    )
    assert incomplete.status_code == 422
    other = as_user(world.other_party)
    assert other.get(f"{API}documents/{did}").status_code == 404
    assert other.get(f"{API}documents/{did}/download/{fmt}").status_code == 404
    assert other.post(f"{API}documents/{did}/share").status_code == 404
    assert len(client.get(f"{API}document-fields/application").json()) > 20
    shared = share.json()["url"].split("testserver", 1)[1]
    assert as_user(None).get(shared).status_code == 200
    assert other.post(f"{API}documents/{did}/share/revoke").status_code == 404
    assert client.post(f"{API}documents/{did}/share/revoke").status_code == 204
    assert as_user(None).get(shared).status_code == 404
    assert other.delete(f"{API}documents/{did}").status_code == 404
    assert client.delete(f"{API}documents/{did}").status_code == 204
    assert client.get(f"{API}documents/{did}").status_code == 404


def test_notices_api(world: Any, as_user: Any) -> None:
    from zhixing.notifications.services import notice_send

    mine = notice_send(user=world.party, title="甲")
    theirs = notice_send(user=world.other_party, title="乙")
    assert mine is not None and theirs is not None
    client = as_user(world.party)
    assert [n["title"] for n in client.get(f"{API}notices").json()] == ["甲"]
    assert client.post(f"{API}notices/{mine.pk}/read").status_code == 204
    assert client.post(f"{API}notices/{theirs.pk}/read").status_code == 404
    assert as_user(None).get(f"{API}notices").status_code == 401
