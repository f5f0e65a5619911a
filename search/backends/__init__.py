"""Which backend stores and which answers.

The database index is always written and always available. Elasticsearch is
written as well when ELASTICSEARCH_URL is set, and answers searches while it is
reachable and no write is waiting for it. After an outage (no connection, a
timeout, a 5xx or a 429) it is left alone for RETRY_SECONDS (a circuit breaker), so
a dead cluster costs one failed request, not one per search. Other errors (a 4xx, a
bug) fail only the request that met them: that search is answered by the database.
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
_state: dict = {"down_until": 0.0, "reason": "", "kicked": 0.0}
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
                bulk_timeout=settings.ELASTICSEARCH_BULK_TIMEOUT,
                connection=connection_options(),
            )
        return _instances[key]


def connection_options() -> dict:
    """TLS and credentials for a secured cluster (Elasticsearch 8's default)."""
    options: dict = {}
    if settings.ELASTICSEARCH_CA_CERTS:
        options["ca_certs"] = settings.ELASTICSEARCH_CA_CERTS
    if settings.ELASTICSEARCH_FINGERPRINT:
        options["ssl_assert_fingerprint"] = settings.ELASTICSEARCH_FINGERPRINT
    if settings.ELASTICSEARCH_API_KEY:
        options["api_key"] = settings.ELASTICSEARCH_API_KEY
    elif settings.ELASTICSEARCH_USERNAME:
        options["basic_auth"] = (settings.ELASTICSEARCH_USERNAME, settings.ELASTICSEARCH_PASSWORD)
    return options


def elasticsearch_available() -> bool:
    return time.monotonic() >= _state["down_until"]


def is_outage(exc: BaseException) -> bool:
    """Whether an error means the cluster cannot serve now (and the breaker should
    open): no connection, a timeout, a 5xx or a 429. A 4xx is about the request, a
    Python exception about our code; neither says anything about the cluster."""
    from elastic_transport import ConnectionError, ConnectionTimeout
    from elasticsearch import ApiError

    if isinstance(exc, ConnectionError | ConnectionTimeout):
        return True
    status = getattr(exc, "status", None)
    if isinstance(exc, ApiError):
        status = exc.meta.status if exc.meta is not None else None
    return isinstance(status, int) and (status >= 500 or status == 429)


def elasticsearch_failed(exc: BaseException) -> None:
    """Note an Elasticsearch error; open the breaker when it is an outage."""
    if not is_outage(exc):
        logger.error("Elasticsearch refused a request (breaker stays closed): %r", exc)
        return
    logger.warning("Elasticsearch failed, using the database index for %ss: %r", RETRY_SECONDS, exc)
    _state["reason"] = describe(exc)
    _state["down_until"] = time.monotonic() + RETRY_SECONDS


def describe(exc: BaseException) -> str:
    """Why Elasticsearch is not answering, for /readyz and `search_index status`."""
    from elastic_transport import ConnectionError, ConnectionTimeout, TlsError
    from elasticsearch import ApiError

    if isinstance(exc, TlsError):
        return "TLS failed (check ELASTICSEARCH_CA_CERTS or ELASTICSEARCH_FINGERPRINT)"
    if isinstance(exc, ConnectionTimeout):
        return "timeout"
    if isinstance(exc, ConnectionError):
        return "no connection"
    if isinstance(exc, ApiError) and exc.meta is not None:
        status = exc.meta.status
        if status in (401, 403):
            return f"HTTP {status}: check ELASTICSEARCH_API_KEY or user and password"
        return f"HTTP {status}"
    return type(exc).__name__


def down_reason() -> str:
    """Why the breaker is open, or "" while Elasticsearch is in use."""
    return "" if elasticsearch_available() else _state["reason"]


def reset() -> None:
    """Forget backend instances and the breaker (tests, settings changes)."""
    _instances.clear()
    _state.update(down_until=0.0, reason="", kicked=0.0)


# Elasticsearch's index.max_result_window: it refuses `from + size` beyond this.
MAX_RESULT_WINDOW = 10_000


def reader(window: int = 0) -> SearchBackend:
    """The backend that should answer a search right now: Elasticsearch while it is
    reachable and has every write, else the database index (which is written in the
    same transaction as the content, so it is never behind). A page reaching past
    MAX_RESULT_WINDOW results (`window` = offset + size) is always the database's:
    Elasticsearch would refuse it."""
    es = elasticsearch_backend()
    if es is None or not elasticsearch_available() or window > MAX_RESULT_WINDOW:
        return database_backend()
    from ..indexing import writes_waiting

    if writes_waiting():
        _kick()
        return database_backend()
    return es


def _kick() -> None:
    """Writes wait (a send failed or a worker is behind): ask for a send, at most once
    per RETRY_SECONDS per process."""
    now = time.monotonic()
    if now - _state["kicked"] < RETRY_SECONDS:
        return
    _state["kicked"] = now
    if settings.TASKS["default"]["BACKEND"].endswith(".ImmediateBackend"):
        # No worker: send one batch here, quickly, so a slow cluster holds this
        # request for at most the search timeout per bulk request, not the bulk
        # timeout with its retries.
        from .. import indexing

        es = elasticsearch_backend()
        try:
            with es.quick():
                indexing.send_one_batch(es)
        except Exception:
            logger.exception("The Elasticsearch send asked for by a search failed")
        return
    from ..tasks import replay_pending_task

    try:
        replay_pending_task.enqueue()
    except Exception:
        logger.exception("Could not enqueue the Elasticsearch send")
