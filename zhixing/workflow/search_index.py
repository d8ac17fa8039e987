"""Substring indexes for 案件查询 / 全院案件 (案号 fragments, party names), maintained by the database.

A ``LIKE '%x%'`` over 100,000 cases and 200,000 parties is a full scan on either database. So:

* PostgreSQL: ``pg_trgm`` GIN indexes on ``cases_enforcementcase.number`` and ``cases_party.name``. Django's
  ``__contains`` (``LIKE``) uses them directly for patterns of three or more characters.
* SQLite: FTS5 tables with the ``trigram`` tokenizer over the same columns (external content, so only the
  index is stored), kept in sync by triggers on the case and party tables. A pattern of three or more
  characters is looked up as an FTS phrase; the rows found are then filtered with the same ``LIKE`` as a
  plain scan, so the answer is exactly the plain scan's answer.

Patterns of one or two characters have no trigram, and a two-character name such as 张伟 is the most
common party search there is. Party names therefore also get their one- and two-character grams indexed:

* PostgreSQL: a GIN expression index on ``workflow_short_grams(name)`` (an immutable SQL function returning
  the distinct 1- and 2-character substrings), queried with ``@> ARRAY[text]``.
* SQLite: a ``WITHOUT ROWID`` table ``workflow_party_name_gram(gram, row_id, case_id)`` filled by the same
  triggers from a small numbers table (positions 1…256); grams are ``lower()``-ed because SQLite's ``LIKE``
  ignores ASCII case (and only ASCII case, like ``lower()``).

For one or two characters "has this gram" *is* "contains", so the gram lookup is the answer itself. Short 案号 fragments (one or two digits match
thousands of cases anyway) scan a narrow covering index on (court, 案号) instead of the case rows.

Everything here is created by migration ``0005`` and checked again after every ``migrate`` (``ensure``):
a later migration of the cases app may rebuild a table on SQLite, which drops its triggers; ``ensure``
recreates missing triggers and rebuilds the FTS tables so they never go stale.
"""

# ruff: noqa: S608 - every identifier in this SQL is a module constant; user text is only ever a parameter.
from __future__ import annotations

from typing import Any

# (fts table, content table, column)
SQLITE_INDEXES = [
    ("workflow_case_number_fts", "cases_enforcementcase", "number"),
    ("workflow_party_name_fts", "cases_party", "name"),
]

MIN_TRIGRAM = 3  # characters a pattern needs before a trigram index can answer it

SQLITE_NUMBERS = "workflow_positions"
SQLITE_PARTY_GRAMS = "workflow_party_name_gram"
NAME_MAX = 256  # positions indexed (cases_party.name has max_length 100)

_PARTY_GRAMS_OF = (
    "SELECT DISTINCT lower(substr({row}.name, p.n, k.n)), {row}.id, {row}.case_id FROM {source}"
    + SQLITE_NUMBERS
    + " p, "
    + SQLITE_NUMBERS
    + " k WHERE k.n <= 2 AND p.n + k.n - 1 <= length({row}.name)"
)


def _sqlite_party_gram_triggers() -> dict[str, str]:
    t = SQLITE_PARTY_GRAMS
    insert = (
        f"INSERT OR IGNORE INTO {t}(gram, row_id, case_id) "
        + _PARTY_GRAMS_OF.format(row="new", source="")
        + "; "
    )
    delete = f"DELETE FROM {t} WHERE row_id = old.id AND gram IN (SELECT lower(substr(old.name, p.n, k.n)) FROM {SQLITE_NUMBERS} p, {SQLITE_NUMBERS} k WHERE k.n <= 2 AND p.n + k.n - 1 <= length(old.name)); "
    return {
        f"{t}_ai": f"CREATE TRIGGER IF NOT EXISTS {t}_ai AFTER INSERT ON cases_party BEGIN {insert}END",
        f"{t}_ad": f"CREATE TRIGGER IF NOT EXISTS {t}_ad AFTER DELETE ON cases_party BEGIN {delete}END",
        f"{t}_au": (
            f"CREATE TRIGGER IF NOT EXISTS {t}_au AFTER UPDATE OF name, case_id ON cases_party BEGIN {delete}{insert}END"
        ),
    }


