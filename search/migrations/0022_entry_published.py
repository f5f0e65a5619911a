"""SearchEntry.published: the day a document became news, which *Nyeste* sorts by
(by its own date, coming events came first). Rows indexed before it take their date
until `manage.py search_index rebuild` reads each document's day again."""

from django.db import migrations, models
from django.db.models import F


def published_from_date(apps, schema_editor):
    apps.get_model("search", "SearchEntry").objects.update(published=F("date"))


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0021_synonym_group_plural"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="published",
            field=models.DateField(blank=True, null=True),
        ),
        migrations.RunPython(published_from_date, migrations.RunPython.noop),
    ]
