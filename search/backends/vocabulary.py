"""The words of the database index, counted per access token: "Mente du" and
autocomplete for the database backends.

Counting per token is what keeps them honest: a word that occurs only in content
the user may not see has no row under any token the user holds, so it can be
neither suggested nor completed. Lookups are prefix ranges on the folded key
(`åben` and `aaben` both complete to Åbenrå), which every database indexes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from django.db import connection

from .. import analysis
from ..query import ParsedQuery

TABLE = "search_searchterm"
TERM_COUNT_TABLE = "search_searchtermcount"
MAX_WORD_LENGTH = 100
# How many letters an inflection may add to its stem (*bibliotek* → *bibliotekerne*).
MAX_ENDING = 5


class Vocabulary:
    def apply(self, deltas: Counter) -> None:
        """Add (or, negative, subtract) document counts per (access, word)."""
        rows = []
        for (access, word), n in deltas.items():
            if n and len(word) <= MAX_WORD_LENGTH:
                key = analysis.vocabulary_key(word)[:MAX_WORD_LENGTH]
                term = analysis.term_of(word)[:MAX_WORD_LENGTH]
                rows.append((access, word, key, term, len(key), n))
        if not rows:
            return
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {TABLE} (access, word, key, term, length, documents) "
                "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (access, word) "
                f"DO UPDATE SET documents = {TABLE}.documents + excluded.documents, "
                "term = excluded.term",
                rows,
            )
            gone = [(access, word) for access, word, _k, _t, _l, n in rows if n < 0]
            if gone:
                cursor.executemany(
                    f"DELETE FROM {TABLE} WHERE access = %s AND word = %s AND documents <= 0", gone
                )

    def _rows(
        self,
        access,
        prefix: str,
        extra_sql: str = "",
        extra_params=(),
        limit: int = 50,
        column: str = "key",
    ):
        """(word, key or term, documents) of the visible words whose key begins with
        `prefix`, the most frequent first."""
        access = sorted(access)
        marks = ", ".join(["%s"] * len(access))
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT word, {column}, SUM(documents) AS n FROM {TABLE} "
                f"WHERE access IN ({marks}) AND key >= %s AND key < %s {extra_sql} "
                f"GROUP BY word, {column} HAVING SUM(documents) > 0 "
                "ORDER BY n DESC, word LIMIT %s",
                [*access, prefix, upper, *extra_params, limit],
            )
            return cursor.fetchall()

    def present(self, words, access) -> set[str]:
        """The folded keys of `words` that a visible document has as a word (one
        indexed lookup; cheaper than asking the full-text index for a common word)."""
        keys = sorted({analysis.vocabulary_key(w)[:MAX_WORD_LENGTH] for w in words if w})
        if not keys:
            return set()
        access = sorted(access)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT DISTINCT key FROM {TABLE} WHERE access IN "
                f"({', '.join(['%s'] * len(access))}) AND key IN "
                f"({', '.join(['%s'] * len(keys))}) AND documents > 0",
                [*access, *keys],
            )
            return {row[0] for row in cursor.fetchall()}

    def documents_with(self, terms, access) -> dict[str, int]:
        """For each index term, how many documents the reader may see hold a word of
        it (counted per word, so a document with two inflections of one stem counts
        twice: close enough for a weight). Only the reader's tokens are summed."""
        return _summed(TABLE, terms, access)

    def complete(self, text: str, access, limit: int = 8) -> list[str]:
        match = analysis.LAST_WORD.search(text or "")
        if not match:
            return []
        prefix = analysis.vocabulary_key(match.group(1))
        if len(prefix) < 2:
            return []
        head = text[: match.start()]
        return [head + word for word, _key, _n in self._rows(access, prefix, limit=limit)]

    def starting_with(self, word: str, access, extra: int, limit: int) -> list[str]:
        """Up to `limit` visible words that begin with `word` (folded) and have at least
        `extra` letters more, the most frequent first: the compounds a word typed as
        their first part begins (*kontant* → *kontanthjælp*)."""
        key = analysis.vocabulary_key(word)
        rows = self._rows(access, key, "AND length >= %s", (len(key) + extra,), limit=limit)
        return [candidate for candidate, _key, _n in rows]

    def closest(self, word: str, access) -> str | None:
        """The most frequent visible word within a small edit distance of `word`."""
        found = self.closest_many(word, access, 1)
        return found[0] if found else None

    def closest_many(self, word: str, access, limit: int) -> list[str]:
        """Up to `limit` visible words nearest to `word` within Lucene's AUTO fuzziness
        (1 edit for 3-5 letters, 2 for longer; Damerau-Levenshtein on the folded key),
        nearest first, then most frequent. Words sharing the first two letters are
        tried first, then the first letter (as Lucene's prefix_length 1). Failing
        those, the words whose index term is that near the word's own (Lucene compares
        terms): *bibilotek* is 2 edits from the term *bibliotek*, but more from every
        inflection a text has (*biblioteket*, *biblioteker*)."""
        key = analysis.vocabulary_key(word)
        if len(key) < 3:
            return []
        max_distance = 1 if len(key) <= 5 else 2
        length_sql = "AND length BETWEEN %s AND %s"
        lengths = (len(key) - max_distance, len(key) + max_distance)
        for prefix in (key[:2], key[:1]):
            ranked = []
            for candidate, candidate_key, n in self._rows(
                access, prefix, length_sql, lengths, limit=3000
            ):
                distance = edit_distance(key, candidate_key, max_distance)
                if 0 < distance <= max_distance:
                    ranked.append((distance, -n, candidate))
            if ranked:
                return _nearest(ranked, limit)
        return self._closest_by_term(word, key, access, max_distance, limit)

    def _closest_by_term(self, word: str, key: str, access, max_distance: int, limit: int):
        """The most frequent visible word of each index term within `max_distance` of
        the word's term, nearest first (first two letters shared). An inflection is at
        most a few letters longer than its stem."""
        term = analysis.term_of(analysis.canonical(word))
        if len(term) < 3:
            return []
        lengths = (len(term) - max_distance, len(term) + max_distance + MAX_ENDING)
        best: dict[str, tuple[int, int, str]] = {}
        for candidate, candidate_term, n in self._rows(
            access, key[:2], "AND length BETWEEN %s AND %s", lengths, 3000, column="term"
        ):
            distance = edit_distance(term, candidate_term, max_distance)
            if 0 < distance <= max_distance and candidate_term not in best:
                best[candidate_term] = (distance, -n, candidate)  # rows: most frequent first
        return _nearest(list(best.values()), limit)

    def suggest(self, query: ParsedQuery, access, known: Callable[[str], bool]) -> str | None:
        """The query with each unknown word replaced by its closest visible word."""
        out, changed = [], False
        for index, (word, term) in enumerate(zip(query.surface, query.words, strict=True)):
            field_word = query.is_field_word(index)
            if len(word) < 3 or word.isdigit() or known(term) or field_word:
                out.append(word)
                continue
            best = self.closest(word, access)
            changed = changed or best is not None
            out.append(best or word)
        if not changed:
            return None
        return " ".join(out + [f'"{phrase}"' for phrase in query.phrase_texts])


