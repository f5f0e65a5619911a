"""Reminders a coordinator sends from the project's dashboard to quiet municipalities."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class ProjectReminder(models.Model):
    """One reminder as sent: who sent it, to which municipalities, to how many people.

    `key` is the one-time token of the preview that led to it: a second POST of the
    same preview (a double click, the browser's "resend") finds the key taken and
    sends nothing.
    """

    project = models.ForeignKey(
        "projects.ProjectPage", on_delete=models.CASCADE, related_name="reminders"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="afsender",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subject = models.CharField("emne", max_length=200)
    body = models.TextField("besked", max_length=5000)
    municipalities = models.ManyToManyField(
        "network.Municipality", verbose_name="kommuner", blank=True, related_name="+"
    )
    recipient_count = models.PositiveIntegerField("antal modtagere", default=0)
    key = models.CharField(max_length=64, unique=True, editable=False)
    sent_at = models.DateTimeField("sendt", default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = "påmindelse"
        verbose_name_plural = "påmindelser"

    def __str__(self):
        return f"{self.subject} ({self.project})"
