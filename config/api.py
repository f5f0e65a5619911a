"""The read-only open data API (Wagtail API v2): /api/v2/erfaringer/.

Only live, public experience pages are served; other municipal sites can reuse them.

Wagtail's pages endpoint is built to serve the whole page tree: `type=`, `child_of=`,
`descendant_of=`, `find/?html_path=` and `search=` all start from "every public page".
Project spaces, events and trial actions are private by our own rules, which Wagtail's
view restrictions do not know. So the base set here is experience pages only, every
other `type` is refused, and each number the endpoint reads is checked before it
reaches the database (a value past 64 bits would otherwise raise deep in the driver).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from wagtail.api.v2.filters import SearchFilter
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet

from experiences.models import ExperiencePage
from network.numbers import parse_int

EXPERIENCE_TYPE = "experiences.ExperiencePage"
MAX_ID = 2**63 - 1
# Longer queries are never typed by a person; they only cost the search backend.
MAX_SEARCH_LENGTH = 200
_NUMBERS = ("id", "offset", "limit", "child_of", "ancestor_of", "descendant_of")
_WORD = re.compile(r"\w+")


class WordSearchFilter(SearchFilter):
    """Wagtail's `search=` with the words only. The database backend hands the query to
    SQLite's FTS5 or PostgreSQL's tsquery, whose own syntax (quotes, NEAR, *, :) a
    visitor did not mean and could break; a query of no words is a bad request."""

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return queryset
        words = _WORD.findall(request.GET["search"])
        if not words:
            raise BadRequestError("search must contain at least one word")
        params = request.GET.copy()
        params["search"] = " ".join(words)
        request._request.GET = params
        return super().filter_queryset(request, queryset, view)


class ExperiencesAPIViewSet(PagesAPIViewSet):
    model = ExperiencePage
    name = "erfaringer"
    listing_default_fields = PagesAPIViewSet.listing_default_fields + [
        "lead",
        "published_date",
        "kind",
        "municipality_codes",
        "work_area_slugs",
    ]
    # Translations and locales are off (one language); the site is the request's own.
    filter_backends = [
        WordSearchFilter if backend is SearchFilter else backend
        for backend in PagesAPIViewSet.filter_backends
    ]
    known_query_parameters = PagesAPIViewSet.known_query_parameters - {
        "translation_of",
        "locale",
        "site",
    }

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        _check_numbers(request.GET, kwargs.get("pk"))
        _check_search(request.GET)

    def handle_exception(self, exc):
        # A field filter (`?published_date=2024-02-30`, `?alias_of=<20 digits>`) that
        # the database refuses is the caller's mistake: 400, not 500.
        if isinstance(exc, DjangoValidationError | OverflowError):
            exc = BadRequestError("a filter value is not valid for its field")
        return super().handle_exception(exc)

    def get_base_queryset(self):
        return ExperiencePage.objects.live().public()

    def get_queryset(self):
        wanted = self.request.GET.get("type")
        if wanted and wanted.lower() != EXPERIENCE_TYPE.lower():
            raise BadRequestError(f"type must be {EXPERIENCE_TYPE}")
        return self.get_base_queryset().order_by("id")

    def find_object(self, queryset, request):
        found = super().find_object(queryset, request)
        # `html_path` routes through the whole site; only an experience may come back.
        return found if found is None or queryset.filter(pk=found.pk).exists() else None


def _check_numbers(params, pk=None) -> None:
    if pk is not None and parse_int(str(pk), 1, MAX_ID) is None:
        # A detail id no page can have is simply not found.
        from django.http import Http404

        raise Http404("not found")
    for name in _NUMBERS:
        for value in params.getlist(name):
            if name in ("child_of", "descendant_of") and value == "root":
                continue
            if parse_int(value, 0, MAX_ID) is None:
                raise BadRequestError(f"{name} must be a positive integer")


def _check_search(params) -> None:
    query = params.get("search")
    if query is None:
        return
    if len(query) > MAX_SEARCH_LENGTH:
        raise BadRequestError(f"search must be at most {MAX_SEARCH_LENGTH} characters")
    if "\x00" in query:
        raise BadRequestError("search must not contain NUL characters")
    if params.get("search_operator") not in (None, "and", "or"):
        raise BadRequestError("search_operator must be 'and' or 'or'")


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("erfaringer", ExperiencesAPIViewSet)
