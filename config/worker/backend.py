"""django-tasks-db's backend, queueing an idempotent task once per transaction.

One publish saves the page three times and sends `page_published`. Each save queues
a reindex of our search index, of Wagtail's search index and of Wagtail's reference
index: 7 tasks, 3 of them the same reindex of the same page. The rows only become
visible to a worker when the transaction commits, so by then one of each does the
work of all.

Only the tasks in COALESCED are merged: those that read the current state when they
run, so running one instead of several changes nothing. Per set of arguments only a
repeat of the *last* task queued is merged, so reindex, remove, reindex still ends
with the reindex. A task queued in a savepoint that rolls back is gone with its row,
and is queued again when asked.
"""

from __future__ import annotations

import json

from django.db import transaction
from django_tasks_db.backend import DatabaseBackend as BaseDatabaseBackend

# Task → the family whose last queued member decides (a reindex and a removal of the
# same document are one family: the later one must run last).
COALESCED = {
    "search.tasks.reindex_task": "search",
    "search.tasks.remove_task": "search",
    "modelsearch.tasks.insert_or_update_object_task": "wagtail-search",
    "wagtail.tasks.update_reference_index_task": "wagtail-references",
}


class _Queued:
    """A marker on the transaction's on-commit list. Django drops it, as it drops the
    queued row, when the savepoint it was added in rolls back."""

    __slots__ = ("result",)

    def __init__(self, result):
        self.result = result

    def __call__(self) -> None:
        pass


class DatabaseBackend(BaseDatabaseBackend):
    def enqueue(self, task, args, kwargs):
        connection = transaction.get_connection()
        if task.module_path not in COALESCED or not connection.in_atomic_block:
            return super().enqueue(task, args, kwargs)
        alive = {id(callback) for _, callback, _ in connection.run_on_commit}
        latest = {
            key: (path, marker)
            for key, (path, marker) in getattr(connection, "_queued_tasks", {}).items()
            if id(marker) in alive
        }
        key = json.dumps(
            [COALESCED[task.module_path], list(args), kwargs], sort_keys=True, default=str
        )
        path, marker = latest.get(key, (None, None))
        if path != task.module_path:
            marker = _Queued(super().enqueue(task, args, kwargs))
            transaction.on_commit(marker)
            latest[key] = (task.module_path, marker)
        connection._queued_tasks = latest
        return marker.result
