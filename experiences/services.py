"""Writes that touch several models: finding or creating the section page."""

from __future__ import annotations

import datetime
import itertools

from django.db import transaction
from django.utils.html import escape

from network import importing
from network.models import CompetenceProfile, Municipality, Organisation, User, WorkArea
from network.pages import section_page
from network.text import danish_slugify

from .models import ExperienceIndexPage, ExperiencePage


def get_index_page() -> ExperienceIndexPage:
    """The site's /erfaringer/ page, created under the site root if missing."""
    return section_page(
        ExperienceIndexPage,
        title="Erfaringer",
        slug="erfaringer",
        intro="<p>Hvad har andre kommuner prøvet, og hvad kom der ud af det? "
        "Filtrér efter kommune, arbejdsområde, fagprofil og år.</p>",
    )


_counter = itertools.count(1)


def paragraph_html(text: str) -> str:
    """Plain text to rich text: each non-blank line its own <p>, HTML escaped."""
    return "".join(f"<p>{escape(line.strip())}</p>" for line in text.splitlines() if line.strip())


def body_blocks(blocks: list[dict]) -> list[dict]:
    """Raw StreamField data (without block ids, so deterministic) from the import
    format's blocks, plus key_figure for the demo content."""
    converted = []
    for block in blocks:
        kind = block["type"]
        if kind == "paragraph":
            value: object = paragraph_html(block["text"])
        elif kind == "heading":
            value = block["text"]
        elif kind == "quote":
            value = {
                "text": block["text"],
                "name": block.get("name", ""),
                "role": block.get("role", ""),
                "municipality": block.get("municipality") or "",
            }
        elif kind == "facts":
            value = {"title": block["title"], "items": list(block["items"])}
        elif kind == "key_figure":
            value = {"figure": block["figure"], "label": block["label"]}
        else:
            raise ValueError(f"Unknown block type {kind}")
        converted.append({"type": kind, "value": value})
    return converted


def body_from_records(blocks: list[dict]) -> list[tuple[str, object]]:
    """The same blocks as (type, value) pairs, the form a page's body is set from."""
    return [(block["type"], block["value"]) for block in body_blocks(blocks)]


@transaction.atomic
@importing.registry.batch()  # one reindex at the end, not one per save and relation
def create_experience(
    title: str | None = None,
    *,
    lead: str = "En kort manchet om, hvad kommunen gjorde.",
    published: datetime.date | str | None = None,
    kind: str = "article",
    municipalities=(),
    topics=(),
    profiles=(),
    organisations=(),
    author: str = "",
    body=(),
    contact: User | None = None,
    external_id: str | None = None,
    live: bool = True,
) -> ExperiencePage:
    """Create an experience under /erfaringer/, published unless live=False.

    municipalities are codes, topics and profiles slugs, organisations names.
    """
    index = get_index_page()
    n = next(_counter)
    if isinstance(published, str):
        published = datetime.date.fromisoformat(published)
    title = title or f"Erfaring {n}"
    page = ExperiencePage(
        title=title,
        slug=_unique_slug(index, _slug(title)),
        lead=lead,
        published_date=published or datetime.date(2026, 1, 1),
        kind=kind,
        author=author,
        contact_person=contact,
        external_id=external_id,
        body=body_from_records(list(body)),
        live=live,
    )
    index.add_child(instance=page)
    page.municipalities.set(Municipality.objects.filter(code__in=municipalities))
    page.work_areas.set(WorkArea.objects.filter(slug__in=topics))
    page.competence_profiles.set(CompetenceProfile.objects.filter(slug__in=profiles))
    page.organisations.set(
        [
            Organisation.objects.get_or_create(name=name, defaults={"slug": _slug(name)})[0]
            for name in organisations
        ]
    )
    page.save()  # commit the relations also for a draft (the revision alone does not)
    revision = page.save_revision()
    if live:
        revision.publish()
    else:
        page.unpublish()
    page.refresh_from_db()
    return page


def _slug(name: str) -> str:
    return danish_slugify(name)


def _unique_slug(parent, base: str) -> str:
    slug, n = base, 1
    while parent.get_children().filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def create_draft_from(data: dict) -> ExperiencePage:
    """A draft article prefilled from another app's content (e.g. a trial-action log),
    given in the import format (see docs/import.md)."""
    contact = User.objects.filter(email=data.get("contact_email") or "").first()
    return create_experience(
        data["title"],
        lead=data.get("lead") or data["title"],
        kind=data.get("kind", "case"),
        published=datetime.date.today(),
        municipalities=data.get("municipalities", []),
        topics=data.get("topics", []),
        author=data.get("author", ""),
        body=data.get("body", []),
        contact=contact,
        live=False,
    )
