"""From content to index: turning documents into analysed records and writing them
to the database index (always) and to Elasticsearch (when configured).

Elasticsearch is fed through an outbox (PendingWrite) written in the same transaction
as the database index, and sent after the commit with external versions, so it can
lag behind but never keeps an older state than it was last sent. docs/search.md,
"Consistency", says what a reader sees meanwhile.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from . import analysis, backends, labels, registry
from .backends.base import SendTooLate
from .registry import SearchDocument

logger = logging.getLogger(__name__)
# Attachments can be whole reports; beyond this much text per field we stop indexing.
MAX_FIELD_CHARS = 200_000
BATCH_SIZE = 500


@dataclass
class IndexRecord:
    """A document with everything the backends store: its analysed terms, the
    regions of its municipalities and the metadata text that makes a search for
    "Aarhus" or "sygedagpenge" find content tagged with them."""

    doc: SearchDocument
    regions: list[str]
    meta: str
    title_terms: list[str]
    body_terms: list[str]
    extra_terms: list[str]
    meta_terms: list[str]
    parts: list[str]
    vocabulary: set[str] = field(default_factory=set)

    @property
    def ref(self) -> tuple[str, str]:
        return (self.doc.type, self.doc.object_id)


def prepare(doc: SearchDocument) -> IndexRecord:
    doc = _trimmed(doc)
    municipalities = labels.municipalities()
    known = [code for code in dict.fromkeys(doc.municipalities) if code in municipalities]
    regions = list(dict.fromkeys(municipalities[code].region_code for code in known))
    topic_names = labels.topics()
    meta_parts = [labels.type_labels().get(doc.type, "")]
    meta_parts += [municipalities[code].name for code in known]
    meta_parts += [topic_names.get(slug, "") for slug in doc.topics]
    meta_parts.append(doc.project_title)
    meta = " ".join(p for p in meta_parts if p)
    title = analysis.analyze(doc.title, vocabulary=True)
    body = analysis.analyze(doc.body, vocabulary=True)
    extra = analysis.analyze(doc.extra, vocabulary=True)
    return IndexRecord(
        doc=doc,
        regions=regions,
        meta=meta,
        title_terms=title.terms,
        body_terms=body.terms,
        extra_terms=extra.terms,
        meta_terms=analysis.terms(meta),
        parts=list(dict.fromkeys(title.parts + body.parts + extra.parts)),
        vocabulary=title.vocabulary | body.vocabulary | extra.vocabulary,
    )


def _trimmed(doc: SearchDocument) -> SearchDocument:
    if len(doc.body) <= MAX_FIELD_CHARS and len(doc.extra) <= MAX_FIELD_CHARS:
        return doc
    from dataclasses import replace

    return replace(doc, body=doc.body[:MAX_FIELD_CHARS], extra=doc.extra[:MAX_FIELD_CHARS])


# -- keeping the index in step with content ---------------------------------------------
def reindex(type_key: str, object_id: str) -> None:
    """Index the current state of one object, or remove it when it is not indexable."""
    search_type = registry.get_type(type_key)
    if search_type is None:
        logger.warning("Reindex of unregistered search type %s", type_key)
        return
    doc = document_for(search_type, search_type.load(object_id))
    if doc is None:
        remove_documents([(type_key, str(object_id))])
    else:
        index_documents([doc])


def reindex_many(type_key: str, object_ids: list[str]) -> None:
    """`reindex` for many objects of one type: loaded in one go, indexed in one write."""
    search_type = registry.get_type(type_key)
    if search_type is None:
        logger.warning("Reindex of unregistered search type %s", type_key)
        return
    objects = search_type.load_many(object_ids)
    docs, gone = [], []
    for object_id in object_ids:
        doc = document_for(search_type, objects.get(str(object_id)))
        if doc is None:
            gone.append((type_key, str(object_id)))
        else:
            docs.append(doc)
    index_documents(docs)
    remove_documents(gone)


def remove(type_key: str, object_id: str) -> None:
    remove_documents([(type_key, str(object_id))])


def document_for(search_type: registry.SearchType, obj) -> SearchDocument | None:
    if obj is None:
        return None
    doc = search_type.to_document(obj)
    if doc is not None and doc.type != search_type.key:
        raise ValueError(f"{search_type.key} produced a document of type {doc.type}")
    return doc


def index_documents(docs: Iterable[SearchDocument]) -> int:
    records = [prepare(doc) for doc in docs]
    if not records:
        return 0
    with transaction.atomic():
        backends.database_backend().write(records)
        _queue_for_elasticsearch([r.ref for r in records])
    return len(records)


def remove_documents(refs: Iterable[tuple[str, str]]) -> None:
    refs = [(t, str(i)) for t, i in refs]
    if not refs:
        return
    with transaction.atomic():
        backends.database_backend().delete(refs)
        _queue_for_elasticsearch(refs)


# -- Elasticsearch: the outbox and its sender ----------------------------------------------
#
# Every change of the database index adds outbox rows (PendingWrite) in the same
# transaction, and after the commit a task sends them (`replay_pending`). The sender
# takes a version from ElasticsearchState while it loads the documents, so Elasticsearch
# (external versioning) keeps the newest content whatever order writes arrive in: a
# rebuild batch and a concurrent edit, two workers, a retried bulk request.
# While any row waits, searches are answered from the database index
# (backends.reader), which is always exactly current.

# After this many refusals of one document it is taken out of Elasticsearch and set aside.
MAX_ATTEMPTS = 5
RETRY_BASE_SECONDS = 30
# A rebuild renews its lease with every batch; one not seen for this long is taken for
# dead: senders stop writing to its index and it may not swap the alias.
REBUILD_STALE_SECONDS = 15 * 60
# A sender does not start a bulk request later than this after it took its version, so
# with the bulk timeout and retries (3 x ELASTICSEARCH_BULK_TIMEOUT) every write lands
# well within the index's `gc_deletes` (es_schema.GC_DELETES, 10 minutes): a delete's
# tombstone is still there to refuse an older version of the document.
SEND_DEADLINE_SECONDS = 4 * 60


def _queue_for_elasticsearch(refs: list[tuple[str, str]]) -> None:
    """Outbox rows for `refs`, in the caller's transaction; the send follows the commit."""
    if backends.elasticsearch_backend() is None:
        return
    from .models import PendingWrite

    PendingWrite.objects.bulk_create(
        [PendingWrite(type=type_key, object_id=object_id) for type_key, object_id in refs]
    )
    transaction.on_commit(_enqueue_send, robust=True)


