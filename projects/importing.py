"""The `project`, `event` and `trial_action` record types of `manage.py import_content`.

Same rules as experiences (docs/import.md): keyed on external_id, created or updated or
left alone, all-or-nothing per file. Events and trial actions reference a project (and a
trial action optionally an event) by external_id, earlier in the file or in the database.
"""

from __future__ import annotations

from typing import Any

from network.importing import (
    ImportContext,
    Outcome,
    RecordCheck,
    RecordError,
    municipalities_for_codes,
    organisations_for_names,
    parse_date,
    parse_datetime,
    parse_time,
    registry,
    unique_slug,
    user_for_email,
    work_areas_for_slugs,
)
from network.models import Municipality
from network.pages import section_page

from .models import (
    AgendaItem,
    EventPage,
    LogVisibility,
    ProjectIndexPage,
    ProjectPage,
    TrialAction,
    TrialActionStatus,
    Visibility,
)
from .models.events import EventKind
from .models.spaces import SUMMARY_MAX_LENGTH
from .models.trial_actions import start_out_of_range


def register() -> None:
    registry.register("project", ProjectHandler())
    registry.register("event", EventHandler())
    registry.register("trial_action", TrialActionHandler())


def get_index_page() -> ProjectIndexPage:
    """The site's /projekter/ page, created under the site root if missing."""
    return section_page(
        ProjectIndexPage,
        title="Projekter",
        slug="projekter",
        intro="<p>Projekter, hvor kommuner arbejder sammen: temadage, webseminarer og "
        "prøvehandlinger mellem dem.</p>",
    )


def _publish_page(parent, page, fields: dict, relations=None) -> Outcome:
    """Create under parent, or update when any field differs; always published."""
    if page.pk is None:
        page.slug = unique_slug(
            fields["title"],
            lambda s: parent.get_children().filter(slug=s).exists(),
            fallback="side",
            max_length=255,
        )
        for name, value in fields.items():
            setattr(page, name, value)
        parent.add_child(instance=page)
        if relations:
            relations(page)
        page.save_revision().publish()
        return "created"
    current = {name: getattr(page, name) for name in fields}
    changed = current != fields or not page.live
    if relations:
        changed = relations(page, compare=True) or changed
    if not changed:
        return "unchanged"
    for name, value in fields.items():
        setattr(page, name, value)
    if relations:
        relations(page)
    page.save_revision().publish()
    return "updated"


class ProjectHandler:
    FIELDS = (
        "title",
        "summary",
        "start",
        "end",
        "municipalities",
        "organisations",
        "topics",
        "visibility",
    )

    def validate(self, record, line_no, ctx: ImportContext) -> list[RecordError]:
        check = RecordCheck(record, line_no, ctx)
        check.allowed_fields(self.FIELDS)
        check.text("title", required=True, max_length=255)
        check.text("summary", required=True, max_length=SUMMARY_MAX_LENGTH)
        start = check.date("start")
        end = check.date("end", required=False)
        if start and end and end < start:
            check.error("end", "slutdatoen ligger før startdatoen")
        check.municipalities("municipalities")
        check.organisations("organisations")
        check.work_areas("topics")
        check.choice("visibility", Visibility.values)
        return check.errors

    def exists(self, external_id: str) -> bool:
        return ProjectPage.objects.filter(external_id=external_id).exists()

    def apply(self, record: dict, ctx: ImportContext) -> Outcome:
        page = ProjectPage.objects.filter(external_id=record["external_id"]).first()
        fields = {
            "title": record["title"],
            "summary": record["summary"],
            "start_date": parse_date(record["start"]),
            "end_date": parse_date(record["end"]) if record.get("end") else None,
            "visibility": record["visibility"],
        }
        codes = set(record.get("municipalities") or ())
        slugs = set(record.get("topics") or ())
        names = {n.strip().casefold() for n in record.get("organisations") or ()}

        def relations(p, compare=False):
            if compare:
                return (
                    {m.code for m in p.municipalities.all()} != codes
                    or {w.slug for w in p.work_areas.all()} != slugs
                    or {o.name.casefold() for o in p.organisations.all()} != names
                )
            p.municipalities.set(municipalities_for_codes(codes))
            p.work_areas.set(work_areas_for_slugs(slugs))
            p.organisations.set(organisations_for_names(record.get("organisations") or ()))

        page = page or ProjectPage(external_id=record["external_id"])
        return _publish_page(get_index_page(), page, fields, relations)


