from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from zhixing.audit.services import audit_record
from zhixing.courts.models import Court
from zhixing.lib import crypto
from zhixing.lib.case_numbers import CaseNumberError, parse_case_number
from zhixing.lib.errors import field_error
from zhixing.lib.ids import (
    IdentifierError,
    org_code_of_credit_code,
    resident_id_birth_date,
    resident_id_gender,
    validate_mobile,
    validate_party_identifier,
)

from .models import EnforcementCase, Party, ProgressNode, new_query_code
from .signals import case_filed

MAX_AMOUNT = Decimal("99999999999999.99")


def parse_amount(value: Any, *, field: str = "amount", allow_none: bool = True) -> Decimal | None:
    """Parse a money amount in 元 with at most two decimals; raise a field error in Chinese otherwise."""
    if value is None or (isinstance(value, str) and value.strip() == ""):
        if allow_none:
            return None
        raise field_error(field, "请填写金额。")
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation as exc:
        raise field_error(field, "金额格式不正确，请输入数字，如 12345.67。") from exc
    if not amount.is_finite():
        raise field_error(field, "金额格式不正确，请输入数字，如 12345.67。")
    if amount < 0:
        raise field_error(field, "金额不能为负数。")
    if amount > MAX_AMOUNT:
        raise field_error(field, "金额超出系统可记录的范围。")
    if amount != amount.quantize(Decimal("0.01")):
        raise field_error(field, "金额最多保留两位小数（精确到分）。")
    return amount.quantize(Decimal("0.01"))


@dataclass(frozen=True)
class PartyInput:
    role: str
    kind: str
    name: str
    id_number: str
    phone: str = ""
    address: str = ""
    legal_representative: str = ""


def _validated_party(data: PartyInput, *, prefix: str = "") -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    if data.role not in Party.Role.values:
        errors[f"{prefix}role"] = ["诉讼地位不正确。"]
    if data.kind not in Party.Kind.values:
        errors[f"{prefix}kind"] = ["当事人类型不正确。"]
    name = (data.name or "").strip()
    if not name:
        errors[f"{prefix}name"] = ["请填写当事人名称。"]
    natural = data.kind == Party.Kind.NATURAL
    identity = None
    try:
        identity = validate_party_identifier(data.id_number, natural_person=natural)
    except IdentifierError as exc:
        errors[f"{prefix}id_number"] = [str(exc)]
    phone = ""
    if data.phone:
        try:
            phone = validate_mobile(data.phone)
        except IdentifierError:
            # Landlines are allowed for units; keep what was given if it looks like a phone number.
            cleaned = data.phone.strip()
            if not cleaned.replace("-", "").isdigit() or len(cleaned) > 20:
                errors[f"{prefix}phone"] = ["联系电话格式不正确。"]
            phone = cleaned
    if errors:
        raise ValidationError(errors)
    assert identity is not None
    fields: dict[str, Any] = {
        "role": data.role,
        "kind": data.kind,
        "name": name,
        "id_kind": identity.kind,
        "id_number": identity.number,
        "id_index": crypto.blind_index(identity.number),
        "phone": phone,
        "address": data.address.strip(),
        "legal_representative": data.legal_representative.strip(),
    }
    if identity.kind == "resident_id":
        fields["birth_date"] = resident_id_birth_date(identity.number)
        fields["gender"] = resident_id_gender(identity.number)
    elif identity.kind == "credit_code":
        fields["org_index"] = crypto.blind_index(org_code_of_credit_code(identity.number))
    else:
        fields["org_index"] = crypto.blind_index(identity.number)
    return fields


