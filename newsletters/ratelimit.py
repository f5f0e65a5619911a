"""Rate limit for the subscribe form, counted in the shared cache.

Each accepted request sends a mail, so the form is limited per client IP and per
address (default 5 per 10 minutes; NEWSLETTER_SUBSCRIBE_RATE = (count, seconds)).
Use REDIS_URL with several app servers, or each counts on its own.
"""

from __future__ import annotations

import hashlib

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied

DEFAULT_RATE = (5, 600)


def _rate() -> tuple[int, int]:
    return getattr(settings, "NEWSLETTER_SUBSCRIBE_RATE", DEFAULT_RATE)


def client_ip(request) -> str:
    """The same client IP the login rate limits use (allauth honours trusted proxies)."""
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return "unknown"


def _hit(scope: str, ident: str) -> int:
    limit, window = _rate()
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
    key = f"newsletters:rate:{scope}:{digest}"
    if cache.add(key, 1, window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1


def allow_subscribe(request, email: str) -> bool:
    """Count one attempt for the IP and the address; False once either is over the limit."""
    limit, _window = _rate()
    by_ip = _hit("ip", client_ip(request))
    by_address = _hit("address", email.strip().lower())
    return by_ip <= limit and by_address <= limit
