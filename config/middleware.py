"""Site-wide middleware: the Content-Security-Policy and one log line per request."""

from __future__ import annotations

import logging
import time

from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.conf import settings

request_logger = logging.getLogger("netvaerk.requests")


class SiteCSPMiddleware(CSPMiddleware):
    """The strict policy (no inline scripts) everywhere except the Wagtail admin,
    which gets its own, looser policy (it needs inline scripts and styles)."""

    def build_policy(self, request, response) -> str:
        if request.path.startswith(settings.ADMIN_URL_PREFIXES):
            return build_policy(config=settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"])
        return super().build_policy(request, response)


class RequestLogMiddleware:
    """One structured line per request: method, path, status, duration, user id.

    No personal data beyond the user id: no query string (it may hold e-mail
    addresses or search terms), no IP address, no user agent.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = (time.perf_counter() - started) * 1000
        user = getattr(request, "user", None)
        request_logger.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round(duration_ms, 1),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )
        return response
