"""Sending an edition: nothing lost, nothing twice, resumable after a crash.

1. `start` freezes the edition (status SENDING) and `prepare` writes one PENDING
   delivery row per receiving subscriber whose segment has content. The unique
   constraint (edition, subscriber) plus ignore_conflicts makes this idempotent.
2. `run` registers itself as a SendRun (its id is the claim on the rows it holds,
   renewed by a heartbeat), claims a batch (one UPDATE tags the rows SENDING), and
   sends one message at a time over one open connection: each row is marked handed
   just before its message goes to the server and SENT, with the server's reply,
   as soon as the server accepts it.
3. Whatever stops a run (an exception, Ctrl-C) puts the untouched rows back to
   PENDING. A hard kill (SIGKILL, power loss) leaves the run's rows SENDING; the next
   run sees at once that the run is dead (its process is gone, or its heartbeat
   stopped), puts the rows that were never handed back to PENDING, and settles the
   one row per dead run that was handed but not recorded ("in doubt", by default sent
   again; see docs/newsletters.md).
4. A mail server that is down or drops the connection is retried with backoff for
   NEWSLETTER_SMTP_RETRY_SECONDS; then the run stops, resumable, with
   MailServerUnavailable.
"""

from __future__ import annotations

import datetime
import logging
import os
import smtplib
import socket
import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import get_connection
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from . import permissions
from .models import Delivery, DeliveryStatus, Edition, EditionStatus, SendRun
from .rendering import EditionMailer, Recipient
from .segments import EditionContent, Segment, segments_for

logger = logging.getLogger(__name__)
BATCH_SIZE = 200
MAX_ATTEMPTS = 3
# Errors that concern one message or recipient: record, retry later, carry on.
RECIPIENT_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError, ValueError)
# The mail server is away (refused, dropped, timed out): wait and try again.
SERVER_ERRORS = (
    smtplib.SMTPServerDisconnected,
    # A refused sender (MAIL FROM: a rate limit, 421, a rejected sender address) is the
    # same for every mail: waited for, then the send stops resumably.
    smtplib.SMTPSenderRefused,
    smtplib.SMTPConnectError,
    smtplib.SMTPHeloError,
    ConnectionError,
    TimeoutError,
    socket.gaierror,
)
# Errors smtplib raises before a message's DATA begins: that message was not taken.
BEFORE_DATA = (
    smtplib.SMTPSenderRefused,
    smtplib.SMTPConnectError,
    smtplib.SMTPHeloError,
    smtplib.SMTPAuthenticationError,
)
# The database is away (restarted, unreachable): a mail the server has taken is recorded
# once it is back (retried for NEWSLETTER_DB_RETRY_SECONDS), else the send stops.
DATABASE_ERRORS = (OperationalError, InterfaceError)
IN_DOUBT_POLICIES = ("resend", "assume-sent", "wait")
DEFAULT_IN_DOUBT = "resend"


def heartbeat_seconds() -> float:
    return float(getattr(settings, "NEWSLETTER_SEND_HEARTBEAT_SECONDS", 5))


def lease_seconds() -> float:
    return float(getattr(settings, "NEWSLETTER_SEND_LEASE_SECONDS", 60))


def smtp_retry_seconds() -> float:
    return float(getattr(settings, "NEWSLETTER_SMTP_RETRY_SECONDS", 300))


def db_retry_seconds() -> float:
    return float(getattr(settings, "NEWSLETTER_DB_RETRY_SECONDS", 30))


class DatabaseUnavailable(Exception):
    """The database went away during a send. `unrecorded`: ids of deliveries the mail
    server took whose SENT record could not be written (they are in doubt on resume)."""

    def __init__(self, error: BaseException, unrecorded: list[int]):
        super().__init__(str(error))
        self.error = error
        self.unrecorded = unrecorded


