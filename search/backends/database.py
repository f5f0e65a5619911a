"""The embedded search backend: an index in the site's own database.

Entries, their facet values and the vocabulary are ordinary tables; the full-text
part is the dialect's (fulltext.py). Every statement that reads documents is
limited to the request's access tokens, so what a user may not see is never
counted, matched, highlighted or suggested.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
from django.db import connection, transaction

from .. import feedback, snippets
from ..query import FACETS, Filters, Hit, Marks, ParsedQuery, SearchRequest, SearchResult
from . import columns, matchcache
from .base import SearchBackend
from .fulltext import bm25_terms, dialect_for, facet_values, visible_bm25
from .vocabulary import TERM_COUNT_TABLE, Vocabulary, apply_term_counts, term_documents

ENTRY = "search_searchentry"
TEXT = "search_searchentrytext"
FACET = "search_searchfacetvalue"
# A document tagged with a municipality named in the query scores this many times
# higher when it is that municipality's alone; shared with n municipalities (a
# project's event, say), 1 + (MUNICIPALITY_BOOST - 1) / n times: the judges of the
# blind set graded a project's events lower for each of its municipalities than
# that municipality's own cases.
MUNICIPALITY_BOOST = 2.0
# PostgreSQL: filters keeping less than this share of the index score only their
# candidates (see DatabaseBackend._selective).
SELECTIVE = 0.1
# Above this many matches, rank the title tier first (see _best).
RANK_TIER_THRESHOLD = 5000
# The most best-matches _best asks FTS5 for before ranking in SQL instead.
FETCH_LIMIT = 20000
# PostgreSQL: added to the score of a match that has every word (ts_rank is below 1).
TIER = 1000.0
# SQLite: the best this many matches are ranked again (_reranked).
RERANK_WINDOW = 50
TERM_COUNT = "#term"  # marks a term's count among the vocabulary deltas


class DatabaseBackend(SearchBackend):
    name = "database"

    def __init__(self):
        self.dialect = dialect_for(connection.vendor)
        self.vocabulary = Vocabulary()
        self.columns = columns.Columns()

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
            # After the entries, before the vocabulary: see matchcache. Every writing
            # transaction takes the token's row lock before any vocabulary row.
            matchcache.renew(cursor)
        for record, record_words in zip(records, words, strict=True):
            for word in record_words.split():
                deltas[(record.doc.access, word)] += 1
            if self.dialect.counts_terms:
                for term in _distinct_terms(record):
                    deltas[(TERM_COUNT, record.doc.access, term)] += 1
        if vocabulary is None:
            self.write_vocabulary(deltas)

    def write_vocabulary(self, deltas: Counter) -> None:
        """The words' counts (for "Mente du" and autocomplete) and, keyed with
        TERM_COUNT in front, the terms' (see SearchTermCount)."""
        words, terms = Counter(), Counter()
        for key, n in deltas.items():
            if key[0] == TERM_COUNT and len(key) == 3:
                terms[key[1:]] += n
            else:
                words[key] += n
        self.vocabulary.apply(words)
        if terms:
            apply_term_counts(terms)

    def delete(self, refs: Sequence[tuple[str, str]]) -> None:
        deltas: Counter = Counter()
        rows = self._existing(refs)
        self._delete_entries(rows, deltas)
        if rows:  # before the vocabulary, as in write: one order of locks
            with connection.cursor() as cursor:
                matchcache.renew(cursor)
        self.write_vocabulary(deltas)

    def clear(self) -> None:
        self.columns.reset()
        with connection.cursor() as cursor:
            # First, as every writer takes the token's row before any vocabulary row
            # (no deadlock with one that indexes meanwhile); and last, see below.
            matchcache.renew(cursor)
            self.dialect.clear(cursor)
            for table in (FACET, TEXT, ENTRY, "search_searchterm", TERM_COUNT_TABLE):
                cursor.execute(f"DELETE FROM {table}")
            matchcache.renew(cursor)

    def prune(self) -> None:
        """Drop full-text rows whose entry is gone. The full-text table is not a
        Django model, so `manage.py flush` empties the entries but not it; SQLite
        then hands the same ids out again, and indexing a new entry would collide
        with the old row. Runs after every migrate and flush (post_migrate)."""
        self.columns.reset()
        with connection.cursor() as cursor:
            matchcache.renew(cursor)  # first and last, as in clear
            self.dialect.prune(cursor)
            matchcache.renew(cursor)

    def optimize(self) -> None:
        """After a rebuild: compact the full-text index and refresh planner statistics."""
        with connection.cursor() as cursor:
            self.dialect.optimize(cursor)

    def _existing(self, refs: Sequence[tuple[str, str]]) -> list[tuple[int, str, str]]:
        from ..models import SearchEntry

        rows = []
        for type_key, ids in _by_type(refs).items():
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
            if self.dialect.counts_terms:
                access_of = {row[0]: row[1] for row in rows}
                for start in range(0, len(ids), 500):
                    stored = self.dialect.columns_of(cursor, ids[start : start + 500])
                    for entry_id, columns in stored.items():
                        for term in _column_terms(columns):
                            deltas[(TERM_COUNT, access_of[entry_id], term)] -= 1
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
        access_sql, where_params = _access_sql(request.access)
        where = [access_sql]
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
                    f"THEN 1.0 + {MUNICIPALITY_BOOST - 1.0} / (SELECT COUNT(*) FROM {FACET} t "
                    "WHERE t.entry_id = e.id AND t.facet = 'municipality') ELSE 1.0 END"
                )
                select_params = select_params + list(query.municipalities)
        sql = (
            f"SELECT e.id AS id, {score_sql} AS score, {columns} "
            f"FROM {self.dialect.fulltext_from} WHERE {match_sql} AND {' AND '.join(where)}"
        )
        return sql, select_params + match_params + where_params

    def search(self, request: SearchRequest) -> SearchResult:
        """The database says which entries match (and, on PostgreSQL, how well);
        access, filters, facet counts, the total and the order are worked out on
        the per-process columns (columns.py)."""
        from ..models import SearchEntry, SearchEntryText

        matched, scores = self._matched(request)
        view = self.columns.view(matched)
        visible = view.mask(view.visible(matched, request.access))
        active = request.filters.active()
        wanted = {facet: view.having(facet, value) for facet, value in active.items()}
        in_filters = view.mask(matched)  # before access: what FTS5 ranks on SQLite
        for mask in wanted.values():
            in_filters &= mask
        selected = in_filters & visible
        candidates = np.flatnonzero(selected)
        facets: dict[str, dict[str, int]] = {name: {} for name in FACETS}
        if request.facets:
            for facet, counts in view.count(selected).items():
                if facet not in active:
                    facets[facet] = counts
            # An active facet counts within the other filters, so every option of it
            # stays visible and picking one never leads to nothing.
            for facet in active:
                others = visible.copy()
                for other, mask in wanted.items():
                    if other != facet:
                        others &= mask
                facets[facet] = view.count(others).get(facet, {})
        page = Page(view, matched, scores, selected, candidates, int(in_filters.sum()))
        if request.reorder and feedback.applies(request):
            wide = self._page(feedback.widened(request), page)
            page_ids = feedback.reorder_ids(wide, request, self._terms_of_entries)
        else:
            page_ids = self._page(request, page)
        entries = SearchEntry.objects.in_bulk(page_ids)
        texts = SearchEntryText.objects.in_bulk(page_ids)
        marks = request.query.marked(relaxed=request.match == "any")
        hits = [entry_hit(entries[i], texts.get(i), marks) for i in page_ids if i in entries]
        titles = self._project_titles(view, visible, facets.get("project", {}))
        return SearchResult(len(candidates), hits, facets, self.name, project_titles=titles)

    def _matched(self, request: SearchRequest):
        """The ids of every matching entry (of every entry for an empty query), and
        their scores where the dialect reads them in the same pass. A search sorted by
        date leaves the scores out, and so does one whose filters keep a small part
        of the index: only its candidates are scored then (`_scored`)."""
        query = request.query
        with connection.cursor() as cursor:
            if query.empty:
                cursor.execute(f"SELECT {self.dialect.concat_ids} FROM {ENTRY}")
                return self.dialect.ids(cursor.fetchone()[0]), None
            score = (
                self.dialect.scores_all
                and request.sort == "relevance"
                and not self._selective(request)
                and not (request.match == "all" and query.partial)  # see _scored
            )
            sql, params = self.dialect.matched(query, request.match, score=score)
        ids, scores = self._match_row(sql, params)
        return ids, scores if score else None

    def _match_row(self, sql: str, params: list):
        """The ids and scores of a match query's one row, from the cache when the index
        has not changed since it was kept there (see matchcache)."""

        def run():
            with connection.cursor() as cursor:
                if self.dialect.match_settings:  # PostgreSQL: SET LOCAL needs a transaction
                    with transaction.atomic():
                        for setting in self.dialect.match_settings:
                            cursor.execute(setting)
                        cursor.execute(sql, params)
                        row = cursor.fetchone()
                else:
                    cursor.execute(sql, params)
                    row = cursor.fetchone()
            return tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)

        def broad(row) -> bool:
            return len(self.dialect.ids(row[0])) >= matchcache.MIN_MATCHES

        with connection.cursor() as cursor:
            row = matchcache.kept(cursor, sql, params, run, broad, matchcache.enabled())
        return self._unpacked(row)

    def _unpacked(self, row):
        """(ids, scores) of a match row: SQLite's has the ids alone."""
        scores = None if len(row) < 2 or row[1] is None else self.dialect.scores(row[1])
        return self.dialect.ids(row[0]), scores

    def _selective(self, request: SearchRequest) -> bool:
        """Whether the filters keep under SELECTIVE of the index, judged on the
        columns as loaded (a guess, good once searches have read most entries).
        Scoring a candidate by primary key costs about ten times its share of a
        full scoring pass, so below that it pays to score only the candidates."""
        active = request.filters.active()
        if not active:
            return False
        view = self.columns.view(np.zeros(0, dtype=np.int64))
        loaded = int(np.count_nonzero(view.access >= 0))
        if loaded < 1000:
            return False
        kept = np.ones(view.size, dtype=bool)
        for facet, value in active.items():
            kept &= view.having(facet, value)
        return int(kept.sum()) < SELECTIVE * loaded

    def _page(self, request: SearchRequest, page: Page) -> list[int]:
        need = request.offset + request.limit
        view, candidates = page.view, page.candidates
        if request.sort != "relevance" or request.query.empty:
            return [int(i) for i in view.newest(candidates, need)[request.offset :]]
        if self.dialect.scores_all:
            scores = self._scored(request, page)
            return [int(i) for i in view.ranked(candidates, scores, need)[request.offset :]]
        # Always the same window, the best RERANK_WINDOW of FTS5's order, ranked again:
        # pages of any size then come from one order (an outside attacker saw a match
        # twice and another never when the window ended with the page), and where the
        # window ends does not move with the page size they ask for.
        ranked = self._ranked_sqlite(
            replace(request, offset=0, limit=max(need, RERANK_WINDOW)), page
        )
        head = self._reranked(request, page, ranked[:RERANK_WINDOW])
        return (head + ranked[RERANK_WINDOW:])[request.offset : need]

    def _ranked_sqlite(self, request: SearchRequest, page: Page) -> list[int]:
        if request.match == "all" and request.query.partial:
            return self._best_by_words(request, page)
        return self._best(request, page)

    def _reranked(self, request: SearchRequest, page: Page, ids: list[int]) -> list[int]:
        """SQLite: the best matches ranked again by bm25 with the reader's own counts.

        FTS5's bm25 weighs a word by how many rows of the whole index hold it, content
        the reader may not see included, so the order of what they see changed with
        words only hidden content has: an outside attacker published two texts and read
        from their order whether a word was in a participants-only log. The matches
        FTS5 ranks best (RERANK_WINDOW) are scored again by the same formula with
        the documents the reader may see (SearchTermCount, per access token). The
        matches with every word stay above the others, and a named municipality's own
        content keeps its lift (as in `_scored`). Which matches reach that window still
        follows FTS5's order (docs/search.md)."""
        if len(ids) < 2:
            return ids
        query = request.query
        with connection.cursor() as cursor:
            docs = self.dialect.columns_of(cursor, ids)
        terms = bm25_terms(query, request.match)
        scores, complete = visible_bm25(
            docs,
            query,
            request.match,
            term_documents(terms, request.access),
            self.visible_documents(request.access),
        )
        first = complete if request.match == "all" and query.partial else set(ids)
        view = page.view
        boost = np.ones(len(ids))
        if query.municipalities:
            boost = _municipality_lift(view, query)[np.array(ids, dtype=np.int64)]
        keyed = {
            i: (i in first, scores.get(i, 0.0) * boost[n], int(view.published[i]), i)
            for n, i in enumerate(ids)
        }
        return sorted(ids, key=lambda i: keyed[i], reverse=True)

    def _every_word(self, request: SearchRequest) -> tuple[ParsedQuery, np.ndarray]:
        """The query requiring every word, and the ids of its matches (the first tier
        of a minimum-should-match query)."""
        every = replace(request.query, every_word=True)
        ids, _scores = self._match_row(*self.dialect.matched(every, "all", score=False))
        return every, ids

    def _best_by_words(self, request: SearchRequest, page: Page) -> list[int]:
        """SQLite, a minimum-should-match query: more matched words rank higher. The
        matches with every word are ranked first; the others follow, ranked among
        themselves, when the first do not fill the page."""
        need = request.offset + request.limit
        every, complete = self._every_word(request)
        in_first = np.zeros(page.view.size, dtype=bool)
        in_first[complete[complete < page.view.size]] = True
        first_selected = page.selected & in_first
        first = np.flatnonzero(first_selected)
        first_request = replace(request, query=every)
        if len(first) >= need:
            first_page = replace(page, selected=first_selected, candidates=first)
            return self._best(first_request, first_page)
        head = self._best(
            replace(first_request, offset=0, limit=max(len(first), 1)),
            replace(page, selected=first_selected, candidates=first),
        )
        rest_selected = page.selected & ~in_first
        rest = np.flatnonzero(rest_selected)
        tail = self._best(  # ranking in SQL (a named municipality) sees all matches
            replace(request, offset=0, limit=need),
            replace(page, selected=rest_selected, candidates=rest),
        )
        seen = set(head)
        return (head + [i for i in tail if i not in seen])[request.offset : need]

    def _scored(self, request: SearchRequest, page: Page):
        """The candidates' scores, raised where the entry is tagged with a
        municipality named in the query (see MUNICIPALITY_BOOST)."""
        view = page.view
        scored, scores = page.matched, page.scores
        by_id = np.zeros(view.size, dtype=np.float64)
        candidates = page.candidates
        if scores is None and request.match == "all" and request.query.partial:
            # More matched words rank higher: the matches with every word come first,
            # and only they are scored when they fill the page (scoring every match
            # of a minimum-should-match query is most of its cost).
            _every, complete = self._every_word(request)
            first = candidates[np.isin(candidates, complete)]
            if len(first) >= request.offset + request.limit:
                by_id[candidates] = -1.0
                candidates = first
            else:
                by_id[first] += TIER
        if scores is None:
            sql, params = self.dialect.scores_of(request.query, request.match, candidates)
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                row = cursor.fetchone()
            scored, scores = self.dialect.ids(row[0]), self.dialect.scores(row[1])
        by_id[scored] += scores
        if request.query.municipalities:
            by_id *= _municipality_lift(view, request.query)
        return by_id[page.candidates]

    def _best(self, request: SearchRequest, page: Page) -> list[int]:
        """SQLite: ask FTS5 for the best matches within the filters (the tags column)
        and keep the visible ones, asking for more until the page is filled and no
        tie is cut. With very many matches the title tier is tried first (see
        RANK_TIER_THRESHOLD)."""
        need = request.offset + request.limit
        query, view, candidates = request.query, page.view, page.candidates
        if not len(candidates):
            return []
        if query.municipalities:  # the boost reorders what FTS5 ranks
            return self._page_sql(request, len(candidates))
        active = request.filters.active()
        allowed = page.selected
        share = len(candidates) / max(page.filtered, 1)
        tiers = [True, False] if page.filtered > RANK_TIER_THRESHOLD else [False]
        for strong in tiers:
            limit = int(need / share * 1.5) + 20
            while True:
                if limit > FETCH_LIMIT:
                    return self._page_sql(request, len(candidates))
                sql, params = self.dialect.best(query, request.match, strong, limit, active)
                with connection.cursor() as cursor:
                    cursor.execute(sql, params)
                    rows = cursor.fetchall()
                ids = np.array([row[0] for row in rows], dtype=np.int64)
                scores = np.array([row[1] for row in rows], dtype=np.float64)
                keep = allowed[ids]
                ids, kept_scores = ids[keep], scores[keep]
                complete = len(rows) < limit  # every match of this tier was seen
                if len(ids) >= need and (complete or kept_scores[need - 1] > scores[-1]):
                    return [int(i) for i in view.ranked(ids, kept_scores, need)[request.offset :]]
                if complete:
                    break  # too few in this tier: rank them all in the next
                limit *= 4
        return [int(i) for i in view.ranked(ids, kept_scores, need)[request.offset :]]

    def _page_sql(self, request: SearchRequest, total: int) -> list[int]:
        """The ids of one page, ranked in SQL with access and filters joined in. Used
        where asking for the best matches would mean asking for very many."""
        order = "score DESC, date DESC NULLS LAST, id DESC"
        tiers = [True, False] if total > RANK_TIER_THRESHOLD else [False]
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

    def _project_titles(self, view, visible: np.ndarray, projects: dict[str, int]):
        """The titles of the projects in the facet, each read from one entry of that
        project the user may see (`visible`: a mask of the visible matches)."""
        from ..models import SearchEntry

        if not projects:
            return {}
        examples = view.examples(visible, "project")
        rows = SearchEntry.objects.filter(
            id__in=[examples[key] for key in projects if key in examples]
        ).values_list("project_key", "project_title")
        return {key: title for key, title in rows if title}

    # -- what search.feedback reads -----------------------------------------------------
    def terms_of(self, refs: Sequence[tuple[str, str]]) -> dict[tuple[str, str], Counter]:
        """The index terms of the given documents (type, object id), with counts. Asked
        only for hits the reader was shown, whatever backend found them."""
        from ..models import SearchEntry

        ref_of: dict[int, tuple[str, str]] = {}
        for type_key, ids in _by_type(refs).items():
            rows = SearchEntry.objects.filter(type=type_key, object_id__in=ids)
            for pk, object_id in rows.values_list("pk", "object_id"):
                ref_of[pk] = (type_key, object_id)
        if not ref_of:
            return {}
        terms = self._terms_of_entries(list(ref_of))
        return {ref_of[pk]: counts for pk, counts in terms.items()}

    def _terms_of_entries(self, entry_ids: list[int]) -> dict[int, Counter]:
        with connection.cursor() as cursor:
            return self.dialect.terms_of(cursor, entry_ids)

    def documents_with(self, terms, access: frozenset[str]) -> dict[str, int]:
        return self.vocabulary.documents_with(terms, access)

    def visible_documents(self, access: frozenset[str]) -> int:
        """How many documents the reader may see: the entries per access token,
        counted once per state of the index (kept in the `search` cache under its
        token: counting 100,000 rows takes PostgreSQL some 20 ms)."""
        sql = f"SELECT access, COUNT(*) FROM {ENTRY} GROUP BY access"

        def count():
            with connection.cursor() as cursor:
                cursor.execute(sql)
                return dict(cursor.fetchall())

        with connection.cursor() as cursor:
            counts = matchcache.kept(cursor, sql, [], count)
        return sum(counts.get(token, 0) for token in access)

    def has_term(self, term: str, access: frozenset[str]) -> bool:
        """Whether a document the user may see contains `term` ("Mente du" asks)."""
        access_sql, access_params = _access_sql(access)
        sql, params = self.dialect.exists(ParsedQuery(words=(term,)), access_sql)
        with connection.cursor() as cursor:
            cursor.execute(sql, params + access_params)
            return cursor.fetchone() is not None

    def has_phrase(self, terms: tuple[str, ...], access: frozenset[str]) -> bool:
        """Whether a document the user may see has `terms` side by side."""
        access_sql, access_params = _access_sql(access)
        sql, params = self.dialect.exists(ParsedQuery(phrases=(terms,)), access_sql)
        with connection.cursor() as cursor:
            cursor.execute(sql, params + access_params)
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


