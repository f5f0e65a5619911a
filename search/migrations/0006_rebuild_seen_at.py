from django.db import migrations


class Migration(migrations.Migration):
    """The rebuild's start time becomes its last sign of life (a lease renewed per batch)."""

    dependencies = [("search", "0005_elasticsearch_outbox")]

    operations = [
        migrations.RenameField(
            model_name="elasticsearchstate",
            old_name="rebuild_started_at",
            new_name="rebuild_seen_at",
        ),
    ]
