"""The Elasticsearch backend: bulk writes to an alias, searches with aggregations,
highlights and a visibility-safe phrase suggester, and rebuilds into a fresh index
followed by an atomic alias swap (no downtime).

Every call goes through `self.client` (an elasticsearch.Elasticsearch), so tests
replace its methods and check the dicts that would be sent.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import logging
import re
import threading
import time
import uuid
from collections.abc import Sequence

from django.utils.html import escape

from .. import analysis
from ..query import FACETS, Hit, ParsedQuery, SearchRequest, SearchResult
from ..snippets import keep_lines_apart
from . import es_schema
from .base import SearchBackend, SendTooLate

logger = logging.getLogger(__name__)

BULK_CHUNK = 500
# A bulk request is cut at this many bytes of documents as well (attachments are long).
BULK_MAX_BYTES = 8 * 1024 * 1024


class ElasticsearchError(RuntimeError):
    """A bulk request's items failed for reasons of the cluster (status 429 or 5xx);
    `status` lets backends.is_outage treat it like the HTTP error it stands for."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(
        self,
        url: str,
        prefix: str,
        shards: int = 1,
        replicas: int = 1,
        timeout: int = 5,
        bulk_timeout: int = 60,
        connection: dict | None = None,
    ):
        from elasticsearch import Elasticsearch

        self.alias = prefix
        self.shards = shards
        self.replicas = replicas
        self.bulk_timeout = bulk_timeout
        self.timeout = timeout
        self._local = threading.local()
        # Tests set "wait_for" so a write is searchable when the call returns.
        self.refresh: bool | str = False
        self.client = Elasticsearch(
            url, request_timeout=timeout, max_retries=1, **(connection or {})
        )
        self._alias_checked = False

    def _long(self):
        """The client for bulk writes and index management: a longer timeout, and
        retries on timeout (safe, since every document write carries its version);
        inside `quick()`, the search timeout and no retries."""
        if getattr(self._local, "quick", False):
            return self.client.options(request_timeout=self.timeout, max_retries=0)
        return self.client.options(
            request_timeout=self.bulk_timeout, max_retries=2, retry_on_timeout=True
        )

    @contextlib.contextmanager
    def quick(self):
        """Writes in this thread use the search timeout without retries: for a send made
        while a visitor waits (backends._kick with in-process tasks)."""
        self._local.quick = True
        try:
            yield self
        finally:
            self._local.quick = False

    # -- index management ------------------------------------------------------------------
    def index_body(self, name: str) -> dict:
        return es_schema.index_body(
            name, self.shards, self.replicas, es_schema.synonyms_set_name(self.alias)
        )

    def put_synonyms(self) -> bool:
        """Send the editors' synonym groups as the synonyms set the search analyzer
        reads (created before any index that uses it). A failure is logged: the set
        is sent again with the next index created and the next change of a group."""
        from ..expansion import synonym_rules

        try:
            self._long().synonyms.put_synonym(
                id=es_schema.synonyms_set_name(self.alias), synonyms_set=synonym_rules()
            )
            return True
        except Exception:
            logger.exception("Could not send the synonym groups to Elasticsearch")
            return False

    @property
    def first_index(self) -> str:
        return f"{self.alias}-initial"

    def _create_index(self, name: str, aliases: dict | None = None) -> str:
        self.put_synonyms()
        body = self.index_body(name)
        extra = {"aliases": aliases} if aliases else {}
        self._long().indices.create(
            index=name, settings=body["settings"], mappings=body["mappings"], **extra
        )
        return name

    def ensure_alias(self) -> None:
        """Create a first index behind the alias, so writes work before any rebuild.

        The first index has a fixed name and gets the alias in the same request, so two
        processes doing this at once end with one index behind the alias: the second
        is told the index exists."""
        from elasticsearch import BadRequestError

        if self._alias_checked:
            return
        if not self.client.indices.exists_alias(name=self.alias):
            try:
                self._create_index(self.first_index, {self.alias: {"is_write_index": True}})
            except BadRequestError as exc:
                if exc.error != "resource_already_exists_exception":
                    raise
                if not self.client.indices.exists_alias(name=self.alias):
                    self._long().indices.update_aliases(
                        actions=[{"add": {"index": self.first_index, "alias": self.alias}}]
                    )
        self._alias_checked = True

    def begin_rebuild(self) -> str:
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d%H%M%S")
        return self._create_index(f"{self.alias}-{stamp}-{uuid.uuid4().hex[:6]}")

    def finish_rebuild(self, name: str) -> list[str]:
        """Point the alias at the new index in one atomic call; returns the indices it
        left (the caller drops them once the swap is recorded)."""
        long = self._long()
        long.indices.refresh(index=name)
        old = self.indices_behind_alias()
        actions = [{"remove": {"index": index, "alias": self.alias}} for index in old]
        actions.append({"add": {"index": name, "alias": self.alias}})
        long.indices.update_aliases(actions=actions)
        self._alias_checked = True
        return [index for index in old if index != name]

    def drop_index(self, name: str) -> None:
        from elasticsearch import NotFoundError

        try:
            self._long().indices.delete(index=name)
        except NotFoundError:
            pass

    def delete_orphans(self, keep: str = "", spare_seconds: int = 0) -> list[str]:
        """Delete our indices that no alias points at (left by failed rebuilds), except
        `keep` (the rebuild running now) and those made in the last `spare_seconds`
        (a rebuild started at the same moment, about to claim its index). Only names
        this backend makes are touched."""
        from elasticsearch import NotFoundError

        pattern = re.compile(rf"^{re.escape(self.alias)}-(initial|(\d{{14}})-[0-9a-f]{{6}})$")
        try:
            indices = _body(self.client.indices.get_alias(index=f"{self.alias}-*"))
        except NotFoundError:
            return []
        now = datetime.datetime.now(datetime.UTC)
        orphans = []
        for name, info in sorted(indices.items()):
            match = pattern.match(name)
            if not match or name == keep or self.alias in info.get("aliases", {}):
                continue
            if match.group(2):
                made = datetime.datetime.strptime(match.group(2), "%Y%m%d%H%M%S")
                if (now - made.replace(tzinfo=datetime.UTC)).total_seconds() < spare_seconds:
                    continue
            orphans.append(name)
        for name in orphans:
            self.drop_index(name)
        return orphans

    def indices_behind_alias(self) -> list[str]:
        from elasticsearch import NotFoundError

        try:
            return sorted(self.client.indices.get_alias(name=self.alias).keys())
        except NotFoundError:
            return []

    # -- writing -----------------------------------------------------------------------------
    def send(
        self,
        records: Sequence,
        gone: Sequence[tuple[str, str]],
        *,
        version: int,
        also: Sequence[str] = (),
        deadline: float | None = None,
    ) -> dict[tuple[str, str], str]:
        """Write `records` and delete `gone`, in the alias's index and in `also` (a
        rebuild's new index), all with external version `version`. Returns the
        documents Elasticsearch refused, with its reason; raises on an outage.

        Returns only once the changes are searchable (`refresh=wait_for`): the caller
        then deletes their outbox rows, and searches go back to Elasticsearch, which
        must not serve the old copy for another refresh interval. No bulk request
        starts after `deadline` (time.monotonic()): SendTooLate, the rows stay queued."""
        self.ensure_alias()
        operations = []
        for target in [self.alias, *also]:
            operations += _index_operations(records, target, version)
            operations += _delete_operations(gone, target, version)
        return self._bulk(operations, refresh="wait_for", deadline=deadline)

    def write(
        self,
        records: Sequence,
        index: str | None = None,
        version: int | None = None,
        deadline: float | None = None,
        **_,
    ) -> dict[tuple[str, str], str]:
        if index is None:
            self.ensure_alias()
        operations = _index_operations(records, index or self.alias, version)
        return self._bulk(operations, deadline=deadline)

    def delete(
        self, refs: Sequence[tuple[str, str]], version: int | None = None
    ) -> dict[tuple[str, str], str]:
        self.ensure_alias()
        return self._bulk(_delete_operations(refs, self.alias, version))

    def _bulk(
        self,
        operations: list[tuple[dict, dict | None]],
        refresh: bool | str | None = None,
        deadline: float | None = None,
    ) -> dict[tuple[str, str], str]:
        refused: dict[tuple[str, str], str] = {}
        for chunk in _chunks(operations):
            if deadline is not None and time.monotonic() > deadline:
                raise SendTooLate("the send's version is too old to write with")
            flat = [part for action, source in chunk for part in (action, source) if part]
            response = self._long().bulk(
                operations=flat, refresh=self.refresh if refresh is None else refresh
            )
            refused.update(_refusals(response))
        return refused

    # -- reading -----------------------------------------------------------------------------
    def search(self, request: SearchRequest) -> SearchResult:
        self.ensure_alias()  # a new cluster answers "no results", not "no such index"
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
        match = analysis.LAST_WORD.search(text or "")
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


