"""Two people editing one trial action at once: nobody's change is lost without a word."""

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile

from projects.factories import create_log, create_project
from projects.models import TrialAction

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(people):
    project = create_project(
        "Fælles projekt",
        visibility="members",
        municipalities=("0751",),
        coordinators=[people["coordinator"]],
        participants=[people["participant"]],
    )
    return create_log(project, people["participant"], visibility="network")


def _opened(client, url) -> dict:
    return _form_data(client.get(url).content)


def _form_data(page) -> dict:
    """What a browser would post back from the log form on `page`, untouched."""
    soup = BeautifulSoup(page, "html.parser")
    form = soup.find("form", class_="log-form")
    data: dict = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name, kind = field.get("name"), field.get("type")
        if not name or kind == "file":
            continue
        if field.name == "textarea":
            data[name] = field.text.removeprefix("\n")
        elif field.name == "select":
            chosen = field.find("option", selected=True)
            data[name] = chosen["value"] if chosen else ""
        elif kind in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field.get("value", "on"))
        else:
            data[name] = field.get("value", "")
    return data


def _edit_url(log):
    return log.get_absolute_url() + "rediger/"


def _two_editors(client, people, log):
    from django.test import Client

    client.force_login(people["participant"])
    other = Client()
    other.force_login(people["coordinator"])
    url = _edit_url(log)
    return url, _opened(client, url), other, _opened(other, url)


def test_changes_to_different_fields_are_both_kept(client, people, log):
    url, mine, other, theirs = _two_editors(client, people, log)
    response = other.post(url, {**theirs, "learnings": "Koordinatorens læring."})
    assert response.status_code == 302

    response = client.post(url, {**mine, "results": "Deltagerens resultat."}, follow=True)
    assert "de er bevaret" in response.content.decode()
    log.refresh_from_db()
    assert log.learnings == "Koordinatorens læring."
    assert log.results == "Deltagerens resultat."


def test_changes_to_the_same_field_are_not_overwritten_and_the_text_stays(client, people, log):
    url, mine, other, theirs = _two_editors(client, people, log)
    other.post(url, {**theirs, "learnings": "Koordinatorens læring.", "status": "completed"})

    response = client.post(url, {**mine, "learnings": "Deltagerens læring."})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dine ændringer er ikke gemt endnu" in page
    log.refresh_from_db()
    assert log.learnings == "Koordinatorens læring."  # not overwritten
    again = _form_data(page)
    assert again["learnings"] == "Deltagerens læring."  # the member's text is still there
    assert "Koordinatorens læring." in page  # and the saved one beside it
    assert again["status"] == ["completed"]  # a field only the other changed: theirs

    # Saving now is a choice made knowingly: the member's text wins, the rest stays.
    response = client.post(url, again)
    assert response.status_code == 302
    log.refresh_from_db()
    assert log.learnings == "Deltagerens læring." and log.status == "completed"


def test_a_file_chosen_with_a_conflicting_save_is_kept(client, people, log):
    url, mine, other, theirs = _two_editors(client, people, log)
    other.post(url, {**theirs, "purpose": "Ny formulering."})
    upload = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%plan\n")
    response = client.post(url, {**mine, "purpose": "Min formulering.", "attachment": upload})
    assert response.status_code == 200
    assert "Din fil »plan.pdf« er gemt." in response.content.decode()
    assert TrialAction.objects.get(pk=log.pk).attachments.get().name == "plan.pdf"


def test_an_edit_nobody_else_touched_saves_as_before(client, people, log):
    client.force_login(people["participant"])
    url = _edit_url(log)
    response = client.post(url, {**_opened(client, url), "results": "Det gik godt."})
    assert response.status_code == 302
    log.refresh_from_db()
    assert log.results == "Det gik godt."


def test_a_conflict_on_the_event_never_shows_a_draft_s_title(client, people, log):
    """An outside attacker forged the form's `opened` state to get a conflict on the
    event, and the conflict box showed the saved event's draft title."""
    from projects.factories import create_event
    from projects.models import EventPage

    project = log.project
    event = create_event(project, "Temadag om sms", days_ahead=-3)
    url, mine, other, theirs = _two_editors(client, people, log)
    assert other.post(url, {**theirs, "event": str(event.pk)}).status_code == 302
    event = EventPage.objects.get(pk=event.pk)
    event.unpublish()
    event.title = "HEMMELIG fyringsrunde"
    event.save_revision()
    EventPage.objects.filter(pk=event.pk).update(title="HEMMELIG fyringsrunde")
    second = create_event(project, "Webinar om video", days_ahead=-1)
    response = client.post(url, {**mine, "event": str(second.pk)})
    text = response.content.decode()
    assert response.status_code == 200 and "den gemte udgave" in text
    assert "HEMMELIG" not in text
    assert "Det nuværende arrangement (ikke offentliggjort)" in text


