"""Security suite (matrix, IDOR, mass assignment, workflow integrity, fuzzing): one populated world.

``sec`` builds on the shared personas (``world``) and adds one object of every type the platform serves,
on both sides of every boundary: court A (world.court, world.party's case) and court B (world.other_court,
world.other_party's case). ``clients`` gives one logged-in test client per persona name; the unit user is
a session opened with the unit's credit code and the case's 案件查询码, exactly as /account/unit/ does.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from tests.conftest import OTHER_PARTY_ID, PARTY_ID, UNIT, build_world
from tests.factories import MembershipFactory, StaffFactory, TeamFactory, TeamTypeFactory
from zhixing.courts.models import Role
from zhixing.workflow.models import CaseMatter

PERSONAS = (
    "anonymous",
    "leader",
    "public",
    "party",
    "other_party",
    "unit",
    "judge",
    "judge_outside",
    "team_lead",
    "approver",
    "field_officer",
    "admin",
)
STAFF = frozenset({"judge", "judge_outside", "team_lead", "approver", "field_officer", "admin", "leader"})
STAFF_A = frozenset({"judge", "team_lead", "approver", "field_officer", "admin", "leader"})
PORTAL_USERS = frozenset({"public", "party", "other_party"})


def png_bytes(size: tuple[int, int] = (40, 30), colour: str = "red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def jpeg_bytes(size: tuple[int, int] = (40, 30), colour: str = "blue") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


def security_settings(base: Any) -> dict[str, Any]:
    """Media and signing under the module's own directory; limits that a thousand requests do not trip."""
    from django.conf import settings

    values: dict[str, Any] = {
        "MEDIA_ROOT": str(base / "media"),
        "STORAGES": {
            **settings.STORAGES,
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        },
        "DOCUMENTS_GENERATION_MODE": "inline",
        "SIGNING_DIR": str(base / "signing"),
        "ESEAL_BACKEND": "local",
        "PUBLICINFO_CAPTCHA_AFTER": 100000,
        "PUBLICINFO_LIMIT_PER_MINUTE": 100000,
        "PUBLICINFO_LIMIT_PER_HOUR": 100000,
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    }
    if "." not in str(getattr(settings, "SIGNING_BACKEND", "")):
        values["SIGNING_BACKEND"] = "django.core.signing.TimestampSigner"
    return values


def apply_settings(settings: Any, base: Any) -> None:
    for key, value in security_settings(base).items():
        setattr(settings, key, value)


def application_data(tag: str, user: Any) -> dict[str, Any]:
    """A complete 执行申请书 (every legally required item) written by ``user``."""
    return {
        "applicant_kind": "natural",
        "applicant_name": user.real_name,
        "applicant_gender": "男",
        "applicant_birth": "1985-03-07",
        "applicant_ethnicity": "汉族",
        "applicant_id": PARTY_ID[1] if user.real_name == PARTY_ID[0] else OTHER_PARTY_ID[1],
        "applicant_address": "山东省济南市历下区某路1号",
        "applicant_phone": user.phone,
        "respondent_kind": "legal",
        "respondent_name": "济南某某商贸有限公司",
        "respondent_address": "济南市市中区某路2号",
        "respondent_representative": "王某，总经理",
        "basis_issuer": "济南市历下区人民法院",
        "basis_number": "（2024）鲁0102民初123号",
        "basis_title": "民事判决书",
        "basis_effective_on": "2024-06-01",
        "claims": "1. 强制被执行人支付货款100000元及利息；\n2. 被执行人负担执行费用。",
        "amount": "100000",
        "reasons": f"{tag}判决生效后被执行人未履行付款义务。",
        "property": "被执行人在某银行开有基本账户。",
        "court": "济南市历下区人民法院",
        "attachments": ["basis", "identity"],
        "signed_on": "2024-07-01",
    }


@dataclass
class Side:
    """The objects of one side of the boundary (court A with world.party, or court B with other_party)."""

    case: Any
    matter: Any = None
    prop: Any = None
    fund: Any = None
    task: Any = None
    photo: Any = None
    doc: Any = None
    step: Any = None
    efile: Any = None
    efile_pdf: Any = None
    service: Any = None
    message: Any = None
    clue: Any = None
    clue_file: Any = None
    opinion: Any = None
    draft: Any = None
    share_token: str = ""
    notice: Any = None
    staff_notice: Any = None
    record: Any = None
    record_token: str = ""
    correction: Any = None
    article: Any = None
    sms: Any = None
    verification: Any = None
    markers: list[str] = field(default_factory=list)


