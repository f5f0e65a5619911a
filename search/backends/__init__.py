"""Which backend stores and which answers.

The database index is always written and always available. Elasticsearch is
written as well when ELASTICSEARCH_URL is set, and answers searches while it is
reachable. After a failure it is left alone for RETRY_SECONDS (a circuit
breaker), so a dead cluster costs one failed request, not one per search.
"""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings
from django.db import connection

from .base import SearchBackend

logger = logging.getLogger(__name__)
RETRY_SECONDS = 30

_lock = threading.Lock()
_state = {"down_until": 0.0}
_instances: dict[tuple, SearchBackend] = {}


def database_backend() -> SearchBackend:
    from .database import DatabaseBackend

    key = ("database", connection.vendor)
    if key not in _instances:
        _instances[key] = DatabaseBackend()
    return _instances[key]


def elasticsearch_backend() -> SearchBackend | None:
    url = getattr(settings, "ELASTICSEARCH_URL", "")
    if not url:
        return None
    from .elasticsearch import ElasticsearchBackend

    key = (
        "elasticsearch",
        url,
        settings.SEARCH_INDEX_PREFIX,
        settings.ELASTICSEARCH_SHARDS,
        settings.ELASTICSEARCH_REPLICAS,
    )
    with _lock:
        if key not in _instances:
            _instances[key] = ElasticsearchBackend(
                url=url,
                prefix=settings.SEARCH_INDEX_PREFIX,
                shards=settings.ELASTICSEARCH_SHARDS,
                replicas=settings.ELASTICSEARCH_REPLICAS,
                timeout=settings.ELASTICSEARCH_TIMEOUT,
            )
        return _instances[key]


def elasticsearch_available() -> bool:
    return time.monotonic() >= _state["down_until"]


def elasticsearch_failed(exc: BaseException) -> None:
    logger.warning("Elasticsearch failed, using the database index for %ss: %r", RETRY_SECONDS, exc)
    _state["down_until"] = time.monotonic() + RETRY_SECONDS


def reset() -> None:
    """Forget backend instances and the breaker (tests, settings changes)."""
    _instances.clear()
    _state["down_until"] = 0.0


def reader() -> SearchBackend:
    """The backend that should answer a search right now."""
    es = elasticsearch_backend()
    if es is not None and elasticsearch_available():
        return es
    return database_backend()
