import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    # Rate limits and the navigation live in the cache; each test starts clean.
    cache.clear()
    yield
    cache.clear()


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
