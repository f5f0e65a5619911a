"""E-mail digests of notifications (`manage.py send_digests`).

Each member chooses how often: straight away, daily, weekly or never. A digest holds
the notifications not yet mailed that the member may see at the moment of sending.
It is idempotent per member and period: the DigestDelivery row for ("daily:<date>")
is written in the same transaction that marks the notifications as mailed, so a second
run in the same period sends nothing. If the mail server cannot be reached (refused,
unknown host, timed out before it took anything) or refuses for now (4xx before the
message), that claim is released again: the next run sends the digest. A crash after
the commit and before the server answered, or a connection lost while the message was
on its way, loses that one digest (the notifications stay in the site list and the
feed): it is never sent twice.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from . import following
from .models import DigestDelivery, DigestFrequency, Notification, NotificationSettings

logger = logging.getLogger(__name__)
_STOP_SALT = "newsletters.digest-stop"
MAX_ITEMS = 50


def period_key(frequency: str, now: datetime.datetime) -> str:
    local = timezone.localtime(now)
    if frequency == DigestFrequency.WEEKLY:
        year, week, _ = local.isocalendar()
        return f"weekly:{year}-W{week:02d}"
    return f"daily:{local.date().isoformat()}"


def stop_token(user_id: int) -> str:
    return signing.dumps(user_id, salt=_STOP_SALT)


def read_stop_token(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=_STOP_SALT))
    except (signing.BadSignature, ValueError, TypeError, OverflowError):
        return None


def stop_url(user_id: int) -> str:
    return settings.SITE_URL + reverse("notifications:stop", args=[stop_token(user_id)])


# A member who wants news straight away gets it from a task as it happens; what that
# task could not send (the mail server was away) goes with the next run of
# send_digests, once it has waited this long.
IMMEDIATE_CATCH_UP = datetime.timedelta(minutes=10)
SENT, NOTHING, DEFERRED = 1, 0, -1


@dataclass
class Run:
    sent: int = 0
    deferred: int = 0  # the mail server could not take them: the next run sends them


def send_due(now: datetime.datetime | None = None, frequencies: Iterable[str] | None = None) -> int:
    """Send every due digest; returns the number of mails sent."""
    return run_due(now, frequencies).sent


def run_due(now: datetime.datetime | None = None, frequencies: Iterable[str] | None = None) -> Run:
    """Send every due digest: daily and weekly ones, and the straight-away ones that a
    task could not send (IMMEDIATE_CATCH_UP)."""
    now = now or timezone.now()
    frequencies = list(frequencies or (DigestFrequency.DAILY, DigestFrequency.WEEKLY))
    following.refresh()
    waiting = set(
        Notification.objects.filter(digested_at__isnull=True, created_at__lte=now)
        .values_list("user_id", flat=True)
        .distinct()
    )
    chosen = dict(
        NotificationSettings.objects.filter(user_id__in=waiting).values_list("user_id", "frequency")
    )
    run = Run()
    for user_id in sorted(waiting):
        frequency = chosen.get(user_id, NotificationSettings._meta.get_field("frequency").default)
        if frequency in frequencies:
            outcome = send_for(user_id, period=period_key(frequency, now), now=now)
        elif frequency == DigestFrequency.IMMEDIATE:
            outcome = send_for(
                user_id, period_prefix="immediate", now=now, created_before=now - IMMEDIATE_CATCH_UP
            )
        else:
            continue
        run.sent += outcome == SENT
        run.deferred += outcome == DEFERRED
    return run


def send_for(
    user_id: int,
    *,
    period: str | None = None,
    period_prefix: str | None = None,
    now: datetime.datetime | None = None,
    created_before: datetime.datetime | None = None,
) -> int:
    """One member's digest for one period: SENT (1) if a mail went out (or was handed
    to the server in a transaction that has yet to commit), NOTHING (0) if there was
    nothing to send, DEFERRED (-1) if the mail server could not take it."""
    from django.contrib.auth import get_user_model

    now = now or timezone.now()
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return NOTHING
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update()
            .filter(user=user, digested_at__isnull=True, created_at__lte=created_before or now)
            .order_by("created_at", "pk")
        )
        shown = following.visible(user, pending)[:MAX_ITEMS]
        if not shown:
            return NOTHING
        period = period or f"{period_prefix}:{shown[-1].pk}"
        try:
            with transaction.atomic():
                DigestDelivery.objects.create(
                    user=user, period=period, notification_count=len(shown)
                )
        except IntegrityError:
            return NOTHING  # this period's digest has gone out already
        claimed = [n.pk for n in shown]
        Notification.objects.filter(pk__in=claimed).update(digested_at=now)
        message = _message(user, shown)
        outcome: list[bool] = []
        transaction.on_commit(lambda: outcome.append(_send(message, user_id, period, claimed, now)))
    return DEFERRED if outcome == [False] else SENT


def _message(user, notifications: list[Notification]) -> EmailMessage:
    stop = stop_url(user.pk)
    context = {
        "user": user,
        "notifications": notifications,
        "site_url": settings.SITE_URL,
        "stop_url": stop,
        "settings_url": settings.SITE_URL + reverse("notifications:settings"),
    }
    count = len(notifications)
    subject = f"Nyt fra det, du følger ({count} {'nyhed' if count == 1 else 'nyheder'})"
    return EmailMessage(
        subject,
        render_to_string("newsletters/mail/digest.txt", context),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{stop}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def _send(
    message: EmailMessage, user_id: int, period: str, claimed: list[int], at: datetime.datetime
) -> bool:
    """Hand the digest to the mail server. False if the server took nothing (the claim
    is released, so the next run sends it); True if it was sent, or may have been."""
    connection = get_connection()
    try:
        connection.open()
    except Exception as exc:  # refused, unknown host, timeout, TLS or login: none handed
        logger.warning(
            "Digest %s for member %s waits: the mail server could not be reached (%r)",
            period,
            user_id,
            exc,
        )
        _release(user_id, period, claimed, at)
        return False
    try:
        message.connection = connection
        message.send()
    except (smtplib.SMTPSenderRefused, smtplib.SMTPRecipientsRefused) as exc:
        if _temporary(exc):  # refused before the message itself: nothing delivered
            logger.warning("Digest %s for member %s waits: %s", period, user_id, exc)
            _release(user_id, period, claimed, at)
            return False
        logger.exception("Digest %s for member %s was refused", period, user_id)
    except Exception:
        # The connection went while the message was on its way: it may have arrived,
        # so it is not sent again (never twice; the notifications stay in the list).
        logger.exception("Digest %s for member %s was not sent", period, user_id)
    finally:
        connection.close()
    return True


def _temporary(exc: smtplib.SMTPException) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in exc.recipients.values()]
    else:
        codes = [exc.smtp_code]
    return bool(codes) and all(400 <= code < 500 for code in codes)


def _release(user_id: int, period: str, claimed: list[int], at: datetime.datetime) -> None:
    """Undo the claim of a digest the mail server did not take."""
    with transaction.atomic():
        DigestDelivery.objects.filter(user_id=user_id, period=period).delete()
        Notification.objects.filter(pk__in=claimed, digested_at=at).update(digested_at=None)
