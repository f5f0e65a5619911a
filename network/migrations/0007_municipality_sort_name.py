from django.db import migrations, models


def fill_sort_names(apps, schema_editor):
    from network.collation import danish_key

    Municipality = apps.get_model("network", "Municipality")
    for municipality in Municipality.objects.all():
        municipality.sort_name = danish_key(municipality.name)
        municipality.save(update_fields=["sort_name"])


class Migration(migrations.Migration):
    dependencies = [("network", "0006_document_file_hashes")]

    operations = [
        migrations.AddField(
            model_name="municipality",
            name="sort_name",
            field=models.CharField(default="", editable=False, max_length=120),
        ),
        migrations.AlterModelOptions(
            name="municipality",
            options={
                "ordering": ["sort_name", "name"],
                "verbose_name": "kommune",
                "verbose_name_plural": "kommuner",
            },
        ),
        migrations.RunPython(fill_sort_names, migrations.RunPython.noop),
    ]
