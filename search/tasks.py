"""Background work of the index (django-tasks). Arguments are plain strings so the
database queue can store them; each task reloads what it needs."""

from __future__ import annotations

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def reindex_task(type_key: str, object_id: str) -> None:
    from . import indexing

    try:
        indexing.reindex(type_key, object_id)
    except Exception:
        logger.exception("Reindexing %s:%s failed", type_key, object_id)
        raise


@task()
def remove_task(type_key: str, object_id: str) -> None:
    from . import indexing

    try:
        indexing.remove(type_key, object_id)
    except Exception:
        logger.exception("Removing %s:%s from the index failed", type_key, object_id)
        raise


@task()
def replay_pending_task() -> int:
    """Send the queued Elasticsearch writes again; returns how many are left."""
    from . import indexing

    return indexing.replay_pending()
