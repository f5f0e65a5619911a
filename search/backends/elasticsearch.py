"""The Elasticsearch backend: bulk writes to an alias, searches with aggregations,
highlights and a visibility-safe phrase suggester, and rebuilds into a fresh index
followed by an atomic alias swap (no downtime).

Every call goes through `self.client` (an elasticsearch.Elasticsearch), so tests
replace its methods and check the dicts that would be sent.
"""

from __future__ import annotations

import datetime
import re
import uuid
from collections.abc import Sequence

from django.utils.html import escape

from .. import analysis
from ..query import FACETS, Hit, ParsedQuery, SearchRequest, SearchResult
from . import es_schema
from .base import SearchBackend

BULK_CHUNK = 500
_LAST_WORD = re.compile(r"([^\W_]+)$")


class ElasticsearchError(RuntimeError):
    pass


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, url: str, prefix: str, shards: int = 1, replicas: int = 1, timeout: int = 5):
        from elasticsearch import Elasticsearch

        self.alias = prefix
        self.shards = shards
        self.replicas = replicas
        # Tests set "wait_for" so a write is searchable when the call returns.
        self.refresh: bool | str = False
        self.client = Elasticsearch(url, request_timeout=timeout, max_retries=1)
        self._alias_checked = False

    # -- index management ------------------------------------------------------------------
    def index_body(self, name: str) -> dict:
        return es_schema.index_body(name, self.shards, self.replicas)

    def _create_index(self) -> str:
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d%H%M%S")
        name = f"{self.alias}-{stamp}-{uuid.uuid4().hex[:6]}"
        body = self.index_body(name)
        self.client.indices.create(index=name, settings=body["settings"], mappings=body["mappings"])
        return name

    def ensure_alias(self) -> None:
        """Create a first index behind the alias, so writes work before any rebuild."""
        if self._alias_checked:
            return
        if not self.client.indices.exists_alias(name=self.alias):
            name = self._create_index()
            self.client.indices.update_aliases(
                actions=[{"add": {"index": name, "alias": self.alias}}]
            )
        self._alias_checked = True

    def begin_rebuild(self) -> str:
        return self._create_index()

    def finish_rebuild(self, name: str) -> None:
        """Point the alias at the new index in one atomic call, then drop the old ones."""
        self.client.indices.refresh(index=name)
        old = self._indices_behind_alias()
        actions = [{"remove": {"index": index, "alias": self.alias}} for index in old]
        actions.append({"add": {"index": name, "alias": self.alias}})
        self.client.indices.update_aliases(actions=actions)
        for index in old:
            if index != name:
                self.client.indices.delete(index=index)
        self._alias_checked = True

    def _indices_behind_alias(self) -> list[str]:
        from elasticsearch import NotFoundError

        try:
            return sorted(self.client.indices.get_alias(name=self.alias).keys())
        except NotFoundError:
            return []

    # -- writing -----------------------------------------------------------------------------
    def write(self, records: Sequence, index: str | None = None) -> None:
        if index is None:
            self.ensure_alias()
        target = index or self.alias
        operations = []
        for record in records:
            doc_id = es_schema.document_id(*record.ref)
            operations.append({"index": {"_index": target, "_id": doc_id}})
            operations.append(es_schema.source(record))
        self._bulk(operations)

    def delete(self, refs: Sequence[tuple[str, str]]) -> None:
        self.ensure_alias()
        operations = [
            {"delete": {"_index": self.alias, "_id": es_schema.document_id(t, i)}} for t, i in refs
        ]
        self._bulk(operations)

    def _bulk(self, operations: list[dict]) -> None:
        step = BULK_CHUNK * 2 if any("index" in op for op in operations[:1]) else BULK_CHUNK
        for start in range(0, len(operations), step):
            response = self.client.bulk(
                operations=operations[start : start + step], refresh=self.refresh
            )
            _raise_bulk_errors(response)

    # -- reading -----------------------------------------------------------------------------
    def search(self, request: SearchRequest) -> SearchResult:
        body = es_schema.build_search(request, self.alias).to_dict()
        response = self.client.search(index=self.alias, body=body)
        return parse_response(_body(response), request)

    def suggest(self, query: ParsedQuery, access: frozenset[str]) -> str | None:
        if not query.words:
            return None
        text = " ".join(query.surface)
        response = _body(
            self.client.search(index=self.alias, body=es_schema.suggest_body(text, access))
        )
        return parse_suggestion(response, text, query)

    def autocomplete(self, text: str, access: frozenset[str], limit: int = 8) -> list[str]:
        match = _LAST_WORD.search(text or "")
        if not match:
            return []
        key = analysis.vocabulary_key(match.group(1))
        if len(key) < 2:
            return []
        body = es_schema.autocomplete_body(key, access, limit)
        response = _body(self.client.search(index=self.alias, body=body))
        buckets = response.get("aggregations", {}).get("completions", {}).get("buckets", [])
        head = text[: match.start()]
        return [head + bucket["key"].split("|", 1)[-1] for bucket in buckets]

    def counts(self) -> dict[str, int]:
        body = {"size": 0, "aggs": {"types": {"terms": {"field": "type", "size": 100}}}}
        response = _body(self.client.search(index=self.alias, body=body))
        buckets = response.get("aggregations", {}).get("types", {}).get("buckets", [])
        return {bucket["key"]: bucket["doc_count"] for bucket in buckets}


