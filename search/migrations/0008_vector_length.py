"""PostgreSQL: keep each vector's length (its number of positions) beside it, so the
rank divides by log2(length + 1) from a stored number instead of ts_rank counting
every position of every matching vector (normalisation 1 does exactly that division).
Existing rows are filled in; SQLite is unchanged."""

from django.db import migrations

ADD = [
    "ALTER TABLE search_vector ADD COLUMN IF NOT EXISTS length integer NOT NULL DEFAULT 0",
    # PostgreSQL's own count (tsrank.c cnt_length): a lexeme's positions, or 1 without.
    """
    UPDATE search_vector SET length = (
        SELECT coalesce(sum(coalesce(array_length(positions, 1), 1)), 0) FROM unnest(vector)
    )
    """,
]


def add(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in ADD:
            schema_editor.execute(statement)


def remove(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE search_vector DROP COLUMN IF EXISTS length")


class Migration(migrations.Migration):
    dependencies = [("search", "0007_synonymgroup")]

    operations = [migrations.RunPython(add, remove)]
