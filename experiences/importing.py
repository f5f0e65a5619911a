"""The `experience` record type of `manage.py import_content` (see docs/import.md).

An experience is keyed on `ExperiencePage.external_id`: a new id creates a page under the
/erfaringer/ index, a known id updates the page when anything differs, and an identical
record leaves it alone, so the same file can be imported again without new revisions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from network.importing import (
    ImportContext,
    Outcome,
    RecordCheck,
    RecordError,
    describe_type,
    municipalities_for_codes,
    organisations_for_names,
    parse_date,
    registry,
    unique_slug,
    work_areas_for_slugs,
)
from network.pages import NewPagesBatch

from .models import ExperienceKind, ExperiencePage
from .services import body_blocks, get_index_page

TYPE_NAME = "experience"
FIELDS = (
    "title",
    "lead",
    "published",
    "kind",
    "municipalities",
    "topics",
    "author",
    "organisations",
    "body",
)
# Block type -> {field: required}. The record's block fields map 1:1 onto the StreamField
# blocks of the same name (a paragraph's plain text becomes rich text).
BLOCK_FIELDS: dict[str, dict[str, bool]] = {
    "paragraph": {"text": True},
    "heading": {"text": True},
    "quote": {"text": True, "name": True, "role": True, "municipality": False},
    "facts": {"title": True, "items": True},
}


def register() -> None:
    """Called from ExperiencesConfig.ready(); registering twice replaces, so it is safe."""
    registry.register(TYPE_NAME, ExperienceHandler())


# --- validation ---------------------------------------------------------------------------


def _check_block(check: RecordCheck, position: int, block: dict) -> None:
    """Errors of body block `position` (counted from 1), reported on the field "body"."""
    block_type = block.get("type")
    if not isinstance(block_type, str) or block_type not in BLOCK_FIELDS:
        known = ", ".join(BLOCK_FIELDS)
        shown = f'"{block_type}"' if isinstance(block_type, str) else describe_type(block_type)
        check.error("body", f"blok {position} har ukendt type {shown}; kendte typer: {known}")
        return
    fields = BLOCK_FIELDS[block_type]
    prefix = f'blok {position} ("{block_type}")'
    for name in block:
        if name != "type" and name not in fields:
            check.error("body", f'{prefix}: ukendt felt "{name}"')
    for name, required in fields.items():
        value = block.get(name)
        if value is None:
            if required:
                check.error("body", f'{prefix}, felt "{name}": mangler')
            continue
        expected = list if name == "items" else str
        if not isinstance(value, expected):
            label = "en liste af tekster" if expected is list else "en tekst"
            check.error(
                "body", f'{prefix}, felt "{name}": skal være {label}, ikke {describe_type(value)}'
            )
        elif expected is str and required and not value.strip():
            check.error("body", f'{prefix}, felt "{name}": må ikke være tom')
        elif expected is list and not all(isinstance(i, str) and i.strip() for i in value):
            check.error("body", f'{prefix}, felt "{name}": skal være en liste af tekster')


# --- conversion ---------------------------------------------------------------------------


def _without_ids(value: Any) -> Any:
    """Block values without block ids; ListBlock items {"type": "item", ...} as bare values."""
    if isinstance(value, list):
        return [
            _without_ids(item["value"])
            if isinstance(item, dict) and item.get("type") == "item" and "value" in item
            else _without_ids(item)
            for item in value
        ]
    if isinstance(value, dict):
        return {key: _without_ids(item) for key, item in value.items() if key != "id"}
    return value


def comparable_body(raw: list[dict]) -> list[tuple[str, Any]]:
    return [(block["type"], _without_ids(block["value"])) for block in raw]


@dataclass(frozen=True)
class ExperienceData:
    """A validated record, in the page's terms."""

    external_id: str
    title: str
    lead: str
    published_date: date
    kind: str
    author: str
    municipality_codes: tuple[str, ...]
    work_area_slugs: tuple[str, ...]
    organisation_names: tuple[str, ...]
    body: list[dict]

    @classmethod
    def from_record(cls, record: dict) -> ExperienceData:
        return cls(
            external_id=record["external_id"],
            title=record["title"],
            lead=record["lead"],
            published_date=parse_date(record["published"]),
            kind=record["kind"],
            author=record.get("author") or "",
            municipality_codes=tuple(record.get("municipalities") or ()),
            work_area_slugs=tuple(record.get("topics") or ()),
            organisation_names=tuple(name.strip() for name in record.get("organisations") or ()),
            body=body_blocks(record.get("body") or []),
        )

    def page_fields(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "lead": self.lead,
            "published_date": self.published_date,
            "kind": self.kind,
            "author": self.author,
            "body": self.body,
        }

    def state(self) -> dict[str, Any]:
        """What must equal `page_state(page)` for the page to count as unchanged."""
        return {
            **{key: value for key, value in self.page_fields().items() if key != "body"},
            "municipalities": set(self.municipality_codes),
            "work_areas": set(self.work_area_slugs),
            "organisations": {name.casefold() for name in self.organisation_names},
            "body": comparable_body(self.body),
            "live": True,
        }


