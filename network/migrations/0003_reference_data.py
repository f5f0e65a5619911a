from django.db import migrations


def load_reference_data(apps, schema_editor):
    from network import reference_data

    reference_data.load(
        apps.get_model("network", "Region"),
        apps.get_model("network", "Municipality"),
        apps.get_model("network", "WorkArea"),
        apps.get_model("network", "CompetenceProfile"),
    )


class Migration(migrations.Migration):
    dependencies = [("network", "0002_media")]

    operations = [migrations.RunPython(load_reference_data, migrations.RunPython.noop)]
