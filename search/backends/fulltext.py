"""The two database dialects of the index: SQLite FTS5 and PostgreSQL tsvector.

Both store the terms search.analysis made and match them as they are (FTS5's
`ascii` tokenizer only splits on spaces here; PostgreSQL gets a tsvector literal
and a tsquery cast, never to_tsvector), so the two databases find the same
documents. Ranking differs in detail (bm25 versus ts_rank) but weighs the same
fields the same way: title, then metadata, body, attachments and compound parts.
"""

from __future__ import annotations

import itertools
import math
from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np

from ..query import Adjacent, ParsedQuery
from . import columns

# Relative weights of title, body, extra (attachments, agenda), compound parts, metadata.
# Metadata (type, municipality, work area and project names) weighs little: a document
# that matches only through its tags ranks below those whose text matches.
WEIGHTS = {"title": 8.0, "body": 1.5, "extra": 1.0, "sub": 1.5, "meta": 0.1}
PHRASE_COLUMNS = ("title", "body", "extra")
# A word typed with a minus leaves out a document with it in any of its text.
EXCLUDED_COLUMNS = ("title", "body", "extra", "sub", "meta")


class SqliteDialect:
    """An FTS5 table `search_fts(title, body, extra, sub, meta, tags)`, rowid = entry
    id. `tags` holds the entry's facet values as tokens (see `tag`), so FTS5 itself
    narrows a ranked search to the filters; its weight is 0, so it never scores."""

    table = "search_fts"
    fulltext_from = "search_fts CROSS JOIN search_searchentry e ON e.id = search_fts.rowid"
    # SQLite keeps the written order of a CROSS JOIN (its documented planner override):
    # full-text matches first, then their entries and facet rows by primary key.
    fixed_join = "CROSS JOIN"
    concat_ids = "group_concat(id, ' ')"
    ids = staticmethod(columns.parse_ids)
    match_settings: tuple[str, ...] = ()

    def match(self, query: ParsedQuery, mode: str) -> tuple[str, list]:
        columns = " ".join(PHRASE_COLUMNS)
        expression = _expression(
            query,
            mode,
            '"{}"',
            " AND ",
            " OR ",
            lambda terms: f'({{{columns}}} : "{" ".join(terms)}")',
        )
        if query.excluded:  # FTS5's NOT binds tighter than AND and OR
            texts = " ".join(EXCLUDED_COLUMNS)
            left_out = " OR ".join(
                "(" + " AND ".join(f'{{{texts}}} : "{t}"' for t in terms) + ")"
                for terms in query.excluded
            )
            expression = f"({expression}) NOT ({left_out})"
        return "search_fts MATCH %s", [expression]

    def strong(self, query: ParsedQuery, mode: str) -> tuple[str, list]:
        """Matches with a query term in the title."""
        terms = " OR ".join(f'"{term}"' for term in _terms(query, mode) + _phrase_terms(query))
        return "search_fts MATCH %s", [f"title : ({terms})"]

    def score(self, query: ParsedQuery, mode: str) -> tuple[str, list]:
        columns = ("title", "body", "extra", "sub", "meta")
        weights = ", ".join([*(str(WEIGHTS[c]) for c in columns), "0.0"])
        # bm25() is lower for better matches; negate so every dialect sorts descending.
        return f"-bm25(search_fts, {weights})", []

    # Scores are not read for every match: bm25() over tens of thousands of rows
    # costs more than the rest of a search. The backend asks for the best few instead.
    scores_all = False
    # bm25() weighs words by counts over the whole index: the best matches are ranked
    # again with the reader's own counts, kept exact per access token (_reranked).
    counts_terms = True

    def matched(self, query: ParsedQuery, mode: str, score: bool = False) -> tuple[str, list]:
        """One row: the ids of every match, space-separated (never scores: see above)."""
        match_sql, params = self.match(query, mode)
        return f"SELECT group_concat(rowid, ' ') FROM search_fts WHERE {match_sql}", params

    def exists(self, query: ParsedQuery, access_sql: str) -> tuple[str, list]:
        """SQL giving one row if a visible entry matches: FTS5 drives, entries by key."""
        match_sql, params = self.match(query, "all")
        return (
            f"SELECT 1 FROM {self.fulltext_from} WHERE {match_sql} AND {access_sql} LIMIT 1",
            params,
        )

    def best(
        self, query: ParsedQuery, mode: str, strong: bool, limit: int, filters: dict[str, str]
    ) -> tuple[str, list]:
        """(id, score) of the `limit` best matches that pass `filters` (and match in
        the title if `strong`), best first, without regard to access."""
        match_sql, params = self.match(query, mode)
        parts = [f"({params[0]})"]
        if strong:
            parts.append(f"({self.strong(query, mode)[1][0]})")
        parts += [f"tags : {tag(facet, value)}" for facet, value in sorted(filters.items())]
        params = [" AND ".join(parts)]
        score_sql, _ = self.score(query, mode)
        return (
            f"SELECT rowid, {score_sql} AS score FROM search_fts WHERE {match_sql} "
            "ORDER BY score DESC LIMIT %s",
            [*params, limit],
        )

    def columns_of(self, cursor, entry_ids: Sequence[int]) -> dict[int, dict[str, list[str]]]:
        """The entries' terms per column, in order (see visible_bm25)."""
        marks = ", ".join(["%s"] * len(entry_ids))
        cursor.execute(
            f"SELECT rowid, title, body, extra, sub, meta, tags FROM search_fts "
            f"WHERE rowid IN ({marks})",
            list(entry_ids),
        )
        names = ("title", "body", "extra", "sub", "meta", "tags")
        return {
            row[0]: {name: (text or "").split() for name, text in zip(names, row[1:], strict=True)}
            for row in cursor.fetchall()
        }

    def terms_of(self, cursor, entry_ids: Sequence[int]) -> dict[int, Counter]:
        """The terms of the entries' title and body and their compound parts, each with
        its count (not the extra: an attachment of thousands of words would outweigh
        the text), as PostgreSQL's tsvector gives them (it cannot tell parts from body)."""
        marks = ", ".join(["%s"] * len(entry_ids))
        cursor.execute(
            f"SELECT rowid, title, body, sub FROM search_fts WHERE rowid IN ({marks})",
            list(entry_ids),
        )
        return {
            row[0]: Counter(" ".join(text or "" for text in row[1:]).split())
            for row in cursor.fetchall()
        }

    def insert(self, cursor, rows: Sequence[tuple[int, object]]) -> None:
        cursor.executemany(
            "INSERT INTO search_fts (rowid, title, body, extra, sub, meta, tags) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s)",
            [
                (
                    entry_id,
                    " ".join(r.title_terms),
                    " ".join(r.body_terms),
                    " ".join(r.extra_terms),
                    " ".join(r.parts),
                    " ".join(r.meta_terms),
                    " ".join(tag(facet, value) for facet, value in facet_values(r)),
                )
                for entry_id, r in rows
            ],
        )

    def delete(self, cursor, entry_ids: Sequence[int]) -> None:
        for chunk in _chunks(entry_ids, 500):
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM search_fts WHERE rowid IN ({marks})", list(chunk))

    def clear(self, cursor) -> None:
        cursor.execute("DELETE FROM search_fts")

    def prune(self, cursor) -> None:
        """Drop full-text rows whose entry is gone (see DatabaseBackend.prune)."""
        cursor.execute(
            "DELETE FROM search_fts WHERE rowid NOT IN (SELECT id FROM search_searchentry)"
        )

    def optimize(self, cursor) -> None:
        # Merge FTS5's segments into one b-tree and refresh the planner's statistics.
        cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")
        cursor.execute("ANALYZE")


