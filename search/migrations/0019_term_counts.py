"""Exact document counts per access token and index term (SQLite), filled from the
full-text table as it is: each entry's distinct terms in title, body, extra, compound
parts and metadata (the columns FTS5 scores)."""

from collections import Counter

from django.db import migrations, models


def fill(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    counts: Counter = Counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'search_fts'")
        if not cursor.fetchone():
            return
        cursor.execute(
            "SELECT e.access, f.title, f.body, f.extra, f.sub, f.meta FROM search_fts f "
            "JOIN search_searchentry e ON e.id = f.rowid"
        )
        for access, *texts in cursor.fetchall():
            for term in set(" ".join(text or "" for text in texts).split()):
                if len(term) <= 100:
                    counts[(access, term)] += 1
    TermCount = apps.get_model("search", "SearchTermCount")
    TermCount.objects.bulk_create(
        [TermCount(access=a, term=t, documents=n) for (a, t), n in counts.items()],
        batch_size=2000,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('search', '0018_field_synonyms_fifth_round'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchTermCount',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('access', models.CharField(max_length=80)),
                ('term', models.CharField(max_length=100)),
                ('documents', models.IntegerField(default=0)),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('access', 'term'), name='search_termcount_unique')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
