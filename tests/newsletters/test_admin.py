"""Editors compose, fill, preview, test and send editions in the Wagtail admin."""

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from experiences.factories import create_experience
from network.models import User, WorkArea
from newsletters.factories import SubscriberFactory, edition_with_items
from newsletters.models import Edition, EditionStatus, Subscriber, SubscriberStatus

pytestmark = pytest.mark.django_db
BASE = "/admin/nyhedsbreve/udgaver"


@pytest.fixture
def editor(demo):
    return User.objects.get(email="redaktoer@netvaerk.example")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def _item(area_slug, title, url, **extra):
    return {
        "work_area": WorkArea.objects.get(slug=area_slug).pk,
        "title": title,
        "summary": "Resumé",
        "url": url,
        "kind": "Artikel",
        "municipality_codes": "",
        **extra,
    }


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("/erfaringer/findes-ikke/", "Der er ingen offentlig side på sitet med stien"),
        ("/findes/slet/ikke/", "Der er ingen offentlig side på sitet med stien"),
        ("http://kommune.example/side", "Brug en https-adresse"),
        ("javascript:alert(1)", "Skriv en sti på sitet"),
    ],
)
def test_an_item_link_that_goes_nowhere_is_refused_in_danish(editor_client, url, said):
    """A mistyped path or a plain http:// link went to every subscriber."""
    response = editor_client.post(
        f"{BASE}/new/",
        nested_form_data(
            {
                "subject": "Med forkert link",
                "intro": "",
                "items": inline_formset([_item("unge", "Punkt", url)]),
            }
        ),
    )
    assert response.status_code == 200 and said in response.content.decode()
    assert not Edition.objects.filter(subject="Med forkert link").exists()


def test_an_item_may_link_to_a_live_page_its_sub_routes_and_the_sites_own_routes(db, demo):
    from newsletters.models.editions import validate_link
    from projects.models import TrialAction

    log = TrialAction.objects.filter(visibility="public").first()
    for url in ("/erfaringer/", "/nyhedsbrev/", log.get_absolute_url(), "https://kl.dk/x"):
        validate_link(url)  # no error


