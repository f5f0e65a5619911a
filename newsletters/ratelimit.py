"""Rate limit for the subscribe form, counted in the shared cache (network.ratelimit).

Each accepted request sends a mail, so the form is limited per address (default 5 per
10 minutes; NEWSLETTER_SUBSCRIBE_RATE = (count, seconds)) and per client IP (default
30 per 10 minutes; NEWSLETTER_SUBSCRIBE_IP_RATE). The IP's limit is higher: a
jobcentre's staff reach the site from one address, and a room of them signing up after
a theme day must not be turned away; 30 still stops a script mailing strangers.
"""

from __future__ import annotations

from django.conf import settings

from network.ratelimit import client_ip, hit, retry_after

DEFAULT_RATE = (5, 600)
DEFAULT_IP_RATE = (30, 600)


def refused_for(request, email: str) -> int | None:
    """Count one attempt for the IP and the address. None while both are within their
    limits; else the seconds until the refusing limits' windows end (`Retry-After`)."""
    limits = [
        ("newsletter-ip", client_ip(request), DEFAULT_IP_RATE, "NEWSLETTER_SUBSCRIBE_IP_RATE"),
        ("newsletter-address", email.strip().lower(), DEFAULT_RATE, "NEWSLETTER_SUBSCRIBE_RATE"),
    ]
    waits = []
    for scope, ident, default, setting in limits:
        limit, window = getattr(settings, setting, default)
        if not hit(scope, ident, limit, window, fail_open=False):
            waits.append(retry_after(scope, ident, window))
    return max(waits) if waits else None
