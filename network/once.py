"""A form sent twice makes one thing, not two.

Back and send again, a second click on a slow connection, or two clicks so close that
the second arrives before the first has answered, posted the same new trial action,
comment or update twice. Each such form carries a one-time key (`OnceMixin`, a hidden
field `once`, new each time the form is shown). The post that makes something claims
the key for the member in the same transaction (`claim`: a row of `FormOnce`, unique per
member and key), and records where the thing lives; a post whose key is taken is sent
there instead (`done` before the form is checked, `claim` again inside the transaction,
where a concurrent second post waits for the first and then finds its row). Keys are
kept for `KEEP_DAYS`.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django import forms
from django.db import IntegrityError, transaction
from django.utils import timezone

KEEP_DAYS = 7


class OnceMixin:
    """Mix into a Form: a hidden one-time key, new for every unbound form."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["once"] = forms.CharField(widget=forms.HiddenInput, required=False)
        if not self.is_bound:
            self.initial.setdefault("once", secrets.token_urlsafe(16))


def done(request, key: str | None) -> str | None:
    """Where the thing made by an earlier post with this key lives, if one was made."""
    from .models import FormOnce

    if not key or not request.user.is_authenticated:
        return None
    return (
        FormOnce.objects.filter(user=request.user, key=key[:64])
        .values_list("url", flat=True)
        .first()
    )


def claim(request, key: str | None) -> str | None:
    """Claim this key for the member; call inside the transaction that makes the thing,
    then `remember` its address. Returns None when the key was free (go ahead), else
    where the earlier post's thing lives (make nothing)."""
    from .models import FormOnce

    if not key or not request.user.is_authenticated:
        return None
    try:
        with transaction.atomic():
            FormOnce.objects.create(user=request.user, key=key[:64], url="")
    except IntegrityError:
        return done(request, key) or request.path
    if secrets.randbelow(100) == 0:  # now and then, forget old keys
        FormOnce.objects.filter(created_at__lt=timezone.now() - timedelta(days=KEEP_DAYS)).delete()
    return None


def remember(request, key: str | None, url: str) -> None:
    """Where the thing made under this (claimed) key lives."""
    from .models import FormOnce

    if key and request.user.is_authenticated:
        FormOnce.objects.filter(user=request.user, key=key[:64]).update(url=url[:500])
