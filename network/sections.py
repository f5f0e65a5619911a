"""Sections that other apps contribute to network pages.

`network` is the lowest layer and imports no other app, yet a municipality's
page must list that municipality's experiences, projects and trial actions.
Content apps therefore register a section here (in their AppConfig.ready) and
decide themselves, through their own permissions, what the viewer may see.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    template: str
    # (request, obj) -> the items the requesting user may see, already limited.
    items: Callable[..., Iterable]
    order: int = 100
    more_url: Callable[..., str | None] | None = None
    # (obj) -> URL of a feed of the same items, linked as <link rel="alternate">.
    feed_url: Callable[..., str | None] | None = None


class SectionRegistry:
    def __init__(self) -> None:
        self._sections: dict[str, Section] = {}

    def register(self, section: Section) -> None:
        self._sections[section.key] = section

    def unregister(self, key: str) -> None:
        self._sections.pop(key, None)

    def render_data(self, request, obj) -> list[dict]:
        """The sections with their items for one page, in order."""
        data = []
        for section in sorted(self._sections.values(), key=lambda s: (s.order, s.key)):
            items = list(section.items(request, obj))
            data.append(
                {
                    "section": section,
                    "items": items,
                    "more_url": section.more_url(obj) if section.more_url else None,
                    "feed_url": section.feed_url(obj) if section.feed_url else None,
                }
            )
        return data


municipality_sections = SectionRegistry()
member_sections = SectionRegistry()
# "Mit overblik" (/overblik/): what the logged-in member has going on, by app.
overview_sections = SectionRegistry()
