"""Provinces (GB/T 2260 codes) and their one-character abbreviations used in court case numbers."""

from __future__ import annotations

# code → (name, abbreviation used in 法院代字)
PROVINCES: dict[str, tuple[str, str]] = {
    "11": ("北京市", "京"),
    "12": ("天津市", "津"),
    "13": ("河北省", "冀"),
    "14": ("山西省", "晋"),
    "15": ("内蒙古自治区", "蒙"),
    "21": ("辽宁省", "辽"),
    "22": ("吉林省", "吉"),
    "23": ("黑龙江省", "黑"),
    "31": ("上海市", "沪"),
    "32": ("江苏省", "苏"),
    "33": ("浙江省", "浙"),
    "34": ("安徽省", "皖"),
    "35": ("福建省", "闽"),
    "36": ("江西省", "赣"),
    "37": ("山东省", "鲁"),
    "41": ("河南省", "豫"),
    "42": ("湖北省", "鄂"),
    "43": ("湖南省", "湘"),
    "44": ("广东省", "粤"),
    "45": ("广西壮族自治区", "桂"),
    "46": ("海南省", "琼"),
    "50": ("重庆市", "渝"),
    "51": ("四川省", "川"),
    "52": ("贵州省", "贵"),
    "53": ("云南省", "云"),
    "54": ("西藏自治区", "藏"),
    "61": ("陕西省", "陕"),
    "62": ("甘肃省", "甘"),
    "63": ("青海省", "青"),
    "64": ("宁夏回族自治区", "宁"),
    "65": ("新疆维吾尔自治区", "新"),
}
PROVINCE_BY_NAME: dict[str, str] = {name: code for code, (name, _) in PROVINCES.items()}
PROVINCE_BY_ABBR: dict[str, str] = {abbr: code for code, (_, abbr) in PROVINCES.items()}
PROVINCE_CHOICES: list[tuple[str, str]] = [(code, name) for code, (name, _) in PROVINCES.items()]


def province_code_of(*, name: str = "", court_code: str = "") -> str:
    """The two-digit province code from a province name or from a 法院代字 such as 鲁0102."""
    if name in PROVINCE_BY_NAME:
        return PROVINCE_BY_NAME[name]
    if court_code[:1] in PROVINCE_BY_ABBR:
        return PROVINCE_BY_ABBR[court_code[:1]]
    return ""


def normalise_province(value: str) -> str:
    """Accept a code (37), a full name (山东省) or a short name (山东) and return the code, or ''."""
    value = (value or "").strip()
    if value in PROVINCES:
        return value
    if value in PROVINCE_BY_NAME:
        return PROVINCE_BY_NAME[value]
    for code, (name, abbr) in PROVINCES.items():
        if value and (name.startswith(value) or value == abbr):
            return code
    return ""