def test_a_new_status_goes_on_the_timeline_in_the_editor_s_name(client, people, log):
    """A user walk changed a log from *I gang* to *Afsluttet* and its timeline still said
    *Ingen opdateringer endnu*."""
    url = _edit_url(log)
    client.force_login(people["coordinator"])
    form = _opened(client, url)
    assert client.post(url, {**form, "status": "completed"}).status_code == 302
    (update,) = log.updates.all()
    assert update.author == people["coordinator"]
    assert update.text == "Status ændret fra »Planlagt« til »Afsluttet«."
    page = client.get(log.get_absolute_url()).content.decode()
    assert "Status ændret fra »Planlagt« til »Afsluttet«." in page
    # Saving other fields adds nothing.
    form = _opened(client, url)
    assert client.post(url, {**form, "learnings": "Ny læring."}).status_code == 302
    assert log.updates.count() == 1


@pytest.fixture
def deleted_meanwhile(monkeypatch):
    """The log is found, then deleted by its author before this request writes (an
    outside walk sent both at once and got a 500, after the author was mailed)."""
    from projects import views

    found = views._get_log

    def then_deleted(request, project, pk):
        log = found(request, project, pk)
        TrialAction.objects.filter(pk=log.pk).delete()
        return log

    monkeypatch.setattr(views, "_get_log", then_deleted)


@pytest.mark.parametrize(
    ("path", "data", "kept"),
    [
        ("kommentar/", {"text": "Min kommentar, der ikke må forsvinde"}, "Din kommentar"),
        ("opdatering/", {"text": "Min opdatering, der ikke må forsvinde"}, "Din opdatering"),
    ],
)
def test_writing_on_a_log_deleted_meanwhile_gives_the_text_back(
    client, people, log, deleted_meanwhile, path, data, kept
):
    from django.core import mail

    client.force_login(people["coordinator"])
    response = client.post(log.get_absolute_url() + path, data)
    text = response.content.decode()
    assert response.status_code == 410 and "Prøvehandlingen er slettet" in text
    assert f"{kept} er ikke gemt" in text and data["text"] in text
    assert not mail.outbox


def test_an_edit_of_a_log_deleted_meanwhile_gives_the_text_back(client, people, log, monkeypatch):
    url = _edit_url(log)
    client.force_login(people["participant"])
    form = _opened(client, url)
    TrialAction.objects.filter(pk=log.pk).delete()
    from projects import views

    monkeypatch.setattr(views, "_get_log", lambda request, project, pk: log)
    response = client.post(url, {**form, "results": "Resultatet, jeg skrev"})
    assert response.status_code == 410 and "Resultatet, jeg skrev" in response.content.decode()


def test_a_delete_sent_twice_says_it_is_deleted(client, people, log, deleted_meanwhile):
    client.force_login(people["participant"])
    response = client.post(log.get_absolute_url() + "slet/", {"confirmed": "1"}, follow=True)
    assert response.status_code == 200 and "var allerede slettet" in response.content.decode()


def test_a_pickup_of_a_log_deleted_meanwhile_is_kept_unlinked(client, people, log, monkeypatch):
    from projects import views
    from tests.projects.test_flows import _form

    client.force_login(people["participant"])
    found = views._get_log

    def then_deleted(request, project, pk):
        origin = found(request, project, pk)
        if request.method == "POST":
            TrialAction.objects.filter(pk=origin.pk).delete()
        return origin

    monkeypatch.setattr(views, "_get_log", then_deleted)
    url = log.get_absolute_url() + "vi-proever-ogsaa/"
    response = client.post(url, _form(title="Vores udgave"), follow=True)
    assert response.status_code == 200
    assert "er slettet imens" in response.content.decode()
    assert TrialAction.objects.get(title="Vores udgave").origin is None
