"""A form sent twice makes one thing, not two.

Back and send again, or a second click on a slow connection, posted the same new trial
action, comment or update twice. Each such form carries a one-time key (`OnceMixin`,
a hidden field `once`, new each time the form is shown). The first post that makes
something records, in the member's session, the key and where the thing lives
(`remember`); a post with a key already used is sent there instead (`done`).
"""

from __future__ import annotations

import secrets

from django import forms

SESSION_KEY = "once"
KEEP = 50


class OnceMixin:
    """Mix into a Form: a hidden one-time key, new for every unbound form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["once"] = forms.CharField(widget=forms.HiddenInput, required=False)
        if not self.is_bound:
            self.initial.setdefault("once", secrets.token_urlsafe(16))


def done(request, key: str | None) -> str | None:
    """Where the thing made by the post with this key lives, if one was made."""
    if not key:
        return None
    kept = request.session.get(SESSION_KEY)
    return kept.get(key) if isinstance(kept, dict) else None


def remember(request, key: str | None, url: str) -> None:
    if not key:
        return
    kept = request.session.get(SESSION_KEY)
    kept = dict(kept) if isinstance(kept, dict) else {}
    kept[key[:64]] = url
    request.session[SESSION_KEY] = dict(list(kept.items())[-KEEP:])
