"""Backups: dump the database the way docs/operations.md says, restore the dump into
an empty database and find the content again."""

import shutil
import sqlite3
import subprocess
import uuid

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def content(migrated_data):
    from experiences.factories import create_experience

    return create_experience("Backup-artiklen om jobcentret", municipalities=["0751"])


def test_dump_and_restore_finds_the_content(content, tmp_path):
    if connection.vendor == "sqlite":
        _sqlite_roundtrip(tmp_path)
    elif connection.vendor == "postgresql":
        _postgres_roundtrip(tmp_path)
    else:
        pytest.skip(f"no backup recipe for {connection.vendor}")


def _sqlite_roundtrip(tmp_path):
    # The online backup API: a consistent copy while the site is running
    # (docs/operations.md uses `sqlite3 db.sqlite3 ".backup backup.sqlite3"`).
    connection.ensure_connection()
    target_path = tmp_path / "backup.sqlite3"
    with sqlite3.connect(target_path) as target:
        connection.connection.backup(target)
    restored = tmp_path / "restored.sqlite3"
    shutil.copy(target_path, restored)
    with sqlite3.connect(restored) as db:
        titles = [row[0] for row in db.execute("SELECT title FROM wagtailcore_page")]
        codes = db.execute("SELECT count(*) FROM network_municipality").fetchone()[0]
    assert "Backup-artiklen om jobcentret" in titles
    assert codes == 98


def _postgres_roundtrip(tmp_path):
    if not shutil.which("pg_dump") or not shutil.which("pg_restore"):
        pytest.skip("pg_dump/pg_restore are not installed")
    params = connection.settings_dict
    base = [
        "-h",
        params["HOST"] or "127.0.0.1",
        "-p",
        str(params["PORT"] or 5432),
        "-U",
        params["USER"] or "postgres",
    ]
    dump = tmp_path / "backup.dump"
    subprocess.run(["pg_dump", *base, "-Fc", "-f", str(dump), params["NAME"]], check=True)
    target = f"restore_{uuid.uuid4().hex[:8]}"
    subprocess.run(["createdb", *base, target], check=True)
    try:
        subprocess.run(["pg_restore", *base, "--no-owner", "-d", target, str(dump)], check=True)
        out = subprocess.run(
            [
                "psql",
                *base,
                "-At",
                "-d",
                target,
                "-c",
                "SELECT title FROM wagtailcore_page WHERE title LIKE 'Backup-%'",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        assert "Backup-artiklen om jobcentret" in out
    finally:
        subprocess.run(["dropdb", *base, "--if-exists", target], check=False)