def retry_while_database_away(write, *args, **kwargs):
    """Run a write that records a mail the server took, or the claim of the next batch;
    while the database is away, try again (with a fresh connection) for up to
    db_retry_seconds, because losing the record would send that mail again on resume,
    and a blip between two batches stopped the whole send. A claim is one transaction:
    one that failed took nothing (should its commit have reached the database but not
    its answer, its rows were never handed to the server, and the next run puts them
    back in the queue)."""
    from django.db import connection

    deadline = time.monotonic() + db_retry_seconds()
    delay = 0.5
    while True:
        try:
            return write(*args, **kwargs)
        except DATABASE_ERRORS:
            if time.monotonic() >= deadline or connection.in_atomic_block:
                raise
            logger.warning(
                "Database away; trying %s again in %.1f s",
                getattr(write, "__name__", "a write"),
                delay,
            )
            connection.close()
            time.sleep(delay)
            delay = min(delay * 2, 5.0)


def smtp_connections() -> int:
    return max(1, int(getattr(settings, "NEWSLETTER_SMTP_CONNECTIONS", 1)))


class SendingError(Exception):
    """A request the edition's state does not allow; the message is shown to editors."""


class MailServerUnavailable(Exception):
    """The mail server stayed away for NEWSLETTER_SMTP_RETRY_SECONDS; the run stopped
    with every row either sent or waiting, so it can be resumed."""

    def __init__(self, cause: BaseException, waited: float):
        self.cause = cause
        self.waited = waited
        super().__init__(f"{_error_text(cause)} (ventede {waited:.0f} s)")


@dataclass(frozen=True)
class Progress:
    """Every row of the edition is in exactly one of the counters but `skipped`, which
    is outside `total`: sent + failed + retrying + pending + sending + in_doubt = total."""

    total: int = 0
    sent: int = 0
    failed: int = 0  # gave up after MAX_ATTEMPTS
    retrying: int = 0
    pending: int = 0  # waiting, including rows a dead run held but never handed
    sending: int = 0  # held by a live run
    in_doubt: int = 0  # handed to the server by a run that died before recording it
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
            content = EditionContent(locked)
            if content.withdrawn and not content.items:
                titles = ", ".join(f"»{item.title}«" for item in content.withdrawn)
                raise SendingError(
                    f"Alle nyhedsbrevets punkter er ikke længere offentlige ({titles}), så "
                    "der er intet at sende. Fjern dem eller tilføj nye, og prøv igen."
                )
            if not content.items:
                raise SendingError("Nyhedsbrevet har ingen punkter med arbejdsområde.")
            _check_buildable(locked)
            locked.status = EditionStatus.SENDING
            locked.send_started_at = timezone.now()
            locked.save(update_fields=["status", "send_started_at"])
    if locked.status == EditionStatus.SENDING:
        prepare(locked)
    return locked


