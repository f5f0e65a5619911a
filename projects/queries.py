"""Reads across relations, always through projects.permissions."""

from __future__ import annotations

from django.utils import timezone

from . import permissions
from .models import EventPage, ProjectPage


def visible_projects(user, index=None):
    queryset = ProjectPage.objects.filter(permissions.visible_projects_q(user))
    if index is not None:
        queryset = queryset.child_of(index)
    return list(
        queryset.prefetch_related("municipalities", "organisations").order_by("-start_date")
    )


def project_events(project) -> list[EventPage]:
    return list(EventPage.objects.child_of(project).live().order_by("starts_at"))


def upcoming_events(user, limit: int = 5) -> list[EventPage]:
    """Upcoming events in projects the user may see (for the home page)."""
    now = timezone.now()
    visible = ProjectPage.objects.filter(permissions.visible_projects_q(user))
    events = EventPage.objects.live().filter(starts_at__gte=now).order_by("starts_at")[:50]
    parents = {p.path: p for p in visible}
    result = []
    for event in events:
        parent = parents.get(event.path[: -EventPage.steplen])
        if parent:
            event._project = parent
            result.append(event)
        if len(result) >= limit:
            break
    return result


def active_projects(user, limit: int = 4) -> list[ProjectPage]:
    today = timezone.localdate()
    return [p for p in visible_projects(user) if not p.end_date or p.end_date >= today][:limit]


def projects_for_municipality(user, municipality):
    return list(
        ProjectPage.objects.filter(
            permissions.visible_projects_q(user), municipalities=municipality
        ).order_by("-start_date")
    )


def logs_for_municipality(user, municipality, limit: int = 10):
    return list(
        permissions.visible_logs(user, municipality.trial_actions.all()).select_related(
            "project", "municipality"
        )[:limit]
    )


def logs_by_member(user, member, limit: int = 10):
    return list(
        permissions.visible_logs(user, member.trial_actions.all()).select_related(
            "project", "municipality"
        )[:limit]
    )
