"""The index follows the content.

Saves, deletions, many-to-many changes and Wagtail's publish, unpublish and move
signals of registered models enqueue reindex tasks (django-tasks: inline on the
embedded default, a worker with TASKS_BACKEND=database). A task reloads the object
from the database and asks its type for a document, so a draft saved in the
admin never reaches the index: the page row keeps the published content.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import registry

logger = logging.getLogger(__name__)
DEPENDENT_DEPTH = 3
# Objects per bulk reindex task when a deferred batch is flushed.
BULK_CHUNK = 500


def connect() -> None:
    post_save.connect(_on_save, dispatch_uid="search-save")
    post_save.connect(_remember_reference_index, dispatch_uid="search-reference-index")
    m2m_changed.connect(_on_m2m, dispatch_uid="search-m2m")
    pre_delete.connect(_on_pre_delete, dispatch_uid="search-pre-delete")
    post_delete.connect(_on_delete, dispatch_uid="search-delete")
    page_published.connect(_on_page, dispatch_uid="search-published")
    page_unpublished.connect(_on_page, dispatch_uid="search-unpublished")
    post_page_move.connect(_on_page_move, dispatch_uid="search-moved")
    post_save.connect(_on_restriction, sender=PageViewRestriction, dispatch_uid="search-pvr")
    post_delete.connect(_on_restriction, sender=PageViewRestriction, dispatch_uid="search-pvr-d")


# -- deferring: one bulk reindex at the end of a batch of writes ---------------------------
@dataclass
class _Deferred:
    """What a deferred batch has touched: our index refs and Wagtail's (model, pk)."""

    refs: dict[tuple[str, str], None] = field(default_factory=dict)
    wagtail: dict[type, dict[Any, None]] = field(default_factory=lambda: defaultdict(dict))
    references: dict[tuple[str, str, str], None] = field(default_factory=dict)


_local = threading.local()
_install_lock = threading.Lock()
_wagtail_wrapped = False


def _deferred_batch() -> _Deferred | None:
    return getattr(_local, "batch", None)


@contextmanager
def deferred_indexing() -> Iterator[None]:
    """Within the block, writes do not reindex one by one: each touched object is
    remembered once, and when the block ends without an error, search's index and
    Wagtail's admin index get one bulk reindex each (`reindex_many_task`, in chunks of
    BULK_CHUNK). Meant for imports: a page is saved three times and its relations set
    three times on the way to being published, and each used to reindex it.

    The flush runs in the caller's process, not as tasks: call it inside the
    transaction of the writes, so the writes and their index entries commit together
    and a failing index write rolls the whole batch back (an import is all or nothing).
    Elasticsearch is written as usual, after the database index, with failed writes
    queued for replay. On an error in the block nothing is flushed: the transaction is
    rolled back anyway. Nested blocks join the outer one. Per thread, so requests
    served meanwhile index as usual.
    """
    from wagtail.signal_handlers import disable_reference_index_auto_update

    if _deferred_batch() is not None:
        yield
        return
    _wrap_wagtail_signal_handlers()
    batch = _local.batch = _Deferred()
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        _local.batch = None
    _flush(batch)


def _flush(batch: _Deferred) -> None:
    from . import indexing

    for type_key, ids in _grouped((ref for ref in batch.refs), 1):
        indexing.reindex_many(type_key, ids)
    for model, pks in batch.wagtail.items():
        keys = [str(pk) for pk in pks]
        for start in range(0, len(keys), BULK_CHUNK):
            _wagtail_index_many(model, keys[start : start + BULK_CHUNK])
    for (app_label, model_name), pks in _grouped(batch.references, 2):
        _reference_index_many(app_label, model_name, pks)


def _grouped(keys, id_position: int):
    """(group, ids) in chunks of BULK_CHUNK, grouping tuples on all but their last item."""
    groups: dict[Any, list[str]] = defaultdict(list)
    for key in keys:
        group = key[0] if id_position == 1 else key[:id_position]
        groups[group].append(key[id_position])
    for group, ids in groups.items():
        for start in range(0, len(ids), BULK_CHUNK):
            yield group, ids[start : start + BULK_CHUNK]


def _wagtail_index_many(model: type, pks: list[str]) -> None:
    """Wagtail's own (admin) search index for many objects of one model at once."""
    from modelsearch.backends import get_search_backends_with_name

    objects = list(model.get_indexed_objects().filter(pk__in=pks))
    for _name, backend in get_search_backends_with_name(with_auto_update=True):
        backend.add_bulk(model, objects)


def _reference_index_many(app_label: str, model_name: str, pks: list[str]) -> None:
    """Wagtail's reference index (the admin's "usage") for many objects of one model:
    what wagtail.tasks.update_reference_index_task does per object, with the objects and
    their parental relations loaded in a few queries. A child object (one with a
    ParentalKey) goes to Wagtail's own task, which indexes its parent."""
    from django.apps import apps
    from django.db.models import prefetch_related_objects
    from modelcluster.fields import ParentalKey
    from modelcluster.models import get_all_child_m2m_relations, get_all_child_relations
    from wagtail.models import ReferenceIndex
    from wagtail.tasks import update_reference_index_task

    model = apps.get_model(app_label, model_name)
    if any(isinstance(f, ParentalKey) for f in model._meta.get_fields()):
        for pk in pks:
            update_reference_index_task.enqueue(app_label, model_name, pk)
        return
    if not ReferenceIndex.is_indexed(model):
        return
    objects = list(model._default_manager.filter(pk__in=pks))
    names = [field.name for field in get_all_child_m2m_relations(model)]
    names += [rel.get_accessor_name() for rel in get_all_child_relations(model)]
    prefetch_related_objects(objects, *names)
    for obj in objects:
        ReferenceIndex.create_or_update_for_object(obj)


