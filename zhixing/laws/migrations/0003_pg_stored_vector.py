"""PostgreSQL: store the tsvector (generated column) instead of indexing an expression.

Phrase queries (``<->``) must re-check positions on every candidate row; with an expression index that
means recomputing to_tsvector per row (seconds for a two-character query over the full corpus). A stored
generated column keeps the same tokens (same matching as SQLite FTS5) and makes the re-check cheap.
Nothing changes on SQLite.
"""

from django.db import migrations

PG_FORWARD = [
    "DROP INDEX IF EXISTS laws_article_tsv",
    """ALTER TABLE laws_article ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        to_tsvector('simple'::regconfig, title_tokens || ' zzsepzz zzsepzz ' || tokens)
    ) STORED""",
    "CREATE INDEX laws_article_search_vector ON laws_article USING GIN (search_vector)",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS laws_article_search_vector",
    "ALTER TABLE laws_article DROP COLUMN IF EXISTS search_vector",
    """CREATE INDEX laws_article_tsv ON laws_article USING GIN (
        to_tsvector('simple'::regconfig, title_tokens || ' zzsepzz zzsepzz ' || tokens)
    )""",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in PG_FORWARD:
            schema_editor.execute(sql)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in PG_BACKWARD:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("laws", "0002_search_index")]

    operations = [migrations.RunPython(forward, backward)]