@dataclass
class Page:
    """What one search found, on the columns: every match (with scores where the
    dialect reads them), the visible ones that pass the filters (`selected` mask,
    `candidates` ids), and how many pass the filters before access."""

    view: columns.View
    matched: np.ndarray
    scores: np.ndarray | None
    selected: np.ndarray
    candidates: np.ndarray
    filtered: int


def _access_sql(access) -> tuple[str, list[str]]:
    """The condition that an entry `e` is one the holder of these tokens may see."""
    tokens = sorted(access)
    return f"e.access IN ({', '.join(['%s'] * len(tokens))})", tokens


def _by_type(refs: Sequence[tuple[str, str]]) -> dict[str, list[str]]:
    """(type, object id) pairs as the object ids of each type."""
    by_type: dict[str, list[str]] = {}
    for type_key, object_id in refs:
        by_type.setdefault(type_key, []).append(object_id)
    return by_type


def records_refs(records: Sequence) -> list[tuple[str, str]]:
    return [record.ref for record in records]


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
        published=doc.published,
        external_id=doc.external_id,
        facets=" ".join(f"{facet}={value}" for facet, value in facet_values(record)),
    )


def _words(record) -> str:
    return " ".join(sorted(w for w in record.vocabulary if len(w) <= 100))


def entry_hit(entry, text, marks: Marks, promoted: bool = False) -> Hit:
    """A result from an index row and its text (snippet made here)."""
    texts = [text.body, text.extra] if text is not None else []
    return Hit(
        type=entry.type,
        object_id=entry.object_id,
        title=entry.title,
        url=entry.url,
        snippet=snippets.snippet(texts, marks),
        title_html=snippets.highlight(entry.title, marks),
        municipalities=list(entry.municipalities),
        topics=list(entry.topics),
        date=entry.date,
        published=entry.published,
        external_id=entry.external_id,
        project_key=entry.project_key,
        project_title=entry.project_title,
        promoted=promoted,
    )


def _municipality_lift(view, query: ParsedQuery) -> np.ndarray:
    """Per entry id, how much a named municipality raises its score: 1 + (BOOST - 1) / n
    for an entry tagged with it among n municipalities, 1 for the others."""
    tagged = np.zeros(view.size, dtype=bool)
    for code in query.municipalities:
        tagged |= view.having("municipality", code)
    lift = np.ones(view.size, dtype=np.float64)
    shared_by = view.values_per_entry("municipality")
    lift[tagged] = 1.0 + (MUNICIPALITY_BOOST - 1.0) / shared_by[tagged]
    return lift


_TERM_COLUMNS = ("title", "body", "extra", "sub", "meta")


def _distinct_terms(record) -> set[str]:
    """The terms of the columns FTS5 scores, each once (not the filter tags)."""
    return _column_terms(
        {
            "title": record.title_terms,
            "body": record.body_terms,
            "extra": record.extra_terms,
            "sub": record.parts,
            "meta": record.meta_terms,
        }
    )


def _column_terms(columns: dict[str, list[str]]) -> set[str]:
    return {term for name in _TERM_COLUMNS for term in columns[name] if len(term) <= 100}
