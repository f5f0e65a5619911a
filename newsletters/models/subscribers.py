"""Who gets the newsletter, about what, and the record of their consent."""

from django.db import models
from django.utils import timezone
from django.utils.crypto import get_random_string

from network.models import Municipality, Region, WorkArea


def new_key() -> str:
    return get_random_string(16)


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", "Afventer bekræftelse"
    ACTIVE = "active", "Aktiv"
    PAUSED = "paused", "På pause"
    UNSUBSCRIBED = "unsubscribed", "Afmeldt"


class ConsentMethod(models.TextChoices):
    """How consent was given or withdrawn."""

    FORM = "form", "Tilmeldingsformular"
    PROFILE = "profile", "Medlemsprofil"
    IMPORT = "import", "Import"
    PREFERENCES = "preferences", "Indstillingssiden (link i mail)"
    ONE_CLICK = "one_click", "Et-klik-afmelding i mailprogrammet"


class ConsentAction(models.TextChoices):
    GIVEN = "given", "Givet"
    WITHDRAWN = "withdrawn", "Trukket tilbage"


class Subscriber(models.Model):
    """An e-mail address and its interests; no account needed.

    Members are matched by e-mail address, so a member manages the subscription of
    the address they log in with.
    """

    email = models.EmailField("e-mail", unique=True)
    status = models.CharField(
        "status",
        max_length=20,
        choices=SubscriberStatus.choices,
        default=SubscriberStatus.PENDING,
        db_index=True,
    )
    work_areas = models.ManyToManyField(
        WorkArea, verbose_name="arbejdsområder", related_name="newsletter_subscribers"
    )
    regions = models.ManyToManyField(
        Region, verbose_name="regioner", blank=True, related_name="newsletter_subscribers"
    )
    municipalities = models.ManyToManyField(
        Municipality, verbose_name="kommuner", blank=True, related_name="newsletter_subscribers"
    )
    # Part of every preferences/unsubscribe link; replacing it invalidates old links.
    manage_key = models.CharField(max_length=32, default=new_key, editable=False)
    # Part of the confirmation link; cleared on unsubscribe so old links cannot
    # quietly subscribe the address again.
    confirm_nonce = models.CharField(max_length=32, blank=True, editable=False)
    created_at = models.DateTimeField("oprettet", auto_now_add=True)
    confirmed_at = models.DateTimeField("bekræftet", null=True, blank=True)
    unsubscribed_at = models.DateTimeField("afmeldt", null=True, blank=True)

    class Meta:
        ordering = ["email"]
        verbose_name = "abonnent"
        verbose_name_plural = "abonnenter"

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email = normalize_email(self.email)
        super().save(*args, **kwargs)

    @property
    def is_confirmed(self) -> bool:
        return self.status in (SubscriberStatus.ACTIVE, SubscriberStatus.PAUSED)


def normalize_email(email: str) -> str:
    """Addresses are compared case-insensitively, as every mail provider does in practice."""
    return (email or "").strip().lower()


class ConsentRecord(models.Model):
    """Proof of consent: when, to which text version, how, and for which areas.

    Append-only; deleted with the subscriber when an address is erased.
    """

    subscriber = models.ForeignKey(
        Subscriber, on_delete=models.CASCADE, related_name="consents", verbose_name="abonnent"
    )
    action = models.CharField("handling", max_length=10, choices=ConsentAction.choices)
    method = models.CharField("hvordan", max_length=20, choices=ConsentMethod.choices)
    text_version = models.CharField("samtykketekst, version", max_length=20, blank=True)
    scope = models.CharField("omfang", max_length=1000, blank=True)
    created_at = models.DateTimeField("tidspunkt", default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "samtykke"
        verbose_name_plural = "samtykker"

    def __str__(self):
        return f"{self.get_action_display()} {self.created_at:%d.%m.%Y}"
