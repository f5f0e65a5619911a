"""The admin form of our page types."""

from __future__ import annotations

from django.utils.text import slugify
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page

from .text import danish_slugify


class PageForm(WagtailAdminPageForm):
    """A *new* page whose address (slug) is already taken under its parent gets the next
    free one (`slug-2`, `slug-3` …) instead of an error. The usual cause is the draft
    Wagtail autosaved when an editor abandoned an earlier try at the same page; the
    error used to appear on the Promote tab, which the editor does not see. Changing
    an existing page's address to a taken one is still refused (in Danish), because it
    changes a published URL and must be deliberate."""

    def clean(self):
        slug = self.cleaned_data.get("slug")
        title = self.cleaned_data.get("title") or ""
        # New: not saved yet, or saved only as drafts. Wagtail 8 autosaves a new page
        # as soon as the editor types, so the first real save is an edit of a page
        # that has never had an address anyone could visit.
        new = self.instance.pk is None or self.instance.first_published_at is None
        if slug and new and slug == browser_slug(title):
            # The admin's script made the address from the title as in English (ø -> o):
            # a new page gets the Danish spelling (København -> koebenhavn), as the
            # site's own addresses have. An address the editor typed is left alone.
            slug = self.cleaned_data["slug"] = danish_slugify(title)
        if slug and new and self.parent_page is not None:
            self.cleaned_data["slug"] = free_slug(slug, self.parent_page, self.instance)
        return super().clean()


# What Wagtail's admin script (urlify) makes of æ, ø and å.
_BROWSER = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "AE", "Ø": "O", "Å": "A"})


def browser_slug(title: str) -> str:
    return slugify(title.translate(_BROWSER))


def free_slug(slug: str, parent: Page, instance: Page) -> str:
    candidate, number = slug, 1
    while not Page._slug_is_available(candidate, parent, instance):
        number += 1
        suffix = f"-{number}"
        candidate = slug[: 255 - len(suffix)] + suffix
    return candidate
