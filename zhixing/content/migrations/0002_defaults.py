from django.db import migrations


def forwards(apps, schema_editor):
    from zhixing.content.defaults import load

    load(apps.get_model("content", "Channel"), apps.get_model("content", "GuideItem"), apps.get_model("content", "Hotline"))


class Migration(migrations.Migration):
    dependencies = [("content", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
