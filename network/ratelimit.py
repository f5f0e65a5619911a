"""Rate limits and the client address they count by: the one place for both.

A limit is a fixed window counted in the shared cache (the "ratelimit" cache alias:
Redis with several app servers, each server on its own otherwise). allauth's own
limits (failed logins, sign-up, password reset) count by `client_ip` too, through
`network.adapter.AccountAdapter.get_client_ip`.

When the shared cache cannot be reached, each caller says which way its limit
fails (`fail_open`): open where a flood costs little and the service matters (the
search API, comments by signed-in members), closed where the limit is the only
protection (logins, where it stops password guessing; the subscribe form, where
each request sends a mail to an address someone typed). docs/operations.md lists
them.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging

from django.conf import settings
from django.core.cache import InvalidCacheBackendError, caches

logger = logging.getLogger("netvaerk.ratelimit")


def counter_cache():
    """Where the limits count: the "ratelimit" alias, which reports an outage rather
    than hiding it (config/cache.py), or the default cache where there is none."""
    try:
        return caches["ratelimit"]
    except InvalidCacheBackendError:
        return caches["default"]


def hit(scope: str, ident: str, limit: int, window: int, *, fail_open: bool) -> bool:
    """Count one attempt; False once `ident` has made more than `limit` in `window` s.

    If the cache is unreachable the attempt cannot be counted: the answer is then
    `fail_open` (True lets it through, False refuses it)."""
    digest = hashlib.sha256(str(ident).encode()).hexdigest()[:32]
    key = f"ratelimit:{scope}:{digest}"
    cache = counter_cache()
    try:
        if cache.add(key, 1, window):
            return True
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window)
            count = 1
    except Exception as exc:  # noqa: BLE001 - config.cache.CacheUnavailable, redis errors
        logger.warning(
            "Rate limit %s not counted (%s); failing %s",
            scope,
            exc,
            "open" if fail_open else "closed",
        )
        return fail_open
    return count is not None and count <= limit


def client_ip(request) -> str:
    """The client's address, as every limit counts it.

    Directly on the internet (TRUSTED_PROXY_COUNT=0) that is the connecting address;
    `X-Forwarded-For` is ignored, since anyone can send it. Behind N trusted proxies
    (nginx, a load balancer) each appends the address it saw, so the client is the
    N-th entry from the right: entries further left were sent by the client and are
    not trusted. A header with fewer entries than that did not come through all the
    proxies, so the connecting address is used."""
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    ip = None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count > 0 and forwarded:
        entries = [entry.strip() for entry in forwarded.split(",")]
        if len(entries) >= count:
            ip = entries[-count]
    ip = ip or request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(ip))
    except ValueError:
        return "unknown"
