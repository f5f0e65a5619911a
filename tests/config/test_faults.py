"""Faults: a refusing mail server, a database error, rate limits. Nothing a member
submitted is lost, and the answer is a Danish page, never a bare traceback."""

import pytest
from django.core import mail

from network.factories import UserFactory
from projects.factories import create_log, create_project
from projects.models import TrialActionComment


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server refuses")


@pytest.fixture
def refusing_mail(monkeypatch):
    monkeypatch.setattr("django.core.mail.get_connection", lambda *a, **k: RefusingBackend())


@pytest.mark.django_db
def test_comment_is_kept_when_the_mail_server_refuses(client, refusing_mail):
    author = UserFactory(email="forfatter@kommune.example")
    peer = UserFactory(email="kollega@kommune.example")
    project = create_project(participants=[author, peer])
    log = create_log(project, author, visibility="network")
    client.force_login(peer)
    response = client.post(
        project.url + f"proevehandlinger/{log.pk}/kommentar/", {"text": "Gemmes trods mailfejl"}
    )
    assert response.status_code == 302
    assert TrialActionComment.objects.filter(text="Gemmes trods mailfejl").exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_trial_action_is_kept_when_the_mail_server_refuses(client, refusing_mail):
    from network.models import Municipality
    from projects.models import TrialAction

    author = UserFactory(email="forfatter@kommune.example")
    project = create_project(participants=[author])
    client.force_login(author)
    response = client.post(
        project.url + "proevehandlinger/ny/",
        {
            "title": "Gemmes altid",
            "municipality": Municipality.objects.get(code="0751").pk,
            "purpose": "Formål",
            "status": "planned",
            "started": "2026-11-01",
            "visibility": "participants",
        },
    )
    assert response.status_code == 302
    assert TrialAction.objects.filter(title="Gemmes altid").exists()


@pytest.mark.django_db
def test_subscription_is_kept_when_the_mail_server_refuses(client, refusing_mail):
    from network.models import WorkArea
    from newsletters.models import Subscriber

    response = client.post(
        "/nyhedsbrev/",
        {
            "email": "abonnent@kommune.example",
            "work_areas": [WorkArea.objects.get(slug="unge").pk],
        },
    )
    assert response.status_code in (200, 302)
    assert Subscriber.objects.filter(email="abonnent@kommune.example").exists()


@pytest.mark.django_db
def test_database_error_gives_the_danish_error_page(client, monkeypatch):
    from django.db import OperationalError

    import network.views

    def broken(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(network.views, "render", broken)
    client.raise_request_exception = False
    response = client.get("/kommuner/")
    assert response.status_code == 500
    assert "Der skete en fejl" in response.content.decode()


@pytest.mark.django_db
def test_comments_and_search_api_are_rate_limited(client, monkeypatch, settings):
    import projects.views

    monkeypatch.setattr(projects.views, "COMMENT_RATE", (2, 60))
    settings.SEARCH_API_RATE_PER_MINUTE = 3
    author = UserFactory(email="forfatter@kommune.example")
    project = create_project(participants=[author])
    log = create_log(project, author, visibility="network")
    client.force_login(author)
    url = project.url + f"proevehandlinger/{log.pk}/kommentar/"
    assert client.post(url, {"text": "En"}).status_code == 302
    assert client.post(url, {"text": "To"}).status_code == 302
    response = client.post(url, {"text": "Tre"})
    assert response.status_code == 429
    text = response.content.decode()
    assert "mange kommentarer" in text and "Tre</textarea>" in text  # nothing lost
    assert log.comments.count() == 2
    codes = [client.get("/api/search/", {"q": "video"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
