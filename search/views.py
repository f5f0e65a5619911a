"""/soeg/: the search page. Plain GET links and forms, so it works without
JavaScript; a small script adds autocomplete to the search field."""

from __future__ import annotations

import datetime
from dataclasses import replace

from django.conf import settings
from django.http import QueryDict
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import mark_safe

from network.collation import danish_key
from network.ratelimit import hit, member_or_ip, retry_after

from . import analysis, forms, labels, service
from .forms import PAGE_NAMES
from .query import FACETS, MINUS_WORD, regions_named

FACET_LABELS = labels.FACET_LABELS
FACET_SHOWN = 8
SORT_PARAMS = {"relevance": "relevans", "newest": "nyeste"}


def _within_rate(request) -> bool:
    """Searches a minute per member, or per address for visitors (SEARCH_PAGE_RATE_PER_
    MINUTE): far above what a person reads, a brake on a script asking thousands (an
    outside attacker sent 150 in 9 seconds while the API answered 429)."""
    limit = settings.SEARCH_PAGE_RATE_PER_MINUTE
    return hit("search-page", member_or_ip(request), limit, 60, fail_open=True)


def search_page(request):
    parsed = forms.parse_params(request.GET, names=PAGE_NAMES, default_page_size=10)
    params = parsed.params
    errors = [e for e in parsed.errors if "Sidetallet" not in e]
    # The page searches the beginning of a long query (the API refuses it).
    errors = [f"{e} Der søges på begyndelsen." if e == forms.TOO_LONG else e for e in errors]
    bad_page = len(errors) < len(parsed.errors)
    project = params.filters.project
    if project and not forms.access_known_project(request.user, project):
        # A chip "Projekt: abc" over no results told a walk nothing; the API says 400.
        errors.append(f"Ukendt projekt »{project[:60]}«.")
        params = _with(params, filters=params.filters.without("project"))
    # Nothing asked (/soeg/ itself): the newest of what the reader may see, with the
    # facets to browse by, rather than an empty page under the search field.
    browsing = not params.q and not params.filters.active()
    if browsing:
        params = _with(params, sort="newest")
    context = {"q": params.q, "errors": errors, "outcome": None, "browsing": browsing}
    if not _within_rate(request):
        wait = retry_after("search-page", member_or_ip(request), 60)
        if browsing:  # the form stays open; only the newest list waits, and says so
            return render(request, "search/search.html", {**context, "list_waits": wait})
        context = {"q": params.q, "wait": wait}
        response = render(request, "search/rate_limited.html", context, status=429)
        response["Retry-After"] = str(wait)
        return response
    if not browsing:
        context["saved_search_key"] = forms.saved_search_key(params)
    outcome = service.run(request.user, params)
    if params.page > outcome.num_pages or bad_page:
        # A link to page 4 of what now has 3, or a typed ?side=abc: say which is shown.
        if params.page > outcome.num_pages:
            params.page = outcome.num_pages
            outcome = service.run(request.user, params, log=False)
        typed = request.GET.get("side", "")
        shown = typed if len(typed) <= 12 else f"{typed[:12]}…"  # cut, and says so
        errors.append(f"Side »{shown}« findes ikke. Viser side {params.page}.")
    fallback = None
    if outcome.total == 0 and outcome.suggestion and not params.exact:
        if not _only_real_words_changed(params.q, outcome.suggestion):
            # Zero results and a likely typo: show what the corrected search finds.
            fallback = service.run(
                request.user, _with(params, q=outcome.suggestion, page=1), log=False
            )
    fallback_region = None
    if outcome.total == 0 and fallback is None:
        fallback, fallback_region = _region_fallback(request.user, params)
    context.update(_results_context(params, outcome, fallback))
    context["fallback_region"] = fallback_region
    return render(request, "search/search.html", context)


def _only_real_words_changed(q: str, suggestion: str) -> bool:
    """Whether every word the suggestion changes is a real Danish word (*mail* → *mål*):
    then it is offered ("Mente du"), not searched in its place, which an outside walk
    found presumptuous."""
    typed, offered = analysis.words(q), analysis.words(suggestion)
    if len(typed) != len(offered):
        return False
    changed = [t for t, o in zip(typed, offered, strict=True) if t != o]
    return bool(changed) and all(analysis.is_common_danish_word(t) for t in changed)