def _check_buildable(edition: Edition) -> None:
    """Build one mail of the edition as it will be sent, before anything is frozen. A
    mail that cannot be built fails for every subscriber alike, so say so now, while the
    edition can still be changed."""
    from django.core.mail import BadHeaderError

    try:
        message = EditionMailer(edition).message(Recipient(email="kontrol@example.invalid"), None)
        if message is not None:
            message.message()
    except (BadHeaderError, ValueError, UnicodeError) as exc:
        raise SendingError(
            f"Nyhedsbrevet kan ikke sendes, for mailen kan ikke bygges ({exc}). Ret det, "
            "og prøv igen; intet er sendt."
        ) from exc


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
    in_doubt: str = DEFAULT_IN_DOUBT,
    sleep: Callable[[float], None] = time.sleep,
) -> Progress:
    """Send every claimable delivery of a SENDING edition, batch by batch.

    First the rows of dead runs are recovered (`recover`, with `in_doubt` deciding
    about the at most one row per dead run that was handed to the server). A mail
    server that is away is retried with backoff for NEWSLETTER_SMTP_RETRY_SECONDS,
    then MailServerUnavailable is raised with everything recorded.
    """
    edition = Edition.objects.get(pk=getattr(edition, "pk", edition))
    if edition.status == EditionStatus.DRAFT:
        raise SendingError("Nyhedsbrevet er ikke sat til udsendelse endnu.")
    if edition.status == EditionStatus.SENT:
        return progress(edition)
    content = EditionContent(edition)
    retry_while_database_away(prepare, edition, content)  # rows that exist are left alone
    mailer = EditionMailer(edition, content)
    with SendLease(edition) as lease:
        recover(edition, in_doubt)
        outage_started: float | None = None
        delay = 1.0
        while True:
            try:
                if outage_started is not None:
                    with get_connection():  # raises while the server is still away
                        pass
                    # Back: the mail that was on its way when it went is in doubt,
                    # settled by the policy. Should it stay away, the mail stays in
                    # doubt, counted as such, for the next run to settle.
                    retry_while_database_away(recover, edition, in_doubt)
                _send_all(edition, mailer, lease, batch_size, on_batch)
                break
            except SERVER_ERRORS as exc:
                now = time.monotonic()
                outage_started = outage_started or now
                waited = now - outage_started
                if waited >= smtp_retry_seconds():
                    logger.error("Mail server away for %.0f s; sending stopped: %r", waited, exc)
                    raise MailServerUnavailable(exc, waited) from exc
                logger.warning("Mail server away (%r); trying again in %.0f s", exc, delay)
                _wait(min(delay, smtp_retry_seconds() - waited), lease, sleep)
                delay = min(delay * 2, 30.0)
    # The run's own connection sat idle while the senders worked: the database may have
    # dropped it meanwhile (a restart), so these are tried again like the senders' writes.
    retry_while_database_away(skip_unreachable, edition)
    retry_while_database_away(finish_if_done, edition)
    return retry_while_database_away(progress, edition)


def _send_all(edition, mailer, lease, batch_size, on_batch) -> None:
    """Send until no row is left, over NEWSLETTER_SMTP_CONNECTIONS connections at once
    (each in a thread of its own with its own batches; a mail server answers several
    connections in parallel). The first error stops every sender after its current
    message and is raised here."""
    senders = smtp_connections()
    if senders == 1:
        _sender(edition, mailer, lease, batch_size, on_batch, stop=None)
        return
    import threading

    from django.db import connections

    stop = threading.Event()
    errors: list[BaseException] = []

    def work():
        try:
            _sender(edition, mailer, lease, batch_size, on_batch, stop)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller below
            errors.append(exc)
            stop.set()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, name=f"newsletter-{n}") for n in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def _sender(edition, mailer, lease, batch_size, on_batch, stop) -> None:
    """One sender: a lease of its own (its id is the claim on its rows, so at most one
    of its mails is ever in doubt) and one connection while the server answers."""
    with (
        SendLease(edition) as own,
        _asynchronous_commits(),
        get_connection() as connection,
    ):
        while not (stop and stop.is_set()) and (
            rows := retry_while_database_away(claim, edition, batch_size, own.run_id)
        ):
            outcome = send_batch(connection, mailer, rows, own, stop)
            lease.beat()
            if on_batch:
                on_batch(outcome)


@contextmanager
def _asynchronous_commits():
    """On PostgreSQL, this sender's commits do not wait for the disk (synchronous_commit
    off): each mail commits twice, and a flush per commit would cap sending at a few
    hundred commits a second. A killed sender loses nothing by it (the database server
    has the commits); only a crash of the database server itself can lose the last
    fraction of a second of records, whose mails are then sent again on resume. See
    docs/newsletters.md."""
    from django.db import connection

    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
        except DATABASE_ERRORS:
            # The database went away: the error on its way up (DatabaseUnavailable,
            # naming the mails taken but not recorded) must not be replaced by this one.
            pass


def _wait(seconds: float, lease: SendLease, sleep: Callable[[float], None]) -> None:
    """Sleep without letting the lease expire."""
    end = time.monotonic() + max(seconds, 0)
    while (left := end - time.monotonic()) > 0:
        sleep(min(left, heartbeat_seconds()))
        lease.beat(force=True)


