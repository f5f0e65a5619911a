"""What a member can follow in project spaces, and what is announced to followers.

Projects and trial actions are followable kinds; events are announced too. Each
announcement names what it is about (the log, its project, its municipality and work
areas), and newsletters/following.py tells their followers. Whether a follower may
see it is asked again at delivery, through projects.permissions.
"""

from __future__ import annotations

from django.db.models.signals import post_save

from network.numbers import parse_int
from newsletters.following import (
    Announcement,
    Kind,
    announce,
    first_publication,
    mark_read,
    register_kind,
)

from . import permissions
from .models import EventPage, ProjectPage, TrialAction, TrialActionComment, TrialActionUpdate
from .services import comment_mail_recipient

__all__ = ["event_published", "log_created", "mark_read", "register"]


def _int(key):
    return parse_int(str(key), 1, 2**63 - 1)


def _project(key):
    pk = _int(key)
    return ProjectPage.objects.live().filter(pk=pk).specific().first() if pk else None


def _log(key):
    pk = _int(key)
    if not pk:
        return None
    return TrialAction.objects.select_related("project", "municipality").filter(pk=pk).first()


def _event(key):
    pk = _int(key)
    return EventPage.objects.live().filter(pk=pk).first() if pk else None


def _comment(key):
    pk = _int(key)
    if not pk:
        return None
    found = TrialActionComment.objects.select_related("trial_action__project")
    return found.filter(pk=pk).first()


def register() -> None:
    register_kind(
        Kind(
            key="project",
            resolve=_project,
            can_see=permissions.can_see_project,
            label=lambda p: p.title,
            url=lambda p: p.url,
        )
    )
    register_kind(
        Kind(
            key="trial_action",
            resolve=_log,
            can_see=permissions.can_see_log,
            label=lambda log: f"{log.title} ({log.municipality.name})",
            url=lambda log: log.get_absolute_url(),
        )
    )
    register_kind(
        Kind(
            key="event",
            resolve=_event,
            can_see=permissions.can_see_event,
            label=lambda e: e.title,
            url=lambda e: e.url,
        )
    )
    register_kind(
        Kind(
            key="comment",
            resolve=_comment,
            can_see=permissions.can_see_comment,
            label=lambda c: c.trial_action.title,
            url=lambda c: c.trial_action.get_absolute_url() + "#kommentarer",
        )
    )
    from wagtail.signals import page_published

    page_published.connect(_page_published, dispatch_uid="follow-event-published")
    post_save.connect(_update_saved, sender=TrialActionUpdate, dispatch_uid="follow-update")
    post_save.connect(_comment_saved, sender=TrialActionComment, dispatch_uid="follow-comment")


def _about(log: TrialAction) -> tuple[tuple[str, str], ...]:
    about = [
        ("trial_action", str(log.pk)),
        ("project", str(log.project_id)),
        ("municipality", log.municipality.code),
    ]
    about += [("work_area", slug) for slug in log.work_areas.values_list("slug", flat=True)]
    return tuple(about)


def _picked_up_by(log: TrialAction) -> tuple[tuple[int, str], ...]:
    """Authors of logs that picked this one up ("Vi prøver også") hear of it too."""
    authors = log.pickups.values_list("author_id", flat=True).distinct()
    return tuple((author, f"I prøver også »{log.title}«") for author in authors if author)


def log_created(log: TrialAction) -> int:
    """Call once the log and its work areas are saved."""
    return announce(
        Announcement(
            event_key=f"log:{log.pk}",
            object_kind="trial_action",
            object_key=str(log.pk),
            title=f"Ny prøvehandling fra {log.municipality.name}: {log.title}",
            text=log.purpose,
            url=log.get_absolute_url(),
            about=_about(log)[1:],  # nobody follows a log before it exists
            actor_id=log.author_id,
        )
    )


def _update_saved(sender, instance: TrialActionUpdate, created, raw=False, **kwargs):
    if not created or raw:
        return
    log = instance.trial_action
    announce(
        Announcement(
            event_key=f"update:{instance.pk}",
            object_kind="trial_action",
            object_key=str(log.pk),
            title=f"Ny opdatering på »{log.title}« ({log.municipality.name})",
            text=instance.text,
            url=log.get_absolute_url() + "#tidslinje",
            about=_about(log),
            also=_picked_up_by(log),
            actor_id=instance.author_id,
        )
    )


def _comment_saved(sender, instance: TrialActionComment, created, raw=False, **kwargs):
    if not created or raw or instance.hidden_at:
        return
    log = instance.trial_action
    mailed = comment_mail_recipient(log, instance.author_id)
    announce(
        Announcement(
            event_key=f"comment:{instance.pk}",
            object_kind="comment",
            object_key=str(instance.pk),
            title=f"Ny kommentar på »{log.title}«",
            text=instance.text,
            url=log.get_absolute_url() + "#kommentarer",
            about=(("trial_action", str(log.pk)),),
            also=((log.author_id, "Din prøvehandling"),) if log.author_id else (),
            actor_id=instance.author_id,
            # The author has the comment by mail already: not again in a digest.
            mailed=(mailed.pk,) if mailed else (),
        )
    )


def event_published(event: EventPage) -> int:
    project = event.project
    return announce(
        Announcement(
            event_key=f"event:{event.pk}",
            object_kind="event",
            object_key=str(event.pk),
            title=f"Nyt arrangement i {project.title}: {event.title}",
            text=event.summary,
            url=event.url or "",
            about=(("project", str(project.pk)),),
        )
    )


def _page_published(sender, instance, revision=None, **kwargs):
    if not isinstance(instance, EventPage):
        return
    if not first_publication(instance):
        return
    event_published(instance)
