"""Django's Redis cache, made to survive Redis being down or hanging.

Everything this site keeps in the cache can be rebuilt or done without: the
anonymous page cache, the navigation, facet counts, extracted attachment text and
rate-limit counters. So a cache outage must degrade, not fail. With the stock
`RedisCache` every request touches Redis (the page cache looks up every anonymous
page), and a closed port turned every URL, the health probe included, into a 500.

`ResilientRedisCache` is the stock backend with:

- short socket timeouts (`socket_connect_timeout`/`socket_timeout`, 0.5 s unless
  OPTIONS set them), so a Redis that hangs costs at most that once;
- a breaker shared by every cache alias of the process: after a failure Redis is
  not asked again for `RETRY_AFTER` seconds (default 5), so a request during an
  outage costs no timeout at all;
- `FAIL_SILENTLY` (default True): a failed read is a miss, a failed write is
  skipped, `add` answers False and `incr` answers None. The page is then served
  uncached, the navigation read from the database, and so on.
  With `FAIL_SILENTLY=False` (the "ratelimit" alias) a failure raises
  `CacheUnavailable` instead, so the caller decides which way to fail; see
  `network.ratelimit`.

`degraded()` says whether the breaker is open; `/readyz` reports it.
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger("netvaerk.cache")

_lock = threading.Lock()
_open_until: dict[str, float] = {}  # LOCATION → monotonic time the breaker closes
_was_down: set[str] = set()  # locations that failed and have not answered since
_recovery_hooks: list = []


class CacheUnavailable(Exception):
    """The shared cache could not be reached (or its breaker is open)."""


def degraded() -> list[str]:
    """The cache locations whose breaker is open now."""
    now = time.monotonic()
    with _lock:
        return [location for location, until in _open_until.items() if until > now]


def reset() -> None:
    """Close every breaker (tests; a process that knows Redis is back)."""
    with _lock:
        _open_until.clear()
        _was_down.clear()


def on_recovery(hook) -> None:
    """Call `hook()` when the cache answers again after a failure in this process.

    The page cache uses it to throw away every page stored before the outage: a
    publish or unpublish during the outage could not bump its version, and the
    process that tried is one of those that saw the failure."""
    _recovery_hooks.append(hook)


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        self.fail_silently = bool(options.pop("FAIL_SILENTLY", True))
        self.retry_after = float(options.pop("RETRY_AFTER", 5))
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        super().__init__(server, {**params, "OPTIONS": options})
        self._location = ",".join(self._servers)

    def _call(self, method: str, failed, *args, **kwargs):
        # Every cache call passes here: a plain dict read (atomic in CPython), no lock.
        if _open_until.get(self._location, 0.0) > time.monotonic():
            return self._failed(failed, None)
        try:
            result = getattr(super(), method)(*args, **kwargs)
        except ValueError:
            raise  # incr of a missing key: not an outage
        except Exception as exc:  # noqa: BLE001 - redis-py's errors and OSErrors alike
            with _lock:
                first = _open_until.get(self._location, 0.0) <= time.monotonic()
                _open_until[self._location] = time.monotonic() + self.retry_after
                _was_down.add(self._location)
            if first:
                logger.warning(
                    "Cache unavailable (%s: %s); serving without it for %s s",
                    type(exc).__name__,
                    exc,
                    self.retry_after,
                )
            return self._failed(failed, exc)
        if self._location in _was_down:
            self._recovered()
        return result

    def _recovered(self) -> None:
        with _lock:
            if self._location not in _was_down:
                return
            _was_down.discard(self._location)
        logger.warning("Cache available again")
        for hook in _recovery_hooks:
            try:
                hook()
            except Exception:  # noqa: BLE001 - a hook must not fail the request
                logger.exception("Cache recovery hook failed")

    def _failed(self, value, exc):
        if self.fail_silently:
            return value
        raise CacheUnavailable(str(exc or "breaker open")) from exc

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version)

    def incr(self, key, delta=1, version=None):
        return self._call("incr", None, key, delta, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version)

    def clear(self):
        return self._call("clear", False)
