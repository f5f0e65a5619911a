"""Which projects a document is material of (directly, or through one of their events):
the one lookup behind serving it, counting it as in use, and warning an editor who links
it from a page."""

from __future__ import annotations

from .models import EventMaterial, ProjectMaterial


def material_projects(documents, *, live_events_only: bool = False) -> list[tuple]:
    """(document, project) once per pair, for documents (objects or ids)."""
    ids = [getattr(document, "pk", document) for document in documents]
    pairs = [
        (m.document, m.project)
        for m in ProjectMaterial.objects.filter(document__in=ids).select_related(
            "document", "project"
        )
    ]
    events = EventMaterial.objects.filter(document__in=ids).select_related("document", "event")
    if live_events_only:
        events = events.filter(event__live=True)
    pairs += [(m.document, m.event.project) for m in events]
    unique: dict[tuple[int, int], tuple] = {}
    for document, project in pairs:
        unique.setdefault((document.pk, project.pk), (document, project))
    return list(unique.values())
