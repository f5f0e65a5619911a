"""Data built once per module (module_transaction): each test's changes are rolled
back before the next, and the data itself is gone after the module."""

import pytest

from tests.shared import fresh_tree

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def built(module_transaction, django_db_blocker):
    from network.factories import UserFactory

    with django_db_blocker.unblock():
        return {"users": [UserFactory(email="delt@test.example", first_name="Delt")]}


@pytest.mark.parametrize("turn", [1, 2])
def test_a_change_in_one_test_does_not_reach_the_next(built, turn):
    from network.factories import UserFactory
    from network.models import User

    world = fresh_tree(built)
    user = world["users"][0]
    assert user is not built["users"][0]  # read anew
    # Whichever turn runs second sees neither the rename nor the new user of the first.
    assert user.first_name == "Delt"
    assert not User.objects.filter(email__startswith="ny").exists()
    user.first_name = f"Ændret {turn}"
    user.save()
    built["users"][0].first_name = "Ændret i hukommelsen"  # an in-memory change, too
    UserFactory(email=f"ny{turn}@test.example")