PG_GRAMS_FUNCTION = """
CREATE OR REPLACE FUNCTION workflow_short_grams(t text) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT coalesce(array_agg(DISTINCT substr(t, i, k)), '{}')
  FROM generate_series(1, char_length(t)) AS i, generate_series(1, 2) AS k
  WHERE i + k - 1 <= char_length(t)
$$
"""
PG_PARTY_GRAMS_INDEX = "workflow_party_name_grams"

# Stage / deadline filters join a few thousand flows to their cases for the case's status and 立案日期:
# with these in the index PostgreSQL probes it (index-only) instead of scanning the case table.
PG_CASE_COVER_INDEX = "workflow_case_id_status_filed"

PG_INDEXES = [
    ("workflow_case_number_trgm", "cases_enforcementcase", "number"),
    ("workflow_party_name_trgm", "cases_party", "name"),
]

# Narrow covering index so a short 案号 fragment scans (court, number) pairs, not whole case rows.
COMMON_INDEXES = [
    ("workflow_case_court_number", "cases_enforcementcase", "court_id, number"),
    ("workflow_case_court_filed", "cases_enforcementcase", "court_id, filed_on DESC, id DESC"),
    ("workflow_party_name_case", "cases_party", "name, case_id"),
]


def _sqlite_triggers(fts: str, table: str, column: str) -> dict[str, str]:
    return {
        f"{fts}_ai": (
            f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} BEGIN "
            f"INSERT INTO {fts}(rowid, {column}) VALUES (new.id, new.{column}); END"
        ),
        f"{fts}_ad": (
            f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.id, old.{column}); END"
        ),
        f"{fts}_au": (
            f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF {column} ON {table} BEGIN "
            f"INSERT INTO {fts}({fts}, rowid, {column}) VALUES ('delete', old.id, old.{column}); "
            f"INSERT INTO {fts}(rowid, {column}) VALUES (new.id, new.{column}); END"
        ),
    }


def ensure(connection: Any) -> list[str]:
    """Create whatever is missing (idempotent); returns the names created or rebuilt."""
    done: list[str] = []
    with connection.cursor() as cur:
        # Look first, create only what is missing: PostgreSQL refuses even CREATE INDEX IF NOT EXISTS on a
        # table with pending (deferred) trigger events inside a transaction.
        if connection.vendor == "sqlite":
            cur.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger', 'index')")
        elif connection.vendor == "postgresql":
            cur.execute(
                "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() "
                "UNION ALL SELECT extname FROM pg_extension "
                "UNION ALL SELECT proname FROM pg_proc WHERE proname = 'workflow_short_grams'"
            )
        existing = (
            {row[0] for row in cur.fetchall()} if connection.vendor in ("sqlite", "postgresql") else set()
        )
        for name, table, columns in COMMON_INDEXES:
            if name not in existing:
                cur.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})")
        if connection.vendor == "sqlite":
            for fts, table, column in SQLITE_INDEXES:
                stale = fts not in existing
                if stale:
                    cur.execute(
                        f"CREATE VIRTUAL TABLE {fts} USING fts5({column}, content='{table}', "
                        f"content_rowid='id', tokenize='trigram')"
                    )
                for trigger, sql in _sqlite_triggers(fts, table, column).items():
                    if trigger not in existing:
                        stale = True
                        cur.execute(sql)
                if stale:
                    cur.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
                    done.append(fts)
            stale = SQLITE_PARTY_GRAMS not in existing
            if SQLITE_NUMBERS not in existing:
                cur.execute(f"CREATE TABLE {SQLITE_NUMBERS} (n INTEGER PRIMARY KEY)")
                cur.executemany(
                    f"INSERT INTO {SQLITE_NUMBERS}(n) VALUES (%s)", [(i,) for i in range(1, NAME_MAX + 1)]
                )
            if stale:
                cur.execute(
                    f"CREATE TABLE {SQLITE_PARTY_GRAMS} (gram TEXT NOT NULL, row_id INTEGER NOT NULL, "
                    "case_id INTEGER NOT NULL, PRIMARY KEY (gram, row_id)) WITHOUT ROWID"
                )
            for trigger, sql in _sqlite_party_gram_triggers().items():
                if trigger not in existing:
                    stale = True
                    cur.execute(sql)
            if stale:
                cur.execute(f"DELETE FROM {SQLITE_PARTY_GRAMS}")
                cur.execute(
                    f"INSERT OR IGNORE INTO {SQLITE_PARTY_GRAMS}(gram, row_id, case_id) "
                    + _PARTY_GRAMS_OF.format(row="cases_party", source="cases_party, ")
                )
                done.append(SQLITE_PARTY_GRAMS)
        elif connection.vendor == "postgresql":
            if "pg_trgm" not in existing:
                cur.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            for name, table, column in PG_INDEXES:
                if name not in existing:
                    cur.execute(
                        f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
                    )
                    done.append(name)
            if "workflow_short_grams" not in existing:
                cur.execute(PG_GRAMS_FUNCTION)
            if PG_CASE_COVER_INDEX not in existing:
                cur.execute(
                    f"CREATE INDEX IF NOT EXISTS {PG_CASE_COVER_INDEX} ON cases_enforcementcase "
                    "(id) INCLUDE (status, filed_on)"
                )
                done.append(PG_CASE_COVER_INDEX)
            if PG_PARTY_GRAMS_INDEX not in existing:
                cur.execute(
                    f"CREATE INDEX IF NOT EXISTS {PG_PARTY_GRAMS_INDEX} ON cases_party "
                    "USING gin (workflow_short_grams(name))"
                )
                done.append(PG_PARTY_GRAMS_INDEX)
    return done