def case_file(
    *,
    actor: Any,
    court: Court,
    number: str,
    filed_on: date,
    basis_issuer: str,
    basis_number: str,
    basis_title: str = "",
    basis_effective_on: date | None = None,
    amount: Any = None,
    cause: str = "",
    parties: list[PartyInput],
    judge: Any = None,
    filed_at: datetime | None = None,
) -> EnforcementCase:
    """File (立案) an enforcement case with its parties.

    Validates the 案号 against the court's abbreviation, identity numbers and the amount; writes the
    立案 progress node and an audit event in the same transaction. Raises ValidationError (field → Chinese
    messages) and saves nothing when any part is invalid.
    """
    errors: dict[str, list[str]] = {}
    parsed = None
    try:
        parsed = parse_case_number(number)
        if parsed.court_code != court.case_code:
            errors["number"] = [f"案号中的法院代字“{parsed.court_code}”与本院代字“{court.case_code}”不一致。"]
        elif parsed.year != filed_on.year:
            errors["number"] = ["案号中的年度应与立案日期的年度一致。"]
    except CaseNumberError as exc:
        errors["number"] = [str(exc)]
    if filed_on > timezone.localdate():
        errors["filed_on"] = ["立案日期不能晚于今天。"]
    if not basis_issuer.strip():
        errors["basis_issuer"] = ["请填写执行依据的作出机关。"]
    if not basis_number.strip():
        errors["basis_number"] = ["请填写执行依据文号。"]
    if basis_effective_on and basis_effective_on > filed_on:
        errors["basis_effective_on"] = ["执行依据生效日期不能晚于立案日期。"]
    parsed_amount = None
    try:
        parsed_amount = parse_amount(amount)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    party_fields: list[dict[str, Any]] = []
    for i, party in enumerate(parties):
        try:
            party_fields.append(_validated_party(party, prefix=f"parties.{i}."))
        except ValidationError as exc:
            errors.update(exc.message_dict)
    roles = {p.role for p in parties}
    if Party.Role.APPLICANT not in roles or Party.Role.RESPONDENT not in roles:
        errors.setdefault("parties", []).append("至少需要一名申请执行人和一名被执行人。")
    if errors:
        raise ValidationError(errors)
    assert parsed is not None
    try:
        with transaction.atomic():
            case = EnforcementCase.objects.create(
                number=str(parsed),
                year=parsed.year,
                court_code=parsed.court_code,
                case_type=parsed.case_type,
                sequence=parsed.sequence,
                court=court,
                cause=cause.strip(),
                filed_on=filed_on,
                basis_title=basis_title.strip(),
                basis_issuer=basis_issuer.strip(),
                basis_number=basis_number.strip(),
                basis_effective_on=basis_effective_on,
                amount=parsed_amount,
                judge=judge,
            )
            Party.objects.bulk_create([Party(case=case, **fields) for fields in party_fields])
            ProgressNode.objects.create(
                case=case,
                name="立案",
                sequence=0,
                started_at=filed_at or timezone.now(),
                completed_at=filed_at or timezone.now(),
                note="案件已立案受理",
            )
            audit_record(action="case.file", actor=actor, obj=case, details={"number": case.number})
            case_filed.send(sender=EnforcementCase, case=case)
    except IntegrityError as exc:
        raise field_error("number", "该案号已存在。") from exc
    return case


def case_query_code_regenerate(*, actor: Any, case: EnforcementCase) -> str:
    """Issue a new 案件查询码 (the old one stops working at once)."""
    with transaction.atomic():
        case.query_code = new_query_code()
        case.save(update_fields=["query_code", "updated_at"])
        audit_record(action="case.query_code_regenerate", actor=actor, obj=case)
    return case.query_code


def progress_node_open(
    *, case: EnforcementCase, name: str, note: str = "", at: datetime | None = None
) -> ProgressNode:
    """Complete the open node(s) of the case and start a new one; parties see the result as their timeline."""
    now = at or timezone.now()
    case.progress_nodes.filter(completed_at__isnull=True).update(completed_at=now)
    last = case.progress_nodes.order_by("-sequence").values_list("sequence", flat=True).first()
    return ProgressNode.objects.create(
        case=case, name=name, sequence=(last or 0) + 1, started_at=now, note=note[:200]
    )


def progress_node_close_all(*, case: EnforcementCase, at: datetime | None = None) -> None:
    case.progress_nodes.filter(completed_at__isnull=True).update(completed_at=at or timezone.now())


def party_link_user(*, actor: Any, user: Any) -> int:
    """Link a verified user to every Party record with the same resident ID number; return how many."""
    if not user.id_index:
        return 0
    with transaction.atomic():
        linked = Party.objects.filter(id_index=user.id_index, user__isnull=True).update(user=user)
        audit_record(action="party.link_user", actor=actor, obj=user, details={"linked": linked})
    return linked