def _enqueue_send() -> None:
    """After a commit: send the outbox now (inline on the embedded default, else by a
    worker). If Elasticsearch is in its back-off, the rows wait for the next kick."""
    if not backends.elasticsearch_available():
        return
    from .tasks import replay_pending_task

    replay_pending_task.enqueue()


def next_version() -> tuple[int, str]:
    """Take the next Elasticsearch version, and the index a rebuild is writing (or "").

    Call it inside the transaction that then loads the documents to send: on
    PostgreSQL the UPDATE locks the state row until that transaction ends, and SQLite
    transactions are IMMEDIATE, so each version's content is at least as new as every
    lower version's. The clock never goes below the wall clock in microseconds, so a
    fresh database never sends versions lower than those an old index already holds."""
    from django.db.models import F, Value
    from django.db.models.functions import Greatest

    from .models import ElasticsearchState

    assert transaction.get_connection().in_atomic_block, "next_version needs a transaction"
    now = int(time.time() * 1_000_000)
    updated = ElasticsearchState.objects.filter(pk=1).update(
        version=Greatest(F("version") + 1, Value(now))
    )
    if not updated:
        ElasticsearchState.objects.get_or_create(pk=1, defaults={"version": now})
    state = ElasticsearchState.objects.get(pk=1)
    return state.version, _live_rebuild_index(state)


def _live_rebuild_index(state) -> str:
    if not state.rebuild_index or state.rebuild_seen_at is None:
        return ""
    age = (timezone.now() - state.rebuild_seen_at).total_seconds()
    return state.rebuild_index if age < REBUILD_STALE_SECONDS else ""


def waiting_writes() -> int:
    """Outbox rows not yet in Elasticsearch (set-aside ones excluded)."""
    from .models import PendingWrite

    return PendingWrite.objects.filter(failed_at__isnull=True).count()


def writes_waiting() -> bool:
    """Whether any outbox row is not yet in Elasticsearch (one indexed EXISTS)."""
    from .models import PendingWrite

    return PendingWrite.objects.filter(failed_at__isnull=True).exists()


def replay_pending(limit: int = BATCH_SIZE, *, retry_failed: bool = False) -> int:
    """Send the outbox to Elasticsearch, batch by batch, from current content; returns
    how many rows still wait. Stops at the first outage (the breaker opens)."""
    es = backends.elasticsearch_backend()
    if es is None:
        return waiting_writes()
    if retry_failed:
        _unset_failed()
    while backends.elasticsearch_available():
        if not _send_batch(es, limit):
            break
    return waiting_writes()


