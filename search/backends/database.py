"""The embedded search backend: an index in the site's own database.

Entries, their facet values and the vocabulary are ordinary tables; the full-text
part is the dialect's (fulltext.py). Every statement that reads documents is
limited to the request's access tokens, so what a user may not see is never
counted, matched, highlighted or suggested.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from django.db import connection

from .. import snippets
from ..query import FACETS, Filters, Hit, ParsedQuery, SearchRequest, SearchResult
from .base import SearchBackend
from .fulltext import dialect_for
from .vocabulary import Vocabulary

ENTRY = "search_searchentry"
TEXT = "search_searchentrytext"
FACET = "search_searchfacetvalue"
MUNICIPALITY_BOOST = 2.0
# Above this many matches, rank the title tier first (see _page).
RANK_TIER_THRESHOLD = 5000


class DatabaseBackend(SearchBackend):
    name = "database"

    def __init__(self):
        self.dialect = dialect_for(connection.vendor)
        self.vocabulary = Vocabulary()

    # -- writing ---------------------------------------------------------------------------
    def write(self, records: Sequence, vocabulary: Counter | None = None, fresh: bool = False):
        from ..models import SearchEntry, SearchEntryText, SearchFacetValue

        if not records:
            return
        deltas: Counter = Counter() if vocabulary is None else vocabulary
        if not fresh:
            self._delete_entries(self._existing(records_refs(records)), deltas)
        entries = [_entry(record) for record in records]
        SearchEntry.objects.bulk_create(entries)
        words = [_words(record) for record in records]
        SearchEntryText.objects.bulk_create(
            [
                SearchEntryText(entry_id=e.pk, body=r.doc.body, extra=r.doc.extra, words=w)
                for e, r, w in zip(entries, records, words, strict=True)
            ]
        )
        facet_rows = [
            SearchFacetValue(entry_id=entry.pk, facet=facet, value=value)
            for entry, record in zip(entries, records, strict=True)
            for facet, value in facet_values(record)
        ]
        SearchFacetValue.objects.bulk_create(facet_rows, batch_size=2000)
        with connection.cursor() as cursor:
            self.dialect.insert(cursor, [(e.pk, r) for e, r in zip(entries, records, strict=True)])
        for record, record_words in zip(records, words, strict=True):
            for word in record_words.split():
                deltas[(record.doc.access, word)] += 1
        if vocabulary is None:
            self.write_vocabulary(deltas)

    def write_vocabulary(self, deltas: Counter) -> None:
        self.vocabulary.apply(deltas)

    def delete(self, refs: Sequence[tuple[str, str]]) -> None:
        deltas: Counter = Counter()
        self._delete_entries(self._existing(refs), deltas)
        self.write_vocabulary(deltas)

    def clear(self) -> None:
        with connection.cursor() as cursor:
            self.dialect.clear(cursor)
            for table in (FACET, TEXT, ENTRY, "search_searchterm"):
                cursor.execute(f"DELETE FROM {table}")

    def optimize(self) -> None:
        """After a rebuild: compact the full-text index and refresh planner statistics."""
        with connection.cursor() as cursor:
            self.dialect.optimize(cursor)

    def _existing(self, refs: Sequence[tuple[str, str]]) -> list[tuple[int, str, str]]:
        from ..models import SearchEntry

        by_type: dict[str, list[str]] = {}
        for type_key, object_id in refs:
            by_type.setdefault(type_key, []).append(object_id)
        rows = []
        for type_key, ids in by_type.items():
            rows += SearchEntry.objects.filter(type=type_key, object_id__in=ids).values_list(
                "id", "access", "text__words"
            )
        return rows

    def _delete_entries(self, rows: list[tuple[int, str, str]], deltas: Counter) -> None:
        if not rows:
            return
        ids = [row[0] for row in rows]
        for _id, access, words in rows:
            for word in (words or "").split():
                deltas[(access, word)] -= 1
        with connection.cursor() as cursor:
            self.dialect.delete(cursor, ids)
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM {FACET} WHERE entry_id IN ({marks})", chunk)
                cursor.execute(f"DELETE FROM {TEXT} WHERE entry_id IN ({marks})", chunk)
                cursor.execute(f"DELETE FROM {ENTRY} WHERE id IN ({marks})", chunk)

    # -- searching ---------------------------------------------------------------------------
    def _matches(
        self,
        request: SearchRequest,
        filters: Filters,
        score: bool,
        columns: str = "e.date",
        strong: bool = False,
    ) -> tuple[str, list]:
        """SQL selecting (id, score, columns) of every visible document that matches."""
        access = sorted(request.access)
        where = [f"e.access IN ({', '.join(['%s'] * len(access))})"]
        where_params: list = list(access)
        for facet, value in filters.active().items():
            where.append(f"e.id IN (SELECT entry_id FROM {FACET} WHERE facet = %s AND value = %s)")
            where_params += [facet, value]
        query = request.query
        if query.empty:
            sql = f"SELECT e.id AS id, 0.0 AS score, {columns} FROM {ENTRY} e WHERE "
            return sql + " AND ".join(where), where_params
        match_sql, match_params = self.dialect.match(query, request.match)
        if strong:
            strong_sql, strong_params = self.dialect.strong(query, request.match)
            match_sql, match_params = f"{match_sql} AND {strong_sql}", match_params + strong_params
        select_params: list = []
        score_sql = "0.0"
        if score:
            score_sql, select_params = self.dialect.score(query, request.match)
            if query.municipalities:
                marks = ", ".join(["%s"] * len(query.municipalities))
                score_sql = (
                    f"({score_sql}) * CASE WHEN e.id IN (SELECT entry_id FROM {FACET} WHERE "
                    f"facet = 'municipality' AND value IN ({marks})) "
                    f"THEN {MUNICIPALITY_BOOST} ELSE 1.0 END"
                )
                select_params = select_params + list(query.municipalities)
        sql = (
            f"SELECT e.id AS id, {score_sql} AS score, {columns} "
            f"FROM {self.dialect.fulltext_from} WHERE {match_sql} AND {' AND '.join(where)}"
        )
        return sql, select_params + match_params + where_params

    def search(self, request: SearchRequest) -> SearchResult:
        from ..models import SearchEntry, SearchEntryText

        facets = self._facets(request) if request.facets else {}
        total = self._total(request, facets)
        page_ids = self._page(request, total)
        entries = SearchEntry.objects.in_bulk(page_ids)
        texts = SearchEntryText.objects.in_bulk(page_ids)
        terms = request.query.all_terms(relaxed=request.match == "any")
        hits = [entry_hit(entries[i], texts.get(i), terms) for i in page_ids if i in entries]
        titles = self._project_titles(request, facets.get("project", {}))
        return SearchResult(total, hits, facets, self.name, project_titles=titles)

    def _page(self, request: SearchRequest, total: int) -> list[int]:
        """The ids of one page. Ranking costs per match, so with very many matches the
        first pages are ranked among the documents that match in the title: a title
        match (weight 8 against 1.5) outranks the others, so the first pages hardly
        change, and the full ranking takes over when that tier runs out before the
        page does."""
        ranked = request.sort == "relevance" and not request.query.empty
        order = "date DESC NULLS LAST, id DESC"
        if ranked:
            order = "score DESC, " + order
        tiers = [True, False] if ranked and total > RANK_TIER_THRESHOLD else [False]
        for strong in tiers:
            sql, params = self._matches(request, request.filters, score=True, strong=strong)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT id FROM ({sql}) m ORDER BY {order} LIMIT %s",
                    params + [request.offset + request.limit],
                )
                ids = [row[0] for row in cursor.fetchall()]
            if len(ids) == request.offset + request.limit or not strong:
                return ids[request.offset :]
        return []

    def _total(self, request: SearchRequest, facets: dict) -> int:
        if "type" in facets:
            counts = facets["type"]
            selected = request.filters.type
            return counts.get(selected, 0) if selected else sum(counts.values())
        sql, params = self._matches(request, request.filters, score=False)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({sql}) m", params)
            return cursor.fetchone()[0]

    def _facets(self, request: SearchRequest) -> dict[str, dict[str, int]]:
        """Each facet counts within the other active filters, so picking an option never
        leads to nothing, and every option of an active facet stays visible.

        The facets without an active filter are counted in Python from one column read
        over the matches (far cheaper than grouping their facet rows in SQL); an active
        facet is grouped in SQL over the matches without its own filter."""
        facets: dict[str, dict[str, int]] = {name: {} for name in FACETS}
        active = request.filters.active()
        sql, params = self._matches(request, request.filters, score=False, columns="e.facets")
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT facets FROM ({sql}) m", params)
            # One join and one split in C, then Counter's C loop: ~10x a per-row update.
            counter = Counter(" ".join(row[0] for row in cursor.fetchall()).split())
            for token, count in counter.items():
                facet, _, value = token.partition("=")
                if facet not in active:
                    facets[facet][value] = count
            for facet in active:
                sql, params = self._matches(request, request.filters.without(facet), score=False)
                cursor.execute(
                    f"SELECT f.value, COUNT(*) FROM ({sql}) m "
                    f"{self.dialect.fixed_join} {FACET} f ON f.entry_id = m.id "
                    "WHERE f.facet = %s GROUP BY f.value",
                    [*params, facet],
                )
                facets[facet] = dict(cursor.fetchall())
        return facets

    def _project_titles(self, request: SearchRequest, projects: dict[str, int]) -> dict[str, str]:
        from ..models import SearchEntry

        if not projects:
            return {}
        rows = SearchEntry.objects.filter(
            project_key__in=list(projects), access__in=request.access
        ).values_list("project_key", "project_title")
        return {key: title for key, title in rows if title}

    def has_term(self, term: str, access: frozenset[str]) -> bool:
        query = ParsedQuery(words=(term,))
        request = SearchRequest(query=query, access=access, facets=False)
        sql, params = self._matches(request, Filters(), score=False)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM ({sql}) m LIMIT 1", params)
            return cursor.fetchone() is not None

    def suggest(self, query: ParsedQuery, access: frozenset[str]) -> str | None:
        return self.vocabulary.suggest(query, access, known=lambda t: self.has_term(t, access))

    def autocomplete(self, text: str, access: frozenset[str], limit: int = 8) -> list[str]:
        return self.vocabulary.complete(text, access, limit)

    def counts(self) -> dict[str, int]:
        from django.db.models import Count

        from ..models import SearchEntry

        rows = SearchEntry.objects.values("type").annotate(n=Count("id")).order_by("type")
        return {row["type"]: row["n"] for row in rows}


def records_refs(records: Sequence) -> list[tuple[str, str]]:
    return [record.ref for record in records]


def facet_values(record) -> list[tuple[str, str]]:
    doc = record.doc
    values = [("type", doc.type)]
    values += [("municipality", code) for code in dict.fromkeys(doc.municipalities)]
    values += [("region", code) for code in record.regions]
    values += [("topic", slug) for slug in dict.fromkeys(doc.topics)]
    if doc.project_key:
        values.append(("project", doc.project_key))
    if doc.date:
        values.append(("year", str(doc.date.year)))
    return values


def _entry(record):
    from ..models import SearchEntry

    doc = record.doc
    return SearchEntry(
        type=doc.type,
        object_id=doc.object_id,
        access=doc.access,
        title=doc.title[:500],
        url=doc.url[:500],
        municipalities=list(dict.fromkeys(doc.municipalities)),
        topics=list(dict.fromkeys(doc.topics)),
        project_key=doc.project_key,
        project_title=doc.project_title,
        date=doc.date,
        external_id=doc.external_id,
        facets=" ".join(f"{facet}={value}" for facet, value in facet_values(record)),
    )


def _words(record) -> str:
    return " ".join(sorted(w for w in record.vocabulary if len(w) <= 100))


def entry_hit(entry, text, terms: set[str], promoted: bool = False) -> Hit:
    """A result from an index row and its text (snippet made here)."""
    texts = [text.body, text.extra] if text is not None else []
    return Hit(
        type=entry.type,
        object_id=entry.object_id,
        title=entry.title,
        url=entry.url,
        snippet=snippets.snippet(texts, terms),
        municipalities=list(entry.municipalities),
        topics=list(entry.topics),
        date=entry.date,
        external_id=entry.external_id,
        project_key=entry.project_key,
        project_title=entry.project_title,
        promoted=promoted,
    )
