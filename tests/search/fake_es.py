"""An in-memory Elasticsearch behind the real client, for the consistency scenarios.

`FakeCluster` answers the requests the backend makes (aliases, index creation and
deletion, bulk with external versioning and delete tombstones, a search that applies
the access filter and a plain word match, `index.max_result_window`). As in
Elasticsearch, a search sees an index as of its last refresh: `_refresh`, or a bulk
request with `refresh=wait_for|true`; a bulk without it is not searchable yet. It is plugged in
as the client's node class, so requests go through elasticsearch-py's own
serialisation and its errors are the real exception classes (ApiError with a status,
elastic_transport.ConnectionError for a cluster that is down).

Faults: `down` (connection refused), `fail_next` (HTTP statuses for the next
requests), `refuse` (document ids whose index operation is refused with a 400, as a
mapping error would be), `before_bulk` / `after_bulk` (callbacks run around each bulk
request, to interleave a content change with a rebuild).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

from elastic_transport import ApiResponseMeta, BaseNode, HttpHeaders
from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport._node._base import NodeApiResponse  # not re-exported

MAX_RESULT_WINDOW = 10_000


class FakeCluster:
    def __init__(self):
        self.indices: dict[str, dict[str, tuple[int | None, dict]]] = {}
        self.tombstones: dict[str, dict[str, int]] = {}
        self.searchable: dict[str, dict[str, tuple[int | None, dict]]] = {}  # last refresh
        self.aliases: dict[str, dict[str, bool]] = {}  # alias -> {index: is_write_index}
        self.synonyms: dict[str, list[dict]] = {}  # synonyms set -> rules
        self.requests: list[tuple[str, str]] = []
        self.search_windows: list[int] = []  # from + size of every search asked
        self.timeouts: list[tuple[str, float | None]] = []  # (path, request_timeout)
        self.down = False
        self.fail_next: list[int] = []
        self.refuse: set[str] = set()
        self.before_bulk: Callable[[FakeCluster], None] | None = None
        self.after_bulk: Callable[[FakeCluster], None] | None = None

    # -- what a test looks at --------------------------------------------------------------
    def behind(self, alias: str) -> list[str]:
        return sorted(self.aliases.get(alias, {}))

    def docs(self, name: str) -> dict[str, dict]:
        """id -> source in the index `name` (an alias's single index)."""
        (index,) = self.behind(name) if name in self.aliases else [name]
        return {doc_id: source for doc_id, (_v, source) in self.indices[index].items()}

    def version(self, name: str, doc_id: str) -> int | None:
        (index,) = self.behind(name) if name in self.aliases else [name]
        found = self.indices[index].get(doc_id)
        return found[0] if found else None

    def bulk_requests(self) -> int:
        return sum(1 for method, path in self.requests if path.startswith("/_bulk"))

    # -- the HTTP side ---------------------------------------------------------------------
    def handle(self, method: str, target: str, body: bytes | None) -> tuple[int, object]:
        if self.down:
            raise TransportConnectionError("Connection refused (fake cluster is down)")
        parts = urlsplit(target)
        path, query = parts.path, parse_qs(parts.query)
        self.requests.append((method, path))
        if self.fail_next:
            status = self.fail_next.pop(0)
            return status, _error("fake_failure", f"injected {status}", status)
        segments = [s for s in path.split("/") if s]
        if segments == ["_bulk"]:
            return self._bulk(body or b"", refresh=query.get("refresh", ["false"])[0])
        if len(segments) == 2 and segments[0] == "_synonyms" and method == "PUT":
            self.synonyms[segments[1]] = json.loads(body)["synonyms_set"]
            return 200, {"result": "updated"}
        if segments == ["_aliases"]:
            return self._update_aliases(json.loads(body))
        if len(segments) == 2 and segments[0] == "_alias":
            return self._get_alias(name=segments[1], head=method == "HEAD")
        if len(segments) == 2 and segments[1] == "_alias":
            return self._get_alias(index_pattern=segments[0], head=method == "HEAD")
        if len(segments) == 2 and segments[1] == "_refresh":
            self.refresh(segments[0])
            return 200, {"_shards": {"total": 1, "successful": 1, "failed": 0}}
        if len(segments) == 2 and segments[1] == "_search":
            return self._search(segments[0], json.loads(body or b"{}"))
        if len(segments) == 1 and method == "PUT":
            return self._create(segments[0], json.loads(body or b"{}"))
        if len(segments) == 1 and method == "DELETE":
            return self._delete_index(segments[0])
        if not segments:
            return 200, {"version": {"number": "8.15.0"}, "tagline": "You Know, for Search"}
        return 400, _error("fake_unsupported", f"{method} {path}", 400)

    def _create(self, name: str, body: dict):
        if name in self.indices or name in self.aliases:
            return 400, _error("resource_already_exists_exception", f"index [{name}] exists", 400)
        self.indices[name] = {}
        self.tombstones[name] = {}
        self.searchable[name] = {}
        for alias, options in (body.get("aliases") or {}).items():
            self.aliases.setdefault(alias, {})[name] = bool(options.get("is_write_index"))
        return 200, {"acknowledged": True, "index": name}

    def _delete_index(self, name: str):
        if name not in self.indices:
            return 404, _error("index_not_found_exception", f"no such index [{name}]", 404)
        del self.indices[name]
        del self.tombstones[name]
        del self.searchable[name]
        for members in self.aliases.values():
            members.pop(name, None)
        return 200, {"acknowledged": True}

    def _update_aliases(self, body: dict):
        for action in body["actions"]:
            ((kind, options),) = action.items()
            if options["index"] not in self.indices:
                return 404, _error("index_not_found_exception", options["index"], 404)
            members = self.aliases.setdefault(options["alias"], {})
            if kind == "add":
                members[options["index"]] = bool(options.get("is_write_index"))
            else:
                members.pop(options["index"], None)
        self.aliases = {alias: members for alias, members in self.aliases.items() if members}
        return 200, {"acknowledged": True}

    def _get_alias(self, name: str | None = None, index_pattern: str | None = None, head=False):
        if name is not None:
            found = {index: {"aliases": {name: {}}} for index in self.behind(name)}
        else:
            pattern = re.compile("^" + re.escape(index_pattern).replace(r"\*", ".*") + "$")
            found = {
                index: {
                    "aliases": {
                        alias: {} for alias, members in self.aliases.items() if index in members
                    }
                }
                for index in self.indices
                if pattern.match(index)
            }
        if not found:
            return 404, (None if head else {"error": "alias missing", "status": 404})
        return 200, (None if head else found)

    def _write_index(self, name: str) -> str | None:
        if name in self.indices:
            return name
        members = self.aliases.get(name, {})
        if len(members) == 1:
            return next(iter(members))
        writers = [index for index, is_writer in members.items() if is_writer]
        return writers[0] if len(writers) == 1 else None

    def refresh(self, name: str | None = None) -> None:
        """Make the writes so far searchable (in `name`, an index or alias, or all)."""
        names = self.indices if name is None else self.behind(name) or [name]
        for index in names:
            self.searchable[index] = dict(self.indices[index])

    def _bulk(self, body: bytes, refresh: str = "false"):
        if self.before_bulk:
            self.before_bulk(self)
        lines = [json.loads(line) for line in body.decode().splitlines() if line.strip()]
        items, errors, position, touched = [], False, 0, set()
        while position < len(lines):
            ((action, meta),) = lines[position].items()
            position += 1
            source = None
            if action == "index":
                source = lines[position]
                position += 1
            status, result = self._apply(action, meta, source)
            touched.add(self._write_index(meta["_index"]))
            result.update(_index=meta["_index"], _id=meta["_id"], status=status)
            errors = errors or status >= 300
            items.append({action: result})
        if refresh in ("true", "wait_for", ""):
            for index in touched - {None}:
                self.refresh(index)
        if self.after_bulk:
            self.after_bulk(self)
        return 200, {"took": 1, "errors": errors, "items": items}

    def _apply(self, action: str, meta: dict, source: dict | None) -> tuple[int, dict]:
        index = self._write_index(meta["_index"])
        if index is None:
            reason = f"no write index is defined for alias [{meta['_index']}]"
            return 400, {"error": {"type": "illegal_argument_exception", "reason": reason}}
        doc_id = meta["_id"]
        if action == "index" and doc_id in self.refuse:
            reason = "failed to parse field [body]"
            return 400, {"error": {"type": "mapper_parsing_exception", "reason": reason}}
        docs, tombstones = self.indices[index], self.tombstones[index]
        version = meta.get("version")
        current = docs[doc_id][0] if doc_id in docs else tombstones.get(doc_id)
        if meta.get("version_type") == "external" and current is not None and version <= current:
            reason = f"[{doc_id}]: version conflict, current version [{current}] is higher"
            return 409, {"error": {"type": "version_conflict_engine_exception", "reason": reason}}
        if action == "index":
            docs[doc_id] = (version, source)
            return 201, {"result": "created"}
        existed = docs.pop(doc_id, None) is not None
        if version is not None:
            tombstones[doc_id] = version
        return (200, {"result": "deleted"}) if existed else (404, {"result": "not_found"})

    def _search(self, name: str, body: dict):
        self.search_windows.append(body.get("from", 0) + body.get("size", 10))
        if body.get("from", 0) + body.get("size", 10) > MAX_RESULT_WINDOW:
            reason = "Result window is too large, from + size must be less than or equal to"
            return 400, _error("illegal_argument_exception", f"{reason}: [10000]", 400)
        indices = self.behind(name) if name in self.aliases else [name]
        if not indices or any(index not in self.indices for index in indices):
            return 404, _error("index_not_found_exception", name, 404)
        access = _find(body.get("query", {}), "access") or []
        words, operator = _match_words(body.get("query", {}))
        hits = []
        for index in indices:
            for doc_id, (_version, source) in sorted(self.searchable[index].items()):
                if source.get("access") not in access:
                    continue
                text = " ".join(
                    str(source.get(f) or "") for f in ("title", "body", "extra", "meta")
                ).lower()
                found = [word in text for word in words]
                if words and not (all(found) if operator == "and" else any(found)):
                    continue
                hits.append({"_index": index, "_id": doc_id, "_score": 1.0, "_source": source})
        start, size = body.get("from", 0), body.get("size", 10)
        return 200, {
            "took": 1,
            "timed_out": False,
            "hits": {
                "total": {"value": len(hits), "relation": "eq"},
                "hits": hits[start : start + size],
            },
            "aggregations": {},
        }


def _error(kind: str, reason: str, status: int) -> dict:
    return {"error": {"type": kind, "reason": reason, "root_cause": []}, "status": status}


def _find(node, field: str):
    """The value list of the first {"terms": {field: [...]}} in a query."""
    if isinstance(node, dict):
        terms = node.get("terms")
        if isinstance(terms, dict) and field in terms:
            return terms[field]
        for value in node.values():
            found = _find(value, field)
            if found is not None:
                return found
    elif isinstance(node, list):
        for value in node:
            found = _find(value, field)
            if found is not None:
                return found
    return None


def _match_words(node) -> tuple[list[str], str]:
    if isinstance(node, dict):
        multi = node.get("multi_match")
        if isinstance(multi, dict):
            return multi["query"].lower().split(), multi.get("operator", "or")
        for value in node.values():
            words, operator = _match_words(value)
            if words:
                return words, operator
    elif isinstance(node, list):
        for value in node:
            words, operator = _match_words(value)
            if words:
                return words, operator
    return [], "or"


def node_class(cluster: FakeCluster) -> type[BaseNode]:
    class FakeNode(BaseNode):
        def perform_request(self, method, target, body=None, headers=None, request_timeout=None):
            cluster.timeouts.append((target.split("?")[0], request_timeout))
            status, data = cluster.handle(method, target, body)
            raw = b"" if data is None else json.dumps(data).encode()
            headers = HttpHeaders(
                {"content-type": "application/json", "x-elastic-product": "Elasticsearch"}
            )
            meta = ApiResponseMeta(
                status=status, http_version="1.1", headers=headers, duration=0.0, node=self.config
            )
            return NodeApiResponse(meta, raw)

    return FakeNode


def install(backend, cluster: FakeCluster) -> None:
    """Point an ElasticsearchBackend's client at `cluster`."""
    from elasticsearch import Elasticsearch

    backend.client = Elasticsearch(
        "http://127.0.0.1:9200", node_class=node_class(cluster), request_timeout=5, max_retries=0
    )