def page_state(page: ExperiencePage) -> dict[str, Any]:
    return {
        "title": page.title,
        "lead": page.lead,
        "published_date": page.published_date,
        "kind": page.kind,
        "author": page.author,
        "municipalities": {m.code for m in page.municipalities.all()},
        "work_areas": {w.slug for w in page.work_areas.all()},
        # Organisations are matched ignoring case, so they are compared that way too.
        "organisations": {o.name.casefold() for o in page.organisations.all()},
        "body": comparable_body(page.body.get_prep_value()),
        "live": page.live,
    }


# --- the handler --------------------------------------------------------------------------


class ExperienceHandler:
    """Validates and applies `{"type": "experience", ...}` lines."""

    def validate(self, record: dict, line_no: int, ctx: ImportContext) -> list[RecordError]:
        check = RecordCheck(record, line_no, ctx)
        check.allowed_fields(FIELDS)
        check.text("title", required=True, max_length=255)
        check.text("lead", required=True, max_length=600)
        check.date("published")
        check.choice("kind", ExperienceKind.values)
        check.municipalities("municipalities")
        check.work_areas("topics")
        check.text("author", max_length=200)
        check.organisations("organisations")
        for position, block in enumerate(check.object_list("body") or [], start=1):
            _check_block(check, position, block)
        return check.errors

    def exists(self, external_id: str) -> bool:
        return ExperiencePage.objects.filter(external_id=external_id).exists()

    def apply(self, record: dict, ctx: ImportContext) -> Outcome:
        data = ExperienceData.from_record(record)
        known = ctx.cached(
            "experiences.external_ids",
            lambda: set(
                ExperiencePage.objects.exclude(external_id=None).values_list(
                    "external_id", flat=True
                )
            ),
        )
        if data.external_id not in known:
            self._create(data, ctx)
            return "created"
        page = ExperiencePage.objects.get(external_id=data.external_id)
        if page_state(page) == data.state():
            return "unchanged"
        self._update(page, data)
        return "updated"

    def finish(self, ctx: ImportContext) -> None:
        """Publish the new pages of the run together (network.pages.NewPagesBatch)."""
        batch = ctx.cache.pop("experiences.new_pages", None)
        if batch is not None:
            batch.publish()

    def _create(self, data: ExperienceData, ctx: ImportContext) -> ExperiencePage:
        batch = ctx.cached("experiences.new_pages", lambda: NewPagesBatch(get_index_page()))
        slug = batch.unique_slug(unique_slug(data.title, lambda s: False, "erfaring", 255))
        page = ExperiencePage(external_id=data.external_id, slug=slug, **data.page_fields())
        return batch.add(page, m2m=self._relations(data, ctx))

    def _update(self, page: ExperiencePage, data: ExperienceData) -> None:
        """New field values, a new revision, published. The slug (the URL) is kept."""
        for name, value in data.page_fields().items():
            setattr(page, name, value)
        self._set_relations(page, data)
        page.save_revision().publish()

    def _set_relations(self, page: ExperiencePage, data: ExperienceData) -> None:
        for name, objects in self._relations(data).items():
            getattr(page, name).set(objects)

    def _relations(self, data: ExperienceData, ctx: ImportContext | None = None) -> dict:
        return {
            "municipalities": municipalities_for_codes(data.municipality_codes, ctx),
            "work_areas": work_areas_for_slugs(data.work_area_slugs, ctx),
            "organisations": organisations_for_names(data.organisation_names, ctx),
        }
