"""Probes for a load balancer: /healthz (the process answers) and /readyz (it can
serve: database reachable; cache, search backend and pending background work
reported).

Only the database makes a server unready. The shared cache and Elasticsearch are
reported ("degraded") but do not: every app server shares them, so failing the
probe on their account would take every server out of the load balancer at once,
while the site works without them (config/cache.py, search fallback)."""

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
    checks["cache"] = _cache_status()
    checks["search"] = _search_status()
    checks["pending_tasks"] = _pending_tasks() if ready else None
    degraded = checks["cache"] != "ok" or str(checks["search"]).startswith("database (fallback")
    status = "unavailable" if not ready else "degraded" if degraded else "ok"
    return JsonResponse({"status": status, "checks": checks}, status=200 if ready else 503)


def _cache_status() -> str:
    """ "ok", or "unavailable": pages are served uncached and each rate limit fails
    the way network/ratelimit.py says (logins and subscriptions refused)."""
    from network.ratelimit import counter_cache

    try:
        counter_cache().get("readyz:probe")
    except Exception:  # noqa: BLE001 - config.cache.CacheUnavailable and the like
        return "unavailable"
    return "ok"


def _search_status() -> str:
    """Which index answers searches now: "database", or "elasticsearch" while the
    cluster is configured and not in its back-off after a failure."""
    from search import backends

    if backends.elasticsearch_backend() is None:
        return "database"
    if backends.elasticsearch_available():
        return "elasticsearch"
    return f"database (fallback: {backends.down_reason() or 'elasticsearch unavailable'})"


def _pending_tasks() -> int | None:

    from network.mail import durable_queue

    if not durable_queue():
        return 0
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).count()
