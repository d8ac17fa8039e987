"""Bulk import: CSV and JSON Lines, idempotent, rejected-rows report, batches all-or-nothing."""

from __future__ import annotations

import csv
import json
import random
from datetime import date
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from zhixing.lib import synth
from zhixing.lib.ids import IdentifierError, validate_resident_id
from zhixing.publicinfo import importer
from zhixing.publicinfo.importer import FIELDS, import_records, resident_id_fast
from zhixing.publicinfo.models import PublishedRecord
from zhixing.publicinfo.synthetic import synthetic_rows

pytestmark = pytest.mark.django_db

GOOD = {
    "name": "赵丽",
    "id_number": "110101199001010015",
    "court_name": "北京市东城区人民法院",
    "case_number": "（2024）京0101执12号",
    "filed_on": "2024-03-01",
    "basis_number": "（2023）京0101民初88号",
    "basis_issuer": "北京市东城区人民法院",
    "duty": "给付借款本金50000元",
    "performance": "全部未履行",
    "grounds": "1",
    "conduct": "有履行能力而拒不履行",
}


def _write_csv(path: Path, rows: list[dict[str, Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in FIELDS})
    return path


def test_csv_import_idempotent_with_report(tmp_path: Path) -> None:
    rows = list(synthetic_rows("dishonest", 120, seed=5, today=timezone.localdate()))
    bad = [
        {**GOOD, "id_number": "110101199001010016"},  # check digit
        {**GOOD, "id_number": "370102201506011237"},  # a minor
        {**GOOD, "case_number": "2024执12号"},
        {**GOOD, "name": "赵"},
        {**GOOD, "grounds": ""},
    ]
    path = _write_csv(tmp_path / "dishonest.csv", [*rows, GOOD, *bad, GOOD])
    stats = import_records(path, kind="dishonest", fmt="csv", batch_size=50)
    assert stats.read == 127 and stats.inserted == 121 and stats.duplicates == 1 and stats.rejected == 5
    report = Path(stats.report).read_text(encoding="utf-8")
    assert "校验位" in report and "未成年人" in report and "案号" in report and "失信情形" in report
    # The report never holds a full identity number.
    assert "110101199001010016" not in report and "110101********0016" in report
    record = PublishedRecord.objects.get(name="赵丽")
    assert record.id_masked == "110101********0015" and record.province == "北京市" and record.gender == "男"
    assert record.source == "import" and record.grounds == "1"
    again = import_records(path, kind="dishonest", fmt="csv", batch_size=50)
    assert again.inserted == 0 and again.duplicates == 122
    assert PublishedRecord.objects.filter(kind="dishonest").count() == 121


def test_jsonl_import_and_command(tmp_path: Path) -> None:
    path = tmp_path / "terminated.jsonl"
    lines = [
        json.dumps(r, ensure_ascii=False)
        for r in synthetic_rows("terminated", 30, seed=9, today=date(2026, 1, 10))
    ]
    lines += ["not json", "[1, 2]", ""]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = StringIO()
    call_command("import_public_records", str(path), "--list", "terminated", "--no-progress", stdout=out)
    text = out.getvalue()
    assert "导入 30" in text and "拒绝 2" in text
    record = PublishedRecord.objects.filter(kind="terminated").first()
    assert record is not None and record.unpaid is not None and record.closed_on is not None
    with pytest.raises(CommandError):
        call_command("import_public_records", str(tmp_path / "missing.csv"), "--list", "debtor")


def test_failed_batch_is_rolled_back_whole(tmp_path: Path, monkeypatch: Any) -> None:
    rows = list(synthetic_rows("debtor", 30, seed=2, today=timezone.localdate()))
    path = _write_csv(tmp_path / "debtor.csv", rows)
    real = importer._SqliteWriter.write
    calls = {"n": 0}

    def flaky(self: Any, batch: list[Any]) -> int:
        calls["n"] += 1
        inserted = real(self, batch)
        if calls["n"] == 2:
            raise RuntimeError("disk full")  # after writing: the transaction must undo the half-written batch
        return inserted

    if importer.connection.vendor == "postgresql":
        real = importer._PostgresWriter.write
        monkeypatch.setattr(importer._PostgresWriter, "write", flaky)
    else:
        monkeypatch.setattr(importer._SqliteWriter, "write", flaky)
    stats = import_records(path, kind="debtor", fmt="csv", batch_size=10)
    assert stats.failed_batches == 1 and stats.inserted == 20 and stats.rejected == 10
    assert PublishedRecord.objects.filter(kind="debtor").count() == 20
    assert "批次写入失败" in Path(stats.report).read_text(encoding="utf-8")


def test_missing_columns_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("name,case_number\n赵丽,（2024）京0101执12号\n", encoding="utf-8")
    with pytest.raises(ValueError, match="缺少必需的列"):
        import_records(path, kind="debtor", fmt="csv")


def test_fast_resident_id_check_agrees_with_the_reference() -> None:
    rng = random.Random(42)
    today = date(2026, 1, 10)
    numbers = [
        synth.resident_id(rng, region=rng.choice(["110101", "370102", "440305", "999999"]))
        for _ in range(300)
    ]
    numbers += [n[:-1] + ("0" if n[-1] != "0" else "1") for n in numbers[:100]]  # wrong check digits
    numbers += ["37010220991301123X", "12345", "370102203001011234"]
    for number in numbers:
        try:
            expected: Any = validate_resident_id(number, today=today)
        except IdentifierError as exc:
            expected = str(exc)
        try:
            got: Any = resident_id_fast(number, today)[0]
        except IdentifierError as exc:
            got = str(exc)
        assert got == expected, number


def test_fast_credit_code_check_agrees_with_the_reference() -> None:
    from zhixing.lib.ids import validate_credit_code
    from zhixing.publicinfo.importer import credit_code_fast

    rng = random.Random(8)
    codes = [synth.credit_code(rng) for _ in range(200)]
    codes += [c[:-1] + ("0" if c[-1] != "0" else "1") for c in codes[:80]]
    codes += ["91370102MA3C8KXX5L", "91370102MA3C8KXX5I", "9137010２MA3C8KXX5L", "short"]
    for code in codes:
        try:
            expected: Any = validate_credit_code(code)
        except IdentifierError:
            expected = "error"
        try:
            got: Any = credit_code_fast(code)
        except IdentifierError:
            got = "error"
        assert got == expected, code


def test_parallel_workers_give_the_same_result(tmp_path: Path) -> None:
    rows = list(synthetic_rows("restricted", 90, seed=4, today=timezone.localdate()))
    rows.insert(10, {**GOOD, "id_number": "110101199001010016"})
    path = _write_csv(tmp_path / "restricted.csv", rows)
    stats = import_records(path, kind="restricted", fmt="csv", batch_size=20, workers=2)
    assert stats.read == 91 and stats.inserted == 90 and stats.rejected == 1
    assert "校验位" in Path(stats.report).read_text(encoding="utf-8")


def test_credit_code_with_all_digit_body_is_a_unit(tmp_path: Path) -> None:
    unit = {
        **GOOD,
        "name": "济南恒信商贸有限公司",
        "id_number": "91370102409348600E",
        "legal_representative": "赵丽",
    }
    path = _write_csv(tmp_path / "unit.csv", [unit])
    stats = import_records(path, kind="dishonest", fmt="csv")
    assert stats.inserted == 1, stats.reasons
    record = PublishedRecord.objects.get()
    assert record.subject_kind == "unit" and record.id_masked == "91370102409348600E"


def test_deferred_indexes_are_rebuilt_and_uniqueness_holds_throughout(tmp_path: Path) -> None:
    from django.db import connection

    rows = list(synthetic_rows("debtor", 40, seed=6, today=timezone.localdate()))
    path = _write_csv(tmp_path / "debtor.csv", [*rows, rows[0]])
    out = StringIO()
    call_command(
        "import_public_records", str(path), "--list", "debtor", "--defer-indexes", "--no-progress", stdout=out
    )
    assert "导入 40" in out.getvalue() and "已存在 1" in out.getvalue()
    with connection.cursor() as cur:
        names = set(connection.introspection.get_constraints(cur, PublishedRecord._meta.db_table))
    assert {i.name for i in PublishedRecord._meta.indexes} <= names
    assert "pubrec_identity_key_pub" in names
    again = import_records(path, kind="debtor", fmt="csv")
    assert again.inserted == 0 and PublishedRecord.objects.filter(kind="debtor").count() == 40