def _body(response) -> dict:
    """The client returns an ObjectApiResponse; tests return plain dicts."""
    return response.body if hasattr(response, "body") else response


def _raise_bulk_errors(response) -> None:
    response = _body(response)
    if not response.get("errors"):
        return
    for item in response.get("items", []):
        ((action, result),) = item.items()
        # Deleting what is not there is what we wanted anyway.
        if action == "delete" and result.get("status") == 404:
            continue
        if result.get("error"):
            raise ElasticsearchError(f"Bulk {action} failed: {result['error']}")


def parse_response(response: dict, request: SearchRequest) -> SearchResult:
    hits = []
    for raw in response.get("hits", {}).get("hits", []):
        source = raw.get("_source", {})
        hits.append(
            Hit(
                type=source.get("type", ""),
                object_id=source.get("object_id", ""),
                title=source.get("title", ""),
                url=source.get("url", ""),
                snippet=_snippet(raw, source),
                municipalities=source.get("municipalities") or [],
                topics=source.get("topics") or [],
                date=datetime.date.fromisoformat(source["date"][:10])
                if source.get("date")
                else None,
                external_id=source.get("external_id"),
                project_key=source.get("project_key") or "",
                project_title=source.get("project_title") or "",
            )
        )
    aggregations = response.get("aggregations", {})
    facets: dict[str, dict[str, int]] = {}
    titles: dict[str, str] = {}
    for facet in FACETS:
        buckets = aggregations.get(facet, {}).get("values", {}).get("buckets", [])
        facets[facet] = {str(b["key"]): b["doc_count"] for b in buckets}
        if facet == "project":
            for bucket in buckets:
                title_buckets = bucket.get("title", {}).get("buckets", [])
                if title_buckets:
                    titles[str(bucket["key"])] = title_buckets[0]["key"]
    total = response.get("hits", {}).get("total", {})
    total = total.get("value", 0) if isinstance(total, dict) else int(total or 0)
    return SearchResult(total, hits, facets, "elasticsearch", project_titles=titles)


def _snippet(raw: dict, source: dict) -> str:
    highlight = raw.get("highlight", {})
    for field in ("body", "extra"):
        fragments = highlight.get(field)
        if fragments and "<mark>" in fragments[0]:
            return fragments[0].strip()
    for field in ("body", "extra"):
        if highlight.get(field):
            return highlight[field][0].strip()
    return escape((source.get("body") or "")[: es_schema.SNIPPET_CHARS])


def parse_suggestion(response: dict, text: str, query: ParsedQuery) -> str | None:
    entries = response.get("suggest", {}).get("didyoumean", [])
    for entry in entries:
        for option in entry.get("options", []):
            suggestion = option.get("text", "").strip()
            if suggestion and suggestion.lower() != text.lower():
                phrases = [f'"{p}"' for p in query.phrase_texts]
                return " ".join([suggestion, *phrases])
    return None
