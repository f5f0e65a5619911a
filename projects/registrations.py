"""What this app contributes to the layers below and above it."""

from allauth.account.signals import email_confirmed
from django.utils import timezone

from network.sections import (
    Section,
    member_sections,
    municipality_sections,
    overview_sections,
)


def register() -> None:
    from . import following, importing, queries, searching

    importing.register()
    searching.register()
    following.register()
    municipality_sections.register(
        Section(
            key="projects",
            title="Projekter",
            template="projects/includes/section_projects.html",
            items=lambda request, m: queries.projects_for_municipality(request.user, m),
            order=20,
        )
    )
    municipality_sections.register(
        Section(
            key="trial-actions",
            title="Prøvehandlinger",
            template="projects/includes/section_logs.html",
            items=lambda request, m: queries.logs_for_municipality(request.user, m),
            order=30,
        )
    )
    _register_overview()
    member_sections.register(
        Section(
            key="member-trial-actions",
            title="Prøvehandlinger",
            template="projects/includes/section_logs.html",
            items=lambda request, member: queries.logs_by_member(request.user, member),
            order=30,
        )
    )
    from newsletters.registry import NewsSource, news_sources

    news_sources.register(
        NewsSource(
            key="projects",
            label="Projekter og temadage",
            items=_newsletter_items,
            public_keys=_public_keys,
        )
    )
    email_confirmed.connect(_accept_invitations, dispatch_uid="projects-accept-invitations")
    from network.documents import register_denial, register_restriction, register_use

    from .materials import closed_to, material_denied

    register_use(_material_in_use)
    register_restriction(closed_to)
    register_denial(material_denied)

    from network.personal_data import PersonalDataHandler
    from network.personal_data import register as register_personal_data

    from . import personal_data

    register_personal_data(
        PersonalDataHandler(key="projects", export=personal_data.export, erase=personal_data.erase)
    )


def _accept_invitations(request, email_address, **kwargs):
    from .services import accept_invitations

    accept_invitations(email_address.user)


def _public_keys(keys: set[str]) -> set[str]:
    """Of these keys ("project-1", "event-2", "trial-action-3"), those an anonymous
    visitor may still open."""
    from django.contrib.auth.models import AnonymousUser

    from . import permissions
    from .models import EventPage, ProjectPage, TrialAction

    def pks(prefix):
        found = (key.removeprefix(prefix) for key in keys if key.startswith(prefix))
        return [int(pk) for pk in found if pk.isdigit() and len(pk) < 19]

    anonymous = AnonymousUser()
    public = set()
    # .public(): no Wagtail view restriction (login, password, groups) on the page or
    # above it, which an editor may set in the admin's Privacy dialogue.
    for project in ProjectPage.objects.live().public().filter(pk__in=pks("project-")):
        if permissions.can_see_project(anonymous, project):
            public.add(f"project-{project.pk}")
    for event in EventPage.objects.live().public().filter(pk__in=pks("event-")):
        if permissions.can_see_event(anonymous, event):
            public.add(f"event-{event.pk}")
    logs = TrialAction.objects.filter(
        pk__in=pks("trial-action-"), project__in=ProjectPage.objects.live().public()
    )
    for pk in permissions.visible_logs(anonymous, logs).values_list("pk", flat=True):
        public.add(f"trial-action-{pk}")
    return public


def _when_and_where(event) -> str:
    """ "Mandag 21. december 2026 kl. 09:30 · Mødecenter Vejle", or "· Online"."""
    from .services import danish_time

    when = danish_time(event.starts_at)
    where = event.location or ("Online" if event.online_url else "")
    return f"{when[:1].upper()}{when[1:]}" + (f" · {where}" if where else "")


def _newsletter_items(since):
    """Public projects, events and trial actions new since `since`.

    Only what an anonymous visitor may open: editions end up in the public archive.
    """
    from django.contrib.auth.models import AnonymousUser

    from newsletters.registry import NewsItem

    from . import permissions
    from .models import EventPage, ProjectPage, TrialAction

    anonymous = AnonymousUser()
    items = []
    now = timezone.now()
    projects = ProjectPage.objects.live().public().filter(visibility="public")
    for project in projects.filter(first_published_at__gte=since).prefetch_related(
        "work_areas", "municipalities"
    ):
        items.append(
            NewsItem(
                title=project.title,
                summary=project.summary,
                url=project.url,
                work_area_slugs=tuple(a.slug for a in project.work_areas.all()),
                published=project.first_published_at,
                kind="Projekt",
                key=f"project-{project.pk}",
                municipality_codes=tuple(m.code for m in project.municipalities.all()),
            )
        )
    public_paths = {p.path: p for p in projects.prefetch_related("work_areas")}
    # Events still to come: one held already is no news to sign up for.
    events = EventPage.objects.live().public().filter(first_published_at__gte=since)
    for event in events.filter(starts_at__gt=now):
        project = public_paths.get(event.path[: -EventPage.steplen])
        if project:
            items.append(
                NewsItem(
                    title=event.title,
                    summary=event.summary,
                    url=event.url,
                    work_area_slugs=tuple(a.slug for a in project.work_areas.all()),
                    published=event.first_published_at,
                    kind=event.get_kind_display(),
                    key=f"event-{event.pk}",
                    when=_when_and_where(event),
                    takes_place=event.starts_at,
                )
            )
    logs = permissions.visible_logs(
        anonymous,
        TrialAction.objects.filter(
            created_at__gte=since, project__in=ProjectPage.objects.live().public()
        ),
    )
    for log in logs.select_related("project", "municipality").prefetch_related("work_areas"):
        items.append(
            NewsItem(
                title=log.title,
                summary=log.purpose,
                url=log.get_absolute_url(),
                work_area_slugs=tuple(a.slug for a in log.work_areas.all()),
                published=log.created_at,
                kind="Prøvehandling",
                key=f"trial-action-{log.pk}",
                municipality_codes=(log.municipality.code,),
            )
        )
    return items


def _register_overview() -> None:
    from . import overview

    for key, title, items, order in (
        ("todo", "Til at gøre", overview.todos, 5),
        ("my-projects", "Mine projekter", overview.my_projects, 10),
        ("my-events", "Mine næste arrangementer", overview.my_events, 20),
        ("my-logs", "Mine prøvehandlinger", overview.my_logs, 30),
    ):
        overview_sections.register(
            Section(
                key=key,
                title=title,
                template=f"projects/includes/overview_{key.replace('-', '_')}.html",
                items=items,
                order=order,
            )
        )


def _material_in_use(document, user) -> bool:
    """A document is in use where it is material of a project, or of a published event
    in one, that the user may download from."""
    from . import permissions
    from .materials import material_projects

    return any(
        permissions.can_download_material(user, project)
        for _document, project in material_projects([document], live_events_only=True)
    )
