"""Reads of the published lists: validated public queries shaped for the partial indexes.

Only published rows are ever returned to the public. There is no list-everything query: every query needs a
name of at least two characters (exact match, as on the national list) or a full identity number.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.models import QuerySet
from django.utils import timezone

from zhixing.lib import crypto
from zhixing.lib.ids import IdentifierError, validate_org_code, validate_resident_id, validate_unit_code

from .importer import resident_id_fast
from .models import (
    DISHONEST_SITUATIONS,
    CorrectionRequest,
    CorrectionStatus,
    ListKind,
    PublishedRecord,
    RecordStatus,
)
from .regions import normalise_province

MIN_NAME_LENGTH = 2
MAX_NAME_LENGTH = 100
_TOKEN_SALT = "zhixing.publicinfo.record"  # noqa: S105 - a signing namespace, not a secret

# The manual's own words for the five query types (seed 000 §3.4).
QUERY_TYPES: list[tuple[str, str, str]] = [
    (
        "comprehensive",
        "综合查询",
        "输入姓名（名称）和身份证号码（统一社会信用代码），查询其在各名单中的全部公开信息",
    ),
    (ListKind.DEBTOR, "被执行人查询", "查询未结执行案件的被执行人"),
    (ListKind.DISHONEST, "失信人查询", "查询失信被执行人名单信息"),
    (ListKind.RESTRICTED, "限制高消费人员查询", "查询被采取限制消费措施的人员和单位"),
    (ListKind.TERMINATED, "终本案件查询", "查询终结本次执行程序案件的执行标的和未履行金额"),
]
QUERY_LABELS = {key: label for key, label, _ in QUERY_TYPES}


def public_records() -> QuerySet[PublishedRecord]:
    return PublishedRecord.objects.filter(status=RecordStatus.PUBLISHED)


@lru_cache(maxsize=4)
def _token_key(secret: str) -> bytes:
    # django.utils.crypto.salted_hmac's key derivation for Signer(salt=_TOKEN_SALT) (algorithm sha256)
    return hashlib.sha256(f"{_TOKEN_SALT}signer{secret}".encode()).digest()


def token_for_pk(pk: int) -> str:
    """``signing.Signer(salt=_TOKEN_SALT).sign(str(pk))`` — the same token — with the key derived once and a
    one-shot HMAC (a list answer signs twenty of them)."""
    value = str(pk)
    digest = hmac.digest(_token_key(str(settings.SECRET_KEY)), value.encode(), "sha256")
    return f"{value}:{base64.urlsafe_b64encode(digest).rstrip(b'=').decode()}"


def record_token(record: PublishedRecord) -> str:
    """An unforgeable, stable reference to a record for detail links (ids cannot be enumerated)."""
    return token_for_pk(int(record.pk))


def record_by_token(token: str) -> PublishedRecord | None:
    try:
        value = signing.Signer(salt=_TOKEN_SALT).unsign(token)
    except signing.BadSignature:
        return None
    if not value.isdigit():
        return None
    return public_records().filter(pk=int(value)).first()


def clean_name(value: Any, *, required: bool = True) -> str:
    name = " ".join(str(value or "").split())
    if not name:
        if required:
            raise ValidationError({"name": ["请输入被执行人姓名或名称。"]})
        return ""
    if len(name) < MIN_NAME_LENGTH:
        raise ValidationError({"name": [f"姓名或名称至少需要{MIN_NAME_LENGTH}个字。"]})
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError({"name": ["姓名或名称过长。"]})
    if any(ch in name for ch in "%_*?\\"):
        raise ValidationError({"name": ["姓名或名称中不能含有通配符。"]})
    return name


def identity_index(value: Any, *, required: bool = False) -> str:
    """The blind index of a resident ID, credit code or organisation code after validating its check digit."""
    raw = str(value or "").strip().upper().replace(" ", "")
    if not raw:
        if required:
            raise ValidationError({"id_number": ["请输入身份证号码或统一社会信用代码。"]})
        return ""
    try:
        if len(raw) == 9:
            number = validate_org_code(raw)
        elif len(raw) == 18 and raw[:17].isdigit():
            try:
                # the same checks with cached region look-ups (ASCII digits; others take the reference path)
                number = (
                    resident_id_fast(raw, date.today())[0] if raw.isascii() else validate_resident_id(raw)
                )
            except IdentifierError:
                # An all-digit credit code looks like an ID number; accept it if its check digit holds.
                try:
                    number = validate_unit_code(raw)
                except IdentifierError:
                    validate_resident_id(
                        raw
                    )  # re-raise the resident-ID message, which is the likelier intent
                    raise
        else:
            number = validate_unit_code(raw)
    except IdentifierError as exc:
        raise ValidationError({"id_number": [str(exc)]}) from exc
    return crypto.blind_index(number)


@dataclass
class QueryResult:
    kind: str
    records: list[PublishedRecord]
    total: int  # capped at ``cap``
    page: int
    pages: int
    capped: bool = False
    lists: dict[str, list[PublishedRecord]] = field(default_factory=dict)


def comprehensive_params(*, name: Any, id_number: Any) -> tuple[str, str]:
    """Validate a 综合查询: (exact name, blind index of the identity), or ValidationError."""
    errors: dict[str, list[str]] = {}
    clean = ""
    idx = ""
    try:
        clean = clean_name(name)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        idx = identity_index(id_number, required=True)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return clean, idx


def comprehensive_query(*, name: Any, id_number: Any) -> QueryResult:
    """综合查询: name + ID number or credit code → every published record of that person or unit."""
    clean, idx = comprehensive_params(name=name, id_number=id_number)
    rows = list(public_records().filter(id_index=idx, name=clean).select_related(None).order_by("-id")[:200])
    lists: dict[str, list[PublishedRecord]] = {kind: [] for kind in ListKind.values}
    for row in rows:
        lists[row.kind].append(row)
    return QueryResult(kind="comprehensive", records=rows, total=len(rows), page=1, pages=1, lists=lists)


@dataclass(frozen=True)
class ListParams:
    """A validated list query: exact name, blind index of the identity (never the number), filters, page."""

    kind: str
    name: str
    id_index: str
    province_code: str
    court_name: str
    page: int

    def cache_key(self) -> str:
        """A cache key that holds neither the name nor the identity in clear."""
        text = f"{self.kind}|{self.name}|{self.id_index}|{self.province_code}|{self.court_name}|{self.page}"
        return "pubq:l:" + hashlib.sha256(text.encode()).hexdigest()


def list_params(
    *, kind: str, name: Any, id_number: Any = "", province: Any = "", court: Any = "", page: Any = 1
) -> ListParams:
    """Validate a list query (ValidationError with Chinese messages per field)."""
    if kind not in ListKind.values:
        raise ValidationError({"kind": ["查询类型不正确。"]})
    errors: dict[str, list[str]] = {}
    clean = ""
    idx = ""
    try:
        clean = clean_name(name)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        idx = identity_index(id_number)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    province_code = ""
    if str(province or "").strip():
        province_code = normalise_province(str(province))
        if not province_code:
            errors["province"] = ["省份不正确，请从列表中选择。"]
    court_name = " ".join(str(court or "").split())
    if len(court_name) > 100:
        errors["court"] = ["法院名称过长。"]
    try:
        page_no = int(str(page or 1))
    except ValueError:
        page_no = 0
    max_pages = settings.PUBLICINFO_MAX_PAGES
    if page_no < 1 or page_no > max_pages:
        errors["page"] = [f"页码应在1至{max_pages}之间；结果较多时请增加证件号码、省份或法院条件。"]
    if errors:
        raise ValidationError(errors)
    return ListParams(kind, clean, idx, province_code, court_name, page_no)


def list_query(
    *,
    kind: str,
    name: Any,
    id_number: Any = "",
    province: Any = "",
    court: Any = "",
    page: Any = 1,
) -> QueryResult:
    """One list by exact name, optionally narrowed by identity, province or court name; 20 per page."""
    params = list_params(kind=kind, name=name, id_number=id_number, province=province, court=court, page=page)
    kind, clean, idx, province_code, court_name, page_no = (
        params.kind,
        params.name,
        params.id_index,
        params.province_code,
        params.court_name,
        params.page,
    )
    size = settings.PUBLICINFO_PAGE_SIZE
    max_pages = settings.PUBLICINFO_MAX_PAGES
    qs = public_records().filter(kind=kind, name=clean)
    if idx:
        qs = qs.filter(id_index=idx)
    if province_code:
        qs = qs.filter(province_code=province_code)
    if court_name:
        qs = qs.filter(court_name=court_name)
    cap = size * max_pages
    offset = (page_no - 1) * size
    # One round trip for the usual case (an exact name with fewer hits than a page): fetch one row more
    # than the page; count only when there may be more. Counting is capped so a common name never makes
    # the database count millions of rows.
    rows = list(qs.order_by("-id")[offset : offset + size + 1])
    short = page_no == 1 and len(rows) <= size
    total = len(rows) if short else qs.order_by()[: cap + 1].count()
    rows = rows[:size]
    capped = total > cap
    total = min(total, cap)
    pages = max(1, -(-total // size))
    return QueryResult(kind=kind, records=rows, total=total, page=page_no, pages=pages, capped=capped)


# --- workbench ---------------------------------------------------------------------------------------------------


def corrections_for_staff(*, user: Any, status: str = "pending") -> QuerySet[CorrectionRequest]:
    """Correction requests about records of the courts the staff member works at."""
    from zhixing.courts.selectors import staff_courts

    qs = CorrectionRequest.objects.filter(court__in=staff_courts(user=user)).select_related("record", "court")
    if status in CorrectionStatus.values:
        qs = qs.filter(status=status)
    return qs.order_by("due_on", "id")


def correction_for_staff(*, user: Any, pk: int) -> CorrectionRequest | None:
    return corrections_for_staff(user=user, status="").filter(pk=pk).first()


def record_public(record: PublishedRecord) -> dict[str, Any]:
    """What the public may see of a record (art. 6 fields); the identity only masked (units: whole code)."""
    data: dict[str, Any] = {
        "token": record_token(record),
        "kind": record.kind,
        "kind_label": record.get_kind_display(),
        "subject_kind": record.subject_kind,
        "name": record.name,
        "id_number_masked": record.id_masked,
        "court": record.court_name,
        "province": record.province,
        "case_number": record.case_number,
        "filed_on": record.filed_on.isoformat() if record.filed_on else None,
        "basis_number": record.basis_number,
        "basis_issuer": record.basis_issuer,
        "published_at": timezone.localtime(record.published_at).date().isoformat()
        if record.published_at
        else None,
        "performance": record.performance,
    }
    if record.subject_kind == "natural":
        data.update(gender=record.gender, age=record.age)
    else:
        data.update(legal_representative=record.legal_representative)
    if record.kind == ListKind.DISHONEST:
        data.update(
            duty=record.duty,
            conduct=record.conduct,
            situations=record.situations,
            term_until=record.term_until.isoformat() if record.term_until else None,
        )
    if record.kind == ListKind.RESTRICTED:
        data.update(duty=record.duty)
    if record.kind in (ListKind.TERMINATED, ListKind.DEBTOR):
        data.update(amount=None if record.amount is None else f"{record.amount:.2f}")
    if record.kind == ListKind.TERMINATED:
        data.update(
            unpaid=None if record.unpaid is None else f"{record.unpaid:.2f}",
            closed_on=record.closed_on.isoformat() if record.closed_on else None,
        )
    return data


# --- lean public answers (API) -------------------------------------------------------------------------------------
# The API's list and 综合查询 answers are read as plain rows with one precomposed SQL statement per query shape
# (no model instances, no ORM compilation per request) and shaped exactly like ``record_public``.

_PUBLIC_COLUMNS = (
    "id",
    "kind",
    "subject_kind",
    "name",
    "id_masked",
    "court_name",
    "province",
    "case_number",
    "filed_on",
    "basis_number",
    "basis_issuer",
    "published_at",
    "performance",
    "gender",
    "age",
    "legal_representative",
    "duty",
    "conduct",
    "grounds",
    "term_until",
    "amount",
    "unpaid",
    "closed_on",
)
_KIND_LABELS = dict(ListKind.choices)


def _iso(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else value.isoformat()


def _local_day(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):  # SQLite without converters: naive UTC text
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return timezone.localtime(value).date().isoformat()
    return value.isoformat() if isinstance(value, date) else str(value)


def _money(value: Any) -> str | None:
    return None if value is None or value == "" else f"{value:.2f}"


def _situations(grounds: str) -> list[str]:
    out = []
    for code in (grounds or "").split(","):
        code = code.strip()
        if code.isdigit() and int(code) in DISHONEST_SITUATIONS:
            out.append(DISHONEST_SITUATIONS[int(code)])
    return out


def public_row(row: tuple[Any, ...]) -> dict[str, Any]:
    """``record_public`` for a row of ``_PUBLIC_COLUMNS`` (the same keys, values and order)."""
    (
        pk,
        kind,
        subject_kind,
        name,
        id_masked,
        court_name,
        province,
        case_number,
        filed_on,
        basis_number,
        basis_issuer,
        published_at,
        performance,
        gender,
        age,
        legal_representative,
        duty,
        conduct,
        grounds,
        term_until,
        amount,
        unpaid,
        closed_on,
    ) = row
    data: dict[str, Any] = {
        "token": token_for_pk(pk),
        "kind": kind,
        "kind_label": _KIND_LABELS.get(kind, kind),
        "subject_kind": subject_kind,
        "name": name,
        "id_number_masked": id_masked,
        "court": court_name,
        "province": province,
        "case_number": case_number,
        "filed_on": _iso(filed_on),
        "basis_number": basis_number,
        "basis_issuer": basis_issuer,
        "published_at": _local_day(published_at),
        "performance": performance,
    }
    if subject_kind == "natural":
        data["gender"] = gender
        data["age"] = age
    else:
        data["legal_representative"] = legal_representative
    if kind == ListKind.DISHONEST:
        data["duty"] = duty
        data["conduct"] = conduct
        data["situations"] = _situations(grounds)
        data["term_until"] = _iso(term_until)
    if kind == ListKind.RESTRICTED:
        data["duty"] = duty
    if kind in (ListKind.TERMINATED, ListKind.DEBTOR):
        data["amount"] = _money(amount)
    if kind == ListKind.TERMINATED:
        data["unpaid"] = _money(unpaid)
        data["closed_on"] = _iso(closed_on)
    return data


@lru_cache(maxsize=32)
def _select_sql(filters: tuple[str, ...], paged: bool) -> str:
    table = PublishedRecord._meta.db_table
    where = " AND ".join(["status = 'published'", *(f"{f} = %s" for f in filters)])
    # Column and table names are constants of this module; values are parameters.
    sql = f"SELECT {', '.join(_PUBLIC_COLUMNS)} FROM {table} WHERE {where} ORDER BY id DESC"  # noqa: S608
    return sql + (" LIMIT %s OFFSET %s" if paged else " LIMIT %s")


@lru_cache(maxsize=32)
def _count_sql(filters: tuple[str, ...]) -> str:
    table = PublishedRecord._meta.db_table
    where = " AND ".join(["status = 'published'", *(f"{f} = %s" for f in filters)])
    return f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {where} LIMIT %s) AS capped"  # noqa: S608


def _cursor() -> Any:
    return connections[router.db_for_read(PublishedRecord) or "default"].cursor()


def list_answer(params: ListParams) -> dict[str, Any]:
    """The API answer of a list query (as ``list_query`` + ``record_public``, in one or two statements)."""
    size = settings.PUBLICINFO_PAGE_SIZE
    cap = size * settings.PUBLICINFO_MAX_PAGES
    filters: list[str] = ["kind", "name"]
    values: list[Any] = [params.kind, params.name]
    for column, value in (
        ("id_index", params.id_index),
        ("province_code", params.province_code),
        ("court_name", params.court_name),
    ):
        if value:
            filters.append(column)
            values.append(value)
    key = tuple(filters)
    offset = (params.page - 1) * size
    with _cursor() as cur:
        cur.execute(_select_sql(key, True), [*values, size + 1, offset])
        rows = cur.fetchall()
        short = params.page == 1 and len(rows) <= size
        if short:
            total = len(rows)
        else:
            cur.execute(_count_sql(key), [*values, cap + 1])
            total = int(cur.fetchone()[0])
    capped = total > cap
    total = min(total, cap)
    return {
        "kind": params.kind,
        "total": total,
        "capped": capped,
        "page": params.page,
        "pages": max(1, -(-total // size)),
        "results": [public_row(r) for r in rows[:size]],
    }


def comprehensive_answer(name: str, id_index: str) -> dict[str, Any]:
    """The API answer of a 综合查询 (validated name and blind index; as ``comprehensive_query``)."""
    with _cursor() as cur:
        cur.execute(_select_sql(("id_index", "name"), False), [id_index, name, 200])
        rows = cur.fetchall()
    lists: dict[str, list[dict[str, Any]]] = {kind: [] for kind in ListKind.values}
    for row in rows:
        lists[row[1]].append(public_row(row))
    return {"total": len(rows), "lists": lists}
