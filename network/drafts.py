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

What is kept: only the fields of forms an app registered (`register`: a comment, a
timeline update, a trial action), never a token, key, code or password of any other
form (a login, two-factor code, the admin); at most `MAX_CHARS` characters, for
`MAX_AGE` seconds, the `KEEP` newest pages; no file (a browser cannot be handed one
back). Only a Referer of this site's own origin counts, so a post from another site (or
a stale token's failure from one, see `config.csrf`) never puts text into a member's
form.

A draft belongs to its author. While a member is logged in the browser holds a signed
cookie with a tag of their id (`remember_author`; an HMAC, so the cookie does not say
which member used the browser, an outside check's finding); it outlives the session,
so a post made after the session ended still says who wrote it. A draft is given back
only to that member: whoever logs in next on the same browser gets nothing of it
(`forget_others`, on login). A post from a browser that no member used keeps nothing,
and is answered as before (404 or the login page).
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from django.utils.http import url_has_allowed_host_and_scheme

SESSION_KEY = "drafts"
MAX_CHARS = 100_000
MAX_AGE = 2 * 60 * 60
KEEP = 3
OWNER_COOKIE = "draft_author"
_SALT = "network.drafts.author"
_fields: set[str] = set()


def register(*form_classes) -> None:
    """Let the fields of these forms be kept as drafts (an app's `ready`)."""
    for form_class in form_classes:
        _fields.update(form_class.base_fields)


def _tag(user_id) -> str:
    from django.utils.crypto import salted_hmac

    return salted_hmac(_SALT, str(user_id)).hexdigest()[:24]


def author(request) -> str | None:
    """Who wrote what this request posts (as a tag): the logged-in member, or else the
    member whose signed cookie the browser still holds from before their session ended."""
    if request.user.is_authenticated:
        return _tag(request.user.pk)
    value = request.get_signed_cookie(OWNER_COOKIE, default=None, salt=_SALT)
    return value or None


def remember_author(request, response) -> None:
    """While a member is logged in, the browser carries their signed id (see module)."""
    from django.conf import settings

    user = request.user
    if not user.is_authenticated:
        return
    tag = _tag(user.pk)
    if request.get_signed_cookie(OWNER_COOKIE, default=None, salt=_SALT) == tag:
        return
    response.set_signed_cookie(
        OWNER_COOKIE,
        tag,
        salt=_SALT,
        max_age=settings.SESSION_COOKIE_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def form_page(request) -> str | None:
    """The path of this site's page the form was posted from, from the Referer."""
    referer = request.META.get("HTTP_REFERER", "")
    if not referer or not url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    parts = urlsplit(referer)
    path = parts.path
    if not parts.netloc or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return None  # `//evil.example/x` would be a link to another site
    return path


def keep(request) -> tuple[str | None, bool]:
    """Keep this POST's fields for the page it was sent from. Returns (that page's
    path or None, whether any text was kept)."""
    from django.conf import settings

    page = form_page(request)
    owner = author(request)
    if page is None or owner is None:
        return None, False
    if request.path.startswith(settings.DRAFT_EXCLUDED_PREFIXES):
        return page, False
    data = {name: request.POST.getlist(name) for name in request.POST if name in _fields}
    size = sum(len(value) for values in data.values() for value in values)
    typed = any(value.strip() for values in data.values() for value in values)
    if not typed or size > MAX_CHARS:
        return page, False
    drafts = _fresh(request.session.get(SESSION_KEY))
    drafts[page] = {"action": request.path, "data": data, "at": time.time(), "owner": owner}
    request.session[SESSION_KEY] = dict(
        sorted(drafts.items(), key=lambda item: item[1]["at"])[-KEEP:]
    )
    return page, True


def take(request, action_suffix: str = "") -> dict | None:
    """The fields kept for this page (whose form posted to an address ending in
    `action_suffix`), removed from the session; None if there are none."""
    drafts = _fresh(request.session.get(SESSION_KEY))
    draft = drafts.get(request.path)
    if not draft or draft.get("owner") != author(request):
        return None
    if not draft["action"].endswith(action_suffix):
        return None
    del drafts[request.path]
    request.session[SESSION_KEY] = drafts
    return draft["data"]


def forget_others(request, user) -> None:
    """On login: drop every draft someone else wrote on this browser."""
    kept = request.session.get(SESSION_KEY)
    if kept:
        tag = _tag(user.pk)
        mine = {page: d for page, d in _fresh(kept).items() if d.get("owner") == tag}
        request.session[SESSION_KEY] = mine


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