def send_one_batch(es) -> None:
    """One batch of the outbox, now (a search found writes waiting, and no worker)."""
    if backends.elasticsearch_available():
        _send_batch(es, BATCH_SIZE)


def _unset_failed() -> None:
    from .models import PendingWrite

    PendingWrite.objects.filter(failed_at__isnull=False).update(
        failed_at=None, attempts=0, next_attempt_at=timezone.now()
    )


@dataclass
class _Key:
    newest_id: int
    attempts: int


def _send_batch(es, limit: int) -> bool:
    """Send up to `limit` due rows; True when there may be more to send now."""
    from .models import PendingWrite

    rows = list(
        PendingWrite.objects.filter(failed_at__isnull=True, next_attempt_at__lte=timezone.now())
        .order_by("id")
        .values_list("id", "type", "object_id", "attempts")[:limit]
    )
    if not rows:
        return False
    keys: dict[tuple[str, str], _Key] = {}
    for row_id, type_key, object_id, attempts in rows:
        key = keys.setdefault((type_key, object_id), _Key(row_id, attempts))
        key.newest_id = max(key.newest_id, row_id)
        key.attempts = max(key.attempts, attempts)
    with transaction.atomic():
        version, rebuild_index = next_version()
        records, gone, broken = _load_current(list(keys))
    indices = [rebuild_index] if rebuild_index else []
    deadline = time.monotonic() + SEND_DEADLINE_SECONDS
    try:
        refused = es.send(records, gone, version=version, also=indices, deadline=deadline)
    except Exception as exc:
        if backends.is_outage(exc):
            backends.elasticsearch_failed(exc)
            _record_refusals(es, keys, dict.fromkeys(keys, repr(exc)), version, [], outage=True)
            return False
        if isinstance(exc, SendTooLate):
            logger.warning("An Elasticsearch send ran out of time; its rows are sent again")
            return False  # nothing deleted: the rows go again at the next send
        logger.exception("Elasticsearch refused a whole batch of %s writes", len(keys))
        refused = dict.fromkeys(keys, repr(exc))
    refused.update(broken)
    _delete_sent({ref: key for ref, key in keys.items() if ref not in refused})
    if refused:
        _record_refusals(es, {ref: keys[ref] for ref in refused}, refused, version, indices)
    return len(rows) >= limit


def _load_current(
    refs: list[tuple[str, str]],
) -> tuple[list[IndexRecord], list[tuple[str, str]], dict[tuple[str, str], str]]:
    """The documents of `refs` as they are now: records to write, refs to delete, and
    refs whose document could not be made (an error in a type's `to_document`), with
    the error. Those are treated as refusals, so one broken document never holds up
    the others (nor keeps every search on the database)."""
    by_type: dict[str, list[str]] = {}
    for type_key, object_id in refs:
        by_type.setdefault(type_key, []).append(object_id)
    records, gone, broken = [], [], {}
    for type_key, object_ids in by_type.items():
        search_type = registry.get_type(type_key)
        try:
            objects = search_type.load_many(object_ids) if search_type else {}
        except Exception as exc:
            logger.exception("Could not load %s documents for Elasticsearch", type_key)
            broken.update(((type_key, i), repr(exc)) for i in object_ids)
            continue
        for object_id in object_ids:
            try:
                obj = objects.get(object_id)
                doc = document_for(search_type, obj) if search_type else None
                record = prepare(doc) if doc is not None else None
            except Exception as exc:
                logger.exception("Could not make the document %s:%s", type_key, object_id)
                broken[(type_key, object_id)] = repr(exc)
                continue
            if record is None:
                gone.append((type_key, object_id))
            else:
                records.append(record)
    return records, gone, broken


def _delete_sent(keys: dict[tuple[str, str], _Key]) -> None:
    """Delete the rows that were sent: by key and up to the newest row seen, so a
    change queued while the batch was on its way stays queued."""
    from django.db.models import Q

    from .models import PendingWrite

    items = list(keys.items())
    for start in range(0, len(items), 100):
        condition = Q()
        for (type_key, object_id), key in items[start : start + 100]:
            condition |= Q(type=type_key, object_id=object_id, id__lte=key.newest_id)
        PendingWrite.objects.filter(condition).delete()


