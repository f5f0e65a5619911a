"""One search, start to finish: who is asking, which backend answers, the fallback
to the database index, the relaxed second try, "Mente du", promotions and the
statistics. The page and the JSON API both call `run`."""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass, field, replace
from urllib.parse import unquote

from . import analysis, backends, expansion, feedback, labels, registry
from .query import FACETS, Filters, ParsedQuery, SearchRequest, SearchResult, parse

logger = logging.getLogger(__name__)


@dataclass
class SearchParams:
    q: str = ""
    filters: Filters = field(default_factory=Filters)
    sort: str = "relevance"
    page: int = 1
    page_size: int = 20
    # No corrections of unknown words (the visitor asked for exactly what they typed).
    exact: bool = False


@dataclass
class SearchOutcome:
    params: SearchParams
    query: ParsedQuery
    result: SearchResult
    backend: str
    suggestion: str | None = None
    # True when not even the required share of the words matched, and the results
    # have some of them.
    relaxed: bool = False
    # Below a first page the required share did not fill: matches with fewer of the
    # words, best first (not counted in the total or the facets).
    fewer_words: list = field(default_factory=list)

    @property
    def only_small_words(self) -> bool:
        """Words were typed, but none that is searched (only stop words, or a "word"
        over 100 letters): nothing is found, rather than everything listed."""
        return bool(self.params.q.strip()) and self.query.empty and not self.query.minus_words

    @property
    def no_words(self) -> bool:
        """Only signs were typed (*!!!*, *%*, an emoji), or only "words" over 100
        letters (a walk's 5,000 *a*s were said to be small words): no word to search."""
        return self.only_small_words and not analysis.words(self.params.q)

    @property
    def corrected(self) -> str:
        """The query as searched when unknown words were corrected, else ""."""
        return self.query.corrected_text

    @property
    def total(self) -> int:
        return self.result.total

    @property
    def num_pages(self) -> int:
        size = self.params.page_size
        return max(1, (self.result.total + size - 1) // size)


def run(user, params: SearchParams, *, log: bool = True, backend=None) -> SearchOutcome:
    access = frozenset(registry.access_tokens(user))
    query = expansion.expand(parse(params.q), access, exact=params.exact)
    request = SearchRequest(
        query=query,
        access=access,
        filters=params.filters,
        sort=params.sort,
        offset=(params.page - 1) * params.page_size,
        limit=params.page_size,
    )
    chosen = backend or backends.reader(window=request.offset + request.limit)
    if params.q.strip() and query.empty:  # only small words: find nothing, list nothing
        empty = SearchResult(0, [], {name: {} for name in FACETS}, chosen.name)
        return SearchOutcome(params, query, empty, chosen.name)
    result, chosen = _search(chosen, request)
    fewer_words = _fewer_words(chosen, request, result)
    relaxed = False
    if result.total == 0 and query.can_relax():
        result, chosen = _search(chosen, replace(request, match="any"))
        relaxed = result.total > 0
    suggestion = None
    if not query.empty and (result.total == 0 or relaxed) and not query.corrections:
        # Asked exactly (praecis=1) after a correction: offer what the search corrected
        # to, not another near word (a walk's *kontant* was completed to *kontanthjælp*,
        # then, asked exactly, offered "Mente du: kontakt?").
        corrected = (
            expansion.expand(parse(params.q), access, exact=False).corrected_text
            if params.exact
            else ""
        )
        suggestion = corrected or _suggest(chosen, query, access)
    if params.page == 1 and params.sort == "relevance" and not query.empty:
        _promote(result, params, access)
    if not query.empty:
        explain_tag_matches(result, query.all_terms(relaxed=relaxed))
    # A search as typed, not each filter clicked on its results: those would count the
    # query again, and as finding nothing when a filter left nothing.
    if log and params.page == 1 and not query.empty and not params.filters.active():
        _log(query.text, result.total)
    return SearchOutcome(params, query, result, chosen.name, suggestion, relaxed, fewer_words)


def _fewer_words(backend, request: SearchRequest, result: SearchResult) -> list:
    """When the matches with the required share of the words do not fill the first
    page, the rest of it: matches with fewer of the words (or parts of a compound),
    with the same access and filters, best first. A reader who typed three words
    sees the two documents with all of them, then those with one."""
    if not (
        request.offset == 0
        and request.sort == "relevance"
        and 0 < result.total < request.limit
        and request.query.can_relax()
    ):
        return []
    more, _ = _search(backend, replace(request, match="any"), lead=result.hits)
    more.hits = more.hits[: request.limit - len(result.hits)]
    explain_tag_matches(more, request.query.all_terms(relaxed=True))
    return more.hits


def _search(backend, request: SearchRequest, lead=None) -> tuple[SearchResult, object]:
    """One backend search, its first pages reordered by the best matches' words
    (search.feedback): by the database backend itself, before it builds any hit;
    for Elasticsearch, and below `lead` (hits shown above these), here."""
    database = backends.database_backend()
    if backend is database and not lead:
        return backend.search(request), backend
    wide = replace(feedback.widened(request), reorder=False)
    try:
        result = backend.search(wide)
    except Exception as exc:
        if backend is database:
            raise
        backends.elasticsearch_failed(exc)
        backend = database
        result = database.search(wide)
    feedback.reorder(result, request, lead)
    return result, backend


def _suggest(backend, query: ParsedQuery, access: frozenset[str]) -> str | None:
    try:
        return backend.suggest(query, access)
    except Exception as exc:
        database = backends.database_backend()
        if backend is database:
            raise
        backends.elasticsearch_failed(exc)
        return database.suggest(query, access)


def autocomplete(user, text: str, limit: int = 8) -> tuple[list[str], str]:
    access = frozenset(registry.access_tokens(user))
    text = analysis.without_format_characters(text)
    backend = backends.reader()
    try:
        completions = backend.autocomplete(text, access, limit)
    except Exception as exc:
        database = backends.database_backend()
        if backend is database:
            raise
        backends.elasticsearch_failed(exc)
        backend = database
        completions = database.autocomplete(text, access, limit)
    return _with_place_names(text, completions, limit), backend.name


PLACE_COMPLETIONS = 3


def _with_place_names(text: str, completions: list[str], limit: int) -> list[str]:
    """Municipalities whose name begins with the last word typed come first, as
    spelt (an outside walk's *faab* and *hørs* were offered nothing, and *aarh* only
    "aarhus"); a completed word that is a municipality's name gets its capital. Names
    are public facts: nothing here comes from content."""
    match = analysis.LAST_WORD.search(text or "")
    if not match:
        return completions
    key = analysis.vocabulary_key(match.group(1))
    if len(key) < 4:  # "vej" would put Vejen and Vejle above vejledning
        return completions
    head = text[: match.start()]
    places = labels.municipalities().values()
    found = [head + info.name for info in places if info.keys[0].startswith(key)]
    found = found[:PLACE_COMPLETIONS]
    named = {info.keys[0]: info.name for info in places if len(info.keys) == 1}
    seen = {f.lower() for f in found}
    for completion in completions:
        last = analysis.LAST_WORD.search(completion)
        if last and (name := named.get(analysis.vocabulary_key(last.group(1)))):
            completion = completion[: last.start()] + name
        if completion.lower() not in seen:
            seen.add(completion.lower())
            found.append(completion)
    return found[:limit]


def _promote(result: SearchResult, params: SearchParams, access: frozenset[str]) -> None:
    """Put editors' promoted pages first, if the user may see them and they pass the
    active filters. They come from the database index, which is always complete."""
    from .models import SearchEntry, SearchPromotion, promotion_key

    key = promotion_key(params.q)
    if not key:
        return
    page_ids = list(
        SearchPromotion.objects.filter(query_key=key)
        .order_by("sort_order", "pk")
        .values_list("page_id", flat=True)
    )
    if not page_ids:
        return
    page_types = [t.key for t in registry.types() if _is_page_type(t)]
    entries = SearchEntry.objects.filter(
        type__in=page_types, object_id__in=[str(pk) for pk in page_ids], access__in=access
    )
    by_object = {entry.object_id: entry for entry in entries if _passes(entry, params.filters)}
    promoted = [by_object[str(pk)] for pk in page_ids if str(pk) in by_object]
    if not promoted:
        return
    from .backends.database import entry_hit
    from .models import SearchEntryText

    marks = parse(params.q).marked(relaxed=True)
    keys = {(entry.type, entry.object_id) for entry in promoted}
    rest = [hit for hit in result.hits if (hit.type, hit.object_id) not in keys]
    added = len(promoted) - (len(result.hits) - len(rest))
    texts = SearchEntryText.objects.in_bulk([entry.pk for entry in promoted])
    hits = [entry_hit(e, texts.get(e.pk), marks, promoted=True) for e in promoted]
    result.hits = (hits + rest)[: max(params.page_size, len(hits))]
    result.total += added


def explain_tag_matches(result: SearchResult, terms: set[str]) -> None:
    """A hit whose text has no match (no <mark> in its snippet) matched through its
    tags: say which, so the visitor sees why it is there."""
    from . import analysis

    municipalities, topics = labels.municipalities(), labels.topics()
    type_labels = labels.type_labels()
    for hit in result.hits:
        if "<mark>" in hit.snippet or any(t in terms for t in analysis.terms(hit.title)):
            continue
        tags = [("Indhold", type_labels.get(hit.type, ""))]
        tags += [
            ("Kommune", municipalities[c].name) for c in hit.municipalities if c in municipalities
        ]
        tags += [("Arbejdsområde", topics[s]) for s in hit.topics if s in topics]
        tags.append(("Projekt", hit.project_title))
        hit.matched_tags = [
            f"{kind}: {name}" for kind, name in tags if name and terms & set(analysis.terms(name))
        ]


def _is_page_type(search_type) -> bool:
    from wagtail.models import Page

    return isinstance(search_type.model, type) and issubclass(search_type.model, Page)


def _passes(entry, filters: Filters) -> bool:
    region_of = {code: info.region_code for code, info in labels.municipalities().items()}
    checks = {
        "type": lambda v: entry.type == v,
        "municipality": lambda v: v in entry.municipalities,
        "region": lambda v: v in {region_of.get(c) for c in entry.municipalities},
        "topic": lambda v: v in entry.topics,
        "project": lambda v: entry.project_key == v,
        "year": lambda v: bool(entry.date) and str(entry.date.year) == v,
    }
    return all(checks[facet](value) for facet, value in filters.active().items())


# What a caseworker may paste into the search box about a citizen, and must not end in
# the editors' statistics: e-mail addresses (also written "jens (at) kommune.dk"), CPR
# numbers and phone numbers however their digits are grouped ("010190-1234",
# "01.01.90-1234", "0101 90 1234"; "12 34 56 78", "12.34.56.78", "12 345 678",
# "+45 12345678"), and any other run of five or more digits (a case or journal number).
# Four digits (a year, a postal code, a municipality code) stay, and so do years in a
# row ("2020-2024"). Names cannot be told from words; the privacy page asks not to
# search for people outside the network.
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+")
_HIDDEN_EMAIL = re.compile(r"\S+\s*[(\[{]\s*(?:a|at|snabel-?a)\s*[)\]}]\s*\S+")
# Written apart to pass a filter: "jens @ kommune . dk", "jens.hansen @kommune.dk".
_SPACED_EMAIL = re.compile(r"[\w.+-]+\s*@\s*[\w-]+(?:\s*\.\s*[\w-]+)+")
# Dashes: the hyphen, and the en dash and friends a word processor puts in a number.
_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2212"
_DIGIT_RUN = re.compile(
    rf"(?<![\w+])((?:\+|00)45[ .{_DASHES}]?)?(\d+(?:[ .{_DASHES}/]\d+)*)(?![\w])"
)
_SEPARATOR = re.compile(rf"[ .{_DASHES}/]")
_LONG_NUMBER = re.compile(r"\d{5,}")


def _is_date(ddmmyy: str) -> bool:
    return 1 <= int(ddmmyy[:2]) <= 31 and 1 <= int(ddmmyy[2:4]) <= 12


def _digit_run(match: re.Match) -> str:
    prefix, run = match.group(1), match.group(2)
    groups = _SEPARATOR.split(run)
    digits = "".join(groups)
    if prefix and len(digits) == 8:
        return "[telefonnummer]"
    if len(groups) > 1 and all(len(g) == 4 and g[:2] in ("19", "20") for g in groups):
        return match.group(0)  # years: "2020-2024"
    if len(digits) == 10 and _is_date(digits[:6]):
        return "[cpr-nummer]"
    if len(digits) == 8:  # however grouped: "12 34 56 78", "1 2 3 4 5 6 7 8"
        return "[telefonnummer]"
    if len(digits) >= 8:
        return "[tal]"  # a long number however grouped: "12 34 56 78 90"
    return (prefix or "") + _LONG_NUMBER.sub("[tal]", run)


def without_personal_data(text: str) -> str:
    """`text` with what looks like personal data replaced by what kind it was.

    Read as a person would: full-width letters as the plain ones (＠ as @) and a
    percent-encoded address decoded (jens%40kommune.dk), so neither hides it."""
    text = unquote(unicodedata.normalize("NFKC", text))
    text = _SPACED_EMAIL.sub("[e-mail]", text)
    text = _EMAIL.sub("[e-mail]", text)
    text = _HIDDEN_EMAIL.sub("[e-mail]", text)
    text = _DIGIT_RUN.sub(_digit_run, text)
    return _LONG_NUMBER.sub("[tal]", text)


def _log(text: str, total: int) -> None:
    """One row for the editors' statistics. On PostgreSQL its commit does not wait
    for the disk (`synchronous_commit off`, for this transaction only): a crash may
    forget the last fraction of a second of searches, and no search waits for an
    fsync. Never inside someone else's transaction, whose commit it would change."""
    from django.db import connection, transaction

    from .models import SearchQueryLog

    own_transaction = not connection.in_atomic_block
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql" and own_transaction:
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
            query = without_personal_data(text.lower())[:200]
            SearchQueryLog.objects.create(query=query, results=total)
    except Exception:
        logger.exception("Could not log the search")
