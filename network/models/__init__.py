from .mail import FormOnce, SentMail
from .media import SiteDocument, SiteImage, SiteRendition
from .members import ProfileVisibility, User
from .organisations import Organisation, OrganisationKind
from .places import Municipality, Region
from .topics import CompetenceProfile, WorkArea

__all__ = [
    "CompetenceProfile",
    "FormOnce",
    "Municipality",
    "Organisation",
    "OrganisationKind",
    "ProfileVisibility",
    "Region",
    "SentMail",
    "SiteDocument",
    "SiteImage",
    "SiteRendition",
    "User",
    "WorkArea",
]
