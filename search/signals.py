"""The index follows the content.

Saves, deletions, many-to-many changes and Wagtail's publish, unpublish and move
signals of registered models enqueue reindex tasks (django-tasks: inline on the
embedded default, a worker with TASKS_BACKEND=database). A task reloads the object
from the database and asks its type for a document, so a draft saved in the
admin never reaches the index: the page row keeps the published content.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import registry

logger = logging.getLogger(__name__)
DEPENDENT_DEPTH = 3


def connect() -> None:
    post_save.connect(_on_save, dispatch_uid="search-save")
    m2m_changed.connect(_on_m2m, dispatch_uid="search-m2m")
    pre_delete.connect(_on_pre_delete, dispatch_uid="search-pre-delete")
    post_delete.connect(_on_delete, dispatch_uid="search-delete")
    page_published.connect(_on_page, dispatch_uid="search-published")
    page_unpublished.connect(_on_page, dispatch_uid="search-unpublished")
    post_page_move.connect(_on_page_move, dispatch_uid="search-moved")
    post_save.connect(_on_restriction, sender=PageViewRestriction, dispatch_uid="search-pvr")
    post_delete.connect(_on_restriction, sender=PageViewRestriction, dispatch_uid="search-pvr-d")


def schedule(obj: Any) -> None:
    """Enqueue a reindex of obj and, transitively, of its dependents."""
    seen: set[tuple[str, str]] = set()
    _schedule(obj, seen, depth=0)


def _schedule(obj: Any, seen: set[tuple[str, str]], depth: int) -> None:
    from .tasks import reindex_task

    search_types = registry.types_for(obj)
    for search_type in search_types:
        ref = (search_type.key, search_type.object_id(obj))
        if ref in seen:
            continue
        seen.add(ref)
        reindex_task.enqueue(*ref)
    if depth < DEPENDENT_DEPTH:
        for dependent in _dependents(obj, search_types):
            _schedule(dependent, seen, depth + 1)


def _dependents(obj: Any, search_types) -> list[Any]:
    found = []
    for search_type in search_types:
        if search_type.dependents is None:
            continue
        try:
            found.extend(search_type.dependents(obj))
        except Exception:
            logger.exception("Dependents of %s failed", search_type.key)
    return found


def _on_save(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw and registry.types_for(instance):
        schedule(instance)


def _on_m2m(sender, instance, action: str, reverse: bool = False, **kwargs) -> None:
    if action.startswith("post_") and not reverse and registry.types_for(instance):
        schedule(instance)


def _on_pre_delete(sender, instance, **kwargs) -> None:
    search_types = registry.types_for(instance)
    if search_types:
        # Relations are gone after the delete; collect what to update now.
        instance._search_on_delete = (
            [(t.key, t.object_id(instance)) for t in search_types],
            _dependents(instance, search_types),
        )


def _on_delete(sender, instance, **kwargs) -> None:
    pending = getattr(instance, "_search_on_delete", None)
    if not pending:
        return
    from .tasks import remove_task

    refs, dependents = pending
    for ref in refs:
        remove_task.enqueue(*ref)
    for dependent in dependents:
        schedule(dependent)


def _on_page(sender, instance, **kwargs) -> None:
    page = instance.specific if type(instance) is Page else instance
    if registry.types_for(page):
        schedule(page)


def _on_page_move(sender, instance, url_path_before="", url_path_after="", **kwargs) -> None:
    if url_path_before != url_path_after:
        _schedule_subtree(instance)


def _on_restriction(sender, instance, **kwargs) -> None:
    # Who may see a page changed, so does the access of every page under it.
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:
        _schedule_subtree(page)


def _schedule_subtree(page: Page) -> None:
    page_models = [
        t.model for t in registry.types() if isinstance(t.model, type) and issubclass(t.model, Page)
    ]
    if not page_models:
        return
    pages = Page.objects.descendant_of(page, inclusive=True).type(*page_models).specific()
    for descendant in pages.iterator():
        schedule(descendant)
