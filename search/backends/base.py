"""The one interface every search backend implements.

Backends receive analysed records (indexing.IndexRecord) to store and a parsed
SearchRequest to answer; everything that decides *who* may see *what* has already
been turned into the request's `access` tokens, and a backend must compute
results, totals, facets, snippets, suggestions and completions only over
documents whose access token is among them.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence

from ..query import ParsedQuery, SearchRequest, SearchResult


class SearchBackend(ABC):
    name: str = ""

    @abstractmethod
    def write(self, records: Sequence) -> None:
        """Index (or replace) these records."""

    @abstractmethod
    def delete(self, refs: Sequence[tuple[str, str]]) -> None:
        """Remove the documents with these (type, object id) keys; unknown keys are fine."""

    @abstractmethod
    def search(self, request: SearchRequest) -> SearchResult:
        """One page of hits with snippets, the total and the facet counts."""

    @abstractmethod
    def suggest(self, query: ParsedQuery, access: frozenset[str]) -> str | None:
        """A corrected query ("Mente du") from words the user may see, or None."""

    @abstractmethod
    def autocomplete(self, text: str, access: frozenset[str], limit: int = 8) -> list[str]:
        """Completions of the last word of `text`, most frequent first."""

    @abstractmethod
    def counts(self) -> dict[str, int]:
        """Documents per type."""


class SendTooLate(RuntimeError):
    """A send reached its deadline before its next bulk request: its version is too old
    to be sure Elasticsearch still holds every newer delete's tombstone."""
