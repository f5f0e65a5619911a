"""iCalendar (.ics) for events and project calendar feeds (icalendar package).

The online meeting link goes into an event only when the caller says so
(`meeting_link=True`): the `.ics` of a person who may see it (permissions.
can_see_meeting_link) and the mails to registered attendees. Subscribable project
feeds and everyone else's downloads never carry it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.crypto import salted_hmac
from icalendar import Calendar, Event

from network.text import one_line

_SALT = "projects.calendar-subscription"


def build(name: str, events, request=None, *, meeting_link: bool = False) -> bytes:
    """The calendar as bytes. Without a request (mails) links use settings.SITE_URL."""
    cal = _calendar()
    cal.add("x-wr-calname", one_line(name or ""))
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for event in events:
        cal.add_component(_event(event, request, meeting_link=meeting_link))
    return cal.to_ical()


_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def _calendar() -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//Beskæftigelsesnetværket//DA")
    cal.add("version", "2.0")
    return cal


def _plus_three_hours(moment):
    try:
        return moment + timedelta(hours=3)
    except OverflowError:  # the last hours of year 9999 (the forms keep to 2000-2100)
        return moment


def _sequence(moment) -> int:
    """iCalendar's SEQUENCE, which a calendar compares to take the newer version of an
    event it has: the seconds from 2026 to the event's last publication (a 32-bit
    integer until 2094), so every change (a new time or place) supersedes the .ics
    sent before it. No stored counter: a revision published again would bring an old
    count back."""
    return max(int((moment - _EPOCH).total_seconds()), 0) if moment else 0


def build_cancellation(event) -> str:
    """The event as cancelled (iTIP `METHOD:CANCEL`, `STATUS:CANCELLED`, the same UID
    as the sign-up mail's .ics and a higher `SEQUENCE` than any version sent), for the
    cancellation mail: a calendar that took the event in takes it out, or marks it
    cancelled."""
    cal = _calendar()
    cal.add("method", "CANCEL")
    item = _event(event, None, meeting_link=False)
    item.add("status", "CANCELLED")
    item["sequence"] = _sequence(timezone.now()) + 1  # after every version sent
    cal.add_component(item)
    return cal.to_ical().decode()


def _event(event, request, *, meeting_link: bool) -> Event:
    item = Event()
    if request is not None:
        host = request.get_host().split(":")[0]
        url = request.build_absolute_uri(event.url)
    else:
        host = urlsplit(settings.SITE_URL).hostname or "localhost"
        url = settings.SITE_URL + event.url
    online_url = event.online_url if meeting_link else ""
    item.add("uid", f"event-{event.pk}@{host}")
    item.add("summary", one_line(event.title or ""))
    item.add("dtstart", event.starts_at)
    item.add("dtend", event.ends_at or _plus_three_hours(event.starts_at))
    item.add("dtstamp", event.last_published_at or event.starts_at)
    item.add("sequence", _sequence(event.last_published_at))
    location = event.location or online_url or ("Online" if event.online_url else "")
    if location:
        item.add("location", location)
    item.add("url", url)
    lines = [event.summary]
    if online_url:
        lines.append(f"Link til mødet: {online_url}")
    elif event.online_url:
        lines.append("Linket til mødet står på arrangementets side, når du er tilmeldt.")
    lines.append(url)
    item.add("description", "\n".join(filter(None, lines)))
    return item


# -- a member's subscription to a project they may see but the public may not ---------
# Calendar apps fetch a subscription without the member's login, so a project that is
# not public gets a personal link: signed (project, member, a key of the member's
# password), refused once the member may no longer see the project or has changed
# their password (the way to make a shared link stop working).


def _key(user) -> str:
    return salted_hmac(_SALT, user.password or "").hexdigest()[:16]


def subscription_token(user, project) -> str:
    """The same on every page load (an outside walk saw the address change each time
    and could not tell which to use): signed without a time, which the key of the
    member's password makes void anyway when it changes."""
    return signing.Signer(salt=_SALT).sign_object([project.pk, user.pk, _key(user)], compress=True)


def _read(token: str):
    """A token as signed now, or with the time it carried until 2026-12-06 (calendars
    subscribed before still fetch with it)."""
    try:
        return signing.Signer(salt=_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return signing.loads(token, salt=_SALT)


def subscription_reader(token: str):
    """(project id, member) of a valid token, else None. The caller checks that the
    member may still see the project."""
    from django.contrib.auth import get_user_model

    try:
        project_id, user_id, key = _read(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not isinstance(project_id, int) or key != _key(user):
        return None
    return project_id, user
