from .events import (
    AgendaItem,
    EventKind,
    EventMaterial,
    EventPage,
    EventRegistration,
    RegistrationStatus,
)
from .reminders import ProjectReminder
from .spaces import (
    ProjectIndexPage,
    ProjectInvitation,
    ProjectMaterial,
    ProjectPage,
    ProjectParticipant,
    ProjectRole,
    Visibility,
)
from .trial_actions import (
    CommentReport,
    LogVisibility,
    TrialAction,
    TrialActionAttachment,
    TrialActionComment,
    TrialActionStatus,
    TrialActionUpdate,
)

__all__ = [
    "AgendaItem",
    "CommentReport",
    "EventKind",
    "EventMaterial",
    "EventPage",
    "EventRegistration",
    "LogVisibility",
    "ProjectIndexPage",
    "ProjectInvitation",
    "ProjectMaterial",
    "ProjectPage",
    "ProjectParticipant",
    "ProjectReminder",
    "ProjectRole",
    "RegistrationStatus",
    "TrialAction",
    "TrialActionAttachment",
    "TrialActionComment",
    "TrialActionStatus",
    "TrialActionUpdate",
    "Visibility",
]
