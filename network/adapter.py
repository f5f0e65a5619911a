"""allauth, fitted to this site: one idea of the client's address for every limit.

allauth's own limits (failed logins, logins, sign-up, password reset) fail closed
when the shared cache is down: each takes a lock in the cache first, and a lock it
cannot take answers 429 (config/templates/429.html says why in Danish). That is the
direction wanted for logins: without the cache the lockout cannot count, and
password guessing would be unlimited.

The links that carry a secret (password reset, address confirmation) are built on
SITE_URL, as every other mail link of the site, not on the request's Host header:
with more than one allowed host a reset requested under another name would mail a
key to that name (an outside check)."""

from __future__ import annotations

from urllib.parse import quote

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse

from . import ratelimit


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        return ratelimit.client_ip(request)

    def get_reset_password_from_key_url(self, key: str) -> str:
        path = reverse("account_reset_password_from_key", kwargs={"uidb36": "UID", "key": "KEY"})
        return settings.SITE_URL + path.replace("UID-KEY", quote(key))

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return settings.SITE_URL + reverse("account_confirm_email", args=[emailconfirmation.key])
