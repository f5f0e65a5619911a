"""The words of the best matches reorder the first pages (pseudo-relevance feedback).

A reader's words are often not the words of the texts that answer them: a question
about *udbrændthed* is answered by texts on stress, and "unge der ikke møder op" by
texts on *udeblivelser*. The best few matches of a query usually are about the right
thing, and their other words say what else such a text would say. So the best
WINDOW matches of a search sorted by relevance are reordered: each keeps
(1 - SHARE) / log2(rank + 2) for its place and gains SHARE times how much it shares
the distinctive words of the best SOURCES (scaled to the best in the window).

- **Distinctive** is tf-idf: a word's count in a text (1 + log) times log(N / n),
  where N is the number of documents the reader may see and n those of them that
  hold the word (the vocabulary, counted per access token: nothing the reader may
  not see weighs in). The WORDS words that weigh most in the sources are taken.
- **Only an order.** No document is added or dropped; the total, the facets and
  every page after the window are as before. Pages inside the window come from one
  reordering of the same WINDOW matches, so paging neither repeats nor skips one.
- **Every backend.** The terms are the database index's own (always written, also
  when Elasticsearch answers), read for the hits the reader is shown.

Tuned on the tuning half of the blind set only; see docs/search.md for the figures,
the held-out half's included.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace

from .query import SearchRequest, SearchResult

WINDOW = 30
SOURCES = 5
WORDS = 20
SHARE = 0.3


def applies(request: SearchRequest) -> bool:
    return request.sort == "relevance" and not request.query.empty and request.offset < WINDOW


def widened(request: SearchRequest) -> SearchRequest:
    """The request for the whole window (and the page, if it reaches past it)."""
    if not applies(request):
        return request
    return replace(request, offset=0, limit=max(request.offset + request.limit, WINDOW))


def reorder(result: SearchResult, request: SearchRequest, lead: list | None = None) -> None:
    """Reorder the window of a result asked for with `widened(request)`, by its hits,
    and keep the requested page of it (any backend). `lead`: hits shown above these
    (the matches with enough of the words, above those with fewer); they are the best
    matches then, the sources, and stay where they are."""
    if not applies(request):
        return
    from . import backends

    database = backends.database_backend()
    lead = lead or []
    shown = {(hit.type, hit.object_id) for hit in lead}
    hits = [hit for hit in result.hits if (hit.type, hit.object_id) not in shown]
    window = hits[:WINDOW]
    if len(window) > 2 or (lead and window):
        refs = [(hit.type, hit.object_id) for hit in lead + window]
        sources = min(len(lead), SOURCES) if lead else SOURCES
        order = ordered(refs, database.terms_of(refs), request.access, sources)
        position = {ref: i for i, ref in enumerate(order)}
        window = sorted(window, key=lambda hit: position[(hit.type, hit.object_id)])
    result.hits = (window + hits[WINDOW:])[request.offset : request.offset + request.limit]


def reorder_ids(ids: list[int], request: SearchRequest, terms_of) -> list[int]:
    """The database backend's way: `ids` ranked for `widened(request)`, the window
    reordered before any hit is built; the requested page of them."""
    window = ids[:WINDOW]
    if len(window) > 2:
        window = ordered(window, terms_of(window), request.access)
    return (window + ids[WINDOW:])[request.offset : request.offset + request.limit]


def ordered(keys: list, terms: dict, access: frozenset[str], sources: int = SOURCES) -> list:
    """`keys` (best first) reordered by what they share with the first `sources` of
    them (that have terms); `terms`: each key's term counts."""
    taken = [terms[key] for key in keys if key in terms][:sources]
    if not taken:
        return list(keys)
    from . import backends

    database = backends.database_backend()
    counts = database.documents_with(set().union(*taken), access)
    return reordered(keys, terms, counts, database.visible_documents(access), sources)


def reordered(
    refs: list, terms: dict, counts: dict[str, int], total: int, sources: int = SOURCES
) -> list:
    """`refs` (best first) reordered by what they share with the best SOURCES.
    `terms`: each ref's term counts; `counts`: documents holding a term; `total`:
    documents in all."""
    total = max(total, 1)

    def idf(term: str) -> float:
        # A term the vocabulary does not count (numbers, words under three letters)
        # weighs nothing: "2025" in every text is not what a text is about.
        if term not in counts:
            return 0.0
        return math.log(total / max(1, min(counts[term], total)))

    taken = [terms[ref] for ref in refs if ref in terms][:sources]
    if not taken:
        return list(refs)
    centre: Counter = Counter()
    for source in taken:
        weights = {term: (1 + math.log(n)) * idf(term) for term, n in source.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        for term, weight in weights.items():
            centre[term] += weight / norm / len(taken)
    words = sorted(centre.items(), key=lambda item: (-item[1], item[0]))[:WORDS]
    shared = {}
    for ref in refs:
        own = terms.get(ref, {})
        shared[ref] = sum(
            weight * idf(term) * (1 + math.log(own[term]))
            for term, weight in words
            if own.get(term)
        )
    best = max(shared.values()) or 1.0
    score = {
        ref: (1 - SHARE) / math.log2(rank + 2) + SHARE * shared[ref] / best
        for rank, ref in enumerate(refs)
    }
    return sorted(refs, key=lambda ref: -score[ref])
