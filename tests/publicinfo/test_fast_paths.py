"""The lean API answers equal the reference shaping; the answer cache; the fast detail token; the vectorised
generator produces rows the import accepts."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.core import signing
from django.utils import timezone

from zhixing.lib import crypto
from zhixing.lib.ids import validate_credit_code, validate_resident_id
from zhixing.publicinfo import selectors
from zhixing.publicinfo.api import ANSWERS
from zhixing.publicinfo.importer import FIELDS, import_records
from zhixing.publicinfo.models import ListKind, PublishedRecord
from zhixing.publicinfo.synthetic import synthetic_csv_lines, synthetic_rows

from .test_queries import FULL_ID

pytestmark = pytest.mark.django_db


def _load(tmp_path: Path, kind: str, count: int, seed: int) -> None:
    path = tmp_path / f"{kind}.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS)
        writer.writeheader()
        for row in synthetic_rows(kind, count, seed=seed, today=timezone.localdate()):
            writer.writerow({k: row.get(k, "") for k in FIELDS})
    stats = import_records(path, kind=kind, fmt="csv")
    assert stats.inserted == count, stats.reasons


def test_token_is_the_signers_token() -> None:
    for pk in (1, 42, 10_000_000, 987654321):
        token = selectors.token_for_pk(pk)
        assert token == signing.Signer(salt="zhixing.publicinfo.record").sign(str(pk))
        assert signing.Signer(salt="zhixing.publicinfo.record").unsign(token) == str(pk)
    assert selectors.token_for_pk(1) != selectors.token_for_pk(2)


def test_lean_answers_equal_the_reference_shaping(tmp_path: Path) -> None:
    for n, kind in enumerate(ListKind.values):
        _load(tmp_path, kind, 40, seed=n + 1)
    records = list(PublishedRecord.objects.order_by("id"))
    assert {r.subject_kind for r in records} == {"natural", "unit"}
    seen = 0
    for record in records:
        params = selectors.list_params(kind=record.kind, name=record.name)
        answer = selectors.list_answer(params)
        reference = selectors.list_query(kind=record.kind, name=record.name)
        assert answer["total"] == reference.total and answer["pages"] == reference.pages
        assert answer["results"] == [selectors.record_public(r) for r in reference.records]
        comprehensive = selectors.comprehensive_answer(record.name, record.id_index)
        mine = [
            r for r in comprehensive["lists"][record.kind] if r["token"] == selectors.record_token(record)
        ]
        assert mine == [selectors.record_public(record)]
        seen += 1
    assert seen == len(records) == 160


def test_api_answer_is_cached_briefly_and_keyed_without_clear_identities(
    settings: Any, tmp_path: Path, client: Any
) -> None:
    settings.PUBLICINFO_CACHE_SECONDS = 30
    _load(tmp_path, "dishonest", 5, seed=3)
    record = PublishedRecord.objects.order_by("id").first()
    assert record is not None
    full_id = next(
        r["id_number"]
        for r in synthetic_rows("dishonest", 5, seed=3, today=timezone.localdate())
        if r["name"] == record.name
    )
    body = {"name": record.name, "id_number": full_id}
    first = client.post("/api/v1/public/comprehensive", body, content_type="application/json")
    assert first.status_code == 200 and first.json()["total"] >= 1
    assert not FULL_ID.search(first.content.decode())
    # While cached, the stored answer is served (a removal shows within the TTL, not at once) …
    PublishedRecord.objects.filter(pk=record.pk).update(status="removed")
    again = client.post("/api/v1/public/comprehensive", body, content_type="application/json")
    assert again.content == first.content
    # … and the cache keys hold neither the ID number nor the name.
    keys = [str(k) for k in ANSWERS._cache]
    assert keys and not any(full_id in k or record.name in k for k in keys)
    ANSWERS.clear()
    fresh = client.post("/api/v1/public/comprehensive", body, content_type="application/json")
    assert fresh.json()["lists"]["dishonest"] == [] or all(
        r["token"] != selectors.record_token(record) for r in fresh.json()["lists"]["dishonest"]
    )
    # With the cache off every answer is computed afresh.
    settings.PUBLICINFO_CACHE_SECONDS = 0
    PublishedRecord.objects.filter(pk=record.pk).update(status="published")
    live = client.post("/api/v1/public/comprehensive", body, content_type="application/json")
    assert any(r["token"] == selectors.record_token(record) for r in live.json()["lists"]["dishonest"])


def test_cached_answers_still_count_against_the_per_ip_limit(settings: Any, client: Any) -> None:
    settings.PUBLICINFO_CACHE_SECONDS = 30
    settings.PUBLICINFO_LIMIT_PER_MINUTE = 3
    codes = [
        client.post(
            "/api/v1/public/lists/dishonest", {"name": "王伟"}, content_type="application/json"
        ).status_code
        for _ in range(5)
    ]
    assert codes == [200, 200, 200, 429, 429]


def test_cached_answers_still_ask_for_the_captcha(settings: Any, client: Any) -> None:
    settings.PUBLICINFO_CACHE_SECONDS = 30
    settings.PUBLICINFO_CAPTCHA_AFTER = 2
    responses = [
        client.post("/api/v1/public/lists/debtor", {"name": "王伟"}, content_type="application/json")
        for _ in range(3)
    ]
    assert [r.status_code for r in responses] == [200, 200, 403]
    assert responses[2].json()["captcha_required"] is True


def test_bad_input_is_422_not_cached(settings: Any, client: Any) -> None:
    settings.PUBLICINFO_CACHE_SECONDS = 30
    for _ in range(2):
        response = client.post(
            "/api/v1/public/comprehensive",
            {"name": "王", "id_number": "110101199001010016"},
            content_type="application/json",
        )
        assert response.status_code == 422
        assert "110101199001010016" not in response.content.decode()


def test_vectorised_generator_rows_are_valid_and_importable(tmp_path: Path) -> None:
    today = timezone.localdate()
    lines = synthetic_csv_lines("dishonest", start=0, count=3000, seed=5, today=today)
    rows = list(csv.DictReader(io.StringIO(",".join(FIELDS) + "\n" + "".join(lines))))
    assert len(rows) == 3000
    units = [r for r in rows if r["legal_representative"]]
    assert 300 < len(units) < 900  # about 20 % units
    for row in rows[:500]:
        if row["legal_representative"]:
            assert validate_credit_code(row["id_number"]) == row["id_number"]
        else:
            assert validate_resident_id(row["id_number"], today=today) == row["id_number"]
    surnames = [r["name"][0] for r in rows if not r["legal_representative"]]
    assert surnames.count("王") > surnames.count("林") > 0  # frequencies follow the surname table
    path = tmp_path / "dishonest-000.csv"
    path.write_text(",".join(FIELDS) + "\n" + "".join(lines), encoding="utf-8")
    stats = import_records(path, kind="dishonest", fmt="csv", batch_size=1000)
    assert stats.rejected == 0 and stats.inserted == 3000
    person = PublishedRecord.objects.filter(subject_kind="natural").first()
    assert person is not None and "********" in person.id_masked
    source = next(r for r in rows if r["name"] == person.name and r["case_number"] == person.case_number)
    assert person.id_index == crypto.blind_index(source["id_number"])
