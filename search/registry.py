"""What content apps use to make their content searchable; nothing else of search.

A content app calls, from its AppConfig.ready():

    from search import registry

    registry.register(registry.SearchType(
        key="event", label="Arrangement", model=Event,
        documents=lambda: Event.objects.all(),
        to_document=event_document,           # obj -> SearchDocument | None
        dependents=None,                      # obj -> objects to reindex with it
    ))
    registry.register_access_provider(project_tokens)   # user -> {"project:7", ...}

and, for changes that no model signal reports (a new comment, an update on a
trial action), `registry.schedule_reindex(obj)`.

This module imports no models, so it is safe to import from any app's ready().
See docs/search.md.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

logger = logging.getLogger(__name__)

PUBLIC = "public"
MEMBERS = "members"


def project_token(project_id: int | str) -> str:
    """The access token of content only the participants of a project may see."""
    return f"project:{project_id}"


@dataclass(frozen=True)
class SearchDocument:
    """One searchable thing, as a content app describes it.

    `access` decides who finds it: "public", "members" (logged-in members) or
    "project:<id>" (participants of project <id>, see `project_token`). Attachment
    text belongs in `extra`, under the parent's access.
    """

    type: str
    object_id: str
    title: str
    url: str
    access: str
    body: str = ""
    extra: str = ""
    municipalities: Sequence[str] = ()  # official 4-digit codes
    topics: Sequence[str] = ()  # work area slugs
    project_key: str = ""
    project_title: str = ""
    date: datetime.date | None = None  # its own day: the year facet, shown on results
    external_id: str | None = None
    # The day it became news here, for *Nyeste*: an event announced in March for June
    # is March's news (by `date`, coming events came first). Not given: `date`.
    published: datetime.date | None = None

    def __post_init__(self):
        if not (self.access in (PUBLIC, MEMBERS) or self.access.startswith("project:")):
            raise ValueError(f"Unknown access token {self.access!r}")
        if self.published is None:  # decided here once, for every backend
            object.__setattr__(self, "published", self.date)


@dataclass(frozen=True)
class SearchType:
    """A kind of content (the `type` facet) and how to turn its objects into documents.

    `to_document(obj)` returns None when the object must not be found (a draft, an
    unpublished page); search then removes it from the index. `dependents(obj)`
    names other objects whose documents change with obj (a project's visibility
    changes the access of its events). `get_object(object_id)` reloads an object
    for a background task; the default uses the model's default manager.
    """

    key: str
    label: str
    model: type
    documents: Callable[[], Iterable[Any]]
    to_document: Callable[[Any], SearchDocument | None]
    dependents: Callable[[Any], Iterable[Any]] | None = None
    label_plural: str = ""
    get_object: Callable[[str], Any] | None = None
    # What a result's date is, where it is not plain (a log's "Start"): shown before it.
    date_label: str = ""
    object_id: Callable[[Any], str] = field(default=lambda obj: str(obj.pk))

    def load(self, object_id: str) -> Any | None:
        if self.get_object is not None:
            return self.get_object(object_id)
        manager = self.model._default_manager  # type: ignore[attr-defined]
        return manager.filter(pk=object_id).first()

    def load_many(self, object_ids: Iterable[str]) -> dict[str, Any]:
        """object id -> object for the ids that load; a missing id is not indexable.

        Through `documents()` when it is a queryset of the model (it carries the
        prefetching a rebuild uses, and leaves out what is never indexable), else one
        `load` per id."""
        from django.db.models import QuerySet

        ids = [str(object_id) for object_id in object_ids]
        candidates = self.documents()
        if (
            self.get_object is None
            and isinstance(candidates, QuerySet)
            and issubclass(candidates.model, self.model)
        ):
            return {self.object_id(obj): obj for obj in candidates.filter(pk__in=ids)}
        loaded = {object_id: self.load(object_id) for object_id in ids}
        return {key: obj for key, obj in loaded.items() if obj is not None}


_types: dict[str, SearchType] = {}
_access_providers: list[Callable[[Any], Iterable[str]]] = []


def register(search_type: SearchType) -> None:
    """Make a type searchable. Registering the same key again replaces it."""
    _types[search_type.key] = search_type


def unregister(key: str) -> None:
    _types.pop(key, None)


def register_access_provider(provider: Callable[[Any], Iterable[str]]) -> None:
    """`provider(user)` returns extra access tokens the user holds, e.g. the
    "project:<id>" tokens of the projects they take part in."""
    if provider not in _access_providers:
        _access_providers.append(provider)


def unregister_access_provider(provider: Callable[[Any], Iterable[str]]) -> None:
    if provider in _access_providers:
        _access_providers.remove(provider)


def types() -> list[SearchType]:
    return list(_types.values())


def get_type(key: str) -> SearchType | None:
    return _types.get(key)


def types_for(obj: Any) -> list[SearchType]:
    """The registered types whose model `obj` is an instance of."""
    return [t for t in _types.values() if isinstance(obj, t.model)]


def access_tokens(user) -> set[str]:
    """Everything `user` may find: public, members when logged in, and whatever the
    registered providers grant. A failing provider grants nothing."""
    tokens = {PUBLIC}
    if user is not None and getattr(user, "is_authenticated", False):
        tokens.add(MEMBERS)
        for provider in _access_providers:
            try:
                tokens.update(t for t in provider(user) if t.startswith("project:"))
            except Exception:
                logger.exception("Search access provider %r failed", provider)
    return tokens


def schedule_reindex(obj: Any) -> None:
    """Bring obj's search document (and its dependents') up to date, in the
    background. Call it after changes that no model signal reports."""
    from .signals import schedule

    schedule(obj)


def schedule_removal(type_key: str, object_id: str) -> None:
    """Remove one document from the index, in the background."""
    from .tasks import remove_task

    remove_task.enqueue(type_key, str(object_id))


def attachment_text(document) -> str:
    """Plain text of an attached Wagtail document (PDF, DOCX, TXT) for `extra`;
    empty when the file cannot be read."""
    from .attachments import document_text

    return document_text(document)
