"""Bulk import of published records from CSV or JSON Lines (``manage.py import_public_records``).

Streaming (constant memory), idempotent (natural key: list, case number, identity while published),
all-or-nothing per batch, with a report of rejected rows. On PostgreSQL each batch is COPYed into a
temporary (unlogged) staging table and moved with one INSERT … SELECT … ON CONFLICT DO NOTHING; on SQLite it
is an executemany of INSERT OR IGNORE. Full identity numbers are validated (check digits), masked and
blind-indexed here and never written anywhere in clear — the rejected-rows report shows them masked too.

The file is cut into batches of raw lines by the reading process (at record boundaries: an even number of
quote characters so far, so quoted line breaks stay inside their record); parsing, validation and — on
PostgreSQL with ``workers`` > 1 — the COPY and INSERT of a batch happen in a worker process with its own
database connection, so validation and the database's index maintenance run on every core. The per-row
validation avoids model instances and repeated work: precompiled patterns, cached region, birth-date,
province and court look-ups, a one-shot keyed HMAC for the blind index, and canonical text kept as it is.
"""

from __future__ import annotations

import csv
import hmac
import io
import itertools
import json
import re
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from operator import mul
from pathlib import Path
from typing import IO, Any

from django.db import connection, transaction
from django.utils import timezone

from zhixing.audit.services import audit_record
from zhixing.lib import crypto
from zhixing.lib.case_numbers import _PATTERN as _CASE_PATTERN
from zhixing.lib.case_numbers import CaseNumberError, parse_case_number
from zhixing.lib.ids import _RIC_CHECK, _RIC_WEIGHTS, IdentifierError, region_exists, validate_unit_code
from zhixing.lib.masking import mask_resident_id

from .models import ListKind, PublishedRecord
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

_RIC = re.compile(r"[0-9]{17}[0-9X]")
_RIC_WEIGHTS_T = tuple(_RIC_WEIGHTS)
_RIC_BIAS = 48 * sum(_RIC_WEIGHTS)  # the weighted sum of the ASCII codes of seventeen '0's
_MAX_AMOUNT = Decimal("99999999999999.99")
_AMOUNT = re.compile(r"(?:0|[1-9][0-9]{0,13})\.[0-9]{2}")
_CASE = _CASE_PATTERN  # the pattern of zhixing.lib.case_numbers, applied to stripped text


class RowError(ValueError):
    """A row that cannot be imported; ``str(err)`` is the Chinese reason for the report."""


@lru_cache(maxsize=8192)
def _region_ok(code: str) -> bool:
    return region_exists(code)


@lru_cache(maxsize=65536)
def _birth_of(ymd: str) -> date:
    try:
        return date(int(ymd[:4]), int(ymd[4:6]), int(ymd[6:8]))
    except ValueError as exc:
        raise IdentifierError("身份证号码中的出生日期无效。") from exc


def resident_id_fast(number: str, today: date) -> tuple[str, date]:
    """The checks of ``zhixing.lib.ids.validate_resident_id`` (format, check digit, birth date, region) at
    import speed: one C-level weighted sum, cached birth dates and regions. ASCII digits only.
    Returns the number and birth date or raises IdentifierError."""
    if len(number) != 18 or not _RIC.fullmatch(number):
        raise IdentifierError("身份证号码应为18位，前17位为数字，最后一位为数字或X。")
    total = sum(map(mul, number[:17].encode(), _RIC_WEIGHTS_T)) - _RIC_BIAS
    if _RIC_CHECK[total % 11] != number[17]:
        raise IdentifierError("身份证号码校验位不正确，请核对后重新输入。")
    birth = _birth_of(number[6:14])
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
    """``crypto.blind_index`` (same output) with the key derived once and a one-shot HMAC per value."""

    def __init__(self) -> None:
        _, self._key = crypto._keys(crypto._master())

    def __call__(self, value: str) -> str:
        return hmac.digest(self._key, value.encode(), "sha256").hex()


def _date(value: Any, label: str) -> str | None:
    """An ISO date (YYYY-MM-DD) as text, or None; canonical input is kept as it is."""
    if value is None:
        return None
    text = (value if isinstance(value, str) else str(value)).strip()[:10]
    if not text:
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError as exc:
        raise RowError(f"{label}格式不正确，应为 YYYY-MM-DD。") from exc
    return text if len(text) == 10 and text[4] == "-" else day.isoformat()


