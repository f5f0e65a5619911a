"""How project spaces, events and trial actions become search documents.

The access token of each document follows projects.permissions: a participants-only
project (and everything in it) is found only by its participants; a log's token is its
effective visibility, the more restrictive of its own and its project's.
"""

from __future__ import annotations

from django.utils import timezone

from network.text import rich_text_plain
from search import registry

from . import permissions
from .materials import indexable
from .models import EventPage, ProjectPage, TrialAction, Visibility


def _token(level: str, project_id: int) -> str:
    if level == Visibility.PUBLIC:
        return registry.PUBLIC
    if level == Visibility.MEMBERS:
        return registry.MEMBERS
    return registry.project_token(project_id)


def _in_project(project: ProjectPage, level: str) -> dict:
    """The fields a document takes from its project: access, places, work areas."""
    return {
        "access": _token(level, project.pk),
        "municipalities": [m.code for m in project.municipalities.all()],
        "topics": [w.slug for w in project.work_areas.all()],
        "project_key": str(project.pk),
        "project_title": project.title,
    }


def news_day(made_public, own_day):
    """The day a thing became news, which search's *Nyeste* sorts by: when it was
    published here (an event announced in March for June is March's news; by its own
    day, every coming event came first), or its own day if that is earlier (an event
    of 2024 imported today is not today's news)."""
    made = timezone.localdate(made_public) if made_public else None
    return min(filter(None, (made, own_day)), default=None)


def project_document(page: ProjectPage):
    page = page.specific if not isinstance(page, ProjectPage) else page
    if not page.live:
        return None
    return registry.SearchDocument(
        type="project",
        object_id=str(page.pk),
        title=page.title,
        url=page.url or "",
        body=f"{page.summary}\n{rich_text_plain(page.goals)}",
        extra=" ".join(
            registry.attachment_text(m.document) for m in indexable(page, page.materials.all())
        ),
        date=page.start_date,
        published=news_day(page.first_published_at, page.start_date),
        **_in_project(page, page.visibility),
        external_id=page.external_id,
    )


def event_document(event: EventPage):
    if not event.live:
        return None
    project = event.project
    if not project.live:
        return None
    holders = agenda_holders(project)
    agenda = "\n".join(
        # An item the project's events share (Velkomst, Frokost, Opsamling) is indexed
        # in the first event that has it only: repeated text counts once.
        f"{a.title if holders.get(_item_key(a.title), event.pk) == event.pk else ''} "
        f"{a.speaker}".strip()
        for a in event.agenda_items.all()
    )
    day = timezone.localdate(event.starts_at)  # not UTC's: 00:30 on 1 January is 2027's
    return registry.SearchDocument(
        type="event",
        object_id=str(event.pk),
        title=event.title,
        url=event.url or "",
        body=f"{event.summary}\n{agenda}\n{event.speakers}\n{rich_text_plain(event.notes)}",
        extra=" ".join(
            registry.attachment_text(m.document) for m in indexable(project, event.materials.all())
        ),
        date=day,
        published=news_day(event.first_published_at, day),
        **_in_project(project, project.visibility),
        external_id=event.external_id,
    )


def _item_key(title: str) -> str:
    return " ".join(title.lower().split())


def agenda_holders(project: ProjectPage) -> dict[str, int]:
    """Agenda item title (normalised) -> the first live event of the project that has
    it (by start, then id)."""
    from .models import AgendaItem

    holders: dict[str, int] = {}
    rows = (
        AgendaItem.objects.filter(event__in=EventPage.objects.child_of(project).live())
        .order_by("event__starts_at", "event_id")
        .values_list("title", "event_id")
    )
    for title, event_id in rows:
        holders.setdefault(_item_key(title), event_id)
    return holders


def event_siblings(event):
    """Which event holds a shared agenda item can change with any event of the project;
    and pages that share material with it index that material by who may open it."""
    project = event.get_parent()
    siblings = (
        [e for e in EventPage.objects.child_of(project).live().specific() if e.pk != event.pk]
        if project is not None
        else []
    )
    return siblings + sharing_material(event)


