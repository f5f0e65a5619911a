"""A fixed-window rate limit counted in the shared cache (REDIS_URL with several app
servers, or each server counts on its own). Used where abuse is cheap: comments,
the search API."""

from __future__ import annotations

import hashlib

from django.core.cache import cache


def hit(scope: str, ident: str, limit: int, window: int) -> bool:
    """Count one attempt; False once `ident` has made more than `limit` in `window` s."""
    digest = hashlib.sha256(str(ident).encode()).hexdigest()[:32]
    key = f"ratelimit:{scope}:{digest}"
    if cache.add(key, 1, window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        count = 1
    return count <= limit


def client_ip(request) -> str:
    """The client IP as allauth's login limits see it (it honours trusted proxies)."""
    from allauth.account.adapter import get_adapter
    from django.core.exceptions import PermissionDenied

    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return "unknown"
