"""One row per (edition, subscriber): the ledger that makes sending exactly-once.

See docs/newsletters.md for the state machine and the remaining crash window.
"""

from django.db import models

from .editions import Edition
from .subscribers import Subscriber


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Venter"
    SENDING = "sending", "Sendes nu"
    SENT = "sent", "Sendt"
    FAILED = "failed", "Fejlet"
    SKIPPED = "skipped", "Sprunget over"


class Delivery(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    # The subscriber's interests when sending started (see segments.Segment.key).
    segment = models.TextField()
    status = models.CharField(
        max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    # The sending run that holds the row while it sends it.
    claim = models.UUIDField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Set the moment the message is handed to the mail server and kept: a row that is
    # still SENDING with handed_at set, whose run died, may have gone out ("in doubt").
    # A claimed row without it was certainly not sent.
    handed_at = models.DateTimeField(null=True, blank=True)
    # The mail server's reply to the message (e.g. "250 2.0.0 Ok: queued as 4XyZ"), to
    # trace a mail in the server's log.
    smtp_reply = models.CharField(max_length=255, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = "afsendelse"
        verbose_name_plural = "afsendelser"
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "subscriber"], name="newsletters_one_delivery_per_subscriber"
            )
        ]
        indexes = [
            models.Index(fields=["edition", "status"], name="newsletters_delivery_status"),
            models.Index(fields=["claim"], name="newsletters_delivery_claim"),
        ]

    def __str__(self):
        return f"{self.edition_id} → {self.subscriber_id}: {self.status}"


class SendRun(models.Model):
    """A running `send_newsletter` (or send task): its id is the claim on the delivery
    rows it holds. It renews `heartbeat_at` while it sends; a run whose heartbeat is
    older than NEWSLETTER_SEND_LEASE_SECONDS, or whose process on this host is gone,
    is dead, and its rows are recovered by the next run (newsletters/sending.py)."""

    id = models.UUIDField(primary_key=True)
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="send_runs")
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True)
    started_at = models.DateTimeField()
    heartbeat_at = models.DateTimeField()

    class Meta:
        verbose_name = "udsendelseskørsel"
        verbose_name_plural = "udsendelseskørsler"

    def __str__(self):
        return f"{self.edition_id}: {self.host}:{self.pid}"
