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


@pytest.mark.django_db
def test_a_page_made_private_or_a_file_taken_off_a_log_leaves_the_cache(client):
    """An outside attacker read in the code that a page made private, and a file
    taken off a public log (citizen data uploaded by mistake), stayed on kept pages
    for up to five minutes."""
    from django.core.files.base import ContentFile
    from wagtail.models import PageViewRestriction

    from projects.models import TrialActionAttachment

    page = create_experience("Snart lukket")
    assert client.get(page.url).status_code == 200
    assert client.get(page.url)["X-Page-Cache"] == "hit"
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(page.url)
    assert response.status_code == 302 and "Snart lukket" not in response.content.decode()

    author = UserFactory(email="fil@kommune.example")
    project = create_project("Åbent med filer", visibility="public", participants=[author])
    log = create_log(project, author, title="Log med fil", visibility="public")
    attachment = TrialActionAttachment(
        trial_action=log, name="cpr-liste-borgere.pdf", content_type="application/pdf", size=9
    )
    attachment.file.save("cpr-liste-borgere.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    url = log.get_absolute_url()
    assert "cpr-liste-borgere.pdf" in client.get(url).content.decode()
    assert client.get(url)["X-Page-Cache"] == "hit"
    attachment.delete()
    assert "cpr-liste-borgere.pdf" not in client.get(url).content.decode()
