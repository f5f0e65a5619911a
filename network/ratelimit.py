"""Rate limits and the client address they count by: the one place for both.

A limit is a fixed window counted in the shared cache (the "ratelimit" cache alias:
Redis with several app servers, each server on its own otherwise), starting with a
client's first attempt. Its start is kept beside the count, so a refusal can say in
its `Retry-After` header when the window ends (`retry_after`). allauth's own
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
import math
import time

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
    key = _key(scope, ident)
    cache = counter_cache()
    try:
        if cache.add(key, 1, window):
            cache.set(f"{key}:start", time.time(), window)
            return True
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr: a new window
            cache.set(key, 1, window)
            cache.set(f"{key}:start", time.time(), window)
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


def retry_after(scope: str, ident: str, window: int) -> int:
    """Seconds until `ident`'s window in `scope` ends (1 to `window`): a refusal's
    `Retry-After`. The whole window when its start cannot be read."""
    try:
        start = counter_cache().get(f"{_key(scope, ident)}:start")
    except Exception:  # noqa: BLE001 - as in hit: the cache is out
        start = None
    if not isinstance(start, (int, float)):
        return window
    return min(window, max(1, math.ceil(start + window - time.time())))


def _key(scope: str, ident: str) -> str:
    digest = hashlib.sha256(str(ident).encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{digest}"


def member_or_ip(request) -> str:
    """Who a limit counts: the signed-in member, or a visitor's address."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    return client_ip(request)


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
