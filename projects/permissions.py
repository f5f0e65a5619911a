"""Who may see and do what in a project space. The one place that decides it.

Roles, from the project's point of view: anonymous, member (logged in, not in the
project), participant, coordinator, editor (Wagtail admin access: runs the site).
Views answer 404 for things the user may not know exist, 403 for actions on things
they can see but may not do.
"""

from __future__ import annotations

from django.db.models import Q

from .models import (
    LogVisibility,
    ProjectPage,
    ProjectParticipant,
    ProjectRole,
    TrialAction,
    Visibility,
)

ANONYMOUS, MEMBER, PARTICIPANT, COORDINATOR, EDITOR = (
    "anonymous",
    "member",
    "participant",
    "coordinator",
    "editor",
)

# A log's effective visibility is the more restrictive of its own and its project's.
_RANK = {
    Visibility.PUBLIC: 0,
    Visibility.MEMBERS: 1,
    Visibility.PARTICIPANTS: 2,
    LogVisibility.PUBLIC: 0,
    LogVisibility.NETWORK: 1,
    LogVisibility.PARTICIPANTS: 2,
}
_LEVEL = {0: Visibility.PUBLIC, 1: Visibility.MEMBERS, 2: Visibility.PARTICIPANTS}


def is_editor(user) -> bool:
    return bool(
        user.is_authenticated and (user.is_superuser or user.has_perm("wagtailadmin.access_admin"))
    )


def role(user, project: ProjectPage) -> str:
    if not user.is_authenticated:
        return ANONYMOUS
    if is_editor(user):
        return EDITOR
    cache = getattr(user, "_project_roles", None)
    if cache is None:
        cache = dict(ProjectParticipant.objects.filter(user=user).values_list("project_id", "role"))
        user._project_roles = cache
    found = cache.get(project.pk)
    if found == ProjectRole.COORDINATOR:
        return COORDINATOR
    if found == ProjectRole.PARTICIPANT:
        return PARTICIPANT
    return MEMBER


def _sees_level(user_role: str, level: str) -> bool:
    if user_role in (PARTICIPANT, COORDINATOR, EDITOR):
        return True
    if level == Visibility.PUBLIC:
        return True
    return level == Visibility.MEMBERS and user_role == MEMBER


def can_see_project(user, project: ProjectPage) -> bool:
    return project.live and _sees_level(role(user, project), project.visibility)


can_see_event = lambda user, event: can_see_project(user, event.project)  # noqa: E731
can_download_material = can_see_project


def can_sign_up(user, event) -> bool:
    return user.is_authenticated and can_see_event(user, event) and event.is_upcoming()


def can_see_meeting_link(user, event) -> bool:
    """The online meeting link: for those with a seat (status registered) and for the
    people who run the event (coordinator, editor). Never for anonymous visitors,
    members who have not signed up or the waiting list; public calendars never."""
    if not event.online_url or not user.is_authenticated or not can_see_event(user, event):
        return False
    if role(user, event.project) in (COORDINATOR, EDITOR):
        return True
    return event.registrations.filter(user=user, status="registered").exists()


def can_see_participants(user, project: ProjectPage) -> bool:
    """Who takes part (names, municipalities, roles; no addresses): for the people
    inside the project, who work with each other."""
    return project.live and role(user, project) in (PARTICIPANT, COORDINATOR, EDITOR)


def can_manage_participants(user, project: ProjectPage) -> bool:
    """Add and remove participants, see their addresses and the open invitations."""
    return role(user, project) in (COORDINATOR, EDITOR)


can_see_attendees = can_manage_participants
# Set up and change the project's events on the site (agenda and material: the admin).
can_manage_events = can_manage_participants
can_hide_comment = can_manage_participants


def can_see_dashboard(user, project: ProjectPage) -> bool:
    """The coordinator's dashboard (overblik), its CSV export and sent reminders."""
    return role(user, project) in (COORDINATOR, EDITOR)


def can_send_reminder(user, project: ProjectPage) -> bool:
    """A reminder mail from the dashboard to the participants of quiet municipalities."""
    return can_see_dashboard(user, project)


def effective_visibility(log: TrialAction) -> str:
    rank = max(_RANK[log.visibility], _RANK[log.project.visibility])
    return _LEVEL[rank]


AUDIENCE = {
    Visibility.PARTICIPANTS: "Kun projektets deltagere kan se denne prøvehandling.",
    Visibility.MEMBERS: "Medlemmer af netværket, der er logget ind, kan se denne prøvehandling.",
    Visibility.PUBLIC: "Alle kan se denne prøvehandling, også uden at logge ind.",
}


def audience(log: TrialAction) -> str:
    """Who can see the log, in a sentence: the stricter of its own and its project's
    visibility."""
    return AUDIENCE[effective_visibility(log)]


