"""allauth, fitted to this site: one idea of the client's address for every limit.

allauth's own limits (failed logins, logins, sign-up, password reset) fail closed
when the shared cache is down: each takes a lock in the cache first, and a lock it
cannot take answers 429 (config/templates/429.html says why in Danish). That is the
direction wanted for logins: without the cache the lockout cannot count, and
password guessing would be unlimited."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter

from . import ratelimit


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        return ratelimit.client_ip(request)
