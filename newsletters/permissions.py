"""Who may do what with newsletters, and who receives them: the one place that decides it."""

from __future__ import annotations

from .models import Edition, EditionStatus, Subscriber, SubscriberStatus

# Only confirmed, unpaused subscribers receive editions. Pending (unconfirmed),
# paused and unsubscribed addresses never do; sending checks this again per batch.
RECEIVING_STATUSES = (SubscriberStatus.ACTIVE,)


def receiving_subscribers(queryset=None):
    queryset = Subscriber.objects.all() if queryset is None else queryset
    return queryset.filter(status__in=RECEIVING_STATUSES)


def can_manage_editions(user) -> bool:
    """Compose, fill, preview and send test mails."""
    return bool(user.is_active and user.has_perm("newsletters.change_edition"))


def can_send(user) -> bool:
    """Start (or resume) sending to subscribers."""
    return bool(user.is_active and user.has_perm("newsletters.send_edition"))


def can_edit(edition: Edition) -> bool:
    """Once sending has started, the content is what subscribers got: frozen."""
    return edition.status == EditionStatus.DRAFT


def can_delete(edition: Edition) -> bool:
    return edition.status == EditionStatus.DRAFT


def archived_editions(queryset=None):
    """Editions whose sending has started are public: the mails link to their web version."""
    queryset = Edition.objects.all() if queryset is None else queryset
    return queryset.exclude(status=EditionStatus.DRAFT).exclude(send_started_at=None)


def is_archived(edition: Edition) -> bool:
    """`archived_editions` for one edition already loaded."""
    return edition.status != EditionStatus.DRAFT and edition.send_started_at is not None


def readable_editions(user, queryset=None):
    """The web versions a user may open: the archive, and for those who compose editions
    every edition (the test mail's *Læs nyhedsbrevet i din browser* links to it before
    it is sent)."""
    queryset = Edition.objects.all() if queryset is None else queryset
    return queryset if can_manage_editions(user) else archived_editions(queryset)