def _packed_ids(column: str) -> str:
    """PostgreSQL: every value of a bigint column as one bytea of big-endian int8s."""
    return f"string_agg(int8send({column}), ''::bytea)"


def _packed_scores(expression: str) -> str:
    """PostgreSQL: every value of a real expression as one bytea of big-endian float4s."""
    return f"string_agg(float4send({expression}), ''::bytea)"


class PostgresDialect:
    """A table `search_vector(entry_id, vector tsvector)` with a GIN index."""

    table = "search_vector"
    fulltext_from = "search_vector v JOIN search_searchentry e ON e.id = v.entry_id"
    fixed_join = "JOIN"
    # Ids and scores travel as packed binary (int8send/float4send): no number is
    # formatted as text by the server or parsed back by Python.
    concat_ids = _packed_ids("id")

    @staticmethod
    def ids(packed: bytes | None) -> np.ndarray:
        return np.frombuffer(packed or b"", dtype=">i8").astype(np.int64)

    # For the match query only (SET LOCAL, inside its own transaction, so it is safe
    # behind a transaction-pooling PgBouncer): the index is in memory on any machine
    # that runs this, and the default cost of a random page (4, for spinning disks)
    # makes PostgreSQL read every vector for a broad tsquery (a minimum-should-match
    # OR of combinations) instead of the GIN bitmap, three times slower. Even so, for
    # a word in a third of the documents or more (*mentor* with its synonyms, in 36 %
    # of the bench's index) it took a sequential scan, which tests the tsquery on every
    # row: 73 ms against 47 ms for the bitmap. Without sequential scans the bitmap is
    # taken whenever the GIN index can answer, which is always for a tsquery.
    match_settings: tuple[str, ...] = (
        "SET LOCAL random_page_cost = 1.1",
        "SET LOCAL enable_seqscan = off",
    )

    @staticmethod
    def scores(packed: bytes | None) -> np.ndarray:
        return np.frombuffer(packed or b"", dtype=">f4").astype(np.float64)

    # ts_rank weights in the order D, C, B, A: extra, body and compound parts, metadata, title.
    RANK_WEIGHTS = "{0.12, 0.19, 0.015, 1.0}"
    MAX_POSITION = 16383
    MAX_POSITIONS_PER_TERM = 255

    def _tsquery(self, query: ParsedQuery, mode: str) -> str:
        expression = _expression(
            query,
            mode,
            "'{}'",
            " & ",
            " | ",
            lambda terms: "(" + " <-> ".join(f"'{t}'" for t in terms) + ")",
        )
        if not query.excluded:
            return expression
        left_out = " | ".join(
            "(" + " & ".join(f"'{t}'" for t in terms) + ")" for terms in query.excluded
        )
        return f"({expression}) & !({left_out})"

    def match(self, query: ParsedQuery, mode: str) -> tuple[str, list]:
        return "v.vector @@ %s::tsquery", [self._tsquery(query, mode)]

    def strong(self, query: ParsedQuery, mode: str) -> tuple[str, list]:
        """Matches with a query term in the title (weight A)."""
        terms = " | ".join(f"'{term}':A" for term in _terms(query, mode) + _phrase_terms(query))
        return "v.vector @@ %s::tsquery", [terms]

    def score(self, query: ParsedQuery, mode: str) -> tuple[str, list]:
        # Rank against the OR of the terms: ts_rank scores an AND query by how close
        # its terms stand, which buries a title match under two words side by side.
        # Divided by log2(length + 1), as ts_rank's normalisation 1 does, but from the
        # stored length: counting every position of 80,000 vectors was a tenth of a
        # broad query. (A vector of length 0 matches nothing; GREATEST keeps it finite.)
        return (
            f"ts_rank('{self.RANK_WEIGHTS}'::float4[], v.vector, %s::tsquery, 0) "
            f"/ GREATEST(ln(v.length + 1.0::float8) * {1 / math.log(2)!r}, 1.0)::float4",
            [self._tsquery(query, "any")],
        )

    # ts_rank counts nothing over the index: no word's weight depends on other
    # documents, those hidden from the reader included.
    counts_terms = False

    # Ranking reads each match's vector, which the match has read already: one pass
    # gives every match with its score. A filtered search scores only its candidates,
    # by primary key (`scores_of`): ts_rank is a third of the cost of a broad query.
    scores_all = True

    def matched(self, query: ParsedQuery, mode: str, score: bool = True) -> tuple[str, list]:
        """One row: the ids of every match and (if `score`) their scores, packed."""
        match_sql, match_params = self.match(query, mode)
        if not score:
            return (
                f"SELECT {_packed_ids('entry_id')}, NULL FROM search_vector v WHERE {match_sql}",
                match_params,
            )
        score_sql, score_params = self.score(query, mode)
        return (
            f"SELECT {_packed_ids('entry_id')}, {_packed_scores('score')} FROM "
            f"(SELECT v.entry_id, {score_sql} AS score FROM search_vector v WHERE {match_sql}) m",
            score_params + match_params,
        )

    def scores_of(self, query: ParsedQuery, mode: str, ids: np.ndarray) -> tuple[str, list]:
        """One row: the given entries' ids and scores, packed (by primary key)."""
        score_sql, score_params = self.score(query, mode)
        return (
            f"SELECT {_packed_ids('entry_id')}, {_packed_scores(score_sql)} "
            "FROM search_vector v WHERE v.entry_id = ANY(%s)",
            score_params + [[int(i) for i in ids]],
        )

    def exists(self, query: ParsedQuery, access_sql: str) -> tuple[str, list]:
        """SQL giving one row if a visible entry matches. The matches are fenced off in
        a materialised CTE: with a plain `LIMIT 1` the planner, expecting a few
        hundred matches, scans the whole table for the first one, which for a word
        nobody wrote (the usual case behind "Mente du") means every row; in the
        fence the GIN index answers it in about a millisecond."""
        match_sql, params = self.match(query, "all")
        return (
            f"WITH m AS MATERIALIZED (SELECT entry_id FROM search_vector v WHERE {match_sql}) "
            f"SELECT 1 FROM m JOIN search_searchentry e ON e.id = m.entry_id "
            f"WHERE {access_sql} LIMIT 1",
            params,
        )

    def vector(self, record) -> tuple[str, int]:
        """A tsvector literal and its length (positions in all, as ts_rank counts
        them): title A, body C, extra D at running positions (gaps of 100 between
        fields, so no phrase spans two); metadata B and compound parts C two apart, so
        they never form a phrase either."""
        positions: dict[str, dict[int, str]] = {}
        position = 1

        def add(term: str, weight: str) -> None:
            slots = positions.setdefault(term, {})
            if len(slots) < self.MAX_POSITIONS_PER_TERM:
                slots.setdefault(min(position, self.MAX_POSITION), weight)

        for terms, weight in (
            (record.title_terms, "A"),
            (record.body_terms, "C"),
            (record.extra_terms, "D"),
        ):
            for term in terms:
                add(term, weight)
                position += 1
            position += 100
        for terms, weight in ((record.meta_terms, "B"), (record.parts, "C")):
            for term in terms:
                add(term, weight)
                position += 2
        literal = " ".join(
            f"'{term}':" + ",".join(f"{p}{w}" for p, w in sorted(slots.items()))
            for term, slots in positions.items()
        )
        return literal, sum(len(slots) for slots in positions.values())

    def terms_of(self, cursor, entry_ids: Sequence[int]) -> dict[int, Counter]:
        """The terms of the entries, each with its count of positions in the title (A)
        and body (C; compound parts too, which SQLite reads from a column of their
        own); metadata (B) and extra (D) left out, as on SQLite."""
        cursor.execute(
            "SELECT v.entry_id, t.lexeme, "
            "cardinality(array_remove(array_remove(t.weights, 'B'), 'D')) "
            "FROM search_vector v, unnest(v.vector) t WHERE v.entry_id = ANY(%s)",
            [[int(i) for i in entry_ids]],
        )
        terms: dict[int, Counter] = defaultdict(Counter)
        for entry_id, lexeme, count in cursor.fetchall():
            if count:
                terms[entry_id][lexeme] = count
        return dict(terms)

    def insert(self, cursor, rows: Sequence[tuple[int, object]]) -> None:
        cursor.executemany(
            "INSERT INTO search_vector (entry_id, vector, length) "
            "VALUES (%s, %s::tsvector, %s) "
            "ON CONFLICT (entry_id) DO UPDATE SET vector = EXCLUDED.vector, "
            "length = EXCLUDED.length",
            [(entry_id, *self.vector(r)) for entry_id, r in rows],
        )

    def delete(self, cursor, entry_ids: Sequence[int]) -> None:
        if entry_ids:
            cursor.execute("DELETE FROM search_vector WHERE entry_id = ANY(%s)", [list(entry_ids)])

    def clear(self, cursor) -> None:
        cursor.execute("DELETE FROM search_vector")

    def prune(self, cursor) -> None:
        """Drop vectors whose entry is gone (see DatabaseBackend.prune)."""
        cursor.execute(
            "DELETE FROM search_vector WHERE entry_id NOT IN (SELECT id FROM search_searchentry)"
        )

    def optimize(self, cursor) -> None:
        # Fresh statistics after a bulk load, or the planner scans instead of using GIN.
        cursor.execute(
            "ANALYZE search_searchentry, search_vector, search_searchfacetvalue, search_searchterm"
        )