def _amount(value: Any, label: str) -> str | None:
    """An amount in 元 with two decimals as text, or None."""
    if value is None:
        return None
    text = (value if isinstance(value, str) else str(value)).strip()
    if not text:
        return None
    if _AMOUNT.fullmatch(text):
        return text
    text = text.replace(",", "")
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:
        raise RowError(f"{label}格式不正确。") from exc
    if not amount.is_finite() or amount < 0 or amount > _MAX_AMOUNT:
        raise RowError(f"{label}超出范围。")
    return f"{amount.quantize(Decimal('0.01')):f}"


def _text(row: dict[str, Any], key: str, limit: int) -> str:
    value = row.get(key)
    if value is None:
        return ""
    text = (value if isinstance(value, str) else str(value)).strip()
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
    today_iso: str = ""
    provinces: dict[str, str] = field(default_factory=dict)  # raw province text → code ('' = invalid)
    court_provinces: dict[str, str] = field(default_factory=dict)  # 法院代字 → province code
    grounds: dict[str, str] = field(default_factory=dict)  # raw 失信情形 text → canonical '1,4'

    def __post_init__(self) -> None:
        self.today_iso = self.today.isoformat()


_EMPTY: dict[str, Any] = {}


def validate_row(row: dict[str, Any], ctx: Context) -> tuple[Any, ...]:
    """One input row → the tuple of COLUMNS, or RowError with the reason.

    Dates and amounts come back as canonical text (YYYY-MM-DD, 123.45), which both databases take as they
    are; the publication time as a datetime."""
    get = row.get
    raw_name = get("name")
    name = " ".join((raw_name if isinstance(raw_name, str) else str(raw_name or "")).split())
    if len(name) < 2:
        raise RowError("被执行人姓名或名称至少2个字。")
    if len(name) > 100:
        raise RowError("被执行人姓名或名称过长。")
    raw_id = get("id_number")
    raw_id = (raw_id if isinstance(raw_id, str) else str(raw_id or "")).strip().upper()
    if not raw_id.isascii():
        raw_id = unicodedata.normalize("NFKC", raw_id).upper()
    if not raw_id:
        raise RowError("缺少身份证号码或统一社会信用代码。")
    gender = _text(row, "gender", 2)
    age: int | None = None
    today = ctx.today
    person = len(raw_id) == 18 and raw_id[:17].isdigit()
    if person:
        try:
            number, birth = resident_id_fast(raw_id, today)
        except IdentifierError as exc:
            # A credit code whose first 17 characters are digits looks like an ID number.
            try:
                credit_code_fast(raw_id)
                person = False
            except IdentifierError:
                raise RowError(str(exc)) from exc
    if person:
        years = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
        if years < 18:
            raise RowError("未成年人不得公布（《若干规定》第四条）。")
        subject = "natural"
        masked = f"{number[:6]}********{number[14:]}"  # zhixing.lib.masking.mask_resident_id
        age = years
        gender = gender or ("男" if (ord(number[16]) - 48) % 2 else "女")
        legal_rep = ""
    else:
        try:
            number = credit_code_fast(raw_id) if len(raw_id) == 18 else validate_unit_code(raw_id)
        except IdentifierError as exc:
            raise RowError(str(exc)) from exc
        subject = "unit"
        masked = number
        gender = ""
        legal_rep = _text(row, "legal_representative", 50)
    raw_case = get("case_number")
    case_number = (raw_case if isinstance(raw_case, str) else str(raw_case or "")).strip()
    match = _CASE.match(case_number)
    if match is not None:
        year = int(match["year"])
        if not 1990 <= year <= today.year + 1:
            raise RowError(f"案号中的年度 {year} 不在有效范围内。")
        court_code = match["court"]
        if case_number[0] != "（" or case_number[5] != "）":
            case_number = f"（{year}）{court_code}{match['type']}{int(match['seq'])}号"
    else:
        try:
            parsed = parse_case_number(case_number)
        except CaseNumberError as exc:
            raise RowError(str(exc)) from exc
        case_number = str(parsed)
        court_code = parsed.court_code
    court_name = _text(row, "court_name", 100)
    if not court_name:
        raise RowError("缺少执行法院。")
    province_raw = _text(row, "province", 20)
    if province_raw:
        province_code = ctx.provinces.get(province_raw)
        if province_code is None:
            province_code = ctx.provinces[province_raw] = normalise_province(province_raw)
        if not province_code:
            raise RowError("省份不正确。")
    else:
        province_code = ctx.court_provinces.get(court_code, "")
        if not province_code:
            province_code = ctx.court_provinces[court_code] = province_code_of(court_code=court_code)
        if not province_code:
            raise RowError("无法确定省份，请填写省份。")
    grounds = ""
    term_until = _date(get("term_until"), "纳入期限")
    if ctx.kind == "dishonest":
        raw_grounds = get("grounds")
        cached = ctx.grounds.get(raw_grounds) if isinstance(raw_grounds, str) else None
        if cached is None:
            cached = ",".join(str(c) for c in parse_grounds(raw_grounds))
            if isinstance(raw_grounds, str):
                ctx.grounds[raw_grounds] = cached
        if not cached:
            raise RowError("失信信息须写明失信情形（1–6）。")
        grounds = cached
        if term_until is not None and term_until < ctx.today_iso:
            raise RowError("纳入期限已届满，不应公布。")
    published_raw = get("published_at")
    published_at = ctx.now
    if published_raw and not isinstance(published_raw, str):
        published_raw = str(published_raw)
    if published_raw and (published_raw := published_raw.strip()):
        try:
            parsed_at = datetime.fromisoformat(published_raw)
        except ValueError as exc:
            raise RowError("发布时间格式不正确。") from exc
        published_at = parsed_at if timezone.is_aware(parsed_at) else timezone.make_aware(parsed_at)
    return (
        ctx.kind,
        "published",
        "import",
        subject,
        name,
        masked,
        ctx.index(number),
        gender,
        age,
        legal_rep,
        ctx.courts.get(court_code),
        court_name,
        court_code,
        PROVINCES[province_code][0],
        province_code,
        case_number,
        _date(get("filed_on"), "立案时间"),
        _text(row, "basis_number", 60),
        _text(row, "basis_issuer", 100),
        _text(row, "duty", 2000),
        _text(row, "performance", 40),
        grounds,
        _text(row, "conduct", 2000),
        _amount(get("amount"), "执行标的"),
        _amount(get("unpaid"), "未履行金额"),
        _date(get("closed_on"), "终本日期"),
        published_at,
        term_until,
        "",
    )


