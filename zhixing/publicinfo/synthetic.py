"""Synthetic published records for the demo and the scale benchmark (never for real data).

Names follow common-surname frequencies (zhixing.lib.synth), identity numbers and credit codes carry valid
check digits and real region codes, courts are basic courts of real counties (data/counties.json, derived
from python-stdnum's GB/T 2260 table).
"""

from __future__ import annotations

import itertools
import json
import random
from collections.abc import Iterator
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

from zhixing.lib import synth

from .models import DISHONEST_SITUATIONS, ListKind
from .regions import PROVINCES

_DATA = Path(__file__).resolve().parent / "data" / "counties.json"


@lru_cache(maxsize=1)
def counties() -> list[dict[str, str]]:
    items: list[dict[str, str]] = json.loads(_DATA.read_text(encoding="utf-8"))["counties"]
    for item in items:
        if item["county"].endswith("市") and item["prefecture"] not in (
            "北京市",
            "天津市",
            "上海市",
            "重庆市",
        ):
            item["court"] = f"{item['county']}人民法院"  # county-level cities: 乌苏市人民法院
    return items


_SURNAMES = [s for s, _ in synth.SURNAMES]
_SURNAME_CUM: list[float] = list(itertools.accumulate(w for _, w in synth.SURNAMES))


def person_name(rng: random.Random) -> str:
    """As ``synth.chinese_name`` (same surname frequencies) with the weights accumulated once."""
    surname = rng.choices(_SURNAMES, cum_weights=_SURNAME_CUM)[0]
    size = 1 if rng.random() < 0.3 else 2
    return surname + "".join(rng.choice(synth.GIVEN_CHARS) for _ in range(size))


def synthetic_row(rng: random.Random, kind: str, *, today: date, seq: int) -> dict[str, Any]:
    county = rng.choice(counties())
    unit = rng.random() < 0.2
    year = rng.randint(today.year - 6, today.year - 1) if today.year > 2001 else today.year
    filed = date(year, 1, 1) + timedelta(days=rng.randint(0, 360))
    row: dict[str, Any] = {
        "court_name": county["court"],
        "province": PROVINCES[county["province"]][0],
        "case_number": f"（{year}）{county['court_code']}执{seq % 900000 + 1}号",
        "filed_on": filed.isoformat(),
        "basis_issuer": county["court"],
        "basis_number": f"（{year - 1}）{county['court_code']}民初{rng.randint(1, 20000)}号",
    }
    if unit:
        city = county["prefecture"].removesuffix("市") or county["county"]
        row["name"] = synth.company_name(rng, city=city[:4])
        row["id_number"] = synth.credit_code(rng, region=county["code"])
        row["legal_representative"] = person_name(rng)
    else:
        row["name"] = person_name(rng)
        row["id_number"] = synth.resident_id(
            rng, region=county["code"], born_from=date(1950, 1, 1), born_to=date(today.year - 19, 12, 31)
        )
    amount = rng.choice([5000, 30000, 86000, 150000, 420000, 1200000, 5600000]) + rng.randint(0, 99999) / 100
    row["amount"] = f"{amount:.2f}"
    row["duty"] = f"给付申请执行人款项人民币{amount:.2f}元及利息"
    row["performance"] = rng.choice(["全部未履行", "部分未履行"])
    if kind == ListKind.DISHONEST:
        grounds = sorted(rng.sample(list(DISHONEST_SITUATIONS), k=1 if rng.random() < 0.8 else 2))
        row["grounds"] = ",".join(str(g) for g in grounds)
        row["conduct"] = "；".join(DISHONEST_SITUATIONS[g] for g in grounds)
        if grounds != [1]:
            row["term_until"] = (today + timedelta(days=rng.randint(30, 700))).isoformat()
    if kind == ListKind.TERMINATED:
        row["unpaid"] = f"{amount * rng.uniform(0.3, 1.0):.2f}"
        row["closed_on"] = min(filed + timedelta(days=rng.randint(90, 400)), today).isoformat()
    return row


def synthetic_rows(kind: str, count: int, *, seed: int, today: date) -> Iterator[dict[str, Any]]:
    rng = random.Random(f"{seed}:{kind}")  # noqa: S311 - reproducible synthetic data, not secrets
    for seq in range(count):
        yield synthetic_row(rng, kind, today=today, seq=seq)
