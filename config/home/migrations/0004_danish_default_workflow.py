"""Wagtail creates a default workflow named after its group, "Moderators approval",
which the editor's footer shows as "Send til Moderators approval". Renamed in Danish;
a workflow an editor has renamed is left alone."""

from django.db import migrations

OLD, NEW = "Moderators approval", "Godkendelse ved moderator"


def rename(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=OLD).update(name=NEW)
    apps.get_model("wagtailcore", "Task").objects.filter(name=OLD).update(name=NEW)


def back(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=NEW).update(name=OLD)
    apps.get_model("wagtailcore", "Task").objects.filter(name=NEW).update(name=OLD)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0003_info_page"),
        ("wagtailcore", "0048_add_default_workflows"),
    ]

    operations = [migrations.RunPython(rename, back)]
