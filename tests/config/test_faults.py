"""Faults: a refusing mail server, a database error, rate limits. Nothing a member
submitted is lost, and the answer is a Danish page, never a bare traceback."""

from contextlib import contextmanager
from html.parser import HTMLParser

import pytest
from django.core import mail

from network.factories import UserFactory
from projects.factories import create_log, create_project
from projects.models import TrialActionComment


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server refuses")


@pytest.fixture
def refusing_mail(monkeypatch):
    monkeypatch.setattr("django.core.mail.get_connection", lambda *a, **k: RefusingBackend())


@pytest.mark.django_db
def test_comment_is_kept_when_the_mail_server_refuses(client, refusing_mail):
    author = UserFactory(email="forfatter@kommune.example")
    peer = UserFactory(email="kollega@kommune.example")
    project = create_project(participants=[author, peer])
    log = create_log(project, author, visibility="network")
    client.force_login(peer)
    response = client.post(
        project.url + f"proevehandlinger/{log.pk}/kommentar/", {"text": "Gemmes trods mailfejl"}
    )
    assert response.status_code == 302
    assert TrialActionComment.objects.filter(text="Gemmes trods mailfejl").exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_trial_action_is_kept_when_the_mail_server_refuses(client, refusing_mail):
    from network.models import Municipality
    from projects.models import TrialAction

    author = UserFactory(email="forfatter@kommune.example")
    project = create_project(participants=[author])
    client.force_login(author)
    response = client.post(
        project.url + "proevehandlinger/ny/",
        {
            "title": "Gemmes altid",
            "municipality": Municipality.objects.get(code="0751").pk,
            "purpose": "Formål",
            "status": "planned",
            "started": "2026-11-01",
            "visibility": "participants",
        },
    )
    assert response.status_code == 302
    assert TrialAction.objects.filter(title="Gemmes altid").exists()


@pytest.mark.django_db
def test_subscription_is_kept_when_the_mail_server_refuses(client, refusing_mail):
    from network.models import WorkArea
    from newsletters.models import Subscriber

    response = client.post(
        "/nyhedsbrev/",
        {
            "email": "abonnent@kommune.example",
            "work_areas": [WorkArea.objects.get(slug="unge").pk],
        },
    )
    assert response.status_code in (200, 302)
    assert Subscriber.objects.filter(email="abonnent@kommune.example").exists()