def _region_fallback(user, params):
    """A query that names a region and finds nothing (no text names the region its
    municipality lies in): what the rest of its words find in the region's
    municipalities. An outside walk's *Region Syddanmark* was offered the region's link
    and then told "Vi fandt ikke noget"."""
    if params.filters.region:
        return None, None
    minus = MINUS_WORD.findall(params.q)  # kept as typed: they leave texts out
    words = analysis.words(MINUS_WORD.sub(" ", params.q))
    codes = regions_named(words)
    if not codes:
        return None, None
    name = labels.regions()[codes[0]]
    keys = {analysis.vocabulary_key(word) for word in analysis.words(name)}
    rest = [
        word
        for word in words
        if (key := analysis.vocabulary_key(word)) not in keys
        and key.removesuffix("s") not in keys
        and analysis.canonical(word) not in analysis.STOPWORDS  # "jobcentre i Region …"
    ]
    rest += minus if rest else []
    filters = replace(params.filters, region=codes[0])
    found = service.run(user, _with(params, q=" ".join(rest), filters=filters, page=1), log=False)
    if not found.total:
        return None, None
    state = {"q": " ".join(rest), **{PAGE_NAMES[k]: v for k, v in filters.active().items()}}
    return found, {"name": name, "rest": " ".join(rest), "url": _url(state)}


def _with(params, **changes):
    return replace(params, **changes)


def _state(params) -> dict[str, str]:
    """The page's query string values (Danish names), without defaults."""
    values = {"q": params.q}
    for facet, value in params.filters.active().items():
        values[PAGE_NAMES[facet]] = value
    if params.sort != "relevance":
        values["sortering"] = SORT_PARAMS[params.sort]
    if params.exact:
        values["praecis"] = "1"
    return values


def _url(values: dict[str, str], **changes) -> str:
    query = QueryDict(mutable=True)
    for key, value in {**values, **changes}.items():
        if value not in ("", None):
            query[key] = str(value)
    return "?" + query.urlencode()


def _named_regions(params) -> list[dict]:
    """The regions the query names, each with a link to everything from its
    municipalities. An outside walk's leaders searched *Region Syddanmark* and found
    nothing: no text names the region its municipality lies in."""
    names = labels.regions()
    return [
        {"name": names[code], "url": _url({}, region=code)}
        for code in regions_named(analysis.words(params.q))
        if params.filters.region != code
    ]


def _named_municipalities(params, state, outcome) -> list[dict]:
    """The municipalities the query names, each with its page and a filter on it: a user
    walk searched *Viborg* and found Viborg's own trial action on page 2, under events
    whose speaker came from Jobcenter Viborg, and was never offered the municipality's
    page."""
    from network.models import Municipality

    codes = outcome.query.municipalities
    if not codes:
        return []
    found = Municipality.objects.filter(code__in=codes).only("code", "name", "slug")
    # The filter only where it keeps something: a walk's *Odder* (nothing tagged so) was
    # offered a filter that led to no results and "remove a filter".
    counts = outcome.result.facets.get("municipality", {})
    return [
        {
            "name": municipality.name,
            "url": municipality.get_absolute_url(),
            "filter_url": ""
            if params.filters.municipality == municipality.code or not counts.get(municipality.code)
            else _url(state, kommune=municipality.code, side=""),
        }
        for municipality in sorted(found, key=lambda m: codes.index(m.code))
    ]


