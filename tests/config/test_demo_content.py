"""What a newcomer sees on a freshly seeded demo site (`make run`)."""

import pytest

from newsletters import filling
from newsletters.models import Edition
from projects.models import EventPage

pytestmark = pytest.mark.django_db


def test_fill_from_what_is_new_finds_the_demo_content(demo):
    """The archived demo edition used to be dated at seed time, so filling a new one
    found nothing new since."""
    edition = Edition.objects.create(subject="December")
    result = filling.fill(edition)
    assert edition.items.count() > 0, result


def test_events_have_their_own_texts_and_held_ones_their_slides(demo):
    events = list(EventPage.objects.live().order_by("starts_at"))
    assert len(events) >= 8
    assert len({e.summary for e in events}) == len(events)  # no copied description
    for event in events:
        titles = [item.title for item in event.agenda_items.all()]
        if event.kind == "webinar":
            assert "Frokost" not in titles, event.title  # an afternoon webinar has no lunch
        if not event.is_upcoming():
            assert event.materials.exists(), f"{event.title} was held but has no material"
