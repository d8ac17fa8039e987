# Party-made documents hold identity numbers and phones: store their content encrypted at rest.

from django.db import migrations

import zhixing.lib.fields


def encrypt_existing(apps, schema_editor):
    """Rows written as plain JSON are read by the new field and written back encrypted."""
    DocumentDraft = apps.get_model("interaction", "DocumentDraft")
    field = DocumentDraft._meta.get_field("data")
    for pk, raw in DocumentDraft.objects.values_list("pk", "data").iterator():
        if raw is None:
            continue
        value = field.to_python(raw) if isinstance(raw, str) else raw
        DocumentDraft.objects.filter(pk=pk).update(data=value)


class Migration(migrations.Migration):
    dependencies = [
        ("interaction", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="documentdraft",
            name="data",
            field=zhixing.lib.fields.EncryptedJSONField(default=dict, verbose_name="内容"),
        ),
        migrations.RunPython(encrypt_existing, migrations.RunPython.noop),
    ]
