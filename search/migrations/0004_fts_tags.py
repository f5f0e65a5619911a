"""SQLite: give the FTS5 table a `tags` column with each entry's facet values as
tokens (search.backends.fulltext.tag), so a ranked search is narrowed to its
filters inside FTS5. The table is rebuilt with its rows copied; PostgreSQL is
unchanged."""

from django.db import migrations

NEW_TABLE = """
CREATE VIRTUAL TABLE search_fts_new USING fts5(
    title, body, extra, sub, meta, tags, tokenize = 'ascii', detail = full
)
"""
OLD_TABLE = """
CREATE VIRTUAL TABLE search_fts_new USING fts5(
    title, body, extra, sub, meta, tokenize = 'ascii', detail = full
)
"""


def _tags(facets: str) -> str:
    from search.backends.fulltext import tag

    pairs = (item.partition("=") for item in (facets or "").split())
    return " ".join(tag(facet, value) for facet, _, value in pairs)


def _rebuild(schema_editor, create: str, with_tags: bool) -> None:
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS search_fts_new")
        cursor.execute(create)
        cursor.execute(
            "SELECT f.rowid, f.title, f.body, f.extra, f.sub, f.meta, e.facets "
            "FROM search_fts f JOIN search_searchentry e ON e.id = f.rowid"
        )
        rows = cursor.fetchall()
        if with_tags:
            values = [(*row[:6], _tags(row[6])) for row in rows]
            insert = (
                "INSERT INTO search_fts_new (rowid, title, body, extra, sub, meta, tags) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s)"
            )
        else:
            values = [row[:6] for row in rows]
            insert = (
                "INSERT INTO search_fts_new (rowid, title, body, extra, sub, meta) "
                "VALUES (%s, %s, %s, %s, %s, %s)"
            )
        cursor.executemany(insert, values)
        cursor.execute("DROP TABLE search_fts")
        cursor.execute("ALTER TABLE search_fts_new RENAME TO search_fts")


def add_tags(apps, schema_editor):
    _rebuild(schema_editor, NEW_TABLE, with_tags=True)


def remove_tags(apps, schema_editor):
    _rebuild(schema_editor, OLD_TABLE, with_tags=False)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_entry_text")]

    operations = [migrations.RunPython(add_tags, remove_tags)]
