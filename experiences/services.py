"""Writes that touch several models: finding or creating the section page."""

from __future__ import annotations

from django.db import transaction
from wagtail.models import Page, Site

from .models import ExperienceIndexPage


@transaction.atomic
def get_index_page() -> ExperienceIndexPage:
    """The site's /erfaringer/ page, created under the site root if missing."""
    index = ExperienceIndexPage.objects.first()
    if index:
        return index
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    root = site.root_page.specific if site else Page.objects.get(depth=2).specific
    index = ExperienceIndexPage(
        title="Erfaringer",
        slug="erfaringer",
        intro="<p>Hvad har andre kommuner prøvet, og hvad kom der ud af det? "
        "Filtrér efter kommune, arbejdsområde, fagprofil og år.</p>",
    )
    root.add_child(instance=index)
    index.save_revision().publish()
    return index
