import gc

import pytest
from django.core.cache import cache


def pytest_configure(config):
    # A test process keeps a large heap for its whole life (Django, Wagtail, module data,
    # the demo's table copy). Python's full collections, which the default thresholds
    # start every ~70,000 surviving allocations, walk all of it: ~0.25 s each, 15–20 s of
    # a run. The young generations are still collected as usual; a full collection now
    # comes after 100 times as many. (Measured alternately: 2 min 42/37 s against 3 min
    # 09 s/2 min 52 s for the whole suite.)
    gc.set_threshold(700, 10, 1000)


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate limits and the navigation live in the cache; each test starts clean. So
    # do the search backends (the database index's columns, per process: a flushed
    # test database hands out its ids again, which a real one never does) and the
    # broad matches they keep in the cache.
    from django.core.cache import caches

    from config import cache as resilient
    from search import backends, expansion

    def reset():
        resilient.reset()
        cache.clear()
        caches["ratelimit"].clear()
        caches["search"].clear()
        backends.reset()
        # Synonym groups are kept per process for a while; a rolled-back test's changes
        # to them send no signal.
        expansion.forget_synonyms()

    reset()
    yield
    reset()


@pytest.fixture
def member(db):
    from network.factories import UserFactory

    return UserFactory(email="medlem@test.example", first_name="Maja", last_name="Mortensen")


_DEMO_ROWS: dict[str, list[tuple[str, list[str], list[tuple]]]] = {}


@pytest.fixture
def demo(db):
    """The full demo content, as `make run` loads it.

    Seeding takes seconds and some 40 tests need it, so it is seeded once per test
    database: the first test that asks runs `seed_demo` and keeps a copy of every
    table; later tests get that copy written back, inside their own transaction."""
    return _load_demo()


@pytest.fixture
def live_demo(transactional_db):
    """The demo content committed, for a live server or a browser: seeded by the
    process's first test that asks for the demo, written back from its copy after."""
    from django.db import transaction

    with transaction.atomic():  # foreign keys are checked once, at the commit
        return _load_demo()


@pytest.fixture(scope="module")
def module_demo(module_transaction, django_db_blocker):
    """The demo content for a module's data built once (see module_transaction)."""
    with django_db_blocker.unblock():
        return _load_demo()


def _load_demo() -> str:
    from django.db import connection

    from network.demo import DEMO_PASSWORD

    rows = _DEMO_ROWS.get(connection.settings_dict["NAME"])
    if rows is None:
        from django.core.management import call_command

        call_command("seed_demo", stdout=open("/dev/null", "w"))
        _DEMO_ROWS[connection.settings_dict["NAME"]] = _copy_tables(connection)
    else:
        _restore_tables(connection, rows)
    return DEMO_PASSWORD


def _copy_tables(connection):
    with connection.cursor() as cursor:
        tables, virtual = _tables(connection, cursor)
        copied = []
        for table in tables:
            rowid = "rowid, " if table in virtual else ""  # full-text rows keep their ids
            cursor.execute(f"SELECT {rowid}* FROM {connection.ops.quote_name(table)}")
            columns = [column[0] for column in cursor.description]
            copied.append((table, columns, cursor.fetchall()))
    return copied


