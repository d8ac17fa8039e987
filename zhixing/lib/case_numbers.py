"""Enforcement case numbers (案号), e.g. （2024）鲁0102执123号.

Format per the SPC rules on case numbers (最高人民法院关于人民法院案件案号的若干规定, 2015):
（收案年度）+ 法院代字 + 类型代字 + 案件编号 + 号. The court abbreviation is the province's
one-character name, followed by the two-digit code of an intermediate court or the four-digit code
of a basic court; the Supreme People's Court uses 最高法.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

PROVINCE_CHARS = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼兵"

# Case-type words of enforcement cases and what they mean.
CASE_TYPES: dict[str, str] = {
    "执": "首次执行",
    "执恢": "恢复执行",
    "执保": "财产保全执行",
    "执异": "执行异议",
    "执复": "执行复议",
    "执监": "执行监督",
}

_PATTERN = re.compile(
    r"^[（(](?P<year>\d{4})[）)]"
    r"(?P<court>最高法|[" + PROVINCE_CHARS + r"](?:\d{2}|\d{4})?)"
    r"(?P<type>执恢|执保|执异|执复|执监|执)"
    r"(?P<seq>[1-9]\d{0,5})号$"
)


class CaseNumberError(ValueError):
    """Raised with a Chinese message when a case number is malformed."""


@dataclass(frozen=True)
class CaseNumber:
    year: int
    court_code: str
    case_type: str
    sequence: int

    def __str__(self) -> str:
        return f"（{self.year}）{self.court_code}{self.case_type}{self.sequence}号"

    @property
    def case_type_label(self) -> str:
        return CASE_TYPES[self.case_type]


def parse_case_number(value: str, *, today: date | None = None) -> CaseNumber:
    text = re.sub(r"\s+", "", value or "")
    match = _PATTERN.match(text)
    if not match:
        raise CaseNumberError(
            "案号格式不正确，应如“（2024）鲁0102执123号”：年度、法院代字、类型代字（执、执恢、执保、执异、执复、执监）和序号。"
        )
    year = int(match["year"])
    this_year = (today or date.today()).year
    if not 1990 <= year <= this_year + 1:
        raise CaseNumberError(f"案号中的年度 {year} 不在有效范围内。")
    return CaseNumber(
        year=year, court_code=match["court"], case_type=match["type"], sequence=int(match["seq"])
    )


def format_case_number(*, year: int, court_code: str, case_type: str, sequence: int) -> str:
    number = CaseNumber(year=year, court_code=court_code, case_type=case_type, sequence=sequence)
    # Round-trip through the parser so a formatted number is always a valid one.
    return str(parse_case_number(str(number)))
