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


def _denied_to(user, document_ids) -> set[int]:
    """The documents that are material of a project the user may not see."""
    from . import permissions

    return {
        document.pk
        for document, project in material_projects(document_ids)
        if not permissions.can_download_material(user, project)
    }


def _closed(document_ids, open_to, own=None) -> set[int]:
    """The documents that are material of a project not live, or (other than `own`)
    open to fewer readers than the visibilities `open_to`."""
    return {
        document.pk
        for document, project in material_projects(document_ids)
        if not project.live
        or (project.pk != getattr(own, "pk", None) and project.visibility not in open_to)
    }


def _wider(visibility) -> set:
    """The project visibilities every reader of `visibility` may see (a participant of a
    participants-only project need not take part in another one)."""
    from .models import Visibility

    return {
        Visibility.PUBLIC: {Visibility.PUBLIC},
        Visibility.MEMBERS: {Visibility.PUBLIC, Visibility.MEMBERS},
        Visibility.PARTICIPANTS: {Visibility.PUBLIC, Visibility.MEMBERS},
    }[visibility]


def openable(user, materials) -> list:
    """The material rows (ProjectMaterial, EventMaterial) whose document the user may
    open: the rule of `protect_project_material`, which answers 404 for a document that
    is material of any project the user may not see. A page lists no link its reader
    would get 404 for, and names no such document."""
    materials = list(materials)
    closed = _denied_to(user, [m.document_id for m in materials])
    return [m for m in materials if m.document_id not in closed]


def indexable(project, materials) -> list:
    """The material rows whose document every reader of `project`'s pages may open, so
    its title and text may be indexed with them (a search shows them to those readers):
    every project the document is material of is live, and is `project` itself or one
    open to at least the same readers."""
    materials = list(materials)
    closed = _closed([m.document_id for m in materials], _wider(project.visibility), project)
    return [m for m in materials if m.document_id not in closed]


def closed_to(document_ids, audience: str) -> set[int]:
    """For network.documents: the documents that are material of a project that some
    reader of `audience` ("public" or "members") may not see (unpublished, or open to
    fewer)."""
    return _closed(document_ids, _wider(audience))


def material_denied(document, user) -> bool:
    """Material of a project the user may not see: served as 404
    (`protect_project_material`) and not linked (network.documents.may_open)."""
    return bool(_denied_to(user, [document]))
