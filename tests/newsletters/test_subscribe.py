"""Subscribing without an account: double opt-in, expiry, no enumeration, rate limits."""

import time
from unittest import mock

import pytest
from bs4 import BeautifulSoup
from django.core import mail

from newsletters.consent import CONSENT_VERSION
from newsletters.factories import SubscriberFactory
from newsletters.models import ConsentAction, ConsentRecord, Subscriber, SubscriberStatus

from .utils import area_ids, link, subscribe

pytestmark = pytest.mark.django_db


def test_the_page_has_an_accessible_form_without_external_assets(client):
    response = client.get("/nyhedsbrev/")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    email = soup.find("input", attrs={"name": "email"})
    assert soup.find("label", attrs={"for": email["id"]}).text.strip() == "Din e-mailadresse"
    legends = [legend.text.strip() for legend in soup.select("fieldset legend")]
    assert "Arbejdsområder" in legends
    assert len(soup.select("input[name=work_areas][type=checkbox]")) == 10
    assert soup.find("button", string="Tilmeld")
    for tag in soup.find_all(["script", "link", "img"]):
        assert not (tag.get("src") or tag.get("href") or "").startswith(("http:", "https:", "//"))


def test_opt_in_end_to_end(client):
    response = subscribe(client, "Karen.Kjaer@Kommune.example", "unge", "integration")
    assert response.status_code == 302
    assert response["Location"] == "/nyhedsbrev/tjek-din-indbakke/"
    assert "Tjek din indbakke" in client.get(response["Location"]).content.decode()

    subscriber = Subscriber.objects.get(email="karen.kjaer@kommune.example")
    assert subscriber.status == SubscriberStatus.PENDING
    assert not subscriber.consents.exists()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["karen.kjaer@kommune.example"]
    assert message.subject == "Bekræft din tilmelding til nyhedsbrevet"
    assert "Unge" in message.body and "Integration" in message.body
    assert message.alternatives[0][1] == "text/html"

    confirm_path = link(message, "bekraeft")
    # Opening the link asks for a click, naming what was chosen; it confirms nothing
    # (mail scanners open links; an outside attacker found a GET confirmed).
    opened = client.get(confirm_path)
    assert opened.status_code == 200
    soup = BeautifulSoup(opened.content, "html.parser")
    assert soup.h1.text == "Bekræft din tilmelding"
    assert "Unge" in soup.text and "Integration" in soup.text
    assert soup.find("form", method="post").find("button").text == "Bekræft tilmeldingen"
    assert "Du er ved at tilmelde karen.kjaer@kommune.example til nyhedsbrevet" in soup.text
    # The mail's button is named as the page's, which is the one that confirms.
    assert ">Bekræft tilmeldingen</a>" in message.alternatives[0][0]
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PENDING and not subscriber.consents.exists()
    response = client.post(confirm_path)
    assert response.status_code == 200
    assert "Din tilmelding er bekræftet" in response.content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE and subscriber.confirmed_at
    consent = subscriber.consents.get()
    assert consent.action == ConsentAction.GIVEN
    assert consent.text_version == CONSENT_VERSION
    assert consent.method == "form"
    assert "Unge" in consent.scope
    # A mail says what was chosen, with the links to change it and to leave (a user walk
    # had none until the first issue).
    welcome = mail.outbox[1]
    assert welcome.subject == "Du er tilmeldt nyhedsbrevet"
    assert "Unge og Integration" in welcome.body or "Integration og Unge" in welcome.body
    assert client.get(link(welcome, "indstillinger")).status_code == 200
    unsubscribe = link(welcome, "afmeld")
    assert client.get(unsubscribe).status_code == 200

    # Confirming twice is harmless: same good news, no second consent record or mail.
    again = client.post(confirm_path)
    assert again.status_code == 200
    assert "allerede bekræftet" in again.content.decode()
    assert subscriber.consents.count() == 1
    assert len(mail.outbox) == 2


def test_the_confirmation_link_expires_after_seven_days(client):
    subscribe(client, "sent@kommune.example", "unge")
    confirm_path = link(mail.outbox[0], "bekraeft")
    later = time.time() + 8 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = client.post(confirm_path)
    assert response.status_code == 400
    assert "Linket er udløbet" in response.content.decode()
    assert Subscriber.objects.get().status == SubscriberStatus.PENDING

    with mock.patch("django.core.signing.time.time", return_value=time.time() + 6 * 24 * 3600):
        assert client.post(confirm_path).status_code == 200
    assert Subscriber.objects.get().status == SubscriberStatus.ACTIVE


def test_a_tampered_confirmation_link_is_refused(client):
    subscribe(client, "x@kommune.example", "unge")
    confirm_path = link(mail.outbox[0], "bekraeft")
    response = client.post(confirm_path.replace("/bekraeft/", "/bekraeft/A"))
    assert response.status_code == 400
    assert "Linket virker ikke" in response.content.decode()
    assert Subscriber.objects.get().status == SubscriberStatus.PENDING


