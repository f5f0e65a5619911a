"""Following and notifications: the registry content apps use, and delivery.

`newsletters` must not import the content apps. Each registers the kinds of thing a
member can follow (`register_kind`) and announces what happened (`announce`), from
its AppConfig.ready and its services. Delivery (the list, the header count, digests
and the private feed) goes through `visible()`, which asks the kind's own permission
check at that moment.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import (
    DigestFrequency,
    Follow,
    FollowKind,
    Notification,
    NotificationSettings,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Kind:
    key: str  # a FollowKind value
    # key -> the object, or None when it no longer exists.
    resolve: Callable[[str], Any]
    # (user, obj) -> may the user see it now?
    can_see: Callable[[Any, Any], bool]
    label: Callable[[Any], str]
    url: Callable[[Any], str]


_kinds: dict[str, Kind] = {}


def register_kind(kind: Kind) -> None:
    _kinds[kind.key] = kind


def get_kind(key: str) -> Kind | None:
    return _kinds.get(key)


@dataclass(frozen=True)
class Announcement:
    """Something happened. `about` lists the followable things it concerns, as (kind,
    key) pairs; each of their followers is told once."""

    event_key: str  # unique per happening, e.g. "update:55"
    object_kind: str  # what a member must be allowed to see: checked at delivery
    object_key: str
    title: str
    url: str
    text: str = ""
    about: tuple[tuple[str, str], ...] = ()
    # Members told whether or not they follow anything (e.g. who picked the log up).
    also: tuple[tuple[int, str], ...] = ()  # (user id, reason)
    actor_id: int | None = None
    # Members the happening was mailed to already (a comment to the log's author):
    # their notification is on the site, but no digest mails it again.
    mailed: tuple[int, ...] = ()
    created_at: Any = field(default=None)


def first_publication(page) -> bool:
    """Whether a page_published signal is the page's first publication: a new page is
    news, a correction of it is not."""
    return not page.first_published_at or page.first_published_at == page.last_published_at


def announce(announcement: Announcement) -> int:
    """Create the notifications for an announcement; returns how many. Runs after the
    surrounding transaction commits, so a rolled-back change announces nothing."""
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _announce(announcement))
        return 0
    return _announce(announcement)


def _announce(a: Announcement) -> int:
    reasons: dict[int, str] = {}
    for user_id, reason in a.also:
        reasons.setdefault(user_id, reason)
    if a.about:
        condition = Q()
        for kind, key in a.about:
            condition |= Q(kind=kind, key=str(key))
        for user_id, kind, label in Follow.objects.filter(condition).values_list(
            "user_id", "kind", "label"
        ):
            reasons.setdefault(user_id, f"Du følger {FollowKind(kind).label.lower()}: {label}")
    reasons.pop(a.actor_id, None)
    if not reasons:
        return 0
    now = a.created_at or timezone.now()
    rows = [
        Notification(
            user_id=user_id,
            object_kind=a.object_kind,
            object_key=str(a.object_key),
            title=a.title[:255],
            text=a.text[:1000],
            url=a.url[:500],
            reason=reason[:255],
            event_key=a.event_key[:100],
            created_at=now,
            digested_at=now if user_id in a.mailed else None,
        )
        for user_id, reason in reasons.items()
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    _send_immediately([user_id for user_id in reasons if user_id not in a.mailed])
    return len(rows)


def _send_immediately(user_ids: list[int]) -> None:
    immediate = NotificationSettings.objects.filter(
        user_id__in=user_ids, frequency=DigestFrequency.IMMEDIATE
    ).values_list("user_id", flat=True)
    if immediate:
        from .tasks import send_immediate_digest

        for user_id in immediate:
            send_immediate_digest.enqueue(user_id)


def visible(user, notifications: Iterable[Notification]) -> list[Notification]:
    """The notifications `user` may see now: the object still exists and the kind's
    permission check says yes. Resolved once per object."""
    seen: dict[tuple[str, str], bool] = {}
    shown = []
    for notification in notifications:
        ref = (notification.object_kind, notification.object_key)
        if ref not in seen:
            seen[ref] = _may_see(user, *ref)
        if seen[ref]:
            shown.append(notification)
    return shown


def _may_see(user, kind_key: str, object_key: str) -> bool:
    kind = _kinds.get(kind_key)
    if kind is None:
        return False
    try:
        obj = kind.resolve(object_key)
        return obj is not None and bool(kind.can_see(user, obj))
    except Exception:
        logger.exception("Permission check for %s %s failed", kind_key, object_key)
        return False


UNREAD_CAP = 99


def unread_count(user) -> int:
    """Unread notifications the user may see, counted up to UNREAD_CAP + 1."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)[: UNREAD_CAP + 1]
    return len(visible(user, unread))


