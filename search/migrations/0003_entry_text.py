"""Split the long text of an entry into SearchEntryText and add the facet tokens
that searches count in one pass. Existing index rows are carried over."""

import django.db.models.deletion
from django.db import migrations, models


def carry_over(apps, schema_editor):
    SearchEntry = apps.get_model("search", "SearchEntry")
    SearchEntryText = apps.get_model("search", "SearchEntryText")
    SearchFacetValue = apps.get_model("search", "SearchFacetValue")
    tokens = {}
    for entry_id, facet, value in SearchFacetValue.objects.values_list(
        "entry_id", "facet", "value"
    ):
        tokens.setdefault(entry_id, []).append(f"{facet}={value}")
    texts = []
    for entry in SearchEntry.objects.only("id", "body", "extra", "words").iterator():
        texts.append(
            SearchEntryText(entry_id=entry.id, body=entry.body, extra=entry.extra, words=entry.words)
        )
        SearchEntry.objects.filter(pk=entry.pk).update(facets=" ".join(tokens.get(entry.id, [])))
    SearchEntryText.objects.bulk_create(texts, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]

    operations = [
        migrations.AddField(
            model_name="searchentry",
            name="facets",
            field=models.TextField(blank=True),
        ),
        migrations.CreateModel(
            name="SearchEntryText",
            fields=[
                (
                    "entry",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="text",
                        serialize=False,
                        to="search.searchentry",
                    ),
                ),
                ("body", models.TextField(blank=True)),
                ("extra", models.TextField(blank=True)),
                ("words", models.TextField(blank=True)),
            ],
        ),
        migrations.RunPython(carry_over, migrations.RunPython.noop),
        migrations.RemoveField(model_name="searchentry", name="body"),
        migrations.RemoveField(model_name="searchentry", name="extra"),
        migrations.RemoveField(model_name="searchentry", name="words"),
    ]