def _tables(connection, cursor) -> tuple[list[str], set[str]]:
    """Every table with rows of its own: on SQLite that includes the full-text tables
    (search_fts) but not their shadow tables, nor Wagtail's, which triggers fill."""
    if connection.vendor != "sqlite":
        return sorted(connection.introspection.table_names(cursor)), set()
    cursor.execute("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
    schema = cursor.fetchall()
    virtual = {name for kind, name, sql in schema if kind == "table" and "VIRTUAL" in sql}
    triggers = " ".join(sql for kind, _, sql in schema if kind == "trigger")
    shadows = {f"{name}_{suffix}" for name in virtual for suffix in FTS_SHADOWS}
    tables = [
        name
        for kind, name, _ in schema
        if kind == "table" and name not in shadows and not (name in virtual and name in triggers)
    ]
    return sorted(tables), virtual


FTS_SHADOWS = ("data", "idx", "content", "docsize", "config")


def _sqlite_value(value):
    import datetime
    import decimal

    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def _restore_tables(connection, copied):
    """Replace every table's rows by the copy. Foreign keys are checked at commit
    (Django declares them deferrable), which a test's transaction never reaches."""
    from django.apps import apps
    from django.core.management.color import no_style

    quote = connection.ops.quote_name
    if connection.vendor == "sqlite":  # it reads times, dates and decimals it cannot bind
        copied = [
            (table, columns, [tuple(_sqlite_value(v) for v in row) for row in rows])
            for table, columns, rows in copied
        ]
    with connection.cursor() as cursor:
        for table, _, _ in copied:
            cursor.execute(f"DELETE FROM {quote(table)}")
        for table, columns, rows in copied:
            if rows:
                names = ", ".join(quote(column) for column in columns)
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)
        for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(statement)


@pytest.fixture(scope="module")
def module_transaction(request, django_db_setup, django_db_blocker):
    """A transaction around one test module, as Django's `setUpTestData`: data that
    many of the module's tests read is built once inside it (by a module-scoped
    fixture, with `django_db_blocker.unblock()`); each test's own transaction nests
    inside as a savepoint and is rolled back after the test, and this one is rolled
    back when the module's tests are done. Tests must re-read the rows (`tests.shared.fresh`),
    since an instance a test changed in memory would otherwise reach the next test.

    Not for modules with transactional tests (live server, browser): they commit."""
    from django.db import transaction

    transactional = [
        item.name
        for item in request.session.items
        if item.module is request.module and _transactional(item)
    ]
    if transactional:
        raise pytest.UsageError(f"module_transaction with transactional tests: {transactional}")
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


_MIGRATED_DATA: dict[str, str] = {}


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, django_db_createdb):
    """The SQLite test database starts from a copy of the migrated database kept by an
    earlier run with the same migrations (tests/migrated.py); `--create-db` migrates."""
    from django.db import connections

    from tests import migrated

    migrated.install(connections["default"], renew=django_db_createdb)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Keep a copy of the migrated database (98 municipalities, the page tree) so that
    transactional tests (live server, browser), which flush the database, can restore
    it: see `migrated_data`."""
    from django.db import connection

    with django_db_blocker.unblock():
        _MIGRATED_DATA["default"] = connection.creation.serialize_db_to_string()


@pytest.fixture
def migrated_data(transactional_db):
    """Restore the migrated reference data if an earlier transactional test flushed it."""
    _restore_migrated_data()


def _restore_migrated_data() -> None:
    from django.db import connection

    from network.models import Municipality

    if not Municipality.objects.exists():
        from django.core.management import call_command

        # As Django's serialized_rollback does: empty the tables without letting
        # post_migrate recreate content types, then load the copy.
        call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True)
        connection.creation.deserialize_db_from_string(_MIGRATED_DATA["default"])
        # The copy is loaded with explicit ids; move PostgreSQL's sequences past them.
        from django.apps import apps
        from django.core.management.color import no_style

        statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models())
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    fixtures = getattr(item, "fixturenames", ())
    return "transactional_db" in fixtures or "live_server" in fixtures


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """A transactional test (live server, browser) ends by emptying the database.
    Run alone, pytest-django puts those tests last; with pytest-xdist any test may
    follow one, so the migrated reference data is put back at once."""
    yield
    # After the process's last test (`nextitem` None) nothing follows, and the test
    # database is already gone: the session's fixtures were torn down inside `yield`.
    if _MIGRATED_DATA and _transactional(item) and nextitem is not None:
        from pytest_django.plugin import blocking_manager_key

        with item.config.stash[blocking_manager_key].unblock():
            _restore_migrated_data()


@pytest.fixture
def run_on_commit(monkeypatch):
    """Run `transaction.on_commit` callbacks at once, as they run in production when a
    request's change commits; a test's own transaction never commits."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