# --- reading -----------------------------------------------------------------------------------------------------

REQUIRED_CSV_COLUMNS = {"name", "id_number", "case_number", "court_name"}


@dataclass
class Chunk:
    """Raw input lines of one batch: ``first_line`` is the line number of its first line in the file."""

    first_line: int
    data: bytes
    end_offset: int  # bytes of the file read up to the end of this chunk (for progress)


def read_chunks(raw: IO[bytes], fmt: str, size: int) -> tuple[list[str], Iterator[Chunk]]:
    """The CSV header (empty for JSON Lines) and the file cut into chunks of about ``size`` records.

    A CSV chunk ends only where the number of quote characters read so far is even, i.e. outside a quoted
    field, so a record with a quoted line break is never split."""
    header: list[str] = []
    offset = 0
    line_no = 1
    if fmt == "csv":
        first = raw.readline()
        offset = len(first)
        text = first.decode("utf-8-sig")
        header = next(csv.reader([text]), [])
        header = [h.strip() for h in header]
        missing = REQUIRED_CSV_COLUMNS - set(header)
        if missing:
            raise ValueError("CSV 缺少必需的列：" + "、".join(sorted(missing)))
        line_no = 2

    def chunks() -> Iterator[Chunk]:
        nonlocal offset, line_no
        bom_pending = fmt != "csv"
        while True:
            lines = list(itertools.islice(raw, size))
            if not lines:
                return
            if fmt == "csv":
                quotes = sum(line.count(b'"') for line in lines)
                while quotes % 2:  # inside a quoted field: read on to the end of the record
                    more = raw.readline()
                    if not more:
                        break
                    lines.append(more)
                    quotes += more.count(b'"')
            data = b"".join(lines)
            if bom_pending:
                bom_pending = False
                if data.startswith(b"\xef\xbb\xbf"):
                    data = data[3:]
            offset += sum(len(line) for line in lines)
            chunk = Chunk(first_line=line_no, data=data, end_offset=offset)
            line_no += len(lines)
            yield chunk

    return header, chunks()


