"""A coordinator sets up and changes the project's events on the site (an outside walk:
only editors could, in the admin)."""

import datetime
import re

import pytest
from django.utils import timezone

from projects.factories import create_event, create_project
from projects.models import EventPage

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("run_on_commit")]

FORM = {
    "title": "Temadag 5: Ærø og Østerbro",
    "kind": "theme_day",
    "starts_at": "2027-04-20T09:30",
    "ends_at": "2027-04-20T15:00",
    "location": "Vejle Rådhus",
    "capacity": "40",
    "summary": "Vi samler op på foråret.",
}


@pytest.fixture
def project(people):
    return create_project(
        "Digitale veje til job",
        visibility="members",
        coordinators=[people["coordinator"]],
        participants=[people["participant"]],
    )


def test_a_coordinator_puts_a_theme_day_in_the_programme(client, people, project):
    follower = people["member"]
    follower.follows.create(kind="project", key=str(project.pk), label=project.title)
    client.force_login(people["coordinator"])
    page = client.get(project.url).content.decode()
    assert f'href="{project.url}arrangementer/ny/">Nyt arrangement' in page

    response = client.post(project.url + "arrangementer/ny/", FORM)

    event = EventPage.objects.child_of(project).get()
    assert response["Location"] == event.url and event.live
    assert event.slug == "temadag-5-aeroe-og-oesterbro"
    starts = timezone.localtime(event.starts_at)
    assert (starts.date(), starts.hour, starts.minute) == (datetime.date(2027, 4, 20), 9, 30)
    assert timezone.localtime(event.ends_at).hour == 15
    assert (event.location, event.capacity, event.kind) == ("Vejle Rådhus", 40, "theme_day")
    assert event.get_latest_revision().user == people["coordinator"]
    assert "Arrangementet er lagt i programmet." in client.get(event.url).content.decode()
    assert "Temadag 5: Ærø og Østerbro" in client.get(project.url).content.decode()
    # Published as the admin publishes: the project's followers hear of it.
    assert follower.notifications.filter(title__contains="Temadag 5").exists()


def test_a_form_sent_twice_makes_one_event(client, people, project):
    """Back and send again, or a second click: one event."""
    client.force_login(people["coordinator"])
    page = client.get(project.url + "arrangementer/ny/").content.decode()
    once = re.search(r'name="once" value="([^"]+)"', page).group(1)
    first = client.post(project.url + "arrangementer/ny/", {**FORM, "once": once})
    again = client.post(project.url + "arrangementer/ny/", {**FORM, "once": once})
    assert EventPage.objects.child_of(project).count() == 1
    assert again["Location"] == first["Location"]


def test_the_same_event_sent_again_from_a_new_form_is_refused(client, people, project):
    """Back to the form, which the browser fetched anew (a new once key), and send
    again: a second, identical event (an outside walk). The same title at another
    time is another event."""
    client.force_login(people["coordinator"])
    client.post(project.url + "arrangementer/ny/", FORM)

    again = client.post(project.url + "arrangementer/ny/", {**FORM, "title": FORM["title"].upper()})

    text = again.content.decode()
    assert again.status_code == 200 and "Projektet har allerede" in text
    assert 'href="#id_title"' in text
    assert EventPage.objects.child_of(project).count() == 1
    later = client.post(
        project.url + "arrangementer/ny/", {**FORM, "starts_at": "2027-05-20T09:30", "ends_at": ""}
    )
    assert later.status_code == 302
    assert EventPage.objects.child_of(project).count() == 2


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"ends_at": "2027-04-20T09:30"}, "ends_at", "skal slutte, efter det begynder"),
        ({"starts_at": "i morgen"}, "starts_at", "Skriv dato og klokkeslæt."),
        ({"location": "", "online_url": ""}, "location", "Skriv et sted, eller giv et link"),
        ({"title": ""}, "title", "Dette felt er påkrævet."),
        ({"capacity": "0"}, "capacity", "større end eller lig 1"),
        ({"online_url": "javascript:alert(1)"}, "online_url", "begynder med https://"),
    ],
)
def test_bad_input_is_refused_in_danish_and_nothing_is_made(
    client, people, project, change, field, message
):
    client.force_login(people["coordinator"])
    response = client.post(project.url + "arrangementer/ny/", {**FORM, **change})
    text = response.content.decode()
    assert response.status_code == 200 and message in text
    assert text.count(message) == 2  # once in the summary, once at the field
    assert f'href="#id_{field}"' in text  # the summary links to the field
    assert not EventPage.objects.child_of(project).exists()


