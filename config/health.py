"""Probes for a load balancer: /healthz (the process answers) and /readyz (it can
serve: database reachable; search backend and pending background work reported)."""

from __future__ import annotations

from django.db import connection
from django.http import JsonResponse


def healthz(request):
    return JsonResponse({"status": "ok"})


def readyz(request):
    checks: dict[str, object] = {}
    ready = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
        checks["database"] = f"error: {type(exc).__name__}"
        ready = False
    checks["search"] = _search_status()
    checks["pending_tasks"] = _pending_tasks() if ready else None
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503
    )


def _search_status() -> str:
    """Which index answers searches now: "database", or "elasticsearch" while the
    cluster is configured and not in its back-off after a failure."""
    from search import backends

    if backends.elasticsearch_backend() is None:
        return "database"
    return "elasticsearch" if backends.elasticsearch_available() else "database (fallback)"


def _pending_tasks() -> int | None:
    from django.conf import settings

    if "django_tasks_db" not in settings.TASKS["default"]["BACKEND"]:
        return 0
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count()
