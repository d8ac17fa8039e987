"""纠正申请: who may apply, the workbench queue (15-day deadline), decisions and notices."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from zhixing.notifications.models import Notice, SmsMessage
from zhixing.publicinfo import selectors
from zhixing.publicinfo.models import CorrectionRequest, PublishedRecord

from ..conftest import PARTY_ID
from ..factories import make_case
from .conftest import RESPONDENT

pytestmark = pytest.mark.django_db

STATEMENT = "本人已于上月全部履行判决确定的给付义务，请求删除失信信息。"


@pytest.fixture
def listed(respondent_case: Any, dishonest_type: Any, decide: Any) -> PublishedRecord:
    decide(respondent_case, dishonest_type, "dishonest", grounds=[1])
    return PublishedRecord.objects.get(case=respondent_case, kind="dishonest")


@pytest.fixture
def party_listed(
    world: Any, dishonest_type: Any, decide: Any, django_capture_on_commit_callbacks: Any
) -> PublishedRecord:
    """The verified demo party 张伟 as a listed respondent."""
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(court=world.court, sequence=88, respondent=PARTY_ID, judge=world.judge)
    decide(case, dishonest_type, "dishonest", grounds=[4])
    return PublishedRecord.objects.get(case=case, kind="dishonest")


def _url(record: PublishedRecord) -> str:
    return f"/query/r/{selectors.record_token(record)}/correction/"


def test_anonymous_applicant_with_matching_identity_may_apply(listed: PublishedRecord, client: Any) -> None:
    assert client.get(_url(listed)).status_code == 200
    response = client.post(
        _url(listed),
        {
            "reason": "should_remove",
            "statement": STATEMENT,
            "name": RESPONDENT[0],
            "id_number": RESPONDENT[1],
            "phone": "13912345678",
        },
    )
    assert response.status_code == 302
    req = CorrectionRequest.objects.get()
    assert not req.identity_verified and req.court == listed.court
    assert req.due_on == timezone.localdate() + timedelta(days=15)
    done = client.get(response["Location"])
    assert done.status_code == 200 and "纠正申请已提交" in done.content.decode()


def test_anonymous_applicant_with_other_identity_may_not(listed: PublishedRecord, client: Any) -> None:
    response = client.post(
        _url(listed),
        {
            "reason": "should_remove",
            "statement": STATEMENT,
            "name": "李四",
            "id_number": RESPONDENT[1],
            "phone": "13912345678",
        },
    )
    assert response.status_code == 422 and "不一致" in response.content.decode()
    response = client.post(
        _url(listed), {"reason": "", "statement": "短", "name": "", "id_number": "", "phone": "1"}
    )
    assert response.status_code == 422
    assert not CorrectionRequest.objects.exists()


def test_verified_listed_user_may_apply(party_listed: PublishedRecord, world: Any, as_user: Any) -> None:
    client = as_user(world.party)
    page = client.get(_url(party_listed))
    assert "您已实名认证" in page.content.decode()
    response = client.post(_url(party_listed), {"reason": "inaccurate", "statement": STATEMENT})
    assert response.status_code == 302
    req = CorrectionRequest.objects.get()
    assert req.identity_verified and req.applicant_user == world.party


def test_verified_other_user_may_not_apply(party_listed: PublishedRecord, world: Any, as_user: Any) -> None:
    client = as_user(world.other_party)
    assert client.get(_url(party_listed)).status_code == 403
    assert (
        client.post(_url(party_listed), {"reason": "inaccurate", "statement": STATEMENT}).status_code == 403
    )
    assert not CorrectionRequest.objects.exists()


def test_only_dishonest_records_take_corrections(respondent_case: Any, client: Any) -> None:
    debtor = PublishedRecord.objects.get(case=respondent_case, kind="debtor")
    assert client.get(_url(debtor)).status_code == 404


def _apply(client: Any, record: PublishedRecord) -> CorrectionRequest:
    client.post(
        _url(record),
        {
            "reason": "should_remove",
            "statement": STATEMENT,
            "name": RESPONDENT[0],
            "id_number": RESPONDENT[1],
            "phone": "13912345678",
        },
    )
    return CorrectionRequest.objects.get()


def test_queue_may_and_may_not(listed: PublishedRecord, world: Any, as_user: Any, client: Any) -> None:
    req = _apply(client, listed)
    judge = as_user(world.judge)
    page = judge.get("/workbench/publicinfo/corrections/")
    assert page.status_code == 200 and req.applicant_name in page.content.decode()
    assert judge.get(f"/workbench/publicinfo/corrections/{req.pk}/").status_code == 200
    outsider = as_user(world.judge_outside)
    assert req.applicant_name not in outsider.get("/workbench/publicinfo/corrections/").content.decode()
    assert outsider.get(f"/workbench/publicinfo/corrections/{req.pk}/").status_code == 404
    assert as_user(world.public).get("/workbench/publicinfo/corrections/").status_code == 403
    assert as_user(None).get("/workbench/publicinfo/corrections/").status_code == 302


def test_decision_remove_takes_record_off_and_notifies(
    listed: PublishedRecord, world: Any, as_user: Any, client: Any
) -> None:
    req = _apply(client, listed)
    judge = as_user(world.judge)
    bad = judge.post(f"/workbench/publicinfo/corrections/{req.pk}/", {"decision": "remove", "note": ""})
    assert bad.status_code == 422
    ok = judge.post(
        f"/workbench/publicinfo/corrections/{req.pk}/", {"decision": "remove", "note": "经核实已全部履行。"}
    )
    assert ok.status_code == 302
    req.refresh_from_db()
    listed.refresh_from_db()
    assert req.status == "removed" and req.decided_by == world.judge
    assert listed.status == "removed" and "纠正申请成立" in listed.removal_reason
    assert SmsMessage.objects.filter(template="publicinfo_correction_decided").count() == 1
    # Decided once only.
    again = judge.post(f"/workbench/publicinfo/corrections/{req.pk}/", {"decision": "reject", "note": "x"})
    assert again.status_code in (404, 422)


def test_decision_correct_and_reject(party_listed: PublishedRecord, world: Any, as_user: Any) -> None:
    applicant = as_user(world.party)
    applicant.post(_url(party_listed), {"reason": "inaccurate", "statement": STATEMENT})
    req = CorrectionRequest.objects.get()
    judge = as_user(world.judge)
    empty = judge.post(
        f"/workbench/publicinfo/corrections/{req.pk}/", {"decision": "correct", "note": "更正"}
    )
    assert empty.status_code == 422
    judge.post(
        f"/workbench/publicinfo/corrections/{req.pk}/",
        {
            "decision": "correct",
            "note": "情形记载有误，予以更正。",
            "conduct": "违反财产报告制度（逾期申报）",
        },
    )
    party_listed.refresh_from_db()
    req.refresh_from_db()
    assert req.status == "corrected" and party_listed.conduct == "违反财产报告制度（逾期申报）"
    assert party_listed.status == "published"
    assert Notice.objects.filter(user=world.party, title__contains="纠正申请").exists()
