"""Substring indexes for 案件查询 (see zhixing/workflow/search_index.py): pg_trgm GIN on PostgreSQL,
FTS5 trigram tables kept in sync by triggers on SQLite, and narrow (court, 案号) / (court, 立案日期) indexes."""

from django.db import migrations


def forward(apps, schema_editor):
    from zhixing.workflow import search_index

    search_index.ensure(schema_editor.connection)


def backward(apps, schema_editor):
    from zhixing.workflow import search_index

    search_index.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("workflow", "0004_queue_indexes"),
    ]

    operations = [migrations.RunPython(forward, backward)]
