"""Event mails that carry the event's .ics (django-tasks).

network.mail sends plain templated mail; these need an attachment, so they live here.
The arguments are ids (JSON for the database task backend), and the task looks at the
registration when it runs: a mail whose reason has gone (cancelled, moved up
meanwhile) is not sent, and the meeting link goes in only if the attendee may see it
then.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django_tasks import task

from network.text import one_line


@dataclass(frozen=True)
class _Kind:
    subject: str
    template: str
    status: str  # the registration's status that the mail is about
    attach_ics: bool


KINDS = {
    "registered": _Kind(
        "Du er tilmeldt: {title}", "projects/mail/event_registered.txt", "registered", True
    ),
    "waitlisted": _Kind(
        "Du er på ventelisten: {title}", "projects/mail/event_waitlisted.txt", "waitlisted", False
    ),
    "promoted": _Kind(
        "Du har fået en plads: {title}", "projects/mail/waitlist_promoted.txt", "registered", True
    ),
    "reminder": _Kind(
        "Påmindelse: {title} {when}", "projects/mail/event_reminder.txt", "registered", True
    ),
    "changed": _Kind("Ændret: {title}", "projects/mail/event_changed.txt", "registered", True),
    "changed_waitlisted": _Kind(
        "Ændret: {title}", "projects/mail/event_changed.txt", "waitlisted", False
    ),
}


def relative_day(moment) -> str:
    """The day as a reader in Copenhagen says it: "i dag", "i morgen", "den 3. december"."""
    days = (timezone.localtime(moment).date() - timezone.localdate()).days
    if days == 0:
        return "i dag"
    if days == 1:
        return "i morgen"
    return "den " + date_format(timezone.localtime(moment), "j. F")


@task(takes_context=True)
def send_registration_mail(context, registration_id: int, kind: str) -> None:
    from network.mail import send_once

    from . import calendar, permissions
    from .models import EventRegistration

    spec = KINDS[kind]
    registration = (
        EventRegistration.objects.select_related("user", "event").filter(pk=registration_id).first()
    )
    if registration is None or registration.status != spec.status:
        return
    user, event = registration.user, registration.event
    if not user.is_active or not user.email or not event.live:
        return
    if not permissions.can_see_event(user, event):
        return
    with translation.override(settings.LANGUAGE_CODE), timezone.override(settings.TIME_ZONE):
        meeting_link = permissions.can_see_meeting_link(user, event)
        when = relative_day(event.starts_at)
        data = {
            "site_url": settings.SITE_URL,
            "name": user.first_name,
            "event": event,
            "event_title": event.title,
            "project_title": event.project.title,
            "url": event.url,
            "kind_and_title": event.kind_and_title,
            "starts_at": event.starts_at,
            "ends_at": event.ends_at,
            "location": event.location,
            "online": bool(event.online_url),
            "online_url": event.online_url if meeting_link else "",
            "when": when,
            "attach_ics": spec.attach_ics,
            "waitlist_position": registration.waitlist_position(),
            "limited": event.capacity is not None,  # a seat given up goes to another
        }
        body = render_to_string(spec.template, data)
        message = EmailMessage(
            one_line(spec.subject.format(title=event.title, when=when)), body, None, [user.email]
        )
        if spec.attach_ics:
            ics = calendar.build(event.title, [event], meeting_link=meeting_link)
            message.attach(f"{event.slug}.ics", ics, "text/calendar")
        send_once(message, context)
