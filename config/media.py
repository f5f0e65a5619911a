"""Uploaded images in development.

Production's web server serves MEDIA_ROOT/images/ (image renditions) and nothing else
from MEDIA_ROOT (docs/deployment.md); documents and private uploads go through views
that check permission. `make run` serves exactly the same, so the embedded default
never shows a file that production would refuse. Outside DEBUG the route answers 404:
the web server in front has already served what it may.
"""

from django.conf import settings
from django.http import Http404
from django.views.static import serve


def _development() -> bool:
    return settings.DEBUG


def image(request, path):
    if not _development():
        raise Http404
    return serve(request, path, document_root=settings.MEDIA_ROOT / "images")
