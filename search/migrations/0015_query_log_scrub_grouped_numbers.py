"""Searches logged before the statistics recognised CPR and phone numbers grouped with
dots or spaces ("01.01.90-1234", "12 345 678") and e-mail addresses written with
"(at)": the same replacement as search.service.without_personal_data on the rows kept."""

import re

from django.db import migrations

# A copy, as the rules were on 2026-12-05: a migration must not change with the code.
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+")
_HIDDEN_EMAIL = re.compile(r"\S+\s*[(\[{]\s*(?:at|snabel-?a)\s*[)\]}]\s*\S+")
_DIGIT_RUN = re.compile(r"(?<![\w+])((?:\+|00)45[ .\-]?)?(\d+(?:[ .\-/]\d+)*)(?![\w])")
_SEPARATOR = re.compile(r"[ .\-/]")
_LONG_NUMBER = re.compile(r"\d{5,}")


def _digit_run(match):
    prefix, run = match.group(1), match.group(2)
    groups = _SEPARATOR.split(run)
    digits = "".join(groups)
    if prefix and len(digits) == 8:
        return "[telefonnummer]"
    if len(groups) > 1 and all(len(g) == 4 and g[:2] in ("19", "20") for g in groups):
        return match.group(0)
    if len(digits) == 10 and 1 <= int(digits[:2]) <= 31 and 1 <= int(digits[2:4]) <= 12:
        return "[cpr-nummer]"
    if len(digits) == 8 and all(len(g) >= 2 for g in groups):
        return "[telefonnummer]"
    if len(digits) >= 8 and all(len(g) >= 2 for g in groups):
        return "[tal]"
    return (prefix or "") + _LONG_NUMBER.sub("[tal]", run)


def scrub(apps, schema_editor):
    SearchQueryLog = apps.get_model("search", "SearchQueryLog")
    for row in SearchQueryLog.objects.filter(query__regex=r"[0-9@(\[{]").iterator():
        query = _EMAIL.sub("[e-mail]", row.query)
        query = _HIDDEN_EMAIL.sub("[e-mail]", query)
        query = _LONG_NUMBER.sub("[tal]", _DIGIT_RUN.sub(_digit_run, query))
        if query != row.query:
            SearchQueryLog.objects.filter(pk=row.pk).update(query=query[:200])


class Migration(migrations.Migration):
    dependencies = [("search", "0014_query_log_without_personal_data")]

    operations = [migrations.RunPython(scrub, migrations.RunPython.noop)]
