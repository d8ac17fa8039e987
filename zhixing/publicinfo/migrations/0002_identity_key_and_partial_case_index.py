# The identity-first unique key replaces the natural key and the separate identity index (the new key is
# created before the old one is dropped); the workflow index skips imported rows (no case); no single-column
# indexes on the court and case references.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("courts", "0001_initial"),
        ("publicinfo", "0001_initial"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="publishedrecord",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status", "published")),
                fields=("id_index", "kind", "case_number"),
                name="pubrec_identity_key_pub",
            ),
        ),
        migrations.AddIndex(
            model_name="publishedrecord",
            index=models.Index(
                condition=models.Q(("case__isnull", False)),
                fields=["case", "kind", "status"],
                name="pubrec_case_list_wf",
            ),
        ),
        migrations.RemoveConstraint(
            model_name="publishedrecord",
            name="pubrec_natural_key_published",
        ),
        migrations.RemoveIndex(
            model_name="publishedrecord",
            name="pubrec_idx_pub",
        ),
        migrations.RemoveIndex(
            model_name="publishedrecord",
            name="pubrec_case_list",
        ),
        migrations.AlterField(
            model_name="publishedrecord",
            name="case",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="cases.enforcementcase",
                verbose_name="案件",
            ),
        ),
        migrations.AlterField(
            model_name="publishedrecord",
            name="court",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="courts.court",
                verbose_name="执行法院",
            ),
        ),
    ]