def facet_values(record) -> list[tuple[str, str]]:
    """The (facet, value) pairs of an index record, in the order of search.query.FACETS."""
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


def tag(facet: str, value: str) -> str:
    """A facet value as one FTS5 token: `zz`, the facet's initial and the value in hex
    (a token no analysed word can be; the ascii tokenizer keeps it whole)."""
    return f"zz{TAG_PREFIX[facet]}{value.encode().hex()}"


TAG_PREFIX = {
    "type": "t",
    "municipality": "m",
    "region": "r",
    "topic": "o",
    "project": "p",
    "year": "y",
}


def _terms(query: ParsedQuery, mode: str) -> tuple[str, ...]:
    """Every term of the words and their alternatives; relaxed ("any") searches also
    try the compound parts of the query's words."""
    terms = [t for slot in query.slots() for option in slot for t in option]
    if mode == "any":
        terms += query.parts
    return tuple(dict.fromkeys(terms))


# The most combinations a minimum-should-match expression spells out (8 words, 5 of
# them required, is 56).
MAX_COMBINATIONS = 64


def _expression(query: ParsedQuery, mode: str, quote, AND, OR, adjacent) -> str:
    """A boolean full-text expression in a dialect's syntax (`quote` formats one term,
    AND and OR join, `adjacent` formats terms side by side, as a quoted phrase or a
    synonym expression matches): per word, the OR of its term and its alternatives
    (each an AND of terms, or a synonym expression's terms side by side); in "all" mode
    at least `query.required` of the words (spelt out as the OR of the combinations)
    and every phrase; in "any" mode any word, part or phrase."""

    def spell(option: tuple[str, ...]) -> str:
        if isinstance(option, Adjacent):
            return adjacent(option)
        if len(option) == 1:
            return quote.format(option[0])
        return "(" + AND.join(quote.format(t) for t in option) + ")"

    phrases = [adjacent(phrase) for phrase in query.phrases]
    slots = []
    for options in query.slots():
        spelled = [spell(option) for option in options]
        slots.append(spelled[0] if len(spelled) == 1 else "(" + OR.join(spelled) + ")")
    if mode == "any":
        return OR.join(slots + [quote.format(t) for t in query.parts] + phrases)
    required = query.required
    if required >= len(slots) or math.comb(len(slots), required) > MAX_COMBINATIONS:
        return AND.join(slots + phrases)
    either = OR.join(
        "(" + AND.join(slots[i] for i in combination) + ")"
        for combination in itertools.combinations(range(len(slots)), required)
    )
    return AND.join([f"({either})", *phrases])