class SendLease:
    """This run's SendRun row: created on entry, renewed by `beat()` from the send loop
    (at most every NEWSLETTER_SEND_HEARTBEAT_SECONDS), deleted on a clean exit. The
    rows this run claims carry its id."""

    def __init__(self, edition: Edition):
        self.edition = edition
        self.run_id = uuid.uuid4()
        self._last_beat = 0.0

    def __enter__(self) -> SendLease:
        now = timezone.now()
        SendRun.objects.create(
            id=self.run_id,
            edition=self.edition,
            host=socket.gethostname()[:255],
            pid=os.getpid(),
            started_at=now,
            heartbeat_at=now,
        )
        self._last_beat = time.monotonic()
        return self

    def beat(self, force: bool = False) -> None:
        if force or time.monotonic() - self._last_beat >= heartbeat_seconds():
            retry_while_database_away(self._beat)
            self._last_beat = time.monotonic()

    def _beat(self) -> None:
        SendRun.objects.filter(pk=self.run_id).update(heartbeat_at=timezone.now())

    def __exit__(self, *exc) -> None:
        # On the way out because the database stayed away: one try, not another wait.
        gone = exc[0] is not None and issubclass(exc[0], (DatabaseUnavailable, *DATABASE_ERRORS))
        try:
            self._release() if gone else retry_while_database_away(self._release)
        except DATABASE_ERRORS:
            if not exc[0]:
                raise
            # The database is away and an error is on its way up already: the run's
            # rows and SendRun stay, and the next run sees this run is dead (recover).

    def _release(self) -> None:
        # Rows still held (an exception between claim and send) go back to PENDING.
        Delivery.objects.filter(claim=self.run_id, status=DeliveryStatus.SENDING).filter(
            handed_at=None
        ).update(status=DeliveryStatus.PENDING, claim=None)
        SendRun.objects.filter(pk=self.run_id).delete()


def _pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def live_runs(edition: Edition) -> set:
    """Ids of the runs of this edition that are alive: renewed within the lease, and,
    when on this host, with their process still there (so a killed run is known to be
    dead at once, not after the lease)."""
    fresh = timezone.now() - datetime.timedelta(seconds=lease_seconds())
    host = socket.gethostname()[:255]
    alive = set()
    for run_id, run_host, pid, heartbeat_at in SendRun.objects.filter(edition=edition).values_list(
        "id", "host", "pid", "heartbeat_at"
    ):
        if heartbeat_at < fresh:
            continue
        if run_host == host and not _pid_alive(pid):
            continue
        alive.add(run_id)
    return alive


def _orphaned(edition: Edition):
    """SENDING rows whose run is dead."""
    return Delivery.objects.filter(edition=edition, status=DeliveryStatus.SENDING).exclude(
        claim__in=live_runs(edition)
    )


def recover(edition: Edition, in_doubt: str = DEFAULT_IN_DOUBT) -> tuple[int, int]:
    """Take back the rows of dead runs. Rows never handed to the server go back to
    PENDING; the handed ones (at most one per dead run) are settled by `in_doubt`:
    "resend" (the default: the recipient may get it twice, with the same Message-ID),
    "assume-sent" (may never get it) or "wait" (left for a person to check the mail
    server's log). Returns (released, settled)."""
    if in_doubt not in IN_DOUBT_POLICIES:
        raise ValueError(f"Unknown in-doubt policy {in_doubt!r}")
    orphaned = _orphaned(edition)
    released = orphaned.filter(handed_at=None).update(status=DeliveryStatus.PENDING, claim=None)
    handed = orphaned.exclude(handed_at=None)
    settled = 0
    if in_doubt == "resend":
        settled = handed.update(status=DeliveryStatus.PENDING, claim=None, handed_at=None)
    elif in_doubt == "assume-sent":
        settled = handed.update(
            status=DeliveryStatus.SENT,
            sent_at=timezone.now(),
            claim=None,
            last_error="Regnet for sendt efter en afbrudt udsendelse.",
        )
    if released or settled:
        logger.warning(
            "Edition %s: %s rows of a stopped run back in the queue, %s in doubt settled (%s)",
            edition.pk,
            released,
            settled,
            in_doubt,
        )
    SendRun.objects.filter(edition=edition).exclude(pk__in=live_runs(edition)).exclude(
        pk__in=Delivery.objects.filter(edition=edition, status=DeliveryStatus.SENDING)
        .exclude(claim=None)
        .values("claim")
    ).delete()
    return released, settled


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