def _results_context(params, outcome, fallback) -> dict:
    state = _state(params)
    shown = fallback if fallback is not None else outcome
    return {
        "outcome": outcome,
        "fallback": fallback,
        "results": [_result(hit, params.sort) for hit in shown.result.hits],
        "fewer_words": [_result(hit, params.sort) for hit in shown.fewer_words],
        "facets": _facets(params, outcome),
        "named_municipalities": _named_municipalities(params, state, outcome),
        "named_regions": _named_regions(params),
        "active": _active(params, state, outcome),
        "sort_links": [
            {
                "label": label,
                "url": _url(state, sortering=SORT_PARAMS[key], side=""),
                "current": params.sort == key,
            }
            for key, label in (("relevance", "Relevans"), ("newest", "Nyeste"))
        ],
        "suggestion_url": _url(state, q=outcome.suggestion, side="", praecis="")
        if outcome.suggestion
        else "",
        "exact_url": _url(state, praecis="1", side="") if outcome.corrected else "",
        "previous_url": _url(state, side=params.page - 1) if params.page > 1 else "",
        "next_url": _url(state, side=params.page + 1) if params.page < outcome.num_pages else "",
        "page_number": params.page,
        "num_pages": outcome.num_pages,
    }


def _result(hit, sort: str = "relevance") -> dict:
    municipalities = labels.municipalities()
    topics = labels.topics()
    return {
        "title": hit.title,
        # escaped by the backend, then marked
        "title_html": mark_safe(hit.title_html) if hit.title_html else escape(hit.title),  # noqa: S308
        "url": hit.url,
        "snippet": mark_safe(hit.snippet),  # noqa: S308 - escaped by the backend, then marked
        "type_label": labels.type_labels().get(hit.type, hit.type),
        "days": _days(hit, sort),
        "municipalities": _shortened(
            [municipalities[c].name for c in hit.municipalities if c in municipalities]
        ),
        "topics": [topics[s] for s in hit.topics if s in topics],
        "project_title": hit.project_title,
        "promoted": hit.promoted,
        "matched_tags": hit.matched_tags,
    }


def _days(hit, sort: str) -> list[tuple[str, datetime.date]]:
    """(label, day) pairs for a result's line: its own day, labelled as its type says
    (a log's "Start"), and where it was put up before that day (a coming event), when.
    Sorted by *Nyeste*, the day put up first (an outside walk read the list by its
    first date and found it out of order)."""
    own = [(labels.date_labels().get(hit.type, ""), hit.date)] if hit.date else []
    if not hit.published or hit.published == hit.date:
        return own
    if sort == "newest":
        return [("Lagt op", hit.published), *((label.lower(), day) for label, day in own)]
    return [*own, ("lagt op", hit.published)]


def _shortened(names: list[str], shown: int = 5) -> list[str]:
    """A project with 17 municipalities would fill the result; name five."""
    if len(names) <= shown + 1:
        return names
    return [*names[:shown], f"{len(names) - shown} andre kommuner"]


def _labels(facet: str, outcome) -> dict[str, str]:
    if facet == "type":
        return labels.type_labels()
    if facet == "municipality":
        return {code: info.name for code, info in labels.municipalities().items()}
    if facet == "region":
        return labels.regions()
    if facet == "topic":
        return labels.topics()
    if facet == "project":
        return outcome.result.project_titles
    return {}


def _facets(params, outcome) -> list[dict]:
    state = _state(params)
    active = params.filters.active()
    facets = []
    for facet in FACETS:
        counts = outcome.result.facets.get(facet, {})
        names = _labels(facet, outcome)
        param = PAGE_NAMES[facet]
        options = [
            {
                "label": names.get(value, value),
                "count": count,
                "selected": active.get(facet) == value,
                "url": _url(state, **{param: "" if active.get(facet) == value else value}),
            }
            for value, count in counts.items()
        ]
        if facet == "year":
            options.sort(key=lambda o: o["label"], reverse=True)
        elif facet in ("municipality", "project"):
            options.sort(key=lambda o: (-o["count"], danish_key(o["label"])))
        else:
            options.sort(key=lambda o: danish_key(o["label"]))
        if not options:
            continue
        facets.append(
            {
                "param": param,
                "label": FACET_LABELS[facet],
                "options": options[:FACET_SHOWN],
                "more": options[FACET_SHOWN:],
            }
        )
    return facets


def _active(params, state, outcome) -> list[dict]:
    chips = []
    for facet, value in params.filters.active().items():
        name = _labels(facet, outcome).get(value, value)
        chips.append(
            {
                "label": f"{FACET_LABELS[facet]}: {name}",
                "url": _url(state, **{PAGE_NAMES[facet]: ""}),
            }
        )
    return chips
