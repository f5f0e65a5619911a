"""Demo content that joins the apps (run last by seed_demo): the participant follows
another municipality's log, a municipality, a work area and a search; a peer updates
that log and comments on theirs, so *Mit overblik*, the notifications, the digest and
the feed have something to show. Event material and a sign-up make the events side
visible. Idempotent."""

from __future__ import annotations

from django.core.files.base import ContentFile

PARTICIPANT = "deltager@netvaerk.example"


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
        ("search", "q=video"),
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
                text="Vi vil gerne prøve det samme i Holbæk. Må vi se jeres skabelon til sms'en?",
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
