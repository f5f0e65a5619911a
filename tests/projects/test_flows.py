"""Front-end flows of a project space: logs, updates, comments, pick-ups, sign-ups."""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from experiences.models import ExperiencePage
from network.factories import UserFactory
from network.models import Municipality
from projects.factories import create_event, create_log, create_project
from projects.models import ProjectParticipant, TrialAction, TrialActionComment

LOG_FORM = {
    "title": "Walk and talk med unge",
    "municipality": "",
    "purpose": "Vi tror, unge taler mere frit på en gåtur.",
    "target_group": "Unge under 25",
    "actions": "",
    "results": "",
    "learnings": "",
    "next_steps": "",
    "status": "planned",
    "started": "2026-11-01",
    "event": "",
    "visibility": "participants",
    "notify_on_comments": "on",
}


@pytest.fixture
def project(people):
    return create_project(
        "Fælles projekt",
        visibility="members",
        municipalities=("0751", "0791", "0730"),
        coordinators=[people["coordinator"]],
        participants=[people["participant"], people["other_participant"]],
    )


def _form(**overrides):
    from network.models import Municipality

    data = dict(LOG_FORM, municipality=Municipality.objects.get(code="0751").pk)
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_participant_creates_edits_and_updates_a_log(client, people, project):
    client.force_login(people["participant"])
    response = client.post(project.url + "proevehandlinger/ny/", _form())
    assert response.status_code == 302
    log = TrialAction.objects.get(title="Walk and talk med unge")
    assert log.author == people["participant"] and log.project.pk == project.pk
    assert response["Location"] == log.get_absolute_url()

    response = client.post(
        project.url + f"proevehandlinger/{log.pk}/rediger/",
        _form(status="in_progress", actions="Fem gåture i oktober."),
    )
    assert response.status_code == 302
    log.refresh_from_db()
    assert log.status == "in_progress" and log.actions == "Fem gåture i oktober."

    client.post(
        project.url + f"proevehandlinger/{log.pk}/opdatering/",
        {"text": "Første erfaringer er gode."},
    )
    page = client.get(log.get_absolute_url()).content.decode()
    assert "Første erfaringer er gode." in page and "I gang" in page


