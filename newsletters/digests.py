"""E-mail digests of notifications (`manage.py send_digests`).

Each member chooses how often: straight away, daily, weekly or never. A digest holds
the notifications not yet mailed that the member may see at the moment of sending.
It is idempotent per member and period: the DigestDelivery row for ("daily:<date>")
is written in the same transaction that marks the notifications as mailed, so a second
run in the same period sends nothing. A crash after the commit and before the mail
server accepted the mail loses that one digest (the notifications stay in the site
list and the feed); it never sends one twice.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
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


def send_due(now: datetime.datetime | None = None, frequencies: Iterable[str] | None = None) -> int:
    """Send every due digest; returns the number of mails sent."""
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
    sent = 0
    for user_id in sorted(waiting):
        frequency = chosen.get(user_id, NotificationSettings._meta.get_field("frequency").default)
        if frequency in frequencies:
            sent += send_for(user_id, period=period_key(frequency, now), now=now)
    return sent


def send_for(
    user_id: int,
    *,
    period: str | None = None,
    period_prefix: str | None = None,
    now: datetime.datetime | None = None,
) -> int:
    """One member's digest for one period; 1 if a mail went out, else 0."""
    from django.contrib.auth import get_user_model

    now = now or timezone.now()
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    with transaction.atomic():
        pending = list(
            Notification.objects.select_for_update()
            .filter(user=user, digested_at__isnull=True, created_at__lte=now)
            .order_by("created_at", "pk")
        )
        shown = following.visible(user, pending)[:MAX_ITEMS]
        if not shown:
            return 0
        period = period or f"{period_prefix}:{shown[-1].pk}"
        try:
            with transaction.atomic():
                DigestDelivery.objects.create(
                    user=user, period=period, notification_count=len(shown)
                )
        except IntegrityError:
            return 0  # this period's digest has gone out already
        Notification.objects.filter(pk__in=[n.pk for n in shown]).update(digested_at=now)
        message = _message(user, shown)
        transaction.on_commit(lambda: _send(message, user_id, period))
    return 1


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


def _send(message: EmailMessage, user_id: int, period: str) -> None:
    try:
        message.send()
    except Exception:
        logger.exception("Digest %s for member %s was not sent", period, user_id)