def _record_refusals(
    es,
    keys: dict[tuple[str, str], _Key],
    errors: dict,
    version: int,
    also: list[str],
    outage: bool = False,
) -> None:
    """Keep one row per refused document with its attempts and a pause before the next.
    An outage is not the document's fault: it is retried when the breaker closes. A
    document refused MAX_ATTEMPTS times is taken out of Elasticsearch, so no stale copy
    (with an old access) can be found there, and set aside."""
    from .models import PendingWrite

    now = timezone.now()
    for ref, key in keys.items():
        type_key, object_id = ref
        PendingWrite.objects.filter(
            type=type_key, object_id=object_id, id__lt=key.newest_id
        ).delete()
        changes: dict = {"last_error": str(errors[ref])[:1000]}
        if not outage:
            attempts = changes["attempts"] = key.attempts + 1
            pause = RETRY_BASE_SECONDS * 2 ** min(attempts - 1, 10)
            changes["next_attempt_at"] = now + datetime.timedelta(seconds=pause)
            if attempts >= MAX_ATTEMPTS and _take_out(es, ref, version, also):
                changes["failed_at"] = now
                logger.error(
                    "Elasticsearch refused %s:%s %s times; left out of it: %s",
                    type_key,
                    object_id,
                    attempts,
                    errors[ref],
                )
        PendingWrite.objects.filter(pk=key.newest_id).update(**changes)


def _take_out(es, ref: tuple[str, str], version: int, also: list[str]) -> bool:
    try:
        return not es.send([], [ref], version=version, also=also)
    except Exception as exc:
        if backends.is_outage(exc):
            backends.elasticsearch_failed(exc)
        return False


def failed_writes() -> list:
    from .models import PendingWrite

    return list(PendingWrite.objects.filter(failed_at__isnull=False).order_by("failed_at"))


# -- rebuilding ----------------------------------------------------------------------------
def all_documents(type_keys: Iterable[str] | None = None) -> Iterator[SearchDocument]:
    wanted = set(type_keys) if type_keys else None
    for search_type in registry.types():
        if wanted is not None and search_type.key not in wanted:
            continue
        for obj in search_type.documents():
            doc = document_for(search_type, obj)
            if doc is not None:
                yield doc


def count_candidates() -> int:
    total = 0
    for search_type in registry.types():
        objects = search_type.documents()
        total += objects.count() if isinstance(objects, QuerySet) else len(list(objects))
    return total


def rebuild(
    docs: Iterable[SearchDocument] | None = None,
    *,
    progress: Callable[[int], None] | None = None,
    elasticsearch: bool = True,
    elasticsearch_progress: Callable[[int], None] | None = None,
) -> int:
    """Rebuild the database index from scratch, then (when configured) Elasticsearch
    into a new index followed by an alias swap. Returns the number of documents in the
    database index. A failed Elasticsearch rebuild leaves the old index in place."""
    docs = all_documents() if docs is None else docs
    database = backends.database_backend()
    vocabulary: Counter = Counter()
    count = 0
    with transaction.atomic():
        database.clear()
        for batch in _batches(docs, BATCH_SIZE):
            records = [prepare(doc) for doc in batch]
            database.write(records, vocabulary=vocabulary, fresh=True)
            count += len(records)
            if progress:
                progress(len(records))
        database.write_vocabulary(vocabulary)
    database.optimize()
    if elasticsearch and backends.elasticsearch_backend() is not None:
        try:
            rebuild_elasticsearch(progress=elasticsearch_progress)
        except RebuildRunning as exc:
            logger.warning("%s", exc)
        except Exception as exc:
            logger.warning("Elasticsearch rebuild abandoned; the old index stays: %r", exc)
    return count


class RebuildRunning(RuntimeError):
    pass


class RebuildLost(RuntimeError):
    """The rebuild was not seen for REBUILD_STALE_SECONDS (senders stopped writing to
    its index) or another rebuild took over: its index may lack changes."""


def _renew_lease(target: str) -> None:
    """Renew the rebuild's lease, in the caller's transaction; raise RebuildLost when
    the lease ran out or another rebuild holds it."""
    from .models import ElasticsearchState

    now = timezone.now()
    rows = ElasticsearchState.objects.filter(
        pk=1,
        rebuild_index=target,
        rebuild_seen_at__gte=now - datetime.timedelta(seconds=REBUILD_STALE_SECONDS),
    )
    if not rows.update(rebuild_seen_at=now):
        raise RebuildLost(
            f"The rebuild into {target} lost its lease (not seen for "
            f"{REBUILD_STALE_SECONDS} s, or another rebuild started); its index is dropped."
        )


