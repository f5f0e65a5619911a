"""What the server's log says about a refused request."""

import io
import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import include, path

from config.logformat import NoTracebackForClientErrors


def _refuse(request):
    raise PermissionDenied


urlpatterns = [path("nej/", _refuse), path("", include("config.urls"))]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_refused_request_is_one_log_line_and_a_server_error_keeps_its_traceback(client):
    """Every 403 wrote the exception's traceback (an outside attacker's probes filled
    the log); a 500 still does."""
    root = logging.getLogger()
    console = next(h for h in root.handlers if isinstance(h, logging.StreamHandler))
    assert any(isinstance(f, NoTracebackForClientErrors) for f in console.filters)

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(NoTracebackForClientErrors())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        assert client.get("/nej/").status_code == 403
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            request = RequestFactory().get("/")
            logger.error(
                "Internal Server Error: /",
                exc_info=True,
                extra={"status_code": 500, "request": request},
            )
    finally:
        logger.removeHandler(handler)
    out = stream.getvalue()
    assert "Forbidden (Permission denied): /nej/" in out
    forbidden = out.split("Internal Server Error")[0]
    assert "Traceback" not in forbidden
    assert "Traceback" in out.split("Internal Server Error")[1]