def _wrap_wagtail_signal_handlers() -> None:
    """Route Wagtail's own index updates (modelsearch's post_save handler) through
    `_wagtail_post_save`, which defers them inside a deferred batch. Installed on first
    use, after every app is ready; the wrapper is connected before the original is
    disconnected, so no save is missed meanwhile."""
    global _wagtail_wrapped
    if _wagtail_wrapped:
        return
    with _install_lock:
        if _wagtail_wrapped:
            return
        from modelsearch import index
        from modelsearch.signal_handlers import post_save_signal_handler

        for model in index.get_indexed_models():
            if not getattr(model, "search_auto_update", True):
                continue
            post_save.connect(
                _wagtail_post_save, sender=model, dispatch_uid=f"search-wagtail-{model._meta.label}"
            )
            post_save.disconnect(post_save_signal_handler, sender=model)
        _wagtail_wrapped = True


def _remember_reference_index(sender, instance, raw: bool = False, **kwargs) -> None:
    """Inside a deferred batch Wagtail's reference index (the admin's "usage" of
    snippets, images and documents) is not updated per save; each saved object gets
    one update when the batch is flushed."""
    batch = _deferred_batch()
    if batch is None or raw:
        return
    from wagtail.models import ReferenceIndex

    if sender in ReferenceIndex.tracked_models:
        meta = instance._meta
        batch.references[(meta.app_label, meta.model_name, str(instance.pk))] = None


def _wagtail_post_save(sender, instance, **kwargs) -> None:
    from modelsearch.signal_handlers import post_save_signal_handler

    batch = _deferred_batch()
    if batch is None or kwargs.get("raw", False):
        post_save_signal_handler(instance, sender=sender, **kwargs)
        return
    batch.wagtail[type(instance)][instance.pk] = None


# -- scheduling ----------------------------------------------------------------------------
def schedule(obj: Any) -> None:
    """Enqueue a reindex of obj and, transitively, of its dependents."""
    seen: dict[tuple[str, str], int] = {}
    _schedule(obj, seen, depth=0)


def _schedule(obj: Any, seen: dict[tuple[str, str], int], depth: int) -> None:
    """`seen` holds each object's shallowest depth so far: an object met again no
    deeper has had its dependents followed already (the events of a project are each
    other's dependents, and following them again at every depth made saving one event
    cost a query per event per event)."""
    from .tasks import reindex_task

    batch = _deferred_batch()
    search_types = registry.types_for(obj)
    new = False
    for search_type in search_types:
        ref = (search_type.key, search_type.object_id(obj))
        if ref in seen:
            if depth < seen[ref]:
                seen[ref] = depth
                new = True
            continue
        seen[ref] = depth
        new = True
        if batch is not None:
            batch.refs[ref] = None
        else:
            reindex_task.enqueue(*ref)
    if new and depth < DEPENDENT_DEPTH:
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


@functools.cache
def _draft_fields() -> frozenset[str]:
    """The fields Wagtail's `save_revision` writes to the page row: they record a new
    draft and leave the live content, which is all the index holds, as it was."""
    from wagtail.models.pages import COMMENTS_RELATION_NAME

    return frozenset(
        {
            COMMENTS_RELATION_NAME,
            "latest_revision_created_at",
            "draft_title",
            "latest_revision",
            "has_unpublished_changes",
        }
    )


def _on_save(sender, instance, raw: bool = False, update_fields=None, **kwargs) -> None:
    if raw or not registry.types_for(instance):
        return
    if update_fields is not None and set(update_fields) <= _draft_fields():
        return  # a draft was saved: nothing the index holds changed
    schedule(instance)
    # Wagtail's publish and unpublish save the page, then send their signal for the
    # same instance: the save has scheduled it already (see _on_page).
    instance._search_scheduled_by_save = True


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
    batch = _deferred_batch()
    for ref in refs:
        if batch is not None:
            batch.refs[ref] = None  # the bulk reindex finds it gone and removes it
        else:
            remove_task.enqueue(*ref)
    for dependent in dependents:
        schedule(dependent)


def _on_page(sender, instance, **kwargs) -> None:
    page = instance.specific if type(instance) is Page else instance
    if page.__dict__.pop("_search_scheduled_by_save", False) and not _has_child_rows(page):
        return  # published or unpublished by a save that scheduled it (_on_save)
    if registry.types_for(page):
        schedule(page)


@functools.cache
def _child_relations(model: type) -> bool:
    from modelcluster.models import get_all_child_relations
    from wagtail.models.pages import COMMENTS_RELATION_NAME

    return any(
        relation.get_accessor_name() != COMMENTS_RELATION_NAME  # editors' notes: not indexed
        for relation in get_all_child_relations(model)
    )


def _has_child_rows(page) -> bool:
    """Whether the page has rows of its own in other tables (a project's material, an
    event's agenda), which Wagtail's publish saves after the page row: the save's
    reindex read the ones from before, so the publish reindexes it again (an outside
    attacker found a removed document's text still in the project's entry)."""
    return _child_relations(type(page))


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