def _nearest(ranked: list[tuple[int, int, str]], limit: int) -> list[str]:
    """The words of the smallest distance in (distance, -documents, word) rows, the
    most frequent first."""
    if not ranked:
        return []
    ranked.sort()
    nearest = ranked[0][0]
    return [word for distance, _n, word in ranked if distance == nearest][:limit]


def term_documents(terms, access) -> dict[str, int]:
    """How many documents the reader may see hold each index term (SearchTermCount,
    kept on SQLite): exact, each document once, over the reader's own tokens."""
    return _summed(TERM_COUNT_TABLE, terms, access)


def apply_term_counts(deltas: Counter) -> None:
    """Add (or, negative, subtract) document counts per (access, term)."""
    rows = [(access, term, n) for (access, term), n in deltas.items() if n]
    if not rows:
        return
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {TERM_COUNT_TABLE} (access, term, documents) VALUES (%s, %s, %s) "
            "ON CONFLICT (access, term) "
            f"DO UPDATE SET documents = {TERM_COUNT_TABLE}.documents + excluded.documents",
            rows,
        )
        gone = [(access, term) for access, term, n in rows if n < 0]
        if gone:
            cursor.executemany(
                f"DELETE FROM {TERM_COUNT_TABLE} WHERE access = %s AND term = %s "
                "AND documents <= 0",
                gone,
            )


def _summed(table: str, terms, access) -> dict[str, int]:
    """Per term, its documents summed over the access tokens (one row per token)."""
    terms, access = sorted({t for t in terms if t}), sorted(access)
    if not terms or not access:
        return {}
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(terms), 500):
            chunk = terms[start : start + 500]
            cursor.execute(
                f"SELECT term, SUM(documents) FROM {table} WHERE access IN "
                f"({', '.join(['%s'] * len(access))}) AND term IN "
                f"({', '.join(['%s'] * len(chunk))}) GROUP BY term",
                [*access, *chunk],
            )
            counts.update((term, int(n)) for term, n in cursor.fetchall() if n > 0)
    return counts


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein (optimal string alignment) distance, or limit + 1 once
    it is certain to exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous_previous = None
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if (
                previous_previous is not None
                and i > 1
                and j > 1
                and ca == b[j - 2]
                and a[i - 2] == cb
            ):
                value = min(value, previous_previous[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        previous_previous, previous = previous, current
    return previous[-1]
