"""What projects/ holds about a member (GDPR export and account deletion)."""

from __future__ import annotations

from . import permissions
from .models import (
    CommentReport,
    EventRegistration,
    ProjectInvitation,
    ProjectParticipant,
    RegistrationStatus,
    TrialAction,
    TrialActionComment,
    TrialActionUpdate,
)

# In place of what a member who has left a project may no longer read.
NO_ACCESS = "(du har ikke længere adgang)"


def _log_title(user, log) -> str:
    return log.title if permissions.can_see_log(user, log) else NO_ACCESS


def _log(user, log) -> dict:
    """A log the member wrote. Once they may no longer see it (removed from its
    project), only that it was theirs: others may have changed it since (an outside
    attacker read a coordinator's later text and file names in a removed member's
    export)."""
    if not permissions.can_see_log(user, log):
        return {
            "title": NO_ACCESS,
            "project": (
                log.project.title if permissions.can_see_project(user, log.project) else NO_ACCESS
            ),
            "municipality": log.municipality.name,
            "created_at": log.created_at.isoformat(),
        }
    return {
        "title": log.title,
        "project": log.project.title,
        "municipality": log.municipality.name,
        "status": log.status,
        "visibility": log.visibility,
        "started": log.started.isoformat(),
        "purpose": log.purpose,
        "target_group": log.target_group,
        "actions": log.actions,
        "results": log.results,
        "learnings": log.learnings,
        "next_steps": log.next_steps,
        "attachments": [a.name for a in log.attachments.all()],
        "we_try_this_too_after": (
            log.origin.title if log.origin and permissions.can_see_log(user, log.origin) else None
        ),
    }


def _registrations(user) -> list:
    """The member's sign-ups, each event with its project read in one query for all
    (`EventPage.project` asks for the parent page one event at a time)."""
    from wagtail.models import Page

    from .models import ProjectPage

    registrations = list(EventRegistration.objects.filter(user=user).select_related("event"))
    parents = {r.event.path[: -Page.steplen] for r in registrations}
    projects = {p.path: p for p in ProjectPage.objects.filter(path__in=parents)}
    for registration in registrations:
        if project := projects.get(registration.event.path[: -Page.steplen]):
            registration.event._project = project
    return registrations


def export(user) -> dict:
    """What projects/ holds about `user`, limited to what they may read now: what they
    wrote is theirs (comments, updates), the titles of others' things only where they
    still may see them."""
    logs = TrialAction.objects.filter(author=user).select_related(
        "project", "municipality", "origin__project"
    )
    updates = TrialActionUpdate.objects.filter(author=user).select_related("trial_action__project")
    comments = TrialActionComment.objects.filter(author=user).select_related(
        "trial_action__project"
    )
    return {
        "trial_actions": [_log(user, log) for log in logs],
        "trial_action_updates": [
            {
                "trial_action": _log_title(user, u.trial_action),
                "text": u.text,
                "created_at": u.created_at.isoformat(),
            }
            for u in updates
        ],
        "comments": [
            {
                "trial_action": _log_title(user, c.trial_action),
                "text": c.text,
                "created_at": c.created_at.isoformat(),
                "hidden": c.is_hidden,
            }
            for c in comments
        ],
        "projects": [
            {"project": p.project.title, "role": p.role, "joined_at": p.joined_at.isoformat()}
            for p in ProjectParticipant.objects.filter(user=user).select_related("project")
        ],
        "event_registrations": [
            {
                "event": (
                    r.event.title
                    if r.event.live and permissions.can_see_event(user, r.event)
                    else NO_ACCESS
                ),
                "status": r.status,
                "signed_up_at": r.signed_up_at.isoformat(),
            }
            for r in _registrations(user)
        ],
        "comment_reports": [
            {
                "trial_action": _log_title(user, r.comment.trial_action),
                "reason": r.reason,
                "created_at": r.created_at.isoformat(),
            }
            for r in CommentReport.objects.filter(reporter=user).select_related(
                "comment__trial_action__project"
            )
        ],
        # An invitation names its project as the mail did while it is open; an accepted
        # one only while the member may still see the project (an outside re-check
        # read a project's new name after its participant was removed).
        "invitations": [
            invitation.project.title
            if invitation.accepted_at is None
            or permissions.can_see_project(user, invitation.project)
            else NO_ACCESS
            for invitation in ProjectInvitation.objects.filter(
                email__iexact=user.email
            ).select_related("project")
        ],
    }


def erase(user, mode: str) -> None:
    """Registrations and memberships go with the account (cascade). Logs, updates and
    comments stay without the author's name, or are removed where the project allows."""
    ProjectInvitation.objects.filter(email__iexact=user.email).delete()
    # A seat at a coming event is cancelled first, so the first in its queue moves up
    # (an outside attacker: the cascade took the seat away, the queue stayed, and a
    # newcomer got the seat ahead of it). The cancellation's .ics takes the event out
    # of the member's calendar.
    from django.utils import timezone

    from . import services

    seats = EventRegistration.objects.filter(
        user=user, status=RegistrationStatus.REGISTERED, event__starts_at__gt=timezone.now()
    ).select_related("event")
    for registration in seats:
        services.cancel(registration.event, user)
    if mode != "remove":
        return
    TrialActionComment.objects.filter(
        author=user, trial_action__project__members_may_remove_content=True
    ).delete()
    for log in TrialAction.objects.filter(author=user, project__members_may_remove_content=True):
        for attachment in log.attachments.all():
            attachment.file.delete(save=False)
        log.delete()
