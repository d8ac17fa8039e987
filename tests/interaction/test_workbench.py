"""Judges' side: message inbox, clue review queue, opinion queue for 院领导 — "may" and "may not"."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhixing.audit.models import AuditEvent
from zhixing.interaction import services
from zhixing.interaction.models import Clue, Message, Opinion
from zhixing.notifications.models import Notice, SmsMessage

from .conftest import party_actor
from .media_samples import png_bytes


@pytest.fixture
def message(world: Any) -> Message:
    return services.message_post(actor=party_actor(world.party), case=world.case, body="何时拍卖房产？")


@pytest.fixture
def clue(world: Any) -> Clue:
    return services.clue_submit(
        actor=party_actor(world.party),
        case=world.case,
        body="被执行人在某市场有摊位",
        files=[SimpleUploadedFile("a.png", png_bytes())],
    )


@pytest.fixture
def opinion(world: Any) -> Opinion:
    return services.opinion_submit(
        actor=party_actor(world.party), court=world.court, kind="suggestion", body="建议公开执行款发放进度"
    )


@pytest.mark.parametrize(
    "name", ["interaction_wb:messages", "interaction_wb:clues", "interaction_wb:opinions"]
)
def test_anonymous_and_public_kept_out(world: Any, as_user: Any, name: str) -> None:
    assert as_user(None).get(reverse(name)).status_code == 302
    assert as_user(world.party).get(reverse(name)).status_code == 403


def test_inbox_judge_in_team_may_reply(world: Any, as_user: Any, message: Message) -> None:
    judge = as_user(world.judge)
    page = judge.get(reverse("interaction_wb:messages")).content.decode()
    assert "何时拍卖房产" in page and world.case.number in page
    response = judge.post(
        reverse("interaction_wb:message-reply", args=[message.pk]), {"reply": "评估完成后即启动拍卖"}
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.reply == "评估完成后即启动拍卖" and message.replied_by == world.judge
    notice = Notice.objects.get(user=world.party)
    assert "回复" in notice.title
    sms = SmsMessage.objects.get(template="message_replied")
    assert sms.idempotency_key == f"interaction:message:{message.pk}:replied"
    assert AuditEvent.objects.filter(action="interaction.message.reply").exists()
    # Replying twice is refused and sends nothing more.
    response = judge.post(reverse("interaction_wb:message-reply", args=[message.pk]), {"reply": "再答"})
    assert response.status_code == 422
    assert SmsMessage.objects.count() == 1


def test_team_lead_may_reply(world: Any, as_user: Any, message: Message) -> None:
    response = as_user(world.team_lead).post(
        reverse("interaction_wb:message-reply", args=[message.pk]), {"reply": "团队负责人答复"}
    )
    assert response.status_code == 302


def test_judge_outside_may_not_see_or_reply(world: Any, as_user: Any, message: Message) -> None:
    outside = as_user(world.judge_outside)
    assert "何时拍卖房产" not in outside.get(reverse("interaction_wb:messages")).content.decode()
    response = outside.post(reverse("interaction_wb:message-reply", args=[message.pk]), {"reply": "x"})
    assert response.status_code == 404
    message.refresh_from_db()
    assert message.replied_at is None
    # A field officer of the same court is not the 承办人 either.
    assert (
        as_user(world.field_officer)
        .post(reverse("interaction_wb:message-reply", args=[message.pk]), {"reply": "x"})
        .status_code
        == 404
    )


def test_empty_reply_is_422(world: Any, as_user: Any, message: Message) -> None:
    response = as_user(world.judge).post(
        reverse("interaction_wb:message-reply", args=[message.pk]), {"reply": " "}
    )
    assert response.status_code == 422
    assert "请填写回复内容" in response.content.decode()


def test_clue_queue_deadline_and_review(world: Any, as_user: Any, clue: Clue) -> None:
    judge = as_user(world.judge)
    page = judge.get(reverse("interaction_wb:clues")).content.decode()
    assert "被执行人在某市场有摊位" in page and clue.due_on.strftime("%Y-%m-%d") in page
    detail = judge.get(reverse("interaction_wb:clue-detail", args=[clue.pk]))
    assert detail.status_code == 200 and clue.attachments.get().upload_sha256 in detail.content.decode()
    attachment = clue.attachments.get()
    assert judge.get(reverse("interaction_wb:clue-file", args=[attachment.pk])).status_code == 200
    bad = judge.post(
        reverse("interaction_wb:clue-detail", args=[clue.pk]), {"outcome": "nonsense", "result": ""}
    )
    assert bad.status_code == 422
    response = judge.post(
        reverse("interaction_wb:clue-detail", args=[clue.pk]),
        {"outcome": "confirmed", "result": "已查封摊位存货"},
    )
    assert response.status_code == 302
    clue.refresh_from_db()
    assert clue.status == "checked" and clue.reviewed_by == world.judge
    assert SmsMessage.objects.filter(template="clue_reviewed").count() == 1
    party = as_user(world.party)
    party.post(reverse("interaction:cases"), {"case": world.case.pk})
    assert "已查封摊位存货" in party.get(reverse("interaction:clues"), {"tab": "checked"}).content.decode()


def test_clue_outsider_may_not_review_or_download(world: Any, as_user: Any, clue: Clue) -> None:
    outside = as_user(world.judge_outside)
    assert "被执行人在某市场有摊位" not in outside.get(reverse("interaction_wb:clues")).content.decode()
    assert outside.get(reverse("interaction_wb:clue-detail", args=[clue.pk])).status_code == 404
    assert (
        outside.post(
            reverse("interaction_wb:clue-detail", args=[clue.pk]), {"outcome": "confirmed", "result": "x"}
        ).status_code
        == 404
    )
    assert (
        outside.get(reverse("interaction_wb:clue-file", args=[clue.attachments.get().pk])).status_code == 404
    )


def test_overdue_clue_is_marked(world: Any, as_user: Any, clue: Clue) -> None:
    Clue.objects.filter(pk=clue.pk).update(due_on=clue.created_at.date().replace(year=2020))
    assert "已超期" in as_user(world.judge).get(reverse("interaction_wb:clues")).content.decode()


def test_opinion_queue_for_court_leader_only(
    world: Any, as_user: Any, opinion: Opinion, leader: Any, leader_outside: Any
) -> None:
    assert as_user(world.judge).get(reverse("interaction_wb:opinions")).status_code == 403
    assert (
        "建议公开执行款发放进度"
        not in as_user(leader_outside).get(reverse("interaction_wb:opinions")).content.decode()
    )
    assert (
        as_user(leader_outside)
        .post(reverse("interaction_wb:opinion-reply", args=[opinion.pk]), {"reply": "x"})
        .status_code
        == 404
    )
    client = as_user(leader)
    assert "建议公开执行款发放进度" in client.get(reverse("interaction_wb:opinions")).content.decode()
    response = client.post(
        reverse("interaction_wb:opinion-reply", args=[opinion.pk]), {"reply": "采纳，下月上线"}
    )
    assert response.status_code == 302
    opinion.refresh_from_db()
    assert opinion.replied_by == leader
    assert Notice.objects.filter(user=world.party, title__contains="意见建议").exists()
    assert SmsMessage.objects.filter(template="opinion_replied").count() == 1


def test_nav_entries(world: Any, as_user: Any, leader: Any, message: Message) -> None:
    page = as_user(world.judge).get(reverse("workbench:home")).content.decode()
    assert "当事人留言" in page and "执行线索核查" in page and "意见建议回复" not in page
    assert "意见建议回复" in as_user(leader).get(reverse("workbench:home")).content.decode()


def test_reply_to_a_unit_message(world: Any, as_user: Any) -> None:
    from tests.conftest import UNIT
    from zhixing.interaction.integration import PortalActor
    from zhixing.lib import crypto

    unit = PortalActor(unit_index=crypto.blind_index(UNIT[1]), unit_code=UNIT[1], label=UNIT[0])
    message = services.message_post(actor=unit, case=world.unit_case, body="单位询问进度")
    response = as_user(world.judge).post(
        reverse("interaction_wb:message-reply", args=[message.pk]), {"reply": "已办理"}
    )
    assert response.status_code == 302
    assert not Notice.objects.exists()  # a unit has no account to notify in-app
