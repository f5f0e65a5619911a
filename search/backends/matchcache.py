"""Broad matches kept in the cache, under the index's token.

What the database says about a query (the ids of every match and, on PostgreSQL,
their scores) depends on the query and on the index alone: access, filters, facets
and the page are worked out afterwards, on the columns (columns.py). For a word in
most documents (*borgere*, *jobcentret*) that answer is most of a search's cost,
one pass that reads and ranks tens of thousands of vectors, and the same words are
asked for again and again. So an answer of MIN_MATCHES or more is kept in the
`search` cache (per process on the embedded default, Redis when REDIS_URL is set,
shared by the app servers), as Elasticsearch's request cache keeps a shard's
answers until its next refresh.

It is keyed by `IndexState.token`, which every transaction that writes the index
sets to a new random value. The token is read before and after the match, and the
answer is kept only if it did not change in between, so a write that commits during
the match never leaves an old answer under the new token. What the index holds
and what a reader may see are never decided here: a cached answer is what the
database would say now, and goes through the same access and filters.
"""

from __future__ import annotations

import hashlib
import uuid

from django.conf import settings
from django.core.cache import caches

STATE = "search_indexstate"
# Smaller answers cost a few milliseconds to compute; keeping them would only churn.
MIN_MATCHES = 2000
# An unchanged index keeps its answers this long (a changed one never reuses them).
TIMEOUT = 600


def enabled() -> bool:
    return getattr(settings, "SEARCH_MATCH_CACHE", True)


def renew(cursor) -> None:
    """Give the index a new token, in the writing transaction."""
    cursor.execute(
        f"INSERT INTO {STATE} (id, token) VALUES (1, %s) "
        "ON CONFLICT (id) DO UPDATE SET token = excluded.token",
        [uuid.uuid4().hex],
    )


def token(cursor) -> str | None:
    cursor.execute(f"SELECT token FROM {STATE} WHERE id = 1")
    row = cursor.fetchone()
    return row[0] if row else None


def key(index_token: str, sql: str, params) -> str:
    digest = hashlib.sha256(repr((sql, params)).encode()).hexdigest()[:40]
    return f"match:{index_token}:{digest}"


def kept(cursor, sql: str, params, compute, keep=lambda value: True, enabled: bool = True):
    """`compute()`'s answer to `sql`/`params` (which name it in the key), from the
    cache while the index's token is unchanged; kept when `keep(answer)` and the
    token read after computing is the one read before it."""
    before = token(cursor) if enabled else None
    cache_key = before and key(before, sql, params)
    value = get(cache_key) if cache_key else None
    if value is not None:
        return value
    value = compute()
    if cache_key and keep(value) and token(cursor) == before:
        put(cache_key, value)
    return value


def get(cache_key: str):
    return caches["search"].get(cache_key)


def put(cache_key: str, row) -> None:
    caches["search"].set(cache_key, row, TIMEOUT)
