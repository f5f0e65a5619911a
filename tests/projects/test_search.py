"""Project content in search: found by those who may see it, by no one else."""

import re

import pytest

from projects.factories import create_event, create_log, create_project


def _search(client, q):
    response = client.get("/api/search/", {"q": q})
    assert response.status_code == 200
    return response.json()


@pytest.mark.django_db
def test_hidden_trial_action_is_found_only_by_participants(client, people):
    hidden = create_project(
        "Lukket rum", visibility="participants", participants=[people["participant"]]
    )
    create_log(
        hidden,
        people["participant"],
        title="Kvadratrodsforsøget",
        visibility="public",
        purpose="Zebrafinkemetoden virker på jobcentret.",
    )
    public = create_project("Åbent rum", visibility="public")
    create_log(
        public,
        people["participant"],
        title="Åbent forsøg",
        visibility="public",
        purpose="Zebrafinkemetoden bruges også her.",
    )

    for role in ("anonymous", "member", "other_participant"):
        client.logout()
        if people[role]:
            client.force_login(people[role])
        data = _search(client, "zebrafinkemetoden")
        assert [r["title"] for r in data["results"]] == ["Åbent forsøg"], role
        assert data["total"] == 1
        assert "Kvadratrodsforsøget" not in str(data)
        assert _search(client, "kvadratrodsforsøget")["total"] == 0

    client.force_login(people["participant"])
    data = _search(client, "zebrafinkemetoden")
    assert {r["title"] for r in data["results"]} == {"Åbent forsøg", "Kvadratrodsforsøget"}
    assert data["facets"]["type"].get("trial_action") == 2


@pytest.mark.django_db
def test_project_visibility_change_reindexes_its_events(client, people):
    project = create_project("Synlighedsprojekt", visibility="public")
    create_event(project, "Temadag om flodhestemetoden")
    assert _search(client, "flodhestemetoden")["total"] == 1
    project.visibility = "participants"
    project.save_revision().publish()
    assert _search(client, "flodhestemetoden")["total"] == 0


@pytest.mark.django_db
def test_new_update_makes_log_findable_by_its_words(client, people):
    from projects import services

    project = create_project(
        "Opdateringsprojekt", visibility="public", participants=[people["participant"]]
    )
    log = create_log(project, people["participant"], visibility="public")
    assert _search(client, "pingvinprotokollen")["total"] == 0
    services.add_update(log, people["participant"], "Vi har indført pingvinprotokollen.")
    assert _search(client, "pingvinprotokollen")["total"] == 1


@pytest.mark.django_db
def test_an_agenda_item_every_event_has_counts_once(client):
    """The standard items (Velkomst, Frokost) of a project's events are found in its
    first event only; each event's own items in that event; a change in the first
    event moves the shared item to the next."""
    from projects.models import AgendaItem

    project = create_project("Fælles temadage", visibility="public")
    events = [create_event(project, f"Temadag {n}", days_ahead=10 * n) for n in (1, 2, 3)]
    for event, own in zip(events, ("Jobrotation", "Mentorbank", "Sprogmakker"), strict=True):
        for title in ("Velkomst og præsentation", own, "Frokost"):
            AgendaItem.objects.create(event=event, title=title, speaker="")
        event.save_revision().publish()
    assert [r["title"] for r in _search(client, "frokost")["results"]] == ["Temadag 1"]
    assert [r["title"] for r in _search(client, "mentorbank")["results"]] == ["Temadag 2"]
    first = events[0]
    first.agenda_items.filter(title="Frokost").delete()
    first.save_revision().publish()
    assert [r["title"] for r in _search(client, "frokost")["results"]] == ["Temadag 2"]


@pytest.mark.django_db
def test_publishing_one_event_costs_the_same_per_sibling_in_a_small_and_a_large_project():
    """An event's siblings are reindexed with it (they may share agenda items), and
    each sibling's siblings are the same events: they are followed once, not again at
    every depth, so each further event costs the same and publishing stays linear."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_to_publish_one_of(count: int) -> int:
        project = create_project(f"Projekt med {count}", visibility="public")
        events = [create_event(project, f"Temadag {n}", days_ahead=n + 1) for n in range(count)]
        with CaptureQueriesContext(connection) as publishing:
            events[0].save_revision().publish()
        return len(publishing.captured_queries)

    two, four, eight = (queries_to_publish_one_of(n) for n in (2, 4, 8))
    per_event_small = (four - two) / 2
    per_event_large = (eight - four) / 4
    assert per_event_large <= 1.1 * per_event_small, (two, four, eight)


@pytest.mark.django_db
def test_saving_a_draft_leaves_the_index_alone_and_publishing_updates_it(client):
    """A draft changes nothing the index holds (it holds live content), so saving one
    does no index work, not for the event and not for its siblings."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    project = create_project("Udkastprojekt", visibility="public")
    event, _sibling = (create_event(project, f"Temadag {n}", days_ahead=n + 1) for n in (1, 2))
    event.title = "Temadag om kængurumetoden"
    with CaptureQueriesContext(connection) as saving:
        event.save_revision()
    index_table = re.compile(r'^(INSERT INTO|UPDATE|DELETE FROM)\s+"?search_', re.IGNORECASE)
    writes = [q["sql"] for q in saving.captured_queries if index_table.match(q["sql"].lstrip())]
    assert writes == []
    assert _search(client, "kængurumetoden")["total"] == 0
    event.get_latest_revision().publish()
    assert [r["title"] for r in _search(client, "kængurumetoden")["results"]] == [
        "Temadag om kængurumetoden"
    ]


