import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate limits and the navigation live in the cache; each test starts clean. So
    # do the search backends (the database index's columns, per process: a flushed
    # test database hands out its ids again, which a real one never does).
    from django.core.cache import caches

    from config import cache as resilient
    from search import backends

    resilient.reset()
    cache.clear()
    caches["ratelimit"].clear()
    backends.reset()
    yield
    resilient.reset()
    cache.clear()
    caches["ratelimit"].clear()
    backends.reset()


@pytest.fixture
def member(db):
    from network.factories import UserFactory

    return UserFactory(email="medlem@test.example", first_name="Maja", last_name="Mortensen")


@pytest.fixture
def demo(db):
    """The full demo content, as `make run` loads it."""
    from django.core.management import call_command

    call_command("seed_demo", stdout=open("/dev/null", "w"))
    from network.demo import DEMO_PASSWORD

    return DEMO_PASSWORD


_MIGRATED_DATA: dict[str, str] = {}


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


@pytest.fixture
def run_on_commit(monkeypatch):
    """Run `transaction.on_commit` callbacks at once, as they run in production when a
    request's change commits; a test's own transaction never commits."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())