def rebuild_elasticsearch(progress: Callable[[int], None] | None = None) -> int:
    """Write every document into a new index, then swap the alias to it.

    Meanwhile searches keep reading the old index through the alias, and senders
    write each change to both indices. Every batch here and every change there has a
    version taken while its content was loaded, so in the new index the newest content
    wins whichever was written last. Nothing has to be replayed after the swap."""
    from .models import ElasticsearchState

    es = backends.elasticsearch_backend()
    # The index exists before it is claimed (a sender must never write to a name that
    # does not exist: Elasticsearch would create it with a default mapping), and orphans
    # are deleted only once this rebuild holds the claim, so two rebuilds started at
    # the same moment cannot delete each other's index and both go on.
    target = es.begin_rebuild()
    with transaction.atomic():
        state, _ = ElasticsearchState.objects.select_for_update().get_or_create(pk=1)
        running = _live_rebuild_index(state)
        if running:
            es.drop_index(target)
            raise RebuildRunning(f"A rebuild into {running} is running; not starting another.")
        state.rebuild_index = target
        state.rebuild_seen_at = timezone.now()
        state.save(update_fields=["rebuild_index", "rebuild_seen_at"])
    count = 0
    try:
        es.delete_orphans(keep=target, spare_seconds=REBUILD_STALE_SECONDS)
        for search_type, object_ids in _candidate_ids():
            while True:
                with transaction.atomic():
                    _renew_lease(target)
                    version, _ = next_version()
                    objects = search_type.load_many(object_ids)
                    records = [
                        prepare(doc)
                        for doc in (document_for(search_type, objects.get(i)) for i in object_ids)
                        if doc is not None
                    ]
                deadline = time.monotonic() + SEND_DEADLINE_SECONDS
                try:
                    refused = es.write(records, index=target, version=version, deadline=deadline)
                except SendTooLate:
                    continue  # load again, with a new version
                break
            if refused:
                _queue_refused(refused)
            count += len(records) - len(refused)
            if progress:
                progress(len(object_ids))
        with transaction.atomic():
            # The lease row stays locked until the alias points at the new index: no
            # sender takes a version (and reads where to write) in between.
            _renew_lease(target)
            old = es.finish_rebuild(target)
            _end_rebuild(target)
    except BaseException as exc:
        _end_rebuild(target)
        if backends.is_outage(exc):
            backends.elasticsearch_failed(exc)
        try:
            if target not in es.indices_behind_alias():  # never the one now in use
                es.drop_index(target)
        except Exception:
            logger.warning("Could not delete the abandoned index %s", target)
        raise
    for index in old:
        try:
            es.drop_index(index)
        except Exception:  # an orphan now: the next rebuild deletes it
            logger.warning("Could not delete the old index %s", index)
    return count


def _queue_refused(refused: dict[tuple[str, str], str]) -> None:
    """Documents a rebuild could not write go to the outbox as first refusals: the
    sender retries them with a pause and sets them aside if they keep failing."""
    from .models import PendingWrite

    later = timezone.now() + datetime.timedelta(seconds=RETRY_BASE_SECONDS)
    PendingWrite.objects.bulk_create(
        [
            PendingWrite(
                type=t, object_id=i, attempts=1, last_error=error[:1000], next_attempt_at=later
            )
            for (t, i), error in refused.items()
        ]
    )


def _running_rebuild_index() -> str:
    from .models import ElasticsearchState

    state = ElasticsearchState.objects.filter(pk=1).first()
    return _live_rebuild_index(state) if state else ""


def _end_rebuild(target: str) -> None:
    from .models import ElasticsearchState

    ElasticsearchState.objects.filter(pk=1, rebuild_index=target).update(
        rebuild_index="", rebuild_seen_at=None
    )


def _candidate_ids() -> Iterator[tuple[registry.SearchType, list[str]]]:
    """(type, ids) in chunks of BATCH_SIZE over every type's candidates."""
    for search_type in registry.types():
        objects = search_type.documents()
        if isinstance(objects, QuerySet) and search_type.get_object is None:
            ids = [str(pk) for pk in objects.order_by("pk").values_list("pk", flat=True)]
        else:
            ids = [search_type.object_id(obj) for obj in objects]
        for start in range(0, len(ids), BATCH_SIZE):
            yield search_type, ids[start : start + BATCH_SIZE]


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