def test_an_editor_creates_an_edition_and_fills_it_from_what_is_new(editor_client):
    response = editor_client.post(
        f"{BASE}/new/",
        nested_form_data(
            {
                "subject": "Nyt i december",
                "intro": "Kære læser\n\nGod læselyst.",
                "items": inline_formset([_item("unge", "Håndskrevet punkt", "/erfaringer/")]),
            }
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    edition = Edition.objects.get(subject="Nyt i december")
    assert response["Location"] == f"{BASE}/overview/{edition.pk}/"
    overview = editor_client.get(response["Location"])
    assert overview.status_code == 200
    assert "Udfyld med det nye" in overview.content.decode()
    # Wagtail's own success message, in Danish (its catalogue lacks it).
    assert "Nyhedsbrev »Nyt i december« er oprettet." in overview.content.decode()

    fresh = create_experience("Brand ny erfaring om unge", topics=["unge", "integration"])
    response = editor_client.post(f"{BASE}/fill/{edition.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}/edit/{edition.pk}/"
    items = list(edition.items.order_by("sort_order").values_list("title", "work_area__slug"))
    assert items[0] == ("Håndskrevet punkt", "unge")
    assert ("Brand ny erfaring om unge", "unge") in items
    assert ("Brand ny erfaring om unge", "integration") in items
    item = edition.items.get(title=fresh.title, work_area__slug="unge")
    assert item.url == fresh.url and item.source == "experiences"

    # Filling again adds nothing that is already there.
    count = edition.items.count()
    editor_client.post(f"{BASE}/fill/{edition.pk}/")
    assert edition.items.count() == count

    edit_page = editor_client.get(f"{BASE}/edit/{edition.pk}/")
    assert edit_page.status_code == 200
    assert "Brand ny erfaring om unge" in edit_page.content.decode()


def test_an_editor_reorders_and_removes_items(editor_client):
    edition = edition_with_items({"unge": 3}, subject="Rækkefølge")
    first, second, third = edition.items.order_by("sort_order")
    rows = [
        # (links to pages that exist: the factory's made-up paths are refused on save)
        {"id": third.pk, **_item("unge", third.title, "/erfaringer/")},
        {"id": first.pk, **_item("unge", first.title, "/nyhedsbrev/")},
        {"id": second.pk, **_item("unge", second.title, "/projekter/"), "DELETE": "1"},
    ]
    data = nested_form_data(
        {"subject": "Rækkefølge", "intro": "", "items": inline_formset(rows, initial=3)}
    )
    response = editor_client.post(f"{BASE}/edit/{edition.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(edition.items.order_by("sort_order").values_list("pk", flat=True)) == [
        third.pk,
        first.pk,
    ]


def test_preview_as_a_segment_and_a_test_mail_to_oneself(editor_client, editor):
    edition = edition_with_items({"unge": 1, "ydelser": 1}, subject="Forhåndsvist")
    unge = WorkArea.objects.get(slug="unge")
    young_title = edition.items.get(work_area=unge).title
    other_title = edition.items.get(work_area__slug="ydelser").title

    page = editor_client.get(f"{BASE}/preview/{edition.pk}/?work_areas={unge.pk}")
    assert page.status_code == 200
    text = page.content.decode()
    assert young_title in text and other_title not in text  # the plain-text part
    assert "__NEWSLETTER_" not in text  # personal links filled in, as in the HTML preview
    html = editor_client.get(f"{BASE}/preview-mail/{edition.pk}/?work_areas={unge.pk}")
    assert young_title in html.content.decode()
    assert html.headers["X-Frame-Options"] == "SAMEORIGIN"

    response = editor_client.post(f"{BASE}/send-test/{edition.pk}/", {"work_areas": [unge.pk]})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == [editor.email]
    assert message.subject == "[Test] Forhåndsvist"
    assert young_title in message.body and other_title not in message.body
    # No subscription to end: no one-click header, and the link is a page that answers.
    assert "List-Unsubscribe-Post" not in message.extra_headers
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    from urllib.parse import urlsplit

    assert editor_client.get(urlsplit(link).path).status_code == 200
    edition.refresh_from_db()
    assert edition.status == EditionStatus.DRAFT and not edition.deliveries.exists()


def test_a_test_mail_with_a_long_danish_subject_is_sent(editor_client, editor):
    subject = "Nyt fra netværket: erfaringer fra landets jobcentre og kommuner – æøå"
    edition = edition_with_items({"unge": 1}, subject=subject)
    response = editor_client.post(f"{BASE}/send-test/{edition.pk}/", {})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.subject == "[Test] " + subject and message.to == [editor.email]


def test_a_test_mail_the_server_refuses_gets_a_message_not_an_error(editor_client, settings):
    from tests.net import unused_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", unused_port()  # nobody listens
    edition = edition_with_items({"unge": 1}, subject="Server væk")
    response = editor_client.post(f"{BASE}/send-test/{edition.pk}/", {}, follow=True)
    assert response.status_code == 200
    assert "Mailserveren tog ikke imod testmailen" in response.content.decode()


def test_the_plain_text_preview_shows_markup_as_text(editor_client):
    """The plain-text part is rendered with autoescape off (it is a text mail); shown in
    the admin it must be escaped, or an item's title would run as markup there."""
    edition = edition_with_items({"unge": 1}, subject="Tegn")
    edition.items.update(title="<img src=x onerror=alert(1)> & <Navn>")
    text = editor_client.get(f"{BASE}/preview/{edition.pk}/").content.decode()
    assert "<img src=x" not in text and "<Navn>" not in text
    assert "&lt;img src=x onerror=alert(1)&gt; &amp; &lt;Navn&gt;" in text


def test_sending_from_the_admin_shows_progress_and_freezes_the_edition(editor_client):
    Subscriber.objects.all().delete()  # only this test's subscribers
    edition = edition_with_items({"unge": 1}, subject="Til alle unge")
    SubscriberFactory(email="a@kommune.example", work_areas=["unge"])
    SubscriberFactory(
        email="b@kommune.example", work_areas=["unge"], status=SubscriberStatus.PENDING
    )

    assert editor_client.get(f"{BASE}/start/{edition.pk}/").status_code == 200
    response = editor_client.post(f"{BASE}/start/{edition.pk}/")
    assert response.status_code == 302

    edition.refresh_from_db()
    assert edition.status == EditionStatus.SENT
    assert [m.to for m in mail.outbox] == [["a@kommune.example"]]
    overview = BeautifulSoup(
        editor_client.get(f"{BASE}/overview/{edition.pk}/").content, "html.parser"
    )
    assert overview.find("progress")["value"] == "1"
    assert "1 af 1 sendt" in overview.text
    listing = editor_client.get(f"{BASE}/").content.decode()
    assert "1 af 1" in listing

    # The confirmation sent again (Back, a second click) starts nothing and says so.
    again = editor_client.post(f"{BASE}/start/{edition.pk}/", follow=True)
    text = again.content.decode()
    assert "Nyhedsbrevet er allerede sendt." in text and "Udsendelsen er startet" not in text
    assert len(mail.outbox) == 1

    # A sent edition can no longer be edited, deleted or filled; it is in the archive.
    assert editor_client.get(f"{BASE}/edit/{edition.pk}/")["Location"].endswith(
        f"/overview/{edition.pk}/"
    )
    editor_client.post(f"{BASE}/delete/{edition.pk}/")
    assert Edition.objects.filter(pk=edition.pk).exists()
    editor_client.post(f"{BASE}/fill/{edition.pk}/")
    assert edition.items.count() == 1
    assert editor_client.get(f"/nyhedsbrev/arkiv/{edition.pk}/").status_code == 200


def test_an_edition_without_items_cannot_be_sent(editor_client):
    edition = Edition.objects.create(subject="Tom")
    editor_client.post(f"{BASE}/start/{edition.pk}/")
    edition.refresh_from_db()
    assert edition.status == EditionStatus.DRAFT


def test_the_subscriber_list_is_read_only(editor_client):
    response = editor_client.get("/admin/nyhedsbreve/abonnenter/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "jobkonsulent.syd@kommune-demo.example" in text
    assert "/admin/nyhedsbreve/abonnenter/new/" not in text


def test_the_subscriber_export_has_its_columns_and_opens_in_excel(editor_client):
    """An outside check: the export gave one empty row per subscriber, and the admin's
    CSV files had no byte order mark (Excel showed "fÃ¸rste")."""
    import csv
    import io

    SubscriberFactory(email="første@kommune.example", work_areas=["unge"])
    response = editor_client.get("/admin/nyhedsbreve/abonnenter/?export=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows[0]) == 4
    assert any(row[0] == "første@kommune.example" for row in rows[1:])
    assert all(any(cell for cell in row) for row in rows)


@pytest.mark.parametrize("email", ["medlem@netvaerk.example", "deltager@netvaerk.example"])
def test_members_without_newsletter_permissions_are_kept_out(client, demo, email):
    edition = edition_with_items({"unge": 1})
    client.force_login(User.objects.get(email=email))
    for path in (f"{BASE}/", f"{BASE}/overview/{edition.pk}/", f"{BASE}/preview/{edition.pk}/"):
        assert client.get(path).status_code in (302, 403)
    client.post(f"{BASE}/start/{edition.pk}/")
    edition.refresh_from_db()
    assert edition.status == EditionStatus.DRAFT


def test_the_fill_message_says_since_when_in_danish_time(editor_client):
    """The previous edition was filled at 08:30 UTC in winter: 09:30 in Denmark."""
    import datetime

    from django.contrib.messages import get_messages

    Edition.objects.exclude(status=EditionStatus.DRAFT).update(
        send_started_at=datetime.datetime(2026, 1, 2, 6, 0, tzinfo=datetime.UTC)
    )
    previous = edition_with_items({"unge": 1}, subject="Forrige")
    Edition.objects.filter(pk=previous.pk).update(
        status=EditionStatus.SENT,
        send_started_at=datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC),
        filled_until=datetime.datetime(2026, 11, 30, 8, 30, tzinfo=datetime.UTC),
    )
    draft = edition_with_items({"unge": 1}, subject="Næste")
    response = editor_client.post(f"{BASE}/fill/{draft.pk}/", follow=True)
    text = " ".join(str(m) for m in get_messages(response.wsgi_request)) + response.content.decode()
    assert "30. november 2026 09:30" in text
    assert "08:30" not in text


def test_an_item_unpublished_after_filling_is_left_out_and_named(editor_client):
    """It was mailed to every subscriber and stayed in the public archive."""
    from newsletters import sending

    edition = edition_with_items({"unge": 1}, subject="Uden det afpublicerede")
    gone = create_experience("Zqkortvarig artikel", topics=["unge"])
    editor_client.post(f"{BASE}/fill/{edition.pk}/")
    assert edition.items.filter(title=gone.title).exists()
    gone.unpublish()
    SubscriberFactory(email="laeser@kommune.example", work_areas=["unge"])

    preview = editor_client.get(f"{BASE}/preview/{edition.pk}/").content.decode()
    assert "ikke længere er offentligt" in preview and "»Zqkortvarig artikel«" in preview
    assert "Et kort resumé" in preview  # the rest is still there
    sending.start(edition)
    sending.run(edition)
    assert [m for m in mail.outbox if m.to == ["laeser@kommune.example"]]
    assert not [m for m in mail.outbox if "Zqkortvarig" in m.body]
    archive = editor_client.get(f"/nyhedsbrev/arkiv/{edition.pk}/").content.decode()
    assert "Uden det afpublicerede" in archive and "Zqkortvarig" not in archive


def test_an_edition_whose_every_item_was_unpublished_is_not_sent(editor_client):
    """It went out as an empty mail to the archive ("sent" to nobody)."""
    from newsletters import sending
    from newsletters.models import EditionStatus

    edition = edition_with_items({}, subject="Kun det afpublicerede")
    gone = create_experience("Zqeneste artikel", topics=["unge"])
    editor_client.post(f"{BASE}/fill/{edition.pk}/")
    edition.items.exclude(title=gone.title).delete()  # the editor kept only this one
    assert list(edition.items.values_list("title", flat=True)) == ["Zqeneste artikel"]
    gone.unpublish()
    SubscriberFactory(email="laeser@kommune.example", work_areas=["unge"])
    with pytest.raises(sending.SendingError, match="ikke længere offentlige"):
        sending.start(edition)
    edition.refresh_from_db()
    assert edition.status == EditionStatus.DRAFT and not mail.outbox


def test_a_subscribers_times_are_danish_time_in_the_list_and_the_details(editor_client):
    import datetime

    subscriber = SubscriberFactory(email="tid@kommune.example", work_areas=["unge"])
    subscriber.confirmed_at = datetime.datetime(2026, 7, 1, 22, 30, tzinfo=datetime.UTC)
    subscriber.save()
    listing = editor_client.get("/admin/nyhedsbreve/abonnenter/?q=tid@kommune.example")
    details = editor_client.get(f"/admin/nyhedsbreve/abonnenter/inspect/{subscriber.pk}/")
    for response in (listing, details):
        text = " ".join(response.content.decode().split())
        assert "2. juli 2026 00:30" in text and "22:30" not in text


def test_fill_names_new_content_left_out_for_want_of_a_work_area(editor_client):
    """An article with no work area cannot go in any section: the editor is told so,
    rather than finding it silently missing."""
    from django.contrib.messages import get_messages

    draft = edition_with_items({"unge": 1}, subject="Næste")
    create_experience("Zqartikel uden område", topics=[])
    response = editor_client.post(f"{BASE}/fill/{draft.pk}/", follow=True)
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(m.startswith("1 nyt indhold uden arbejdsområde kom ikke med") for m in said), said
    assert not draft.items.filter(title="Zqartikel uden område").exists()


def test_a_test_mail_of_an_edition_without_items_says_to_add_some(editor_client):
    """A new edition with only its intro: the editor is told what is missing, not that
    nothing fits the chosen work areas (an outside walk could not tell why)."""
    from django.contrib.messages import get_messages

    from newsletters.factories import EditionFactory

    edition = EditionFactory(subject="Kun intro")
    response = editor_client.post(f"{BASE}/send-test/{edition.pk}/", {}, follow=True)
    said = " ".join(str(m) for m in get_messages(response.wsgi_request))
    said += response.content.decode()
    assert "Nyhedsbrevet har ingen punkter endnu" in said
    assert not mail.outbox


def test_the_test_mails_web_version_opens_for_editors_before_the_send(editor_client):
    """*Læs nyhedsbrevet i din browser* in a test mail led to 404 until the edition was
    sent (found by an outside walk). Editors now see the unsent edition, marked as a
    preview; everyone else still gets 404, as for anything not sent."""
    import re
    from urllib.parse import urlsplit

    from django.test import Client

    from network.factories import UserFactory

    edition = edition_with_items({"unge": 1}, subject="Ikke sendt endnu")
    editor_client.post(f"{BASE}/send-test/{edition.pk}/", {})
    link = re.search(r"Læs nyhedsbrevet i din browser: (\S+)", mail.outbox[-1].body).group(1)
    path = urlsplit(link).path
    assert path == f"/nyhedsbrev/arkiv/{edition.pk}/"

    page = editor_client.get(path)
    assert page.status_code == 200 and page["Cache-Control"] == "private, no-store"
    body = page.content.decode()
    assert "Forhåndsvisning: nyhedsbrevet er ikke sendt endnu." in body
    assert edition.items.get().title in body and "Udsendt" not in body

    client = Client()
    assert client.get(path).status_code == 404  # anonymous
    client.force_login(UserFactory(email="medlem@kommune.example"))
    assert client.get(path).status_code == 404
    assert "Ikke sendt endnu" not in client.get("/nyhedsbrev/arkiv/").content.decode()


def test_an_inline_items_id_that_is_a_word_is_a_danish_400(editor_client):
    """Found by an outside re-check: `items-0-id=abc` with an initial form was a 500."""
    response = editor_client.post(
        f"{BASE}/new/",
        {
            "subject": "December",
            "intro": "",
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "1",
            "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "1000",
            "items-0-id": "abc",
            "items-0-title": "Titel",
            "items-0-url": "/erfaringer/",
            "items-0-ORDER": "1",
        },
    )
    assert response.status_code in (200, 400)
    assert not Edition.objects.filter(subject="December").exists()
