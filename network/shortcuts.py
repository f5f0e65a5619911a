"""One 404 for "not there" and "not yours to see".

Django's get_object_or_404 raises with "No <Model> matches the given query", which
DEBUG's page shows, while a permission check raises a plain Http404: a guesser could
tell a made-up id from a hidden one (an outside check). Views that hide what a user
may not see look their objects up with `one_or_404`.
"""

from __future__ import annotations

from django.http import Http404


def one_or_404(queryset, **lookup):
    """The one object of `queryset` matching `lookup`, else a plain Http404."""
    found = queryset.filter(**lookup).first()
    if found is None:
        raise Http404
    return found
