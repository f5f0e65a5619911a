"""Text a member sent after their session ended is kept, not lost.

A member writes a comment or a log, and meanwhile the session runs out, or they log out
in another tab. The form is posted without a login, so the view answers with the login
page (or, for a project only members may see, 404). Before, the text was gone, and after
logging in the browser was sent to the address the form posted to, which answers only
POST (405).

`DraftMiddleware` (config/middleware.py) catches that answer to a POST from one of this
site's own pages: it keeps the posted fields in the session under that page (`keep`),
and sends the browser to log in and then back to that page, not to the POST address.
The page's view puts the text back in its form (`take`) and says it is not saved yet.

What is kept: the posted fields but tokens, keys and passwords, at most
`MAX_CHARS` characters, for `MAX_AGE` seconds, the `KEEP` newest pages; no file (a
browser cannot be handed one back). Only a Referer of this site's own origin counts, so
a post from another site (or a stale token's failure from one, see
`config.views.csrf_failure`) never puts text into a member's form.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from django.utils.http import url_has_allowed_host_and_scheme

SESSION_KEY = "drafts"
MAX_CHARS = 100_000
MAX_AGE = 2 * 60 * 60
KEEP = 3
SKIPPED = {"csrfmiddlewaretoken", "key", "confirmed", "next"}


def form_page(request) -> str | None:
    """The path of this site's page the form was posted from, from the Referer."""
    referer = request.META.get("HTTP_REFERER", "")
    if not referer or not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    parts = urlsplit(referer)
    if not parts.netloc or not parts.path.startswith("/"):
        return None
    return parts.path


def keep(request) -> tuple[str | None, bool]:
    """Keep this POST's fields for the page it was sent from. Returns (that page's
    path or None, whether any text was kept)."""
    page = form_page(request)
    if page is None:
        return None, False
    data = {
        name: request.POST.getlist(name)
        for name in request.POST
        if name not in SKIPPED and "password" not in name
    }
    size = sum(len(value) for values in data.values() for value in values)
    typed = any(value.strip() for values in data.values() for value in values)
    if not typed or size > MAX_CHARS:
        return page, False
    drafts = _fresh(request.session.get(SESSION_KEY))
    drafts[page] = {"action": request.path, "data": data, "at": time.time()}
    request.session[SESSION_KEY] = dict(
        sorted(drafts.items(), key=lambda item: item[1]["at"])[-KEEP:]
    )
    return page, True


def take(request, action_suffix: str = "") -> dict | None:
    """The fields kept for this page (whose form posted to an address ending in
    `action_suffix`), removed from the session; None if there are none."""
    drafts = _fresh(request.session.get(SESSION_KEY))
    draft = drafts.get(request.path)
    if not draft or not draft["action"].endswith(action_suffix):
        return None
    del drafts[request.path]
    request.session[SESSION_KEY] = drafts
    return draft["data"]


def initial_for(form_class, data: dict[str, list[str]]) -> dict:
    """A kept draft (each field's posted values) as `initial` for `form_class`: a
    multiple choice as its list, a checkbox as whether it was ticked (a browser posts
    nothing for an unticked one), anything else as its value."""
    from django import forms

    initial = {}
    for name, field in form_class.base_fields.items():
        values = data.get(name, [])
        if isinstance(field, (forms.MultipleChoiceField, forms.ModelMultipleChoiceField)):
            initial[name] = values
        elif isinstance(field, forms.BooleanField):
            initial[name] = bool(values)
        elif values:
            initial[name] = values[0]
    return initial


def _fresh(drafts) -> dict:
    if not isinstance(drafts, dict):
        return {}
    now = time.time()
    return {
        page: draft
        for page, draft in drafts.items()
        if isinstance(draft, dict) and now - draft.get("at", 0) < MAX_AGE
    }