def test_a_known_address_gets_the_same_response_and_its_owner_a_mail(client):
    known = SubscriberFactory(email="kendt@kommune.example", work_areas=["unge"])

    new = subscribe(client, "ny@kommune.example", "integration")
    old = subscribe(client, "kendt@kommune.example", "integration")

    assert new.status_code == old.status_code == 302
    assert new.headers == old.headers
    assert new.content == old.content
    assert new.cookies.keys() == old.cookies.keys()

    mails = {message.to[0]: message for message in mail.outbox}
    assert mails["ny@kommune.example"].subject == "Bekræft din tilmelding til nyhedsbrevet"
    owner_mail = mails["kendt@kommune.example"]
    assert owner_mail.subject == "Du er allerede tilmeldt nyhedsbrevet"
    assert link(owner_mail, "indstillinger")
    # An anonymous request changes nothing for a confirmed subscriber.
    assert list(known.work_areas.values_list("slug", flat=True)) == ["unge"]
    known.refresh_from_db()
    assert known.status == SubscriberStatus.ACTIVE


def test_an_unconfirmed_address_gets_a_fresh_confirmation_mail(client):
    subscribe(client, "igen@kommune.example", "unge")
    subscribe(client, "igen@kommune.example", "ydelser")
    assert [m.subject for m in mail.outbox] == ["Bekræft din tilmelding til nyhedsbrevet"] * 2
    # A link confirms what its mail described: the first mail named Unge, the choices
    # are now Ydelser, so its link is void and says which mail to use (an outside walk
    # confirmed the first mail's link and got the second sign-up's choices).
    first, second = (link(message, "bekraeft") for message in mail.outbox)
    assert "Unge" in mail.outbox[0].body and "Unge" not in mail.outbox[1].body
    stale = client.post(first)
    assert stale.status_code == 400
    assert "Brug linket i den nyeste mail" in stale.content.decode()
    assert Subscriber.objects.get().status == SubscriberStatus.PENDING
    assert client.post(second).status_code == 200
    subscriber = Subscriber.objects.get()
    assert subscriber.status == SubscriberStatus.ACTIVE
    assert list(subscriber.work_areas.values_list("slug", flat=True)) == ["ydelser"]
    # Once the newest link is used, the first one says the sign-up is done.
    done = client.post(first)
    assert done.status_code == 200 and "allerede bekræftet" in done.content.decode()


def test_the_same_choices_sent_twice_keep_both_links_working(client):
    subscribe(client, "dobbelt@kommune.example", "unge", "integration")
    subscribe(client, "dobbelt@kommune.example", "integration", "unge")
    first, second = (link(message, "bekraeft") for message in mail.outbox)
    assert client.post(first).status_code == 200
    assert "allerede bekræftet" in client.post(second).content.decode()
    assert Subscriber.objects.get().status == SubscriberStatus.ACTIVE


def test_after_unsubscribing_an_old_confirmation_link_does_nothing(client):
    subscribe(client, "gammel@kommune.example", "unge")
    old_link = link(mail.outbox[0], "bekraeft")
    client.post(old_link)
    subscriber = Subscriber.objects.get()
    from newsletters import subscriptions

    subscriptions.unsubscribe(subscriber, "preferences")
    assert client.post(old_link).status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
    assert [c.action for c in subscriber.consents.order_by("pk")] == ["given", "withdrawn"]

    # Subscribing again starts a new double opt-in.
    subscribe(client, "gammel@kommune.example", "unge")
    assert client.post(link(mail.outbox[-1], "bekraeft")).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE


@pytest.mark.parametrize(
    "email,expected",
    [
        ("ikke-en-adresse", "Skriv en gyldig e-mailadresse, fx navn@kommune.dk."),
        ("navn@", "Skriv en gyldig e-mailadresse, fx navn@kommune.dk."),
        ("", "Skriv din e-mailadresse."),
        ("a" * 250 + "@kommune.example", "E-mailadressen er for lang."),
    ],
)
def test_malformed_addresses_are_rejected_in_danish(client, email, expected):
    response = subscribe(client, email, "unge")
    assert response.status_code == 200
    text = response.content.decode()
    assert expected in text
    soup = BeautifulSoup(text, "html.parser")
    assert soup.find(class_="error-summary", autofocus=True)
    assert soup.find("input", attrs={"name": "email"})["aria-invalid"] == "true"
    assert soup.title.text.startswith("Fejl:")
    assert not Subscriber.objects.exists() and not mail.outbox