@pytest.mark.django_db
def test_log_form_offers_the_projects_municipalities_own_first(client, people):
    from bs4 import BeautifulSoup

    from network.models import Municipality

    viborg = Municipality.objects.get(code="0791")
    people["participant"].municipality = viborg
    people["participant"].save()
    project = create_project(
        municipalities=("0751", "0791", "0730"), participants=[people["participant"]]
    )
    client.force_login(people["participant"])
    soup = BeautifulSoup(client.get(project.url + "proevehandlinger/ny/").content, "html.parser")
    options = soup.select("select[name=municipality] option")
    names = [o.get_text(strip=True) for o in options if o.get("value")]
    assert names == ["Viborg", "Aarhus", "Randers"]
    assert [o.get_text(strip=True) for o in options if o.has_attr("selected")] == ["Viborg"]
    # A municipality outside the project is refused with a message, and nothing saved.
    odense = Municipality.objects.get(code="0461")
    response = client.post(project.url + "proevehandlinger/ny/", _form(municipality=odense.pk))
    assert response.status_code == 200
    assert "Vælg en af projektets kommuner." in response.content.decode()
    assert not TrialAction.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "log_visibility,expected",
    [
        ("participants", "Kun projektets deltagere kan se"),
        ("network", "Medlemmer af netværket, der er logget ind, kan se"),
        # A public log in a members-only project is seen by members only.
        ("public", "Medlemmer af netværket, der er logget ind, kan se"),
    ],
)
def test_log_page_says_who_can_see_it(client, people, project, log_visibility, expected):
    log = create_log(project, people["participant"], visibility=log_visibility)
    client.force_login(people["participant"])
    assert expected in client.get(log.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_bad_log_input_gets_danish_messages_and_nothing_is_saved(client, people, project):
    client.force_login(people["participant"])
    response = client.post(
        project.url + "proevehandlinger/ny/", _form(title="", purpose="x" * 5001, status="weird")
    )
    assert response.status_code == 200
    text = response.content.decode()
    # One summary at the top, each error linked to its field (it said only "Ret
    # venligst fejlene nedenfor."), taking the focus.
    assert (
        'class="error-summary" role="region" aria-labelledby="fejl-titel" tabindex="-1" autofocus'
        in text
    )
    assert "Ret fejlene herunder" in text and 'href="#id_title">Titel:' in text
    assert TrialAction.objects.count() == 0


@pytest.mark.django_db
def test_user_text_is_kept_and_never_becomes_markup(client, people, project):
    client.force_login(people["participant"])
    client.post(
        project.url + "proevehandlinger/ny/",
        _form(
            title="<script>alert(1)</script>Forsøg",
            purpose='Se <a href="javascript:alert(1)" onclick="evil()">her</a> https://kl.dk',
        ),
    )
    log = TrialAction.objects.get()
    assert log.title == "<script>alert(1)</script>Forsøg"  # as typed: it is text
    page = client.get(log.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page and 'href="javascript:' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Forsøg" in page
    assert '<a href="https://kl.dk"' in page


@pytest.mark.django_db
def test_comment_notifies_author_unless_turned_off(client, people, project):
    log = create_log(project, people["participant"], visibility="network")
    client.force_login(people["other_participant"])
    response = client.post(
        project.url + f"proevehandlinger/{log.pk}/kommentar/",
        {"text": "Hvordan fik I lederne med?"},
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [people["participant"].email]
    assert "Hvordan fik I lederne med?" in mail.outbox[0].body
    assert mail.outbox[0].body.startswith(f"Hej {people['participant'].first_name}\n")
    log.notify_on_comments = False
    log.save()
    client.post(project.url + f"proevehandlinger/{log.pk}/kommentar/", {"text": "Og nu?"})
    assert len(mail.outbox) == 1
    assert (
        client.post(
            project.url + f"proevehandlinger/{log.pk}/kommentar/", {"text": "   "}
        ).status_code
        == 200
    )


@pytest.mark.django_db
def test_trial_action_page_ids_are_unique_and_labels_name_their_boxes(client, people, project):
    """The author sees the update box and the comment box on one page: each label
    must lead to its own box (a screen reader reads the label of the focused box)."""
    from collections import Counter

    from bs4 import BeautifulSoup

    log = create_log(project, people["participant"], visibility="network")
    client.force_login(people["participant"])
    soup = BeautifulSoup(
        client.get(project.url + f"proevehandlinger/{log.pk}/").content, "html.parser"
    )
    ids = Counter(tag["id"] for tag in soup.select("[id]"))
    assert [i for i, n in ids.items() if n > 1] == []
    labels = {
        label.get_text(strip=True).rstrip(":"): label["for"] for label in soup.select("label[for]")
    }
    assert soup.find(id=labels["Din kommentar"]).name == "textarea"
    assert soup.find(id=labels["Ny opdatering"]).name == "textarea"
    assert labels["Din kommentar"] != labels["Ny opdatering"]


@pytest.mark.django_db
def test_report_and_hide_comment(client, people, project):
    log = create_log(project, people["participant"])
    client.force_login(people["other_participant"])
    client.post(project.url + f"proevehandlinger/{log.pk}/kommentar/", {"text": "Grimt sagt"})
    comment = log.comments.get()
    client.force_login(people["participant"])
    response = client.post(project.url + f"kommentarer/{comment.pk}/anmeld/", {"reason": "Tone"})
    assert response.status_code == 302
    assert comment.reports.count() == 1
    assert any(people["coordinator"].email in m.to for m in mail.outbox)
    # Reporting again: a new reason is added and told; the same one again is not.
    mail.outbox.clear()
    for reason in ("Personlige oplysninger", "Personlige oplysninger", ""):
        client.post(project.url + f"kommentarer/{comment.pk}/anmeld/", {"reason": reason})
    assert comment.reports.get().reason == "Tone\nPersonlige oplysninger"
    (told,) = [m for m in mail.outbox if people["coordinator"].email in m.to]
    assert "Personlige oplysninger" in told.body
    # A member who keeps adding reasons is heard, but the coordinators' inbox is not
    # flooded: at most three mails an hour per comment; every reason is kept.
    mail.outbox.clear()
    for n in range(6):
        client.post(project.url + f"kommentarer/{comment.pk}/anmeld/", {"reason": f"Grund {n}"})
    assert len([m for m in mail.outbox if people["coordinator"].email in m.to]) == 1
    assert "Grund 5" in comment.reports.get().reason
    client.force_login(people["coordinator"])
    asked = client.post(project.url + f"kommentarer/{comment.pk}/skjul/", {"action": "hide"})
    assert "Vil du skjule denne kommentar?" in asked.content.decode()
    # It says who still sees it: the author does (an outside walk: "only coordinators").
    assert "kun den, der skrev den, og projektets koordinatorer" in asked.content.decode()
    comment.refresh_from_db()
    assert comment.hidden_at is None  # not before it is confirmed
    client.post(
        project.url + f"kommentarer/{comment.pk}/skjul/", {"action": "hide", "confirmed": "1"}
    )
    client.force_login(people["participant"])
    assert "Grimt sagt" not in client.get(log.get_absolute_url()).content.decode()
    # Its author still sees it, marked hidden, and may take their words back.
    client.force_login(people["other_participant"])
    page = client.get(log.get_absolute_url()).content.decode()
    assert "Grimt sagt" in page and "kun du kan se den, og du kan slette den" in page
    delete = project.url + f"kommentarer/{comment.pk}/slet/"
    assert f'href="{delete}"' in page
    client.post(delete, {"confirmed": "1"})
    assert not log.comments.exists()


@pytest.mark.django_db
def test_we_try_this_too_links_logs_both_ways(client, people, project):
    original = create_log(
        project, people["participant"], title="Sms-påmindelser", visibility="network"
    )
    client.force_login(people["other_participant"])
    form = client.get(project.url + f"proevehandlinger/{original.pk}/vi-proever-ogsaa/")
    assert "Sms-påmindelser" in form.content.decode()
    # A log that is not there is not there, 0 included (it gave a blank form: an
    # outside attacker).
    for pk in (0, original.pk + 999):
        response = client.get(project.url + f"proevehandlinger/{pk}/vi-proever-ogsaa/")
        assert response.status_code == 404
    client.post(
        project.url + f"proevehandlinger/{original.pk}/vi-proever-ogsaa/",
        _form(title="Sms-påmindelser i Viborg", municipality=_code_pk("0791")),
    )
    pickup = TrialAction.objects.get(title="Sms-påmindelser i Viborg")
    assert pickup.origin == original
    text = client.get(original.get_absolute_url()).content.decode()
    assert "Prøver det også" in text and "Viborg: Sms-påmindelser i Viborg" in text
    table = client.get(project.url).content.decode()
    assert "Prøvehandlinger pr. kommune og status" in table and "Viborg" in table


@pytest.mark.django_db
def test_inspired_by_names_the_original_only_to_those_who_may_see_it(client, people, project):
    """An outside attacker picked up a participants-only log into a public one; its
    author then renamed the original, and anonymous visitors read the new title under
    "Inspireret af" on the public log."""
    original = create_log(project, people["participant"], title="Sms-påmindelser")
    original.title = "HEMMELIG: en borgers klage"
    original.save()
    pickup = create_log(
        project, people["other_participant"], title="Vores sms-forsøg", visibility="public"
    )
    pickup.origin = original
    pickup.save()
    client.force_login(people["member"])  # not a participant
    member = client.get(pickup.get_absolute_url()).content.decode()
    assert "Vores sms-forsøg" in member
    assert "HEMMELIG" not in member and "Inspireret af" not in member
    assert f"proevehandlinger/{original.pk}/" not in member
    client.force_login(people["other_participant"])
    assert "Inspireret af" in client.get(pickup.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_a_start_date_far_off_is_refused_in_danish_and_a_stored_one_may_stay(
    client, people, project
):
    """A user walk saved trial actions started in 1900 and 2099."""
    client.force_login(people["participant"])
    url = project.url + "proevehandlinger/ny/"
    for started in ("1900-01-01", "2099-01-01", "0001-01-01"):
        response = client.post(url, _form(title=f"Start {started}", started=started))
        assert response.status_code == 200, started
        assert "Startdatoen skal ligge mellem 1. januar 2000 og 31. december" in (
            response.content.decode()
        )
    assert not TrialAction.objects.exists()
    assert client.post(url, _form(title="I år", started="2026-03-01")).status_code == 302
    old = create_log(project, people["participant"], title="Importeret", started="1999-05-01")
    page = client.get(old.get_absolute_url() + "rediger/").content.decode()
    assert 'value="1999-05-01"' in page
    data = {**_form(title="Importeret, rettet", started="1999-05-01")}
    assert client.post(old.get_absolute_url() + "rediger/", data).status_code == 302
    old.refresh_from_db()
    assert old.title == "Importeret, rettet"
    # The rule is the model's, so the admin's form keeps it too (an outside re-check
    # saved 0001-01-01 there).
    from django.core.exceptions import ValidationError

    old.started = datetime.date(1, 1, 1)
    with pytest.raises(ValidationError) as refused:
        old.full_clean()
    assert "Startdatoen skal ligge mellem" in refused.value.message_dict["started"][0]


@pytest.mark.django_db
def test_a_meeting_link_is_http_or_https_in_the_admin_too(project):
    from django.core.exceptions import ValidationError

    event = create_event(project, "Webinar")
    event.online_url = "ftp://filer.example/mode"
    with pytest.raises(ValidationError) as refused:
        event.full_clean()
    assert "online_url" in refused.value.message_dict


@pytest.mark.django_db(transaction=True)
def test_an_author_deletes_their_log_with_its_files_and_search_forgets_it(client, people, project):
    """A user walk found that a participant could never remove a test entry or a
    duplicate of their own."""
    import os

    from search import service
    from search.query import Filters

    client.force_login(people["participant"])
    pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%plan\n", "application/pdf")
    client.post(
        project.url + "proevehandlinger/ny/", _form(title="Zebraforsøg dublet", attachment=pdf)
    )
    log = TrialAction.objects.get(title="Zebraforsøg dublet")
    path = log.attachments.get().file.path
    pickup = create_log(project, people["other_participant"], title="Vores zebra", origin=log)

    def found(user):
        params = service.SearchParams(q="zebraforsøg", filters=Filters())
        return [hit.title for hit in service.run(user, params, log=False).result.hits]

    assert "Zebraforsøg dublet" in found(people["participant"])
    page = client.get(log.get_absolute_url()).content.decode()
    assert f"proevehandlinger/{log.pk}/slet/" in page
    url = log.get_absolute_url() + "slet/"
    confirm = client.get(url).content.decode()
    assert "Vil du slette »Zebraforsøg dublet«?" in confirm
    assert os.path.exists(path)
    # Others may not.
    other = Client()
    other.force_login(people["other_participant"])
    assert other.post(url, {"confirmed": "1"}).status_code == 403
    assert (
        f"proevehandlinger/{log.pk}/slet/" not in other.get(log.get_absolute_url()).content.decode()
    )
    response = client.post(url, {"confirmed": "1"})
    assert response.status_code == 302 and response["Location"] == project.url + "proevehandlinger/"
    assert not TrialAction.objects.filter(pk=log.pk).exists()
    assert not os.path.exists(path)
    assert "Zebraforsøg dublet" not in found(people["participant"])
    pickup.refresh_from_db()
    assert pickup.origin is None and pickup.title == "Vores zebra"


@pytest.mark.django_db
def test_a_log_others_wrote_in_or_a_project_that_keeps_its_logs_cannot_be_deleted_there(
    client, people, project
):
    log = create_log(project, people["participant"], title="Med svar", visibility="network")
    TrialActionComment.objects.create(
        trial_action=log, author=people["other_participant"], text="Godt tænkt!"
    )
    client.force_login(people["participant"])
    assert f"{log.pk}/slet/" not in client.get(log.get_absolute_url()).content.decode()
    response = client.post(log.get_absolute_url() + "slet/", {"confirmed": "1"}, follow=True)
    assert "Andre har skrevet i prøvehandlingen" in response.content.decode()
    assert TrialAction.objects.filter(pk=log.pk).exists()
    # A comment that arrives while the confirm page is open stops the delete.
    late = create_log(project, people["participant"], title="Sent svar", visibility="network")
    assert client.get(late.get_absolute_url() + "slet/").status_code == 200
    TrialActionComment.objects.create(
        trial_action=late, author=people["other_participant"], text="Vent!"
    )
    response = client.post(late.get_absolute_url() + "slet/", {"confirmed": "1"}, follow=True)
    assert "Andre har skrevet i prøvehandlingen" in response.content.decode()
    assert late.comments.filter(text="Vent!").exists()
    from projects import services

    assert services.delete_log(late) is False  # asked again under the lock, when deleting
    assert TrialAction.objects.filter(pk=late.pk).exists()
    kept = create_log(project, people["participant"], title="Bevares")
    project.members_may_remove_content = False
    project.save_revision().publish()
    assert client.post(kept.get_absolute_url() + "slet/", {"confirmed": "1"}).status_code == 403
    assert TrialAction.objects.filter(pk=kept.pk).exists()


def _code_pk(code):
    from network.models import Municipality

    return Municipality.objects.get(code=code).pk


@pytest.mark.django_db
def test_attachment_upload_checked_by_content_and_served_with_permission(client, people):
    project = create_project(visibility="participants", participants=[people["participant"]])
    client.force_login(people["participant"])
    fake = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = client.post(project.url + "proevehandlinger/ny/", _form(attachment=fake))
    assert response.status_code == 200 and "Filtypen er ikke tilladt" in response.content.decode()
    assert TrialAction.objects.count() == 0
    pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%hemmelig plan\n", "application/pdf")
    client.post(project.url + "proevehandlinger/ny/", _form(attachment=pdf))
    attachment = TrialAction.objects.get().attachments.get()
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert b"hemmelig plan" in b"".join(response.streaming_content)
    assert response["X-Content-Type-Options"] == "nosniff"
    client.force_login(people["member"])
    assert client.get(attachment.get_absolute_url()).status_code == 404
    client.logout()
    assert client.get(attachment.get_absolute_url()).status_code == 404
    assert "/media/" not in attachment.file.url or "private" in attachment.file.path


@pytest.mark.django_db
def test_attachment_with_a_long_name_of_several_dots_is_kept_with_its_entry(client, people):
    """A long file name whose dots leave the storage nothing to shorten answered 400
    and lost the entry typed with it (an outside walk): it is stored under a shorter
    name, and shown and downloaded under the name it had."""
    project = create_project(visibility="participants", participants=[people["participant"]])
    client.force_login(people["participant"])
    long_name = "æøå plan.udkast." + "ü" * 230 + ".pdf"
    pdf = SimpleUploadedFile(long_name, b"%PDF-1.4\n%lang plan\n", "application/pdf")
    response = client.post(project.url + "proevehandlinger/ny/", _form(attachment=pdf))
    assert response.status_code == 302
    attachment = TrialAction.objects.get().attachments.get()
    assert attachment.name == long_name[:200]
    assert len(attachment.file.name) <= 100 and attachment.file.name.endswith(".pdf")
    response = client.get(attachment.get_absolute_url())
    assert b"lang plan" in b"".join(response.streaming_content)
    page = client.get(TrialAction.objects.get().get_absolute_url()).content.decode()
    assert "æøå plan.udkast.üüü" in page


@pytest.mark.django_db
def test_attachment_of_a_participants_only_log_in_a_members_project(client, people, project):
    """The member may see the project but not this log: its file answers 404 to them,
    exactly like a file that does not exist."""
    client.force_login(people["participant"])
    pdf = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%intern plan\n", "application/pdf")
    client.post(
        project.url + "proevehandlinger/ny/", _form(visibility="participants", attachment=pdf)
    )
    attachment = TrialAction.objects.get().attachments.get()
    client.force_login(people["other_participant"])
    assert client.get(attachment.get_absolute_url()).status_code == 200
    client.force_login(people["member"])
    assert client.get(project.url).status_code == 200  # the project itself is visible
    assert client.get(attachment.get_absolute_url()).status_code == 404
    made_up = attachment.get_absolute_url().replace(f"/{attachment.pk}/", "/999999/")
    assert client.get(made_up).status_code == 404


@pytest.mark.django_db
def test_a_deleted_account_s_seat_goes_to_the_first_in_the_queue(client, people, project):
    """An outside attacker: deleting the account took its seat away with it (cascade)
    while the queue stayed, and a newcomer then got the seat ahead of the queue."""
    event = create_event(project, capacity=1)
    first, second = people["participant"], people["other_participant"]
    for person in (first, second):
        client.force_login(person)
        client.post(event.url + "tilmeld/")
    client.force_login(first)
    response = client.post("/profil/slet-konto/", {"password": "kodeord-123", "mode": "anonymise"})
    assert response.status_code == 302
    assert dict(event.registrations.values_list("user__email", "status")) == {
        second.email: "registered"
    }
    assert any(m.to == [second.email] and "Du har fået en plads" in m.subject for m in mail.outbox)


@pytest.mark.django_db
def test_waiting_list_moves_up_when_someone_cancels(client, people, project):
    event = create_event(project, capacity=1)
    first, second = people["participant"], people["other_participant"]
    client.force_login(first)
    client.post(event.url + "tilmeld/")
    client.force_login(second)
    client.post(event.url + "tilmeld/")
    statuses = dict(event.registrations.values_list("user__email", "status"))
    assert statuses == {first.email: "registered", second.email: "waitlisted"}
    assert "ventelisten" in client.get(event.url).content.decode()
    # Each sign-up is confirmed by mail (one with a seat, one on the waiting list).
    assert [m.to for m in mail.outbox] == [[first.email], [second.email]]
    mail.outbox.clear()
    client.force_login(first)
    client.post(event.url + "afmeld/")
    statuses = dict(event.registrations.values_list("user__email", "status"))
    assert statuses == {first.email: "cancelled", second.email: "registered"}
    # The one who moved up is told; the one who left gets the .ics that takes it out.
    assert {(m.to[0], m.subject.split(":")[0]) for m in mail.outbox} == {
        (first.email, "Du er afmeldt"),
        (second.email, "Du har fået en plads"),
    }
    client.post(event.url + "tilmeld/")  # signs up again: now at the back of the queue
    assert event.registrations.get(user=first).status == "waitlisted"


@pytest.mark.django_db
def test_coordinator_exports_attendees_as_csv(client, people, project):
    event = create_event(project)
    client.force_login(people["participant"])
    client.post(event.url + "tilmeld/")
    client.force_login(people["coordinator"])
    assert people["participant"].name in client.get(event.url).content.decode()
    client.force_login(people["other_participant"])
    assert people["participant"].name not in client.get(event.url).content.decode()
    assert client.get(event.url + "deltagerliste/").status_code == 403
    client.force_login(people["coordinator"])
    response = client.get(event.url + "deltagerliste/")
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "Navn;E-mail;Kommune;Stilling;Status;Tilmeldt"
    assert people["participant"].email in text and "Tilmeldt" in text


@pytest.mark.django_db
def test_attendee_csv_shows_a_formula_typed_in_a_profile_as_text(client, people, project):
    """A member's own name and job title go into the coordinator's spreadsheet: text a
    spreadsheet would run as a formula (CSV injection) is written after an apostrophe."""
    import csv
    import io

    event = create_event(project)
    member = people["participant"]
    member.first_name = '=HYPERLINK("http://evil.example","Klik")'
    member.job_title = "@SUM(1+1)"
    member.save()
    client.force_login(member)
    client.post(event.url + "tilmeld/")
    client.force_login(people["coordinator"])
    response = client.get(event.url + "deltagerliste/")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    header, row = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert row[0].startswith("'=HYPERLINK(")
    assert row[header.index("Stilling")] == "'@SUM(1+1)"
    assert row[header.index("E-mail")] == member.email  # ordinary text as it is


@pytest.mark.django_db
def test_attendee_csv_shows_sign_up_time_in_copenhagen(client, people, project):
    """A sign-up at 13:05 UTC in December is 14:05 in Denmark (16:05 UTC+2 in June)."""
    import datetime

    from projects.models import EventRegistration

    event = create_event(project)
    client.force_login(people["participant"])
    client.post(event.url + "tilmeld/")
    EventRegistration.objects.filter(event=event).update(
        signed_up_at=datetime.datetime(2026, 12, 2, 13, 5, tzinfo=datetime.UTC)
    )
    client.force_login(people["coordinator"])
    text = client.get(event.url + "deltagerliste/").content.decode("utf-8-sig")
    assert text.splitlines()[1].endswith(";02.12.2026 14:05")


@pytest.mark.django_db
def test_ics_for_event_and_project_feed(client, people, project):
    from icalendar import Calendar

    event = create_event(project, "Temadag om video")
    client.force_login(people["member"])
    response = client.get(event.url + "kalender/")
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    [vevent] = cal.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Temadag om video"
    assert vevent.decoded("DTSTART") == event.starts_at.replace(microsecond=0)
    feed = Calendar.from_ical(client.get(project.url + "kalender/").content)
    assert [str(e["SUMMARY"]) for e in feed.walk("VEVENT")] == ["Temadag om video"]
    client.logout()
    assert client.get(project.url + "kalender/").status_code == 404  # members-only project


@pytest.mark.django_db
def test_a_project_not_public_gives_each_member_a_personal_calendar_link(client, people):
    """A calendar app subscribes without the member's login: the plain link of a
    participants-only project answered it 404 (an outside walk). The page now gives a
    personal link that works without a login, for as long as the member may see the
    project and keeps their password."""
    import re

    from icalendar import Calendar

    from projects.models import EventPage

    hidden = create_project(
        "Tidlig indsats", visibility="participants", participants=[people["participant"]]
    )
    event = create_event(hidden, "Temadag om sygemeldte")
    EventPage.objects.filter(pk=event.pk).update(online_url="https://moede.example/hemmelig")
    client.force_login(people["participant"])
    page = client.get(hidden.url).content.decode()
    link = re.search(r'href="(/kalender/[^"]+/)"[^>]*>Hent kalenderen', page).group(1)
    assert "Kalenderlinket er personligt" in page
    # The whole address to paste into a calendar app (a user walk found the button only
    # downloaded the programme once).
    from django.conf import settings

    assert f'readonly value="{settings.SITE_URL}{link}"' in page
    # The same address on every load; one made before it was (with a time) still works.
    assert link in client.get(hidden.url).content.decode()
    from django.core import signing

    from projects.calendar import _SALT, _key

    older = signing.dumps(
        [hidden.pk, people["participant"].pk, _key(people["participant"])],
        salt=_SALT,
        compress=True,
    )
    assert Client().get(f"/kalender/{older}/")["Content-Type"].startswith("text/calendar")

    calendar_app = Client()
    response = calendar_app.get(link)
    assert response["Content-Type"].startswith("text/calendar")
    feed = response.content.decode()
    [vevent] = Calendar.from_ical(response.content).walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Temadag om sygemeldte"
    assert "moede.example" not in feed  # no meeting link in a subscription
    assert calendar_app.get(link[:-3] + "x/").status_code == 404  # tampered
    assert calendar_app.get("/kalender/abc/").status_code == 404

    user = people["participant"]
    user.set_password("et-nyt-kodeord-2027")
    user.save()
    assert calendar_app.get(link).status_code == 404  # a changed password stops it
    client.force_login(user)
    link = re.search(r'href="(/kalender/[^"]+/)"', client.get(hidden.url).content.decode())[1]
    assert calendar_app.get(link).status_code == 200
    hidden.participants.filter(user=user).delete()
    assert calendar_app.get(link).status_code == 404  # no longer in the project

    public = create_project("Åbent projekt", visibility="public")
    page = client.get(public.url).content.decode()
    assert f'href="{public.url}kalender/"' in page and "personligt" not in page


@pytest.mark.django_db
def test_coordinator_adds_member_and_invites_newcomer(client, people, project):
    client.force_login(people["coordinator"])
    client.post(
        project.url + "deltagere/", {"email": people["member"].email, "role": "participant"}
    )
    assert ProjectParticipant.objects.filter(project=project, user=people["member"]).exists()
    client.post(project.url + "deltagere/", {"email": "ny@kommune.example", "role": "participant"})
    assert project.invitations.filter(email="ny@kommune.example").exists()
    assert any("ny@kommune.example" in m.to for m in mail.outbox)
    # Adding the same address again mails nobody: "Send igen" is there for that.
    mailed = len(mail.outbox)
    again = client.post(
        project.url + "deltagere/",
        {"email": "ny@kommune.example", "role": "participant"},
        follow=True,
    )
    assert "Personen er allerede inviteret." in again.content.decode()
    assert len(mail.outbox) == mailed and project.invitations.count() == 1
    response = client.post(
        project.url + "deltagere/", {"email": "ikke-en-mail", "role": "participant"}
    )
    assert "gyldig e-mailadresse" in response.content.decode()

    # The invited person signs up and verifies the address: now a participant.
    from allauth.account.models import EmailAddress
    from allauth.account.signals import email_confirmed

    newcomer = UserFactory(email="ny@kommune.example")
    address = EmailAddress.objects.get(user=newcomer)
    email_confirmed.send(sender=EmailAddress, request=None, email_address=address)
    assert ProjectParticipant.objects.filter(project=project, user=newcomer).exists()

    participant = ProjectParticipant.objects.get(project=project, user=people["member"])
    # Removing asks first, naming the person; only the confirmed POST removes.
    response = client.post(project.url + "deltagere/", {"remove": participant.pk})
    assert response.status_code == 200
    text = response.content.decode()
    assert f"Vil du fjerne {people['member'].name} fra projektet?" in text
    assert ProjectParticipant.objects.filter(pk=participant.pk).exists()
    client.post(project.url + "deltagere/", {"remove": participant.pk, "confirmed": "1"})
    assert not ProjectParticipant.objects.filter(pk=participant.pk).exists()
    # Sent again (another tab), or a made-up or another project's id: said, not silent.
    for value in (participant.pk, "999999", "abc"):
        again = client.post(project.url + "deltagere/", {"remove": value}, follow=True)
        assert "Deltageren findes ikke i projektet (længere)." in again.content.decode()


@pytest.mark.django_db
def test_adding_a_member_from_outside_the_projects_municipalities_says_so(client, people, project):
    """The dashboard counts the municipality of every participant; the coordinator is
    told when that adds one the project page does not list (an outside walk found the
    dashboard saying 18 municipalities where the project said 17, without a word)."""
    outsider = people["member"]
    outsider.municipality = Municipality.objects.exclude(projects=project).get(code="0316")
    outsider.save()
    client.force_login(people["coordinator"])
    response = client.post(
        project.url + "deltagere/", {"email": outsider.email, "role": "participant"}, follow=True
    )
    html = response.content.decode()
    assert "Holbæk er ikke blandt projektets kommuner." in html
    # The list marks the person as the dashboard does.
    assert 'Holbæk<br><span class="meta">uden for projektets kommuner</span>' in html
    added = [m for m in mail.outbox if outsider.email in m.to][-1]
    # The mail names the person and who added them, as the invitation does.
    assert added.body.startswith(f"Hej {outsider.get_full_name()}")
    assert f"{people['coordinator']} har tilføjet dig som deltager" in added.body

    # A member from one of the project's municipalities: no warning.
    insider = UserFactory(email="inde@kommune.example")
    insider.municipality = Municipality.objects.filter(projects=project).first()
    insider.save()
    response = client.post(
        project.url + "deltagere/", {"email": insider.email, "role": "participant"}, follow=True
    )
    assert "ikke blandt projektets kommuner" not in response.content.decode()

    # A member without a municipality is not counted under the municipalities: said so.
    nowhere = UserFactory(email="ingen.kommune@kommune.example", first_name="Nora")
    nowhere.municipality = None
    nowhere.save()
    response = client.post(
        project.url + "deltagere/", {"email": nowhere.email, "role": "participant"}, follow=True
    )
    assert "har ingen kommune på sin profil" in response.content.decode()


@pytest.mark.django_db
def test_participants_see_who_takes_part_without_addresses_or_buttons(client, people, project):
    """An outside walk found participants shut out of the list (403) and the project page
    without a link to it: they could not see who else takes part."""
    from network.models import ProfileVisibility

    hidden = UserFactory(
        email="skjult@kommune.example", first_name="Hanne", job_title="Hemmelig stilling"
    )
    hidden.profile_visibility = ProfileVisibility.PRIVATE
    hidden.save()
    ProjectParticipant.objects.create(project=project, user=hidden, role="participant")
    coordinator = people["coordinator"]
    coordinator.profile_visibility = ProfileVisibility.MEMBERS
    coordinator.job_title = "Projektleder"
    coordinator.save()
    client.force_login(people["participant"])
    assert f'href="{project.url}deltagere/"' in client.get(project.url).content.decode()
    html = client.get(project.url + "deltagere/").content.decode()
    assert coordinator.name in html and "Hanne" in html
    assert coordinator.email not in html and "skjult@kommune.example" not in html
    # Names link to the profiles the viewer may see, and to no other.
    assert f'href="{coordinator.get_absolute_url()}"' in html
    assert f'href="{hidden.get_absolute_url()}"' not in html
    # The job title, as the profile shows it: not from a profile kept to its owner.
    assert "Projektleder" in html and "Hemmelig stilling" not in html
    assert "Tilføj deltager" not in html and 'name="remove"' not in html
    # Nor can a participant remove anyone by posting the form by hand.
    row = ProjectParticipant.objects.get(project=project, user=hidden)
    assert (
        client.post(project.url + "deltagere/", {"remove": row.pk, "confirmed": "1"}).status_code
        == 403
    )
    assert ProjectParticipant.objects.filter(pk=row.pk).exists()


@pytest.mark.django_db
def test_coordinator_resends_and_withdraws_an_invitation(client, people, project):
    client.force_login(people["coordinator"])
    url = project.url + "deltagere/"
    client.post(url, {"email": "ny@kommune.example", "role": "participant"})
    invitation = project.invitations.get(email="ny@kommune.example")
    mails_to = lambda: sum("ny@kommune.example" in m.to for m in mail.outbox)  # noqa: E731
    assert mails_to() == 1
    page = client.get(url).content.decode()
    assert "Send igen" in page and "Træk tilbage" in page

    response = client.post(url, {"resend": invitation.pk}, follow=True)
    assert "Invitationen er sendt igen til ny@kommune.example." in response.content.decode()
    assert mails_to() == 2
    assert "Invitation til projektet" in mail.outbox[-1].subject

    # Withdrawing asks first; only the confirmed POST withdraws.
    response = client.post(url, {"cancel": invitation.pk})
    assert "Vil du trække invitationen til ny@kommune.example tilbage?" in response.content.decode()
    assert project.invitations.filter(pk=invitation.pk).exists()
    response = client.post(url, {"cancel": invitation.pk, "confirmed": "1"}, follow=True)
    assert "er trukket tilbage" in response.content.decode()
    assert not project.invitations.exists()
    assert "ny@kommune.example" not in client.get(url).content.decode()

    # The person signs up anyway: not a participant.
    from allauth.account.models import EmailAddress
    from allauth.account.signals import email_confirmed

    newcomer = UserFactory(email="ny@kommune.example")
    address = EmailAddress.objects.get(user=newcomer)
    email_confirmed.send(sender=EmailAddress, request=None, email_address=address)
    assert not ProjectParticipant.objects.filter(project=project, user=newcomer).exists()


@pytest.mark.django_db
def test_invitations_of_another_project_cannot_be_touched(client, people, project):
    other = create_project("Andet projekt", coordinators=[people["participant"]])
    client.force_login(people["participant"])
    client.post(
        other.url + "deltagere/", {"email": "fremmed@kommune.example", "role": "participant"}
    )
    foreign = other.invitations.get()
    before = len(mail.outbox)
    # A coordinator of this project posts the other project's invitation id here.
    client.force_login(people["coordinator"])
    url = project.url + "deltagere/"
    response = client.post(url, {"resend": foreign.pk}, follow=True)
    assert "findes ikke længere" in response.content.decode()
    client.post(url, {"cancel": foreign.pk, "confirmed": "1"})
    assert len(mail.outbox) == before and other.invitations.filter(pk=foreign.pk).exists()
    # And a participant who is not a coordinator cannot resend at all.
    client.force_login(people["member"])
    assert client.post(other.url + "deltagere/", {"resend": foreign.pk}).status_code in (403, 404)
    assert len(mail.outbox) == before


@pytest.mark.django_db
def test_a_coordinator_removing_themselves_is_told_what_it_means(client, people, project):
    own = ProjectParticipant.objects.get(project=project, user=people["coordinator"])
    client.force_login(people["coordinator"])
    response = client.post(project.url + "deltagere/", {"remove": own.pk})
    text = response.content.decode()
    assert "Vil du fjerne dig selv fra projektet?" in text and "Fjern mig" in text
    assert ProjectParticipant.objects.filter(pk=own.pk).exists()
    response = client.post(project.url + "deltagere/", {"remove": own.pk, "confirmed": "1"})
    assert response["Location"] == project.url
    assert not ProjectParticipant.objects.filter(pk=own.pk).exists()


@pytest.mark.django_db
def test_completed_log_proposed_as_experience_gives_editors_a_draft(client, people, project):
    log = create_log(
        project,
        people["participant"],
        status="completed",
        visibility="network",
        results="Flere mødte op.",
        learnings="Start småt.",
    )
    client.force_login(people["participant"])
    url = project.url + f"proevehandlinger/{log.pk}/foreslaa-artikel/"
    # The button leads to a page that says what happens and takes a note.
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Besked til redaktionen" in confirm.content.decode()
    assert not ExperiencePage.objects.filter(title=log.title).exists()
    response = client.post(url, {"confirmed": "1", "note": "Tal med Dorte om <b>tallene</b>."})
    assert response.status_code == 302
    draft = ExperiencePage.objects.get(title=log.title)
    assert not draft.live
    assert [m.code for m in draft.municipalities.all()] == ["0751"]
    body = str(draft.body)
    assert "Flere mødte op." in body and "Start småt." in body
    (to_editors,) = [m for m in mail.outbox if people["editor"].email in m.to]
    assert "Tal med Dorte om <b>tallene</b>." in to_editors.body  # plain text, as typed
    # Proposing again only says it has been done.
    client.post(url, {"confirmed": "1"})
    assert ExperiencePage.objects.filter(title=log.title).count() == 1


@pytest.mark.django_db
def test_newsletter_gets_only_public_project_content(people):
    import datetime

    from django.utils import timezone

    from newsletters.registry import news_sources

    since = timezone.now() - datetime.timedelta(days=1)
    public = create_project(
        "Åbent projekt", visibility="public", participants=[people["participant"]]
    )
    hidden = create_project(
        "Lukket projekt", visibility="participants", participants=[people["participant"]]
    )
    create_event(public, "Åben temadag")
    create_event(hidden, "Lukket temadag")
    create_log(public, people["participant"], title="Åben log", visibility="public")
    create_log(public, people["participant"], title="Netværkslog", visibility="network")
    create_log(hidden, people["participant"], title="Lukket log", visibility="public")
    source = next(s for s in news_sources.sources() if s.key == "projects")
    titles = {item.title for item in source.items(since)}
    assert titles == {"Åbent projekt", "Åben temadag", "Åben log"}


@pytest.mark.django_db
def test_a_text_longer_than_the_limit_is_refused_whole_never_cut(client, people, project):
    """No textarea carries maxlength (the browser would cut a paste without a word);
    the server says how long it is, and the whole text stays in the field."""
    from bs4 import BeautifulSoup

    client.force_login(people["participant"])
    url = project.url + "proevehandlinger/ny/"
    form = BeautifulSoup(client.get(url).content, "html.parser").find("form", class_="log-form")
    assert form.find_all("textarea") and not form.find_all("textarea", maxlength=True)
    pasted = "Lang tekst. " * 700  # 8,400 characters
    response = client.post(url, _form(purpose=pasted))
    assert response.status_code == 200 and not TrialAction.objects.exists()
    page = BeautifulSoup(response.content, "html.parser")
    assert "Denne værdi må højst have 5000 tegn (den har 8399)." in page.text
    assert page.find("textarea", attrs={"name": "purpose"}).text.strip() == pasted.strip()


@pytest.mark.django_db
def test_the_file_pickers_offer_the_types_that_are_taken(client, people, project):
    """The file field listed the allowed types but the picker offered every file (an
    outside walk): `accept` names them, the content still decides."""
    from bs4 import BeautifulSoup

    client.force_login(people["participant"])
    form = BeautifulSoup(client.get(project.url + "proevehandlinger/ny/").content, "html.parser")
    accept = form.find("input", attrs={"name": "attachment"})["accept"].split(",")
    assert set(accept) == {".pdf", ".png", ".jpg", ".jpeg", ".docx", ".xlsx", ".pptx"}
    profile = BeautifulSoup(client.get("/profil/").content, "html.parser")
    assert profile.find("input", attrs={"name": "photo_upload"})["accept"] == ".jpg,.jpeg,.png"


@pytest.mark.django_db
def test_a_form_sent_twice_makes_one_thing(client, people, project):
    """Back and send again (or a second click) posts the same form twice: one log, one
    comment, one update, and the second post lands on what the first made."""
    from bs4 import BeautifulSoup

    def once_key(url, form_action=None):
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        forms = (
            soup.find_all("form", action=lambda a: a and a.split("#")[0] == form_action)
            if form_action
            else [soup]
        )
        return forms[0].find("input", attrs={"name": "once"})["value"]

    client.force_login(people["participant"])
    url = project.url + "proevehandlinger/ny/"
    data = _form(once=once_key(url))
    first = client.post(url, data)
    second = client.post(url, data, follow=True)
    assert TrialAction.objects.count() == 1
    log = TrialAction.objects.get()
    assert first["Location"] == log.get_absolute_url()
    assert second.redirect_chain[-1][0] == log.get_absolute_url()
    assert "Prøvehandlingen var allerede gemt." in second.content.decode()

    page = log.get_absolute_url()
    for action, text in (("kommentar/", "Godt gået"), ("opdatering/", "Uge 2")):
        key = once_key(page, form_action=page + action)
        for _ in range(2):
            assert client.post(page + action, {"text": text, "once": key}).status_code == 302
    assert log.comments.count() == 1 and log.updates.count() == 1
    # A new form is a new key: writing the same words again is a new comment.
    client.post(
        page + "kommentar/", {"text": "Godt gået", "once": once_key(page, page + "kommentar/")}
    )
    assert log.comments.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_file_uploaded_by_mistake_and_an_own_comment_can_be_deleted(client, people, project):
    """A file with a citizen's data uploaded by mistake must go at once, file and all."""
    client.force_login(people["participant"])
    upload = SimpleUploadedFile("borgerliste.pdf", b"%PDF-1.4\n%fejl\n")
    client.post(project.url + "proevehandlinger/ny/", _form(attachment=upload))
    log = TrialAction.objects.get()
    attachment = log.attachments.get()
    stored = attachment.file.path
    page = client.get(log.get_absolute_url()).content.decode()
    delete_url = f"{project.url}vedhaeftninger/{attachment.pk}/slet/"
    assert f'href="{delete_url}"' in page
    confirm = client.get(delete_url)  # a page that asks first, no JavaScript needed
    assert "Vil du slette »borgerliste.pdf«" in confirm.content.decode()
    assert log.attachments.exists()
    response = client.post(delete_url, {"confirmed": "1"}, follow=True)
    assert "Filen »borgerliste.pdf« er slettet." in response.content.decode()
    assert not log.attachments.exists()
    import os

    assert not os.path.exists(stored)
    assert client.get(attachment.get_absolute_url()).status_code == 404

    client.post(log.get_absolute_url() + "kommentar/", {"text": "Forkert tråd"})
    mine = log.comments.get()
    other = Client()
    other.force_login(people["other_participant"])
    assert f"kommentarer/{mine.pk}/slet/" not in other.get(log.get_absolute_url()).content.decode()
    assert (
        other.post(f"{project.url}kommentarer/{mine.pk}/slet/", {"confirmed": "1"}).status_code
        == 403
    )
    assert f"kommentarer/{mine.pk}/slet/" in client.get(log.get_absolute_url()).content.decode()
    client.post(f"{project.url}kommentarer/{mine.pk}/slet/", {"confirmed": "1"})
    assert not log.comments.exists()


@pytest.mark.django_db
def test_a_file_chosen_with_a_form_that_had_errors_is_asked_for_again(client, people, project):
    client.force_login(people["participant"])
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%plan\n")
    response = client.post(project.url + "proevehandlinger/ny/", _form(title="", attachment=upload))
    assert response.status_code == 200 and not TrialAction.objects.exists()
    assert "Din fil »plan.pdf« er ikke gemt endnu" in response.content.decode()


@pytest.mark.django_db
def test_an_unpublished_event_is_not_offered_or_shown_on_a_log(client, people, project):
    """A draft event's title leaked through the log form's event list, and from a public
    log's "Opstod på" to anyone."""
    event = create_event(project, "Zqkladde temadag")
    log = create_log(project, people["participant"], visibility="public")
    log.event = event
    log.save()
    event.unpublish()
    client.force_login(people["participant"])
    for url in (project.url + "proevehandlinger/ny/", log.get_absolute_url() + "rediger/"):
        assert "Zqkladde" not in client.get(url).content.decode()
    client.logout()
    assert "Zqkladde" not in client.get(log.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_a_log_arises_at_an_event_that_has_begun_not_one_to_come(client, people, project):
    """An outside walk was offered next month's theme day under "Opstod på"."""
    import re

    held = create_event(project, "Afholdt temadag", days_ahead=-10)
    older = create_event(project, "Første temadag", days_ahead=-40)
    create_event(project, "Kommende temadag", days_ahead=20)
    client.force_login(people["participant"])
    form = client.get(project.url + "proevehandlinger/ny/").content.decode()
    select = re.search(r'<select name="event".*?</select>', form, re.S).group(0)
    offered = re.findall(r'<option value="(\d+)"', select)
    assert offered == [str(held.pk), str(older.pk)]  # newest first, none to come


@pytest.mark.django_db
def test_editing_a_log_keeps_its_link_to_an_event_unpublished_since(client, people, project):
    """Before, the unpublished event was left out of the choices, so the next save of the
    log cleared the link without a word. The link stays, and the title stays hidden."""
    from tests.projects.test_concurrent_edits import _form_data

    event = create_event(project, "Zqkladde temadag")
    log = create_log(project, people["participant"])
    log.event = event
    log.save()
    event.unpublish()
    client.force_login(people["participant"])
    page = log.get_absolute_url() + "rediger/"
    opened = client.get(page)
    assert "Det nuværende arrangement (ikke offentliggjort)" in opened.content.decode()
    assert "Zqkladde" not in opened.content.decode()
    data = _form_data(opened.content)
    assert data["event"] == str(event.pk)
    assert client.post(page, {**data, "learnings": "Ny læring."}).status_code == 302
    log.refresh_from_db()
    assert log.event_id == event.pk and log.learnings == "Ny læring."
    # Another log cannot pick the unpublished event.
    new = client.get(project.url + "proevehandlinger/ny/").content.decode()
    assert "ikke offentliggjort" not in new


@pytest.mark.django_db
def test_a_removed_participant_no_longer_finds_their_closed_log_listed(client, people):
    closed = create_project(
        "Lukket rum", visibility="participants", participants=[people["participant"]]
    )
    create_log(closed, people["participant"], title="Zqlukket forsøg", visibility="participants")
    client.force_login(people["participant"])
    assert "Zqlukket forsøg" in client.get("/overblik/").content.decode()
    ProjectParticipant.objects.filter(project=closed, user=people["participant"]).delete()
    assert "Zqlukket forsøg" not in client.get("/overblik/").content.decode()
    municipality = client.get("/kommuner/aarhus/")  # the log's, 0751
    assert municipality.status_code == 200
    assert "Zqlukket forsøg" not in municipality.content.decode()


@pytest.mark.django_db
def test_a_second_click_that_arrives_before_the_first_answered_makes_nothing(people, project):
    """Two clicks so close that the second post leaves before the first one's answer
    (and its session) came back: the key is claimed in the database, not the session,
    so the second post finds it. Modelled as two browsers with the same member."""
    from bs4 import BeautifulSoup

    log = create_log(project, people["participant"])
    first, second = Client(), Client()
    for browser in (first, second):
        browser.force_login(people["participant"])
    page = log.get_absolute_url()
    soup = BeautifulSoup(first.get(page).content, "html.parser")
    for action, related in (("kommentar/", log.comments), ("opdatering/", log.updates)):
        form = soup.find("form", action=lambda a, want=page + action: a and a.startswith(want))
        key = form.find("input", attrs={"name": "once"})
        data = {"text": "Samme tekst", "once": key["value"]}
        assert first.post(page + action, data).status_code == 302
        assert second.post(page + action, data).status_code == 302
        assert related.count() == 1, action
    url = project.url + "proevehandlinger/ny/"
    soup = BeautifulSoup(first.get(url).content, "html.parser")
    data = _form(once=soup.find("input", attrs={"name": "once"})["value"])
    first.post(url, data)
    landed = second.post(url, data, follow=True)
    assert TrialAction.objects.exclude(pk=log.pk).count() == 1
    assert (
        landed.redirect_chain[-1][0]
        == TrialAction.objects.exclude(pk=log.pk).get().get_absolute_url()
    )
    # Another member's post with the same key (keys are per member) is their own.
    other = Client()
    other.force_login(people["coordinator"])
    assert other.post(url, data).status_code == 302
    assert TrialAction.objects.exclude(pk=log.pk).count() == 2


@pytest.mark.django_db
def test_wagtail_page_privacy_is_off_for_projects_their_events_and_the_home_page(
    client, people, project
):
    """A Wagtail view restriction protected the project page alone: its title, events
    and logs stayed in the lists, search and the newsletter. Who sees a project is its
    own visibility setting, so the admin offers no page privacy there."""
    from wagtail.models import Page, PageViewRestriction

    from projects.models import ProjectIndexPage

    event = create_event(project, "Temadag")
    editor = people["editor"]
    editor.is_superuser = True
    editor.save()
    client.force_login(editor)
    home = Page.objects.get(depth=2)
    for page in (project, event, ProjectIndexPage.objects.first(), home):
        url = f"/admin/pages/{page.pk}/privacy/"
        dialog = client.get(url)
        assert dialog.status_code == 200
        assert "set_privacy" not in dialog.json().get("step", ""), type(page)
        client.post(url, {"restriction_type": "password", "password": "hemmelig"})
    assert not PageViewRestriction.objects.exists()


@pytest.mark.django_db
def test_the_invitation_link_opens_the_sign_up_with_the_invited_address(client, people, project):
    """The mail asks for an account with this address: its link fills it in (a bare
    /konto/signup/ left the invitee to retype it exactly, or silently not join)."""
    import re
    from urllib.parse import urlsplit

    client.force_login(people["coordinator"])
    client.post(
        project.url + "deltagere/", {"email": "ny+team@kommune.example", "role": "participant"}
    )
    body = mail.outbox[-1].body
    link = re.search(r"https?://\S+/konto/signup/\S*", body)[0]
    assert link.endswith("/konto/signup/?email=ny%2Bteam%40kommune.example")
    client.logout()
    parts = urlsplit(link)
    form = client.get(f"{parts.path}?{parts.query}").content.decode()
    assert 'value="ny+team@kommune.example"' in form


@pytest.mark.django_db
def test_the_log_form_marks_what_must_be_filled_in(client, people, project):
    """An outside walk: nothing marked the required fields (errors came only after
    saving), and the labels ended in Django's colons."""
    from bs4 import BeautifulSoup

    client.force_login(people["participant"])
    soup = BeautifulSoup(client.get(project.url + "proevehandlinger/ny/").content, "html.parser")
    assert "Felter med * skal udfyldes." in soup.text
    starred = {
        label.get_text(" ", strip=True).removesuffix(" *")
        for label in soup.select("form.log-form label, form.log-form legend")
        if label.find("span", class_="required")
    }
    assert {"Titel", "Formål og hypotese", "Status"} <= starred
    assert "Målgruppe" not in starred
    labels = [label.get_text(strip=True) for label in soup.select("form.log-form label")]
    assert not [text for text in labels if text.endswith(":")]
    assert "---------" not in soup.text
    # A form of one field (the comment) has no stars to explain.
    log = create_log(project, people["participant"])
    page = client.get(log.get_absolute_url()).content.decode()
    assert "skal udfyldes" not in page


@pytest.mark.django_db
def test_an_imported_project_can_be_copied_in_the_admin(client, project):
    """An outside re-check: copying a project, an event or an article that came by the
    import gave a 500 (the copy took the unique import id along)."""
    from projects.models import EventPage, ProjectPage

    event = create_event(project, "Temadag til kopi")
    ProjectPage.objects.filter(pk=project.pk).update(external_id="import-projekt-1")
    EventPage.objects.filter(pk=event.pk).update(external_id="import-event-1")
    admin = UserFactory(email="admin@test.example", is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.post(
        f"/admin/pages/{project.pk}/copy/",
        {
            "new_title": "Kopi af projektet",
            "new_slug": "kopi-af-projektet",
            "new_parent_page": project.get_parent().pk,
            "copy_subpages": "on",
            "publish_copies": "on",
        },
    )
    assert response.status_code == 302
    copy = ProjectPage.objects.get(slug="kopi-af-projektet")
    assert copy.external_id is None and copy.live
    assert EventPage.objects.child_of(copy).get().external_id is None
    # The original keeps its import id: the next import updates it, not the copy.
    assert ProjectPage.objects.get(pk=project.pk).external_id == "import-projekt-1"


@pytest.mark.django_db
def test_an_event_or_project_cannot_end_before_it_begins(project):
    """An outside re-check published an event ending two hours before it began."""
    import datetime

    from django.core.exceptions import ValidationError

    ends_after = ["Arrangementet skal slutte, efter det begynder."]
    event = create_event(project, "Baglæns")
    event.ends_at = event.starts_at - datetime.timedelta(hours=2)
    with pytest.raises(ValidationError) as raised:
        event.full_clean()
    assert raised.value.message_dict["ends_at"] == ends_after
    event.ends_at = event.starts_at  # began and ended at once (an outside walk)
    with pytest.raises(ValidationError) as raised:
        event.full_clean()
    assert raised.value.message_dict["ends_at"] == ends_after
    project.end_date = project.start_date - datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as raised:
        project.full_clean()
    assert raised.value.message_dict["end_date"] == ["Projektet kan ikke slutte, før det begynder."]
