"""Following, and the notifications it produces (docs/following.md).

A member follows a project, a trial action, a municipality, a work area or a saved
search. Content apps announce what happened (newsletters/following.py); every member
who follows something the announcement is about gets one Notification row. Whether
they may see it is decided when it is delivered (the list, the digest, the feed),
never when it is created: a log that became participants-only is not shown to
someone who may no longer see it.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


class FollowKind(models.TextChoices):
    PROJECT = "project", "Projekt"
    TRIAL_ACTION = "trial_action", "Prøvehandling"
    MUNICIPALITY = "municipality", "Kommune"
    WORK_AREA = "work_area", "Arbejdsområde"
    SEARCH = "search", "Søgning"


class Follow(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    kind = models.CharField(max_length=20, choices=FollowKind.choices)
    # A page or row id, a municipality code, a work-area slug, or a saved search's
    # canonical query string.
    key = models.CharField(max_length=500)
    label = models.CharField(max_length=255)
    created_at = models.DateTimeField(default=timezone.now)
    # A saved search: the result keys already announced, so each is announced once.
    seen = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "key"], name="unique_follow")
        ]
        indexes = [models.Index(fields=["kind", "key"])]
        ordering = ["kind", "label"]

    def __str__(self):
        return f"{self.user} følger {self.get_kind_display().lower()} {self.label}"


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # What it is about, checked against the member's permissions at delivery.
    object_kind = models.CharField(max_length=20)
    object_key = models.CharField(max_length=100)
    title = models.CharField(max_length=255)
    text = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    # Why this member hears of it: "Du følger Aarhus Kommune".
    reason = models.CharField(max_length=255, blank=True)
    # One notification per member and happening, however many follows match it.
    event_key = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    digested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "event_key"], name="unique_notification")
        ]
        indexes = [models.Index(fields=["user", "read_at"])]
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title


class DigestFrequency(models.TextChoices):
    IMMEDIATE = "immediate", "Med det samme"
    DAILY = "daily", "Én gang om dagen"
    WEEKLY = "weekly", "Én gang om ugen"
    NEVER = "never", "Aldrig"


def _feed_token() -> str:
    return secrets.token_urlsafe(32)


class NotificationSettings(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    frequency = models.CharField(
        "send mig en mail med nyt",
        max_length=10,
        choices=DigestFrequency.choices,
        default=DigestFrequency.DAILY,
    )
    # The private Atom feed's secret; a new one revokes the old link.
    feed_token = models.CharField(max_length=64, unique=True, default=_feed_token)

    def renew_feed_token(self) -> None:
        self.feed_token = _feed_token()
        self.save(update_fields=["feed_token"])

    def __str__(self):
        return f"{self.user}: {self.get_frequency_display()}"


class DigestDelivery(models.Model):
    """One digest mail per member and period ("daily:2026-12-02", "weekly:2026-W49",
    "immediate:<last notification id>"): a second run for the same period finds the
    row and sends nothing. Written when the digest is claimed (by the process `host`,
    `pid`); `sent_at` is set when the mail server took it. A row without `sent_at` whose
    process is gone was on its way when that process died: in doubt (digests.recover)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_deliveries"
    )
    period = models.CharField(max_length=40)
    created_at = models.DateTimeField(default=timezone.now)
    notification_count = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    host = models.CharField(max_length=255, blank=True)
    pid = models.IntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "period"], name="unique_digest_period")
        ]

    def __str__(self):
        return f"{self.user}: {self.period}"