def _text_document(title, text):
    from django.core.files.base import ContentFile

    from network.models import SiteDocument

    document = SiteDocument(title=title)
    document.file.save("drejebog.txt", ContentFile(text.encode()), save=False)
    document.save()
    return document


@pytest.mark.django_db
def test_restricted_material_linked_from_a_public_project_does_not_reach_its_readers(
    client, people
):
    """An outside editor walk: a public project given a participants-only project's
    document as material showed its title and text to anonymous searchers, in the
    public project's snippet ("Drejebog for tidlig kontakt (kun deltagere) …"), and
    listed a link that answered 404."""
    from django.core import mail

    from projects.models import EventMaterial, ProjectMaterial
    from projects.services import notify_new_material

    secret = _text_document("Drejebog kun for deltagere", "Kvasirplanen beskriver første samtale.")
    closed = create_project(
        "Lukket rum", visibility="participants", participants=[people["participant"]]
    )
    closed.materials.add(ProjectMaterial(document=secret))
    closed.save_revision().publish()
    public = create_project("Åbent rum", visibility="public")
    public.materials.add(ProjectMaterial(document=secret))
    public.save_revision().publish()
    event = create_event(public, "Temadag i det åbne rum", days_ahead=-1)
    EventMaterial.objects.create(event=event, document=secret)
    event.save_revision().publish()
    # A public article with the document as a block: the same rule.
    from experiences.factories import create_experience

    article = create_experience("Artikel med drejebogen")
    article.body = [
        {"type": "document", "value": {"document": secret.pk, "title": "Se drejebogen"}}
    ]
    article.save_revision().publish()

    for role in ("anonymous", "member", "other_participant"):
        client.logout()
        if people[role]:
            client.force_login(people[role])
        assert _search(client, "kvasirplanen")["total"] == 0, role
        # The article names its link "Se drejebogen" itself: that is the article's text.
        titles = {hit["title"] for hit in _search(client, "drejebog")["results"]}
        assert titles <= {"Artikel med drejebogen"}, role
        for page in (public, event, article):
            html = client.get(page.url).content.decode()
            assert "Drejebog kun for deltagere" not in html, role
            assert secret.url not in html, role
        # The article's document block is not drawn for them (its link would be a 404).
        assert "Se drejebogen" not in client.get(article.url).content.decode(), role
    # A participant of the closed project may open it, and finds it both ways.
    client.force_login(people["participant"])
    assert "Drejebog kun for deltagere" in client.get(public.url).content.decode()
    assert "Se drejebogen" in client.get(article.url).content.decode()
    assert _search(client, "kvasirplanen")["total"] >= 1

    # The attendees of the public event are told only of material they may open.
    from projects.models import EventRegistration

    EventRegistration.objects.create(event=event, user=people["member"], status="registered")
    EventMaterial.objects.filter(event=event).delete()
    event.material_notices.all().delete()
    slides = _text_document("Slides fra temadagen", "Offentlige slides.")
    EventMaterial.objects.create(event=event, document=secret)
    EventMaterial.objects.create(event=event, document=slides)
    mail.outbox.clear()
    assert notify_new_material(event) == 1
    [told] = [m for m in mail.outbox if people["member"].email in m.to]
    assert "Slides fra temadagen" in told.body and "Drejebog" not in told.body

    # Opened to everyone, the document's text is found through the public project too:
    # the closed project's change reindexed the pages it shares material with.
    closed.visibility = "public"
    closed.save_revision().publish()
    client.logout()
    found = {hit["title"] for hit in _search(client, "kvasirplanen")["results"]}
    assert {"Åbent rum", "Lukket rum", "Artikel med drejebogen"} <= found


@pytest.mark.django_db
def test_material_added_or_removed_in_a_publish_is_searched_as_published(client, people):
    """An outside attacker: a document taken off a public project's material stayed in
    the project's search entry (snippet and autocomplete) until the next publish, and
    one added was found only a publish late. Wagtail saves the page before its child
    rows (the material), so the entry is written again once they are saved."""
    from projects.models import ProjectMaterial

    document = _text_document("Bilag til projektet", "Stalehemmix er bilagets eget ord.")
    project = create_project("Projekt med bilag", visibility="public")
    project.materials.add(ProjectMaterial(document=document))
    project.save_revision().publish()

    def completed() -> list[str]:
        response = client.get("/api/search/autocomplete/", {"q": "staleh"})
        assert response.status_code == 200
        return response.json()["completions"]

    assert _search(client, "stalehemmix")["total"] == 1
    assert "stalehemmix" in completed()
    project = project.specific_class.objects.get(pk=project.pk)
    project.materials.clear()
    project.save_revision().publish()
    assert _search(client, "stalehemmix")["total"] == 0
    assert "stalehemmix" not in completed()


