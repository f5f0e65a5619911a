"""Leaving and changing without logging in: one-click unsubscribe and the preferences page."""

import re

import pytest
from django.core import mail
from django.test import Client

from newsletters import sending
from newsletters.factories import SubscriberFactory, edition_with_items
from newsletters.models import ConsentMethod, Subscriber, SubscriberStatus

from .utils import area_ids, link

pytestmark = pytest.mark.django_db


@pytest.fixture
def received():
    """A subscriber and the newsletter mail they received."""
    subscriber = SubscriberFactory(email="laeser@kommune.example", work_areas=["unge"])
    edition = edition_with_items({"unge": 2})
    sending.start(edition)
    sending.run(edition)
    (message,) = mail.outbox
    return subscriber, message


def header_path(message) -> str:
    match = re.fullmatch(
        r"<https?://[^/]+(/nyhedsbrev/afmeld/[^>]+/)>", message.extra_headers["List-Unsubscribe"]
    )
    assert match, message.extra_headers["List-Unsubscribe"]
    return match.group(1)


def test_one_click_unsubscribe_is_a_post_to_the_header_url_without_csrf(received):
    subscriber, message = received
    mail_client = Client(enforce_csrf_checks=True)  # a mail program has no CSRF token
    response = mail_client.post(header_path(message), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "Du er afmeldt" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
    withdrawn = subscriber.consents.filter(action="withdrawn").get()
    assert withdrawn.method == ConsentMethod.ONE_CLICK
    # Posting again (mail programs retry) is harmless.
    assert mail_client.post(header_path(message)).status_code == 200
    assert subscriber.consents.filter(action="withdrawn").count() == 1


def test_a_get_on_the_unsubscribe_url_only_asks_for_confirmation(client, received):
    subscriber, message = received
    response = client.get(header_path(message))
    assert response.status_code == 200
    assert "Ja, afmeld mig" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE  # link scanners must not unsubscribe
    # The page's button posts to the same URL.
    client.post(header_path(message))
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED


def test_the_preferences_page_changes_areas_pauses_and_unsubscribes(client, received):
    subscriber, message = received
    path = link(message, "indstillinger")
    page = client.get(path)
    assert page.status_code == 200
    assert subscriber.email in page.content.decode()
    # The pause box stands before its label (it stood alone under the help text).
    assert '<div class="check-field"><input type="checkbox" name="paused"' in " ".join(
        page.content.decode().split()
    )

    response = client.post(path, {"work_areas": area_ids("integration", "ydelser")})
    assert response.status_code == 302
    assert sorted(subscriber.work_areas.values_list("slug", flat=True)) == [
        "integration",
        "ydelser",
    ]
    assert "Dine valg er gemt." in client.get(path).content.decode()

    client.post(path, {"work_areas": area_ids("integration"), "paused": "on"})
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PAUSED
    client.post(path, {"work_areas": area_ids("integration")})
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE

    response = client.post(path, {"unsubscribe": "1"})
    assert "Du er afmeldt" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
    # Afterwards the link says so, and a new confirmation is needed to come back.
    assert "Du er afmeldt" in client.get(path).content.decode()


def test_the_preferences_form_reports_errors_without_changing_anything(client, received):
    subscriber, message = received
    response = client.post(link(message, "indstillinger"), {"work_areas": []})
    assert response.status_code == 200
    assert "Vælg mindst ét arbejdsområde." in response.content.decode()
    assert list(subscriber.work_areas.values_list("slug", flat=True)) == ["unge"]


@pytest.mark.parametrize(
    "path",
    [
        "/nyhedsbrev/indstillinger/nonsens/",
        "/nyhedsbrev/afmeld/nonsens/",
        "/nyhedsbrev/indstillinger/WzEsIngiXQ:falsk/",
        "/nyhedsbrev/afmeld/%C3%A6%C3%B8%C3%A5:x:y/",
        "/nyhedsbrev/bekraeft/nonsens/",
        "/nyhedsbrev/bekraeft/W10:1x:y/",
        "/nyhedsbrev/arkiv/99999/",
    ],
)
def test_bad_links_answer_with_a_danish_page_never_a_500(client, path):
    for method in (client.get, client.post):
        response = method(path)
        assert response.status_code in (400, 404)
        assert "</html>" in response.content.decode()


def test_replacing_the_manage_key_revokes_old_links(client, received):
    subscriber, message = received
    Subscriber.objects.filter(pk=subscriber.pk).update(manage_key="ny-noegle")
    assert client.get(link(message, "indstillinger")).status_code == 404
    assert client.post(header_path(message)).status_code == 404
