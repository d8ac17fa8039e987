"""Writes to the published lists: publication from case events, removal, term extension, housekeeping and
correction requests (纠正申请). Rules: 最高人民法院关于公布失信被执行人名单信息的若干规定 (2017) and
最高人民法院关于限制被执行人高消费及有关消费的若干规定 (2015)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from zhixing.audit.services import audit_record
from zhixing.cases.models import EnforcementCase, Party
from zhixing.lib import crypto
from zhixing.lib.errors import field_error
from zhixing.lib.ids import IdentifierError, validate_mobile
from zhixing.lib.masking import mask_resident_id

from .models import (
    DISHONEST_SITUATIONS,
    CorrectionReason,
    CorrectionRequest,
    CorrectionStatus,
    ListKind,
    PublishedRecord,
    RecordSource,
    RecordStatus,
    SubjectKind,
)
from .regions import province_code_of
from .workdays import add_months, add_working_days

log = logging.getLogger("zhixing.publicinfo")

DEFAULT_TERM_MONTHS = 24  # art. 2: two years for situations 2–6
MAX_EXTENSION_YEARS = 3  # art. 2: may be extended by one to three years
REMOVAL_WORKING_DAYS = 3  # art. 9, 10: revoke, correct or remove within three working days
CORRECTION_REVIEW_DAYS = 15  # art. 12: review within fifteen days of receipt


# --- helpers ---------------------------------------------------------------------------------------------------


def age_on(birth: date, on: date) -> int:
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years


def party_birth_date(party: Party) -> date | None:
    if party.birth_date:
        return party.birth_date
    if party.id_kind == Party.IdKind.RESIDENT_ID and party.id_number and len(party.id_number) == 18:
        try:
            return date(int(party.id_number[6:10]), int(party.id_number[10:12]), int(party.id_number[12:14]))
        except ValueError:
            return None
    return None


def is_minor(party: Party, on: date) -> bool:
    """Art. 4: minors are never listed. A natural person whose birth date is unknown is not published either."""
    if party.kind != Party.Kind.NATURAL:
        return False
    birth = party_birth_date(party)
    return birth is None or age_on(birth, on) < 18


def _subject_fields(party: Party, on: date) -> dict[str, Any]:
    natural = party.kind == Party.Kind.NATURAL
    number = (party.id_number or "").upper()
    birth = party_birth_date(party) if natural else None
    return {
        "subject_kind": SubjectKind.NATURAL if natural else SubjectKind.UNIT,
        "name": party.name,
        "id_masked": mask_resident_id(number) if party.id_kind == Party.IdKind.RESIDENT_ID else number,
        "id_index": party.id_index or crypto.blind_index(number),
        "gender": party.gender if natural else "",
        "age": age_on(birth, on) if birth else None,
        "legal_representative": "" if natural else party.legal_representative,
    }


def _case_fields(case: EnforcementCase) -> dict[str, Any]:
    court = case.court
    return {
        "case": case,
        "court": court,
        "court_name": court.name,
        "court_code": court.case_code,
        "province": court.province,
        "province_code": (court.region_code or "")[:2] or province_code_of(name=court.province),
        "case_number": case.number,
        "filed_on": case.filed_on,
        "basis_number": case.basis_number,
        "basis_issuer": case.basis_issuer,
        "amount": case.amount,
    }


def _duty_text(case: EnforcementCase, data: dict[str, Any]) -> str:
    if isinstance(data.get("duty"), str) and data["duty"].strip():
        return data["duty"].strip()[:2000]
    title = case.basis_title or "执行依据"
    text = f"履行{case.basis_issuer}{title}（{case.basis_number}）确定的义务"
    if case.amount is not None:
        text += f"，给付金额人民币{case.amount:.2f}元"
    return text


def _respondents(case: EnforcementCase, data: dict[str, Any]) -> list[Party]:
    """The parties a measure is against: the ids in the matter data if given, else every 被执行人."""
    respondents = [p for p in case.parties.all() if p.role == Party.Role.RESPONDENT]
    wanted: set[int] = set()
    for key in ("party_ids", "respondent_ids", "parties"):
        value = data.get(key)
        if isinstance(value, list):
            wanted |= {int(v) for v in value if isinstance(v, int) or (isinstance(v, str) and v.isdigit())}
    for key in ("party_id", "respondent_id"):
        value = data.get(key)
        if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
            wanted.add(int(value))
    if wanted:
        chosen = [p for p in respondents if p.id in wanted]
        if chosen:
            return chosen
    return respondents


def parse_grounds(raw: Any) -> list[int]:
    """Situation codes 1–6 from the matter data, read defensively (list, '1,4' or a single number)."""
    if raw is None:
        return []
    items: Iterable[Any]
    if isinstance(raw, (list, tuple, set)):
        items = raw
    elif isinstance(raw, str):
        items = raw.replace("，", ",").split(",")
    else:
        items = [raw]
    out: list[int] = []
    for item in items:
        try:
            code = int(str(item).strip())
        except ValueError:
            continue
        if code in DISHONEST_SITUATIONS and code not in out:
            out.append(code)
    return sorted(out)


def dishonest_term_until(*, grounds: list[int], decided_on: date, term_months: Any = None) -> date | None:
    """Art. 2: open-ended when the only ground is situation 1 (removed on performance); otherwise two years,
    or the decided term when it lies between two and five years (two years plus an extension of one to three)."""
    if grounds and set(grounds) == {1}:
        return None
    months = DEFAULT_TERM_MONTHS
    try:
        if term_months not in (None, ""):
            months = int(term_months)
    except (TypeError, ValueError):
        months = DEFAULT_TERM_MONTHS
    months = max(DEFAULT_TERM_MONTHS, min(months, DEFAULT_TERM_MONTHS + 12 * MAX_EXTENSION_YEARS))
    return add_months(decided_on, months)


def _iso_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _decided_term(data: dict[str, Any], *, grounds: list[int], decided_on: date) -> date | None:
    """The term the decision states (the workbench stores "expires_on" / "term_years"); otherwise art. 2."""
    expires = _iso_date(data.get("expires_on"))
    if expires is not None:
        return expires
    if "term_years" in data and data.get("term_years") in (None, "") and grounds and set(grounds) == {1}:
        return None
    if data.get("term_years") not in (None, ""):
        try:
            months = int(data["term_years"]) * 12
        except (TypeError, ValueError):
            months = None
        return dishonest_term_until(grounds=grounds, decided_on=decided_on, term_months=months)
    return dishonest_term_until(grounds=grounds, decided_on=decided_on, term_months=data.get("term_months"))


def _measure_data(measure: Any) -> dict[str, Any]:
    data = getattr(measure, "data", None)
    return data if isinstance(data, dict) else {}


# --- publication -----------------------------------------------------------------------------------------------


def record_publish(
    *,
    kind: str,
    case: EnforcementCase,
    party: Party,
    actor: Any = None,
    published_at: datetime | None = None,
    **fields: Any,
) -> PublishedRecord | None:
    """Publish one record of ``kind`` for ``party`` in ``case``; idempotent per (list, case, identity).

    Returns None when nothing is published: the party is a minor (art. 4) or the record is already published.
    Writes an audit event in the caller's transaction.
    """
    now = published_at or timezone.now()
    today = timezone.localdate(now)
    if is_minor(party, today):
        audit_record(
            action="publicinfo.skip_minor",
            actor=actor,
            obj=case,
            details={"list": kind, "party": party.pk},
        )
        return None
    subject = _subject_fields(party, today)
    existing = PublishedRecord.objects.filter(
        kind=kind, case_number=case.number, id_index=subject["id_index"], status=RecordStatus.PUBLISHED
    ).first()
    if existing is not None:
        return None
    record = PublishedRecord.objects.create(
        kind=kind,
        source=RecordSource.WORKFLOW,
        published_at=now,
        **_case_fields(case),
        **subject,
        **fields,
    )
    audit_record(
        action=f"publicinfo.publish.{kind}",
        actor=actor,
        obj=record,
        details={"case": case.number, "list": kind},
    )
    return record


def debtors_publish(*, case: EnforcementCase, actor: Any = None) -> list[PublishedRecord]:
    """A filed case publishes its 被执行人."""
    out = []
    with transaction.atomic():
        for party in case.parties.all():
            if party.role != Party.Role.RESPONDENT:
                continue
            record = record_publish(
                kind=ListKind.DEBTOR, case=case, party=party, actor=actor, performance="未履行"
            )
            if record:
                out.append(record)
    return out


def dishonest_publish(*, case: EnforcementCase, measure: Any, actor: Any = None) -> list[PublishedRecord]:
    """A 失信 decision publishes the fields of art. 6 for each respondent it names.

    Grounds (situations 1–6), term and conduct come from ``measure.data`` ("grounds", "term_months",
    "conduct"); the term is open-ended for situation 1 alone and two years (up to five) otherwise.
    """
    data = _measure_data(measure)
    grounds = parse_grounds(data.get("grounds"))
    decided_on = (
        getattr(measure, "completed_on", None) or _iso_date(data.get("decided_on")) or timezone.localdate()
    )
    term_until = _decided_term(data, grounds=grounds, decided_on=decided_on)
    conduct = data.get("conduct") if isinstance(data.get("conduct"), str) else ""
    if not conduct:
        conduct = (
            "；".join(DISHONEST_SITUATIONS[g] for g in grounds)
            or "其他有履行能力而拒不履行生效法律文书确定义务的情形"
        )
    performance = data.get("performance") if isinstance(data.get("performance"), str) else ""
    out = []
    with transaction.atomic():
        for party in _respondents(case, data):
            record = record_publish(
                kind=ListKind.DISHONEST,
                case=case,
                party=party,
                actor=actor,
                duty=_duty_text(case, data),
                performance=(performance or "全部未履行")[:40],
                grounds=",".join(str(g) for g in grounds),
                conduct=conduct[:2000],
                term_until=term_until,
                matter_id=getattr(measure, "pk", None),
            )
            if record:
                out.append(record)
    return out


def restricted_publish(*, case: EnforcementCase, measure: Any, actor: Any = None) -> list[PublishedRecord]:
    """A 限制消费令 publishes a 限消 record for each respondent it names (2015 rules art. 5, 6)."""
    data = _measure_data(measure)
    out = []
    with transaction.atomic():
        for party in _respondents(case, data):
            record = record_publish(
                kind=ListKind.RESTRICTED,
                case=case,
                party=party,
                actor=actor,
                duty=_duty_text(case, data),
                performance="未履行",
                matter_id=getattr(measure, "pk", None),
            )
            if record:
                out.append(record)
    return out


def terminated_publish(
    *, case: EnforcementCase, unpaid: Decimal | None, closed_on: date | None = None, actor: Any = None
) -> list[PublishedRecord]:
    """A 终结本次执行程序 closing publishes a 终本 record with 执行标的 and 未履行金额.

    When the closing does not state the unpaid amount, it is 执行标的 less the receipts booked in the case
    funds ledger (案款到账), if the workflow app keeps one."""
    if unpaid is None and case.amount is not None:
        unpaid = _unpaid_from_ledger(case)
    out = []
    with transaction.atomic():
        for party in case.parties.all():
            if party.role != Party.Role.RESPONDENT:
                continue
            record = record_publish(
                kind=ListKind.TERMINATED,
                case=case,
                party=party,
                actor=actor,
                unpaid=unpaid,
                closed_on=closed_on or case.closed_on or timezone.localdate(),
                performance="部分履行"
                if unpaid is not None and case.amount and unpaid < case.amount
                else "未履行",
            )
            if record:
                out.append(record)
    return out


def _unpaid_from_ledger(case: EnforcementCase) -> Decimal | None:
    from django.apps import apps
    from django.db.models import Sum

    try:
        entry = apps.get_model("workflow", "FundEntry")
    except LookupError:
        return None
    received = entry.objects.filter(case=case, kind="receipt", status="done").aggregate(total=Sum("amount"))[
        "total"
    ] or Decimal("0.00")
    assert case.amount is not None
    return max(case.amount - received, Decimal("0.00"))


# --- removal ---------------------------------------------------------------------------------------------------


def records_remove(
    *, records: QuerySet[PublishedRecord], reason: str, actor: Any = None, at: datetime | None = None
) -> int:
    """Take records off the public lists; the rows stay as history (status removed, time, reason)."""
    when = at or timezone.now()
    with transaction.atomic():
        ids = list(records.filter(status=RecordStatus.PUBLISHED).values_list("id", flat=True)[:100_000])
        if not ids:
            return 0
        count = PublishedRecord.objects.filter(id__in=ids).update(
            status=RecordStatus.REMOVED, removed_at=when, removal_reason=reason[:200]
        )
        audit_record(
            action="publicinfo.remove",
            actor=actor,
            object_type="publicinfo.publishedrecord",
            object_id=",".join(str(i) for i in ids[:50]),
            details={"count": count, "reason": reason[:200]},
        )
    return count


def measure_lift(*, case: EnforcementCase, measure: Any, kind: str, actor: Any = None) -> int:
    """A lifted measure (performance, expiry, correction) takes its records off the list at once."""
    list_kind = {"dishonest": ListKind.DISHONEST, "consumption_restriction": ListKind.RESTRICTED}.get(kind)
    if list_kind is None:
        return 0
    qs = PublishedRecord.objects.filter(case=case, kind=list_kind)
    matter_id = getattr(measure, "pk", None)
    if matter_id is not None and qs.filter(matter_id=matter_id).exists():
        qs = qs.filter(matter_id=matter_id)
    label = "失信" if list_kind == ListKind.DISHONEST else "限制消费令"
    return records_remove(records=qs, reason=f"{label}已解除（撤销、删除或解除决定）", actor=actor)


def performance_record(*, case: EnforcementCase, on: date, actor: Any = None) -> int:
    """Full performance: every published record of the case is due for removal within three working days
    (失信 rules art. 10 (1); 限消 rules art. 9). ``publicinfo_housekeeping`` removes them on the due date."""
    due = add_working_days(on, REMOVAL_WORKING_DAYS)
    with transaction.atomic():
        count = PublishedRecord.objects.filter(case=case, status=RecordStatus.PUBLISHED).update(
            performed_on=on, removal_due_on=due, performance="已全部履行"
        )
        audit_record(
            action="publicinfo.performance",
            actor=actor,
            obj=case,
            details={"records": count, "performed_on": on.isoformat(), "removal_due_on": due.isoformat()},
        )
    return count


# Closing methods after which 失信 information is removed (art. 10 (1), (6), (7)) or revoked (withdrawn cases).
_DISHONEST_REMOVED_ON_CLOSE = {"fulfilled", "terminated", "not_enforced", "withdrawn", "rejected"}


def case_close_record(
    *, case: EnforcementCase, method: str, unpaid: Decimal | None, actor: Any = None
) -> dict[str, int]:
    """A closed case leaves the 被执行人 list; a 终本 closing publishes 终本 records; other closings
    take 失信 and 限消 records off within three working days (performance is handled separately)."""
    result = {"debtor_removed": 0, "terminated": 0, "due": 0}
    today = timezone.localdate()
    with transaction.atomic():
        result["debtor_removed"] = records_remove(
            records=PublishedRecord.objects.filter(case=case, kind=ListKind.DEBTOR),
            reason="案件已结案",
            actor=actor,
        )
        if method == "terminated_this_round":
            result["terminated"] = len(
                terminated_publish(case=case, unpaid=unpaid, closed_on=case.closed_on or today, actor=actor)
            )
        elif method in _DISHONEST_REMOVED_ON_CLOSE:
            result["due"] = PublishedRecord.objects.filter(
                case=case,
                kind__in=[ListKind.DISHONEST, ListKind.RESTRICTED, ListKind.TERMINATED],
                status=RecordStatus.PUBLISHED,
                removal_due_on__isnull=True,
            ).update(removal_due_on=add_working_days(today, REMOVAL_WORKING_DAYS))
    return result


@dataclass(frozen=True)
class HousekeepingResult:
    performed: int
    expired: int


def housekeeping_run(
    *, today: date | None = None, actor: Any = "publicinfo_housekeeping"
) -> HousekeepingResult:
    """Remove records whose removal date has come (performance + 3 working days) and 失信 records whose
    term has ended (art. 10 para. 2: within three working days after expiry; we remove the day after)."""
    day = today or timezone.localdate()
    performed = records_remove(
        records=PublishedRecord.objects.filter(status=RecordStatus.PUBLISHED, removal_due_on__lte=day),
        reason="被执行人已履行完毕或案件已结案，依法删除",
        actor=actor,
    )
    expired = records_remove(
        records=PublishedRecord.objects.filter(status=RecordStatus.PUBLISHED, term_until__lt=day),
        reason="纳入期限届满，依法删除",
        actor=actor,
    )
    return HousekeepingResult(performed=performed, expired=expired)


def dishonest_term_extend(*, record: PublishedRecord, years: int, actor: Any = None) -> PublishedRecord:
    """Art. 2: extend a 失信 term by one to three years (serious obstruction or several dishonest acts)."""
    if record.kind != ListKind.DISHONEST or not record.is_published:
        raise field_error("record", "只能延长公布中的失信信息的纳入期限。")
    if record.term_until is None:
        raise field_error("years", "该失信信息未设纳入期限（第一条第一项情形），无需延长。")
    if years not in (1, 2, 3):
        raise field_error("years", "延长期限应为一至三年。")
    with transaction.atomic():
        record.term_until = add_months(record.term_until, 12 * years)
        record.save(update_fields=["term_until"])
        audit_record(action="publicinfo.term_extend", actor=actor, obj=record, details={"years": years})
    return record


# --- corrections (纠正申请) -------------------------------------------------------------------------------------


def correction_submit(
    *,
    record: PublishedRecord,
    reason: str,
    statement: str,
    user: Any = None,
    name: str = "",
    id_number: str = "",
    phone: str = "",
    now: datetime | None = None,
) -> CorrectionRequest:
    """A listed person or unit asks the court to correct a 失信 record (art. 11).

    A logged-in, real-name verified user whose identity matches the record is taken as verified; anyone
    else gives name, ID number (or credit code) and a phone number, which must match the record and which
    staff verify before deciding. The court reviews within 15 days (art. 12).
    """
    errors: dict[str, list[str]] = {}
    if record.kind != ListKind.DISHONEST or not record.is_published:
        raise field_error("record", "只能对公布中的失信信息申请纠正。")
    if reason not in CorrectionReason.values:
        errors["reason"] = ["请选择申请事由。"]
    statement = (statement or "").strip()
    if len(statement) < 10:
        errors["statement"] = ["请写明申请纠正的理由（不少于10个字）。"]
    elif len(statement) > 2000:
        errors["statement"] = ["理由不超过2000字。"]
    verified = False
    applicant_user = None
    phone_number = ""
    if user is not None and getattr(user, "is_authenticated", False) and getattr(user, "verified_at", None):
        if user.id_index != record.id_index:
            raise PermissionDenied("您实名认证的身份与该失信信息不一致，不能代为申请纠正。")
        verified = True
        applicant_user = user
        name = user.real_name or record.name
        id_index = user.id_index
    else:
        name = (name or "").strip()
        number = (id_number or "").strip().upper()
        if not name:
            errors["name"] = ["请填写被执行人姓名或名称。"]
        if not number:
            errors["id_number"] = ["请填写身份证号码或统一社会信用代码。"]
        id_index = crypto.blind_index(number) if number else ""
        if name and number and (name != record.name or id_index != record.id_index):
            errors["id_number"] = ["姓名（名称）与证件号码和该失信信息不一致。"]
        try:
            phone_number = validate_mobile(phone)
        except IdentifierError as exc:
            errors["phone"] = [str(exc)]
    if errors:
        raise ValidationError(errors)
    received = now or timezone.now()
    with transaction.atomic():
        request = CorrectionRequest.objects.create(
            record=record,
            court=record.court,
            applicant_user=applicant_user,
            applicant_name=name,
            applicant_id_index=id_index,
            phone=phone_number,
            identity_verified=verified,
            reason=reason,
            statement=statement,
            received_at=received,
            due_on=timezone.localdate(received) + timedelta(days=CORRECTION_REVIEW_DAYS),
        )
        audit_record(
            action="publicinfo.correction_submit",
            actor=applicant_user,
            obj=request,
            details={"record": record.pk, "reason": reason, "verified": verified},
        )
    return request


def correction_decide(
    *,
    request: CorrectionRequest,
    actor: Any,
    decision: str,
    note: str,
    corrected_fields: dict[str, str] | None = None,
) -> CorrectionRequest:
    """Decide a correction request: ``remove`` (revoke/remove the record), ``correct`` (fix conduct, duty or
    performance text) or ``reject`` (with reasons; the applicant may seek review at the higher court within
    ten days). The applicant is told by in-app notice or SMS."""
    from zhixing.notifications.services import notice_send, sms_send

    if not request.is_pending:
        raise field_error("decision", "该申请已经作出决定。")
    note = (note or "").strip()
    if decision not in {"remove", "correct", "reject"}:
        raise field_error("decision", "请选择审查结果。")
    if not note:
        raise field_error("note", "请写明决定理由。")
    record = request.record
    with transaction.atomic():
        if decision == "remove":
            records_remove(
                records=PublishedRecord.objects.filter(pk=record.pk),
                reason=f"纠正申请成立：{request.get_reason_display()}",
                actor=actor,
            )
            request.status = CorrectionStatus.REMOVED
        elif decision == "correct":
            allowed = {"conduct", "duty", "performance"}
            changes = {
                k: v.strip() for k, v in (corrected_fields or {}).items() if k in allowed and v and v.strip()
            }
            if not changes:
                raise field_error("corrected", "请填写更正后的内容。")
            for key, value in changes.items():
                setattr(record, key, value[:40] if key == "performance" else value[:2000])
            record.save(update_fields=list(changes))
            request.status = CorrectionStatus.CORRECTED
        else:
            request.status = CorrectionStatus.REJECTED
        request.decided_at = timezone.now()
        request.decided_by = actor
        request.decision_note = note[:2000]
        request.save(update_fields=["status", "decided_at", "decided_by", "decision_note"])
        audit_record(
            action="publicinfo.correction_decide",
            actor=actor,
            obj=request,
            details={"decision": decision, "record": record.pk},
        )
        outcome = request.get_status_display()
        if request.applicant_user is not None:
            notice_send(
                user=request.applicant_user,
                title=f"失信信息纠正申请{outcome}",
                body=f"您对案件{record.case_number}失信信息提出的纠正申请已审查：{outcome}。理由：{request.decision_note}",
                category="publicinfo",
                dedupe_key=f"publicinfo-correction-{request.pk}",
            )
        if request.phone:
            sms_send(
                phone=request.phone,
                template="publicinfo_correction_decided",
                params={"case_number": record.case_number, "outcome": outcome},
                idempotency_key=f"publicinfo-correction-{request.pk}",
            )
    return request