def _index_operations(records: Sequence, target: str, version: int | None) -> list:
    operations = []
    for record in records:
        action = {"_index": target, "_id": es_schema.document_id(*record.ref)}
        if version is not None:
            action.update(version=version, version_type="external")
        operations.append(({"index": action}, es_schema.source(record)))
    return operations


def _delete_operations(refs: Sequence[tuple[str, str]], target: str, version: int | None) -> list:
    operations = []
    for type_key, object_id in refs:
        action = {"_index": target, "_id": es_schema.document_id(type_key, object_id)}
        if version is not None:
            action.update(version=version, version_type="external")
        operations.append(({"delete": action}, None))
    return operations


def _chunks(operations: list) -> list[list]:
    """Bulk requests of at most BULK_CHUNK documents and about BULK_MAX_BYTES."""
    chunks, chunk, size = [], [], 0
    for action, source in operations:
        weight = len(json.dumps(source, ensure_ascii=False).encode()) if source else 100
        if chunk and (len(chunk) >= BULK_CHUNK or size + weight > BULK_MAX_BYTES):
            chunks.append(chunk)
            chunk, size = [], 0
        chunk.append((action, source))
        size += weight
    if chunk:
        chunks.append(chunk)
    return chunks


def _refusals(response) -> dict[tuple[str, str], str]:
    """The documents a bulk response refused. A version conflict means a newer version
    is already there, and deleting what is not there is what we wanted: both are done.
    Items refused with 429 or a 5xx are the cluster's trouble: ElasticsearchError."""
    response = _body(response)
    refused: dict[tuple[str, str], str] = {}
    if not response.get("errors"):
        return refused
    for item in response.get("items", []):
        ((action, result),) = item.items()
        status = result.get("status", 200)
        if status < 300 or status == 409 or (action == "delete" and status == 404):
            continue
        error = result.get("error") or f"status {status}"
        if status == 429 or status >= 500:
            raise ElasticsearchError(f"Bulk {action} failed: {error}", status=status)
        doc_type, _, object_id = str(result.get("_id", "")).partition(":")
        refused[(doc_type, object_id)] = f"{action} {status}: {error}"
    return refused


