"""iCalendar (.ics) for events and project calendar feeds (icalendar package)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from icalendar import Calendar, Event


def build(name: str, events, request) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Beskæftigelsesnetværket//DA")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for event in events:
        cal.add_component(_event(event, request))
    return cal.to_ical()


def _event(event, request) -> Event:
    item = Event()
    host = request.get_host().split(":")[0]
    item.add("uid", f"event-{event.pk}@{host}")
    item.add("summary", event.title)
    item.add("dtstart", event.starts_at)
    item.add("dtend", event.ends_at or event.starts_at + timedelta(hours=3))
    item.add("dtstamp", event.last_published_at or event.starts_at)
    location = event.location or event.online_url
    if location:
        item.add("location", location)
    url = request.build_absolute_uri(event.url)
    item.add("url", url)
    description = "\n".join(filter(None, [event.summary, event.online_url, url]))
    item.add("description", description)
    return item
