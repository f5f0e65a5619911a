"""The admin's explorer of a project: its events with their dates, first one first."""

import datetime
import re

import pytest

from network.factories import UserFactory
from projects.factories import create_event, create_project
from projects.models import EventPage

pytestmark = pytest.mark.django_db


def _table(client, url, **params) -> str:
    page = client.get(url, params).content.decode()
    return page[page.index('<table class="listing') :]


def test_a_project_s_events_are_listed_with_their_dates_first_one_first(client):
    """An outside walk: the explorer listed a project's events by title and when each
    was edited, with no date of the event itself. Made in one order, edited in
    another, held in a third: they are listed as they are held."""
    project = create_project("Digitale veje til job", visibility="public")
    moments = {
        "Temadag 3: Afslutning": datetime.datetime(2027, 3, 8, 8, 30, tzinfo=datetime.UTC),
        "Temadag 1: Opstart": datetime.datetime(2027, 1, 11, 8, 30, tzinfo=datetime.UTC),
        "Webseminar om video": datetime.datetime(2027, 2, 3, 12, 0, tzinfo=datetime.UTC),
    }
    for title, starts in moments.items():
        event = create_event(project, title, kind="webinar" if "seminar" in title else "theme_day")
        EventPage.objects.filter(pk=event.pk).update(starts_at=starts)
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    table = _table(client, f"/admin/pages/{project.pk}/")

    assert {"Starter", "Type"} <= set(re.findall(r"efter »(\w+)«", table))
    assert "8. marts 2027 kl.\u00a009:30" in table  # in Copenhagen, on one line
    assert "3. februar 2027 kl.\u00a013:00" in table
    assert re.search(r">\s*Webseminar\s*<", table) and re.search(r">\s*Temadag\s*<", table)
    held = [table.index(title) for title in ("Opstart", "Webseminar om video", "Afslutning")]
    assert held == sorted(held)
    latest_first = _table(client, f"/admin/pages/{project.pk}/", ordering="-starts_at")
    assert latest_first.index("Afslutning") < latest_first.index("Opstart")