def parse_chunk(
    chunk: Chunk, fmt: str, header: list[str]
) -> Iterator[tuple[int, dict[str, Any] | None, str]]:
    """(line number, row or None, error) for every record of a chunk."""
    text = chunk.data.decode("utf-8", errors="replace")
    if fmt == "csv":
        reader = csv.reader(io.StringIO(text, newline=""))
        base = chunk.first_line - 1
        for values in reader:
            if not values:
                continue
            yield base + reader.line_num, dict(zip(header, values, strict=False)), ""
    else:
        # split on line feeds only: str.splitlines would also cut at U+2028 and the like inside JSON strings
        for number, line in enumerate(text.split("\n"), start=chunk.first_line):
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


def read_rows(raw: IO[bytes], fmt: str) -> Iterator[tuple[int, dict[str, Any] | None, str]]:
    """(line number, row or None, error) for every input record of a whole file."""
    header, chunks = read_chunks(raw, fmt, 10_000)
    for chunk in chunks:
        yield from parse_chunk(chunk, fmt, header)


# --- writing -----------------------------------------------------------------------------------------------------


def _is_deadlock(exc: BaseException) -> bool:
    cause = exc.__cause__ or exc
    return type(cause).__name__ in ("DeadlockDetected", "SerializationFailure")


class _PostgresWriter:
    """COPY (text format, psycopg's C row formatter) into a temporary staging table — temporary tables are
    never WAL-logged — then one INSERT … SELECT … ON CONFLICT DO NOTHING into the published table."""

    def __init__(self) -> None:
        self.table = PublishedRecord._meta.db_table
        cols = ", ".join(COLUMNS)
        with connection.cursor() as cur:
            cur.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS publicinfo_stage ON COMMIT DELETE ROWS AS "  # noqa: S608
                f"SELECT {cols} FROM {self.table} WITH NO DATA"
            )
            # Less WAL for the full-page images a large import writes into the indexes (this session only,
            # nothing else changes; skipped where the server does not allow it).
            for method in ("lz4", "on"):
                try:
                    with transaction.atomic():
                        cur.execute(f"SET wal_compression = {method}")
                    break
                except Exception:  # noqa: S112 - an optimisation only
                    continue
        self.copy_sql = f"COPY publicinfo_stage ({cols}) FROM STDIN"
        self.insert_sql = (
            f"INSERT INTO {self.table} ({cols}) SELECT {cols} FROM publicinfo_stage ON CONFLICT DO NOTHING"  # noqa: S608
        )

    def write(self, rows: list[tuple[Any, ...]]) -> int:
        with connection.cursor() as cur:
            raw = cur.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(self.copy_sql) as copy:
                write_row = copy.write_row
                for row in rows:
                    write_row(row)
            cur.execute(self.insert_sql)
            return max(cur.rowcount, 0)


class _SqliteWriter:
    def __init__(self) -> None:
        table = PublishedRecord._meta.db_table
        marks = ", ".join("?" for _ in COLUMNS)
        # Table and column names are constants of this module, never input.
        self.sql = f"INSERT OR IGNORE INTO {table} ({', '.join(COLUMNS)}) VALUES ({marks})"  # noqa: S608
        self._stamps: dict[datetime, str] = {}

    def _stamp(self, value: datetime) -> str:
        text = self._stamps.get(value)
        if text is None:
            text = self._stamps[value] = str(connection.ops.adapt_datetimefield_value(value))
        return text

    def write(self, rows: list[tuple[Any, ...]]) -> int:
        at = COLUMNS.index("published_at")
        stamp = self._stamp
        ops = connection.ops
        prepared = []
        for row in rows:
            if any(isinstance(v, (date, Decimal)) and not isinstance(v, datetime) for v in row):
                # rows built elsewhere (demo data) may carry date or Decimal objects
                row = tuple(
                    ops.adapt_datefield_value(v)
                    if isinstance(v, date) and not isinstance(v, datetime)
                    else ops.adapt_decimalfield_value(v, 16, 2)
                    if isinstance(v, Decimal)
                    else v
                    for v in row
                )
            value = row[at]
            prepared.append((*row[:at], stamp(value), *row[at + 1 :]) if isinstance(value, datetime) else row)
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
    write_seconds: float = 0.0  # time inside the database writes (COPY + INSERT, or executemany), all workers
    validate_seconds: float = 0.0  # CPU time of parsing and validation, all workers
    workers: int = 1
    report: str = ""
    reasons: dict[str, int] = field(default_factory=dict)

    @property
    def rows_per_second(self) -> float:
        return self.read / self.seconds if self.seconds else 0.0


