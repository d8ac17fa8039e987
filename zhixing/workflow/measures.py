"""Legal validation of the data a coercive measure records (限消失信, 罚款, 拘留).

Sources (texts in the law corpus):
- 最高人民法院关于公布失信被执行人名单信息的若干规定（法释〔2017〕7号）第一条 six situations, 第二条 term
  (two years for situations 2–6, extendable by one to three years when violence/threats were serious
  or there are several dishonest acts; situation 1 has no fixed term), 第三条 exclusions for situation 1,
  第四条 minors may not be listed.
- 民事诉讼法（2023）第一百一十八条: fines on individuals 十万元以下, on units 五万元以上一百万元以下; detention
  十五日以下. "以上、以下" include the number itself (民法典第一千二百五十九条).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError

from zhixing.cases.models import EnforcementCase, Party
from zhixing.lib.workdays import add_years

DISHONEST_GROUNDS = {
    1: "有履行能力而拒不履行生效法律文书确定义务的",
    2: "以伪造证据、暴力、威胁等方法妨碍、抗拒执行的",
    3: "以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行的",
    4: "违反财产报告制度的",
    5: "违反限制消费令的",
    6: "无正当理由拒不履行执行和解协议的",
}
MEASURE_KINDS = {"consumption_restriction": "限制消费", "dishonest": "纳入失信被执行人名单"}
DEFAULT_TERM_YEARS = 2
MAX_EXTENSION_YEARS = 3

FINE_MAX_INDIVIDUAL = Decimal("100000")
FINE_MIN_UNIT = Decimal("50000")
FINE_MAX_UNIT = Decimal("1000000")
DETENTION_MAX_DAYS = 15


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _respondent(case: EnforcementCase, party_id: Any, errors: dict[str, list[str]]) -> Party | None:
    try:
        pid = int(party_id)
    except (TypeError, ValueError):
        errors["party_id"] = ["请选择被执行人。"]
        return None
    party = next((p for p in case.parties.all() if p.pk == pid and p.role == Party.Role.RESPONDENT), None)
    if party is None:
        errors["party_id"] = ["所选当事人不是本案被执行人。"]
    return party


def validate_dishonest(case: EnforcementCase, data: dict[str, Any], *, decided_on: date) -> dict[str, Any]:
    """限消失信: which measures, against whom, on which grounds, for how long. Returns the cleaned data."""
    errors: dict[str, list[str]] = {}
    kinds = [k for k in data.get("kinds", []) if k in MEASURE_KINDS]
    if not kinds:
        errors["kinds"] = ["请选择限制消费或纳入失信被执行人名单（可多选）。"]
    party = _respondent(case, data.get("party_id"), errors)
    clean: dict[str, Any] = {
        "kinds": kinds,
        "party_id": party.pk if party else None,
        "decided_on": decided_on.isoformat(),
    }
    if "dishonest" in kinds:
        try:
            grounds = sorted({int(g) for g in data.get("grounds", [])})
        except (TypeError, ValueError):
            grounds = []
        if not grounds or any(g not in DISHONEST_GROUNDS for g in grounds):
            errors["grounds"] = ["请选择纳入失信名单的情形（《若干规定》第一条第一至六项）。"]
        if (
            party is not None
            and party.is_natural
            and party.birth_date
            and age_on(party.birth_date, decided_on) < 18
        ):
            errors["party_id"] = ["被执行人为未成年人，不得纳入失信被执行人名单（《若干规定》第四条）。"]
        if 1 in grounds and not data.get("art3_checked"):
            errors["art3_checked"] = [
                "依第一项纳入的，须确认不存在《若干规定》第三条情形（已提供充分有效担保、已控制财产足以清偿等）。"
            ]
        try:
            extension = int(data.get("extension_years") or 0)
        except (TypeError, ValueError):
            extension = -1
        if extension < 0 or extension > MAX_EXTENSION_YEARS:
            errors["extension_years"] = ["延长期限应为一至三年。"]
        fixed = [g for g in grounds if g != 1]
        if extension and not fixed:
            errors["extension_years"] = ["仅依第一项纳入的不设固定期限，不适用延长。"]
        elif extension and not (data.get("severe") or len(fixed) >= 2):
            errors["extension_years"] = [
                "仅在以暴力、威胁方法妨碍、抗拒执行情节严重或具有多项失信行为时，方可延长一至三年（《若干规定》第二条）。"
            ]
        clean["grounds"] = grounds
        clean["severe"] = bool(data.get("severe"))
        clean["art3_checked"] = bool(data.get("art3_checked"))
        clean["extension_years"] = max(extension, 0)
        if fixed and extension >= 0:
            term = DEFAULT_TERM_YEARS + max(extension, 0)
            clean["term_years"] = term
            clean["expires_on"] = add_years(decided_on, term).isoformat()
        else:
            clean["term_years"] = None  # situation 1 only: until the obligation is performed
            clean["expires_on"] = None
    if errors:
        raise ValidationError(errors)
    return clean


def _amount(value: Any) -> Decimal | None:
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        return None
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        return None
    return amount


def validate_fine(case: EnforcementCase, data: dict[str, Any], *, decided_on: date) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    target_kind = data.get("target_kind")
    if target_kind not in ("individual", "unit"):
        errors["target_kind"] = ["请选择罚款对象为个人或单位。"]
    name = str(data.get("target_name") or "").strip()
    if not name:
        errors["target_name"] = ["请填写被罚款人。"]
    amount = _amount(data.get("amount"))
    if amount is None or amount <= 0:
        errors["amount"] = ["请填写正确的罚款金额（元，最多两位小数）。"]
    elif target_kind == "individual" and amount > FINE_MAX_INDIVIDUAL:
        errors["amount"] = ["对个人的罚款金额为人民币十万元以下（民事诉讼法第一百一十八条）。"]
    elif target_kind == "unit" and not (FINE_MIN_UNIT <= amount <= FINE_MAX_UNIT):
        errors["amount"] = ["对单位的罚款金额为人民币五万元以上一百万元以下（民事诉讼法第一百一十八条）。"]
    if errors:
        raise ValidationError(errors)
    assert amount is not None
    return {
        "target_kind": target_kind,
        "target_name": name,
        "amount": f"{amount:.2f}",
        "decided_on": decided_on.isoformat(),
    }


def validate_detention(case: EnforcementCase, data: dict[str, Any], *, decided_on: date) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    name = str(data.get("target_name") or "").strip()
    if not name:
        errors["target_name"] = ["请填写被拘留人。"]
    try:
        days = int(data.get("days") or 0)
    except (TypeError, ValueError):
        days = 0
    if days < 1 or days > DETENTION_MAX_DAYS:
        errors["days"] = ["拘留的期限为十五日以下（民事诉讼法第一百一十八条），请填写 1 至 15 日。"]
    if errors:
        raise ValidationError(errors)
    return {"target_name": name, "days": days, "decided_on": decided_on.isoformat()}
