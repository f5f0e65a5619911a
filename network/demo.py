"""Demo content for the network: organisations and members in several roles.

Original, invented people and units; safe to run again (keyed by e-mail/name).
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, Permission

from .models import Municipality, Organisation, OrganisationKind, ProfileVisibility, User, WorkArea
from .text import danish_slugify

DEMO_PASSWORD = "demo-netvaerk-2026"

ORGANISATIONS = [
    ("KL", OrganisationKind.NATIONAL, None, "Kommunernes forening."),
    ("HK Kommunal", OrganisationKind.UNION, None, "Faglig organisation for kommunalt ansatte."),
    (
        "Dansk Socialrådgiverforening",
        OrganisationKind.UNION,
        None,
        "Fag- og interesseorganisation.",
    ),
    (
        "Fremfærd Borger",
        OrganisationKind.PARTNERSHIP,
        None,
        "Partnerskab mellem KL og de faglige organisationer om udvikling af velfærden.",
    ),
    ("Jobcenter Vejle, Sygedagpengeteamet", OrganisationKind.MUNICIPAL_UNIT, "0630", ""),
    ("Jobcenter Holbæk, Ungeindsatsen", OrganisationKind.MUNICIPAL_UNIT, "0316", ""),
    ("Jobcenter Kolding, Virksomhedsservice", OrganisationKind.MUNICIPAL_UNIT, "0621", ""),
    ("Jobcenter Viborg", OrganisationKind.MUNICIPAL_UNIT, "0791", ""),
    ("Jobcenter Frederiksberg, Integration", OrganisationKind.MUNICIPAL_UNIT, "0147", ""),
    # The units the demo articles are about (experiences/demo_data.py).
    ("Jobcenter Aarhus, Sygedagpengeteamet", OrganisationKind.MUNICIPAL_UNIT, "0751", ""),
    ("Jobcenter Aabenraa, Virksomhedsservice", OrganisationKind.MUNICIPAL_UNIT, "0580", ""),
    ("Jobcenter København, Integration", OrganisationKind.MUNICIPAL_UNIT, "0101", ""),
]

# email, first, last, title, municipality code, organisation, work areas, visibility, contact, role
MEMBERS = [
    (
        "admin@netvaerk.example",
        "Anne",
        "Administrator",
        "Systemansvarlig",
        None,
        "KL",
        [],
        ProfileVisibility.MEMBERS,
        False,
        "admin",
    ),
    (
        "redaktoer@netvaerk.example",
        "Rasmus",
        "Riis",
        "Redaktør",
        None,
        "KL",
        ["faglighed"],
        ProfileVisibility.PUBLIC,
        True,
        "editor",
    ),
    (
        "koordinator@netvaerk.example",
        "Karen",
        "Kjær",
        "Projektkoordinator",
        None,
        "Fremfærd Borger",
        ["digitalisering", "sygedagpenge"],
        ProfileVisibility.PUBLIC,
        True,
        "coordinator",
    ),
    (
        "deltager@netvaerk.example",
        "Mads",
        "Mølgaard",
        "Socialrådgiver",
        "0630",
        "Jobcenter Vejle, Sygedagpengeteamet",
        ["sygedagpenge", "digitalisering"],
        ProfileVisibility.MEMBERS,
        True,
        "participant",
    ),
    (
        "medlem@netvaerk.example",
        "Sofie",
        "Sand",
        "Jobkonsulent",
        "0316",
        "Jobcenter Holbæk, Ungeindsatsen",
        ["unge"],
        ProfileVisibility.MEMBERS,
        False,
        "member",
    ),
    (
        "lise.lund@netvaerk.example",
        "Lise",
        "Lund",
        "Virksomhedskonsulent",
        "0621",
        "Jobcenter Kolding, Virksomhedsservice",
        ["virksomhedsservice", "forsikrede-ledige"],
        ProfileVisibility.PUBLIC,
        True,
        "participant",
    ),
    (
        "peter.vest@netvaerk.example",
        "Peter",
        "Vestergaard",
        "Afdelingsleder",
        "0791",
        "Jobcenter Viborg",
        ["faglighed", "ressourceforloeb"],
        ProfileVisibility.PUBLIC,
        True,
        "participant",
    ),
    (
        "amina.hassan@netvaerk.example",
        "Amina",
        "Hassan",
        "Mentor",
        "0147",
        "Jobcenter Frederiksberg, Integration",
        ["integration", "kontanthjaelp"],
        ProfileVisibility.MEMBERS,
        True,
        "participant",
    ),
    (
        "jonas.brandt@netvaerk.example",
        "Jonas",
        "Brandt",
        "Jobcenterchef",
        "0615",
        None,
        ["faglighed"],
        ProfileVisibility.PUBLIC,
        False,
        "member",
    ),
    (
        "helle.krogh@netvaerk.example",
        "Helle",
        "Krogh",
        "HK-sagsbehandler",
        "0430",
        None,
        ["ydelser", "kontanthjaelp"],
        ProfileVisibility.PRIVATE,
        False,
        "member",
    ),
    (
        "thomas.boe@netvaerk.example",
        "Thomas",
        "Bøgh",
        "Koordinator for jobafklaring",
        "0561",
        None,
        ["sygedagpenge", "ressourceforloeb"],
        ProfileVisibility.MEMBERS,
        True,
        "participant",
    ),
]

BIOS = {
    "deltager@netvaerk.example": "Jeg arbejder med sygemeldte borgere og har de seneste år "
    "testet videosamtaler som supplement til fysiske møder.",
    "lise.lund@netvaerk.example": "Virksomhedskonsulent med fokus på rekruttering til "
    "byggeri og transport i Sønderjylland.",
    "peter.vest@netvaerk.example": "Leder af et team på 25 medarbejdere. Optaget af "
    "faglig ledelse og af at gøre det nemt at dele erfaringer på tværs af teams.",
}


def seed(stdout=None) -> dict[str, User]:
    organisations = {}
    for name, kind, code, description in ORGANISATIONS:
        municipality = Municipality.objects.get(code=code) if code else None
        organisations[name], _ = Organisation.objects.update_or_create(
            name=name,
            defaults={
                "slug": danish_slugify(name),
                "kind": kind,
                "municipality": municipality,
                "description": description,
            },
        )
    editors = _editors_group()
    users = {}
    for email, first, last, title, code, org, areas, visibility, contact, role in MEMBERS:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "first_name": first,
                "last_name": last,
                "job_title": title,
                "municipality": Municipality.objects.get(code=code) if code else None,
                "organisation": organisations.get(org),
                "profile_visibility": visibility,
                "contact_allowed": contact,
                "bio": BIOS.get(email, ""),
                "phone": "+45 12 34 56 78" if contact else "",
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_superuser = user.is_staff = role == "admin"
            user.save()
            user.work_areas.set(WorkArea.objects.filter(slug__in=areas))
        if role == "editor":
            user.groups.add(editors)
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        users[role] = users.get(role, user)
        users[email] = user
    if stdout:
        stdout.write(f"  network: {len(ORGANISATIONS)} organisations, {len(MEMBERS)} members")
    return users


def _editors_group() -> Group:
    """Editors run the site: admin access and add/edit/publish on the whole page tree."""
    from wagtail.models import GroupPagePermission, Page

    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    root = Page.get_first_root_node()
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.get_or_create(
            group=group, page=root, permission=Permission.objects.get(codename=codename)
        )
    return group
