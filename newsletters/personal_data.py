"""A member's newsletter data for the GDPR self-service in network.personal_data.

The subscription belongs to the member's login address, and follows it when the member
changes it (`move`, on allauth's `email_changed`): before, the old address went on
receiving, orphaned, left out of "Mine data" and not erased with the account. Export
and erasure look at every *verified* address the account has held on to as well: an
address a member merely typed in at /konto/email/ may be someone else's, and their
subscription is not the member's to read or erase.
"""

from __future__ import annotations

from .models import Subscriber
from .models.subscribers import normalize_email


def _addresses(user) -> set[str]:
    from allauth.account.models import EmailAddress

    known = EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True)
    return {normalize_email(address) for address in [user.email, *known] if address}


def _subscriber(user):
    return Subscriber.objects.filter(email__in=_addresses(user)).order_by("-created_at").first()


def move(old: str | None, new: str) -> bool:
    """Move the subscription of the login address `old` to `new`. If `new` has one of
    its own, that one is kept and the old one goes. Returns whether anything changed."""
    from django.db import transaction

    if not old or normalize_email(old) == normalize_email(new):
        return False
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(email=normalize_email(old))
        subscriber = subscriber.first()
        if subscriber is None:
            return False
        if Subscriber.objects.filter(email=normalize_email(new)).exists():
            subscriber.delete()
        else:
            subscriber.email = normalize_email(new)
            subscriber.save(update_fields=["email"])
    return True


def login_address_changed(sender, request, user, from_email_address, to_email_address, **kw):
    move(from_email_address.email if from_email_address else None, to_email_address.email)


def export(user) -> dict | None:
    subscriber = _subscriber(user)
    if subscriber is None:
        return None
    return {
        "email": subscriber.email,
        "status": subscriber.status,
        "work_areas": [area.slug for area in subscriber.work_areas.all()],
        "regions": [region.code for region in subscriber.regions.all()],
        "municipalities": [m.code for m in subscriber.municipalities.all()],
        "created_at": subscriber.created_at.isoformat(),
        "confirmed_at": subscriber.confirmed_at.isoformat() if subscriber.confirmed_at else None,
        "consents": [
            {
                "action": record.action,
                "method": record.method,
                "text_version": record.text_version,
                "scope": record.scope,
                "at": record.created_at.isoformat(),
            }
            for record in subscriber.consents.all()
        ],
        "editions_received": list(
            subscriber.deliveries.filter(status="sent").values_list("edition__subject", flat=True)
        ),
    }


def erase(user, mode: str) -> None:
    """Both modes erase: a subscription is not content others depend on."""
    Subscriber.objects.filter(email__in=_addresses(user)).delete()


def export_following(user) -> dict:
    """What the member follows, how often they get mail about it, and the notifications
    they may still see (one about a project they have left is not theirs to read)."""
    from .following import visible
    from .models import Follow, Notification, NotificationSettings

    settings = NotificationSettings.objects.filter(user=user).first()
    return {
        "follows": [
            {"kind": f.kind, "label": f.label, "since": f.created_at.isoformat()}
            for f in Follow.objects.filter(user=user).order_by("created_at")
        ],
        "mail_frequency": settings.frequency if settings else None,
        "notifications": [
            {
                "title": n.title,
                "text": n.text,
                "reason": n.reason,
                "created_at": n.created_at.isoformat(),
                "read": n.read_at is not None,
            }
            for n in visible(user, Notification.objects.filter(user=user))
        ],
    }