def claim(edition: Edition, size: int, run_id: uuid.UUID | None = None) -> list[tuple]:
    """Take up to `size` claimable rows for this run: read them, then tag them SENDING
    in one UPDATE that re-checks their status, so two runs never share a row.

    Reading the ids first (rather than UPDATE ... WHERE id IN (SELECT ... LIMIT))
    keeps the plan a primary-key lookup even when the table's statistics are stale,
    as they are right after `prepare` wrote thousands of rows.
    """
    token, now = run_id or uuid.uuid4(), timezone.now()
    with transaction.atomic():
        # On PostgreSQL, rows another sender is claiming right now are skipped rather
        # than fought over; SQLite serialises the transaction as a whole.
        rows = list(
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(_claimable(edition))
            .filter(subscriber__status__in=permissions.RECEIVING_STATUSES)
            .order_by("attempts", "pk")
            .values_list(*CLAIM_FIELDS)[:size]
        )
        if not rows:
            return []
        ids = [row[0] for row in rows]
        claimed = Delivery.objects.filter(_claimable(edition), pk__in=ids).update(
            status=DeliveryStatus.SENDING, claim=token, claimed_at=now, handed_at=None
        )
    if claimed < len(rows):  # another run took some of them first
        mine = set(
            Delivery.objects.filter(
                pk__in=ids, claim=token, status=DeliveryStatus.SENDING, handed_at=None
            ).values_list("pk", flat=True)
        )
        rows = [row for row in rows if row[0] in mine]
    return rows


