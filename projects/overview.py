"""The projects app's part of *Mit overblik*: my projects, my next events, my trial
actions and a to-do list that follows the theme-day rhythm. Everything is limited by
projects.permissions, like every other listing."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Max, Q
from django.utils import timezone

from . import permissions
from .models import (
    EventPage,
    EventRegistration,
    ProjectPage,
    ProjectParticipant,
    RegistrationStatus,
    TrialAction,
    TrialActionStatus,
)


def my_projects(request, user) -> list[dict]:
    rows = (
        ProjectParticipant.objects.filter(user=user, project__live=True)
        .select_related("project")
        .order_by("project__title")
    )
    return [
        {
            "project": row.project,
            "role": row.get_role_display(),
            "coordinator": row.role == "coordinator",
            "dashboard_url": row.project.url + "overblik/"
            if permissions.can_see_dashboard(user, row.project)
            else None,
        }
        for row in rows
        if permissions.can_see_project(user, row.project)
    ]


def _my_project_ids(user):
    return ProjectParticipant.objects.filter(user=user, project__live=True).values("project_id")


def _upcoming_events(user, limit=None):
    now = timezone.now()
    # My projects by their tree path: an event's parent is its path less one step, so
    # the loop below asks the database nothing per event it passes over.
    mine = set(
        ProjectPage.objects.filter(pk__in=_my_project_ids(user)).values_list("path", flat=True)
    )
    registered = set(
        EventRegistration.objects.filter(user=user)
        .exclude(status=RegistrationStatus.CANCELLED)
        .values_list("event_id", flat=True)
    )
    events = (
        EventPage.objects.live()
        .filter(Q(ends_at__gte=now) | Q(ends_at__isnull=True, starts_at__gte=now))
        .order_by("starts_at")
        .specific()
    )
    shown = []
    for event in events:
        if event.pk not in registered and event.path[: -event.steplen] not in mine:
            continue
        if not permissions.can_see_event(user, event):
            continue
        shown.append(event)
        if limit and len(shown) >= limit:
            break
    return shown


def my_events(request, user) -> list[dict]:
    events = _upcoming_events(user, limit=6)
    statuses = dict(
        EventRegistration.objects.filter(user=user, event__in=[e.pk for e in events]).values_list(
            "event_id", "status"
        )
    )
    # Which project, where the list spans several (an outside walk could not tell).
    several = len({event.project.pk for event in events}) > 1
    return [
        {
            "event": event,
            "project_title": event.project.title if several else None,
            "status": statuses.get(event.pk),
            # A cancelled sign-up reads as none: sign up again, no "Føj til kalender"
            # (an outside walk was offered to add an event it had left).
            "status_label": RegistrationStatus(statuses[event.pk]).label
            if statuses.get(event.pk) in RegistrationStatus.values
            and statuses.get(event.pk) != RegistrationStatus.CANCELLED
            else None,
            "meeting_link": event.online_url
            if permissions.can_see_meeting_link(user, event)
            else None,
        }
        for event in events
    ]


def my_logs(request, user) -> list[dict]:
    from newsletters.following import unread_for_urls

    logs = list(
        permissions.visible_logs(user, TrialAction.objects.filter(author=user))
        .select_related("project", "municipality")
        .annotate(last_update=Max("updates__created_at"))
        .order_by("-updated_at")[:10]
    )
    # Comments link to the log's #kommentarer: those are the "new since I last looked".
    unread = unread_for_urls(user, [log.get_absolute_url() + "#kommentarer" for log in logs])
    return [
        {
            "log": log,
            "last_activity": max(filter(None, [log.last_update, log.updated_at])),
            "new_comments": unread.get(log.get_absolute_url(), 0),
        }
        for log in logs
    ]


@dataclass(frozen=True)
class Todo:
    text: str
    url: str
    action: str
    # The action is done here, as a POST to `url` (signing up), not a link to a page.
    post: bool = False


def todos(request, user) -> list[Todo]:
    """Per project I take part in: before the next event, my municipality's log should
    have moved since the last one, and I should be signed up."""
    now = timezone.now()
    items: list[Todo] = []
    participations = ProjectParticipant.objects.filter(user=user, project__live=True)
    for participation in participations.select_related("project"):
        project = participation.project
        if not permissions.can_see_project(user, project):
            continue
        events = list(EventPage.objects.child_of(project).live().order_by("starts_at"))
        upcoming = [e for e in events if e.starts_at >= now]
        past = [e for e in events if e.starts_at < now]
        if not upcoming:
            continue
        next_event = upcoming[0]
        when = _danish_date(next_event.starts_at)
        before = f"Inden {next_event.title} ({when})"
        if user.municipality_id:
            logs = TrialAction.objects.filter(project=project, municipality=user.municipality_id)
            if not logs.exists():
                items.append(
                    Todo(
                        f"{before}: skriv jeres prøvehandling",
                        project.url + "proevehandlinger/ny/",
                        "Skriv prøvehandling",
                    )
                )
            elif past:
                # A finished or abandoned log has nothing left to update before the
                # next theme day (the to-do pointed at one marked Afsluttet).
                open_logs = logs.exclude(
                    status__in=[TrialActionStatus.COMPLETED, TrialActionStatus.ABANDONED]
                )
                since = past[-1].starts_at
                moved = open_logs.filter(
                    Q(updated_at__gte=since) | Q(updates__created_at__gte=since)
                ).exists()
                if open_logs.exists() and not moved:
                    log = open_logs.order_by("-updated_at").first()
                    items.append(
                        Todo(
                            f"{before}: opdater jeres prøvehandling",
                            log.get_absolute_url() + "#tidslinje",
                            "Opdater",
                        )
                    )
        signed_up = EventRegistration.objects.filter(event=next_event, user=user).exclude(
            status=RegistrationStatus.CANCELLED
        )
        if not signed_up.exists() and permissions.can_sign_up(user, next_event):
            items.append(
                # The button signs up (an outside walk: it only opened the event page).
                Todo(
                    f"Tilmeld dig {next_event.title} ({when})",
                    next_event.url + "tilmeld/",
                    "Tilmeld",
                    post=True,
                )
            )
    return items


_MONTHS = (
    "januar februar marts april maj juni juli august september oktober november december"
).split()


def _danish_date(value) -> str:
    local = timezone.localtime(value)
    return f"{local.day}. {_MONTHS[local.month - 1]}"
