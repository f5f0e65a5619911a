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


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"ends_at": "2027-04-20T09:30"}, "ends_at", "skal slutte, efter det begynder"),
        ({"starts_at": "i morgen"}, "starts_at", "Skriv dato og klokkeslæt."),
        ({"location": "", "online_url": ""}, "location", "Skriv et sted, eller giv et link"),
        ({"title": ""}, "title", "Dette felt er påkrævet."),
        ({"capacity": "0"}, "capacity", "større end eller lig 1"),
        ({"online_url": "javascript:alert(1)"}, "online_url", "gyldig URL"),
    ],
)
def test_bad_input_is_refused_in_danish_and_nothing_is_made(
    client, people, project, change, field, message
):
    client.force_login(people["coordinator"])
    response = client.post(project.url + "arrangementer/ny/", {**FORM, **change})
    text = response.content.decode()
    assert response.status_code == 200 and message in text
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
