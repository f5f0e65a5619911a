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


def allow_subscribe(request, email: str) -> bool:
    """Count one attempt for the IP and the address; False once either is over the limit."""
    limit, window = getattr(settings, "NEWSLETTER_SUBSCRIBE_RATE", DEFAULT_RATE)
    ip_limit, ip_window = getattr(settings, "NEWSLETTER_SUBSCRIBE_IP_RATE", DEFAULT_IP_RATE)
    by_ip = hit("newsletter-ip", client_ip(request), ip_limit, ip_window, fail_open=False)
    by_address = hit("newsletter-address", email.strip().lower(), limit, window, fail_open=False)
    return by_ip and by_address


def seconds_to_wait(request, email: str) -> int:
    """When the later of the two windows ends: the refusal's `Retry-After`."""
    _, window = getattr(settings, "NEWSLETTER_SUBSCRIBE_RATE", DEFAULT_RATE)
    _, ip_window = getattr(settings, "NEWSLETTER_SUBSCRIBE_IP_RATE", DEFAULT_IP_RATE)
    return max(
        retry_after("newsletter-ip", client_ip(request), ip_window),
        retry_after("newsletter-address", email.strip().lower(), window),
    )
