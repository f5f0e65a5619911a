"""Wagtail's own search backend (admin search, the open data API's `search=`), fed
words only.

Wagtail's database backend hands a query string to SQLite's FTS5 MATCH or PostgreSQL's
tsquery, whose own syntax a person did not mean: an unmatched quote, `NEAR(`, `*` or a
NUL byte makes the database refuse the statement, and the request fails. Here every
query is reduced to its words before it reaches the backend (a phrase stays a phrase
of words), so no input can be read as syntax. Configured in WAGTAILSEARCH_BACKENDS.
"""

from __future__ import annotations

import re

from wagtail.search.backends import database
from wagtail.search.query import Phrase, PlainText

_WORD = re.compile(r"\w+")


def words_only(query):
    if isinstance(query, str):
        return " ".join(_WORD.findall(query))
    if isinstance(query, PlainText):
        return PlainText(words_only(query.query_string), query.operator, query.boost)
    if isinstance(query, Phrase):
        return Phrase(words_only(query.query_string))
    return query


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    backend = database.SearchBackend(params)
    search = backend._search

    def _search(compiler_class, query, model_or_queryset, **kwargs):
        query = words_only(query)
        if (isinstance(query, str) and not query) or (
            isinstance(query, PlainText | Phrase) and not query.query_string
        ):
            from wagtail.search.backends.base import EmptySearchResults

            return EmptySearchResults()
        return search(compiler_class, query, model_or_queryset, **kwargs)

    backend._search = _search
    return backend
