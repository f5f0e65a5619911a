"""The anonymous page cache: hits for anonymous visitors, never for members, never
for private pages, and stale as soon as shown content changes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from experiences.factories import create_experience
from network.factories import UserFactory
from projects.factories import create_log, create_project


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300


@pytest.mark.django_db
def test_anonymous_visitors_get_cached_pages_until_content_changes(client):
    page = create_experience("Første version", municipalities=["0751"])
    first = client.get(page.url)
    assert "X-Page-Cache" not in first
    with CaptureQueriesContext(connection) as queries:
        second = client.get(page.url)
    assert second["X-Page-Cache"] == "hit" and len(queries) <= 2
    assert "Første version" in second.content.decode()
    assert "Content-Security-Policy" in second  # outer middleware still applies

    page.title = "Anden version"
    page.save_revision().publish()
    third = client.get(page.url)
    assert "X-Page-Cache" not in third and "Anden version" in third.content.decode()


@pytest.mark.django_db
def test_members_and_private_pages_are_never_cached(client):
    member = UserFactory(email="m@kommune.example")
    page = create_experience("Til alle")
    client.get(page.url)
    client.force_login(member)
    assert "X-Page-Cache" not in client.get(page.url)
    participant = UserFactory(email="p@kommune.example")
    hidden = create_project("Hemmeligt", visibility="participants", participants=[participant])
    client.force_login(participant)
    client.get(hidden.url)
    client.logout()
    response = client.get(hidden.url)
    assert response.status_code == 404 and "Hemmeligt" not in response.content.decode()


@pytest.mark.django_db
def test_new_trial_action_shows_on_a_cached_project_page(client):
    author = UserFactory(email="a@kommune.example")
    project = create_project("Åbent", visibility="public", participants=[author])
    client.get(project.url)
    assert client.get(project.url)["X-Page-Cache"] == "hit"
    create_log(project, author, title="Helt ny log", visibility="public")
    response = client.get(project.url)
    assert "Helt ny log" in response.content.decode()
