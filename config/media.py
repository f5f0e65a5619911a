"""Uploaded images in development.

Production's web server serves MEDIA_ROOT/images/ (image renditions) and nothing else
from MEDIA_ROOT (docs/deployment.md); documents and private uploads go through views
that check permission. `make run` serves exactly the same, so the embedded default
never shows a file that production would refuse. Elsewhere (`SERVE_MEDIA_IMAGES`
off) the route answers 404: the web server in front has already served what it may.
"""

from django.conf import settings
from django.http import Http404
from django.views.static import serve

from network.numbers import parse_int


def _development() -> bool:
    return settings.SERVE_MEDIA_IMAGES


def image(request, path):
    if not _development():
        raise Http404
    try:
        return serve(request, path, document_root=settings.MEDIA_ROOT / "images")
    except OSError:  # a name over 255 bytes (an outside sweep's 6,000 digits): a 500
        raise Http404 from None


def document(request, document_id, document_filename):
    """Wagtail's document view, for an id that can be one: its URL pattern takes any run
    of digits, and `int()` of 5,000 digits raised a 500."""
    from django.http import Http404
    from wagtail.documents.views.serve import serve as serve_document

    if parse_int(document_id, 1, 2**63 - 1) is None:
        raise Http404
    # Who may open it, before the file name is compared: Wagtail's view said "does not
    # match the given filename" for a document the reader may not see, so a guess at
    # its id could tell that it exists (an outside attacker, with DEBUG's pages).
    from wagtail.documents import get_document_model

    from network.documents import may_open

    found = get_document_model().objects.filter(pk=document_id).first()
    if found is None or not may_open(found, request.user):
        raise Http404
    response = serve_document(request, document_id, document_filename)
    # Wagtail's sendfile writes the guessed encoding even when there is none.
    if response.get("Content-Encoding") in ("None", ""):
        del response["Content-Encoding"]
    if request.user.is_authenticated:
        # Served to a member: it may be a project's material, not for shared caches.
        response["Cache-Control"] = "private, no-store"
    return response


def favicon(request):
    """/favicon.ico: browsers and feed readers ask for it whatever the page links to."""
    from django.shortcuts import redirect
    from django.templatetags.static import static

    return redirect(static("img/favicon.ico"), permanent=True)
