"""'Fill from what is new': add the registered sources' items to a draft edition."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from network.models import WorkArea

from .models import Edition, EditionItem, EditionStatus
from .registry import NewsItem, news_sources

DEFAULT_LOOKBACK = datetime.timedelta(days=30)


@dataclass
class FillResult:
    since: datetime.datetime
    added: int = 0
    already_there: int = 0
    without_work_area: int = 0
    # Items already there whose time and place the source now reports otherwise (an
    # event moved after the draft was filled): brought up to date.
    updated_when: int = 0
    failed_sources: list[str] = field(default_factory=list)


def fill_since(edition: Edition) -> datetime.datetime:
    """Where the sent editions left off: the last time one of them was filled; the
    first edition, or when none was ever filled, looks back DEFAULT_LOOKBACK from the
    last sending. An edition sent without filling says nothing of what came before it
    (an outside walk: its send time as the start lost what appeared since the previous
    fill); what a sent edition already carried is skipped (`_new_candidates`)."""
    sent = Edition.objects.exclude(pk=edition.pk).exclude(status=EditionStatus.DRAFT)
    sent = sent.exclude(send_started_at=None)
    last_sent = sent.aggregate(at=Max("send_started_at"))["at"] or timezone.now()
    floor = last_sent - DEFAULT_LOOKBACK
    filled = sent.aggregate(at=Max("filled_until"))["at"]
    return max(filled, floor) if filled else floor


@transaction.atomic
def fill(edition: Edition, since: datetime.datetime | None = None) -> FillResult:
    """Append one item per (news item, work area), grouped by work area: within an
    area news newest first, then events soonest first. Items already in the edition
    are skipped, so filling twice only adds what appeared in between."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.status != EditionStatus.DRAFT:
        raise ValueError("Only drafts can be filled.")
    now = timezone.now()
    result = FillResult(since=since or fill_since(edition))
    collected = news_sources.collect(result.since)
    result.failed_sources = collected.failed
    result.updated_when = _update_when(edition, collected.items)
    candidates = _new_candidates(edition, collected.items, result)
    candidates.sort(key=_order)
    start = (edition.items.aggregate(top=Max("sort_order"))["top"] or 0) + 1
    EditionItem.objects.bulk_create(
        [
            EditionItem(
                edition=edition,
                sort_order=start + n,
                work_area=c.area,
                title=c.item.title[:255],
                summary=c.item.summary[:1000],
                url=c.item.url[:500],
                kind=c.item.kind[:60],
                when=c.item.when[:200],
                municipality_codes=",".join(c.item.municipality_codes)[:500],
                source=c.source,
                source_key=c.identity,
                published=c.item.published,
            )
            for n, c in enumerate(candidates)
        ]
    )
    result.added = len(candidates)
    edition.filled_until = now
    edition.save(update_fields=["filled_until"])
    return result


def _order(candidate: _Candidate) -> tuple:
    """By work area; within one, news newest first, then what takes place soonest first."""
    item = candidate.item
    dated = item.takes_place is not None
    moment = item.takes_place.timestamp() if dated else -item.published.timestamp()
    return (candidate.area.sort_order, candidate.area.name, dated, moment)


def _update_when(edition, items) -> int:
    """An item already in the draft keeps the editor's words, but its time and place
    follow the source (an outside walk moved an event and the draft kept the old day)."""
    reported = {
        (source, str(item.key or item.url)[:100]): item.when[:200] for source, item in items
    }
    updated = 0
    for row in edition.items.exclude(source=""):
        when = reported.get((row.source, row.source_key))
        if when is not None and when != row.when:
            row.when = when
            row.save(update_fields=["when"])
            updated += 1
    return updated


@dataclass
class _Candidate:
    area: WorkArea
    source: str
    identity: str
    item: NewsItem


def _new_candidates(edition, items, result: FillResult) -> list[_Candidate]:
    """One candidate per (item, known work area) not yet in the edition nor in a sent
    one (by source key, or by link, so an editor's hand-added copy counts too)."""
    areas = {area.slug: area for area in WorkArea.objects.all()}
    carried = EditionItem.objects.filter(
        Q(edition=edition)
        | Q(edition__in=Edition.objects.exclude(status=EditionStatus.DRAFT).exclude(pk=edition.pk))
    )
    existing = set(carried.values_list("source", "source_key", "work_area_id"))
    existing_urls = set(carried.values_list("url", "work_area_id"))
    candidates = []
    for source, item in items:
        identity = str(item.key or item.url)[:100]
        matched = [areas[slug] for slug in item.work_area_slugs if slug in areas]
        if not matched:
            result.without_work_area += 1
        for area in matched:
            if (source, identity, area.pk) in existing or (item.url, area.pk) in existing_urls:
                result.already_there += 1
                continue
            existing.add((source, identity, area.pk))
            candidates.append(_Candidate(area, source, identity, item))
    return candidates
