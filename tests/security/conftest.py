"""A world of private content, each private field holding a marker word of its own.

If a marker shows up in a body or header a role may not see, something leaked. The
markers are plain ASCII words that no analyser changes and no demo text contains.
"""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

FAR_ID = 987654  # an id no object in the test database has


def marker(name: str) -> str:
    return f"zq{name}x"


@pytest.fixture
def private_world(demo):
    return build_private_world()


def build_private_world() -> dict:
    from experiences.factories import create_experience
    from network.factories import UserFactory
    from network.models import SiteDocument
    from newsletters.models import Edition
    from projects.factories import create_event, create_log, create_project
    from projects.models import (
        EventMaterial,
        ProjectMaterial,
        TrialActionAttachment,
        TrialActionComment,
        TrialActionUpdate,
    )

    secret: dict[str, str] = {}  # marker -> what it stands for; never shown to outsiders
    members_only: dict[str, str] = {}  # shown to members, never to anonymous visitors

    def m(name, to=secret):
        word = marker(name)
        to[word] = name
        return word

    owner = UserFactory(email="ejer@test.example", first_name="Ejer")
    outsider = UserFactory(email="udenfor@test.example", first_name="Udenfor")
    member = UserFactory(email="menig@test.example", first_name="Menig")

    def document(name, to=secret):
        doc = SiteDocument(title=f"Dokument {m(name + 'title', to)}")
        body = f"%PDF-1.4 {m(name + 'content', to)}".encode()
        doc.file.save(f"{m(name + 'file', to)}.pdf", ContentFile(body), save=False)
        doc.save()
        return doc

    # A participants-only project: everything in it is secret.
    hidden = create_project(
        f"Projekt {m('projtitle')}", visibility="participants", participants=[owner]
    )
    hidden.summary = f"Resumé {m('projsummary')}"
    hidden.goals = f"<p>Mål {m('projgoals')}</p>"
    hidden.materials.add(ProjectMaterial(document=document("projmaterial")))
    hidden.save_revision().publish()
    hidden.refresh_from_db()
    event = create_event(hidden, f"Temadag {m('eventtitle')}")
    event.summary = f"Program {m('eventsummary')}"
    event.materials.add(EventMaterial(document=document("eventmaterial")))
    event.save_revision().publish()
    event.refresh_from_db()
    hidden_log = create_log(
        hidden,
        owner,
        title=f"Log {m('logtitle')}",
        purpose=f"Formål {m('logpurpose')}",
        visibility="public",
        actions=f"Gjorde {m('logactions')}",
        learnings=f"Lærte {m('loglearnings')}",
    )

    # A public project with a participants-only log and a hidden comment on a public one.
    public = create_project("Åbent projekt", participants=[owner])
    create_project("Andet projekt", participants=[outsider])
    inner_log = create_log(
        public,
        owner,
        title=f"Indre log {m('innertitle')}",
        purpose=f"Formål {m('innerpurpose')}",
        visibility="participants",
        results=f"Resultat {m('innerresults')}",
    )
    TrialActionUpdate.objects.create(
        trial_action=inner_log, author=owner, text=f"Opdatering {m('innerupdate')}"
    )
    inner_comment = TrialActionComment.objects.create(
        trial_action=inner_log, author=owner, text=f"Kommentar {m('innercomment')}"
    )
    attachment = TrialActionAttachment.objects.create(
        trial_action=inner_log,
        file=ContentFile(f"%PDF-1.4 {m('attachcontent')}".encode(), name=f"{m('attachfile')}.pdf"),
        name=f"{m('attachname')}.pdf",
        size=20,
        content_type="application/pdf",
        uploaded_by=owner,
    )
    open_log = create_log(public, owner, title="Åben log", visibility="public")
    hidden_comment = TrialActionComment.objects.create(
        trial_action=open_log,
        author=owner,
        text=f"Skjult {m('hiddencomment')}",
        hidden_at=timezone.now(),
    )

    # A members-only project: fine for members, never for anonymous visitors.
    members = create_project(
        f"Medlemsprojekt {m('membertitle', members_only)}", visibility="members"
    )
    members.summary = f"Resumé {m('membersummary', members_only)}"
    members.save_revision().publish()

    # Draft and unpublished experiences.
    draft = create_experience(
        f"Kladde {m('drafttitle')}", lead=f"Manchet {m('draftlead')}", live=False
    )
    gone = create_experience(f"Trukket {m('gonetitle')}", lead=f"Manchet {m('golead')}")
    gone.unpublish()

    # A member whose profile only they may see.
    private_person = UserFactory(
        email="privat@test.example",
        first_name=m("privatename").capitalize(),
        bio=f"Om mig {m('privatebio')}",
        profile_visibility="private",
    )

    # A newsletter edition not yet sent.
    edition = Edition.objects.create(subject=f"Udkast {m('editionsubject')}", intro="Kladde")

    # Everything is in the search index, the private entries included: the access
    # filter, not the absence of entries, must keep them out of every answer.
    from search import indexing

    indexing.rebuild()

    return {
        "secret": secret,
        "members_only": members_only,
        "users": {"owner": owner, "outsider": outsider, "member": member},
        "hidden": hidden,
        "event": event,
        "public": public,
        "hidden_log": hidden_log,
        "inner_log": inner_log,
        "inner_comment": inner_comment,
        "hidden_comment": hidden_comment,
        "attachment": attachment,
        "members": members,
        "draft": draft,
        "gone": gone,
        "private_person": private_person,
        "edition": edition,
        "documents": list(SiteDocument.objects.filter(title__contains="zq")),
        "made_up_uuid": str(uuid.UUID(int=FAR_ID)),
        "today": datetime.date.today(),
    }
