from django import template

from network.documents import may_open as _may_open

register = template.Library()


@register.filter
def may_open(document, request) -> bool:
    """`{% if value.document|may_open:request %}`: show a link only to a document the
    reader may open (network/documents.py)."""
    from django.contrib.auth.models import AnonymousUser

    user = getattr(request, "user", None) or AnonymousUser()
    return bool(document) and _may_open(document, user)
