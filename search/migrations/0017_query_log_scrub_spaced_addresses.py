"""Searches logged before the statistics recognised e-mail addresses written apart or
disguised ("jens @ kommune . dk", "jens(a)kommune.dk", "jens%40kommune.dk", a
full-width ＠), phone numbers typed digit by digit ("1 2 3 4 5 6 7 8") and CPR numbers
with an en dash ("010190–1234"): the same replacement as
search.service.without_personal_data on the rows kept (an outside check)."""

import re
import unicodedata
from urllib.parse import unquote

from django.db import migrations

# A copy, as the rules were on 2026-12-06: a migration must not change with the code.
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+")
_HIDDEN_EMAIL = re.compile(r"\S+\s*[(\[{]\s*(?:a|at|snabel-?a)\s*[)\]}]\s*\S+")
_SPACED_EMAIL = re.compile(r"[\w.+-]+\s*@\s*[\w-]+(?:\s*\.\s*[\w-]+)+")
_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2212"
_DIGIT_RUN = re.compile(
    rf"(?<![\w+])((?:\+|00)45[ .{_DASHES}]?)?(\d+(?:[ .{_DASHES}/]\d+)*)(?![\w])"
)
_SEPARATOR = re.compile(rf"[ .{_DASHES}/]")
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
    if len(digits) == 8:
        return "[telefonnummer]"
    if len(digits) >= 8:
        return "[tal]"
    return (prefix or "") + _LONG_NUMBER.sub("[tal]", run)


def scrub(apps, schema_editor):
    SearchQueryLog = apps.get_model("search", "SearchQueryLog")
    for row in SearchQueryLog.objects.iterator():
        query = unquote(unicodedata.normalize("NFKC", row.query))
        query = _SPACED_EMAIL.sub("[e-mail]", query)
        query = _EMAIL.sub("[e-mail]", query)
        query = _HIDDEN_EMAIL.sub("[e-mail]", query)
        query = _LONG_NUMBER.sub("[tal]", _DIGIT_RUN.sub(_digit_run, query))
        if query != row.query:
            SearchQueryLog.objects.filter(pk=row.pk).update(query=query[:200])


class Migration(migrations.Migration):
    dependencies = [("search", "0016_field_synonyms_third_round")]

    operations = [migrations.RunPython(scrub, migrations.RunPython.noop)]
