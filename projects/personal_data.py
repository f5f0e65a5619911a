"""What projects/ holds about a member (GDPR export and account deletion)."""

from __future__ import annotations

from . import permissions
from .models import (
    CommentReport,
    EventRegistration,
    ProjectInvitation,
    ProjectParticipant,
    TrialAction,
    TrialActionComment,
    TrialActionUpdate,
)


def export(user) -> dict:
    logs = TrialAction.objects.filter(author=user).select_related(
        "project", "municipality", "origin__project"
    )
    return {
        "trial_actions": [
            {
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
                    log.origin.title
                    if log.origin and permissions.can_see_log(user, log.origin)
                    else None
                ),
            }
            for log in logs
        ],
        "trial_action_updates": [
            {
                "trial_action": u.trial_action.title,
                "text": u.text,
                "created_at": u.created_at.isoformat(),
            }
            for u in TrialActionUpdate.objects.filter(author=user).select_related("trial_action")
        ],
        "comments": [
            {
                "trial_action": c.trial_action.title,
                "text": c.text,
                "created_at": c.created_at.isoformat(),
                "hidden": c.is_hidden,
            }
            for c in TrialActionComment.objects.filter(author=user).select_related("trial_action")
        ],
        "projects": [
            {"project": p.project.title, "role": p.role, "joined_at": p.joined_at.isoformat()}
            for p in ProjectParticipant.objects.filter(user=user).select_related("project")
        ],
        "event_registrations": [
            {"event": r.event.title, "status": r.status, "signed_up_at": r.signed_up_at.isoformat()}
            for r in EventRegistration.objects.filter(user=user).select_related("event")
        ],
        "comment_reports": [
            {
                "trial_action": r.comment.trial_action.title,
                "reason": r.reason,
                "created_at": r.created_at.isoformat(),
            }
            for r in CommentReport.objects.filter(reporter=user).select_related(
                "comment__trial_action"
            )
        ],
        "invitations": list(
            ProjectInvitation.objects.filter(email__iexact=user.email).values_list(
                "project__title", flat=True
            )
        ),
    }


def erase(user, mode: str) -> None:
    """Registrations and memberships go with the account (cascade). Logs, updates and
    comments stay without the author's name, or are removed where the project allows."""
    ProjectInvitation.objects.filter(email__iexact=user.email).delete()
    if mode != "remove":
        return
    TrialActionComment.objects.filter(
        author=user, trial_action__project__members_may_remove_content=True
    ).delete()
    for log in TrialAction.objects.filter(author=user, project__members_may_remove_content=True):
        for attachment in log.attachments.all():
            attachment.file.delete(save=False)
        log.delete()
