"""Subscribing, confirming, changing and leaving: the writes behind the public pages.

Every change of consent leaves a ConsentRecord. Mails are sent through a task
after the database write is done, the same way for every outcome, so the response
to the subscribe form never tells whether an address was already known.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from . import tokens
from .consent import CONSENT_VERSION
from .models import (
    ConsentAction,
    ConsentMethod,
    ConsentRecord,
    Subscriber,
    SubscriberStatus,
)
from .models.subscribers import new_key, normalize_email


@dataclass
class Interests:
    """What a subscriber wants: work areas, optionally limited to places."""

    work_areas: Iterable = ()
    regions: Iterable = ()
    municipalities: Iterable = ()
    paused: bool = False

    @classmethod
    def from_form(cls, data: dict) -> Interests:
        return cls(
            work_areas=list(data.get("work_areas") or ()),
            regions=list(data.get("regions") or ()),
            municipalities=list(data.get("municipalities") or ()),
            paused=bool(data.get("paused")),
        )


class Notice(enum.StrEnum):
    CONFIRM = "confirm"
    ALREADY = "already"
    WELCOME = "welcome"  # after the confirmation: what was chosen, and the links to change it


class ConfirmResult(enum.StrEnum):
    READY = "ready"  # a good link, not used yet: the page asks for the click
    CONFIRMED = "confirmed"
    ALREADY = "already"
    EXPIRED = "expired"
    SUPERSEDED = "superseded"  # a later sign-up with other choices sent a newer link
    INVALID = "invalid"


@dataclass
class MemberResult:
    subscriber: Subscriber
    confirmation_sent: bool = False
    notices: list[str] = field(default_factory=list)


def request_subscription(
    email: str, interests: Interests, method: str = ConsentMethod.FORM
) -> Subscriber:
    """A subscribe request, as from the public form.

    New, pending or unsubscribed: the choices are stored and a confirmation mail goes
    out. Already confirmed: nothing changes (the requester has not proved they own
    the address) and the owner gets a mail with the link to their preferences.
    """
    with transaction.atomic():
        subscriber, _created = Subscriber.objects.select_for_update().get_or_create(
            email=normalize_email(email)
        )
        notice = Notice.ALREADY if subscriber.is_confirmed else Notice.CONFIRM
        if notice == Notice.CONFIRM:
            # A link confirms what its mail described: new choices replace the pending
            # ones and make the earlier links void (the same choices again, as after a
            # second click, keep them working).
            changed = _interest_ids(subscriber) != _interest_ids(interests)
            _make_pending(subscriber, renew=changed)
            set_interests(subscriber, interests)
    send_notice(subscriber, notice, method)
    return subscriber


def _interest_ids(source) -> tuple[frozenset, frozenset, frozenset]:
    """The chosen work areas, regions and municipalities as sets of ids, of a stored
    subscriber or of an Interests."""
    if isinstance(source, Subscriber):
        if source.pk is None:
            return frozenset(), frozenset(), frozenset()
        return (
            frozenset(source.work_areas.values_list("pk", flat=True)),
            frozenset(source.regions.values_list("pk", flat=True)),
            frozenset(source.municipalities.values_list("pk", flat=True)),
        )
    return tuple(
        frozenset(getattr(item, "pk", item) for item in items)
        for items in (source.work_areas, source.regions, source.municipalities)
    )


def _make_pending(subscriber: Subscriber, *, renew: bool = False) -> None:
    if renew or subscriber.status != SubscriberStatus.PENDING or not subscriber.confirm_nonce:
        subscriber.status = SubscriberStatus.PENDING
        subscriber.confirm_nonce = new_key()
        subscriber.save(update_fields=["status", "confirm_nonce"])


def set_interests(subscriber: Subscriber, interests: Interests) -> None:
    subscriber.work_areas.set(interests.work_areas)
    subscriber.regions.set(interests.regions)
    subscriber.municipalities.set(interests.municipalities)


def send_notice(subscriber: Subscriber, notice: Notice, method: str) -> None:
    from .tasks import send_subscription_mail

    send_subscription_mail.enqueue(subscriber.pk, str(notice), CONSENT_VERSION, str(method))


def confirm(token: str, *, commit: bool = True) -> tuple[ConfirmResult, Subscriber | None]:
    """Double opt-in. Confirming twice is harmless; an expired link asks to start over.

    With `commit=False` nothing is written: a good link that is not used yet answers
    READY. Opening the link (GET) asks so, and only the button on that page (POST)
    confirms: mail scanners open links on their own, and consent is the person's act.
    """
    try:
        request = tokens.read_confirm_token(token)
    except tokens.Invalid:
        return ConfirmResult.INVALID, None
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(pk=request.subscriber_id).first()
        if subscriber is None or not subscriber.confirm_nonce:
            return ConfirmResult.INVALID, None
        if subscriber.confirm_nonce != request.nonce:
            if subscriber.status == SubscriberStatus.PENDING and not request.expired:
                return ConfirmResult.SUPERSEDED, None
            if subscriber.is_confirmed:  # a newer mail's link was used: nothing to do
                return ConfirmResult.ALREADY, subscriber
            return ConfirmResult.INVALID, None
        if subscriber.is_confirmed:
            return ConfirmResult.ALREADY, subscriber
        if request.expired:
            return ConfirmResult.EXPIRED, subscriber
        if not commit:
            return ConfirmResult.READY, subscriber
        activate(subscriber, method=request.method, text_version=request.text_version)
    # A user walk confirmed and had no link to their choices until the first issue.
    send_notice(subscriber, Notice.WELCOME, request.method)
    return ConfirmResult.CONFIRMED, subscriber


def activate(subscriber: Subscriber, *, method: str, text_version: str, at=None) -> None:
    """Record consent and start sending to the address."""
    at = at or timezone.now()
    subscriber.status = SubscriberStatus.ACTIVE
    subscriber.confirmed_at = at
    subscriber.unsubscribed_at = None
    subscriber.save(update_fields=["status", "confirmed_at", "unsubscribed_at"])
    _record(subscriber, ConsentAction.GIVEN, method, text_version, at)


def _record(subscriber, action, method, text_version="", at=None) -> None:
    ConsentRecord.objects.create(
        subscriber=subscriber,
        action=action,
        method=method if method in ConsentMethod.values else ConsentMethod.FORM,
        text_version=text_version,
        scope=", ".join(area.name for area in subscriber.work_areas.all())[:1000],
        created_at=at or timezone.now(),
    )


def update_preferences(subscriber: Subscriber, interests: Interests, method: str) -> None:
    """Change work areas and places, pause or resume. A new scope is a new consent."""
    with transaction.atomic():
        before = set(subscriber.work_areas.values_list("pk", flat=True))
        set_interests(subscriber, interests)
        if subscriber.is_confirmed:
            status = SubscriberStatus.PAUSED if interests.paused else SubscriberStatus.ACTIVE
            if status != subscriber.status:
                subscriber.status = status
                subscriber.save(update_fields=["status"])
            after = {getattr(area, "pk", area) for area in interests.work_areas}
            if after != before:
                _record(subscriber, ConsentAction.GIVEN, method, CONSENT_VERSION)


def unsubscribe(subscriber: Subscriber, method: str) -> bool:
    """Stop all mail to the address at once. Idempotent; returns whether it changed."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
        if subscriber.status == SubscriberStatus.UNSUBSCRIBED:
            return False
        subscriber.status = SubscriberStatus.UNSUBSCRIBED
        subscriber.unsubscribed_at = timezone.now()
        subscriber.confirm_nonce = ""
        subscriber.save(update_fields=["status", "unsubscribed_at", "confirm_nonce"])
        _record(subscriber, ConsentAction.WITHDRAWN, method)
    return True


