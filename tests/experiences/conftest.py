import pytest

from experiences.factories import create_experience


@pytest.fixture
def make_experience(db):
    return create_experience
