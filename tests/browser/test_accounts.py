"""Done-when of issue 3, in a real browser on a 390×844 phone viewport: register with the code from the
outbox, verify by face (and, for another user, in person at the court), then see one's own cases only."""

from __future__ import annotations

import random
import re
from datetime import date
from pathlib import Path
from typing import Any

import pyotp
import pytest
from playwright.sync_api import expect

from zhixing.lib import crypto, synth
from zhixing.notifications.models import SmsMessage

from ..accounts import faces
from ..conftest import World
from ..factories import make_case
from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _code_for(phone: str) -> str:
    message = SmsMessage.objects.filter(phone_index=crypto.blind_index(phone), template="verify_code").first()
    assert message is not None
    found = re.search(r"验证码为(\d{6})", message.body)
    assert found
    return found.group(1)


def _register(page: Any, base: str, phone: str) -> None:
    page.goto(f"{base}/me/")
    page.get_by_role("link", name="注册").click()
    page.fill("#id_phone", phone)
    page.get_by_role("button", name="获取验证码").click()
    expect(page.get_by_test_id("code-sent")).to_contain_text("如该号码可用，验证码已发送")
    page.fill("#id_code", _code_for(phone))
    page.fill("#id_password", "Qing-tian-2026")
    page.check("input[name=agree]")
    box = page.get_by_role("button", name="注册").bounding_box()
    assert box is not None and box["height"] >= 44
    screenshot(page, "accounts-register-390")
    page.get_by_role("button", name="注册").click()
    expect(page).to_have_url(re.compile(r"/account/verify/$"))


def test_register_verify_by_face_and_see_own_cases(
    live_server: Any, phone_page: Any, world: World, tmp_path: Path
) -> None:
    name = "周晓梅"
    number = synth.resident_id(random.Random(77), born_from=date(1975, 1, 1), born_to=date(1995, 1, 1))
    own = make_case(court=world.court, sequence=61, applicant=(name, number), judge=world.judge)
    page = phone_page
    _register(page, live_server.url, "13766668888")
    page.check("input[name=agree]")
    page.get_by_role("button", name="同意并继续").click()
    portrait = tmp_path / "portrait.jpg"
    selfie = tmp_path / "selfie.jpg"
    portrait.write_bytes(faces.portrait())
    selfie.write_bytes(faces.selfie_same_person())
    page.fill("#id_real_name", name)
    page.fill("#id_id_number", number)
    page.set_input_files("#id_portrait", str(portrait))
    page.set_input_files("#id_selfie", str(selfie))
    assert page.locator("#id_selfie").get_attribute("capture") == "user"
    screenshot(page, "accounts-verify-390")
    page.get_by_role("button", name="提交认证").click()
    expect(page.get_by_test_id("verified")).to_contain_text("已完成实名认证", timeout=30000)
    page.get_by_role("link", name="查看我的案件").click()
    cases = page.get_by_test_id("case-list")
    expect(cases).to_contain_text(own.number)
    expect(cases).not_to_contain_text(world.case.number)
    expect(cases).not_to_contain_text(world.unit_case.number)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "accounts-my-cases-390")


def test_in_person_verification_then_own_cases(
    live_server: Any, phone_page: Any, desktop_page: Any, world: World
) -> None:
    name = "孙立伟"
    number = synth.resident_id(random.Random(78), born_from=date(1960, 1, 1), born_to=date(1990, 1, 1))
    own = make_case(court=world.court, sequence=62, respondent=(name, number), judge=world.judge)
    phone = "13766669999"
    _register(phone_page, live_server.url, phone)
    expect(phone_page.get_by_text("不使用人脸识别？")).to_be_visible()

    staff = desktop_page
    staff.goto(f"{live_server.url}/workbench/accounts/verify/")
    staff.fill("#id_username", "judge_in")
    staff.fill("#id_password", "Strong#Pass2024")
    staff.get_by_role("button", name="登录").click()
    staff.fill("#id_phone_q", phone)
    staff.get_by_role("button", name="查找").click()
    staff.fill("#id_real_name", name)
    staff.fill("#id_id_number", number)
    staff.check("input[name=confirm]")
    staff.get_by_role("button", name="确认核验通过").click()
    expect(staff.get_by_test_id("in-person-done")).to_contain_text(name)
    screenshot(staff, "accounts-in-person-verify")

    phone_page.goto(f"{live_server.url}/account/cases/")
    cases = phone_page.get_by_test_id("case-list")
    expect(cases).to_contain_text(own.number)
    expect(cases).not_to_contain_text(world.case.number)


def test_approver_logs_in_with_totp(live_server: Any, desktop_page: Any, world: World) -> None:
    page = desktop_page
    page.goto(f"{live_server.url}/workbench/login/")
    page.fill("#id_username", "approver")
    page.fill("#id_password", "Strong#Pass2024")
    page.get_by_role("button", name="登录").click()
    secret = page.get_by_test_id("totp-secret").inner_text().strip()
    assert page.locator(".qr svg").is_visible()
    screenshot(page, "accounts-totp-enrol")
    page.fill("#id_code", pyotp.TOTP(secret).now())
    page.get_by_role("button", name="绑定并登录").click()
    expect(page).to_have_url(re.compile(r"/workbench/$"))
