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


# --- vectorised generation for the scale benchmark -------------------------------------------------------------

_KIND_NO = {ListKind.DEBTOR: 1, ListKind.DISHONEST: 2, ListKind.RESTRICTED: 3, ListKind.TERMINATED: 4}
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_RIC_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_RIC_CHECK = "10X98765432"
_AMOUNT_BASES = (5000, 30000, 86000, 150000, 420000, 1200000, 5600000)


def synthetic_csv_lines(kind: str, *, start: int, count: int, seed: int, today: date) -> list[str]:
    """``count`` CSV lines (columns of ``importer.FIELDS``, no header) for rows ``start`` … ``start + count``.

    The same distributions as ``synthetic_row`` (surname frequencies, 20 % units, adults only, valid check
    digits of ID numbers, organisation codes and credit codes, real counties and their basic courts), drawn
    with numpy column by column, so tens of millions of rows take minutes rather than hours. No field
    contains a quote or line break; the only one with a comma (two situation codes, "2,3") is quoted.
    """
    import numpy as np

    rng = np.random.default_rng([seed, _KIND_NO.get(ListKind(kind), 0), start])
    items = counties()
    n = count
    ci = rng.integers(0, len(items), n)
    unit = rng.random(n) < 0.2
    year = rng.integers(today.year - 6, today.year, n)  # today.year - 6 … today.year - 1
    day0 = (year - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    filed: Any = day0 + rng.integers(0, 361, n)
    filed_s = np.datetime_as_string(filed, unit="D").tolist()

    # Resident ID numbers: region + birth date + sequence + sex digit + check digit (GB 11643).
    region_digits = np.array([[int(c) for c in it["code"]] for it in items], dtype=np.int64)
    lo = np.datetime64(date(1950, 1, 1), "D")
    hi = np.datetime64(date(today.year - 19, 12, 31), "D")
    birth = lo + rng.integers(0, int((hi - lo).astype(int)) + 1, n)
    by = birth.astype("datetime64[Y]").astype(np.int64) + 1970
    bm = (birth.astype("datetime64[M]") - birth.astype("datetime64[Y]")).astype(np.int64) + 1
    bd = (birth - birth.astype("datetime64[M]")).astype(np.int64) + 1
    digits = np.empty((n, 17), dtype=np.int64)
    digits[:, :6] = region_digits[ci]
    for pos, (value, width) in enumerate(((by, 4), (bm, 2), (bd, 2))):
        offset = 6 + (0, 4, 6)[pos]
        for k in range(width):
            digits[:, offset + k] = (value // 10 ** (width - 1 - k)) % 10
    digits[:, 14:16] = rng.integers(0, 10, (n, 2))
    digits[:, 16] = rng.integers(0, 10, n)
    check = (digits * np.array(_RIC_WEIGHTS)).sum(axis=1) % 11
    ric = np.empty((n, 18), dtype=np.uint8)
    ric[:, :17] = digits + 48
    ric[:, 17] = np.frombuffer(_RIC_CHECK.encode(), dtype=np.uint8)[check]
    ric_s = ric.view("S18").ravel().astype("U18").tolist()

    # Credit codes: 91 + region + organisation code (8 characters + check) + check character (GB 32100).
    alpha = np.frombuffer(_USCC_ALPHABET.encode(), dtype=np.uint8)
    org_value = np.array([_ORG_ALPHABET.index(c) for c in _USCC_ALPHABET], dtype=np.int64)
    body = rng.integers(0, 31, (n, 8))
    org_check = 11 - (org_value[body] * np.array(_ORG_WEIGHTS)).sum(axis=1) % 11
    org_check_idx = np.where(
        org_check == 10, _USCC_ALPHABET.index("X"), np.where(org_check == 11, 0, org_check)
    )
    values = np.empty((n, 17), dtype=np.int64)
    values[:, 0], values[:, 1] = 9, 1
    values[:, 2:8] = region_digits[ci]
    values[:, 8:16] = body
    values[:, 16] = org_check_idx
    uscc_check = (31 - (values * np.array(_USCC_WEIGHTS)).sum(axis=1) % 31) % 31
    uscc = np.empty((n, 18), dtype=np.uint8)
    uscc[:, :17] = alpha[values]
    uscc[:, 17] = alpha[uscc_check]
    uscc_s = uscc.view("S18").ravel().astype("U18").tolist()

    # Names: surnames by frequency, one or two given characters.
    weights = np.array([w for _, w in synth.SURNAMES], dtype=np.float64)
    surnames = np.array(_SURNAMES)[rng.choice(len(_SURNAMES), size=(n, 2), p=weights / weights.sum())]
    given = np.array(list(synth.GIVEN_CHARS))
    g = given[rng.integers(0, len(given), (n, 4))]
    single = rng.random((n, 2)) < 0.3
    first = np.char.add(np.char.add(surnames[:, 0], g[:, 0]), np.where(single[:, 0], "", g[:, 1]))
    rep = np.char.add(np.char.add(surnames[:, 1], g[:, 2]), np.where(single[:, 1], "", g[:, 3]))
    cities = [((it["prefecture"].removesuffix("市") or it["county"])[:4]) for it in items]
    words = rng.integers(0, len(synth.COMPANY_WORDS), n)
    trades = rng.integers(0, len(synth.COMPANY_TRADES), n)
    forms = rng.integers(0, len(synth.COMPANY_FORMS), n)

    cents = np.array(_AMOUNT_BASES, dtype=np.int64)[rng.integers(0, len(_AMOUNT_BASES), n)] * 100
    cents += rng.integers(0, 100000, n)
    basis_seq = rng.integers(1, 20001, n)
    partly = rng.random(n) < 0.5
    two = rng.random(n) >= 0.8
    pairs = np.sort(np.argsort(rng.random((n, 6)), axis=1)[:, :2] + 1, axis=1)
    ground1 = rng.integers(1, 7, n)
    term_days = rng.integers(30, 701, n)
    unpaid_share = rng.uniform(0.3, 1.0, n)
    closed = np.minimum(filed + rng.integers(90, 401, n), np.datetime64(today, "D"))
    closed_s = np.datetime_as_string(closed, unit="D").tolist()

    first_l, rep_l = first.tolist(), rep.tolist()
    ci_l, unit_l, year_l, cents_l = ci.tolist(), unit.tolist(), year.tolist(), cents.tolist()
    words_l, trades_l, forms_l = words.tolist(), trades.tolist(), forms.tolist()
    basis_l, partly_l, two_l, ground1_l = basis_seq.tolist(), partly.tolist(), two.tolist(), ground1.tolist()
    pairs_l, term_l, share_l = pairs.tolist(), term_days.tolist(), unpaid_share.tolist()
    provinces = [PROVINCES[it["province"]][0] for it in items]
    company_words, company_trades, company_forms = (
        synth.COMPANY_WORDS,
        synth.COMPANY_TRADES,
        synth.COMPANY_FORMS,
    )
    one_ground = {x: (str(x), DISHONEST_SITUATIONS[x]) for x in DISHONEST_SITUATIONS}
    term_dates = {d: (today + timedelta(days=d)).isoformat() for d in range(30, 701)}
    dishonest = kind == ListKind.DISHONEST
    terminated = kind == ListKind.TERMINATED
    lines: list[str] = []
    append = lines.append
    for i in range(n):
        it = items[ci_l[i]]
        court, code = it["court"], it["court_code"]
        y = year_l[i]
        if unit_l[i]:
            name = (
                f"{cities[ci_l[i]]}{company_words[words_l[i]]}"
                f"{company_trades[trades_l[i]]}{company_forms[forms_l[i]]}"
            )
            ident, legal = uscc_s[i], rep_l[i]
        else:
            name, ident, legal = first_l[i], ric_s[i], ""
        c = cents_l[i]
        amount = f"{c // 100}.{c % 100:02d}"
        grounds = conduct = term = unpaid = closed_on = ""
        if dishonest:
            if two_l[i]:
                a, b = pairs_l[i]
                grounds = f'"{a},{b}"'  # quoted: the only field with a comma
                conduct = f"{DISHONEST_SITUATIONS[a]}；{DISHONEST_SITUATIONS[b]}"
                term = term_dates[term_l[i]]
            else:
                grounds, conduct = one_ground[ground1_l[i]]
                if ground1_l[i] != 1:
                    term = term_dates[term_l[i]]
        if terminated:
            u = int(c * share_l[i])
            unpaid = f"{u // 100}.{u % 100:02d}"
            closed_on = closed_s[i]
        append(
            f"{name},{ident},,,{legal},{court},{provinces[ci_l[i]]},"
            f"（{y}）{code}执{(start + i) % 900000 + 1}号,{filed_s[i]},（{y - 1}）{code}民初{basis_l[i]}号,"
            f"{court},给付申请执行人款项人民币{amount}元及利息,{'部分未履行' if partly_l[i] else '全部未履行'},"
            f"{grounds},{conduct},{amount},{unpaid},{closed_on},,{term}\n"
        )
    return lines
