"""Synthetic but valid identities for demo data, tests and benchmarks (never for real records).

Names follow the frequency of common Chinese surnames; identity numbers and credit codes carry
correct check digits so they pass the same validation as real ones.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from stdnum.cn import uscc

from .ids import _ORG_ALPHABET, _ORG_WEIGHTS, _RIC_CHECK, _RIC_WEIGHTS

# The most common surnames with rough shares (per cent) of the population.
SURNAMES = [
    ("王", 7.1),
    ("李", 7.0),
    ("张", 6.8),
    ("刘", 5.4),
    ("陈", 4.6),
    ("杨", 3.1),
    ("黄", 2.4),
    ("赵", 2.3),
    ("吴", 2.0),
    ("周", 1.9),
    ("徐", 1.6),
    ("孙", 1.5),
    ("马", 1.4),
    ("朱", 1.3),
    ("胡", 1.3),
    ("郭", 1.2),
    ("何", 1.1),
    ("高", 1.1),
    ("林", 1.1),
    ("罗", 0.9),
    ("郑", 0.9),
    ("梁", 0.9),
    ("谢", 0.8),
    ("宋", 0.7),
    ("唐", 0.7),
    ("许", 0.7),
    ("韩", 0.7),
    ("冯", 0.6),
    ("邓", 0.6),
    ("曹", 0.6),
    ("彭", 0.6),
    ("曾", 0.5),
    ("肖", 0.5),
    ("田", 0.5),
    ("董", 0.5),
    ("袁", 0.5),
    ("潘", 0.4),
    ("于", 0.4),
    ("蒋", 0.4),
    ("蔡", 0.4),
    ("余", 0.4),
    ("杜", 0.4),
    ("叶", 0.4),
    ("程", 0.4),
    ("苏", 0.3),
    ("魏", 0.3),
    ("吕", 0.3),
    ("丁", 0.3),
    ("任", 0.3),
    ("沈", 0.3),
    ("姚", 0.3),
    ("卢", 0.3),
    ("姜", 0.3),
    ("崔", 0.3),
    ("钟", 0.3),
    ("谭", 0.3),
    ("陆", 0.2),
    ("汪", 0.2),
    ("范", 0.2),
    ("金", 0.2),
    ("石", 0.2),
    ("廖", 0.2),
    ("贾", 0.2),
    ("夏", 0.2),
    ("欧阳", 0.05),
    ("司马", 0.01),
    ("诸葛", 0.01),
]
GIVEN_CHARS = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅志强海燕鹏飞晓东宇浩然子涵欣怡梓萱"
    "俊杰文博晨曦思远雨桐嘉怡一鸣天佑诗涵婉清泽宇瑞霖铭轩昊天"
)
COMPANY_WORDS = [
    "鑫源",
    "华泰",
    "宏达",
    "恒信",
    "金桥",
    "瑞丰",
    "东方",
    "新港",
    "泰和",
    "永安",
    "中联",
    "博远",
    "嘉禾",
    "兴业",
]
COMPANY_TRADES = [
    "建筑工程",
    "商贸",
    "房地产开发",
    "机械制造",
    "物流",
    "食品",
    "科技",
    "装饰工程",
    "纺织",
    "投资",
]
COMPANY_FORMS = ["有限公司", "有限责任公司", "股份有限公司"]


def chinese_name(rng: random.Random) -> str:
    surname = rng.choices([s for s, _ in SURNAMES], weights=[w for _, w in SURNAMES])[0]
    size = 1 if rng.random() < 0.3 else 2
    return surname + "".join(rng.choice(GIVEN_CHARS) for _ in range(size))


def company_name(rng: random.Random, city: str = "济南") -> str:
    return f"{city}{rng.choice(COMPANY_WORDS)}{rng.choice(COMPANY_TRADES)}{rng.choice(COMPANY_FORMS)}"


def resident_id(
    rng: random.Random,
    *,
    region: str = "370102",
    born_from: date = date(1950, 1, 1),
    born_to: date = date(2000, 12, 31),
    male: bool | None = None,
) -> str:
    span = (born_to - born_from).days
    birth = born_from + timedelta(days=rng.randint(0, span))
    seq = rng.randint(0, 99)
    sex = rng.randint(0, 9) if male is None else rng.choice([1, 3, 5, 7, 9] if male else [0, 2, 4, 6, 8])
    body = f"{region}{birth:%Y%m%d}{seq:02d}{sex}"
    total = sum(int(d) * w for d, w in zip(body, _RIC_WEIGHTS, strict=True))
    return body + _RIC_CHECK[total % 11]


def org_code(rng: random.Random) -> str:
    body = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    total = sum(_ORG_ALPHABET.index(c) * w for c, w in zip(body, _ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + ("X" if check == 10 else "0" if check == 11 else str(check))


def credit_code(rng: random.Random, *, region: str = "370102") -> str:
    body = f"91{region}{org_code(rng)}"
    return body + str(uscc.calc_check_digit(body))