@dataclass
class Sec:
    world: Any
    a: Side
    unit_query_code: str
    team_lead_b: Any
    leader: Any
    closing_judge: Any
    disposal_judge: Any
    judge2: Any
    template: Any
    lpr: Any
    law: Any
    law_version: Any
    faq: Any
    ids: list[str]
    calendar_override: Any = None
    dishonest_token: str = ""
    captcha_token: str = ""
    base: Any = None

    def user(self, persona: str) -> Any:
        w = self.world
        return {
            "anonymous": None,
            "unit": None,
            "public": w.public,
            "party": w.party,
            "other_party": w.other_party,
            "judge": w.judge,
            "judge_outside": w.judge_outside,
            "team_lead": w.team_lead,
            "approver": w.approver,
            "field_officer": w.field_officer,
            "admin": w.admin,
            "leader": self.leader,
        }[persona]


def client_for(sec: Sec, persona: str, **kw: Any) -> Client:
    client = Client(**kw)
    user = sec.user(persona)
    if user is not None:
        client.force_login(user)
    from django.conf import settings

    from zhixing.accounts.permissions import UNIT_SESSION_KEY
    from zhixing.interaction.selectors import SESSION_KEY as CASE_KEY

    # Portal personas have chosen their own case (the 切换案件 selection the case pages work on).
    own_case = {"party": sec.world.case, "other_party": sec.world.other_case, "unit": sec.world.unit_case}
    if persona in own_case:
        session = client.session
        if persona == "unit":
            session[UNIT_SESSION_KEY] = {"code": UNIT[1], "query_code": sec.unit_query_code}
        session[CASE_KEY] = own_case[persona].pk
        session.save()
        client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key  # type: ignore[index]
    return client


