"""PostgreSQL: (id) INCLUDE (status, filed_on) on cases, so stage/deadline filters probe an index instead of
scanning the case table (see zhixing/workflow/search_index.py). No-op elsewhere (ensure is idempotent)."""

from django.db import migrations


def forward(apps, schema_editor):
    from zhixing.workflow import search_index

    search_index.ensure(schema_editor.connection)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS workflow_case_id_status_filed")


class Migration(migrations.Migration):
    dependencies = [("workflow", "0007_flow_court_stage_covering")]

    operations = [migrations.RunPython(forward, backward)]