def _pages_linking(documents) -> list:
    """Live pages of any app that link one of the documents (a document block or a
    rich-text link, by Wagtail's reference index): their search entries hold its text
    only while all their readers may open it (network.documents.closed_to)."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.documents import get_document_model
    from wagtail.models import Page, ReferenceIndex

    ids = (
        ReferenceIndex.objects.filter(
            to_content_type=ContentType.objects.get_for_model(get_document_model()),
            to_object_id__in=[str(pk) for pk in documents],
            base_content_type=ContentType.objects.get_for_model(Page),
        )
        .values_list("object_id", flat=True)
        .distinct()
    )
    pages = [int(pk) for pk in ids if pk.isdigit()]
    return list(Page.objects.live().filter(pk__in=pages).specific()) if pages else []


def pages_with_documents(documents) -> list:
    """Live projects and events with one of the documents as material, and pages that
    link one: their search entries hold its text."""
    found = [
        *ProjectPage.objects.filter(materials__document__in=documents).live(),
        *EventPage.objects.filter(materials__document__in=documents).live(),
        *_pages_linking(documents),
    ]
    return list({(type(p), p.pk): p for p in found}.values())


def _document_saved(sender, instance, created: bool = False, raw: bool = False, **kwargs):
    """A document's file or title replaced in the admin: the pages that index its text
    are indexed again (an outside attacker found the old file's words still searchable
    and the new one's not, until the page was published again)."""
    if not created and not raw:
        for page in pages_with_documents([instance.pk]):
            registry.schedule_reindex(page)


def _document_deleting(sender, instance, **kwargs):
    instance._search_pages = pages_with_documents([instance.pk])


def _document_deleted(sender, instance, **kwargs):
    """A document deleted in the admin: its material rows go with it (CASCADE), and the
    pages that indexed its text are indexed without it (it stayed in their snippets and
    autocomplete while the file answered 404)."""
    for page in getattr(instance, "_search_pages", []):
        registry.schedule_reindex(page)


def sharing_material(page) -> list:
    """The other projects and events with a document of this page's material as theirs,
    and pages that link one: whether their readers may open it (and so find its text)
    depends on this page's project too (materials.indexable, closed_to)."""
    documents = [m.document_id for m in page.materials.all()]
    if not documents:
        return []
    return [p for p in pages_with_documents(documents) if p.pk != page.pk]


def trial_action_document(log: TrialAction):
    project = log.project.specific if not isinstance(log.project, ProjectPage) else log.project
    log.project = project
    if not project.live:
        return None
    updates = "\n".join(u.text for u in log.updates.all())
    # The author's name, as the log's page shows it to the same readers: an outside walk's
    # *Mads Mølgaard* found none of his logs. The full name only (never the e-mail's
    # local part); kept current by _author_renamed and _author_deleted below.
    author = log.author.get_full_name() if log.author_id and log.author else ""
    fields = (
        log.purpose,
        log.target_group,
        log.actions,
        log.results,
        log.learnings,
        log.next_steps,
    )
    return registry.SearchDocument(
        type="trial_action",
        object_id=str(log.pk),
        title=log.title,
        url=log.get_absolute_url(),
        access=_token(permissions.effective_visibility(log), project.pk),
        body="\n".join(filter(None, fields)),
        extra="\n".join(filter(None, (author, updates))),
        municipalities=[log.municipality.code],
        topics=[w.slug for w in log.work_areas.all()],
        project_key=str(project.pk),
        project_title=project.title,
        date=log.started,
        published=news_day(log.created_at, log.started),
        external_id=log.external_id,
    )


def project_dependents(page):
    """A project's visibility decides the access of its events and logs, and which of
    the material it shares with other pages their readers may open."""
    yield from EventPage.objects.child_of(page).live().specific()
    yield from TrialAction.objects.filter(project_id=page.pk)
    yield from sharing_material(page)


def participant_tokens(user) -> set[str]:
    return {registry.project_token(pk) for pk in permissions.inside_projects(user)}


def register() -> None:
    registry.register(
        registry.SearchType(
            key="project",
            label="Projekt",
            label_plural="Projekter",
            date_label="Start",
            model=ProjectPage,
            documents=lambda: ProjectPage.objects.live().prefetch_related(
                "municipalities", "work_areas", "materials__document"
            ),
            to_document=project_document,
            dependents=project_dependents,
        )
    )
    registry.register(
        registry.SearchType(
            key="event",
            label="Arrangement",
            label_plural="Temadage og webseminarer",
            model=EventPage,
            documents=lambda: EventPage.objects.live().prefetch_related(
                "agenda_items", "materials__document"
            ),
            to_document=event_document,
            dependents=event_siblings,
        )
    )
    registry.register(
        registry.SearchType(
            key="trial_action",
            label="Prøvehandling",
            label_plural="Prøvehandlinger",
            date_label="Start",
            model=TrialAction,
            documents=lambda: TrialAction.objects.select_related(
                "project", "municipality", "author"
            ).prefetch_related("work_areas", "updates"),
            to_document=trial_action_document,
        )
    )
    registry.register_access_provider(participant_tokens)
    from django.db.models.signals import post_delete, post_save, pre_delete
    from wagtail.documents import get_document_model

    document = get_document_model()
    post_save.connect(_document_saved, sender=document, dispatch_uid="projects-document-saved")
    pre_delete.connect(_document_deleting, sender=document, dispatch_uid="projects-document-del")
    post_delete.connect(_document_deleted, sender=document, dispatch_uid="projects-document-gone")

    from .signals import trial_action_changed

    trial_action_changed.connect(_reindex_log, dispatch_uid="search-reindex-trial-action")
    from django.contrib.auth import get_user_model
    from django.db.models.signals import pre_save

    user_model = get_user_model()
    pre_save.connect(_author_saving, sender=user_model, dispatch_uid="search-author-saving")
    post_save.connect(_author_renamed, sender=user_model, dispatch_uid="search-author-renamed")
    pre_delete.connect(_author_deleting, sender=user_model, dispatch_uid="search-author-del")
    post_delete.connect(_author_deleted, sender=user_model, dispatch_uid="search-author-gone")


def _reindex_log(sender, instance, **kwargs):
    registry.schedule_reindex(instance)


_NAME_FIELDS = ("first_name", "last_name")


def _author_saving(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or not instance.pk or (update_fields and not set(update_fields) & set(_NAME_FIELDS)):
        return
    old = sender.objects.filter(pk=instance.pk).values_list(*_NAME_FIELDS).first()
    instance._search_renamed = old is not None and old != (
        instance.first_name,
        instance.last_name,
    )


def _author_renamed(sender, instance, created=False, **kwargs):
    """A member's new name replaces the old in their logs' search text."""
    if getattr(instance, "_search_renamed", False):
        instance._search_renamed = False
        for log in TrialAction.objects.filter(author=instance):
            registry.schedule_reindex(log)


def _author_deleting(sender, instance, **kwargs):
    instance._search_logs = list(
        TrialAction.objects.filter(author=instance).values_list("pk", flat=True)
    )


def _author_deleted(sender, instance, **kwargs):
    """An account erased with its logs kept "without my name" (the logs' author is set
    to NULL by the database): the name leaves their search text too."""
    for log in TrialAction.objects.filter(pk__in=getattr(instance, "_search_logs", [])):
        registry.schedule_reindex(log)
