"""Demo content that joins the apps (run last by seed_demo): the participant follows
another municipality's log, a municipality, a work area and a search; a peer updates
that log and comments on theirs, so *Mit overblik*, the notifications, the digest and
the feed have something to show. Event material and a sign-up make the events side
visible. Idempotent."""

from __future__ import annotations

from django.core.files.base import ContentFile

PARTICIPANT = "deltager@netvaerk.example"


def site_address(stdout=None) -> None:
    """The default Wagtail site answers at SITE_URL (`PORT=8080 make run` sets it to
    port 8080), so every full URL Wagtail builds (the open data API's html_url, page
    links in mails) points where the site is served."""
    from urllib.parse import urlsplit

    from django.conf import settings
    from wagtail.models import Site

    url = urlsplit(settings.SITE_URL)
    port = url.port or (443 if url.scheme == "https" else 80)
    Site.objects.filter(is_default_site=True).update(hostname=url.hostname, port=port)


def seed(stdout=None) -> None:
    from network.models import SiteDocument, User
    from newsletters.following import toggle
    from newsletters.models import Follow
    from projects.models import (
        EventPage,
        EventRegistration,
        TrialAction,
        TrialActionComment,
        TrialActionUpdate,
    )
    from projects.models.events import EventMaterial

    me = User.objects.filter(email=PARTICIPANT).first()
    if me is None or Follow.objects.filter(user=me).exists():
        return
    followed = (
        TrialAction.objects.filter(
            project__title="Digitale veje til job", visibility="public", status="in_progress"
        )
        .exclude(author=me)
        .select_related("author")
        .first()
    )
    mine = TrialAction.objects.filter(author=me, project__title="Digitale veje til job").first()
    for kind, key in (
        ("trial_action", followed.pk if followed else None),
        ("municipality", "0791"),
        ("work_area", "digitalisering"),
    ):
        if key:
            toggle(me, kind, str(key))
    if followed:
        TrialActionUpdate.objects.create(
            trial_action=followed,
            author=followed.author,
            text="Fire uger inde: tre ud af fire borgere booker nu selv deres første samtale.",
        )
    if mine:
        peer = User.objects.filter(email="lise.lund@netvaerk.example").first()
        if peer:
            TrialActionComment.objects.create(
                trial_action=mine,
                author=peer,
                text="Vi vil gerne prøve det samme i Kolding. Må vi se jeres skabelon til sms'en?",
            )
    events = EventPage.objects.filter(title__startswith="Webseminar: Sikker video").order_by("pk")
    past = events.first()
    if past and not past.materials.exists():
        document = SiteDocument(title="Slides: Sikker video og GDPR")
        document.file.save(
            "slides-sikker-video.txt",
            ContentFile(b"Slides fra webseminaret om sikker video og GDPR (demo)."),
            save=False,
        )
        document.save()
        past.materials.add(EventMaterial(document=document, title="Slides fra webseminaret"))
        past.save_revision().publish()
    upcoming = EventPage.objects.filter(title__startswith="Temadag 3").first()
    if upcoming:
        EventRegistration.objects.get_or_create(
            event=upcoming, user=me, defaults={"status": "registered"}
        )
    if stdout:
        stdout.write("  cockpit: follows, notifications, event material and a sign-up")


