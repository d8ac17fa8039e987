"""Party pages of 服务台: each asks "may" and "may not"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as dj_settings
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.test import Client
from django.urls import reverse

from tests.conftest import UNIT
from zhixing.audit.models import AuditEvent
from zhixing.cases.services import progress_node_open
from zhixing.interaction import services
from zhixing.interaction.models import CasePreference, Clue, ClueAttachment, Message, Opinion

from .conftest import party_actor
from .media_samples import jpeg_with_gps, mp4_bytes, png_bytes

PARTY_PAGES = [
    "interaction:cases",
    "interaction:progress",
    "interaction:messages",
    "interaction:clues",
    "interaction:clue-new",
    "interaction:opinions",
    "interaction:opinion-new",
    "interaction:documents",
]


def select(client: Client, case: Any) -> None:
    response = client.post(reverse("interaction:cases"), {"case": case.pk})
    assert response.status_code == 302


def stored_files() -> list[Path]:
    root = Path(dj_settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize("name", PARTY_PAGES)
def test_anonymous_goes_to_login(world: Any, as_user: Any, name: str) -> None:
    response = as_user(None).get(reverse(name))
    assert response.status_code == 302
    assert "next=" in response["Location"]


@pytest.mark.parametrize("name", PARTY_PAGES)
def test_unverified_public_user_is_told_to_verify(world: Any, as_user: Any, name: str) -> None:
    response = as_user(world.public).get(reverse(name))
    assert response.status_code == 403
    assert "实名认证" in response.content.decode()


@pytest.mark.parametrize("name", PARTY_PAGES)
def test_staff_may_not_use_party_pages(world: Any, as_user: Any, name: str) -> None:
    assert as_user(world.judge).get(reverse(name)).status_code == 403


def test_service_tab_for_anonymous_and_party(world: Any, as_user: Any) -> None:
    page = as_user(None).get(reverse("portal:service")).content.decode()
    assert "当事人登录" in page
    client = as_user(world.party)
    page = client.get(reverse("portal:service")).content.decode()
    assert "请先勾选需要查询的案件" in page
    select(client, world.case)
    page = client.get(reverse("portal:service")).content.decode()
    assert world.case.number in page and "案件办理阶段" in page


def test_case_list_shows_only_own_cases_and_search(world: Any, as_user: Any) -> None:
    client = as_user(world.party)
    page = client.get(reverse("interaction:cases")).content.decode()
    assert world.case.number in page
    assert world.other_case.number not in page and world.unit_case.number not in page
    assert "在执" in page or "未结" in page
    assert world.case.number in client.get(reverse("interaction:cases"), {"q": "张伟"}).content.decode()
    assert (
        world.case.number
        not in client.get(reverse("interaction:cases"), {"q": "不存在的人"}).content.decode()
    )


def test_select_case_kept_across_visits(world: Any, as_user: Any) -> None:
    client = as_user(world.party)
    select(client, world.case)
    assert CasePreference.objects.get(user=world.party).case == world.case
    assert AuditEvent.objects.filter(action="interaction.case_select").exists()
    fresh = as_user(world.party)  # a new session: the preference row brings the case back
    assert fresh.get(reverse("interaction:progress")).status_code == 200


def test_may_not_select_another_partys_case(world: Any, as_user: Any) -> None:
    client = as_user(world.party)
    assert client.post(reverse("interaction:cases"), {"case": world.other_case.pk}).status_code == 404
    assert client.get(reverse("interaction:progress"), {"case": world.other_case.pk}).status_code == 404
    assert not CasePreference.objects.filter(user=world.party).exists()


def test_pages_ask_to_choose_a_case_first(world: Any, as_user: Any) -> None:
    response = as_user(world.party).get(reverse("interaction:messages"))
    assert response.status_code == 302 and reverse("interaction:cases") in response["Location"]


def test_progress_shows_the_facts_and_timeline(world: Any, as_user: Any) -> None:
    progress_node_open(case=world.case, name="财产查控", note="网络查控已发起")
    client = as_user(world.party)
    select(client, world.case)
    page = client.get(reverse("interaction:progress")).content.decode()
    for text in (
        "立案日期",
        "被执行人",
        "承办法院",
        "承办人",
        "judge_in",
        "财产查控",
        "已办理天数",
        "30",
        "进行中",
        "已完成",
    ):
        assert text in page, text


def test_unit_session_sees_its_case(world: Any) -> None:
    client = Client()
    session = client.session
    session["unit_login"] = {"code": UNIT[1], "query_code": world.unit_case.query_code}
    session.save()
    page = client.get(reverse("interaction:cases")).content.decode()
    assert world.unit_case.number in page and world.case.number not in page
    select(client, world.unit_case)
    assert client.post(reverse("interaction:messages"), {"body": "请尽快执行"}).status_code == 302
    message = Message.objects.get()
    assert message.author is None and message.unit_index and message.author_label == UNIT[0]
    # The wrong query code opens nothing.
    other = Client()
    s = other.session
    s["unit_login"] = {"code": UNIT[1], "query_code": "WRONGCODE234"}
    s.save()
    assert world.unit_case.number not in other.get(reverse("interaction:cases")).content.decode()
    assert other.post(reverse("interaction:cases"), {"case": world.unit_case.pk}).status_code == 404


# --- 给法官留言 -------------------------------------------------------------------------------------------------


def test_message_limits_counted_in_characters(world: Any, as_user: Any) -> None:
    client = as_user(world.party)
    select(client, world.case)
    fifty = "请" * 50
    assert client.post(reverse("interaction:messages"), {"body": fifty}).status_code == 302
    response = client.post(reverse("interaction:messages"), {"body": "请" * 51})
    assert response.status_code == 422
    assert "留言不能超过50个字" in response.content.decode()
    assert client.post(reverse("interaction:messages"), {"body": "   "}).status_code == 422
    assert Message.objects.count() == 1


def test_message_thread_waiting_replied_and_followup(world: Any, as_user: Any) -> None:
    client = as_user(world.party)
    select(client, world.case)
    client.post(reverse("interaction:messages"), {"body": "查控结果如何？"})
    message = Message.objects.get()
    assert "查控结果如何" in client.get(reverse("interaction:messages"), {"tab": "waiting"}).content.decode()
    # Follow-up before the judge replied is refused.
    client.post(reverse("interaction:message-followup", args=[message.pk]), {"body": "补充"})
    assert Message.objects.count() == 1
    services.message_reply(actor=world.judge, message=message, reply="已冻结银行账户")
    page = client.get(reverse("interaction:messages"), {"tab": "replied"}).content.decode()
    assert "已冻结银行账户" in page and "追加回复" in page
    assert (
        client.post(
            reverse("interaction:message-followup", args=[message.pk]), {"body": "谢谢，何时划扣？"}
        ).status_code
        == 302
    )
    follow = Message.objects.get(thread=message)
    assert follow.case == world.case
    page = client.get(reverse("interaction:messages"), {"tab": "waiting"}).content.decode()
    assert "谢谢，何时划扣" in page


def test_other_party_sees_and_follows_nothing(world: Any, as_user: Any) -> None:
    message = services.message_post(actor=party_actor(world.party), case=world.case, body="我的留言")
    services.message_reply(actor=world.judge, message=message, reply="回复")
    other = as_user(world.other_party)
    select(other, world.other_case)
    assert "我的留言" not in other.get(reverse("interaction:messages"), {"tab": "replied"}).content.decode()
    assert (
        other.post(reverse("interaction:message-followup", args=[message.pk]), {"body": "x"}).status_code
        == 404
    )


# --- 提交执行线索 ---------------------------------------------------------------------------------------------


def test_clue_with_photo_and_video(world: Any, as_user: Any) -> None:
    client = as_user(world.party)
    select(client, world.case)
    response = client.post(
        reverse("interaction:clue-new"),
        {
            "body": "被执行人名下有一辆车停在某小区",
            "files": [
                SimpleUploadedFile("IMG_0001.JPG", jpeg_with_gps(), "image/jpeg"),
                SimpleUploadedFile("VID_0001.MP4", mp4_bytes(), "video/mp4"),
            ],
        },
    )
    assert response.status_code == 302
    clue = Clue.objects.get()
    assert clue.status == "checking" and clue.author == world.party
    assert (clue.due_on - clue.created_at.date()).days in (7, 8) or clue.due_basis == "workdays"
    image, video = clue.attachments.order_by("kind")
    assert image.kind == "image" and video.kind == "video"
    assert image.captured_at is not None and image.original_name == "IMG_0001.JPG"
    assert not image.file.name.endswith("IMG_0001.JPG")  # server-made names
    assert image.sha256 != image.upload_sha256  # re-encoded
    assert video.sha256 != video.upload_sha256  # location box neutralised
    assert len([p for p in stored_files() if "interaction" in p.parts]) == 2
    assert AuditEvent.objects.filter(action="interaction.clue.submit").exists()
    page = client.get(reverse("interaction:clues")).content.decode()
    assert "被执行人名下有一辆车" in page
    assert client.get(reverse("interaction:clue-file", args=[image.pk])).status_code == 200


def test_clue_urgent_has_three_day_deadline(world: Any) -> None:
    clue = services.clue_submit(
        actor=party_actor(world.party), case=world.case, body="财产正在转移", files=[], urgent=True
    )
    assert clue.due_basis in ("calendar", "workdays")
    if clue.due_basis == "calendar":
        assert (clue.due_on - clue.created_at.date()).days in (3, 4)


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([("x.jpg", b"not an image at all")], "不是有效的"),
        ([("ok.png", png_bytes()), ("bad.mp4", mp4_bytes()[:-10])], "视频"),
    ],
)
def test_bad_uploads_leave_nothing(
    world: Any, as_user: Any, files: list[tuple[str, bytes]], message: str
) -> None:
    client = as_user(world.party)
    select(client, world.case)
    response = client.post(
        reverse("interaction:clue-new"),
        {"body": "线索", "files": [SimpleUploadedFile(n, d) for n, d in files]},
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Clue.objects.exists() and not ClueAttachment.objects.exists()
    assert stored_files() == []


def test_too_large_dropped_while_streaming(world: Any, as_user: Any, settings: Any) -> None:
    settings.INTERACTION_IMAGE_MAX_BYTES = 2000
    settings.INTERACTION_VIDEO_MAX_BYTES = 3000
    client = as_user(world.party)
    select(client, world.case)
    big = png_bytes() + b"\x00" * 5000
    response = client.post(
        reverse("interaction:clue-new"),
        {"body": "线索", "files": [SimpleUploadedFile("big.png", big)]},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 422
    assert "过大" in response.json()["detail"]
    assert not Clue.objects.exists() and stored_files() == []


def test_uploads_stream_to_temporary_files(world: Any, as_user: Any, monkeypatch: Any) -> None:
    seen: list[type] = []
    original = services.clue_submit

    def spy(**kwargs: Any) -> Any:
        seen.extend(type(f) for f in kwargs["files"])
        return original(**kwargs)

    monkeypatch.setattr(services, "clue_submit", spy)
    client = as_user(world.party)
    select(client, world.case)
    client.post(reverse("interaction:clue-new"), {"files": [SimpleUploadedFile("a.png", png_bytes())]})
    assert seen == [TemporaryUploadedFile]


def test_failure_after_storing_removes_files(world: Any, as_user: Any, monkeypatch: Any) -> None:
    from zhixing.interaction import integration

    def broken(**kwargs: Any) -> str:
        raise RuntimeError("e-file unavailable")

    monkeypatch.setattr(integration, "efile_add", broken)
    with pytest.raises(RuntimeError):
        services.clue_submit(
            actor=party_actor(world.party),
            case=world.case,
            body="x",
            files=[SimpleUploadedFile("a.png", png_bytes()), SimpleUploadedFile("b.png", png_bytes())],
        )
    assert not Clue.objects.exists() and stored_files() == []


def test_clue_json_response_for_progress_upload(world: Any, as_user: Any) -> None:
    client = as_user(world.party)
    select(client, world.case)
    response = client.post(
        reverse("interaction:clue-new"),
        {"body": "只有文字"},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 201 and "redirect" in response.json()
    response = client.post(
        reverse("interaction:clue-new"), {"body": "字" * 201}, headers={"Accept": "application/json"}
    )
    assert response.status_code == 422 and "200" in response.json()["detail"]


def test_other_party_cannot_read_clue_or_file(world: Any, as_user: Any) -> None:
    clue = services.clue_submit(
        actor=party_actor(world.party),
        case=world.case,
        body="秘密线索",
        files=[SimpleUploadedFile("a.png", png_bytes())],
    )
    attachment = clue.attachments.get()
    other = as_user(world.other_party)
    assert other.get(reverse("interaction:clue-file", args=[attachment.pk])).status_code == 404
    select(other, world.other_case)
    assert "秘密线索" not in other.get(reverse("interaction:clues")).content.decode()
    assert as_user(None).get(reverse("interaction:clue-file", args=[attachment.pk])).status_code == 302


# --- 意见建议 -------------------------------------------------------------------------------------------------


def test_opinion_submit_and_tabs(world: Any, as_user: Any, leader: Any) -> None:
    client = as_user(world.party)
    response = client.post(
        reverse("interaction:opinion-new"),
        {"kind": "complaint", "court": world.court.pk, "body": "承办人电话打不通"},
    )
    assert response.status_code == 302
    opinion = Opinion.objects.get()
    assert opinion.kind == "complaint" and opinion.author == world.party
    assert "承办人电话打不通" in client.get(reverse("interaction:opinions")).content.decode()
    services.opinion_reply(actor=leader, opinion=opinion, reply="已责成执行局核查")
    page = client.get(reverse("interaction:opinions"), {"tab": "replied"}).content.decode()
    assert "已责成执行局核查" in page
    assert (
        "已责成执行局核查"
        not in as_user(world.other_party)
        .get(reverse("interaction:opinions"), {"tab": "replied"})
        .content.decode()
    )


def test_opinion_validation(world: Any, as_user: Any) -> None:
    client = as_user(world.party)
    response = client.post(
        reverse("interaction:opinion-new"), {"kind": "other", "court": world.court.pk, "body": ""}
    )
    assert response.status_code == 422
    assert "请选择类型" in response.content.decode()
    assert not Opinion.objects.exists()


# --- 消息中心 -------------------------------------------------------------------------------------------------


def test_notice_centre_mark_read(world: Any, as_user: Any) -> None:
    from zhixing.notifications.services import notice_send

    mine = notice_send(user=world.party, title="承办法官回复了您的留言", link="/service/messages/")
    theirs = notice_send(user=world.other_party, title="别人的消息")
    assert mine is not None and theirs is not None
    client = as_user(world.party)
    page = client.get(reverse("interaction:notices")).content.decode()
    assert "承办法官回复了您的留言" in page and "别人的消息" not in page
    response = client.post(reverse("interaction:notice-read", args=[mine.pk]), {"open": "1"})
    assert response["Location"] == "/service/messages/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert client.post(reverse("interaction:notice-read", args=[theirs.pk])).status_code == 404
    assert as_user(None).get(reverse("interaction:notices")).status_code == 302
    assert "消息中心" in client.get(reverse("portal:me")).content.decode()


def test_clue_files_go_to_the_case_efile_and_vanish_on_failure(world: Any, monkeypatch: Any) -> None:
    efile = pytest.importorskip("zhixing.documents.models")
    clue = services.clue_submit(
        actor=party_actor(world.party),
        case=world.case,
        body="x",
        files=[SimpleUploadedFile("a.png", png_bytes())],
    )
    attachment = clue.attachments.get()
    item = efile.EfileItem.objects.get(case=world.case)
    assert attachment.efile_ref == str(item.pk) and item.sha256 == attachment.sha256
    assert len(stored_files()) == 2  # ours and the e-file's copy
    Clue.objects.all().delete()
    before = set(stored_files())
    real = services.audit_record

    def failing(**kwargs: Any) -> Any:
        if kwargs.get("action") == "interaction.clue.submit":
            raise RuntimeError("audit store down")
        return real(**kwargs)

    monkeypatch.setattr(services, "audit_record", failing)
    with pytest.raises(RuntimeError):
        services.clue_submit(
            actor=party_actor(world.party),
            case=world.case,
            body="y",
            files=[SimpleUploadedFile("b.png", png_bytes())],
        )
    assert set(stored_files()) == before
    assert efile.EfileItem.objects.filter(case=world.case).count() == 1


def test_submissions_are_rate_limited(world: Any, as_user: Any, settings: Any) -> None:
    settings.INTERACTION_MESSAGE_LIMIT = (2, 3600)
    client = as_user(world.party)
    select(client, world.case)
    for _ in range(2):
        assert client.post(reverse("interaction:messages"), {"body": "催办"}).status_code == 302
    response = client.post(reverse("interaction:messages"), {"body": "催办"})
    assert response.status_code == 422 and "提交过于频繁" in response.content.decode()
    assert Message.objects.count() == 2
    # Another party has its own allowance.
    other = as_user(world.other_party)
    select(other, world.other_case)
    assert other.post(reverse("interaction:messages"), {"body": "催办"}).status_code == 302


def test_closed_case_counts_days_until_closing_and_says_zhongben(world: Any) -> None:
    from datetime import timedelta

    from zhixing.cases.models import CaseStatus, ClosureMethod
    from zhixing.interaction import selectors

    case = world.case
    case.status = CaseStatus.CLOSED
    case.closure_method = ClosureMethod.TERMINATED_THIS_ROUND
    case.closed_on = case.filed_on + timedelta(days=12)
    case.save()
    progress = selectors.case_progress(case)
    assert progress.days == 12 and progress.stage == "终本结案" and progress.status == "终本"
    case.closure_method = ClosureMethod.FULFILLED
    assert selectors.party_status(case) == "已结"


def test_document_index_links_the_eight_categories(world: Any, as_user: Any) -> None:
    page = as_user(world.party).get(reverse("interaction:documents")).content.decode()
    for label in ("执行申请", "执行异议", "委托授权书、身份证明书", "申请顺延期限"):
        assert label in page
    assert as_user(world.other_party).get(reverse("interaction:documents")).status_code == 200


def test_message_threads_are_paged_twenty_at_a_time(world: Any, as_user: Any, settings: Any) -> None:
    settings.INTERACTION_MESSAGE_LIMIT = (1000, 3600)
    actor = party_actor(world.party)
    for n in range(25):
        services.message_post(actor=actor, case=world.case, body=f"第{n:02d}条留言")
    client = as_user(world.party)
    select(client, world.case)
    first = client.get(reverse("interaction:messages"), {"tab": "waiting"}).content.decode()
    assert "未回复（25）" in first and "第 1/2 页" in first
    assert "第24条留言" in first and "第05条留言" in first and "第04条留言" not in first
    second = client.get(reverse("interaction:messages"), {"tab": "waiting", "page": 2}).content.decode()
    assert "第04条留言" in second and "第00条留言" in second and "第05条留言" not in second
    # The API pages the same way, and another party still sees none of them.
    api = f"/api/v1/interaction/cases/{world.case.pk}/messages"
    assert [t["body"] for t in client.get(api, {"page": 2}).json()] == [
        f"第{n:02d}条留言" for n in range(4, -1, -1)
    ]
    assert len(client.get(api).json()) == 20
    other = as_user(world.other_party)
    assert other.get(api).status_code in (403, 404)


def test_message_api_page_numbers_out_of_range_are_harmless(world: Any, as_user: Any) -> None:
    client = as_user(world.party)
    api = f"/api/v1/interaction/cases/{world.case.pk}/messages"
    for page in ("0", "-5", str(10**30)):
        response = client.get(api, {"page": page})
        assert response.status_code in (200, 422), page