def drop(connection: Any) -> None:
    with connection.cursor() as cur:
        for name, _table, _columns in COMMON_INDEXES:
            cur.execute(f"DROP INDEX IF EXISTS {name}")
        if connection.vendor == "sqlite":
            for fts, table, column in SQLITE_INDEXES:
                for trigger in _sqlite_triggers(fts, table, column):
                    cur.execute(f"DROP TRIGGER IF EXISTS {trigger}")
                cur.execute(f"DROP TABLE IF EXISTS {fts}")
            for trigger in _sqlite_party_gram_triggers():
                cur.execute(f"DROP TRIGGER IF EXISTS {trigger}")
            cur.execute(f"DROP TABLE IF EXISTS {SQLITE_PARTY_GRAMS}")
            cur.execute(f"DROP TABLE IF EXISTS {SQLITE_NUMBERS}")
        elif connection.vendor == "postgresql":
            for name, _table, _column in [
                *PG_INDEXES,
                (PG_PARTY_GRAMS_INDEX, "", ""),
                (PG_CASE_COVER_INDEX, "", ""),
            ]:
                cur.execute(f"DROP INDEX IF EXISTS {name}")
            cur.execute("DROP FUNCTION IF EXISTS workflow_short_grams(text)")


def fts_phrase(text: str) -> str:
    """An FTS5 phrase matching ``text`` as a substring (trigram tokenizer): quotes doubled."""
    return '"' + text.replace('"', '""') + '"'


def short_party_case_ids_sql(vendor: str, *, collect: bool = False) -> str:
    """SQL selecting the case ids of parties whose name contains ``%s`` (one or two characters).

    ``collect`` (PostgreSQL): ``OFFSET 0`` keeps the subquery from being pulled up into the outer query,
    so its matches are gathered through the gram index first. Without it the planner may instead walk
    cases and evaluate ``workflow_short_grams(name)`` per party row, which it believes cheap but which
    costs ~20 µs a row — fine for one page, 250 ms for counting a surname's thousands of cases."""
    if vendor == "sqlite":
        return f"SELECT case_id FROM {SQLITE_PARTY_GRAMS} WHERE gram = lower(%s)"
    sql = "SELECT case_id FROM cases_party WHERE workflow_short_grams(name) @> ARRAY[%s]::text[]"
    return sql + " OFFSET 0" if collect else sql