INFO_PAGES = [
    (
        "accessibility",
        "Tilgængelighedserklæring",
        "tilgaengelighedserklaering",
        "Beskæftigelsesnetværket skal kunne bruges af alle. Her står, hvordan vi arbejder "
        "med tilgængelighed, hvad vi ved ikke virker, og hvordan du siger til.",
        "<h2>Hvad vi sigter efter</h2>"
        "<p>Sitet skal overholde WCAG 2.1 på niveau AA, som loven om tilgængelighed af "
        "offentlige organers websteder kræver. (Demotekst: erklæringen skal udfyldes af "
        "den organisation, der driver sitet, i Digitaliseringsstyrelsens WAS-Tool.)</p>"
        "<h2>Sådan tester vi</h2>"
        "<ul><li>Alle sider virker uden JavaScript og kan bruges med tastatur alene.</li>"
        "<li>Siderne i de vigtigste forløb tjekkes automatisk med axe-core og i en browser "
        "på 390 pixels bredde, så intet skal rulles til siden.</li>"
        "<li>Vi bruger overskrifter, etiketter og tekstalternativer, som skærmlæsere kan "
        "læse.</li></ul>"
        "<h2>Kendte problemer</h2>"
        "<p>Redaktionens administration (Wagtail) er ikke testet lige så grundigt som det "
        "offentlige site. PDF-filer, som kommunerne lægger op, er ikke altid tilgængelige.</p>"
        "<h2>Fandt du noget, der ikke virker?</h2>"
        "<p>Skriv til os via kontaktsiden. Får du ikke et svar, du kan bruge, kan du klage "
        "til Digitaliseringsstyrelsen, som fører tilsyn med offentlige organers websteder.</p>",
    ),
    (
        "privacy",
        "Privatlivspolitik",
        "privatlivspolitik",
        "Hvilke oplysninger gemmer vi om medlemmer og abonnenter, hvorfor, og hvor længe? "
        "(Demotekst: den dataansvarlige organisation skal tilpasse den.)",
        "<h2>Medlemmer</h2>"
        "<p>Når du opretter en konto, gemmer vi dit navn, din e-mail, din kommune eller "
        "organisation og din stilling. Telefonnummer og profiltekst er frivillige. Du "
        "bestemmer selv, hvem der kan se din profil, og om andre må kontakte dig.</p>"
        "<p>Det, du skriver i projekter (prøvehandlinger, opdateringer og kommentarer), "
        "ses af dem, du deler det med. Sletter du din konto, fjernes dine "
        "personoplysninger; det, du har skrevet i fælles projekter, bliver stående uden "
        "dit navn.</p>"
        "<h2>Abonnenter på nyhedsbrevet</h2>"
        "<p>Vi gemmer din e-mail, de arbejdsområder, du har valgt, og hvornår du bekræftede "
        "tilmeldingen. Du kan framelde dig med ét klik fra hver mail.</p>"
        "<h2>Søgninger</h2>"
        "<p>Vi tæller, hvad der søges efter, så redaktionen kan se, hvad der mangler. Vi "
        "gemmer ikke, hvem der søgte, og e-mailadresser, CPR-numre, telefonnumre og andre "
        "lange tal i en søgning gemmes kun som fx »[cpr-nummer]«. Søg ikke efter borgere "
        "ved navn: her findes kun netværkets eget indhold.</p>"
        "<h2>Dine rettigheder</h2>"
        "<p>Du kan se og rette dine oplysninger under »Min profil«, hente alt, hvad vi har "
        "gemt om dig, under »Mine data«, og slette din konto samme sted. Skriv til os via "
        "kontaktsiden, hvis du har spørgsmål.</p>",
    ),
    (
        "contact",
        "Kontakt",
        "kontakt",
        "Redaktionen svarer på spørgsmål om sitet, om indhold og om din konto.",
        '<p>Skriv til redaktionen på <a href="mailto:redaktion@netvaerk.example">'
        "redaktion@netvaerk.example</a>. Vi svarer normalt inden for to hverdage. "
        "(Demotekst: adressen findes ikke.)</p>"
        "<h2>Spørgsmål om et projekt</h2>"
        "<p>Spørgsmål om et projekts indhold, arrangementer og deltagere går til projektets "
        "koordinator; du finder koordinatoren på projektets side.</p>"
        "<h2>Glemt adgangskode</h2>"
        "<p>Brug »Glemt adgangskode?« på login-siden. Kommer mailen ikke, så tjek dit "
        "spamfilter, og skriv derefter til os.</p>",
    ),
]


def seed_info_pages(stdout=None) -> None:
    """The footer's pages: accessibility statement, privacy policy and contact, as
    editable information pages under the front page. Leaves existing ones alone."""
    from .models import HomePage, InfoPage

    home = HomePage.objects.first()
    if home is None:
        return
    made = 0
    for role, title, slug, intro, body in INFO_PAGES:
        if InfoPage.objects.filter(role=role).exists():
            continue
        page = InfoPage(
            title=title, slug=slug, role=role, intro=intro, body=body, show_in_menus=True
        )
        home.add_child(instance=page)
        page.save_revision().publish()
        made += 1
    if stdout and made:
        stdout.write(f"  sider: {made} informationssider (tilgængelighed, privatliv, kontakt)")


def follow_search(stdout=None) -> None:
    """The participant follows the search *video*: after the seed is indexed, so its
    first look sees what is there already (within the seed's batch the index was
    empty, and every old result came as news: an outside walk)."""
    from django.contrib.auth import get_user_model

    from newsletters.following import toggle
    from newsletters.models import Follow

    me = get_user_model().objects.filter(email=PARTICIPANT).first()
    if me is not None and not Follow.objects.filter(user=me, kind="search").exists():
        toggle(me, "search", "q=video")
