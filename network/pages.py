"""Finding the one page of a section type (/erfaringer/, /projekter/), creating it
under the site root the first time (fresh site, import, demo content)."""

from __future__ import annotations

from django.db import transaction
from wagtail.models import Page, Site


@transaction.atomic
def section_page(model, **fields):
    page = model.objects.first()
    if page:
        return page
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    root = site.root_page.specific if site else Page.objects.get(depth=2).specific
    page = model(**fields)
    root.add_child(instance=page)
    page.save_revision().publish()
    return page
