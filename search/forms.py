"""Reading search parameters from a query string, with Danish error messages.

The API and the page share the rules and differ in names (the page speaks Danish
in its links: kommune, omraade, aar, side; the API takes those too, beside its own)
and in strictness: the API answers a
bad value with 400, the page drops the filter and says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.http import QueryDict

from network.numbers import parse_int

from . import analysis, labels, registry
from .query import MAX_QUERY_LENGTH, SORTS, Filters
from .service import SearchParams

TOO_LONG = f"Søgningen er for lang: højst {MAX_QUERY_LENGTH} tegn."

API_NAMES = {
    "q": "q",
    "type": "type",
    "municipality": "municipality",
    "region": "region",
    "topic": "topic",
    "project": "project",
    "year": "year",
    "sort": "sort",
    "page": "page",
    "page_size": "page_size",
    "exact": "exact",
}
PAGE_NAMES = {
    "q": "q",
    "type": "type",
    "municipality": "kommune",
    "region": "region",
    "topic": "omraade",
    "project": "projekt",
    "year": "aar",
    "sort": "sortering",
    "page": "side",
    "page_size": "antal",
    "exact": "praecis",
}
PAGE_SORTS = {"relevans": "relevance", "nyeste": "newest"}
MAX_PAGE_SIZE = 50
_PROJECT_KEY = re.compile(r"^[\w:.-]{1,100}$")


@dataclass
class ParsedParams:
    params: SearchParams
    errors: list[str] = field(default_factory=list)


def parse_params(
    data: QueryDict,
    *,
    names: dict[str, str] = API_NAMES,
    aliases: dict[str, str] | None = None,
    default_page_size: int = 20,
) -> ParsedParams:
    """`aliases`: other names also read for each parameter (the API takes the page's
    Danish names too, so a page's query string asks the API the same thing)."""
    errors: list[str] = []

    def once(key: str) -> str:
        given = {v.strip() for v in data.getlist(key) if v.strip()}
        if len(given) > 1:  # a hand-made ?kommune=a&kommune=b: one value per filter
            errors.append(f"»{key}« er angivet flere gange. Der kan vælges én ad gangen.")
        return (data.get(key) or "").strip()

    def get(name: str) -> str:
        value = once(names[name])
        alias = aliases.get(name) if aliases else None
        if alias and alias != names[name]:
            # The page's name twice is refused as the API's is (an outside walk).
            other = once(alias)
            if value and other and other != value:
                errors.append(f"Både {names[name]} og {alias} er angivet. Brug én af dem.")
            value = value or other
        return value

    q = analysis.without_format_characters(get("q")).strip()
    if len(q) > MAX_QUERY_LENGTH:
        errors.append(TOO_LONG)
        # Cut between words: a word cut short was then corrected ("syged" →
        # "sygedagpenge") and shown as a correction (an outside walk).
        cut = q[:MAX_QUERY_LENGTH]
        if not q[MAX_QUERY_LENGTH].isspace() and " " in cut:
            cut = cut.rsplit(" ", 1)[0]
        q = cut.strip()
    values: dict = {}
    checks = {
        "type": (lambda v: v in labels.type_labels(), "Ukendt indholdstype »{}«."),
        "municipality": (lambda v: v in labels.municipalities(), "Ukendt kommunekode »{}«."),
        "region": (lambda v: v in labels.regions(), "Ukendt regionskode »{}«."),
        "topic": (lambda v: v in labels.topics(), "Ukendt arbejdsområde »{}«."),
        "project": (lambda v: bool(_PROJECT_KEY.match(v)), "Ugyldigt projekt »{}«."),
    }
    for name, (valid, message) in checks.items():
        value = get(name)
        if value:
            if valid(value):
                values[name] = value
            else:
                errors.append(message.format(value[:60]))
    year = get("year")
    if year:
        if parse_int(year, 1901, 2199) is not None:
            values["year"] = int(year)
        else:
            errors.append(f"»{year[:10]}« er ikke et årstal.")
    sort = get("sort") or "relevance"
    sort = PAGE_SORTS.get(sort, sort)
    if sort not in SORTS:
        choices = (
            "relevans eller nyeste"
            if names is PAGE_NAMES
            else "relevance eller newest (på dansk relevans eller nyeste)"
        )
        errors.append(f"Ukendt sortering »{sort[:20]}«. Brug {choices}.")
        sort = "relevance"
    exact = get("exact").lower()
    if exact not in ("", "0", "1", "true", "false", "ja", "nej"):
        errors.append(f"»{exact[:10]}« er ikke et gyldigt valg for præcis søgning. Brug 1 eller 0.")
    page = _positive(get("page") or "1", "Sidetallet", errors, maximum=10_000)
    page_size = _positive(
        get("page_size") or str(default_page_size), "Antal pr. side", errors, MAX_PAGE_SIZE
    )
    params = SearchParams(
        q=q,
        filters=Filters(**values),
        sort=sort,
        page=page or 1,
        page_size=page_size or 20,
        exact=exact in ("1", "true", "ja"),
    )
    return ParsedParams(params, errors)


def _positive(value: str, label: str, errors: list[str], maximum: int) -> int | None:
    number = parse_int(value, 1, maximum)
    if number is None:
        errors.append(f"{label} skal være et helt tal fra 1 til {maximum}.")
    return number


def access_known_project(user, key: str) -> bool:
    """Whether `key` is a project the user can find anything in (never reveals others)."""
    from .models import SearchEntry

    return SearchEntry.objects.filter(
        project_key=key, access__in=registry.access_tokens(user)
    ).exists()


def saved_search_key(params: SearchParams) -> str:
    """The canonical query string of a search's words and filters (page and sort left
    out): what a member follows when they follow a search."""
    from urllib.parse import urlencode

    values = {"q": params.q}
    for facet, value in params.filters.active().items():
        values[PAGE_NAMES[facet]] = str(value)
    return urlencode(sorted((k, v) for k, v in values.items() if v))
