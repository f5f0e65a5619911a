"""Searches logged before the statistics left out what looks like personal data
(search.service.without_personal_data): the same replacement on the rows kept."""

import re

from django.db import migrations

# A copy, as the patterns were on 2026-12-05: a migration must not change with the code.
PERSONAL_DATA = (
    (re.compile(r"[^\s@]+@[^\s@]+"), "[e-mail]"),
    (re.compile(r"(?<!\d)\d{6}[- ]?\d{4}(?!\d)"), "[cpr-nummer]"),
    (
        re.compile(r"(?<![\d+])(?:\+|00)?(?:45[ -]?)?\d{2}(?:[ -]?\d{2}){3}(?!\d)"),
        "[telefonnummer]",
    ),
    (re.compile(r"\d{5,}"), "[tal]"),
)


def scrub(apps, schema_editor):
    SearchQueryLog = apps.get_model("search", "SearchQueryLog")
    for row in SearchQueryLog.objects.filter(query__regex=r"[0-9@]").iterator():
        query = row.query
        for pattern, kind in PERSONAL_DATA:
            query = pattern.sub(kind, query)
        if query != row.query:
            SearchQueryLog.objects.filter(pk=row.pk).update(query=query[:200])


class Migration(migrations.Migration):
    dependencies = [("search", "0013_vocabulary_term")]

    operations = [migrations.RunPython(scrub, migrations.RunPython.noop)]
