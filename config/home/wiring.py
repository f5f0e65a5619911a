"""Connections between apps that must not import each other, made at the top layer."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model

from network.mail import send_plain_mail


def connect() -> None:
    from projects import signals as project_signals

    project_signals.experience_proposed.connect(
        create_experience_draft, dispatch_uid="experience-from-trial-action"
    )
    _connect_saved_searches()


# -- saved searches: search/ answers, newsletters/ notifies ------------------------------


def _resolve_search(key: str):
    from django.http import QueryDict

    from search.forms import PAGE_NAMES, parse_params

    parsed = parse_params(QueryDict(key), names=PAGE_NAMES)
    params = parsed.params
    if parsed.errors or not (params.q or params.filters.active()):
        return None
    return params


def _search_label(params) -> str:
    from search.labels import describe

    return "Søgning: " + describe(params)


def _connect_saved_searches() -> None:
    from newsletters.following import Kind, register_kind, register_refresher
    from search.forms import saved_search_key

    register_kind(
        Kind(
            key="search",
            resolve=_resolve_search,
            can_see=lambda user, params: True,  # its results are checked one by one
            label=_search_label,
            url=lambda params: "/soeg/?" + saved_search_key(params),
        )
    )
    register_refresher(refresh_saved_searches)


def refresh_saved_searches(user=None) -> int:
    """Announce new results of followed searches, each once, to the member who follows
    it. A result is announced as itself (an experience, a log, an event), so delivery
    checks that member's permission on it like any other notification."""
    from dataclasses import replace

    from newsletters.following import Announcement, announce
    from newsletters.models import Follow, Notification
    from search import service

    follows = Follow.objects.filter(kind="search").select_related("user")
    if user is not None:
        follows = follows.filter(user=user)
    created = 0
    for follow in follows.filter(user__is_active=True):
        params = _resolve_search(follow.key)
        if params is None:
            continue
        outcome = service.run(
            follow.user, replace(params, sort="newest", page=1, page_size=20), log=False
        )
        hits = outcome.result.hits
        keys = [f"{hit.type}:{hit.object_id}" for hit in hits]
        if not follow.seen:  # the first look: what is there already is not news
            follow.seen = ["*", *keys, *_floor_mark(hits)]
            follow.save(update_fields=["seen"])
            continue
        # The look covers the newest 20. A result dated below the last look's oldest was
        # further down then, not new: it rose because newer ones went (deleted, hidden,
        # unpublished). An outside walk saw nine months-old results announced at once
        # after a bulk delete.
        floor = _floor(follow.seen)
        new = [
            hit
            for hit in hits
            if f"{hit.type}:{hit.object_id}" not in follow.seen
            and not (floor and hit.published and hit.published < floor)
        ]
        # Already told of it (a followed municipality or project announced the new
        # log): one notification, not two (an outside walk).
        told = set(
            Notification.objects.filter(
                user=follow.user,
                object_kind__in={hit.type for hit in new},
                object_key__in={str(hit.object_id) for hit in new},
            ).values_list("object_kind", "object_key")
        )
        new = [hit for hit in new if (hit.type, str(hit.object_id)) not in told]
        created += len(new)
        for hit in new:
            announce(
                Announcement(
                    event_key=f"search:{follow.pk}:{hit.type}:{hit.object_id}",
                    object_kind=hit.type,
                    object_key=hit.object_id,
                    title=f"Nyt resultat for {follow.label.lower()}: {hit.title}",
                    url=hit.url,
                    also=((follow.user_id, f"Du følger {follow.label.lower()}"),),
                )
            )
        known = [key for key in follow.seen if not key.startswith(_FLOOR)]
        seen = [*known, *(key for key in keys if key not in known)][-500:]
        seen = [*seen, *_floor_mark(hits)]
        if seen != follow.seen:
            follow.seen = seen
            follow.save(update_fields=["seen"])
    return created


_FLOOR = "floor:"


def _floor_mark(hits) -> list[str]:
    """The oldest day of a full look (20 results, sorted by the day each was
    published: *Nyeste*), kept among the seen keys."""
    dates = [hit.published for hit in hits if hit.published]
    return [f"{_FLOOR}{min(dates).isoformat()}"] if len(hits) >= 20 and dates else []


def _floor(seen) -> datetime.date | None:
    for key in seen:
        if key.startswith(_FLOOR):
            return datetime.date.fromisoformat(key.removeprefix(_FLOOR))
    return None


def create_experience_draft(sender, instance, proposed_by, data, note="", **kwargs):
    """A completed trial action was proposed as an article: the editors get a draft."""
    from experiences.services import create_draft_from

    draft = create_draft_from(data)
    editors = (
        get_user_model()
        .objects.filter(is_active=True, groups__name="Editors")
        .values_list("email", flat=True)
    )
    if editors:
        subject = f"Forslag til erfaringsartikel: {draft.title}"
        body = (
            f"{proposed_by} foreslår, at prøvehandlingen »{instance.title}« bliver til en "
            f"erfaringsartikel.\n\n"
            + (f"Besked fra {proposed_by}:\n{note}\n\n" if note else "")
            + "Et udkast er klar i redaktionen:\n"
            f"{settings.WAGTAILADMIN_BASE_URL}/admin/pages/{draft.pk}/edit/\n"
        )
        send_plain_mail.enqueue(subject, body, sorted(set(editors)))
    return draft