def test_a_coordinator_moves_an_event_and_participants_cannot(client, people, project):
    event = create_event(project, "Webseminar om video", kind="webinar")
    client.force_login(people["participant"])
    assert "Ret arrangementet" not in client.get(event.url).content.decode()
    assert client.post(event.url + "rediger/", FORM).status_code == 403

    client.force_login(people["coordinator"])
    form = client.get(event.url + "rediger/").content.decode()
    assert 'value="Webseminar om video"' in form and "Gem ændringerne" in form
    local = timezone.localtime(event.starts_at).strftime("%Y-%m-%dT%H:%M")
    assert f'value="{local}"' in form  # the form shows the time in Denmark
    moved = {**FORM, "title": "Webseminar om video", "kind": "webinar", "location": "Online"}
    assert client.post(event.url + "rediger/", moved)["Location"] == event.url
    event = EventPage.objects.get(pk=event.pk)
    assert timezone.localtime(event.starts_at).date() == datetime.date(2027, 4, 20)
    assert event.title == "Webseminar om video" and event.slug.startswith("arrangement-")


def test_more_seats_move_the_waiting_list_up_in_turn_and_fewer_than_taken_is_refused(
    client, people, project
):
    """Two outside checks raised the seats of a full event: those waiting stayed
    waiting, and a newcomer took the free seat ahead of them."""
    from django.core import mail

    from network.factories import UserFactory
    from projects.models import EventRegistration

    event = create_event(project, "Temadag om venteliste", capacity=1)
    waiting = [UserFactory(email=f"venter{n}@kommune.example") for n in range(3)]
    for user in waiting:
        project.participants.create(user=user)
    for user in [people["participant"], *waiting]:
        client.force_login(user)
        client.post(event.url + "tilmeld/")
    mail.outbox.clear()
    client.force_login(people["coordinator"])
    edit = {**FORM, "title": event.title, "capacity": "3"}

    client.post(event.url + "rediger/", edit)

    status = dict(EventRegistration.objects.filter(event=event).values_list("user", "status"))
    assert [status[u.pk] for u in waiting] == ["registered", "registered", "waitlisted"]
    assert sorted(m.to[0] for m in mail.outbox if m.subject.startswith("Du har fået")) == [
        "venter0@kommune.example",
        "venter1@kommune.example",
    ]
    response = client.post(event.url + "rediger/", {**edit, "capacity": "2"})
    assert "3 har allerede en plads. Sæt antallet til mindst 3" in response.content.decode()
    client.post(event.url + "rediger/", {**edit, "capacity": ""})  # no limit: all move up
    assert EventRegistration.objects.get(event=event, user=waiting[2]).status == "registered"


@pytest.mark.parametrize(
    ("starts_at", "message"),
    [
        ("9999-12-31T23:59", "Vælg en dato mellem år 2000 og 2100."),
        ("0001-01-01T00:30", "Vælg en dato mellem år 2000 og 2100."),
        ("2027-03-28T02:30", "Det klokkeslæt findes ikke den dag (uret stilles om)."),
        # The autumn hour is there twice (an outside check was told it did not exist).
        ("2027-10-31T02:30", "Det klokkeslæt findes to gange den dag (uret stilles tilbage)."),
    ],
)
def test_dates_outside_reason_are_refused_in_danish(client, people, project, starts_at, message):
    """Year 9999 took the project's calendar feed down for everyone (an overflow), year
    1 gave a 500, and a time the clocks skip got Django's technical message."""
    client.force_login(people["coordinator"])
    form = {**FORM, "starts_at": starts_at, "ends_at": ""}
    response = client.post(project.url + "arrangementer/ny/", form)
    assert response.status_code == 200 and message in response.content.decode()
    assert not EventPage.objects.child_of(project).exists()


