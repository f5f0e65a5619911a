"""Version counters in the default cache: what is cached under a version is stale as
soon as the version moves (the page cache, the experience listing's facet counts).

A change moves it at once and again when its transaction commits: a reader between
the two would otherwise keep what the database still showed before the commit, under
the new version."""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction


def current(key: str) -> int:
    return cache.get_or_set(key, 1, None)


def move(key: str) -> None:
    _increment(key)
    transaction.on_commit(lambda: _increment(key), robust=True)


def _increment(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # not there (evicted, or never read)
        cache.set(key, 2, None)