def _day(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value[:10]) if value else None


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
                title_html=_title_html(raw, source),
                municipalities=source.get("municipalities") or [],
                topics=source.get("topics") or [],
                date=_day(source.get("date")),
                external_id=source.get("external_id"),
                project_key=source.get("project_key") or "",
                project_title=source.get("project_title") or "",
                published=_day(source.get("published") or source.get("date")),
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


def _title_html(raw: dict, source: dict) -> str:
    """The whole title with its matches marked (`number_of_fragments: 0`), else
    escaped."""
    fragments = raw.get("highlight", {}).get("title")
    if fragments and "<mark>" in fragments[0]:
        return fragments[0].strip()
    return escape(source.get("title") or "")


def _snippet(raw: dict, source: dict) -> str:
    highlight = raw.get("highlight", {})
    for field in ("body", "extra"):
        fragments = highlight.get(field)
        if fragments and "<mark>" in fragments[0]:
            return keep_lines_apart(fragments[0].strip())
    for field in ("body", "extra"):
        if highlight.get(field):
            return keep_lines_apart(highlight[field][0].strip())
    return keep_lines_apart(escape((source.get("body") or "")[: es_schema.SNIPPET_CHARS]).strip())


def parse_suggestion(response: dict, text: str, query: ParsedQuery) -> str | None:
    """The phrase suggester's best option, with the query's words of the field (a
    synonym group's, a named municipality's: `ParsedQuery.is_field_word`) kept as typed,
    as the database backends keep them; None if nothing else is changed."""
    entries = response.get("suggest", {}).get("didyoumean", [])
    for entry in entries:
        for option in entry.get("options", []):
            suggestion = _keep_field_words(option.get("text", "").strip(), query)
            if suggestion and suggestion.lower() != text.lower():
                phrases = [f'"{p}"' for p in query.phrase_texts]
                return " ".join([suggestion, *phrases])
    return None


def _keep_field_words(suggestion: str, query: ParsedQuery) -> str:
    field = [index for index in range(len(query.words)) if query.is_field_word(index)]
    if not field or not suggestion:
        return suggestion
    words = suggestion.split()
    if len(words) != len(query.surface):
        return ""  # words joined or split: which one is the field's cannot be told
    for index in field:
        words[index] = query.surface[index]
    return " ".join(words)