def test_a_title_is_one_line_a_link_is_a_web_address_and_project_paths_stay_free(
    client, people, project
):
    """An outside check: a line break in a title broke the event's .ics (500) and its
    sign-up mails; ftp:// passed as a meeting link; an event called »kalender« took an
    address the project's calendar answers."""
    from projects.models.routes import PROJECT_ROUTE_SLUGS
    from projects.models.spaces import ProjectPage

    client.force_login(people["coordinator"])
    client.post(project.url + "arrangementer/ny/", {**FORM, "title": "Temadag\r\nom video"})
    event = EventPage.objects.child_of(project).get()
    assert event.title == "Temadag om video"
    assert client.get(event.url + "kalender/").status_code == 200
    response = client.post(
        project.url + "arrangementer/ny/", {**FORM, "online_url": "ftp://moede.example/x"}
    )
    assert "begynder med https://" in response.content.decode()
    client.post(project.url + "arrangementer/ny/", {**FORM, "title": "Kalender"})
    assert EventPage.objects.child_of(project).filter(slug="kalender-arrangement").exists()
    # The reserved words are the project's own first path segments, and no others.
    paths = {
        path.split("/")[0]
        for path in (route.pattern._route for route in ProjectPage.get_subpage_urls())
        if path
    }
    assert PROJECT_ROUTE_SLUGS == paths


def test_the_admin_refuses_an_event_address_the_project_uses_itself(project):
    from django.core.exceptions import ValidationError

    event = create_event(project, "Kalender")
    event.slug = "kalender"
    with pytest.raises(ValidationError) as refused:
        event.full_clean()
    assert refused.value.message_dict["slug"] == [
        "Adressen »kalender« bruger projektet selv. Vælg en anden."
    ]


def test_the_calendar_copes_with_what_the_admin_let_through(client, people, project):
    """Whatever reached the database (a crafted admin post), the project's calendar
    feed answers: a title with a line break, an event in the last hour of year 9999."""
    event = create_event(project, "Temadag")
    far = datetime.datetime(9999, 12, 31, 23, 0, tzinfo=datetime.UTC)
    EventPage.objects.filter(pk=event.pk).update(
        title="Temadag\nmed linjeskift", starts_at=far, ends_at=None
    )
    client.force_login(people["participant"])
    feed = client.get(project.url + "kalender/")
    assert feed.status_code == 200
    assert "SUMMARY:Temadag med linjeskift" in feed.content.decode()
    event = EventPage.objects.get(pk=event.pk)
    event.title = "Temadag"
    with pytest.raises(Exception, match="mellem år 2000 og 2100"):
        event.full_clean()


def test_a_member_removed_from_a_closed_project_gives_up_their_seat(client, people):
    """An outside check: removed from a participants-only project, a member kept their
    seat at its theme day; the next in the queue now gets it."""
    from network.factories import UserFactory
    from projects.models import EventRegistration

    hidden = create_project(
        "Tidlig indsats",
        visibility="participants",
        coordinators=[people["coordinator"]],
        participants=[people["participant"]],
    )
    from projects.models import ProjectParticipant

    waiting = UserFactory(email="venter@kommune.example")
    ProjectParticipant.objects.create(project=hidden, user=waiting)
    event = create_event(hidden, "Temadag om sygemeldte", capacity=1)
    for user in (people["participant"], waiting):
        client.force_login(user)
        client.post(event.url + "tilmeld/")
    membership = hidden.participants.get(user=people["participant"])
    client.force_login(people["coordinator"])
    client.post(hidden.url + "deltagere/", {"remove": membership.pk, "confirmed": "1"})

    status = dict(EventRegistration.objects.filter(event=event).values_list("user", "status"))
    assert status == {people["participant"].pk: "cancelled", waiting.pk: "registered"}