def settings_for(user) -> NotificationSettings:
    return NotificationSettings.objects.get_or_create(user=user)[0]


# -- following ----------------------------------------------------------------------


def follow_target(user, kind_key: str, key: str):
    """The object `user` may follow under (kind, key), or None. Only the kinds a
    button offers (`FollowKind`): events and comments are registered as kinds of
    notification, and an outside attacker followed event 27 by hand ("event:")."""
    kind = _kinds.get(kind_key) if kind_key in FollowKind.values else None
    if kind is None or not key:
        return None
    obj = kind.resolve(key)
    if obj is None or not kind.can_see(user, obj):
        return None
    return obj


@dataclass(frozen=True)
class FollowRow:
    """One line of "Det følger du": what is followed, and a link to it while it
    exists and the member may see it."""

    follow: Follow
    kind: str  # "Projekt", "Søgning"
    label: str  # without the kind, where the stored label names it ("Søgning: »…«")
    url: str


def follow_rows(user) -> list[FollowRow]:
    rows = []
    for follow in Follow.objects.filter(user=user):
        kind = follow.get_kind_display()
        obj = follow_target(user, follow.kind, follow.key)
        # Named as it is now (a renamed project, a search labelled by an older version);
        # the stored label stands in for what is gone.
        label = _kinds[follow.kind].label(obj) if obj is not None else follow.label
        label = label.removeprefix(f"{kind}: ")
        url = _kinds[follow.kind].url(obj) if obj is not None else ""
        if obj is None and _exists(follow.kind, follow.key):
            # There, but no longer for this member (removed from a project): its name
            # is not theirs to read any more. Listed, so it can be unfollowed.
            label = "Ikke længere tilgængelig for dig"
        rows.append(FollowRow(follow, kind, label, url))
    return rows


def _exists(kind_key: str, key: str) -> bool:
    kind = _kinds.get(kind_key)
    return kind is not None and kind.resolve(key) is not None


def is_following(user, kind: str, key) -> bool:
    return (
        user.is_authenticated and Follow.objects.filter(user=user, kind=kind, key=str(key)).exists()
    )


def toggle(user, kind_key: str, key: str, want: bool | None = None) -> bool | None:
    """Follow, or stop following: `want` True or False sets it (so a button pressed
    twice, or a stale page's button, never undoes itself); None switches it. Returns
    True when now following, False when not, None when there is nothing (visible) to
    follow."""
    existing = Follow.objects.filter(user=user, kind=kind_key, key=key)
    if existing.exists():
        if want is True:
            return True
        existing.delete()
        return False
    if want is False:
        return False
    obj = follow_target(user, kind_key, key)
    if obj is None:
        return None
    Follow.objects.get_or_create(
        user=user, kind=kind_key, key=key, defaults={"label": _kinds[kind_key].label(obj)[:255]}
    )
    if kind_key == FollowKind.SEARCH:
        refresh(user=user)  # what the search finds today is the baseline, not news
    return True


# -- refreshers: followed things that are checked rather than announced ----------------

_refreshers: list[Callable[..., None]] = []


def register_refresher(refresher: Callable[..., None]) -> None:
    """`refresher(user=None)` turns what changed into notifications (e.g. new results
    of saved searches), for one member or all; called before digests are sent and when
    a member opens the list."""
    if refresher not in _refreshers:
        _refreshers.append(refresher)


def refresh(user=None) -> None:
    for refresher in _refreshers:
        try:
            refresher(user=user)
        except Exception:
            logger.exception("Notification refresher %r failed", refresher)


def refresh_for(user) -> None:
    refresh(user=user)


def unread_for_urls(user, urls: list[str]) -> dict[str, int]:
    """Unread notifications per page URL (a log's comments and updates link to its
    page with an anchor), counting only those the user may see."""
    if not urls:
        return {}
    condition = Q()
    for url in urls:
        condition |= Q(url__startswith=url)
    unread = Notification.objects.filter(condition, user=user, read_at__isnull=True)
    counts: dict[str, int] = {}
    for notification in visible(user, unread[:500]):
        page = notification.url.split("#", 1)[0]
        counts[page] = counts.get(page, 0) + 1
    return counts


def mark_read(user, url: str) -> int:
    """Opening a page marks the notifications about it as read."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(user=user, read_at__isnull=True, url__startswith=url).update(
        read_at=timezone.now()
    )
