"""Demo projects for `seed_demo`: one public, one for participants only, with events,
material and trial actions in several municipalities. Original content; idempotent
(keyed by external id). Dates are relative to today so the demo always looks alive."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from network.models import Municipality, Organisation, SiteDocument, User, WorkArea
from network.text import danish_slugify

from .importing import get_index_page
from .models import (
    AgendaItem,
    EventPage,
    ProjectMaterial,
    ProjectPage,
    ProjectParticipant,
    TrialAction,
)

# The real project's 17 municipalities (../shared/DOMAIN.md): Skive, Viborg, Horsens,
# Vejle, Kolding, Haderslev, Esbjerg, Faaborg-Midtfyn, Slagelse, Stevns, Roskilde,
# Halsnæs, Greve, Glostrup, Gladsaxe, Frederiksberg and Hørsholm.
DIGITAL = [
    "0779",
    "0791",
    "0615",
    "0630",
    "0621",
    "0510",
    "0561",
    "0430",
    "0330",
    "0336",
    "0265",
    "0260",
    "0253",
    "0161",
    "0159",
    "0147",
    "0223",
]
SICK = ["0630", "0561", "0265", "0791", "0621", "0430"]

LOGS = [
    # key, project, municipality, author, title, status, visibility, origin, purpose, learnings
    (
        "a1",
        "digital",
        "0630",
        "deltager@netvaerk.example",
        "Videosamtaler som fast tilbud",
        "completed",
        "public",
        None,
        "Vi tror, at flere sygemeldte møder op, hvis de selv kan vælge video.",
        "Videoformen passer til opfølgning, men ikke til den første samtale.",
    ),
    (
        "a2",
        "digital",
        "0621",
        "lise.lund@netvaerk.example",
        "Digitale virksomhedsbesøg",
        "in_progress",
        "network",
        None,
        "Kan en kort video fra virksomheden gøre ledige mere trygge ved et besøg?",
        "",
    ),
    (
        "a3",
        "digital",
        "0791",
        "peter.vest@netvaerk.example",
        "Selvbooking af første samtale",
        "planned",
        "public",
        None,
        "Vi vil afprøve, om borgere selv kan booke den første samtale digitalt.",
        "",
    ),
    (
        "a4",
        "digital",
        "0147",
        "amina.hassan@netvaerk.example",
        "Sms-påmindelser på flere sprog",
        "completed",
        "network",
        None,
        "Færre udeblivelser, hvis påmindelsen kommer på borgerens eget sprog.",
        "Udeblivelser faldt fra 14 % til 8 %; arabisk og somali var mest brugt.",
    ),
    (
        "a5",
        "digital",
        "0561",
        "thomas.boe@netvaerk.example",
        "Videosamtaler i jobafklaring",
        "in_progress",
        "public",
        "a1",
        "Vi prøver Vejles model med video til opfølgning i jobafklaringsforløb.",
        "",
    ),
    (
        "a6",
        "digital",
        "0791",
        "peter.vest@netvaerk.example",
        "Video til opfølgning i Viborg",
        "planned",
        "participants",
        "a1",
        "Inspireret af Vejle vil vi tilbyde video til opfølgning for sygemeldte.",
        "",
    ),
    (
        "a7",
        "digital",
        "0621",
        "lise.lund@netvaerk.example",
        "Fælles digital jobbørs",
        "abandoned",
        "public",
        None,
        "En fælles jobbørs for fem syddanske kommuner.",
        "Opgivet: virksomhederne brugte allerede Jobnet og ville ikke have en kanal mere.",
    ),
    (
        "b1",
        "sick",
        "0630",
        "deltager@netvaerk.example",
        "Opringning inden for fem dage",
        "in_progress",
        "participants",
        None,
        "Tidlig kontakt kan forkorte sygeforløbet. Vi ringer inden for fem hverdage.",
        "",
    ),
    (
        "b2",
        "sick",
        "0561",
        "thomas.boe@netvaerk.example",
        "Delvis raskmelding som standard",
        "completed",
        "participants",
        None,
        "Vi spørger altid til muligheden for delvis raskmelding i første samtale.",
        "Flere ønskede det, end vi troede. Arbejdsgiverne var positive.",
    ),
    (
        "b3",
        "sick",
        "0265",
        "koordinator@netvaerk.example",
        "Fælles samtale med arbejdsgiver",
        "planned",
        "participants",
        "b1",
        "En trepartssamtale med borger og arbejdsgiver i første måned.",
        "",
    ),
    (
        "b4",
        "sick",
        "0630",
        "deltager@netvaerk.example",
        "Tjekliste til første samtale",
        "completed",
        "network",
        None,
        "En fælles tjekliste skal gøre første samtale ens på tværs af teams.",
        "Tjeklisten bruges, men skal være kortere.",
    ),
]


def seed(stdout=None) -> None:
    users = {u.email: u for u in User.objects.filter(email__endswith="@netvaerk.example")}
    if len(users) < 5:  # network demo must run first
        return
    index = get_index_page()
    today = timezone.localdate()
    digital = _project(
        index,
        "demo-proj-digital",
        "Digitale veje til job",
        "Et etårigt projekt, hvor 17 kommuner afprøver digitale kontaktformer med borgerne. "
        "Fire temadage og fire webseminarer med prøvehandlinger imellem.",
        today - timedelta(days=240),
        today + timedelta(days=125),
        "public",
        DIGITAL,
        ["Fremfærd Borger", "HK Kommunal", "KL", "Dansk Socialrådgiverforening"],
        ["digitalisering", "sygedagpenge", "faglighed"],
    )
    sick = _project(
        index,
        "demo-proj-sick",
        "Tidlig indsats for sygemeldte",
        "Seks kommuner udvikler sammen en tidligere og mere håndholdt indsats for "
        "sygemeldte borgere. Kun for projektets deltagere.",
        today - timedelta(days=90),
        today + timedelta(days=270),
        "participants",
        SICK,
        ["Dansk Socialrådgiverforening"],
        ["sygedagpenge"],
    )
    roles = [
        (digital, "koordinator@netvaerk.example", "coordinator"),
        (sick, "koordinator@netvaerk.example", "coordinator"),
        (digital, "deltager@netvaerk.example", "participant"),
        (sick, "deltager@netvaerk.example", "participant"),
        (sick, "thomas.boe@netvaerk.example", "participant"),
    ] + [
        (digital, e, "participant")
        for e in (
            "lise.lund@netvaerk.example",
            "peter.vest@netvaerk.example",
            "amina.hassan@netvaerk.example",
            "thomas.boe@netvaerk.example",
        )
    ]
    for project, email, role in roles:
        ProjectParticipant.objects.get_or_create(
            project=project, user=users[email], defaults={"role": role}
        )
    events = _events(digital, today) + _events(sick, today, short=True)
    _material(digital, "Projektbeskrivelse – Digitale veje til job")
    _material(sick, "Drejebog for tidlig kontakt (kun deltagere)")
    created = _logs(users, {"digital": digital, "sick": sick}, events, today)
    if stdout:
        stdout.write(f"  projects: 2 projects, {len(events)} events, {created} new trial actions")


def _project(index, key, title, summary, start, end, visibility, codes, orgs, areas):
    page = ProjectPage.objects.filter(external_id=key).first()
    if page:
        return page
    page = ProjectPage(
        external_id=key,
        title=title,
        summary=summary,
        start_date=start,
        end_date=end,
        visibility=visibility,
        slug=title.lower().replace(" ", "-").replace("ø", "oe").replace("æ", "ae"),
        goals="<ul><li>Flere borgere i kontakt med jobcentret på den måde, der "
        "passer dem.</li><li>Erfaringer, der kan bruges i andre kommuner.</li></ul>",
    )
    index.add_child(instance=page)
    page.municipalities.set(Municipality.objects.filter(code__in=codes))
    page.organisations.set(Organisation.objects.filter(name__in=orgs))
    page.work_areas.set(WorkArea.objects.filter(slug__in=areas))
    page.save_revision().publish()
    _announced(page, timezone.make_aware(datetime.combine(start, time(9, 0))), days=30)
    return page


def _announced(page, starts, days: int) -> None:
    """Demo pages were announced before they start, not when the demo was loaded: the
    search's *Nyeste* lists them by that day (the seed's batch indexes them after)."""
    first = min(timezone.now(), starts - timedelta(days=days))
    project = page.get_parent().specific
    if isinstance(project, ProjectPage) and project.first_published_at:
        first = max(first, project.first_published_at)
    type(page).objects.filter(pk=page.pk).update(first_published_at=first)


# Per event: what it is about, and its programme (a webinar is two hours, no lunch).
EVENT_TEXTS = {
    "Temadag 1: Hvor er borgerne digitalt?": (
        "Vi tager afsæt i borgernes hverdag: hvem bruger video, sms og selvbetjening, og "
        "hvem gør ikke? Kommunerne vælger hver deres første prøvehandling.",
        [
            ("09:30", "Velkomst og kaffe", ""),
            ("10:00", "Hvor er borgerne digitalt?", "KL"),
            ("11:00", "Kortlægning i kommunegrupper", ""),
            ("12:00", "Frokost", ""),
            ("12:45", "Vælg jeres første prøvehandling", ""),
            ("14:45", "Tak for i dag", ""),
        ],
    ),
    "Webseminar: Videosamtaler i praksis": (
        "Viborg og Vejle viser, hvordan de holder opfølgningssamtaler på video, og hvad "
        "borgerne siger til det.",
        [
            ("13:00", "Velkommen", ""),
            ("13:10", "Video i sygedagpengeopfølgningen", "Jobcenter Viborg"),
            ("13:45", "Spørgsmål og erfaringer fra chatten", ""),
            ("14:45", "Tak for i dag", ""),
        ],
    ),
    "Temadag 2: Prøvehandlinger – hvad har vi lært?": (
        "Halvvejs: hver kommune fortæller om sin prøvehandling, og vi samler op på, hvad "
        "der virkede, og hvad der ikke gjorde.",
        [
            ("09:30", "Velkomst", ""),
            ("09:45", "Kommunerne fortæller", "Projektdeltagere"),
            ("12:00", "Frokost", ""),
            ("12:45", "Hvad tager vi med videre?", ""),
            ("14:30", "Næste skridt", ""),
        ],
    ),
    "Webseminar: Sikker video og GDPR": (
        "Hvad må vi, når samtalen foregår på video? Om samtykke, optagelse, og hvilke "
        "løsninger der lever op til reglerne.",
        [
            ("13:00", "Velkommen", ""),
            ("13:10", "Reglerne for video i jobcentret", "Dansk Socialrådgiverforening"),
            ("14:00", "Spørgsmål", ""),
            ("14:45", "Tak for i dag", ""),
        ],
    ),
    "Temadag 3: Fra forsøg til fast praksis": (
        "Hvordan bliver en god prøvehandling til en fast arbejdsgang? Ledere og "
        "medarbejdere arbejder med forankring.",
        [
            ("09:30", "Velkomst", ""),
            ("10:00", "Forankring i praksis", "HK Kommunal"),
            ("11:15", "Værksted: jeres plan for forankring", ""),
            ("12:00", "Frokost", ""),
            ("12:45", "Værkstedet fortsætter", ""),
            ("14:45", "Opsamling", ""),
        ],
    ),
    "Webseminar: Digitale påmindelser": (
        "Sms før samtalen, booking på nettet og påmindelser, der får flere til at møde op.",
        [
            ("13:00", "Velkommen", ""),
            ("13:10", "Påmindelser, der virker", "Jobcenter Kolding"),
            ("14:00", "Spørgsmål", ""),
            ("14:45", "Tak for i dag", ""),
        ],
    ),
    "Temadag 4: Opsamling og næste skridt": (
        "Projektets resultater samlet: hvad skal resten af landets jobcentre vide?",
        [
            ("09:30", "Velkomst", ""),
            ("10:00", "Resultater fra de 17 kommuner", "Fremfærd Borger"),
            ("12:00", "Frokost", ""),
            ("12:45", "Anbefalinger til hele landet", ""),
            ("14:30", "Afslutning", ""),
        ],
    ),
    "Webseminar: Erfaringer til hele landet": (
        "For alle interesserede: erfaringerne fra Digitale veje til job, fortalt af dem, der "
        "prøvede dem.",
        [
            ("13:00", "Velkommen", ""),
            ("13:10", "Tre kommuner fortæller", "Projektdeltagere"),
            ("14:15", "Spørgsmål", ""),
            ("14:45", "Tak for i dag", ""),
        ],
    ),
    "Opstart: Tidlig indsats": (
        "Vi mødes online, præsenterer kommunerne og aftaler, hvordan vi arbejder sammen.",
        [
            ("13:00", "Velkommen", ""),
            ("13:15", "Hvem er vi?", "Projektdeltagere"),
            ("14:00", "Sådan arbejder vi sammen", ""),
            ("14:45", "Tak for i dag", ""),
        ],
    ),
    "Temadag: Den første samtale": (
        "Den første samtale med en sygemeldt borger: hvad skal den kunne, og hvem skal være med?",
        [
            ("09:30", "Velkomst", ""),
            ("10:00", "Den første samtale", "Projektdeltagere"),
            ("12:00", "Frokost", ""),
            ("12:45", "Værksted", ""),
            ("14:30", "Opsamling", ""),
        ],
    ),
}


def _events(project, today, short=False) -> list[EventPage]:
    plan = [
        ("theme_day", -200, "Temadag 1: Hvor er borgerne digitalt?"),
        ("webinar", -150, "Webseminar: Videosamtaler i praksis"),
        ("theme_day", -100, "Temadag 2: Prøvehandlinger – hvad har vi lært?"),
        ("webinar", -40, "Webseminar: Sikker video og GDPR"),
        ("theme_day", 14, "Temadag 3: Fra forsøg til fast praksis"),
        ("webinar", 45, "Webseminar: Digitale påmindelser"),
        ("theme_day", 90, "Temadag 4: Opsamling og næste skridt"),
        ("webinar", 110, "Webseminar: Erfaringer til hele landet"),
    ]
    if short:
        plan = [
            ("onboarding", -60, "Opstart: Tidlig indsats"),
            ("theme_day", 21, "Temadag: Den første samtale"),
        ]
    events = []
    for kind, offset, title in plan:
        key = f"{project.external_id}-{offset}"
        event = EventPage.objects.filter(external_id=key).first()
        if event is None:
            online = kind in ("webinar", "onboarding")  # the onboarding is virtual
            day = datetime.combine(
                _working_day(today + timedelta(days=offset)),
                time(13, 0) if online else time(9, 30),
            )
            starts = timezone.make_aware(day)
            summary, agenda = EVENT_TEXTS[title]
            event = EventPage(
                external_id=key,
                title=title,
                kind=kind,
                starts_at=starts,
                ends_at=starts + timedelta(hours=2 if online else 5.5),
                location="" if online else "Mødecenter Vejle, Banegårdspladsen",
                online_url="https://moede.example/netvaerk" if online else "",
                summary=summary,
                capacity=None if online else 40,
                speakers="Karen Kjær, Fremfærd Borger\nPeter Vestergaard, Jobcenter Viborg",
                slug=danish_slugify(title),  # as the editor's and the import's events
            )
            event.agenda_items = [
                AgendaItem(time=time.fromisoformat(at), title=item, speaker=speaker)
                for at, item, speaker in agenda
            ]
            if offset < 0:  # held: the slides are up
                event.materials = [_slides(f"Slides: {title}")]
            project.add_child(instance=event)
            event.save_revision().publish()
            _announced(event, starts, days=120)  # planned with the project year
        events.append(event)
    return events


def _slides(title: str):
    from .models.events import EventMaterial

    document = SiteDocument(title=title)
    name = title.lower().replace(" ", "-").replace(":", "")
    document.file.save(
        f"{name[:60]}.txt",
        ContentFile(f"{title}\n\nSlides fra arrangementet (demomateriale).\n".encode()),
        save=False,
    )
    document.save()
    return EventMaterial(document=document, title="Slides fra arrangementet")


def _material(project, title):
    if project.materials.exists():
        return
    document = SiteDocument(title=title)
    document.file.save(
        f"{project.slug}.txt",
        ContentFile(f"{title}\n\nDette er demomateriale for projektet {project.title}.\n".encode()),
        save=False,
    )
    document.save()
    project.materials.add(ProjectMaterial(document=document, title=title))
    project.save_revision().publish()


def _logs(users, projects, events, today) -> int:
    created = 0
    by_key = {}
    for key, proj, code, email, title, status, vis, origin, purpose, learnings in LOGS:
        external_id = f"demo-log-{key}"
        log = TrialAction.objects.filter(external_id=external_id).first()
        if log is None:
            log = TrialAction.objects.create(
                external_id=external_id,
                project=projects[proj],
                municipality=Municipality.objects.get(code=code),
                author=users[email],
                title=title,
                purpose=purpose,
                learnings=learnings,
                status=status,
                visibility=vis,
                origin=by_key.get(origin),
                started=today - timedelta(days=30 + 7 * len(by_key)),
                target_group="Sygemeldte og ledige borgere",
                actions="Vi har tilrettelagt forsøget sammen med teamlederen."
                if status != "planned"
                else "",
            )
            log.work_areas.set(projects[proj].work_areas.all())
            _conversation(log, users, key)
            _backdate(log)
            created += 1
        by_key[key] = log
    return created


# Days no theme day is held on, whatever the demo's date (weekends aside).
_HOLIDAYS = {(12, 24), (12, 25), (12, 26), (12, 31), (1, 1)}


def _working_day(day):
    """The first weekday on or after `day` that is not a Christmas or New Year holiday
    (a demo theme day fell on a Saturday and on 2. juledag)."""
    while day.weekday() >= 5 or (day.month, day.day) in _HOLIDAYS:
        day += timedelta(days=1)
    return day


def _backdate(log):
    """Demo logs were written weeks ago, not when the demo was loaded: the dashboard's
    quiet municipalities and the overview's to-dos follow from these dates. A log is
    written 20 days before it starts and, unless still planned, edited when it starts;
    its updates and comments come after the start
    (every log started 30 days ago or more), in the order they were made."""
    from .models import TrialActionComment, TrialActionUpdate

    started = timezone.make_aware(datetime.combine(log.started, time(10, 0)))
    written = started - timedelta(days=20)
    # A log under way was last edited when it started (its status changed then); a
    # planned one when it was written (the overview showed "started 29 October, last
    # changed 9 October").
    edited = written if log.status == "planned" else started
    TrialAction.objects.filter(pk=log.pk).update(created_at=written, updated_at=edited)
    for days, model in ((10, TrialActionUpdate), (12, TrialActionComment)):
        for hours, pk in enumerate(
            model.objects.filter(trial_action=log).order_by("pk").values_list("pk", flat=True)
        ):
            at = started + timedelta(days=days, hours=hours)
            model.objects.filter(pk=pk).update(created_at=at)


def _conversation(log, users, key):
    from .models import TrialActionComment, TrialActionUpdate

    if key == "a1":
        TrialActionUpdate.objects.create(
            trial_action=log,
            author=log.author,
            text="Efter de første uger vælger hver tredje borger video til opfølgning.",
        )
        TrialActionComment.objects.create(
            trial_action=log,
            author=users["lise.lund@netvaerk.example"],
            text="Spændende! Hvordan håndterede I borgere uden kamera på computeren?",
        )
        TrialActionComment.objects.create(
            trial_action=log,
            author=log.author,
            text="De fleste bruger telefonen. Vi sender et link på sms.",
        )
    if key == "b1":
        TrialActionComment.objects.create(
            trial_action=log,
            author=users["thomas.boe@netvaerk.example"],
            text="Vi har samme erfaring i Esbjerg: det første opkald gør en stor forskel.",
        )
