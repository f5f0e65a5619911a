"""GET /api/search/ and /api/search/autocomplete/: JSON, session-authenticated like
the site (the same visibility as the page), errors as 400 with a Danish message."""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.utils.html import escape
from django.views.decorators.http import require_GET

from network.ratelimit import hit, member_or_ip, retry_after

from . import forms, service
from .query import FACETS


def _too_many(request) -> JsonResponse | None:
    """Per client a minute (SEARCH_API_RATE_PER_MINUTE): generous for people and the
    site's own autocomplete, not for scrapers."""
    ident = member_or_ip(request)
    if hit("search-api", ident, settings.SEARCH_API_RATE_PER_MINUTE, 60, fail_open=True):
        return None
    response = JsonResponse(
        {"error": "For mange søgninger. Vent et øjeblik, og prøv igen."}, status=429
    )
    response["Retry-After"] = str(retry_after("search-api", ident, 60))
    return response


def _error(message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=400)


@require_GET
def search_api(request):
    if limited := _too_many(request):
        return limited
    parsed = forms.parse_params(request.GET, aliases=forms.PAGE_NAMES)
    if parsed.errors:
        return _error(" ".join(parsed.errors))
    params = parsed.params
    if params.filters.project and not forms.access_known_project(
        request.user, params.filters.project
    ):
        return _error(f"Ukendt projekt »{params.filters.project[:60]}«.")
    outcome = service.run(request.user, params)
    if params.page > outcome.num_pages:
        return _error(_no_such_page(outcome))
    result = outcome.result
    return JsonResponse(
        {
            "query": params.q,
            "backend": outcome.backend,
            "total": result.total,
            "page": params.page,
            "page_size": params.page_size,
            "results": [_hit(hit) for hit in result.hits],
            # Page 1, when the results with enough of the words are fewer than a page:
            # results with fewer of them (not in the total or the facets).
            "fewer_words": [_hit(hit) for hit in outcome.fewer_words],
            "facets": {name: result.facets.get(name, {}) for name in FACETS},
            "suggestion": outcome.suggestion,
            # The query as searched, when words no visible document has were corrected
            # (ask again with exact=1 for exactly what was typed).
            "corrected_query": outcome.corrected or None,
            # Words typed with a minus (*video -telefon*): texts with them are left out.
            "excluded_words": [word[1:] for word in outcome.query.minus_words],
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _no_such_page(outcome) -> str:
    if not outcome.total:
        return "Siden findes ikke: søgningen gav ingen resultater."
    pages = "1 side" if outcome.num_pages == 1 else f"{outcome.num_pages} sider"
    return f"Siden findes ikke: søgningen har {pages}."


def _day(day) -> str | None:
    return day.isoformat() if day else None


def _hit(hit) -> dict:
    return {
        "type": hit.type,
        "title": hit.title,
        "url": hit.url,
        "title_html": hit.title_html or escape(hit.title),
        "snippet": hit.snippet,
        "municipalities": hit.municipalities,
        "topics": hit.topics,
        "date": _day(hit.date),
        "published": _day(hit.published),
        "external_id": hit.external_id,
        "matched_tags": hit.matched_tags,
    }


@require_GET
def autocomplete_api(request):
    if limited := _too_many(request):
        return limited
    text = (request.GET.get("q") or "")[:200]
    completions, backend = service.autocomplete(request.user, text)
    return JsonResponse(
        {"query": text, "backend": backend, "completions": completions},
        json_dumps_params={"ensure_ascii": False},
    )
