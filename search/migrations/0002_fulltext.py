"""The full-text structure of the database index, which the ORM cannot describe:
an FTS5 table on SQLite, a tsvector table with a GIN index on PostgreSQL.
Both store the terms search.analysis produced (rowid / entry_id = SearchEntry.id).

search_vector has no foreign key to search_searchentry: Django's flush (used by
transactional tests) truncates only the tables of models and would refuse to
truncate a referenced table. The backend deletes vectors with their entries, the
search joins on existing entries, and inserts overwrite a stale row."""

from django.db import migrations

SQLITE_CREATE = """
CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(
    title, body, extra, sub, meta, tokenize = 'ascii', detail = full
)
"""
POSTGRES_CREATE = [
    """
    CREATE TABLE IF NOT EXISTS search_vector (
        entry_id bigint PRIMARY KEY,
        vector tsvector NOT NULL
    )
    """,
    "CREATE INDEX IF NOT EXISTS search_vector_gin ON search_vector USING gin (vector)",
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_CREATE)
    elif vendor == "postgresql":
        for statement in POSTGRES_CREATE:
            schema_editor.execute(statement)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
    elif vendor == "postgresql":
        schema_editor.execute("DROP TABLE IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
