"""The migrated SQLite test database, kept between runs.

Migrating an empty database is the most expensive step of a test process: Wagtail's
~210 migrations and ours take 15–25 s, nearly all of it Django rendering model states
in Python. What they produce depends only on the migration files, the project code
they read and the versions installed, so the first run keeps a copy of the result,
named after a hash of those, and later runs copy it into their in-memory test database
with SQLite's backup API (under a second) instead of migrating. The signals a
migrate sends (pre_migrate, post_migrate: content types, permissions, Wagtail's
snippet permissions) are still sent, as a migrate with nothing to apply sends them.

Any change to a migration, to the files below or to requirements.txt gives a new name,
and the next run migrates again. `pytest --create-db` migrates regardless (and renews
the copy); in CI (`CI` set) the copy is neither read nor written, so every CI run
migrates from scratch. Only SQLite's in-memory test database is kept; PostgreSQL test
databases are migrated as before.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import sqlite3
import sys
import tempfile
from pathlib import Path

CACHE = Path(tempfile.gettempdir()) / "netvaerk-test-db"
ROOT = Path(__file__).resolve().parent.parent
# What the migrations read besides themselves (a data migration's reference data, the
# full-text table's definition) and what decides the versions of everyone else's.
READ_BY_MIGRATIONS = (
    "network/reference_data.py",
    "network/data",
    "search/backends/fulltext.py",
    "requirements.txt",
)
KEEP = 4  # copies kept (a mutant of fulltext.py makes one of its own)


def enabled() -> bool:
    return not os.environ.get("CI")


def migration_files() -> list[Path]:
    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader

    files = []
    for app in apps.get_app_configs():
        module, _ = MigrationLoader.migrations_module(app.label)
        try:
            spec = importlib.util.find_spec(module) if module else None
        except ModuleNotFoundError:
            spec = None
        for folder in (spec.submodule_search_locations or []) if spec else []:
            files += sorted(Path(folder).glob("*.py"))
    return files


def key() -> str:
    digest = hashlib.sha256(f"{sys.version} {sqlite3.sqlite_version}".encode())
    files = migration_files()
    for item in READ_BY_MIGRATIONS:
        path = ROOT / item
        files += sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def install(connection, renew: bool) -> None:
    """Make `connection`'s test database creation load the kept copy instead of
    migrating, or migrate and keep a copy when there is none (or `renew`)."""
    creation = connection.creation
    if (
        not enabled()
        or connection.vendor != "sqlite"
        or not creation.is_in_memory_db(creation._get_test_db_name())
    ):
        return
    create_test_db = creation.create_test_db

    def create_test_db_from_copy(*args, **kwargs):
        from django.core import management

        migrate = management.call_command
        template = CACHE / f"migrated-{key()}.sqlite3"

        def call_command(name, *cargs, **ckwargs):
            if name != "migrate":
                return migrate(name, *cargs, **ckwargs)
            if template.exists() and not renew:
                return _load(connection, template, ckwargs.get("verbosity", 0))
            migrate(name, *cargs, **ckwargs)
            _keep(connection, template)

        management.call_command = call_command
        try:
            return create_test_db(*args, **kwargs)
        finally:
            management.call_command = migrate

    creation.create_test_db = create_test_db_from_copy


def _load(connection, template: Path, verbosity: int) -> None:
    from django.core.management.sql import emit_post_migrate_signal, emit_pre_migrate_signal

    emit_pre_migrate_signal(verbosity, False, connection.alias)
    connection.ensure_connection()
    source = sqlite3.connect(template)
    try:
        source.backup(connection.connection)
    finally:
        source.close()
    emit_post_migrate_signal(verbosity, False, connection.alias)


def _keep(connection, template: Path) -> None:
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = template.with_name(f"{template.name}.{os.getpid()}.partial")
    target = sqlite3.connect(partial)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    os.replace(partial, template)  # whole or not at all, also with two processes
    copies = sorted(CACHE.glob("migrated-*.sqlite3"), key=lambda p: p.stat().st_mtime)
    for old in copies[:-KEEP]:
        old.unlink(missing_ok=True)
