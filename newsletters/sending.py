"""Sending an edition: nothing lost, nothing twice, resumable after a crash.

1. `start` freezes the edition (status SENDING) and `prepare` writes one PENDING
   delivery row per receiving subscriber whose segment has content. The unique
   constraint (edition, subscriber) plus ignore_conflicts makes this idempotent.
2. `run` claims a batch (one UPDATE tags the rows SENDING with a claim id), sends
   the batch one message at a time over one open connection, then records the
   outcome: one UPDATE for the sent rows, one for the failed ones.
3. Whatever stops a run (an exception, Ctrl-C) first records what was sent and puts
   the untouched rows back to PENDING, so `send_newsletter EDITION` resumes exactly
   where it stopped. Only a hard kill between the mail server accepting a message
   and that record leaves rows SENDING: "in doubt" (see docs/newsletters.md).
"""

from __future__ import annotations

import datetime
import smtplib
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from . import permissions
from .models import Delivery, DeliveryStatus, Edition, EditionStatus
from .rendering import EditionMailer, Recipient
from .segments import EditionContent, Segment, segments_for

BATCH_SIZE = 200
MAX_ATTEMPTS = 3
# A SENDING row claimed longer ago than this belongs to a run that died.
CLAIM_TIMEOUT = datetime.timedelta(minutes=15)
# Errors that concern one message or recipient: record, retry later, carry on.
# Anything else (connection lost, server down, a bug) stops the run.
RECIPIENT_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, ValueError)


class SendingError(Exception):
    """A request the edition's state does not allow; the message is shown to editors."""


@dataclass(frozen=True)
class Progress:
    total: int = 0
    sent: int = 0
    failed: int = 0  # gave up after MAX_ATTEMPTS
    retrying: int = 0
    pending: int = 0
    sending: int = 0
    in_doubt: int = 0
    skipped: int = 0

    @property
    def remaining(self) -> int:
        return self.pending + self.retrying + self.sending

    @property
    def percent(self) -> int:
        return round(100 * self.sent / self.total) if self.total else 0


@dataclass(frozen=True)
class BatchOutcome:
    sent: int
    failed: int


def start(edition: Edition) -> Edition:
    """Freeze a draft and create its delivery rows. Safe to call twice."""
    with transaction.atomic():
        locked = Edition.objects.select_for_update().get(pk=edition.pk)
        if locked.status == EditionStatus.DRAFT:
            if not locked.items.exclude(work_area=None).exists():
                raise SendingError("Nyhedsbrevet har ingen punkter med arbejdsområde.")
            locked.status = EditionStatus.SENDING
            locked.send_started_at = timezone.now()
            locked.save(update_fields=["status", "send_started_at"])
    if locked.status == EditionStatus.SENDING:
        prepare(locked)
    return locked


def prepare(edition: Edition, content: EditionContent | None = None) -> int:
    """One PENDING row per receiving subscriber with something in this edition.

    Running it again (a resume) adds only subscribers confirmed since; rows that
    exist are left alone. Returns the number of candidate rows.
    """
    content = content or EditionContent(edition)
    segments = segments_for(permissions.receiving_subscribers())
    rows = [
        Delivery(edition=edition, subscriber_id=subscriber_id, segment=segment.key)
        for subscriber_id, segment in segments.items()
        if content.has_content(segment)
    ]
    Delivery.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
    return len(rows)


def run(
    edition: Edition | int,
    *,
    batch_size: int = BATCH_SIZE,
    on_batch: Callable[[BatchOutcome], None] | None = None,
    in_doubt: str = "wait",
) -> Progress:
    """Send every claimable delivery of a SENDING edition, batch by batch.

    in_doubt decides about rows a dead run left SENDING: "wait" leaves them (and the
    edition unfinished), "resend" sends them again (at-least-once), "assume-sent"
    records them as sent (at-most-once).
    """
    edition = Edition.objects.get(pk=getattr(edition, "pk", edition))
    if edition.status == EditionStatus.DRAFT:
        raise SendingError("Nyhedsbrevet er ikke sat til udsendelse endnu.")
    if edition.status == EditionStatus.SENT:
        return progress(edition)
    content = EditionContent(edition)
    prepare(edition, content)
    settle_in_doubt(edition, in_doubt)
    mailer = EditionMailer(edition, content)
    # One connection for the whole run: one SMTP login, however many batches.
    with get_connection() as connection:
        while rows := claim(edition, batch_size):
            outcome = send_batch(connection, mailer, rows)
            if on_batch:
                on_batch(outcome)
    skip_unreachable(edition)
    finish_if_done(edition)
    return progress(edition)


def _claimable(edition: Edition) -> Q:
    return Q(edition=edition) & (
        Q(status=DeliveryStatus.PENDING)
        | Q(status=DeliveryStatus.FAILED, attempts__lt=MAX_ATTEMPTS)
    )


CLAIM_FIELDS = (
    "pk",
    "attempts",
    "segment",
    "subscriber_id",
    "subscriber__email",
    "subscriber__manage_key",
)


