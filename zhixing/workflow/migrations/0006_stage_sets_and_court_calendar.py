"""Per-court configuration: stages belong to a StageSet (one default set, optionally one per court), and
calendar overrides may belong to a court. The stages seeded by 0003 become the default set."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def default_set(apps, schema_editor):
    StageSet = apps.get_model("workflow", "StageSet")
    Stage = apps.get_model("workflow", "Stage")
    default, _ = StageSet.objects.get_or_create(
        is_default=True, defaults={"name": "默认阶段配置（执行分段集约办理平台操作手册）"}
    )
    Stage.objects.filter(stage_set__isnull=True).update(stage_set=default)


class Migration(migrations.Migration):

    dependencies = [
        ("courts", "0001_initial"),
        ("workflow", "0005_search_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="StageSet",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=60, verbose_name="配置名称")),
                ("is_default", models.BooleanField(default=False, editable=False, verbose_name="默认配置")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "court",
                    models.OneToOneField(
                        blank=True,
                        help_text="留空为默认配置：未设置本院配置的法院均使用默认配置",
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="stage_set",
                        to="courts.court",
                        verbose_name="法院",
                    ),
                ),
            ],
            options={
                "verbose_name": "阶段配置",
                "verbose_name_plural": "阶段配置",
                "ordering": ["-is_default", "id"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("is_default", True)), fields=("is_default",), name="stage_set_one_default"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("court__isnull", True), ("is_default", True)),
                            models.Q(("court__isnull", False), ("is_default", False)),
                            _connector="OR",
                        ),
                        name="stage_set_default_has_no_court",
                    ),
                ],
            },
        ),
        migrations.AddField(
            model_name="stage",
            name="stage_set",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="stages",
                to="workflow.stageset",
                verbose_name="阶段配置",
            ),
        ),
        migrations.RunPython(default_set, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="stage",
            name="stage_set",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="stages",
                to="workflow.stageset",
                verbose_name="阶段配置",
            ),
        ),
        migrations.AlterField(
            model_name="stage", name="code", field=models.SlugField(max_length=40, verbose_name="代码")
        ),
        migrations.AlterField(
            model_name="stage", name="name", field=models.CharField(max_length=40, verbose_name="阶段名称")
        ),
        migrations.AddConstraint(
            model_name="stage",
            constraint=models.UniqueConstraint(fields=("stage_set", "code"), name="stage_code_unique_in_set"),
        ),
        migrations.AddConstraint(
            model_name="stage",
            constraint=models.UniqueConstraint(fields=("stage_set", "name"), name="stage_name_unique_in_set"),
        ),
        migrations.AddField(
            model_name="calendaroverride",
            name="court",
            field=models.ForeignKey(
                blank=True,
                help_text="留空则适用于所有法院",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="courts.court",
                verbose_name="法院",
            ),
        ),
        migrations.AddField(
            model_name="calendaroverride",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="设置人",
            ),
        ),
        migrations.AlterField(model_name="calendaroverride", name="day", field=models.DateField(verbose_name="日期")),
        migrations.AddConstraint(
            model_name="calendaroverride",
            constraint=models.UniqueConstraint(fields=("court", "day"), name="calendar_override_court_day"),
        ),
        migrations.AddConstraint(
            model_name="calendaroverride",
            constraint=models.UniqueConstraint(
                condition=models.Q(("court__isnull", True)), fields=("day",), name="calendar_override_global_day"
            ),
        ),
        migrations.AlterField(
            model_name="routingrule",
            name="entry_stage",
            field=models.ForeignKey(
                blank=True,
                help_text="留空则从第一个阶段开始；按阶段代码对应到案件所在法院的阶段配置",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="workflow.stage",
                verbose_name="进入阶段",
            ),
        ),
    ]
