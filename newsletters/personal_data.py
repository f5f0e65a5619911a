"""A member's newsletter data for the GDPR self-service in network.personal_data.

The subscription belongs to the member's login address. Deleting the account erases
it (with its consent records and delivery history), as the delete page promises.
"""

from __future__ import annotations

from .models import Subscriber
from .models.subscribers import normalize_email


def _subscriber(user):
    return Subscriber.objects.filter(email=normalize_email(user.email)).first()


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
    Subscriber.objects.filter(email=normalize_email(user.email)).delete()
