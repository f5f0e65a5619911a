"""GDPR self-service: what we hold about a member, and deleting the account.

network/ cannot see the other apps' data, so each app registers an exporter (what it
holds about a member, as JSON-able data) and an eraser (what happens to it when the
member deletes the account). The member chooses between keeping their content
anonymised (the default: peers' comments and logs stay readable) and removing it where
the app allows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

KEEP_ANONYMISED = "anonymise"
REMOVE = "remove"


@dataclass(frozen=True)
class PersonalDataHandler:
    key: str
    export: Callable[..., object]  # (user) -> JSON-able data
    erase: Callable[..., None] | None = None  # (user, mode) -> None


_handlers: dict[str, PersonalDataHandler] = {}


def register(handler: PersonalDataHandler) -> None:
    _handlers[handler.key] = handler


def export(user) -> dict:
    data = {
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "job_title": user.job_title,
            "municipality": user.municipality.name if user.municipality else None,
            "organisation": user.organisation.name if user.organisation else None,
            "work_areas": [area.slug for area in user.work_areas.all()],
            "bio": user.bio,
            "phone": user.phone,
            "profile_visibility": user.profile_visibility,
            "contact_allowed": user.contact_allowed,
            "photo": (
                {"file": user.photo.file.name, "uploaded_at": user.photo.created_at.isoformat()}
                if user.photo_id
                else None
            ),
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in user.emailaddress_set.all()
        ],
    }
    for key, handler in sorted(_handlers.items()):
        data[key] = handler.export(user)
    return data


@transaction.atomic
def delete_account(user, mode: str = KEEP_ANONYMISED) -> None:
    """Erase or anonymise each app's data, then the account itself; all or nothing."""
    for handler in _handlers.values():
        if handler.erase:
            handler.erase(user, mode)
    if user.photo_id:
        photo = user.photo
        user.photo = None
        user.save(update_fields=["photo"])
        photo.delete()
    user.delete()