def subscriber_for_member(user) -> Subscriber | None:
    return Subscriber.objects.filter(email=normalize_email(user.email)).first()


def subscribe_member(user, interests: Interests) -> MemberResult:
    """From the member's own page. A verified login address is proof enough of owning
    it, so consent is recorded at once (method: profile); otherwise double opt-in."""
    subscriber = subscriber_for_member(user)
    if subscriber and subscriber.is_confirmed:
        update_preferences(subscriber, interests, ConsentMethod.PROFILE)
        return MemberResult(subscriber)
    verified = EmailAddress.objects.filter(
        user=user, email__iexact=user.email, verified=True
    ).exists()
    if not verified:
        subscriber = request_subscription(user.email, interests, ConsentMethod.PROFILE)
        return MemberResult(subscriber, confirmation_sent=True)
    with transaction.atomic():
        subscriber, _ = Subscriber.objects.get_or_create(email=normalize_email(user.email))
        _make_pending(subscriber)
        set_interests(subscriber, interests)
        activate(subscriber, method=ConsentMethod.PROFILE, text_version=CONSENT_VERSION)
    return MemberResult(subscriber)


def import_subscriber(
    email: str, work_areas: Iterable, *, text_version: str = CONSENT_VERSION, consented_at=None
) -> Subscriber:
    """An address whose consent was collected elsewhere (a list moved here).

    Only for consent that was actually given; the record says 'import'. Idempotent.
    """
    with transaction.atomic():
        subscriber, created = Subscriber.objects.get_or_create(email=normalize_email(email))
        if created or not subscriber.is_confirmed:
            _make_pending(subscriber)
            set_interests(subscriber, Interests(work_areas=list(work_areas)))
            activate(
                subscriber,
                method=ConsentMethod.IMPORT,
                text_version=text_version,
                at=consented_at,
            )
    return subscriber