class EventHandler:
    FIELDS = ("project", "title", "kind", "starts_at", "location", "summary", "agenda")

    def validate(self, record, line_no, ctx: ImportContext) -> list[RecordError]:
        check = RecordCheck(record, line_no, ctx)
        check.allowed_fields(self.FIELDS)
        check.reference("project", "project")
        check.text("title", required=True, max_length=255)
        check.choice("kind", ("theme_day", "webinar"))
        check.datetime("starts_at")
        check.text("location", max_length=255)
        check.text("summary", max_length=2000)
        for position, item in enumerate(check.object_list("agenda") or [], start=1):
            if not isinstance(item.get("title"), str) or not item["title"].strip():
                check.error("agenda", f'punkt {position}, felt "title": mangler')
            try:
                parse_time(item.get("time") or "")
            except (TypeError, ValueError):
                check.error("agenda", f'punkt {position}, felt "time": skal være TT:MM')
        return check.errors

    def exists(self, external_id: str) -> bool:
        return EventPage.objects.filter(external_id=external_id).exists()

    def apply(self, record: dict, ctx: ImportContext) -> Outcome:
        project = ProjectPage.objects.get(external_id=record["project"])
        page = EventPage.objects.filter(external_id=record["external_id"]).first()
        fields = {
            "title": record["title"],
            "kind": EventKind(record["kind"]).value,
            "starts_at": parse_datetime(record["starts_at"]),
            "location": record.get("location") or "",
            "summary": record.get("summary") or "",
        }
        agenda = [(parse_time(i["time"]), i["title"]) for i in record.get("agenda") or ()]

        def relations(p, compare=False):
            current = [(a.time, a.title) for a in p.agenda_items.all()]
            if compare:
                return current != agenda
            p.agenda_items = [AgendaItem(time=t, title=title) for t, title in agenda]

        if page is not None and page.get_parent().pk != project.pk:
            page.move(project, pos="last-child")
            page.refresh_from_db()
        page = page or EventPage(external_id=record["external_id"])
        return _publish_page(project, page, fields, relations)


class TrialActionHandler:
    FIELDS = (
        "project",
        "municipality",
        "title",
        "purpose",
        "actions",
        "results",
        "learnings",
        "status",
        "visibility",
        "author_email",
        "started",
        "event",
    )
    TEXTS = ("purpose", "actions", "results", "learnings")

    def validate(self, record, line_no, ctx: ImportContext) -> list[RecordError]:
        check = RecordCheck(record, line_no, ctx)
        check.allowed_fields(self.FIELDS)
        check.reference("project", "project")
        check.municipality("municipality")
        check.text("title", required=True, max_length=200)
        check.text("purpose", required=True, max_length=5000)
        for name in ("actions", "results", "learnings"):
            check.text(name, max_length=5000)
        check.choice("status", TrialActionStatus.values)
        check.choice("visibility", LogVisibility.values)
        check.email("author_email")
        started = check.date("started")
        if started and (problem := start_out_of_range(started)):
            # As TrialAction.clean: a date already stored may stay (a file imported
            # before the rule is imported again).
            stored = TrialAction.objects.filter(
                external_id=record.get("external_id"), started=started
            ).exists()
            if not stored:
                check.error("started", problem)
        check.reference("event", "event", required=False)
        return check.errors

    def exists(self, external_id: str) -> bool:
        return TrialAction.objects.filter(external_id=external_id).exists()

    def apply(self, record: dict, ctx: ImportContext) -> Outcome:
        values: dict[str, Any] = {
            "project": ProjectPage.objects.get(external_id=record["project"]),
            "municipality": Municipality.objects.get(code=record["municipality"]),
            "title": record["title"],
            **{name: record.get(name) or "" for name in self.TEXTS},
            "status": record["status"],
            "visibility": record["visibility"],
            "author": user_for_email(record["author_email"]),
            "started": parse_date(record["started"]),
            "event": EventPage.objects.get(external_id=record["event"])
            if record.get("event")
            else None,
        }
        log = TrialAction.objects.filter(external_id=record["external_id"]).first()
        if log is None:
            TrialAction.objects.create(external_id=record["external_id"], **values)
            return "created"
        if all(getattr(log, name) == value for name, value in values.items()):
            return "unchanged"
        for name, value in values.items():
            setattr(log, name, value)
        log.save()
        return "updated"
