"""Full-text index over the pre-tokenized bigram columns, one per database vendor.

SQLite: an FTS5 external-content table (unicode61 over the space-joined tokens) kept in step by triggers.
PostgreSQL: a GIN index over to_tsvector('simple', …) of the same tokens (with a separator between the
title and the text so that a phrase never spans them — FTS5 columns behave the same way).
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE laws_article_fts USING fts5(
        title_tokens, tokens, content='laws_article', content_rowid='id', tokenize='unicode61'
    )""",
    """CREATE TRIGGER laws_article_ai AFTER INSERT ON laws_article BEGIN
        INSERT INTO laws_article_fts(rowid, title_tokens, tokens) VALUES (new.id, new.title_tokens, new.tokens);
    END""",
    """CREATE TRIGGER laws_article_ad AFTER DELETE ON laws_article BEGIN
        INSERT INTO laws_article_fts(laws_article_fts, rowid, title_tokens, tokens)
        VALUES ('delete', old.id, old.title_tokens, old.tokens);
    END""",
    """CREATE TRIGGER laws_article_au AFTER UPDATE ON laws_article BEGIN
        INSERT INTO laws_article_fts(laws_article_fts, rowid, title_tokens, tokens)
        VALUES ('delete', old.id, old.title_tokens, old.tokens);
        INSERT INTO laws_article_fts(rowid, title_tokens, tokens) VALUES (new.id, new.title_tokens, new.tokens);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS laws_article_au",
    "DROP TRIGGER IF EXISTS laws_article_ad",
    "DROP TRIGGER IF EXISTS laws_article_ai",
    "DROP TABLE IF EXISTS laws_article_fts",
]

PG_FORWARD = [
    """CREATE INDEX laws_article_tsv ON laws_article USING GIN (
        to_tsvector('simple'::regconfig, title_tokens || ' zzsepzz zzsepzz ' || tokens)
    )""",
]
PG_BACKWARD = ["DROP INDEX IF EXISTS laws_article_tsv"]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": PG_FORWARD}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_BACKWARD, "postgresql": PG_BACKWARD}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("laws", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