def _masked(raw: dict[str, Any] | None) -> str:
    value = str((raw or {}).get("id_number") or "").strip().upper()
    return mask_resident_id(value) if len(value) == 18 and value[:17].isdigit() else value[:20]


Rejected = tuple[int, str, str, str, str]  # line, reason, name, masked id, case number


@dataclass
class BatchResult:
    read: int = 0
    lines: list[int] = field(default_factory=list)  # line numbers of the valid rows (for a failed batch)
    rows: list[tuple[Any, ...]] = field(default_factory=list)  # valid rows, when the caller writes them
    bad: list[Rejected] = field(default_factory=list)
    written: bool = False
    inserted: int = 0
    failed: str = ""  # the reason when the whole batch was rolled back
    validate_seconds: float = 0.0
    write_seconds: float = 0.0


def _validate(
    items: Iterator[tuple[int, dict[str, Any] | None, str]], ctx: Context, result: BatchResult
) -> None:
    lines, rows, bad = result.lines, result.rows, result.bad
    for line, row, error in items:
        result.read += 1
        if row is not None and not error:
            try:
                rows.append(validate_row(row, ctx))
                lines.append(line)
                continue
            except RowError as exc:
                error = str(exc)
        data = row or _EMPTY
        bad.append(
            (
                line,
                error,
                str(data.get("name") or "")[:100],
                _masked(data),
                str(data.get("case_number") or "")[:40],
            )
        )


_WRITER: _PostgresWriter | _SqliteWriter | None = None


def _writer() -> _PostgresWriter | _SqliteWriter:
    """The writer of this process for the current import (made anew by every import: a staging table
    created inside a transaction that was rolled back is gone)."""
    global _WRITER
    if _WRITER is None:
        _WRITER = _PostgresWriter() if connection.vendor == "postgresql" else _SqliteWriter()
    return _WRITER


def _write(result: BatchResult) -> None:
    """Write the valid rows of a batch in one transaction; on failure nothing of the batch stays."""
    started = time.monotonic()
    try:
        for attempt in range(3):
            try:
                with transaction.atomic():
                    result.inserted = _writer().write(result.rows)
                break
            except Exception as exc:
                # Two concurrent batches holding the same natural keys may deadlock: one gives way, retries.
                if attempt < 2 and _is_deadlock(exc):
                    time.sleep(0.05 * (attempt + 1))
                    continue
                raise
    except Exception as exc:  # the whole batch is rolled back and reported, the import goes on
        result.failed = f"批次写入失败，整批未导入：{type(exc).__name__}"
        result.inserted = 0
    finally:
        result.written = True
        result.write_seconds = time.monotonic() - started
        result.rows = []


_JOB: tuple[str, list[str], Context, bool] | None = None  # fmt, header, context, write in the worker


def _process(chunk: Chunk) -> BatchResult:
    """Parse and validate one chunk; write it too when this process owns a connection for it."""
    assert _JOB is not None
    fmt, header, ctx, write = _JOB
    result = BatchResult()
    started = time.process_time()
    _validate(parse_chunk(chunk, fmt, header), ctx, result)
    result.validate_seconds = time.process_time() - started
    if write and result.rows:
        _write(result)
    return result


_INHERITED: list[Any] = []