def send_batch(
    connection,
    mailer: EditionMailer,
    rows: list[tuple],
    lease: SendLease | None = None,
    stop=None,
) -> BatchOutcome:
    """Send one message at a time, so every outcome is known and recorded at once.

    Per message: the row is marked handed, the message goes to the server, and once
    the server accepts it the row is SENT with the server's reply, written in the same
    statement as the next message's handed mark (one round trip per mail). A hard kill
    can therefore leave at most one row per sender in doubt.
    """
    sent = failed = 0
    done = 0
    # The mail the server has accepted whose SENT record is not written yet: it is
    # written together with the next mail's handed mark (one statement, one round trip
    # to the database), or on its own when no mail follows. Either way before the next
    # mail goes to the server, so a hard kill leaves at most one mail in doubt.
    accepted_pk: tuple[int, str] | None = None
    replies: _Replies | None = None  # the current message's, once its connection is open

    def record_accepted() -> None:
        nonlocal accepted_pk
        if accepted_pk is not None:
            retry_while_database_away(_mark_sent, *accepted_pk)
            accepted_pk = None

    try:
        for pk, attempts, segment, subscriber_id, email, manage_key in rows:
            if stop is not None and stop.is_set():
                break  # another sender failed; the rest of this batch goes back
            recipient = Recipient(email, subscriber_id, manage_key, delivery_id=pk)
            try:
                message = mailer.message(recipient, Segment.from_key(segment), connection)
            except RECIPIENT_ERRORS as exc:
                record_accepted()
                retry_while_database_away(_mark_failed, pk, attempts, _error_text(exc))
                failed += 1
                done += 1
                continue
            if message is None:
                record_accepted()
                retry_while_database_away(
                    _mark_failed, pk, attempts, "Intet indhold til modtagerens interesser."
                )
                failed += 1
                done += 1
                continue
            # Connect before handing: a server that refuses the connection has not
            # received this message, so the row goes back untouched.
            replies = _open(connection)
            if accepted_pk is not None:
                retry_while_database_away(_mark_sent_and_handed, *accepted_pk, handed=pk)
                accepted_pk = None
            else:
                retry_while_database_away(_mark_handed, pk)  # not handed yet: safe to retry
            try:
                accepted = connection.send_messages([message])
            except RECIPIENT_ERRORS as exc:
                retry_while_database_away(_mark_failed, pk, attempts, _error_text(exc))
                failed += 1
            else:
                if accepted:
                    accepted_pk = (pk, replies.last())
                    sent += 1
                else:
                    retry_while_database_away(
                        _mark_failed, pk, attempts, "Mailserveren tog ikke imod beskeden."
                    )
                    failed += 1
            done += 1
            if lease is not None:
                lease.beat()
        record_accepted()
    except BaseException as exc:
        try:
            record_accepted()
        except DATABASE_ERRORS as database_gone:
            unrecorded = [accepted_pk[0]]
            logger.error(
                "Database away: delivery %s was taken by the mail server but could not "
                "be recorded as sent; it is in doubt on resume",
                unrecorded[0],
            )
            raise DatabaseUnavailable(database_gone, unrecorded) from exc
        if isinstance(exc, DATABASE_ERRORS):
            raise DatabaseUnavailable(exc, []) from exc
        if done < len(rows):
            pk = rows[done][0]
            handed = Delivery.objects.filter(pk=pk).exclude(handed_at=None).exists()
            taken = replies is not None and replies.may_have_been_taken()
            if handed and taken and not isinstance(exc, BEFORE_DATA):
                # The server may have taken it before the error reached us (the
                # connection went during its DATA): it stays handed under this
                # sender's claim, which ends with the sender, so it is in doubt,
                # counted as such, and settled by the run's --in-doubt policy like a
                # killed sender's (recover).
                done += 1
            # Otherwise it never got as far as its DATA (a refused sender, a closed
            # connection): certainly not sent, it goes back to the queue below.
        raise
    finally:
        release = [row[0] for row in rows[done:]]
        if release:
            try:
                Delivery.objects.filter(pk__in=release, status=DeliveryStatus.SENDING).update(
                    status=DeliveryStatus.PENDING, claim=None, handed_at=None
                )
            except DATABASE_ERRORS:
                pass  # still claimed by this run, which ends: recovered on resume
    return BatchOutcome(sent=sent, failed=failed)


