"""The world of tests/newsletters/test_smtp.py: an edition being sent to SUBSCRIBERS
subscribers, and the state of its send. Run in the test process when its database is
SQLite (the send's file is a copy of it, and is copied back to be read), else in a
`manage.py shell` on the send's own database."""

from __future__ import annotations

import dataclasses

SUBSCRIBERS = 120


def seed() -> int:
    """The edition, its subscribers and its deliveries; the edition's id."""
    from newsletters import sending
    from newsletters.factories import SubscriberFactory, edition_with_items

    edition = edition_with_items({"unge": 1, "integration": 1})
    for n in range(SUBSCRIBERS):
        SubscriberFactory(
            email=f"modtager{n:03d}@kommune.example",
            work_areas=["unge"] if n % 2 else ["integration"],
        )
    sending.start(edition)
    return edition.pk


def state() -> dict:
    """The send's counters as the admin and the command show them, its status and
    the mail server's replies recorded so far."""
    from newsletters import sending
    from newsletters.models import Delivery, Edition

    edition = Edition.objects.get()
    replies = Delivery.objects.exclude(smtp_reply="").values_list("smtp_reply", flat=True)
    return {
        **dataclasses.asdict(sending.progress(edition)),
        "status": edition.status,
        "replies": list(replies),
    }
