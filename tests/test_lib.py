from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhixing.lib import ids, masking
from zhixing.lib.case_numbers import CaseNumberError, format_case_number, parse_case_number


@pytest.mark.parametrize(
    ("text", "court", "kind", "seq"),
    [
        ("（2024）鲁0102执123号", "鲁0102", "执", 123),
        ("(2023)鲁01执恢7号", "鲁01", "执恢", 7),
        ("（2022）京执保1号", "京", "执保", 1),
        ("（2024）最高法执监45号", "最高法", "执监", 45),
        (" （2024）粤0304执异9号 ", "粤0304", "执异", 9),
        ("（2021）沪02执复88号", "沪02", "执复", 88),
    ],
)
def test_case_numbers_parse(text: str, court: str, kind: str, seq: int) -> None:
    parsed = parse_case_number(text, today=date(2025, 1, 1))
    assert (parsed.court_code, parsed.case_type, parsed.sequence) == (court, kind, seq)
    assert str(parsed).startswith("（") and str(parsed).endswith("号")


@pytest.mark.parametrize(
    "text",
    [
        "2024鲁0102执123号",
        "（2024）鲁0102民初123号",
        "（2024）鲁0102执0号",
        "（2024）鲁012执1号",
        "（1899）鲁执1号",
        "（2024）XX执1号",
        "",
        "（2024）鲁0102执123",
    ],
)
def test_case_numbers_reject(text: str) -> None:
    with pytest.raises(CaseNumberError) as err:
        parse_case_number(text, today=date(2025, 1, 1))
    assert "案号" in str(err.value)


def test_format_round_trip() -> None:
    assert (
        format_case_number(year=2024, court_code="鲁0102", case_type="执", sequence=5)
        == "（2024）鲁0102执5号"
    )


def test_resident_id_rules() -> None:
    assert ids.validate_resident_id("37010219850307123x") == "37010219850307123X"
    with pytest.raises(ids.IdentifierError, match="校验位"):
        ids.validate_resident_id("370102198503071234")
    with pytest.raises(ids.IdentifierError, match="18位"):
        ids.validate_resident_id("3701021985030712")
    # A valid check digit but a birth date in the future is refused (python-stdnum accepts it).
    future = "37010220990101123"
    total = sum(int(d) * w for d, w in zip(future, ids._RIC_WEIGHTS, strict=True))
    with pytest.raises(ids.IdentifierError, match="晚于今天"):
        ids.validate_resident_id(future + ids._RIC_CHECK[total % 11], today=date(2025, 1, 1))
    assert ids.resident_id_gender("37010219850307123X") == "男"
    assert ids.age_on("37010219850307123X", date(2025, 3, 6)) == 39
    assert ids.age_on("37010219850307123X", date(2025, 3, 7)) == 40


def test_credit_and_org_codes() -> None:
    assert ids.validate_credit_code("91370102MA3C8KXX5L") == "91370102MA3C8KXX5L"
    with pytest.raises(ids.IdentifierError, match="统一社会信用代码"):
        ids.validate_credit_code("91370102MA3C8KXX5N")
    # GB 11714 worked example: D2143569-X
    assert ids.validate_org_code("D2143569-X") == "D2143569X"
    with pytest.raises(ids.IdentifierError):
        ids.validate_org_code("D21435691")
    with pytest.raises(ids.IdentifierError, match="18位统一社会信用代码或9位"):
        ids.validate_unit_code("12345")


@pytest.mark.parametrize("raw", ["13812345678", "+8613812345678", "138 1234 5678", "8613812345678"])
def test_mobile_accepts(raw: str) -> None:
    assert ids.validate_mobile(raw) == "13812345678"


@pytest.mark.parametrize("raw", ["12812345678", "1381234567", "abc", "", "023-12345678"])
def test_mobile_rejects(raw: str) -> None:
    with pytest.raises(ids.IdentifierError, match="手机号码"):
        ids.validate_mobile(raw)


def test_masking() -> None:
    assert masking.mask_resident_id("370102198503071234") == "370102********1234"
    assert masking.mask_mobile("13812345678") == "138****5678"
    assert masking.mask_name("欧阳娜娜") == "欧**娜"


@given(st.from_regex(r"\d{17}[\dX]", fullmatch=True))
def test_mask_never_shows_birth_digits(number: str) -> None:
    masked = masking.mask_resident_id(number)
    assert masked[6:14] == "********"
    assert len(masked) == 18
