"""The vocabulary keeps each word's index term (analysis.term_of), so that the
documents holding a term can be counted per access token (search.feedback)."""

from django.db import migrations, models

BATCH = 2000


def fill(apps, schema_editor):
    from search import analysis

    SearchTerm = apps.get_model("search", "SearchTerm")
    rows = SearchTerm.objects.filter(term="").only("id", "word").order_by("id")
    batch = []
    for row in rows.iterator(chunk_size=BATCH):
        row.term = analysis.term_of(row.word)[:100]
        batch.append(row)
        if len(batch) >= BATCH:
            SearchTerm.objects.bulk_update(batch, ["term"])
            batch = []
    SearchTerm.objects.bulk_update(batch, ["term"])


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0012_index_state"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchterm",
            name="term",
            field=models.CharField(blank=True, default="", max_length=100),
        ),
        migrations.AddIndex(
            model_name="searchterm",
            index=models.Index(fields=["access", "term"], name="search_term_term"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
