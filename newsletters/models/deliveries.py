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