def test_a_document_no_one_may_see_is_not_found_whatever_its_name(client, settings, people):
    """Wagtail compared the file name first: "does not match the given filename" for a
    hidden project's document told a guesser that it exists (DEBUG's pages)."""
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    hidden = create_project("Tidlig indsats", visibility="participants")
    document = get_document_model().objects.create(
        title="Drejebog", file=ContentFile(b"hemmelig", name="drejebog.txt")
    )
    hidden.materials.create(document=document)
    hidden.save_revision().publish()
    settings.DEBUG = True
    wrong = client.get(f"/dokumenter/{document.pk}/gaet.txt")
    assert wrong.status_code == 404 and "does not match" not in wrong.content.decode()
    assert client.get(f"/dokumenter/{document.pk}/drejebog.txt").status_code == 404


def test_mit_overblik_gives_the_year_of_an_event_next_year(client, people, project):
    """»onsdag 10. februar« in December: which February (an outside walk)."""
    from projects.models import EventRegistration

    soon = create_event(project, "Temadag i år", days_ahead=1)
    later = create_event(project, "Temadag næste år", days_ahead=1)
    next_year = timezone.localtime().year + 1
    EventPage.objects.filter(pk=later.pk).update(
        starts_at=datetime.datetime(next_year, 2, 10, 8, 0, tzinfo=datetime.UTC)
    )
    soon_starts = timezone.now() + datetime.timedelta(hours=2)
    EventPage.objects.filter(pk=soon.pk).update(starts_at=soon_starts)
    for event in (soon, later):
        EventRegistration.objects.create(
            event=event, user=people["participant"], status="registered"
        )
    client.force_login(people["participant"])
    page = client.get("/overblik/").content.decode()
    assert f"10. februar {next_year} kl. 09:00" in page
    if timezone.localtime(soon_starts).year == timezone.localtime().year:  # not 31 Dec, late
        assert f"{timezone.localtime().year} kl." not in page.split("Temadag i år", 1)[1][:300]


def test_a_hidden_log_and_a_made_up_one_give_the_same_404(client, settings, people):
    """DEBUG's page said "No TrialAction matches the given query" for a made-up id
    only (an outside check)."""
    from projects.factories import create_log

    public = create_project("Åbent projekt", visibility="public")
    hidden = create_log(public, people["participant"], visibility="participants")
    settings.DEBUG = True
    for path in (f"proevehandlinger/{hidden.pk}/", f"proevehandlinger/{hidden.pk + 999}/"):
        response = client.get(public.url + path)
        assert response.status_code == 404
        assert "matches the given query" not in response.content.decode()


def test_a_line_break_in_a_title_or_place_never_reaches_a_mail(client, people, project):
    """An outside check: a title with a line break, set in the admin, made every mail
    about the event fail (BadHeaderError), and a place with line breaks printed lines
    that looked like the mail's own (a meeting link among them)."""
    from django.core import mail

    event = create_event(project, "Temadag")
    event.title = "Temadag\r\nom \u202evideo"
    event.location = "Rådhuset\r\nLink til onlinemødet: https://phish.example/"
    event.full_clean()  # as the admin's form does
    assert event.title == "Temadag om video"
    assert event.location == "Rådhuset Link til onlinemødet: https://phish.example/"

    client.force_login(people["coordinator"])
    response = client.post(
        project.url + "arrangementer/ny/",
        {**FORM, "location": "Vejle\r\nLink til onlinemødet: https://phish.example/"},
    )
    assert response.status_code == 302
    made = EventPage.objects.child_of(project).get(title=FORM["title"])
    assert "\n" not in made.location

    from network.mail import send_templated_mail

    mail.outbox.clear()
    send_templated_mail.enqueue(
        "Du er tilmeldt: A\r\nBcc: x@example.org", "projects/mail/invitation.txt", {}, ["a@b.dk"]
    )
    (sent,) = mail.outbox
    assert sent.subject == "Du er tilmeldt: A Bcc: x@example.org"


