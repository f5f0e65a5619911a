"""Who may fetch a document by its address (/dokumenter/<id>/<file name>).

Wagtail serves a document to anyone who has its id and file name, from the moment it is
uploaded. Here a document is served only where it is in use on something the visitor
may see:

- to those who may choose, add or change documents in the admin (editors: they pick
  and preview documents before anything uses them);
- where a live page the visitor may see (its view restrictions let them in) uses it,
  as a rich-text link or a document block, by Wagtail's reference index, which follows
  the published content, not drafts;
- where another app says so (`register_use`): material of a project the visitor may
  see (projects).

Anything else, a document just uploaded, used only by a draft, or by a page that was
unpublished or deleted, is 404, as if it did not exist (`wagtail_hooks`).
"""

from __future__ import annotations

from collections.abc import Callable

_uses: list[Callable] = []
_restrictions: list[Callable] = []


def register_use(use: Callable) -> None:
    """`use(document, user) -> bool`: whether the document is in use on something of
    this app that the user may see."""
    _uses.append(use)


_denials: list[Callable] = []


def register_denial(denied: Callable) -> None:
    """`denied(document, user) -> bool`: this app answers 404 for the document to the
    user whatever else allows it (projects: material of a project they may not see)."""
    _denials.append(denied)


def may_open(document, user) -> bool:
    """Whether a page may show `user` a link to the document: no app denies it (a link
    that answers 404 is not shown, nor the name and size of a file they may not have)."""
    return not any(denied(document, user) for denied in _denials)


def register_restriction(closed: Callable) -> None:
    """`closed(document_ids, audience) -> set of ids`: the documents this app keeps from
    some reader of `audience` ("public": anyone; "members": any logged-in member), as
    projects answers 404 for material of a project not everyone may see."""
    _restrictions.append(closed)


def closed_to(document_ids, audience: str) -> set[int]:
    """The documents some reader of `audience` may not open: a page read by that
    audience must not carry their text into its search entry (it would show in
    snippets to readers who get 404 for the file)."""
    ids = [int(pk) for pk in document_ids]
    if not ids:
        return set()
    return set().union(*(closed(ids, audience) for closed in _restrictions))


def may_fetch(document, request) -> bool:
    from wagtail.documents import get_document_model
    from wagtail.permissions import policy_registry

    user = request.user
    policy = policy_registry.get_by_type(get_document_model())
    if user.is_authenticated and policy.user_has_any_permission(user, ["add", "change", "choose"]):
        return True
    if any(use(document, user) for use in _uses):
        return True
    return _on_a_visible_page(document, request)


def _on_a_visible_page(document, request) -> bool:
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Page, ReferenceIndex

    page_ids = (
        ReferenceIndex.get_references_to(document)
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .values_list("object_id", flat=True)
    )
    ids = [int(pk) for pk in page_ids if pk.isdigit()]
    for page in Page.objects.live().filter(pk__in=ids):
        if all(r.accept_request(request) for r in page.get_view_restrictions()):
            return True
    return False


def rich_text_document_links(documents: list) -> list[str]:
    """A rich-text link to a document, as its reader may see it: `<a href>` where they
    may open it, else `<a>` (Wagtail's own rendering of a missing document), so a page
    shows neither a link that answers 404 nor the file's name in its address."""
    from django.utils.html import escape

    from .middleware import current_reader

    reader = current_reader()
    return [
        f'<a href="{escape(document.url)}">' if document and may_open(document, reader) else "<a>"
        for document in documents
    ]
