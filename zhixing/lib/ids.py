"""Validation of Chinese identity numbers, credit codes and mobile numbers.

Pure functions, no Django: each ``validate_*`` returns the normalised value or raises
``IdentifierError`` with a message a person can act on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from stdnum.cn import ric, uscc
from stdnum.exceptions import ValidationError as StdnumError


class IdentifierError(ValueError):
    """A malformed identifier; ``str(err)`` is the Chinese message for the user."""


_RIC_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_RIC_CHECK = "10X98765432"


def validate_resident_id(value: str, *, today: date | None = None) -> str:
    """Validate an 18-digit resident identity number (GB 11643-1999) and return it upper-cased."""
    number = (value or "").strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", number):
        raise IdentifierError("身份证号码应为18位，前17位为数字，最后一位为数字或X。")
    total = sum(int(d) * w for d, w in zip(number[:17], _RIC_WEIGHTS, strict=True))
    if _RIC_CHECK[total % 11] != number[17]:
        raise IdentifierError("身份证号码校验位不正确，请核对后重新输入。")
    try:
        birth = ric.get_birth_date(number)
    except (StdnumError, ValueError) as exc:
        raise IdentifierError("身份证号码中的出生日期无效。") from exc
    if not region_exists(number[:6]):
        raise IdentifierError("身份证号码中的地区码无效。")
    # python-stdnum accepts birth dates in the future: a real person cannot have one.
    if birth > (today or date.today()):
        raise IdentifierError("身份证号码中的出生日期晚于今天，号码无效。")
    if birth.year < 1900:
        raise IdentifierError("身份证号码中的出生日期无效。")
    return number


def region_exists(code: str) -> bool:
    """Whether a six-digit administrative division code is (or was) in use.

    python-stdnum also requires the county to have existed in the birth year, but numbers are assigned
    at issue time, so people born before their county got its code hold valid numbers: we skip that check.
    """
    from stdnum import numdb

    return any(props for _, props in numdb.get("cn/loc").info(code))


def resident_id_birth_date(number: str) -> date:
    return ric.get_birth_date(number)


def resident_id_gender(number: str) -> str:
    """'男' or '女' from the 17th digit (odd = male)."""
    return "男" if int(number[16]) % 2 == 1 else "女"


def age_on(number: str, on: date) -> int:
    birth = resident_id_birth_date(number)
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years


def validate_credit_code(value: str) -> str:
    """Validate an 18-character unified social credit code (GB 32100-2015)."""
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise IdentifierError("统一社会信用代码应为18位。")
    try:
        return str(uscc.validate(code))
    except StdnumError as exc:
        raise IdentifierError("统一社会信用代码格式或校验位不正确，请核对后重新输入。") from exc


_ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]
_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def validate_org_code(value: str) -> str:
    """Validate a 9-character organisation code (GB 11714-1997), with or without the hyphen."""
    code = (value or "").strip().upper().replace("-", "")
    if not re.fullmatch(r"[0-9A-Z]{8}[0-9X]", code):
        raise IdentifierError("组织机构代码应为9位（8位本体代码加1位校验码）。")
    total = sum(_ORG_ALPHABET.index(c) * w for c, w in zip(code[:8], _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    expected = "X" if check == 10 else "0" if check == 11 else str(check)
    if code[8] != expected:
        raise IdentifierError("组织机构代码校验位不正确，请核对后重新输入。")
    return code


def org_code_of_credit_code(code: str) -> str:
    """The organisation code embedded in a credit code (characters 9–17)."""
    return code[8:17]


def validate_unit_code(value: str) -> str:
    """A unit identifies itself by its credit code (18) or its older organisation code (9)."""
    cleaned = (value or "").strip().upper().replace("-", "")
    if len(cleaned) == 18:
        return validate_credit_code(cleaned)
    if len(cleaned) == 9:
        return validate_org_code(cleaned)
    raise IdentifierError("请输入18位统一社会信用代码或9位组织机构代码。")


_MOBILE = re.compile(r"1[3-9]\d{9}")


def validate_mobile(value: str) -> str:
    """A mainland mobile number: 11 digits starting 13–19; an optional +86/86 prefix is removed."""
    number = re.sub(r"[\s-]", "", value or "")
    if number.startswith("+86"):
        number = number[3:]
    elif number.startswith("86") and len(number) == 13:
        number = number[2:]
    if not _MOBILE.fullmatch(number):
        raise IdentifierError("请输入正确的11位中国大陆手机号码。")
    return number


@dataclass(frozen=True)
class PartyIdentity:
    kind: str  # "resident_id" | "credit_code" | "org_code"
    number: str


def validate_party_identifier(value: str, *, natural_person: bool) -> PartyIdentity:
    if natural_person:
        return PartyIdentity("resident_id", validate_resident_id(value))
    code = validate_unit_code(value)
    return PartyIdentity("credit_code" if len(code) == 18 else "org_code", code)
