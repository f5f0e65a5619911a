"""Who is reading, for code that draws a page without the request in reach."""

from __future__ import annotations

from contextvars import ContextVar

_request: ContextVar = ContextVar("network_reader_request", default=None)


def current_reader():
    """The user of the request being answered; anonymous outside a request (a mail, a
    task), so what is drawn there is what anyone may see."""
    from django.contrib.auth.models import AnonymousUser

    request = _request.get()
    return getattr(request, "user", None) or AnonymousUser()


class ReaderMiddleware:
    """After AuthenticationMiddleware: remembers the request for `current_reader`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)