@pytest.mark.django_db
def test_a_document_deleted_or_replaced_in_the_admin_leaves_the_search(client, people):
    """An outside attacker: a document deleted under Dokumenter stayed in its project's
    and event's snippets and autocomplete (the file answered 404), and a replaced file's
    old words stayed searchable while the new ones were not, until the page was
    published again."""
    from django.core.files.base import ContentFile

    from projects.models import EventMaterial, ProjectMaterial

    project = create_project("Projekt med dokumenter", visibility="public")
    kept = _text_document("Bilag", "Doksyllofant står i det gamle bilag.")
    gone = _text_document("Andet bilag", "Snurpelvask står i det andet bilag.")
    project.materials.add(ProjectMaterial(document=kept))
    project.save_revision().publish()
    event = create_event(project, "Temadag med bilag", days_ahead=-1)
    EventMaterial.objects.create(event=event, document=gone)
    event.save_revision().publish()
    assert _search(client, "doksyllofant")["total"] == 1
    assert _search(client, "snurpelvask")["total"] == 1

    # As the admin's edit form replaces a file: its size and hash are set anew.
    kept.file.save("nyt.txt", ContentFile(b"Plonkavisme er det nye ord."), save=False)
    kept._set_document_file_metadata()
    kept.save()
    assert _search(client, "doksyllofant")["total"] == 0
    assert [r["title"] for r in _search(client, "plonkavisme")["results"]] == [project.title]

    gone.delete()
    assert _search(client, "snurpelvask")["total"] == 0
    completions = client.get("/api/search/autocomplete/", {"q": "snurpel"}).json()["completions"]
    assert completions == []


@pytest.mark.django_db
def test_paragraphs_of_a_project_s_goals_stay_apart_in_its_snippet(client, people):
    """An outside walk's snippet read "…passer dem.Erfaringer, der kan bruges…"."""
    project = create_project("Afsnitsprojekt", visibility="public")
    project.goals = "<p>Borgerne vælger det, der passer dem.</p><p>Erfaringer om tigerhajer.</p>"
    project.save_revision().publish()
    [hit] = _search(client, "tigerhajer")["results"]
    text = re.sub(r"</?mark>", "", hit["snippet"])
    assert "dem.Erfaringer" not in text and "dem. Erfaringer" in text


@pytest.mark.django_db
def test_a_log_is_found_by_its_author_s_name_until_the_name_goes(client, people):
    """An outside walk's *Mads Mølgaard* found none of the logs his name stands on. A
    new name replaces the old, and an account erased "without my name" leaves none."""
    from network.personal_data import KEEP_ANONYMISED, delete_account

    author = people["participant"]
    author.first_name, author.last_name = "Oktavian", "Quistgaard"
    author.save()
    project = create_project("Navneprojekt", visibility="public", participants=[author])
    create_log(project, author, title="Åbent forsøg", visibility="public")
    assert [r["title"] for r in _search(client, "Oktavian Quistgaard")["results"]] == [
        "Åbent forsøg"
    ]
    author.last_name = "Zederkop"
    author.save()
    assert _search(client, "quistgaard")["total"] == 0
    assert _search(client, "zederkop")["total"] == 1
    delete_account(author, KEEP_ANONYMISED)
    assert _search(client, "zederkop")["total"] == 0
    assert _search(client, "oktavian")["total"] == 0
    assert _search(client, "forsøg")["total"] == 1  # the log itself stays


@pytest.mark.django_db
def test_an_event_is_dated_by_its_danish_day(client):
    """A New Year's night event at 00:30 in Denmark is 23:30 on 31 December in UTC: it
    was dated, and filed under the year, by the UTC day."""
    import datetime
    from zoneinfo import ZoneInfo

    from projects.models import EventPage

    event = create_event(create_project("Nytår"), "Nytårsmøde om ledige")
    starts = datetime.datetime(2027, 1, 1, 0, 30, tzinfo=ZoneInfo("Europe/Copenhagen"))
    event.starts_at, event.ends_at = starts, starts + datetime.timedelta(hours=1)
    event.save_revision().publish()
    assert EventPage.objects.get(pk=event.pk).starts_at.date() == datetime.date(2026, 12, 31)
    hit = _search(client, "nytårsmøde")["results"][0]
    assert hit["date"] == "2027-01-01"
    assert client.get("/api/search/", {"q": "nytårsmøde", "year": "2027"}).json()["total"] == 1