def _phrase_terms(query: ParsedQuery) -> tuple[str, ...]:
    return tuple(term for phrase in query.phrases for term in phrase)


def dialect_for(vendor: str):
    if vendor == "sqlite":
        return SqliteDialect()
    if vendor == "postgresql":
        return PostgresDialect()
    raise NotImplementedError(f"The search index supports SQLite and PostgreSQL, not {vendor}.")


def _chunks(items: Sequence, size: int):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


BM25_K1, BM25_B = 1.2, 0.75  # FTS5's


def bm25_terms(query: ParsedQuery, mode: str) -> set[str]:
    """The terms visible_bm25 needs document counts for."""
    units = [*(o for options in query.slots() for o in options), *query.phrases]
    if mode == "any":
        units += [(part,) for part in query.parts]
    return {term for unit in units for term in unit}


def visible_bm25(
    docs: dict[int, dict[str, list[str]]],
    query: ParsedQuery,
    mode: str,
    documents: dict[str, int],
    total: int,
) -> tuple[dict[int, float], set[int]]:
    """bm25 as FTS5 scores it (the same column weights, k1 and b), with the document
    counts of what the reader may see (`documents`: per term; `total`: the documents in
    all) and the average length of `docs` themselves, instead of FTS5's counts over
    the whole index, hidden content included. Each distinct term or side-by-side
    sequence of the query counts once. Returns the scores and the entries that have
    every word (or phrase) of the query."""
    total = max(total, 1)

    def idf(count: int) -> float:
        count = min(max(count, 0), total)
        return max(math.log((total - count + 0.5) / (count + 0.5)), 1e-6)

    def occurrences(stored: dict[str, list[str]], option: tuple[str, ...], counted) -> float:
        if len(option) == 1:
            return sum(w * counted[c][option[0]] for c, w in WEIGHTS.items())
        size, hits = len(option), 0.0
        for name in PHRASE_COLUMNS:
            terms = stored[name]
            found = sum(
                1 for i in range(len(terms) - size + 1) if tuple(terms[i : i + size]) == option
            )
            hits += WEIGHTS[name] * found
        return hits

    slots = query.slots()
    units: dict[tuple[str, ...], float] = {}  # each scored unit and its idf
    groups: list[list[tuple[str, ...]]] = []  # per word or phrase: the units that match it
    for options in slots + [[tuple(p)] for p in query.phrases]:
        group = []
        for option in options:
            adjacent = isinstance(option, Adjacent) or (len(options) == 1 and len(option) > 1)
            pieces = [tuple(option)] if adjacent else [(term,) for term in option]
            for piece in pieces:
                units.setdefault(piece, idf(min(documents.get(t, 0) for t in piece)))
            group.append(tuple(pieces))
        groups.append(group)
    if mode == "any":
        for part in query.parts:
            units.setdefault((part,), idf(documents.get(part, 0)))
    lengths = {key: sum(len(terms) for terms in doc.values()) for key, doc in docs.items()}
    average = max(sum(lengths.values()) / max(len(lengths), 1), 1.0)
    scores, complete = {}, set()
    for key, stored in docs.items():
        norm = BM25_K1 * (1 - BM25_B + BM25_B * lengths[key] / average)
        counted = {name: Counter(stored[name]) for name in WEIGHTS}
        counts = {unit: occurrences(stored, unit, counted) for unit in units}
        scores[key] = sum(
            weight * (counts[unit] * (BM25_K1 + 1)) / (counts[unit] + norm)
            for unit, weight in units.items()
            if counts[unit]
        )
        if all(any(all(counts[piece] for piece in option) for option in group) for group in groups):
            complete.add(key)
    return scores, complete