def test_a_project_copied_in_the_admin_takes_none_of_its_people(people, project):
    """An outside check: the copy made every participant and coordinator one of its
    own, and told nobody."""
    assert project.participants.count() == 2
    copy = project.copy(
        to=project.get_parent(), update_attrs={"title": "Kopi", "slug": "kopi"}, keep_live=False
    )
    assert copy.specific.participants.count() == 0
    assert project.participants.count() == 2


@pytest.mark.parametrize("capacity", [0, -1, 2**63 - 1])
def test_the_admin_refuses_seats_the_site_s_form_refuses(project, capacity):
    """An outside check: the admin took 0 seats (every sign-up on the waiting list)."""
    from django.core.exceptions import ValidationError

    event = create_event(project, "Temadag")
    event.capacity = capacity
    with pytest.raises(ValidationError) as refused:
        event.full_clean()
    assert "mellem 1 og 100.000" in str(refused.value)


def test_a_start_that_has_passed_is_saved_only_when_the_coordinator_says_it_was_held(
    client, people, project
):
    """An outside walk saved a theme day in 2020, six years before the project, with no
    word, and the event's page then offered no way to correct it."""
    client.force_login(people["coordinator"])
    url = project.url + "arrangementer/ny/"
    past = {**FORM, "starts_at": "2020-01-01T10:00", "ends_at": ""}
    page = client.get(url).content.decode()
    assert "Arrangementet er allerede afholdt" not in page  # not asked up front

    response = client.post(url, past)
    body = response.content.decode()
    assert response.status_code == 200 and not EventPage.objects.child_of(project).exists()
    assert "Tidspunktet er passeret (01.01.2020)" in body
    assert 'type="checkbox" name="held"' in body and "ret datoen" in body

    response = client.post(url, {**past, "held": "on"})
    event = EventPage.objects.child_of(project).get()
    assert response["Location"] == event.url
    # Held, and still the coordinator's to correct.
    page = client.get(event.url).content.decode()
    assert "Arrangementet er afholdt" in page
    assert f'href="{event.url}rediger/">Ret arrangementet' in page
    client.post(event.url + "rediger/", {**past, "starts_at": "2027-01-12T10:00"})
    event.refresh_from_db()
    assert timezone.localtime(event.starts_at).year == 2027
    # A participant gets neither the link nor the form.
    client.force_login(people["participant"])
    assert "Ret arrangementet" not in client.get(event.url).content.decode()


def test_mit_overblik_names_each_event_s_project_when_there_are_several(client, people, project):
    """A participant of two projects could not tell whose theme day was next (an
    outside walk)."""
    create_event(project, "Temadag om video", days_ahead=3)
    client.force_login(people["participant"])
    section = client.get("/overblik/").content.decode().split("Mine næste arrangementer")[1]
    assert "Temadag om video" in section[:2000]
    assert "· Digitale veje til job" not in section[:2000]  # one project: nothing to tell

    other = create_project("Erfarne hænder", participants=[people["participant"]])
    create_event(other, "Webinar om seniorjob", days_ahead=5)
    section = client.get("/overblik/").content.decode().split("Mine næste arrangementer")[1]
    video, senior = section.split("Temadag om video")[1], section.split("Webinar om seniorjob")[1]
    assert "· Digitale veje til job</span>" in video[:600]
    assert "· Erfarne hænder</span>" in senior[:600]
