"""Factories for project spaces, shared by the tests and the demo content."""

from __future__ import annotations

import datetime
import itertools

from django.db import transaction
from django.utils import timezone

from network import importing
from network.models import Municipality

from .importing import get_index_page
from .models import EventPage, ProjectPage, ProjectParticipant, TrialAction

_counter = itertools.count(1)


@transaction.atomic
@importing.registry.batch()  # one reindex at the end, not one per save
def create_project(
    title=None,
    *,
    visibility="public",
    coordinators=(),
    participants=(),
    municipalities=("0751",),
    live=True,
) -> ProjectPage:
    n = next(_counter)
    title = title or f"Projekt {n}"
    page = ProjectPage(
        title=title,
        slug=f"projekt-{n}",
        summary=f"Om {title}.",
        start_date=datetime.date(2026, 1, 1),
        visibility=visibility,
    )
    get_index_page().add_child(instance=page)
    page.municipalities.set(Municipality.objects.filter(code__in=municipalities))
    revision = page.save_revision()
    if live:
        revision.publish()
    else:
        page.unpublish()
    for user in coordinators:
        ProjectParticipant.objects.create(project=page, user=user, role="coordinator")
    for user in participants:
        ProjectParticipant.objects.create(project=page, user=user, role="participant")
    page.refresh_from_db()
    return page


@transaction.atomic
@importing.registry.batch()  # one reindex at the end, not one per save
def create_event(project, title=None, *, days_ahead=10, capacity=None, kind="theme_day"):
    n = next(_counter)
    starts = timezone.now() + datetime.timedelta(days=days_ahead)
    event = EventPage(
        title=title or f"Temadag {n}",
        slug=f"arrangement-{n}",
        kind=kind,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=3),
        location="Vejle",
        capacity=capacity,
    )
    project.add_child(instance=event)
    event.save_revision().publish()
    return event


def create_log(
    project,
    author,
    *,
    title=None,
    visibility="participants",
    status="planned",
    municipality="0751",
    purpose="Formålet.",
    **fields,
) -> TrialAction:
    return TrialAction.objects.create(
        project=project,
        author=author,
        title=title or f"Prøvehandling {next(_counter)}",
        municipality=Municipality.objects.get(code=municipality),
        purpose=purpose,
        visibility=visibility,
        status=status,
        **fields,
    )