# The two writes every mail costs, as plain SQL: the ORM's update() spends more time
# building the statement than the database spends running it, and at hundreds of mails
# a second that is the sender's largest cost after the MIME encoding.
def _execute(sql: str, params: list) -> None:
    from django.db import connection

    table = connection.ops.quote_name(Delivery._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(sql.format(table=table), params)


def _now():
    from django.db import connection

    return connection.ops.adapt_datetimefield_value(timezone.now())


def _mark_handed(pk: int) -> None:
    _execute("UPDATE {table} SET handed_at = %s WHERE id = %s", [_now(), pk])


def _mark_sent_and_handed(pk: int, reply: str, *, handed: int) -> None:
    """`_mark_sent(pk, reply)` and `_mark_handed(handed)` in one statement."""
    now = _now()
    _execute(
        "UPDATE {table} SET "
        "status = CASE WHEN id = %s THEN %s ELSE status END, "
        "sent_at = CASE WHEN id = %s THEN %s ELSE sent_at END, "
        "claim = CASE WHEN id = %s THEN NULL ELSE claim END, "
        "last_error = CASE WHEN id = %s THEN '' ELSE last_error END, "
        "smtp_reply = CASE WHEN id = %s THEN %s ELSE smtp_reply END, "
        "handed_at = CASE WHEN id = %s THEN %s ELSE handed_at END "
        "WHERE id IN (%s, %s)",
        [pk, DeliveryStatus.SENT.value, pk, now, pk, pk, pk, reply, handed, now, pk, handed],
    )


def _mark_sent(pk: int, reply: str) -> None:
    _execute(
        "UPDATE {table} SET status = %s, sent_at = %s, claim = NULL, last_error = '', "
        "smtp_reply = %s WHERE id = %s",
        [DeliveryStatus.SENT.value, _now(), reply, pk],
    )


def _mark_failed(pk: int, attempts: int, error: str) -> None:
    Delivery.objects.filter(pk=pk).update(
        status=DeliveryStatus.FAILED,
        attempts=attempts + 1,
        last_error=error,
        claim=None,
        handed_at=None,
    )


class _Replies:
    """The mail server's reply to the last message on an smtplib connection."""

    def __init__(self, smtp=None):
        self.smtp = smtp

    def may_have_been_taken(self) -> bool:
        """Whether the message may have reached the server: its DATA had begun (or the
        backend is not smtplib's, which cannot tell)."""
        return self.smtp is None or getattr(self.smtp, "_netvaerk_in_data", False)

    def last(self) -> str:
        reply = getattr(self.smtp, "_netvaerk_last_reply", None)
        if not reply:
            return ""
        code, text = reply
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        return f"{code} {text}"[:255]


def _open(connection) -> _Replies:
    """Open the backend's connection if it is closed, and record the server's reply to
    each message's DATA (smtplib's sendmail() drops it) for `Delivery.smtp_reply`."""
    smtp = getattr(connection, "connection", None)
    if smtp is not None and getattr(smtp, "sock", True) is None:
        # smtplib closed its socket (a 421 answer): Django's backend still holds the
        # object and would not reconnect, so the next message would fail unsent.
        connection.close()
    if hasattr(connection, "open"):
        connection.open()
    smtp = getattr(connection, "connection", None)
    if smtp is None or not hasattr(smtp, "data"):
        return _Replies()
    if not getattr(smtp, "_netvaerk_recording", False):
        original = smtp.data

        def data(msg):
            smtp._netvaerk_last_reply = None
            smtp._netvaerk_in_data = True
            code, text = original(msg)
            smtp._netvaerk_last_reply = (code, text)
            return code, text

        smtp.data = data
        smtp._netvaerk_recording = True
    smtp._netvaerk_in_data = False  # this message has not begun its DATA yet
    return _Replies(smtp)


def _error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


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


@dataclass(frozen=True)
class InDoubt:
    """A mail a stopped run had handed to the mail server: look for it in the server's
    log (by address or Message-ID) before choosing resend or assume-sent."""

    delivery_id: int
    email: str
    handed_at: datetime.datetime
    message_id: str


def in_doubt(edition: Edition, limit: int = 50) -> list[InDoubt]:
    from .rendering import message_id, site_host

    host = site_host()
    rows = (
        _orphaned(edition)
        .exclude(handed_at=None)
        .order_by("handed_at", "pk")
        .values_list("pk", "subscriber__email", "handed_at")[:limit]
    )
    return [
        InDoubt(pk, email, handed_at, message_id(edition.pk, pk, host))
        for pk, email, handed_at in rows
    ]


def progress(edition: Edition) -> Progress:
    """All counters in one query (plus the live runs), for the admin and the command."""
    live = live_runs(edition)
    S = DeliveryStatus  # noqa: N806
    held = Q(status=S.SENDING, claim__in=live)
    orphan = Q(status=S.SENDING) & ~Q(claim__in=live)
    counts = Delivery.objects.filter(edition=edition).aggregate(
        total=Count("pk", filter=~Q(status=S.SKIPPED)),
        sent=Count("pk", filter=Q(status=S.SENT)),
        failed=Count("pk", filter=Q(status=S.FAILED, attempts__gte=MAX_ATTEMPTS)),
        retrying=Count("pk", filter=Q(status=S.FAILED, attempts__lt=MAX_ATTEMPTS)),
        pending=Count("pk", filter=Q(status=S.PENDING) | (orphan & Q(handed_at=None))),
        sending=Count("pk", filter=held),
        in_doubt=Count("pk", filter=orphan & ~Q(handed_at=None)),
        skipped=Count("pk", filter=Q(status=S.SKIPPED)),
    )
    return Progress(**counts)
