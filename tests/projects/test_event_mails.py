"""Events that look after their attendees: confirmation and move-up mails with the
.ics, the day-before reminder, the meeting link only for those with a seat, the
"Materialet er lagt op" notice, and what a past event shows."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar

from network.factories import UserFactory
from projects.factories import create_event, create_project
from projects.models import EventMaterial, EventPage, EventRegistration

MEETING = "https://moede.example/rum/hemmelig-42"


@pytest.fixture
def project(people):
    return create_project(
        "Digitale veje til job",
        visibility="public",
        coordinators=[people["coordinator"]],
        participants=[people["participant"]],
    )


def _online_event(project, *, capacity=None, days_ahead=10):
    event = create_event(project, "Webinar om videomøder", capacity=capacity, kind="webinar")
    # 08:00 UTC: 09:00 or 10:00 in Copenhagen, never the same clock time.
    starts = (timezone.now() + datetime.timedelta(days=days_ahead)).replace(
        hour=8, minute=0, second=0, microsecond=0
    )
    event.starts_at, event.ends_at = starts, starts + datetime.timedelta(hours=2)
    event.online_url = MEETING
    event.save_revision().publish()
    return EventPage.objects.get(pk=event.pk)


def _sign_up(client, user, event):
    client.force_login(user)
    response = client.post(event.url + "tilmeld/")
    assert response.status_code == 302
    return EventRegistration.objects.get(event=event, user=user)


def _move(event, starts):
    EventPage.objects.filter(pk=event.pk).update(
        starts_at=starts, ends_at=starts + datetime.timedelta(hours=3)
    )
    return EventPage.objects.get(pk=event.pk)


def _ics_attachment(message):
    [(filename, content, mimetype)] = message.attachments
    assert filename.endswith(".ics") and mimetype == "text/calendar"
    [vevent] = Calendar.from_ical(content).walk("VEVENT")
    return vevent


def _sign_up_sequence(event):
    from projects import calendar

    [vevent] = Calendar.from_ical(calendar.build(event.title, [event])).walk("VEVENT")
    return vevent["SEQUENCE"]


def _vevent_text(vevent) -> str:
    return " ".join(str(vevent.get(key, "")) for key in ("LOCATION", "DESCRIPTION", "URL"))


def _document(title):
    from django.core.files.base import ContentFile

    from network.models import SiteDocument

    document = SiteDocument(title=title)
    document.file.save("materiale.pdf", ContentFile(b"%PDF-1.4 slides"), save=False)
    document.save()
    return document


# -- confirmation and moving up ------------------------------------------------------


@pytest.mark.django_db
def test_sign_up_confirms_by_mail_with_ics_and_meeting_link(client, people, project):
    event = _online_event(project)
    _sign_up(client, people["participant"], event)
    [message] = mail.outbox
    assert message.to == [people["participant"].email]
    assert message.subject == "Du er tilmeldt: Webinar om videomøder"
    assert "Du er tilmeldt »Webinar om videomøder«" in message.body
    assert f"{settings.SITE_URL}{event.url}" in message.body
    assert MEETING in message.body
    # The time as a reader in Copenhagen sees it, not UTC.
    local = timezone.localtime(event.starts_at, timezone.get_default_timezone())
    assert f"kl. {local:%H:%M}" in message.body
    assert f"kl. {event.starts_at.astimezone(datetime.UTC):%H:%M}" not in message.body
    vevent = _ics_attachment(message)
    assert str(vevent["SUMMARY"]) == "Webinar om videomøder"
    assert vevent.decoded("DTSTART") == event.starts_at
    assert MEETING in _vevent_text(vevent)
    assert str(vevent["URL"]) == f"{settings.SITE_URL}{event.url}"


@pytest.mark.django_db
@pytest.mark.parametrize("capacity", [None, 5])
def test_the_mail_names_a_seat_only_where_seats_are_counted(client, people, project, capacity):
    """An outside walk read "afmeld dig …, så pladsen kan gå videre" in the mail of an
    event with no limit on seats (and "så … så" in one sentence)."""
    _sign_up(client, people["participant"], _online_event(project, capacity=capacity))
    [message] = mail.outbox
    assert "Kan du alligevel ikke deltage, så afmeld dig på arrangementets side." in message.body
    assert ("Pladsen går så videre til en anden." in message.body) == (capacity is not None)
    assert ", så pladsen" not in message.body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "title", "named"),
    [
        ("webinar", "Webinar om videomøder", "Webseminar: Webinar om videomøder"),
        ("webinar", "Webseminar: Digitale påmindelser", "Webseminar: Digitale påmindelser"),
        ("theme_day", "Temadag 4: Opsamling", "Temadag 4: Opsamling"),
        ("other", "Netværksmøde i Vejle", "Netværksmøde i Vejle"),
    ],
)
def test_the_mail_names_the_event_with_its_type_once(client, people, project, kind, title, named):
    event = _online_event(project)
    event.kind, event.title = kind, title
    event.save_revision().publish()
    _sign_up(client, people["participant"], event)
    [message] = mail.outbox
    assert f"\n{named}\nProjekt: " in message.body


@pytest.mark.django_db
def test_waitlisted_sign_up_says_so_without_meeting_link_or_ics(client, people, project):
    event = _online_event(project, capacity=1)
    _sign_up(client, people["participant"], event)
    mail.outbox.clear()
    waiting = _sign_up(client, people["member"], event)
    assert waiting.status == "waitlisted"
    [message] = mail.outbox
    assert message.to == [people["member"].email]
    assert message.subject == "Du er på ventelisten: Webinar om videomøder"
    assert "ventelisten" in message.body and "Du er ikke tilmeldt endnu" in message.body
    assert "står på ventelisten som nr. 1." in message.body
    mail.outbox.clear()
    second = UserFactory(email="nummer.to@kommune.example")
    project.participants.create(user=second)
    _sign_up(client, second, event)
    assert "står på ventelisten som nr. 2." in mail.outbox[0].body
    client.force_login(people["member"])
    assert "Du står på ventelisten som nr. 1." in client.get(event.url).content.decode()
    assert f"{settings.SITE_URL}{event.url}" in message.body
    assert MEETING not in message.body
    assert message.attachments == []


@pytest.mark.django_db
def test_signing_up_twice_sends_one_confirmation(client, people, project):
    event = _online_event(project)
    _sign_up(client, people["participant"], event)
    _sign_up(client, people["participant"], event)
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_moving_up_from_the_waiting_list_mails_the_ics_with_meeting_link(client, people, project):
    event = _online_event(project, capacity=1)
    _sign_up(client, people["participant"], event)
    _sign_up(client, people["member"], event)
    mail.outbox.clear()
    client.force_login(people["participant"])
    client.post(event.url + "afmeld/")
    [message] = [m for m in mail.outbox if m.to == [people["member"].email]]
    assert message.subject == "Du har fået en plads: Webinar om videomøder"
    assert "du er nu tilmeldt »Webinar om videomøder«" in message.body
    assert MEETING in message.body
    assert f"{settings.SITE_URL}{event.url}" in message.body
    vevent = _ics_attachment(message)
    assert str(vevent["SUMMARY"]) == "Webinar om videomøder"
    assert MEETING in _vevent_text(vevent)


# -- the meeting link: who sees it ---------------------------------------------------

SEES_LINK = {
    "anonymous": False,
    "member": False,
    "waitlisted": False,
    "cancelled": False,
    "registered": True,
    "coordinator": True,
    "editor": True,
}


@pytest.mark.django_db
@pytest.mark.parametrize("who", list(SEES_LINK))
def test_meeting_link_only_for_those_with_a_seat(client, people, project, who):
    event = _online_event(project, capacity=1)
    registered = UserFactory(email="tilmeldt@test.example")
    waitlisted = UserFactory(email="venteliste@test.example")
    cancelled = UserFactory(email="afmeldt@test.example")
    _sign_up(client, registered, event)
    _sign_up(client, waitlisted, event)
    _sign_up(client, cancelled, event)
    client.post(event.url + "afmeld/")
    client.logout()
    user = {
        "anonymous": None,
        "member": people["member"],
        "waitlisted": waitlisted,
        "cancelled": cancelled,
        "registered": registered,
        "coordinator": people["coordinator"],
        "editor": people["editor"],
    }[who]
    if user:
        client.force_login(user)
    expected = SEES_LINK[who]

    page = client.get(event.url)
    assert page.status_code == 200
    assert (MEETING in page.content.decode()) is expected
    assert "Online" in page.content.decode()  # everyone may know it is online

    response = client.get(event.url + "kalender/")
    assert response.status_code == 200
    [vevent] = Calendar.from_ical(response.content).walk("VEVENT")
    assert (MEETING in _vevent_text(vevent)) is expected
    assert str(vevent["SUMMARY"]) == "Webinar om videomøder"

    # The subscribable project feed never carries it, not even for those with a seat.
    feed = client.get(project.url + "kalender/")
    assert feed.status_code == 200
    [item] = Calendar.from_ical(feed.content).walk("VEVENT")
    assert str(item["SUMMARY"]) == "Webinar om videomøder"
    assert MEETING not in _vevent_text(item)
    assert str(item["LOCATION"]) == "Vejle"


@pytest.mark.django_db
def test_online_only_event_in_the_public_feed_says_online_not_the_link(client, project):
    event = _online_event(project)
    EventPage.objects.filter(pk=event.pk).update(location="")
    [item] = Calendar.from_ical(client.get(project.url + "kalender/").content).walk("VEVENT")
    assert str(item["LOCATION"]) == "Online"
    assert MEETING not in _vevent_text(item)


def test_an_online_event_whose_place_is_online_says_so_once(client, project):
    """ "Sted: Online" over "Online: Linket til mødet …" (an outside walk)."""
    from bs4 import BeautifulSoup

    event = _online_event(project)
    EventPage.objects.filter(pk=event.pk).update(location="Online")
    facts = BeautifulSoup(client.get(event.url).content, "html.parser").find("dl", class_="facts")
    assert [dt.text for dt in facts.find_all("dt")] == ["Tid", "Online"]
    EventPage.objects.filter(pk=event.pk).update(location="Vejle Rådhus")
    facts = BeautifulSoup(client.get(event.url).content, "html.parser").find("dl", class_="facts")
    assert [dt.text for dt in facts.find_all("dt")] == ["Tid", "Sted", "Online"]


def test_a_moved_event_tells_its_attendees_with_an_ics_that_updates_their_calendar(
    client, people, project
):
    """A coordinator (now on the site, or an editor in the admin) moves a theme day:
    those with a seat get the new time and an .ics with the same UID and a higher
    SEQUENCE; a change of the description alone tells no one."""
    event = _online_event(project, capacity=1)
    # Published a while ago (a test runs within a second; SEQUENCE counts seconds).
    EventPage.objects.filter(pk=event.pk).update(
        last_published_at=timezone.now() - datetime.timedelta(hours=1)
    )
    _sign_up(client, people["participant"], event)
    _sign_up(client, people["member"], event)  # the waiting list
    signed_up = _ics_attachment(mail.outbox[0])
    mail.outbox.clear()

    event.summary = "Ny beskrivelse"
    event.save_revision().publish()
    assert mail.outbox == []

    later = event.starts_at + datetime.timedelta(days=7)
    event = EventPage.objects.get(pk=event.pk)
    event.starts_at, event.ends_at = later, later + datetime.timedelta(hours=2)
    event.save_revision().publish()

    told = {message.to[0]: message for message in mail.outbox}
    assert set(told) == {people["participant"].email, people["member"].email}
    message = told[people["participant"].email]
    assert message.subject == "Ændret: Webinar om videomøder"
    # The waiting list hears the new facts too, with no .ics (no seat yet).
    waiting = told[people["member"].email]
    assert "som du står på ventelisten til (som nr. 1), er ændret" in waiting.body
    assert waiting.attachments == [] and MEETING not in waiting.body
    local = timezone.localtime(later)
    assert "er ændret. Sådan er det nu" in message.body and f"kl. {local:%H:%M}" in message.body
    moved = _ics_attachment(message)
    assert moved["UID"] == signed_up["UID"]
    assert int(moved["SEQUENCE"]) > int(signed_up.get("SEQUENCE", 0))
    assert moved.decoded("DTSTART") == later.replace(microsecond=0)
    assert MEETING in _vevent_text(moved)  # a seat: the link, as in the sign-up .ics


def test_cancelling_takes_the_event_out_of_the_calendar_again(client, people, project):
    """An outside walk cancelled and kept the event in their calendar, and Mit overblik
    still offered to add it."""
    event = _online_event(project, capacity=1)
    _sign_up(client, people["participant"], event)
    _sign_up(client, people["member"], event)  # the waiting list
    mail.outbox.clear()
    client.force_login(people["member"])
    client.post(event.url + "afmeld/")  # leaving the waiting list: nothing to take out
    assert mail.outbox == []
    _sign_up(client, people["member"], event)
    mail.outbox.clear()

    client.force_login(people["participant"])
    client.post(event.url + "afmeld/")

    told = {message.to[0]: message for message in mail.outbox}
    message = told[people["participant"].email]
    assert message.subject == "Du er afmeldt: Webinar om videomøder"
    [(name, ics, mimetype)] = message.attachments
    assert "METHOD:CANCEL" in ics and f"UID:event-{event.pk}@" in ics
    assert told[people["member"].email].subject.startswith("Du har fået en plads")
    overview = client.get("/overblik/").content.decode()
    assert "Føj til kalender" not in overview and "Afmeldt" not in overview
    assert "Ikke tilmeldt" in overview


# -- the reminder the day before ------------------------------------------------------


def _tomorrow_at(hour):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time(hour)))


@pytest.mark.django_db
def test_reminder_goes_once_to_each_registered_attendee(client, people, project):
    event = _online_event(project, capacity=2)
    later = _online_event(project, days_ahead=3)
    registered, other = people["participant"], people["coordinator"]
    _sign_up(client, registered, event)
    _sign_up(client, other, event)
    _sign_up(client, people["member"], event)  # waiting list
    _sign_up(client, registered, later)
    client.force_login(other)
    client.post(event.url + "afmeld/")  # the member moves up ...
    client.force_login(people["member"])
    client.post(event.url + "afmeld/")  # ... and cancels too
    event = _move(event, _tomorrow_at(10))
    mail.outbox.clear()

    call_command("send_event_reminders", stdout=open("/dev/null", "w"))
    call_command("send_event_reminders", stdout=open("/dev/null", "w"))

    [message] = mail.outbox
    assert message.to == [registered.email]
    assert message.subject == "Påmindelse: Webinar om videomøder i morgen"
    assert "som er i morgen" in message.body
    assert "kl. 10:00" in message.body  # Copenhagen time
    assert MEETING in message.body
    assert f"{settings.SITE_URL}{event.url}" in message.body
    assert MEETING in _vevent_text(_ics_attachment(message))
    assert EventRegistration.objects.get(event=event, user=registered).reminded_at
    assert not EventRegistration.objects.get(event=later, user=registered).reminded_at


@pytest.mark.django_db
def test_waitlisted_get_no_reminder(client, people, project):
    event = _online_event(project, capacity=1)
    _sign_up(client, people["participant"], event)
    _sign_up(client, people["member"], event)
    _move(event, _tomorrow_at(10))
    mail.outbox.clear()
    call_command("send_event_reminders", stdout=open("/dev/null", "w"))
    assert [m.to for m in mail.outbox] == [[people["participant"].email]]


@pytest.mark.django_db
def test_signing_up_the_day_before_the_confirmation_is_the_reminder(client, people, project):
    event = _move(_online_event(project), _tomorrow_at(10))
    _sign_up(client, people["participant"], event)
    assert len(mail.outbox) == 1
    call_command("send_event_reminders", stdout=open("/dev/null", "w"))
    assert len(mail.outbox) == 1


# -- material after the event ---------------------------------------------------------


def _add_material(event, title):
    event = EventPage.objects.get(pk=event.pk)
    event.materials.add(EventMaterial(document=_document(title), title=title))
    event.save_revision().publish()
    return event


@pytest.mark.django_db
def test_material_after_the_event_is_announced_once_per_document(client, people, project):
    event = _online_event(project, capacity=1)
    _sign_up(client, people["participant"], event)
    _sign_up(client, people["member"], event)  # waiting list: not told
    _add_material(event, "Program")  # before the event: no notice, now or later
    event = _move(event, timezone.now() - datetime.timedelta(days=2))
    mail.outbox.clear()

    event = _add_material(event, "Slides fra webinaret")
    [message] = mail.outbox
    assert message.to == [people["participant"].email]
    assert message.subject == "Materialet er lagt op: Webinar om videomøder"
    assert "Materialet fra »Webinar om videomøder« er lagt op" in message.body
    assert "Slides fra webinaret" in message.body and "Program" not in message.body
    assert f"{settings.SITE_URL}{event.url}" in message.body

    EventPage.objects.get(pk=event.pk).save_revision().publish()  # nothing new
    assert len(mail.outbox) == 1

    _add_material(event, "Opsamling")
    assert len(mail.outbox) == 2
    assert "Opsamling" in mail.outbox[1].body
    assert "Slides fra webinaret" not in mail.outbox[1].body


@pytest.mark.django_db
def test_material_notice_goes_to_each_attendee_separately(client, people, project):
    event = _online_event(project)
    _sign_up(client, people["participant"], event)
    _sign_up(client, people["coordinator"], event)
    event = _move(event, timezone.now() - datetime.timedelta(days=1))
    mail.outbox.clear()
    _add_material(event, "Slides")
    assert sorted(m.to for m in mail.outbox) == sorted(
        [[people["coordinator"].email], [people["participant"].email]]
    )


# -- a past event ------------------------------------------------------------------------


@pytest.mark.django_db
def test_past_event_shows_material_not_seats_or_sign_up(client, people, project):
    event = _online_event(project, capacity=20)
    event = _move(event, timezone.now() - datetime.timedelta(days=3))
    event.recording_url = "https://video.example/optagelse"
    event.save_revision().publish()
    _add_material(event, "Slides fra webinaret")
    client.force_login(people["member"])
    text = client.get(event.url).content.decode()
    assert "Arrangementet er afholdt" in text
    assert "Slides fra webinaret" in text and "https://video.example/optagelse" in text
    assert "Tilmeld mig" not in text and "tilmeld/" not in text
    assert "Pladser" not in text and "er taget" not in text
    assert client.post(event.url + "tilmeld/").status_code == 403

    upcoming = _online_event(project, capacity=20)
    text = client.get(upcoming.url).content.decode()
    assert "Tilmeld mig" in text and "0 af 20 er taget" in text


def test_the_page_after_signing_up_says_it_once_and_what_follows(client, people, project):
    """An outside walk saw "Du er tilmeldt." twice: the message and the box."""
    event = _online_event(project)
    client.force_login(people["participant"])
    html = client.post(event.url + "tilmeld/", follow=True).content.decode()
    assert html.count("Du er tilmeldt.") == 1
    assert "Du får en bekræftelse på mail med arrangementet til din kalender." in html


@pytest.mark.django_db
def test_deleting_an_event_people_signed_up_for_warns_and_tells_them(client, people, project):
    """An outside editor walk deleted a theme day with a sign-up: the delete page said
    nothing of it, and the person who had signed up was never told."""
    from network.factories import UserFactory

    upcoming = create_event(project, "Temadag om video", days_ahead=5, capacity=1)
    held = create_event(project, "Afholdt temadag", days_ahead=-5)
    _sign_up(client, people["participant"], upcoming)
    _sign_up(client, people["coordinator"], upcoming)  # the waiting list
    EventRegistration.objects.create(event=held, user=people["participant"], status="registered")
    admin = UserFactory(email="admin@test.example", is_superuser=True, is_staff=True)
    client.force_login(admin)

    page = client.get(f"/admin/pages/{upcoming.pk}/delete/").content.decode()
    assert "2 tilmeldinger (heraf 1 på venteliste) fra 2 personer til »Temadag om video«" in page
    assert "ret datoen i stedet" in page
    mail.outbox.clear()
    response = client.post(f"/admin/pages/{upcoming.pk}/delete/")
    assert response.status_code == 302
    assert not EventPage.objects.filter(pk=upcoming.pk).exists()
    told = {message.to[0]: message for message in mail.outbox}
    assert set(told) == {people["participant"].email, people["coordinator"].email}
    assert told[people["participant"].email].subject == "Aflyst: Temadag om video"
    body = told[people["participant"].email].body
    assert "er aflyst, og din tilmelding er slettet" in body
    local = timezone.localtime(upcoming.starts_at, timezone.get_default_timezone())
    assert f"{local.day}. " in body and f"kl. {local:%H:%M}" in body
    assert f"{settings.SITE_URL}{project.url}" in body
    assert "plads på ventelisten er slettet" in told[people["coordinator"].email].body
    # The calendar the sign-up mail's .ics went into is told too: the same UID, cancelled.
    [(name, ics, mimetype)] = told[people["participant"].email].attachments
    assert name.endswith(".ics") and mimetype == "text/calendar"
    assert "METHOD:CANCEL" in ics and "STATUS:CANCELLED" in ics
    # A SEQUENCE above the sign-up .ics's, so the calendar takes the cancellation.
    [vevent] = Calendar.from_ical(ics).walk("VEVENT")
    assert int(vevent["SEQUENCE"]) > int(_sign_up_sequence(upcoming))
    host = settings.SITE_URL.split("//")[1].split(":")[0].split("/")[0]
    assert f"UID:event-{upcoming.pk}@{host}" in ics

    # A held event is history: deleting it tells no one.
    held_page = client.get(f"/admin/pages/{held.pk}/delete/").content.decode()
    assert "får hver en mail om, at arrangementet er aflyst" not in held_page
    mail.outbox.clear()
    client.post(f"/admin/pages/{held.pk}/delete/")
    assert not mail.outbox


@pytest.mark.django_db
def test_a_bulk_delete_of_a_project_tells_those_signed_up_for_its_events(client, people, project):
    upcoming = create_event(project, "Webinar om sms", days_ahead=3)
    _sign_up(client, people["participant"], upcoming)
    admin = UserFactory(email="admin@test.example", is_superuser=True, is_staff=True)
    client.force_login(admin)
    mail.outbox.clear()
    # The project and its event both chosen: one mail, not two.
    ids = f"id={project.pk}&id={upcoming.pk}"
    # The confirmation page says so first, as the single page's delete does.
    confirm = client.get(f"/admin/bulk/wagtailcore/page/delete/?{ids}").content.decode()
    assert "1 tilmelding fra 1 person til »Webinar om sms«." in confirm
    assert not mail.outbox
    response = client.post(f"/admin/bulk/wagtailcore/page/delete/?{ids}", {})
    assert response.status_code == 302
    assert not EventPage.objects.filter(pk=upcoming.pk).exists()
    [told] = mail.outbox
    assert told.subject == "Aflyst: Webinar om sms"
    # The project went too: the mail points at the list of projects, not at the project.
    assert f"{settings.SITE_URL}/projekter/\n" in told.body
    assert project.url not in told.body


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["delete", "publish", "unpublish", "move"])
def test_a_bulk_action_with_an_id_past_64_bits_is_a_400(client, action):
    """An outside attacker: ?id=99999999999999999999999 gave the bulk delete a 500
    (OverflowError), where other bad ids gave 400 or 404."""
    admin = UserFactory(email="admin@test.example", is_superuser=True, is_staff=True)
    client.force_login(admin)
    url = f"/admin/bulk/wagtailcore/page/{action}/?id=99999999999999999999999"
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 400
        assert "Der er ingen side eller post med det id." in response.content.decode()


@pytest.mark.django_db
def test_an_admin_parameter_of_thousands_of_digits_is_a_400(client):
    """The fuzz test: ?next=9…9 (6,343 digits) on /admin/ gave a 500, since Python
    refuses to read more than 4,300 digits as a number."""
    client.force_login(UserFactory(email="admin@test.example", is_superuser=True, is_staff=True))
    for value in ("9" * 6343, "9" * 20):
        response = client.get("/admin/", {"next": value})
        assert response.status_code == 400
        assert "Der er ingen side eller post med det id." in response.content.decode()
    assert client.get("/admin/", {"next": "²³"}).status_code == 200
