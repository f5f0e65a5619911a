"""Demo content for `seed_demo`: editor permissions, a few confirmed subscribers and
one sent edition in the archive. Invented addresses; safe to run again."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from . import filling, sending, subscriptions
from .models import Delivery, DeliveryStatus, Edition, EditionStatus

SUBSCRIBERS = [
    ("jobkonsulent.syd@kommune-demo.example", ["forsikrede-ledige", "virksomhedsservice"]),
    ("ungeteam.nord@kommune-demo.example", ["unge", "kontanthjaelp"]),
    ("sygedagpenge.midt@kommune-demo.example", ["sygedagpenge", "ressourceforloeb"]),
    ("leder.hovedstaden@kommune-demo.example", ["faglighed", "digitalisering", "integration"]),
]
DEMO_SUBJECT = "Nyt fra netværket: erfaringer fra landets jobcentre"
DEMO_INTRO = (
    "Velkommen til nyhedsbrevet fra Beskæftigelsesnetværket.\n\n"
    "Her er de nyeste erfaringer fra kommunerne inden for dine arbejdsområder."
)
EDITOR_PERMISSIONS = [
    ("newsletters", "add_edition"),
    ("newsletters", "change_edition"),
    ("newsletters", "delete_edition"),
    ("newsletters", "view_edition"),
    ("newsletters", "send_edition"),
    ("newsletters", "view_subscriber"),
]


def seed(stdout=None) -> None:
    _grant_editors()
    for email, areas in SUBSCRIBERS:
        subscriptions.import_subscriber(email, _areas(areas))
    _date_subscribers_before_the_edition()
    created = _sent_edition()
    if stdout:
        stdout.write(
            f"  newsletters: {len(SUBSCRIBERS)} subscribers, "
            f"{'1 edition created' if created else 'edition existed'}"
        )


def _areas(slugs):
    from network.models import WorkArea

    return list(WorkArea.objects.filter(slug__in=slugs))


def _grant_editors() -> None:
    """Editors run the newsletter: compose, fill, preview, send, see subscribers."""
    group, _ = Group.objects.get_or_create(name="Editors")
    for app_label, codename in EDITOR_PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


SENT_AGO = datetime.timedelta(days=14)
SUBSCRIBED_AGO = datetime.timedelta(days=60)


def _date_subscribers_before_the_edition() -> None:
    """They received the archived edition, so they subscribed before it went out (an
    outside walk: *Bekræftet* today beside an edition sent two weeks ago)."""
    from .models import ConsentRecord, Subscriber

    then = timezone.now() - SUBSCRIBED_AGO
    fresh = Subscriber.objects.filter(
        email__in=[email for email, _ in SUBSCRIBERS],
        confirmed_at__gt=timezone.now() - SENT_AGO,
    )
    ConsentRecord.objects.filter(subscriber__in=fresh).update(created_at=then)
    fresh.update(created_at=then, confirmed_at=then)


def _sent_edition() -> bool:
    """An archived edition of the demo experiences. Its deliveries are recorded as sent
    without mailing anyone, so `make run` prints no newsletter mails. It is dated two
    weeks back and carries the articles only, so "Udfyld med det nye" on a freshly
    seeded site finds the projects' events and logs instead of nothing."""
    if Edition.objects.filter(subject=DEMO_SUBJECT).exists():
        return False
    edition = Edition.objects.create(subject=DEMO_SUBJECT, intro=DEMO_INTRO)
    filling.fill(edition, since=timezone.now() - datetime.timedelta(days=3650))
    # The articles went out; the projects' events and logs are left for the next
    # edition, which does not repeat what a sent one carried.
    edition.items.exclude(source="experiences").delete()
    if not edition.items.exists():
        edition.delete()
        return False
    then = timezone.now() - SENT_AGO
    Edition.objects.filter(pk=edition.pk).update(
        status=EditionStatus.SENDING, send_started_at=then, filled_until=then
    )
    sending.prepare(edition)
    Delivery.objects.filter(edition=edition).update(status=DeliveryStatus.SENT, sent_at=then)
    Edition.objects.filter(pk=edition.pk).update(status=EditionStatus.SENT, sent_at=then)
    return True
