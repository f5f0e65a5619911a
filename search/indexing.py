"""From content to index: turning documents into analysed records and writing them
to the database index (always) and to Elasticsearch (when configured).

A failed Elasticsearch write never fails the content change: the document key is
queued in PendingWrite and replayed later from the then current content.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet

from . import analysis, backends, labels, registry
from .registry import SearchDocument

logger = logging.getLogger(__name__)
# Attachments can be whole reports; beyond this much text per field we stop indexing.
MAX_FIELD_CHARS = 200_000
BATCH_SIZE = 500
REBUILDING_KEY = "search:es-rebuilding"


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
    _to_elasticsearch("write", records, [r.ref for r in records])
    return len(records)


def remove_documents(refs: Iterable[tuple[str, str]]) -> None:
    refs = [(t, str(i)) for t, i in refs]
    if not refs:
        return
    with transaction.atomic():
        backends.database_backend().delete(refs)
    _to_elasticsearch("delete", refs, refs)


def _to_elasticsearch(method: str, payload, refs: list[tuple[str, str]]) -> None:
    es = backends.elasticsearch_backend()
    if es is None:
        return
    if not backends.elasticsearch_available():
        queue_pending(refs, "Elasticsearch svarer ikke (afbryder åben)")
        return
    if cache.get(REBUILDING_KEY):
        # The new index may already have passed this document; send it again after the swap.
        queue_pending(refs, "Skrevet under genopbygning")
    try:
        getattr(es, method)(payload)
    except Exception as exc:
        backends.elasticsearch_failed(exc)
        queue_pending(refs, repr(exc))
        return
    if _has_pending():
        from .tasks import replay_pending_task

        replay_pending_task.enqueue()


# -- the Elasticsearch write queue --------------------------------------------------------
def queue_pending(refs: Iterable[tuple[str, str]], error: str) -> None:
    from .models import PendingWrite

    for type_key, object_id in refs:
        try:
            with transaction.atomic():
                write, created = PendingWrite.objects.get_or_create(
                    type=type_key, object_id=object_id, defaults={"last_error": error[:1000]}
                )
                if not created:
                    write.last_error = error[:1000]
                    write.save(update_fields=["last_error"])
        except Exception:
            logger.exception("Could not queue the search write %s:%s", type_key, object_id)


def _has_pending() -> bool:
    from .models import PendingWrite

    return PendingWrite.objects.exists()


def replay_pending(limit: int = 1000) -> int:
    """Send queued writes to Elasticsearch from current content; returns how many remain."""
    from .models import PendingWrite

    es = backends.elasticsearch_backend()
    if es is None:
        return PendingWrite.objects.count()
    for write in list(PendingWrite.objects.order_by("created_at")[:limit]):
        search_type = registry.get_type(write.type)
        try:
            doc = (
                document_for(search_type, search_type.load(write.object_id))
                if search_type
                else None
            )
            if doc is None:
                es.delete([(write.type, write.object_id)])
            else:
                es.write([prepare(doc)])
        except Exception as exc:
            backends.elasticsearch_failed(exc)
            PendingWrite.objects.filter(pk=write.pk).update(
                attempts=write.attempts + 1, last_error=repr(exc)[:1000]
            )
            break
        write.delete()
    return PendingWrite.objects.count()


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
) -> int:
    """Rebuild the database index from scratch (and Elasticsearch into a new index
    followed by an alias swap). Returns the number of documents indexed."""
    docs = all_documents() if docs is None else docs
    database = backends.database_backend()
    es = backends.elasticsearch_backend() if elasticsearch else None
    es_target = None
    if es is not None:
        try:
            es_target = es.begin_rebuild()
            cache.set(REBUILDING_KEY, es_target, 6 * 3600)
        except Exception as exc:
            backends.elasticsearch_failed(exc)
            logger.warning("Elasticsearch rebuild skipped: %r", exc)
    vocabulary: Counter = Counter()
    count = 0
    with transaction.atomic():
        database.clear()
        for batch in _batches(docs, BATCH_SIZE):
            records = [prepare(doc) for doc in batch]
            database.write(records, vocabulary=vocabulary, fresh=True)
            if es_target is not None:
                es_target = _rebuild_batch_to_elasticsearch(es, es_target, records)
            count += len(records)
            if progress:
                progress(len(records))
        database.write_vocabulary(vocabulary)
    database.optimize()
    if es_target is not None:
        try:
            es.finish_rebuild(es_target)
        except Exception as exc:
            backends.elasticsearch_failed(exc)
            logger.warning("Elasticsearch alias swap failed; the old index stays: %r", exc)
        finally:
            cache.delete(REBUILDING_KEY)
        replay_pending()
    return count


def _rebuild_batch_to_elasticsearch(es, target: str, records: list[IndexRecord]) -> str | None:
    """Write a batch into the new index; on failure give up the Elasticsearch part of
    the rebuild (the database index is rebuilt regardless, the old alias stays)."""
    try:
        es.write(records, index=target)
        return target
    except Exception as exc:
        backends.elasticsearch_failed(exc)
        logger.warning("Elasticsearch rebuild abandoned: %r", exc)
        cache.delete(REBUILDING_KEY)
        return None


def _batches(items: Iterable, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
