"""Names of municipalities, regions and work areas for facets, index metadata and
query parsing. Read from network (the lowest layer) and kept in memory for a few
minutes: they change about once a decade, and every search needs them."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from . import analysis

TTL_SECONDS = 300
_cache: dict[str, tuple[float, object]] = {}


@dataclass(frozen=True)
class MunicipalityInfo:
    code: str
    name: str
    region_code: str
    region_name: str
    terms: tuple[str, ...]  # the analysed name
    keys: tuple[str, ...]  # its words' folded spellings, to spot it in a query


def _cached(key: str, load):
    now = time.monotonic()
    hit = _cache.get(key)
    if hit and now - hit[0] < TTL_SECONDS:
        return hit[1]
    value = load()
    _cache[key] = (now, value)
    return value


def clear() -> None:
    _cache.clear()


def municipalities() -> dict[str, MunicipalityInfo]:
    def load():
        from network.models import Municipality

        rows = Municipality.objects.select_related("region")  # in Danish order
        return {
            m.code: MunicipalityInfo(
                m.code,
                m.name,
                m.region.code,
                m.region.name,
                tuple(analysis.terms(m.name)),
                tuple(analysis.vocabulary_key(word) for word in analysis.words(m.name)),
            )
            for m in rows
        }

    return _cached("municipalities", load)


def municipality_words() -> dict[str, str]:
    """Each word of the municipalities' names (*Faaborg*, *Midtfyn*) and its folded key:
    what a word no visible text has may be corrected to (search.expansion)."""

    def load():
        words = {}
        for info in municipalities().values():
            for word in re.findall(r"[^\W\d_]{3,}", info.name):
                words[word] = analysis.vocabulary_key(word)
        return words

    return _cached("municipality_words", load)


def regions() -> dict[str, str]:
    def load():
        from network.models import Region

        return dict(Region.objects.order_by("name").values_list("code", "name"))

    return _cached("regions", load)


def topics() -> dict[str, str]:
    def load():
        from network.models import WorkArea

        return dict(WorkArea.objects.order_by("sort_order", "name").values_list("slug", "name"))

    return _cached("topics", load)


def type_labels() -> dict[str, str]:
    from . import registry

    return {t.key: t.label for t in registry.types()}


def date_labels() -> dict[str, str]:
    from . import registry

    return {t.key: t.date_label for t in registry.types() if t.date_label}


FACET_LABELS = {
    "type": "Indhold",
    "municipality": "Kommune",
    "region": "Region",
    "topic": "Arbejdsområde",
    "project": "Projekt",
    "year": "År",
}


def describe(params) -> str:
    """A search in words, for a reader's own list of what they follow: »q«, Kommune:
    Vejle, Arbejdsområde: Unge. A project is not named: the label is written from the
    address alone, which may name a project the follower cannot see."""
    names = {
        "type": type_labels,
        "municipality": lambda: {code: m.name for code, m in municipalities().items()},
        "region": regions,
        "topic": topics,
    }
    parts = [f"»{params.q}«"] if params.q else []
    for facet, value in params.filters.active().items():
        if facet == "project":
            parts.append("inden for ét projekt")
            continue
        known = names[facet]() if facet in names else {}
        parts.append(f"{FACET_LABELS.get(facet, facet)}: {known.get(str(value), value)}")
    return ", ".join(parts)