def _worker_init() -> None:
    # The forked child must not use the parent's database connection: drop Django's reference but keep the
    # object alive (finalising it would end the parent's session; workers leave through os._exit or
    # SIGTERM, which run no finalisers). A worker that writes opens its own connection on first use.
    from django.db import connections

    global _WRITER
    _WRITER = None
    for conn in connections.all(initialized_only=True):
        _INHERITED.append(conn.connection)
        conn.connection = None
        conn.closed_in_transaction = False
        conn.run_on_commit = []
        conn.in_atomic_block = False
        conn.savepoint_ids = []
        conn.needs_rollback = False


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

    With ``workers`` > 1, batches are parsed and validated in that many forked processes; on PostgreSQL,
    outside a surrounding transaction, each worker also writes its batches through its own connection
    (each batch still one transaction). Otherwise this process writes the batches, in file order.
    When a file holds the same natural key twice, the first occurrence wins — with parallel writers the
    first batch to commit.
    """
    global _JOB, _WRITER
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
    stats = ImportStats(workers=max(1, workers))
    size = path.stat().st_size
    report = report_path or path.with_name(path.name + ".rejected.csv")
    parallel_writes = workers > 1 and connection.vendor == "postgresql" and not connection.in_atomic_block
    started = time.monotonic()
    pool = None
    _WRITER = None
    with path.open("rb") as raw, report.open("w", encoding="utf-8", newline="") as rep:
        report_csv = csv.writer(rep)
        report_csv.writerow(["行号", "原因", "姓名/名称", "证件号码（已隐去）", "案号"])
        header, chunks = read_chunks(raw, fmt, batch_size)
        _JOB = (fmt, header, ctx, parallel_writes or workers <= 1)
        results: Iterator[tuple[Chunk, BatchResult]]
        if workers > 1:
            import multiprocessing

            if parallel_writes:
                connection.close()  # the workers open their own; this process reconnects for the audit
            pool = multiprocessing.get_context("fork").Pool(workers, initializer=_worker_init)
            active = pool

            def windowed() -> Iterator[tuple[Chunk, BatchResult]]:
                # A bounded window of batches in flight keeps memory flat on files of any size.
                while True:
                    window = list(itertools.islice(chunks, workers * 2))
                    if not window:
                        return
                    yield from zip(window, active.imap(_process, window), strict=True)

            results = windowed()
        else:
            results = ((c, _process(c)) for c in chunks)
        try:
            for chunk, result in results:
                stats.read += result.read
                stats.validate_seconds += result.validate_seconds
                for rejected in result.bad:
                    stats.rejected += 1
                    stats.reasons[rejected[1]] = stats.reasons.get(rejected[1], 0) + 1
                    report_csv.writerow(rejected)
                if result.rows and not result.written:
                    _write(result)
                stats.write_seconds += result.write_seconds
                if result.failed:
                    stats.failed_batches += 1
                    stats.rejected += len(result.lines)
                    stats.reasons[result.failed] = stats.reasons.get(result.failed, 0) + len(result.lines)
                    for line in result.lines:
                        report_csv.writerow([line, result.failed, "", "", ""])
                elif result.lines:
                    stats.inserted += result.inserted
                    stats.duplicates += len(result.lines) - result.inserted
                if progress:
                    progress(chunk.end_offset, size, stats)
        finally:
            if pool is not None:
                pool.terminate()
                pool.join()
            _JOB = None
            _WRITER = None
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


# --- initial bulk loads -------------------------------------------------------------------------------------------


@contextmanager
def secondary_indexes_deferred() -> Iterator[list[str]]:
    """For an initial load of millions of rows: drop the published table's non-unique indexes, and build
    them again (one sort each, much cheaper than maintaining them row by row) when the block ends, also
    after an error. The unique identity key stays in place throughout, so imports remain idempotent and
    no duplicate can get in; only queries are slower until the indexes are back. Yields the index names."""
    indexes = [i for i in PublishedRecord._meta.indexes if i.name]
    # An editor used without entering it: plain DROP/CREATE INDEX statements, which both databases can run
    # inside a transaction (the SQLite editor's context refuses to open inside one).
    editor = connection.SchemaEditorClass(connection, atomic=False)
    for index in indexes:
        editor.execute(f"DROP INDEX IF EXISTS {editor.quote_name(str(index.name))}")
    try:
        yield [str(i.name) for i in indexes]
    finally:
        if connection.vendor == "postgresql":
            editor.execute("SET maintenance_work_mem = '512MB'")
        for index in indexes:
            editor.execute(index.create_sql(PublishedRecord, editor))
