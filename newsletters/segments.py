"""Segments: which sections of an edition a subscriber gets.

A segment is a set of work areas plus, optionally, the municipalities a subscriber
limited themselves to (chosen directly or through a region). Sections are rendered
once per segment, not once per subscriber, which keeps sending 10,000 mails cheap.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from network.models import Municipality

from .models import Edition, EditionItem, Subscriber


@dataclass(frozen=True)
class Segment:
    work_area_ids: tuple[int, ...]
    # Municipality codes; empty means the whole country.
    places: tuple[str, ...] = ()

    @classmethod
    def of(cls, work_area_ids, places=()) -> Segment:
        return cls(tuple(sorted(set(work_area_ids))), tuple(sorted(set(places))))

    @property
    def key(self) -> str:
        """Stored on each delivery row, so a resumed send renders what the start decided."""
        return ",".join(map(str, self.work_area_ids)) + "|" + ",".join(self.places)

    @classmethod
    def from_key(cls, key: str) -> Segment:
        areas, _, places = key.partition("|")
        return cls(
            tuple(int(part) for part in areas.split(",") if part),
            tuple(part for part in places.split(",") if part),
        )

    def matches(self, item: EditionItem) -> bool:
        if item.work_area_id not in self.work_area_ids:
            return False
        codes = item.codes
        return not self.places or not codes or bool(codes.intersection(self.places))


def segments_for(subscribers) -> dict[int, Segment]:
    """Each subscriber's segment, in four queries whatever the number of subscribers."""
    areas: dict[int, set[int]] = defaultdict(set)
    places: dict[int, set[str]] = defaultdict(set)
    ids = subscribers.values("pk")
    through = Subscriber.work_areas.through.objects.filter(subscriber_id__in=ids)
    for subscriber_id, area_id in through.values_list("subscriber_id", "workarea_id"):
        areas[subscriber_id].add(area_id)
    chosen = Subscriber.municipalities.through.objects.filter(subscriber_id__in=ids)
    for subscriber_id, code in chosen.values_list("subscriber_id", "municipality__code"):
        places[subscriber_id].add(code)
    regions = Subscriber.regions.through.objects.filter(subscriber_id__in=ids)
    region_rows = list(regions.values_list("subscriber_id", "region_id"))
    if region_rows:
        by_region: dict[int, list[str]] = defaultdict(list)
        for region_id, code in Municipality.objects.values_list("region_id", "code"):
            by_region[region_id].append(code)
        for subscriber_id, region_id in region_rows:
            places[subscriber_id].update(by_region[region_id])
    return {pk: Segment.of(area_ids, places.get(pk, ())) for pk, area_ids in areas.items()}


def segment_of(subscriber: Subscriber) -> Segment | None:
    return segments_for(Subscriber.objects.filter(pk=subscriber.pk)).get(subscriber.pk)


@dataclass(frozen=True)
class Section:
    work_area: object  # network.WorkArea
    items: list[EditionItem]
    # Items of this area shown in an earlier section, with that section's name: a
    # reader who looks for their area finds them named here (an outside walk found
    # whole areas missing from the web version).
    also: list[tuple[EditionItem, str]] = field(default_factory=list)


class EditionContent:
    """An edition's items, loaded once, cut into sections per segment.

    Section order follows the editor's item order (the first item of a work area
    places its section). An item that appears in several of a reader's sections is
    shown once, in the first, and named in the others (`Section.also`).
    """

    def __init__(self, edition: Edition):
        self.edition = edition
        items = list(
            edition.items.select_related("work_area").exclude(work_area=None).order_by("sort_order")
        )
        from .registry import news_sources

        gone = news_sources.withdrawn(items)
        # No longer public (unpublished, restricted, moved into a closed project): left
        # out of every mail, the preview and the archive; the preview names them.
        self.withdrawn = [item for item in items if item.pk in gone]
        self.items = [item for item in items if item.pk not in gone]
        self._cache: dict[str, list[Section]] = {}

    def sections(self, segment: Segment | None = None) -> list[Section]:
        """The sections for a segment; None gives every section (the web version)."""
        key = "*" if segment is None else segment.key
        if key not in self._cache:
            self._cache[key] = self._build(segment)
        return self._cache[key]

    def has_content(self, segment: Segment) -> bool:
        return bool(self.sections(segment))

    def _build(self, segment: Segment | None) -> list[Section]:
        grouped: dict[int, Section] = {}
        first_under: dict[str, str] = {}
        for item in self.items:
            if segment is not None and not segment.matches(item):
                continue
            section = grouped.setdefault(item.work_area_id, Section(item.work_area, []))
            if item.url in first_under:
                section.also.append((item, first_under[item.url]))
                continue
            first_under[item.url] = item.work_area.name
            section.items.append(item)
        return list(grouped.values())
