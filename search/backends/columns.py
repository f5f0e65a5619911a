"""The access, publication day and facet values of the database index's entries,
held per process as numpy arrays indexed by entry id, so that a search counts its
facets and its total, filters and sorts by day without a join: the database only says
which entries match.

Why this is safe to keep in memory: an entry row is never changed (a new version
of a document is a new row, the old one is deleted), and an id is never reused
once committed (SQLite's AUTOINCREMENT, PostgreSQL's sequences). So a cached row
is either still true or belongs to a deleted entry, which no search matches any
more; the ids a search gets from the database decide what counts. A process reads
every entry on its first search, and ids it has not seen since on demand. Inside a
transaction the rows read are kept for that search only, because the transaction may
still roll back and its ids be handed out again.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
from django.db import connection

ENTRY = "search_searchentry"
# Read rows in chunks of this many ids (stays below SQLite's variable limit).
CHUNK = 900
POSTGRES_CHUNK = 20_000
# Forget the cache when it holds this many more rows than the index has entries:
# the rows of deleted entries are harmless but take memory.
SLACK = 1.5


@dataclass
class Rows:
    """Entry rows as parallel arrays: ids, access code, the ordinal of the day
    it was published (SearchEntry.published; 0 = none) and
    the (entry, value code) pairs of their facet values."""

    ids: np.ndarray
    access: np.ndarray
    published: np.ndarray
    pair_entry: np.ndarray
    pair_value: np.ndarray


class Columns:
    def __init__(self):
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._clear()

    def _clear(self) -> None:
        self.access = np.full(0, -1, dtype=np.int16)  # -1: not loaded
        self.published = np.zeros(0, dtype=np.int32)
        self.pair_entry = np.zeros(0, dtype=np.int64)
        self.pair_value = np.zeros(0, dtype=np.int32)
        self.access_codes: dict[str, int] = {}
        self.value_codes: dict[tuple[str, str], int] = {}
        self.values: list[tuple[str, str]] = []
        self._item_codes: dict[str, int] = {}
        self.loaded = 0
        self._live = 0  # entries in the index at the last count

    # -- codes ---------------------------------------------------------------------------
    def access_code(self, token: str) -> int:
        code = self.access_codes.get(token)
        if code is None:
            code = self.access_codes[token] = len(self.access_codes)
        return code

    def value_code(self, facet: str, value: str) -> int:
        code = self.value_codes.get((facet, value))
        if code is None:
            code = self.value_codes[(facet, value)] = len(self.values)
            self.values.append((facet, value))
        return code

    # -- loading -------------------------------------------------------------------------
    def view(self, ids: np.ndarray) -> View:
        """The columns with every id in `ids` present (read if need be)."""
        with self._lock:
            missing = ids[self._missing(ids)]
            if not len(missing):
                return View(self, self.access, self.published, self.pair_entry, self.pair_value)
            if connection.in_atomic_block:
                return View(self, *self._merged(self._read(missing)))
            # A process's first need reads every entry in one pass (~0.35 s at 100,000
            # on PostgreSQL), as Elasticsearch loads its field data eagerly: read bit
            # by bit, the same rows cost the first hundred searches 5-45 ms each.
            self._store(self._read(None if self.loaded == 0 else missing))
            self._forget_if_stale()
            return View(self, self.access, self.published, self.pair_entry, self.pair_value)

    def _missing(self, ids: np.ndarray) -> np.ndarray:
        beyond = ids >= len(self.access)
        if beyond.all():
            return beyond
        inside = np.where(beyond, 0, ids)
        return beyond | (self.access[inside] < 0)

    def _read(self, ids: np.ndarray | None) -> Rows:
        """The rows of these entries, or of every entry (None)."""
        found, access, days, pair_entry, pair_value = [], [], [], [], []
        access_code, item_code = self.access_code, self._item_codes.get
        # PostgreSQL takes the ids as one text (a query with 900 placeholders, or a list
        # adapted to an array, costs psycopg more than the server's answer); SQLite as a
        # list of placeholders.
        postgres = connection.vendor == "postgresql"
        size = POSTGRES_CHUNK if postgres else CHUNK
        with connection.cursor() as cursor:
            for start in range(0, 1 if ids is None else len(ids), size):
                if ids is None:
                    where, params = "TRUE", []
                elif postgres:
                    chunk = ids[start : start + size]
                    where = "id = ANY(string_to_array(%s, ',')::bigint[])"
                    params = [",".join(map(str, chunk.tolist()))]
                else:
                    chunk = ids[start : start + size].tolist()
                    where, params = f"id IN ({', '.join(['%s'] * len(chunk))})", chunk
                cursor.execute(
                    f"SELECT id, access, published, facets FROM {ENTRY} WHERE {where}", params
                )
                for entry_id, token, day, facets in cursor.fetchall():
                    found.append(entry_id)
                    access.append(access_code(token))
                    days.append(_ordinal(day))
                    for item in facets.split():
                        code = item_code(item)
                        if code is None:
                            code = self._item_code(item)
                        pair_entry.append(entry_id)
                        pair_value.append(code)
        return Rows(
            np.array(found, dtype=np.int64),
            np.array(access, dtype=np.int16),
            np.array(days, dtype=np.int32),
            np.array(pair_entry, dtype=np.int64),
            np.array(pair_value, dtype=np.int32),
        )

    def _item_code(self, item: str) -> int:
        """The value code of a stored facet item (`facet=value`)."""
        facet, _, value = item.partition("=")
        code = self._item_codes[item] = self.value_code(facet, value)
        return code

    def _merged(self, rows: Rows):
        size = max(len(self.access), int(rows.ids.max(initial=-1)) + 1)
        access = _grown(self.access, size, -1)
        published = _grown(self.published, size, 0)
        access[rows.ids] = rows.access
        published[rows.ids] = rows.published
        pair_entry = np.concatenate([self.pair_entry, rows.pair_entry])
        pair_value = np.concatenate([self.pair_value, rows.pair_value])
        return access, published, pair_entry, pair_value

    def _store(self, rows: Rows) -> None:
        self.access, self.published, self.pair_entry, self.pair_value = self._merged(rows)
        self.loaded += len(rows.ids)

    def _forget_if_stale(self) -> None:
        # Counted again only once the rows outgrow the last count's allowance: a
        # COUNT(*) over 100,000 entries took 5-10 ms of each search that read a row.
        if self.loaded <= SLACK * self._live + 10_000:
            return
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {ENTRY}")
            self._live = cursor.fetchone()[0]
        if self.loaded > SLACK * self._live + 10_000:
            self._clear()


class View:
    """The columns as one search sees them (a consistent snapshot of the arrays)."""

    def __init__(self, columns, access, published, pair_entry, pair_value):
        # The code tables as they are now: a reset makes new ones, never changes these.
        self.access_codes, self.values = columns.access_codes, columns.values
        self.value_codes = columns.value_codes
        self.access, self.published = access, published
        self.pair_entry, self.pair_value = pair_entry, pair_value

    @property
    def size(self) -> int:
        return len(self.access)

    def mask(self, ids: np.ndarray) -> np.ndarray:
        selected = np.zeros(self.size, dtype=bool)
        selected[ids] = True
        return selected

    def visible(self, ids: np.ndarray, tokens) -> np.ndarray:
        allowed = np.zeros(len(self.access_codes) + 1, dtype=bool)  # [-1]: not loaded
        allowed[[self.access_codes[t] for t in tokens if t in self.access_codes]] = True
        return ids[allowed[self.access[ids]]]

    def having(self, facet: str, value: str) -> np.ndarray:
        """A mask of the entries with this facet value."""
        selected = np.zeros(self.size, dtype=bool)
        code = self.value_codes.get((facet, value))
        if code is not None:
            selected[self.pair_entry[self.pair_value == code]] = True
        return selected

    def values_per_entry(self, facet: str) -> np.ndarray:
        """How many values of this facet each entry has (0 for none)."""
        of_facet = np.array([name == facet for name, _value in self.values], dtype=bool)
        return np.bincount(self.pair_entry[of_facet[self.pair_value]], minlength=self.size)

    def count(self, selected: np.ndarray) -> dict[str, dict[str, int]]:
        """Facet value counts over the entries in the `selected` mask."""
        values = self.pair_value[selected[self.pair_entry]]
        counts = np.bincount(values, minlength=len(self.values))
        result: dict[str, dict[str, int]] = {}
        for code in np.flatnonzero(counts):
            facet, value = self.values[code]
            result.setdefault(facet, {})[value] = int(counts[code])
        return result

    def examples(self, selected: np.ndarray, facet: str) -> dict[str, int]:
        """One entry id per value of `facet` among the entries in `selected`."""
        of_facet = np.zeros(len(self.values), dtype=bool)
        of_facet[[code for code, (name, _value) in enumerate(self.values) if name == facet]] = True
        keep = selected[self.pair_entry] & of_facet[self.pair_value]
        entries, values = self.pair_entry[keep], self.pair_value[keep]
        codes, first = np.unique(values, return_index=True)
        return {self.values[c][1]: int(entries[i]) for c, i in zip(codes, first, strict=True)}

    def newest(self, ids: np.ndarray, count: int) -> np.ndarray:
        """The `count` first of `ids` by the day published (undated last), then id,
        descending."""
        keys = self.published[ids].astype(np.int64) * (1 << 32) + ids
        return _top(ids, keys, count)

    def ranked(self, ids: np.ndarray, scores: np.ndarray, count: int) -> np.ndarray:
        """The `count` best of `ids` by score, then day published and id, descending."""
        if not len(ids):
            return ids
        if count < len(ids):  # only the best `count` and whatever ties with the last
            threshold = np.partition(scores, len(scores) - count)[len(scores) - count]
            best = scores >= threshold
            ids, scores = ids[best], scores[best]
        order = np.lexsort((ids, self.published[ids], scores))[::-1]
        return ids[order[:count]]


def _top(ids: np.ndarray, keys: np.ndarray, count: int) -> np.ndarray:
    if count < len(ids):
        part = np.argpartition(-keys, count - 1)[:count]
        ids, keys = ids[part], keys[part]
    return ids[np.argsort(-keys, kind="stable")]


def _grown(array: np.ndarray, size: int, fill: int) -> np.ndarray:
    if size <= len(array):
        return array.copy()
    grown = np.full(max(size, int(len(array) * 1.25)), fill, dtype=array.dtype)
    grown[: len(array)] = array
    return grown


def _ordinal(date) -> int:
    if date is None:
        return 0
    if isinstance(date, str):  # SQLite hands dates over as text
        import datetime

        date = datetime.date.fromisoformat(date)
    return date.toordinal()


def parse_ids(text: str | None) -> np.ndarray:
    """Ids from a space-separated string (what group_concat/string_agg return)."""
    if not text:
        return np.zeros(0, dtype=np.int64)
    return np.fromstring(text, dtype=np.int64, sep=" ")
