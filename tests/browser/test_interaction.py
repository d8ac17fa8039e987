"""服务台 end to end at 390×844: a verified party and the judge / 院领导 on the workbench, in one story."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.factories import MembershipFactory, StaffFactory
from tests.interaction.media_samples import jpeg_with_gps, mp4_bytes
from zhixing.cases.services import progress_node_open
from zhixing.courts.models import Role

from ..conftest import World
from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page: Any, live_server: Any, user: Any) -> None:
    """Sign in by session cookie (the login pages themselves are tested by the accounts suite)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def test_party_story_on_a_phone(
    live_server: Any, phone_page: Any, desktop_page: Any, world: World, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    progress_node_open(case=world.case, name="财产查控", note="已发起网络查控")
    leader = StaffFactory(username="leader", display_name="院长甲")
    MembershipFactory(user=leader, court=world.court, team=None, role=Role.COURT_LEADER)
    errors: list[str] = []
    phone = phone_page
    phone.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    base = live_server.url

    # 选择案件 → 案件办理阶段
    login(phone, live_server, world.party)
    phone.goto(f"{base}/service/")
    phone.get_by_role("link", name="选择案件").click()
    phone.get_by_text(world.case.number).click()
    screenshot(phone, "interaction-cases-390")
    phone.get_by_role("button", name="确定").click()
    expect(phone.locator(".stage")).to_have_text("财产查控")
    expect(phone.locator(".timeline")).to_contain_text("立案")
    expect(phone.locator(".facts")).to_contain_text("judge_in")
    screenshot(phone, "interaction-progress-390")
    phone.goto(f"{base}/service/")
    expect(phone.locator(".module").first).to_contain_text(world.case.number)
    for name in ("案件办理阶段", "给法官留言", "提交执行线索", "意见建议", "我要制作文书"):
        box = phone.get_by_role("link", name=name).first.bounding_box()
        assert box is not None and box["height"] >= 44 and box["x"] + box["width"] <= 390, name
    screenshot(phone, "interaction-service-390")

    # 给法官留言
    phone.goto(f"{base}/service/messages/")
    phone.fill("#msg-body", "请问查控结果如何？")
    expect(phone.locator("#msg-count")).to_have_text("9/50")
    phone.get_by_role("button", name="发送留言").click()
    expect(phone.locator(".threads")).to_contain_text("请问查控结果如何？")

    judge = desktop_page
    login(judge, live_server, world.judge)
    judge.goto(f"{base}/workbench/interaction/messages/")
    judge.get_by_label(f"回复 {world.case.number} 的留言").fill("已冻结被执行人银行存款5万元。")
    judge.get_by_role("button", name="回复", exact=True).click()
    expect(judge.locator(".flash")).to_contain_text("已回复")
    screenshot(judge, "interaction-wb-messages")

    phone.goto(f"{base}/service/messages/?tab=replied")
    expect(phone.locator(".threads")).to_contain_text("已冻结被执行人银行存款5万元。")
    phone.get_by_label("追加回复").fill("谢谢，何时划扣？")
    phone.get_by_role("button", name="追加回复").click()
    expect(phone.locator(".threads")).to_contain_text("谢谢，何时划扣？")
    screenshot(phone, "interaction-messages-390")

    # 提交执行线索 with a photo and a short video, through the progress-bar upload
    phone.goto(f"{base}/service/clues/")
    phone.get_by_role("link", name="上传线索").click()
    phone.fill("#clue-body", "被执行人的车辆停在某小区地下车库")
    phone.set_input_files(
        "#clue-photo", files=[{"name": "IMG_0001.jpg", "mimeType": "image/jpeg", "buffer": jpeg_with_gps()}]
    )
    phone.set_input_files(
        "#clue-video", files=[{"name": "VID_0001.mp4", "mimeType": "video/mp4", "buffer": mp4_bytes()}]
    )
    expect(phone.locator("[data-file-list]")).to_contain_text("VID_0001.mp4")
    picker = phone.get_by_text("拍照").bounding_box()
    assert picker is not None and picker["height"] >= 44
    screenshot(phone, "interaction-clue-new-390")
    phone.get_by_role("button", name="提交线索").click()
    expect(phone).to_have_url(re.compile(r".*/service/clues/\?tab=checking#clue-\d+$"), timeout=15000)
    expect(phone.locator(".clue")).to_contain_text("被执行人的车辆停在某小区地下车库")
    expect(phone.locator(".thumbs img")).to_have_count(1)
    expect(phone.locator(".video-chip")).to_have_count(1)

    judge.goto(f"{base}/workbench/interaction/clues/")
    judge.get_by_role("link", name="核查", exact=True).click()
    expect(judge.locator("video")).to_have_count(1)
    judge.select_option("select[name=outcome]", "confirmed")
    judge.fill("textarea[name=result]", "经核查属实，已扣押该车辆。")
    screenshot(judge, "interaction-wb-clue")
    judge.get_by_role("button", name="提交核查结果").click()
    expect(judge.locator(".flash")).to_contain_text("核查结果已反馈")

    phone.goto(f"{base}/service/clues/?tab=checked")
    expect(phone.locator(".result")).to_contain_text("经核查属实，已扣押该车辆。")
    screenshot(phone, "interaction-clues-checked-390")

    # 意见建议: a complaint answered by 院领导
    phone.goto(f"{base}/service/opinions/")
    phone.get_by_role("link", name="新增建议").click()
    phone.get_by_label("投诉").check()
    phone.fill("#op-body", "承办人办公电话长期无人接听。")
    phone.get_by_role("button", name="提交", exact=True).click()
    expect(phone.locator(".list")).to_contain_text("承办人办公电话长期无人接听。")

    login(judge, live_server, leader)
    judge.goto(f"{base}/workbench/interaction/opinions/")
    judge.get_by_label("回复意见").fill("已责成执行局整改，并公布值班电话。")
    judge.get_by_role("button", name="回复", exact=True).click()
    expect(judge.locator(".flash")).to_contain_text("已回复")

    phone.goto(f"{base}/service/opinions/?tab=replied")
    expect(phone.locator(".result")).to_contain_text("已责成执行局整改")

    # 消息中心 lists the three replies
    phone.goto(f"{base}/me/notices/")
    expect(phone.locator(".notices > li")).to_have_count(3)

    # 我要制作文书: 执行申请书 → 生成预览 → 下载 PDF
    phone.goto(f"{base}/service/make/")
    phone.get_by_role("link", name="执行申请").first.click()
    phone.fill("#f-applicant_address", "山东省济南市历下区某路1号")
    phone.fill("#f-respondent_address", "济南市市中区某路2号")
    phone.fill("#f-basis_title", "民事判决书")
    phone.fill("#f-basis_effective_on", "2024-06-01")
    phone.fill("#f-claims", "强制被执行人支付借款100000元及利息。")
    phone.fill("#f-reasons", "判决生效后被执行人未履行。")
    phone.fill("#f-property", "被执行人名下有车辆一辆。")
    phone.get_by_label("生效法律文书副本").check()
    phone.get_by_label("申请执行人身份证明").check()
    phone.get_by_role("button", name="生成预览").click()
    expect(phone.locator(".doc-title")).to_have_text("执行申请书")
    screenshot(phone, "interaction-document-preview-390")
    with phone.expect_download() as info:
        phone.get_by_role("link", name="下载 PDF").click()
    pdf = Path(info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) > 5000

    assert not [e for e in errors if "Content Security Policy" in e], errors