def claim(edition: Edition, size: int) -> list[tuple]:
    """Take up to `size` claimable rows for this run: read them, then tag them SENDING
    in one UPDATE that re-checks their status, so two runs never share a row.

    Reading the ids first (rather than UPDATE ... WHERE id IN (SELECT ... LIMIT))
    keeps the plan a primary-key lookup even when the table's statistics are stale,
    as they are right after `prepare` wrote thousands of rows.
    """
    token, now = uuid.uuid4(), timezone.now()
    rows = list(
        Delivery.objects.filter(_claimable(edition))
        .filter(subscriber__status__in=permissions.RECEIVING_STATUSES)
        .order_by("attempts", "pk")
        .values_list(*CLAIM_FIELDS)[:size]
    )
    if not rows:
        return []
    claimed = Delivery.objects.filter(_claimable(edition), pk__in=[row[0] for row in rows]).update(
        status=DeliveryStatus.SENDING, claim=token, claimed_at=now
    )
    if claimed < len(rows):  # another run took some of them first
        mine = set(Delivery.objects.filter(claim=token).values_list("pk", flat=True))
        rows = [row for row in rows if row[0] in mine]
    return rows


def send_batch(connection, mailer: EditionMailer, rows: list[tuple]) -> BatchOutcome:
    """Send one message at a time (so every outcome is known) over the open connection."""
    sent: list[int] = []
    failed: list[tuple[int, int, str]] = []  # pk, attempts so far, error
    done = 0
    try:
        for pk, attempts, segment, subscriber_id, email, manage_key in rows:
            recipient = Recipient(email, subscriber_id, manage_key, delivery_id=pk)
            try:
                message = mailer.message(recipient, Segment.from_key(segment), connection)
                accepted = message is not None and connection.send_messages([message])
            except RECIPIENT_ERRORS as exc:
                failed.append((pk, attempts, _error_text(exc)))
            else:
                if accepted:
                    sent.append(pk)
                else:
                    failed.append((pk, attempts, "Mailserveren tog ikke imod beskeden."))
            done += 1
    except BaseException as exc:
        # This message may or may not have left; it is retried (at-least-once for it).
        pk, attempts = rows[done][0], rows[done][1]
        failed.append((pk, attempts, _error_text(exc)))
        done += 1
        raise
    finally:
        _record(sent, failed, release=[row[0] for row in rows[done:]])
    return BatchOutcome(sent=len(sent), failed=len(failed))


def _record(sent: list[int], failed: list[tuple[int, int, str]], release: list[int]) -> None:
    now = timezone.now()
    if sent:
        Delivery.objects.filter(pk__in=sent).update(
            status=DeliveryStatus.SENT, sent_at=now, claim=None, last_error=""
        )
    if failed:
        Delivery.objects.bulk_update(
            [
                Delivery(
                    pk=pk,
                    status=DeliveryStatus.FAILED,
                    attempts=attempts + 1,
                    last_error=error,
                    claim=None,
                )
                for pk, attempts, error in failed
            ],
            ["status", "attempts", "last_error", "claim"],
        )
    if release:
        Delivery.objects.filter(pk__in=release, status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.PENDING, claim=None
        )


def _error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


def _in_doubt(edition: Edition):
    return Delivery.objects.filter(
        edition=edition,
        status=DeliveryStatus.SENDING,
        claimed_at__lt=timezone.now() - CLAIM_TIMEOUT,
    )


def settle_in_doubt(edition: Edition, policy: str) -> int:
    if policy == "wait":
        return 0
    if policy == "resend":
        return _in_doubt(edition).update(status=DeliveryStatus.PENDING, claim=None)
    if policy == "assume-sent":
        return _in_doubt(edition).update(
            status=DeliveryStatus.SENT,
            sent_at=timezone.now(),
            claim=None,
            last_error="Antaget sendt efter afbrudt udsendelse.",
        )
    raise ValueError(f"Unknown in-doubt policy {policy!r}")


def skip_unreachable(edition: Edition) -> int:
    """Rows whose subscriber unsubscribed or paused after sending started are closed."""
    return (
        Delivery.objects.filter(_claimable(edition))
        .exclude(subscriber__status__in=permissions.RECEIVING_STATUSES)
        .update(status=DeliveryStatus.SKIPPED, claim=None)
    )


def finish_if_done(edition: Edition) -> bool:
    open_rows = Delivery.objects.filter(
        _claimable(edition) | Q(edition=edition, status=DeliveryStatus.SENDING)
    )
    if open_rows.exists():
        return False
    return bool(
        Edition.objects.filter(pk=edition.pk, status=EditionStatus.SENDING).update(
            status=EditionStatus.SENT, sent_at=timezone.now()
        )
    )


def progress(edition: Edition) -> Progress:
    """All counters in one query, for the admin and the command's progress bar."""
    stale = timezone.now() - CLAIM_TIMEOUT
    S = DeliveryStatus  # noqa: N806
    counts = Delivery.objects.filter(edition=edition).aggregate(
        total=Count("pk", filter=~Q(status=S.SKIPPED)),
        sent=Count("pk", filter=Q(status=S.SENT)),
        failed=Count("pk", filter=Q(status=S.FAILED, attempts__gte=MAX_ATTEMPTS)),
        retrying=Count("pk", filter=Q(status=S.FAILED, attempts__lt=MAX_ATTEMPTS)),
        pending=Count("pk", filter=Q(status=S.PENDING)),
        sending=Count("pk", filter=Q(status=S.SENDING)),
        in_doubt=Count("pk", filter=Q(status=S.SENDING, claimed_at__lt=stale)),
        skipped=Count("pk", filter=Q(status=S.SKIPPED)),
    )
    return Progress(**counts)