def can_see_log(user, log: TrialAction) -> bool:
    """By the log's visibility and the reader's role now. Its author has no rule of their
    own: a participant sees every level anyway, and one removed from the project must
    not go on reading, through their own log, what the project's participants write
    there (comments in mails, notifications and the feed)."""
    if not log.project.live:
        return False
    return _sees_level(role(user, log.project), effective_visibility(log))


def can_see_comment(user, comment) -> bool:
    """A hidden comment is seen only by those who may hide or show it again, and by its
    author (marked hidden), who may still delete their own words."""
    if comment.hidden_at is not None and not (
        can_hide_comment(user, comment.trial_action.project) or _wrote(user, comment)
    ):
        return False
    return can_see_log(user, comment.trial_action)


def visible_comments(user, project, comments):
    """`comments` (of one log the user may see) by the rule of `can_see_comment`."""
    if can_hide_comment(user, project):
        return comments
    shown = Q(hidden_at__isnull=True)
    if user.is_authenticated:
        shown |= Q(author=user)
    return comments.filter(shown)


def _wrote(user, comment) -> bool:
    return user.is_authenticated and comment.author_id == user.pk


def can_create_log(user, project: ProjectPage) -> bool:
    return project.live and role(user, project) in (PARTICIPANT, COORDINATOR, EDITOR)


def can_edit_log(user, log: TrialAction) -> bool:
    if user.is_authenticated and log.author_id == user.pk and can_see_log(user, log):
        return True
    return role(user, log.project) in (COORDINATOR, EDITOR)


def may_delete_own_log(user, log: TrialAction) -> bool:
    """Its author, while they may see it, where the project lets members remove what
    they wrote (`members_may_remove_content`: a project that keeps its logs keeps them
    here too); a user walk found test entries and duplicates could never go. Editors
    delete in the admin. Whether it may go now is `can_delete_log`."""
    return (
        user.is_authenticated
        and log.author_id == user.pk
        and log.project.members_may_remove_content
        and can_see_log(user, log)
    )


def others_wrote_in(log: TrialAction) -> bool:
    """Whether anyone but its author has commented on the log or added to its timeline:
    their words would go with it."""
    return (
        log.comments.exclude(author_id=log.author_id).exists()
        or log.updates.exclude(author_id=log.author_id).exists()
    )


def can_delete_log(user, log: TrialAction) -> bool:
    return may_delete_own_log(user, log) and not others_wrote_in(log)


def can_delete_attachment(user, attachment) -> bool:
    """Whoever uploaded it, and whoever may edit the log: a file with a citizen's data
    uploaded by mistake must be removable at once, not only by asking an editor."""
    log = attachment.trial_action
    if not user.is_authenticated or not can_see_log(user, log):
        return False
    return attachment.uploaded_by_id == user.pk or can_edit_log(user, log)


def can_delete_comment(user, comment) -> bool:
    """Its author, while they may see it (coordinators hide instead: the author's words
    are the author's to take back)."""
    return (
        user.is_authenticated
        and comment.author_id == user.pk
        and can_see_log(user, comment.trial_action)
    )


def can_comment(user, log: TrialAction) -> bool:
    return user.is_authenticated and can_see_log(user, log)


def can_propose_experience(user, log: TrialAction) -> bool:
    return can_edit_log(user, log) and log.status == "completed"


# -- querysets: the same rules for listings, counts and sections -------------------


def visible_projects_q(user, prefix: str = "") -> Q:
    """Projects the user may see, as a filter on ProjectPage (or on a relation to it)."""
    p = prefix
    live = Q(**{f"{p}live": True})
    if is_editor(user):
        return live
    allowed = Q(**{f"{p}visibility": Visibility.PUBLIC})
    if user.is_authenticated:
        allowed |= Q(**{f"{p}visibility": Visibility.MEMBERS})
        allowed |= Q(**{f"{p}pk__in": _participating(user)})
    return live & allowed


def inside_projects(user):
    """Ids of the projects whose participants-only content the user may see: the
    projects they take part in, or every project for an editor. Search access tokens
    come from this, so what an editor may find is what they may open."""
    if is_editor(user):
        return ProjectPage.objects.values_list("pk", flat=True)
    return ProjectParticipant.objects.filter(user=user).values_list("project_id", flat=True)


def _participating(user):
    return ProjectParticipant.objects.filter(user=user).values("project_id")


def visible_logs(user, queryset=None):
    """Trial actions the user may see: the effective visibility, checked in SQL."""
    queryset = TrialAction.objects.all() if queryset is None else queryset
    queryset = queryset.filter(project__live=True)
    if is_editor(user):
        return queryset
    public = Q(visibility=LogVisibility.PUBLIC, project__visibility=Visibility.PUBLIC)
    if not user.is_authenticated:
        return queryset.filter(public)
    network = Q(
        visibility__in=[LogVisibility.PUBLIC, LogVisibility.NETWORK],
        project__visibility__in=[Visibility.PUBLIC, Visibility.MEMBERS],
    )
    inside = Q(project__in=_participating(user))  # no author rule: see can_see_log
    return queryset.filter(public | network | inside)
