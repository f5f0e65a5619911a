"""What is new, by content app: the sources a newsletter edition is filled from.

`newsletters` sits above the content apps and must not import them. Each content
app registers a `NewsSource` here from its AppConfig.ready (see
experiences/registrations.py); the admin's "Fill from what is new" action asks every
source for the items published since the last sent edition.

A source decides itself what is public: it must only return items an anonymous
reader may open, because editions go to people without an account and end up in
the public archive.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class NewsItem:
    """One publicly visible thing that is new, as a source reports it."""

    title: str
    summary: str
    # An absolute path on this site ("/erfaringer/..."), or a full http(s) URL.
    url: str
    work_area_slugs: tuple[str, ...]
    published: datetime.datetime
    # Shown next to the title, e.g. "Erfaring", "Temadag", "Prøvehandling".
    kind: str
    # Stable within the source (a page id, a slug); lets "fill" skip what is already there.
    key: str = ""
    # Optional: the municipalities the item is about (4-digit codes). Subscribers who
    # limited themselves to some municipalities or regions only get tagged items that
    # match; untagged (national) items go to everyone in the work area.
    municipality_codes: tuple[str, ...] = field(default=())
    # Optional: when and where, for something that takes place (an event's date, time
    # and place), shown under the title.
    when: str = ""
    # Optional: when it takes place. Within a work area such items follow the news,
    # soonest first, as a reader plans by date (the order they were announced in says
    # nothing to them).
    takes_place: datetime.datetime | None = None


@dataclass(frozen=True)
class NewsSource:
    key: str
    label: str
    # (since: aware datetime) -> the items published at or after `since`.
    items: Callable[[datetime.datetime], Iterable[NewsItem]]
    # Optional: (keys) -> those of the keys whose item an anonymous reader may still
    # open. An edition's items that are no longer (an article unpublished after the
    # edition was filled) are left out of its mails, its preview and the archive.
    public_keys: Callable[[set[str]], set[str]] | None = None


@dataclass
class Collected:
    items: list[tuple[str, NewsItem]]  # (source key, item)
    failed: list[str]  # labels of the sources that raised


class NewsSourceRegistry:
    def __init__(self) -> None:
        self._sources: dict[str, NewsSource] = {}

    def register(self, source: NewsSource) -> None:
        """Register or replace a source; registering twice (autoreload, tests) is harmless."""
        self._sources[source.key] = source

    def unregister(self, key: str) -> None:
        self._sources.pop(key, None)

    def sources(self) -> list[NewsSource]:
        return sorted(self._sources.values(), key=lambda source: source.key)

    def collect(self, since: datetime.datetime) -> Collected:
        """Every source's items since `since`. A failing source is reported, not fatal:
        one broken app must not stop editors from composing the newsletter."""
        collected = Collected(items=[], failed=[])
        for source in self.sources():
            try:
                collected.items.extend((source.key, item) for item in source.items(since))
            except Exception:
                logger.exception("Newsletter source %s failed", source.key)
                collected.failed.append(source.label)
        return collected

    def withdrawn(self, items) -> set[int]:
        """The pks of the edition items (with `source` and `source_key`) whose source says
        they are no longer public. A source that fails withholds its items: an edition
        goes to people without an account and into the public archive."""
        wanted: dict[str, set[str]] = {}
        for item in items:
            if item.source and item.source_key:
                wanted.setdefault(item.source, set()).add(item.source_key)
        gone: set[tuple[str, str]] = set()
        for source_key, keys in wanted.items():
            source = self._sources.get(source_key)
            if source is None or source.public_keys is None:
                continue
            try:
                public = set(source.public_keys(keys))
            except Exception:
                logger.exception("News source %s could not say what is public", source_key)
                public = set()
            gone |= {(source_key, key) for key in keys - public}
        return {item.pk for item in items if (item.source, item.source_key) in gone}


news_sources = NewsSourceRegistry()
