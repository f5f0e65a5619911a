"""The main navigation, with only the entries whose target exists.

Each entry is either a URL name or a Wagtail page type whose first live page is
the target. The page lookups are cached and cleared whenever a page is
published, unpublished, moved or deleted.
"""

from __future__ import annotations

from django.apps import apps
from django.core.cache import cache
from django.urls import NoReverseMatch, reverse

MAIN_NAVIGATION = [
    ("Erfaringer", "page:experiences.ExperienceIndexPage"),
    ("Projekter", "page:projects.ProjectIndexPage"),
    ("Kommuner", "url:network:municipality_list"),
    ("Søg", "url:search:search"),
    ("Nyhedsbrev", "url:newsletters:subscribe"),
]
CACHE_KEY = "navigation:v1"


def _resolve(target: str) -> str | None:
    kind, _, name = target.partition(":")
    if kind == "url":
        try:
            return reverse(name)
        except NoReverseMatch:
            return None
    try:
        model = apps.get_model(name)
    except (LookupError, ValueError):
        return None
    page = model.objects.live().first()
    return page.url if page else None


def main_navigation() -> list[dict]:
    items = cache.get(CACHE_KEY)
    if items is None:
        items = []
        for label, target in MAIN_NAVIGATION:
            url = _resolve(target)
            if url:
                items.append({"label": label, "url": url})
        cache.set(CACHE_KEY, items, 300)
    return items


FOOTER_CACHE_KEY = "navigation:footer:v1"


def footer_links() -> dict:
    """The footer's pages (live, public information pages marked "Vis i menuer", in
    tree order) and the contact page's URL ("" when there is none)."""
    found = cache.get(FOOTER_CACHE_KEY)
    if found is None:
        from .models import InfoPage

        pages = list(InfoPage.objects.live().public().order_by("path"))
        found = {
            "pages": [{"label": p.title, "url": p.url} for p in pages if p.show_in_menus],
            "contact_url": next((p.url for p in pages if p.role == InfoPage.Role.CONTACT), ""),
        }
        cache.set(FOOTER_CACHE_KEY, found, 300)
    return found


def clear_cache(**kwargs) -> None:
    cache.delete_many([CACHE_KEY, FOOTER_CACHE_KEY])