def test_work_areas_are_required_and_bad_values_do_not_crash(client):
    response = client.post("/nyhedsbrev/", {"email": "a@kommune.example"})
    assert "Vælg mindst ét arbejdsområde." in response.content.decode()
    # The summary's link leads to the first box, not to the group's wrapper (where the
    # focus landed on the page itself, an outside walk).
    summary = BeautifulSoup(response.content, "html.parser").find(class_="error-summary")
    assert summary.find("a")["href"] == "#id_work_areas_0"
    for bad in (["abc"], ["999999"], ["1", "-1"]):
        response = client.post(
            "/nyhedsbrev/", {"email": "a@kommune.example", "work_areas": bad, "regions": bad}
        )
        assert response.status_code == 200
        assert "fra listen" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_the_form_is_rate_limited_per_ip(client):
    """30 sign-ups per 10 minutes from one address: a room of colleagues behind one
    jobcentre IP gets through (a re-check was turned away after 5), a script does not."""
    for n in range(30):
        assert subscribe(client, f"person{n}@kommune.example", "unge").status_code == 302
    response = subscribe(client, "person99@kommune.example", "unge")
    assert response.status_code == 429
    assert "For mange forsøg" in response.content.decode()
    assert 590 < int(response["Retry-After"]) <= 600
    assert "Vent 10 minutter" in response.content.decode()
    assert len(mail.outbox) == 30


def test_the_wait_is_the_refusing_limit_s(client, settings):
    """A refusal by one limit says when that limit's window ends, not the other's (a
    review found the later of both windows was said)."""
    settings.NEWSLETTER_SUBSCRIBE_RATE = (1, 60)
    settings.NEWSLETTER_SUBSCRIBE_IP_RATE = (30, 600)
    assert subscribe(client, "en@kommune.example", "unge").status_code == 302
    refused = subscribe(client, "en@kommune.example", "unge")
    assert refused.status_code == 429 and 0 < int(refused["Retry-After"]) <= 60
    assert "Vent 1 minut," in refused.content.decode()


def test_the_form_is_rate_limited_per_address(client):
    for n in range(5):
        response = subscribe(client, "samme@kommune.example", "unge", REMOTE_ADDR=f"10.0.0.{n}")
        assert response.status_code == 302
    response = client.post(
        "/nyhedsbrev/",
        {"email": "SAMME@kommune.example", "work_areas": area_ids("unge")},
        REMOTE_ADDR="10.0.0.99",
    )
    assert response.status_code == 429


def test_a_member_subscribes_from_their_account_without_a_confirmation_mail(client, member):
    client.force_login(member)
    page = client.get("/nyhedsbrev/mine/")
    assert page.status_code == 200
    assert 'href="/nyhedsbrev/mine/"' in page.content.decode()  # the account sidebar link
    response = client.post("/nyhedsbrev/mine/", {"work_areas": area_ids("unge", "ydelser")})
    assert response.status_code == 302
    subscriber = Subscriber.objects.get(email=member.email)
    assert subscriber.status == SubscriberStatus.ACTIVE
    assert subscriber.consents.get().method == "profile"
    assert not mail.outbox

    client.post("/nyhedsbrev/mine/", {"work_areas": area_ids("unge"), "paused": "on"})
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.PAUSED

    client.post("/nyhedsbrev/mine/", {"unsubscribe": "1"})
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
    assert "Du får ikke nyhedsbrevet" in client.get("/nyhedsbrev/mine/").content.decode()


def test_a_member_with_an_unverified_address_confirms_by_mail(client):
    from network.factories import UserFactory

    member = UserFactory(email="ubekraeftet@kommune.example", verified=False)
    client.force_login(member)
    client.post("/nyhedsbrev/mine/", {"work_areas": area_ids("unge")})
    assert Subscriber.objects.get().status == SubscriberStatus.PENDING
    assert len(mail.outbox) == 1
    client.post(link(mail.outbox[0], "bekraeft"))
    assert ConsentRecord.objects.get().method == "profile"


def test_the_member_page_requires_login(client):
    response = client.get("/nyhedsbrev/mine/")
    assert response.status_code == 302
    assert "/konto/login/" in response["Location"]


def test_a_sign_up_of_a_member_s_address_by_someone_else_does_not_read_as_subscribed(
    client, member
):
    """An outside attacker signed a member's address up on the public form; the
    member's page then said "Du får nyhedsbrevet" while nothing was confirmed."""
    from django.test import Client

    subscribe(Client(), member.email, "unge")
    assert Subscriber.objects.get(email=member.email).status == SubscriberStatus.PENDING
    client.force_login(member)
    page = client.get("/nyhedsbrev/mine/").content.decode()
    assert "Du får nyhedsbrevet på" not in page and "Du får ikke nyhedsbrevet endnu" in page
    assert "Det siger du ja til" in page and ">Tilmeld</button>" in page
    assert "Afmeld nyhedsbrevet" not in page
    # Saving here is the member's own consent.
    client.post("/nyhedsbrev/mine/", {"work_areas": area_ids("ydelser")})
    assert Subscriber.objects.get(email=member.email).status == SubscriberStatus.ACTIVE
    assert "Du får nyhedsbrevet på" in client.get("/nyhedsbrev/mine/").content.decode()
