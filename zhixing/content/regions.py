"""Region codes (GB/T 2260) used by the 本地 channel: provinces, plus the cities of Shandong where the demo
courts are. A region matches an article when they share the city (first 4 digits), or the province
(first 2 digits) when the chosen region is a whole province. Pure data, no Django."""

from __future__ import annotations

PROVINCES = {
    "110000": "北京市", "120000": "天津市", "130000": "河北省", "140000": "山西省", "150000": "内蒙古自治区",
    "210000": "辽宁省", "220000": "吉林省", "230000": "黑龙江省", "310000": "上海市", "320000": "江苏省",
    "330000": "浙江省", "340000": "安徽省", "350000": "福建省", "360000": "江西省", "370000": "山东省",
    "410000": "河南省", "420000": "湖北省", "430000": "湖南省", "440000": "广东省", "450000": "广西壮族自治区",
    "460000": "海南省", "500000": "重庆市", "510000": "四川省", "520000": "贵州省", "530000": "云南省",
    "540000": "西藏自治区", "610000": "陕西省", "620000": "甘肃省", "630000": "青海省", "640000": "宁夏回族自治区",
    "650000": "新疆维吾尔自治区",
}  # fmt: skip

CITIES = {
    "370100": "济南市", "370200": "青岛市", "370300": "淄博市", "370400": "枣庄市", "370500": "东营市",
    "370600": "烟台市", "370700": "潍坊市", "370800": "济宁市", "370900": "泰安市", "371000": "威海市",
    "371100": "日照市", "371300": "临沂市", "371400": "德州市", "371500": "聊城市", "371600": "滨州市",
    "371700": "菏泽市",
}  # fmt: skip

# Municipalities: the whole city is the province.
_MUNICIPALITIES = {"11", "12", "31", "50"}


def normalise(code: str | None) -> str | None:
    """A 6-digit code reduced to the level 本地 matches on (city, or province when no city is known)."""
    if not code or len(code) < 6 or not code[:6].isdigit():
        return None
    code = code[:6]
    if code[:2] in _MUNICIPALITIES or code[2:] == "0000":
        return code[:2] + "0000" if code[:2] + "0000" in PROVINCES else None
    if code[:2] + "0000" not in PROVINCES:
        return None
    return code[:4] + "00"


def match_prefix(code: str) -> str:
    """The prefix an article's region code must start with to be local to ``code`` (a normalised code)."""
    return code[:2] if code.endswith("0000") else code[:4]


def label(code: str | None) -> str:
    if not code:
        return ""
    if code in CITIES:
        return CITIES[code]
    province = PROVINCES.get(code[:2] + "0000", "")
    return province if code.endswith("0000") or code[:2] in _MUNICIPALITIES else f"{province}（{code}）"


def choices() -> list[tuple[str, str]]:
    """What a visitor can pick on the page: every province, and the cities we know by name."""
    out: list[tuple[str, str]] = []
    for code, name in PROVINCES.items():
        out.append((code, name))
        out.extend((c, f"　{n}") for c, n in CITIES.items() if c[:2] == code[:2])
    return out
