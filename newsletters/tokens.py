"""Signed links in mails: confirm a subscription, manage it, unsubscribe.

Nothing is stored per link. A confirmation token carries the consent text version
and method, so what was agreed to is exactly what the mail said, and it expires. A
manage token never expires (RFC 8058 expects the unsubscribe link of an old mail to
keep working) but is revoked by replacing the subscriber's manage_key.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core import signing

from .models import Subscriber

CONFIRM_MAX_AGE = datetime.timedelta(days=7)
_CONFIRM_SALT = "newsletters.confirm"
_MANAGE_SALT = "newsletters.manage"
_manage_signer = signing.Signer(salt=_MANAGE_SALT)

Expired = signing.SignatureExpired
Invalid = signing.BadSignature


@dataclass(frozen=True)
class ConfirmRequest:
    subscriber_id: int
    nonce: str
    text_version: str
    method: str
    expired: bool = False


def confirm_token(subscriber: Subscriber, *, text_version: str, method: str) -> str:
    return signing.dumps(
        [subscriber.pk, subscriber.confirm_nonce, text_version, method], salt=_CONFIRM_SALT
    )


def read_confirm_token(token: str) -> ConfirmRequest:
    """Raises Invalid for a forged or garbled token. An expired but genuine token is
    returned with expired=True: clicking an old link after confirming is harmless."""
    try:
        value = signing.loads(token, salt=_CONFIRM_SALT)
    except (ValueError, UnicodeError) as exc:  # garbled base64/JSON behind a valid-looking token
        raise Invalid(str(exc)) from exc
    if not (
        isinstance(value, list)
        and len(value) == 4
        and isinstance(value[0], int)
        and all(isinstance(part, str) for part in value[1:])
    ):
        raise Invalid("Unexpected token payload")
    try:
        signing.loads(token, salt=_CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except Expired:
        return ConfirmRequest(*value, expired=True)
    return ConfirmRequest(*value)


def manage_token(subscriber_id: int, manage_key: str) -> str:
    return _manage_signer.sign_object([subscriber_id, manage_key])


def subscriber_for_manage_token(token: str) -> Subscriber | None:
    try:
        value = _manage_signer.unsign_object(token)
    except (signing.BadSignature, ValueError, UnicodeError):
        return None
    if not (isinstance(value, list) and len(value) == 2 and isinstance(value[0], int)):
        return None
    return Subscriber.objects.filter(pk=value[0], manage_key=value[1]).first()
