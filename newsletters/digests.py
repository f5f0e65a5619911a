"""E-mail digests of notifications (`manage.py send_digests`).

Each member chooses how often: straight away, daily, weekly or never. A digest holds
the notifications not yet mailed nor read on the site that the member may see at the
moment of sending.
It is idempotent per member and period: the DigestDelivery row for ("daily:<date>")
is written in the same transaction that marks the notifications as mailed, so a second
run in the same period sends nothing. If the mail server cannot be reached (refused,
unknown host, timed out before it took anything) or refuses for now (4xx before the
message), that claim is released again: the next run sends the digest. The row records
the process that claimed it and, once the server took the message, `sent_at`. A
process killed between the commit and the server's answer leaves its one row without
`sent_at`: the next run finds it (its process is gone, or it is older than
`IN_DOUBT_AFTER`) and settles it by the `in_doubt` policy, as send_newsletter does:
"resend" (the default: the member may get it twice, rather than never), "assume-sent",
or "wait" (left for a person to check the mail server's log; the run says how many). A
connection lost while the message was on its way counts as sent (it may have arrived).
"""

from __future__ import annotations

import datetime
import logging
import os
import smtplib
import socket
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
# A claimed digest without `sent_at` is in doubt once its process is gone (known at once
# on the same host) or, on another host, after this long (longer than a send can take).
IN_DOUBT_AFTER = datetime.timedelta(minutes=15)
IN_DOUBT_POLICIES = ("resend", "assume-sent", "wait")
DEFAULT_IN_DOUBT = "resend"


@dataclass
class Run:
    sent: int = 0
    deferred: int = 0  # the mail server could not take them: the next run sends them
    resent: int = 0  # in doubt after a killed run, released to be sent again
    in_doubt: int = 0  # in doubt and left (policy "wait")


def recover(now: datetime.datetime | None = None, in_doubt: str = DEFAULT_IN_DOUBT) -> tuple:
    """Settle the digests a killed process claimed and never recorded as sent. Returns
    (released to be sent again, left in doubt)."""
    from .sending import _pid_alive

    if in_doubt not in IN_DOUBT_POLICIES:
        raise ValueError(f"Unknown in-doubt policy {in_doubt!r}")
    now = now or timezone.now()
    host = socket.gethostname()[:255]
    doubtful = []
    for delivery in DigestDelivery.objects.filter(sent_at=None):
        if delivery.created_at < now - IN_DOUBT_AFTER or (
            delivery.host == host and not _pid_alive(delivery.pid)
        ):
            doubtful.append(delivery)
    released = left = 0
    for delivery in doubtful:
        if in_doubt == "resend":
            claimed = list(
                Notification.objects.filter(
                    user_id=delivery.user_id, digested_at=delivery.created_at
                ).values_list("pk", flat=True)
            )
            _release(delivery.user_id, delivery.period, claimed, delivery.created_at)
            released += 1
        elif in_doubt == "assume-sent":
            DigestDelivery.objects.filter(pk=delivery.pk).update(sent_at=delivery.created_at)
        else:
            left += 1
    if doubtful:
        logger.warning(
            "%s digests of a stopped run were in doubt, settled by %s", len(doubtful), in_doubt
        )
    return released, left


def send_due(now: datetime.datetime | None = None, frequencies: Iterable[str] | None = None) -> int:
    """Send every due digest; returns the number of mails sent."""
    return run_due(now, frequencies).sent


def run_due(
    now: datetime.datetime | None = None,
    frequencies: Iterable[str] | None = None,
    in_doubt: str = DEFAULT_IN_DOUBT,
) -> Run:
    """Send every due digest: daily and weekly ones, and the straight-away ones that a
    task could not send (IMMEDIATE_CATCH_UP). First the digests a killed run left in
    doubt are settled (`recover`)."""
    from .sending import retry_while_database_away

    now = now or timezone.now()
    frequencies = list(frequencies or (DigestFrequency.DAILY, DigestFrequency.WEEKLY))
    run = Run()
    run.resent, run.in_doubt = recover(now, in_doubt)
    following.refresh()
    waiting = set(
        Notification.objects.filter(digested_at__isnull=True, read_at__isnull=True)
        .filter(created_at__lte=now)
        .values_list("user_id", flat=True)
        .distinct()
    )
    chosen = dict(
        NotificationSettings.objects.filter(user_id__in=waiting).values_list("user_id", "frequency")
    )
    for user_id in sorted(waiting):
        frequency = chosen.get(user_id, NotificationSettings._meta.get_field("frequency").default)
        # A database blip is tried again per member (retry_while_database_away): a
        # member's claim is one transaction, rolled back whole if the database went
        # during it, and a digest that did go out is not sent twice (its period's row).
        if frequency in frequencies:
            outcome = retry_while_database_away(
                send_for, user_id, period=period_key(frequency, now), now=now
            )
        elif frequency == DigestFrequency.IMMEDIATE:
            outcome = retry_while_database_away(
                send_for,
                user_id,
                period_prefix="immediate",
                now=now,
                created_before=now - IMMEDIATE_CATCH_UP,
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
            # Read on the site already (an outside walk: *Markér alle som læst*, and the
            # digest mailed them anyway).
            .filter(read_at__isnull=True)
            .order_by("created_at", "pk")
        )
        shown = following.visible(user, pending)[:MAX_ITEMS]
        if not shown:
            return NOTHING
        period = period or f"{period_prefix}:{shown[-1].pk}"
        try:
            with transaction.atomic():
                DigestDelivery.objects.create(
                    user=user,
                    period=period,
                    notification_count=len(shown),
                    created_at=now,
                    host=socket.gethostname()[:255],
                    pid=os.getpid(),
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
    from .sending import retry_while_database_away

    # A database blip here would leave the digest in doubt, and resent by the next run.
    retry_while_database_away(
        DigestDelivery.objects.filter(user_id=user_id, period=period).update,
        sent_at=timezone.now(),
    )
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
