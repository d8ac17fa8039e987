"""Bulk import of published records from CSV or JSON Lines (``manage.py import_public_records``).

Streaming (constant memory), idempotent (natural key: list, case number, identity while published),
all-or-nothing per batch, with a report of rejected rows. On PostgreSQL each batch is COPYed into a
temporary staging table and moved with INSERT … ON CONFLICT DO NOTHING; on SQLite it is an executemany of
INSERT OR IGNORE. Full identity numbers are validated (check digits), masked and blind-indexed here and
never written anywhere in clear — the rejected-rows report shows them masked too.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import itertools
import json
import re
import time
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from django.db import connection, transaction
from django.utils import timezone

from zhixing.audit.services import audit_record
from zhixing.lib import crypto
from zhixing.lib.case_numbers import CaseNumberError, parse_case_number
from zhixing.lib.ids import _RIC_CHECK, _RIC_WEIGHTS, IdentifierError, region_exists, validate_unit_code
from zhixing.lib.masking import mask_resident_id

from .models import ListKind, PublishedRecord, RecordSource, RecordStatus, SubjectKind
from .regions import PROVINCES, normalise_province, province_code_of
from .services import parse_grounds

FIELDS = [
    "name",
    "id_number",
    "gender",
    "age",
    "legal_representative",
    "court_name",
    "province",
    "case_number",
    "filed_on",
    "basis_number",
    "basis_issuer",
    "duty",
    "performance",
    "grounds",
    "conduct",
    "amount",
    "unpaid",
    "closed_on",
    "published_at",
    "term_until",
]

# Columns written to the table, in order (every NOT NULL text column gets '' rather than NULL).
COLUMNS = [
    "kind",
    "status",
    "source",
    "subject_kind",
    "name",
    "id_masked",
    "id_index",
    "gender",
    "age",
    "legal_representative",
    "court_id",
    "court_name",
    "court_code",
    "province",
    "province_code",
    "case_number",
    "filed_on",
    "basis_number",
    "basis_issuer",
    "duty",
    "performance",
    "grounds",
    "conduct",
    "amount",
    "unpaid",
    "closed_on",
    "published_at",
    "term_until",
    "removal_reason",
]

_RIC = re.compile(r"\d{17}[\dX]")
_MAX_AMOUNT = Decimal("99999999999999.99")


class RowError(ValueError):
    """A row that cannot be imported; ``str(err)`` is the Chinese reason for the report."""


@lru_cache(maxsize=8192)
def _region_ok(code: str) -> bool:
    return region_exists(code)


def resident_id_fast(number: str, today: date) -> tuple[str, date]:
    """The checks of ``zhixing.lib.ids.validate_resident_id`` (format, check digit, birth date, region) at
    import speed: region lookups are cached. Returns the number and birth date or raises IdentifierError."""
    if not _RIC.fullmatch(number):
        raise IdentifierError("身份证号码应为18位，前17位为数字，最后一位为数字或X。")
    total = 0
    for digit, weight in zip(number[:17], _RIC_WEIGHTS, strict=True):
        total += (ord(digit) - 48) * weight
    if _RIC_CHECK[total % 11] != number[17]:
        raise IdentifierError("身份证号码校验位不正确，请核对后重新输入。")
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError as exc:
        raise IdentifierError("身份证号码中的出生日期无效。") from exc
    if not _region_ok(number[:6]):
        raise IdentifierError("身份证号码中的地区码无效。")
    if birth > today:
        raise IdentifierError("身份证号码中的出生日期晚于今天，号码无效。")
    if birth.year < 1900:
        raise IdentifierError("身份证号码中的出生日期无效。")
    return number, birth


_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(_USCC_ALPHABET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_fast(code: str) -> str:
    """The checks of ``validate_credit_code`` (GB 32100-2015 format and check digit) at import speed."""
    if not code.isascii():
        code = unicodedata.normalize("NFKC", code).upper()  # full-width characters typed in Chinese IMEs
    if len(code) != 18:
        raise IdentifierError("统一社会信用代码应为18位。")
    if not code[:8].isdigit() or not code[:8].isascii() or any(c not in _USCC_VALUE for c in code[8:]):
        raise IdentifierError("统一社会信用代码格式或校验位不正确，请核对后重新输入。")
    total = sum(_USCC_VALUE[c] * w for c, w in zip(code, _USCC_WEIGHTS, strict=False))
    if _USCC_ALPHABET[(31 - total) % 31] != code[17]:
        raise IdentifierError("统一社会信用代码格式或校验位不正确，请核对后重新输入。")
    return code


class _BlindIndexer:
    """``crypto.blind_index`` with the keyed HMAC state prepared once (same output, less work per row)."""

    def __init__(self) -> None:
        _, key = crypto._keys(crypto._master())
        self._base = hmac.new(key, digestmod=hashlib.sha256)

    def __call__(self, value: str) -> str:
        h = self._base.copy()
        h.update(value.encode())
        return h.hexdigest()


def _date(value: Any, label: str) -> date | None:
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError as exc:
        raise RowError(f"{label}格式不正确，应为 YYYY-MM-DD。") from exc


def _amount(value: Any, label: str) -> Decimal | None:
    text = str(value or "").strip().replace(",", "")
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:
        raise RowError(f"{label}格式不正确。") from exc
    if not amount.is_finite() or amount < 0 or amount > _MAX_AMOUNT:
        raise RowError(f"{label}超出范围。")
    return amount.quantize(Decimal("0.01"))


def _text(row: dict[str, Any], key: str, limit: int) -> str:
    value = row.get(key)
    if value is None:
        return ""
    text = str(value).strip()
    if len(text) > limit:
        raise RowError(f"字段 {key} 过长（不超过{limit}字）。")
    return text


@dataclass
class Context:
    kind: str
    today: date
    now: datetime
    courts: dict[str, int]  # 法院代字 → Court id
    index: Callable[[str], str] = field(default_factory=lambda: _BlindIndexer())


def validate_row(row: dict[str, Any], ctx: Context) -> tuple[Any, ...]:
    """One input row → the tuple of COLUMNS, or RowError with the reason."""
    name = " ".join(str(row.get("name") or "").split())
    if len(name) < 2:
        raise RowError("被执行人姓名或名称至少2个字。")
    if len(name) > 100:
        raise RowError("被执行人姓名或名称过长。")
    raw_id = str(row.get("id_number") or "").strip().upper()
    if not raw_id.isascii():
        raw_id = unicodedata.normalize("NFKC", raw_id).upper()
    if not raw_id:
        raise RowError("缺少身份证号码或统一社会信用代码。")
    gender = _text(row, "gender", 2)
    age: int | None = None
    person = len(raw_id) == 18 and raw_id[:17].isdigit()
    if person:
        try:
            number, birth = resident_id_fast(raw_id, ctx.today)
        except IdentifierError as exc:
            # A credit code whose first 17 characters are digits looks like an ID number.
            try:
                credit_code_fast(raw_id)
                person = False
            except IdentifierError:
                raise RowError(str(exc)) from exc
    if person:
        years = ctx.today.year - birth.year - ((ctx.today.month, ctx.today.day) < (birth.month, birth.day))
        if years < 18:
            raise RowError("未成年人不得公布（《若干规定》第四条）。")
        subject = SubjectKind.NATURAL
        masked = mask_resident_id(number)
        age = years
        gender = gender or ("男" if (ord(number[16]) - 48) % 2 else "女")
        legal_rep = ""
    else:
        try:
            number = credit_code_fast(raw_id) if len(raw_id) == 18 else validate_unit_code(raw_id)
        except IdentifierError as exc:
            raise RowError(str(exc)) from exc
        subject = SubjectKind.UNIT
        masked = number
        gender = ""
        legal_rep = _text(row, "legal_representative", 50)
    case_number = str(row.get("case_number") or "").strip()
    try:
        parsed = parse_case_number(case_number)
    except CaseNumberError as exc:
        raise RowError(str(exc)) from exc
    case_number = str(parsed)
    court_name = _text(row, "court_name", 100)
    if not court_name:
        raise RowError("缺少执行法院。")
    province_raw = _text(row, "province", 20)
    province_code = normalise_province(province_raw) if province_raw else ""
    if province_raw and not province_code:
        raise RowError("省份不正确。")
    if not province_code:
        province_code = province_code_of(court_code=parsed.court_code)
    if not province_code:
        raise RowError("无法确定省份，请填写省份。")
    province = PROVINCES[province_code][0]
    grounds = ""
    term_until = _date(row.get("term_until"), "纳入期限")
    if ctx.kind == ListKind.DISHONEST:
        codes = parse_grounds(row.get("grounds"))
        if not codes:
            raise RowError("失信信息须写明失信情形（1–6）。")
        grounds = ",".join(str(c) for c in codes)
        if term_until is not None and term_until < ctx.today:
            raise RowError("纳入期限已届满，不应公布。")
    published_raw = str(row.get("published_at") or "").strip()
    published_at = ctx.now
    if published_raw:
        try:
            parsed_at = datetime.fromisoformat(published_raw)
        except ValueError as exc:
            raise RowError("发布时间格式不正确。") from exc
        published_at = parsed_at if timezone.is_aware(parsed_at) else timezone.make_aware(parsed_at)
    return (
        ctx.kind,
        RecordStatus.PUBLISHED.value,
        RecordSource.IMPORT.value,
        subject.value,
        name,
        masked,
        ctx.index(number),
        gender,
        age,
        legal_rep,
        ctx.courts.get(parsed.court_code),
        court_name,
        parsed.court_code,
        province,
        province_code,
        case_number,
        _date(row.get("filed_on"), "立案时间"),
        _text(row, "basis_number", 60),
        _text(row, "basis_issuer", 100),
        _text(row, "duty", 2000),
        _text(row, "performance", 40),
        grounds,
        _text(row, "conduct", 2000),
        _amount(row.get("amount"), "执行标的"),
        _amount(row.get("unpaid"), "未履行金额"),
        _date(row.get("closed_on"), "终本日期"),
        published_at,
        term_until,
        "",
    )


# --- reading -----------------------------------------------------------------------------------------------------


class _Counter:
    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.bytes = 0

    def lines(self) -> Iterator[str]:
        for line in self.raw:
            self.bytes += len(line)
            yield line.decode("utf-8-sig" if self.bytes == len(line) else "utf-8")


def read_rows(counter: _Counter, fmt: str) -> Iterator[tuple[int, dict[str, Any] | None, str]]:
    """(line number, row or None, error) for every input record."""
    if fmt == "csv":
        reader = csv.DictReader(counter.lines())
        missing = {"name", "id_number", "case_number", "court_name"} - set(reader.fieldnames or [])
        if missing:
            raise ValueError("CSV 缺少必需的列：" + "、".join(sorted(missing)))
        for row in reader:
            yield reader.line_num, row, ""
    else:
        for number, line in enumerate(counter.lines(), start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError:
                yield number, None, "不是有效的 JSON。"
                continue
            if not isinstance(data, dict):
                yield number, None, "每行应为一个 JSON 对象。"
                continue
            yield number, data, ""


# --- writing -----------------------------------------------------------------------------------------------------


def _copy_text(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, datetime):
        return value.isoformat()
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


class _PostgresWriter:
    def __init__(self) -> None:
        self.table = PublishedRecord._meta.db_table
        cols = ", ".join(COLUMNS)
        with connection.cursor() as cur:
            cur.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS publicinfo_stage ON COMMIT DELETE ROWS AS "  # noqa: S608
                f"SELECT {cols} FROM {self.table} WITH NO DATA"
            )
        self.copy_sql = f"COPY publicinfo_stage ({cols}) FROM STDIN"
        self.insert_sql = (
            f"INSERT INTO {self.table} ({cols}) SELECT {cols} FROM publicinfo_stage ON CONFLICT DO NOTHING"  # noqa: S608
        )

    def write(self, rows: list[tuple[Any, ...]]) -> int:
        buf = "".join("\t".join(_copy_text(v) for v in row) + "\n" for row in rows)
        with connection.cursor() as cur:
            raw = cur.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(self.copy_sql) as copy:
                copy.write(buf.encode())
            cur.execute(self.insert_sql)
            return max(cur.rowcount, 0)


class _SqliteWriter:
    def __init__(self) -> None:
        table = PublishedRecord._meta.db_table
        marks = ", ".join("?" for _ in COLUMNS)
        # Table and column names are constants of this module, never input.
        self.sql = f"INSERT OR IGNORE INTO {table} ({', '.join(COLUMNS)}) VALUES ({marks})"  # noqa: S608

    def write(self, rows: list[tuple[Any, ...]]) -> int:
        ops = connection.ops
        prepared = [
            tuple(
                ops.adapt_datetimefield_value(v)
                if isinstance(v, datetime)
                else ops.adapt_datefield_value(v)
                if isinstance(v, date)
                else ops.adapt_decimalfield_value(v, 16, 2)
                if isinstance(v, Decimal)
                else v
                for v in row
            )
            for row in rows
        ]
        with connection.cursor() as cur:
            before = connection.connection.total_changes
            cur.executemany(self.sql, prepared)
            return int(connection.connection.total_changes - before)


@dataclass
class ImportStats:
    read: int = 0
    inserted: int = 0
    duplicates: int = 0
    rejected: int = 0
    failed_batches: int = 0
    seconds: float = 0.0
    write_seconds: float = 0.0  # time inside the database writes (COPY + INSERT, or executemany)
    report: str = ""
    reasons: dict[str, int] = field(default_factory=dict)

    @property
    def rows_per_second(self) -> float:
        return self.read / self.seconds if self.seconds else 0.0


def _masked(raw: dict[str, Any] | None) -> str:
    value = str((raw or {}).get("id_number") or "").strip().upper()
    return mask_resident_id(value) if len(value) == 18 and value[:17].isdigit() else value[:20]


_WORKER_CTX: Context | None = None

Rejected = tuple[int, str, str, str, str]  # line, reason, name, masked id, case number


def _validate_batch(
    items: list[tuple[int, dict[str, Any] | None, str]], ctx: Context | None = None
) -> tuple[list[int], list[tuple[Any, ...]], list[Rejected]]:
    """Validate raw rows; runs inline or in a worker process (forked with ``_WORKER_CTX``)."""
    context = ctx or _WORKER_CTX
    assert context is not None
    lines: list[int] = []
    rows: list[tuple[Any, ...]] = []
    bad: list[Rejected] = []
    for line, row, error in items:
        if row is not None and not error:
            try:
                rows.append(validate_row(row, context))
                lines.append(line)
                continue
            except RowError as exc:
                error = str(exc)
        data = row or {}
        bad.append(
            (
                line,
                error,
                str(data.get("name") or "")[:100],
                _masked(data),
                str(data.get("case_number") or "")[:40],
            )
        )
    return lines, rows, bad


def _raw_batches(
    source: Iterator[tuple[int, dict[str, Any] | None, str]], size: int
) -> Iterator[list[tuple[int, dict[str, Any] | None, str]]]:
    batch: list[tuple[int, dict[str, Any] | None, str]] = []
    for item in source:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def import_records(
    path: Path,
    *,
    kind: str,
    fmt: str,
    batch_size: int = 10_000,
    report_path: Path | None = None,
    progress: Callable[[int, int, ImportStats], None] | None = None,
    actor: Any = "import_public_records",
    workers: int = 1,
) -> ImportStats:
    """Import ``path`` into list ``kind``; see the module docstring for the guarantees.

    With ``workers`` > 1 rows are validated (check digits, masking, blind index) in that many forked
    processes while this process reads the file and writes the batches in order.
    """
    global _WORKER_CTX
    if kind not in ListKind.values:
        raise ValueError(f"unknown list {kind}")
    if fmt not in ("csv", "jsonl"):
        raise ValueError(f"unknown format {fmt}")
    from zhixing.courts.models import Court

    now = timezone.now()
    ctx = Context(
        kind=kind,
        today=timezone.localdate(now),
        now=now,
        courts=dict(Court.objects.values_list("case_code", "id")),
    )
    stats = ImportStats()
    size = path.stat().st_size
    report = report_path or path.with_name(path.name + ".rejected.csv")
    writer: _PostgresWriter | _SqliteWriter
    writer = _PostgresWriter() if connection.vendor == "postgresql" else _SqliteWriter()
    started = time.monotonic()
    pool = None
    with path.open("rb") as raw, report.open("w", encoding="utf-8", newline="") as rep:
        report_csv = csv.writer(rep)
        report_csv.writerow(["行号", "原因", "姓名/名称", "证件号码（已隐去）", "案号"])
        counter = _Counter(raw)

        def counted() -> Iterator[tuple[int, dict[str, Any] | None, str]]:
            for item in read_rows(counter, fmt):
                stats.read += 1
                yield item

        batches = _raw_batches(counted(), batch_size)
        results: Iterator[tuple[list[int], list[tuple[Any, ...]], list[Rejected]]]
        if workers > 1:
            import multiprocessing

            _WORKER_CTX = ctx
            pool = multiprocessing.get_context("fork").Pool(workers)
            active = pool

            def windowed() -> Iterator[tuple[list[int], list[tuple[Any, ...]], list[Rejected]]]:
                # A bounded window of batches in flight keeps memory flat on files of any size.
                while True:
                    chunk = list(itertools.islice(batches, workers * 2))
                    if not chunk:
                        return
                    yield from active.imap(_validate_batch, chunk)

            results = windowed()
        else:
            results = (_validate_batch(b, ctx) for b in batches)
        try:
            for lines, rows, bad in results:
                for rejected in bad:
                    stats.rejected += 1
                    stats.reasons[rejected[1]] = stats.reasons.get(rejected[1], 0) + 1
                    report_csv.writerow(rejected)
                if not rows:
                    continue
                write_started = time.monotonic()
                try:
                    with transaction.atomic():
                        inserted = writer.write(rows)
                except Exception as exc:  # the whole batch is rolled back and reported, the import goes on
                    stats.failed_batches += 1
                    stats.rejected += len(rows)
                    reason = f"批次写入失败，整批未导入：{type(exc).__name__}"
                    stats.reasons[reason] = stats.reasons.get(reason, 0) + len(rows)
                    for line in lines:
                        report_csv.writerow([line, reason, "", "", ""])
                else:
                    stats.inserted += inserted
                    stats.duplicates += len(rows) - inserted
                finally:
                    stats.write_seconds += time.monotonic() - write_started
                if progress:
                    progress(counter.bytes, size, stats)
        finally:
            if pool is not None:
                pool.terminate()
                _WORKER_CTX = None
    stats.seconds = time.monotonic() - started
    stats.report = str(report)
    audit_record(
        action="publicinfo.import",
        actor=actor,
        object_type="publicinfo.publishedrecord",
        details={
            "file": path.name,
            "list": kind,
            "read": stats.read,
            "inserted": stats.inserted,
            "duplicates": stats.duplicates,
            "rejected": stats.rejected,
        },
    )
    return stats


def write_csv_header(out: io.TextIOBase | IO[str]) -> None:
    out.write(",".join(FIELDS) + "\n")