def _stage_teams(world: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for order, (code, name) in enumerate(
        [("asset_disposal", "财产处置"), ("fund_distribution", "案款分配"), ("closing_archive", "结案归档")],
        start=2,
    ):
        tt = TeamTypeFactory(code=code, name=name, order=order * 10)
        team = TeamFactory(court=world.court, team_type=tt, name=f"{name}团队")
        judge = StaffFactory(username=f"sec_{code}", display_name=f"{name}法官")
        MembershipFactory(user=judge, court=world.court, team=team, role=Role.JUDGE)
        out[code] = judge
    TeamTypeFactory(code="field", name="外勤", order=50)
    return out


def _side(world: Any, case: Any, judge: Any, party_user: Any, officer: Any, tag: str) -> Side:
    from zhixing.content.models import Channel
    from zhixing.content.services import article_publish, article_save
    from zhixing.documents import services as docs
    from zhixing.documents.models import ApprovalStep, DocTemplate
    from zhixing.interaction import services as inter
    from zhixing.interaction.integration import PortalActor
    from zhixing.interaction.selectors import share_token
    from zhixing.notifications.services import notice_send, sms_send
    from zhixing.publicinfo import selectors as pub_sel
    from zhixing.publicinfo import services as pub
    from zhixing.workflow import services as wf
    from zhixing.workflow.models import FieldTaskPhoto
    from zhixing.workflow.services import case_receive

    case_receive(actor=judge, case_id=case.pk)
    case.refresh_from_db()
    fresh = type(case).objects.select_related("flow", "flow__stage").get(pk=case.pk)
    side = Side(case=fresh)
    mt = docs.matter_type_for("seal_up")
    side.matter = CaseMatter.objects.create(
        case=fresh, matter_type=mt, started_on=timezone.localdate(), created_by=judge, stage=fresh.flow.stage
    )
    side.prop = wf.property_add(
        actor=judge, case=fresh, kind="vehicle", description=f"{tag}号牌小型轿车", identifier=f"鲁A{tag}8888"
    )
    side.fund = wf.fund_record(
        actor=judge, case=fresh, kind="receipt", amount="5000.00", counterparty=f"{tag}付款人"
    )
    side.task = wf.field_task_assign(
        actor=judge,
        case=fresh,
        officer_id=officer.pk,
        instructions=f"{tag}现场查看车辆",
        place=f"{tag}市场东门",
        due_on=timezone.localdate() + timedelta(days=5),
    )
    wf.field_task_report(
        actor=officer,
        task=side.task,
        result=f"{tag}车辆停放在地下车库",
        photos=[SimpleUploadedFile("a.jpg", jpeg_bytes(), "image/jpeg")],
    )
    side.photo = FieldTaskPhoto.objects.get(task=side.task)

    docs.library_sync()
    notice_tpl = DocTemplate.objects.get(court__isnull=True, code="notice")
    side.doc = docs.document_create(actor=judge, case=fresh, template=notice_tpl, data={}, matter=side.matter)
    side.doc = docs.document_sign(actor=judge, document=side.doc)
    seal_tpl = DocTemplate.objects.get(court__isnull=True, code="ruling_seal_up")
    pending = docs.document_create(actor=judge, case=fresh, template=seal_tpl, data={}, matter=side.matter)
    docs.document_submit(actor=judge, document=pending)
    side.step = ApprovalStep.objects.get(document=pending, decision=ApprovalStep.Decision.PENDING)
    applicant = fresh.parties.get(role="applicant")
    (side.service,) = docs.document_serve(actor=judge, document=side.doc, parties=[applicant])
    side.efile_pdf = fresh.efile_items.filter(document=side.doc).order_by("id").first()
    side.efile = docs.efile_add(
        case=fresh,
        file=png_bytes(),
        category="field",
        source="upload",
        actor=judge,
        title=f"{tag}现场照片",
        content_type="image/png",
    )

    actor = PortalActor(user=party_user, label=party_user.real_name)
    side.message = inter.message_post(actor=actor, case=fresh, body=f"{tag}何时拍卖房产")
    side.clue = inter.clue_submit(
        actor=actor,
        case=fresh,
        body=f"{tag}被执行人在某市场有摊位",
        files=[SimpleUploadedFile("a.png", png_bytes(), "image/png")],
    )
    side.clue_file = side.clue.attachments.get()
    side.opinion = inter.opinion_submit(
        actor=actor, court=fresh.court, kind="suggestion", body=f"{tag}建议公开执行款发放进度"
    )
    side.draft = inter.draft_save(
        actor=actor, kind="application", data=application_data(tag, party_user), case=fresh, complete=True
    )
    side.share_token = share_token(side.draft)
    side.notice = notice_send(
        user=party_user, title=f"{tag}提醒标题", body=f"{tag}提醒正文", link="", category="case"
    )
    side.staff_notice = notice_send(
        user=judge, title=f"{tag}工作提醒", body=f"{tag}工作提醒正文", link="", category="case"
    )
    side.sms = sms_send(
        phone=party_user.phone,
        template="verify_code",
        params={"code": "123456", "minutes": 5, "purpose": "登录"},
    )

    records = pub.debtors_publish(case=fresh, actor="test")
    side.record = records[0]
    side.record_token = pub_sel.record_token(side.record)
    respondent = fresh.parties.get(role="respondent")
    (dishonest,) = pub.dishonest_publish(
        case=fresh, measure=SimpleNamespace(data={"grounds": [4]}, completed_on=timezone.localdate())
    )
    side.correction = pub.correction_submit(
        record=dishonest,
        reason="should_remove",
        statement=f"{tag}本人已经全部履行完毕，请求删除",
        name=respondent.name,
        id_number=respondent.id_number,
        phone="13700000009",
    )

    channel = Channel.objects.get(slug="news")
    from zhixing.courts.models import Membership

    publicity = StaffFactory(username=f"publicity_{tag}", display_name=f"宣传{tag}")
    Membership.objects.create(user=publicity, court=fresh.court, team=None, role=Role.PUBLICITY)
    art = article_save(
        actor=publicity,
        channel=channel,
        court=fresh.court,
        title=f"{tag}执行动态草稿",
        body=f"<p>{tag}草稿正文</p>",
        cover=SimpleUploadedFile("c.png", png_bytes(), "image/png"),
    )
    side.article = art
    _ = article_publish  # drafts stay unpublished: only staff of the court may preview them
    from zhixing.accounts.models import IdentityVerification
    from zhixing.lib.masking import mask_resident_id

    number = PARTY_ID[1] if tag == "甲" else OTHER_PARTY_ID[1]
    side.verification = IdentityVerification.objects.create(
        user=party_user,
        method=IdentityVerification.Method.values[0],
        real_name=party_user.real_name,
        id_index=party_user.id_index,
        id_masked=mask_resident_id(number),
        result=IdentityVerification.Result.values[0],
        portrait_sha256="ab" * 32,
        selfie_sha256="cd" * 32,
        staff=judge,
        document_note="居民身份证原件",
    )
    side.markers = [
        f"{tag}号牌小型轿车",
        f"{tag}现场查看车辆",
        f"{tag}何时拍卖房产",
        f"{tag}被执行人在某市场有摊位",
        f"{tag}建议公开执行款发放进度",
        f"{tag}提醒正文",
        f"{tag}草稿正文",
        f"{tag}付款人",
        f"{tag}判决生效后被执行人未履行付款义务",
        f"{tag}本人已经全部履行完毕",
        f"{tag}工作提醒正文",
    ]
    return side


def build_sec() -> Sec:
    from zhixing.accounts.services import query_code_regenerate
    from zhixing.assist.models import Faq, FaqCategory
    from zhixing.calcweb.services import lpr_quote_create
    from zhixing.content.defaults import load
    from zhixing.content.models import Channel, GuideItem, Hotline
    from zhixing.laws.models import Law, LawVersion
    from zhixing.workflow.defaults import ensure_defaults

    ensure_defaults()
    load(Channel, GuideItem, Hotline)
    world = build_world()
    admin = world.admin
    admin.is_staff = admin.is_superuser = True  # as seed_demo makes the 系统管理员
    admin.save(update_fields=["is_staff", "is_superuser"])
    judges = _stage_teams(world)
    judge2 = StaffFactory(username="sec_judge2", display_name="查控法官二")
    MembershipFactory(user=judge2, court=world.court, team=world.team, role=Role.JUDGE)
    lead_b = StaffFactory(username="sec_lead_b", display_name="乙院负责人")
    MembershipFactory(user=lead_b, court=world.other_court, team=world.other_team, role=Role.TEAM_LEAD)

    leader = StaffFactory(username="sec_leader", display_name="院领导甲")
    MembershipFactory(user=leader, court=world.court, team=None, role=Role.COURT_LEADER)
    a = _side(world, world.case, world.judge, world.party, world.field_officer, "甲")
    unit_code = query_code_regenerate(actor=world.judge, case=world.unit_case)
    lpr = lpr_quote_create(
        actor=admin, date=date(2019, 9, 20), lpr_1y="4.20", lpr_5y_plus="4.85", source="test"
    )
    law = Law.objects.create(title="安全测试法", category="法律")
    version = LawVersion.objects.create(law=law, date=date(2020, 1, 1), event="公布", in_force=True)
    cat, _ = FaqCategory.objects.get_or_create(slug="sec", defaults={"name": "测试"})
    faq = Faq.objects.create(code="SEC1", category=cat, question="安全测试问题？", answer="安全测试解答。")
    from zhixing.documents.models import DocTemplate

    template = DocTemplate.objects.get(court__isnull=True, code="notice")
    people = [PARTY_ID[1], OTHER_PARTY_ID[1]]
    for case in (world.case, world.other_case, world.unit_case):
        for p in case.parties.all():
            if p.kind == "natural":
                people.append(p.id_number)
    from zhixing.publicinfo import throttle
    from zhixing.publicinfo.selectors import record_token
    from zhixing.workflow.models import CalendarOverride

    override = CalendarOverride.objects.create(
        court=world.court, day=date(2030, 1, 2), is_workday=False, name="甲院调休", created_by=admin
    )
    return Sec(
        calendar_override=override,
        dishonest_token=record_token(a.correction.record),
        captcha_token=throttle.captcha_issue(),
        world=world,
        a=a,
        unit_query_code=unit_code,
        team_lead_b=lead_b,
        leader=leader,
        closing_judge=judges["closing_archive"],
        disposal_judge=judges["asset_disposal"],
        judge2=judge2,
        template=template,
        lpr=lpr,
        law=law,
        law_version=version,
        faq=faq,
        ids=sorted(set(people)),
    )


@pytest.fixture(scope="module")
def sec_module(django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: Any) -> Any:
    """One populated world per test module, inside a transaction rolled back when the module ends; each
    test runs in a savepoint within it (the ``db`` fixture), so tests stay independent and fast."""
    from django.db import transaction
    from django.test import override_settings

    base = tmp_path_factory.mktemp("sec")
    overrides = override_settings(**security_settings(base))
    overrides.enable()
    try:
        with django_db_blocker.unblock():
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                cache.clear()
                built = build_sec()
                built.base = base
                yield built
            finally:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)
    finally:
        overrides.disable()


@pytest.fixture
def sec(sec_module: Sec, db: Any, settings: Any) -> Sec:
    apply_settings(settings, sec_module.base)
    cache.clear()
    return sec_module


@pytest.fixture
def clients(sec: Sec) -> dict[str, Client]:
    return {p: client_for(sec, p) for p in PERSONAS}