@pytest.mark.django_db
def test_database_outage_gives_the_danish_unavailable_page(client, monkeypatch):
    from django.db import OperationalError

    import network.views

    def broken(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(network.views, "render", broken)
    response = client.get("/kommuner/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "midlertidigt utilgængelig" in response.content.decode()
    monkeypatch.setattr("search.service.run", broken)
    api = client.get("/api/search/", {"q": "video"})
    assert api.status_code == 503
    assert "utilgængelig" in api.json()["error"]


@pytest.mark.django_db
def test_other_database_errors_still_give_the_danish_error_page(client, monkeypatch):
    from django.db import IntegrityError

    import network.views

    def broken(*args, **kwargs):
        raise IntegrityError("duplicate key")

    monkeypatch.setattr(network.views, "render", broken)
    client.raise_request_exception = False
    response = client.get("/kommuner/")
    assert response.status_code == 500
    assert "Der skete en fejl" in response.content.decode()


class _HiddenFields(HTMLParser):
    def __init__(self):
        super().__init__()
        self.action, self.fields = None, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method") == "post" and self.action is None:
            self.action = attrs["action"]
        if tag == "input" and attrs.get("type") == "hidden":
            self.fields.append((attrs["name"], attrs.get("value", "")))


def _resend_form(response) -> tuple[str, dict]:
    parser = _HiddenFields()
    parser.feed(response.content.decode())
    data: dict[str, list[str]] = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    return parser.action, data


@contextmanager
def _database_refuses_writes():
    """The database goes away mid-request: every write fails as a lost connection does."""
    from django.db import OperationalError, connection

    def refuse(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield


def _submissions():
    """Each kind of submission the issue names: (who posts, url, data, is it saved?)."""
    from network.models import Municipality, WorkArea
    from newsletters.models import Subscriber
    from projects.models import TrialAction

    author = UserFactory(email="forfatter@kommune.example")
    project = create_project(participants=[author])
    log = create_log(project, author, visibility="network")
    text = "Vi prøvede gåture med borgerne.\nDet virkede – især for de unge."
    return [
        (
            author,
            project.url + "proevehandlinger/ny/",
            {
                "title": "Gåture med sygemeldte",
                "municipality": Municipality.objects.get(code="0751").pk,
                "purpose": text,
                "status": "planned",
                "started": "2026-11-01",
                "visibility": "participants",
            },
            lambda: TrialAction.objects.filter(title="Gåture med sygemeldte").exists(),
        ),
        (
            author,
            project.url + f"proevehandlinger/{log.pk}/kommentar/",
            {"text": text},
            lambda: (
                TrialActionComment.objects.filter(text=text.replace("\n", "\r\n")).exists()
                or TrialActionComment.objects.filter(text=text).exists()
            ),
        ),
        (
            None,
            "/nyhedsbrev/",
            {
                "email": "abonnent@kommune.example",
                "work_areas": [WorkArea.objects.get(slug="unge").pk],
            },
            lambda: Subscriber.objects.filter(email="abonnent@kommune.example").exists(),
        ),
    ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["trial action", "comment", "subscription"])
def test_a_submission_during_a_database_outage_is_given_back_and_saved_on_resend(
    kind, migrated_data
):
    from django.test import Client

    who, url, data, saved = _submissions()[["trial action", "comment", "subscription"].index(kind)]
    client = Client(enforce_csrf_checks=True)
    if who is not None:
        client.force_login(who)
    client.get(url.split("proevehandlinger/")[0])  # the page with the form sets the token
    token = client.cookies["csrftoken"].value
    with _database_refuses_writes():
        response = client.post(url, {**data, "csrfmiddlewaretoken": token})
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "Det, du sendte, er ikke gemt endnu" in page
    assert not saved()
    if "purpose" in data or "text" in data:
        assert "Vi prøvede gåture med borgerne." in page  # shown, to copy
    assert "adgangskode" not in page  # no password was sent, so none is missing

    action, resend = _resend_form(response)
    assert action == url
    response = client.post(action, resend)  # the database is back
    assert response.status_code in (200, 302), response.content.decode()[:500]
    assert saved()


@pytest.mark.django_db(transaction=True)
def test_a_password_is_never_written_back_into_the_outage_page(migrated_data):
    from django.test import Client

    client = Client()
    with _database_refuses_writes():
        response = client.post(
            "/konto/signup/",
            {
                "email": "ny@kommune.example",
                "first_name": "Nanna",
                "last_name": "Nielsen",
                "password1": "Hemmelig-kode-123",
                "password2": "Hemmelig-kode-123",
            },
        )
    page = response.content.decode()
    assert response.status_code == 503
    assert "Hemmelig-kode-123" not in page
    assert "ny@kommune.example" in page and "adgangskode" in page


@pytest.mark.django_db
def test_comments_and_search_api_are_rate_limited(client, monkeypatch, settings):
    import projects.views

    monkeypatch.setattr(projects.views, "COMMENT_RATE", (2, 60))
    settings.SEARCH_API_RATE_PER_MINUTE = 3
    author = UserFactory(email="forfatter@kommune.example")
    project = create_project(participants=[author])
    log = create_log(project, author, visibility="network")
    client.force_login(author)
    url = project.url + f"proevehandlinger/{log.pk}/kommentar/"
    assert client.post(url, {"text": "En"}).status_code == 302
    assert client.post(url, {"text": "To"}).status_code == 302
    response = client.post(url, {"text": "Tre"})
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    text = response.content.decode()
    assert "mange kommentarer" in text and "Tre</textarea>" in text  # nothing lost
    assert log.comments.count() == 2
    codes = [client.get("/api/search/", {"q": "video"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]


@pytest.mark.django_db
def test_publishing_as_autosave_creates_the_page_leads_to_that_page(rf):
    """An editor walk pressed *Udgiv* on a new project in the moment autosave created
    it: the add view's slug was taken, and the editor got a bare 400 with the page left
    as a draft. They are sent to the autosaved page, told to look it over."""
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.core.exceptions import ValidationError

    from config.middleware import IncompleteFormMiddleware
    from experiences.factories import create_experience

    editor = UserFactory(email="redaktoer@kommune.example")
    page = create_experience("Rehabilitering på tværs")
    page.owner = editor
    page.save()
    parent = page.get_parent()
    request = rf.post(
        f"/admin/pages/add/experiences/experiencepage/{parent.pk}/", {"slug": page.slug}
    )
    request.user = editor
    request.session = {}
    request._messages = FallbackStorage(request)
    taken = ValidationError({"slug": ["Adressen er allerede i brug."]})

    response = IncompleteFormMiddleware(lambda r: None).process_exception(request, taken)

    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{page.pk}/edit/"
    assert "gemt automatisk" in str(list(request._messages)[0])
    # Someone else's page with that address is not theirs to be sent to: the 400 stays.
    request.user = UserFactory(email="anden@kommune.example")
    assert (
        IncompleteFormMiddleware(lambda r: None).process_exception(request, taken).status_code
        == 400
    )
