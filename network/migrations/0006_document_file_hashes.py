"""Documents made in code (the import, the demo, projects' material) were saved with no
file hash, which Wagtail's document view sends as the ETag: `ETag: ""` for all of them.
SiteDocument.save() sets it from now on; this fills in the ones stored before. A file
that cannot be read is left as it is (it is served as 404 anyway)."""

from django.db import migrations


def fill_hashes(apps, schema_editor):
    from wagtail.utils.file import hash_filelike

    SiteDocument = apps.get_model("network", "SiteDocument")
    for document in SiteDocument.objects.filter(file_hash="").iterator():
        try:
            with document.file.open("rb") as f:
                document.file_hash = hash_filelike(f)
            document.file_size = document.file.size
        except (OSError, ValueError):
            continue
        document.save(update_fields=["file_hash", "file_size"])


class Migration(migrations.Migration):
    dependencies = [("network", "0005_form_once")]

    operations = [migrations.RunPython(fill_hashes, migrations.RunPython.noop)]
