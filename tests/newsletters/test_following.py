"""Following, notifications, digests and the private feed, through real URLs."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from network.factories import UserFactory
from projects.factories import create_event, create_log, create_project
from tests.net import unused_port

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("run_on_commit")]


@pytest.fixture
def world(db):
    from network.models import Municipality

    # In one of the project's municipalities: the log form offers only those.
    author = UserFactory(
        email="forfatter@test.example",
        first_name="Frida",
        municipality=Municipality.objects.get(code="0751"),
    )
    reader = UserFactory(email="laeser@test.example", first_name="Lars")
    stranger = UserFactory(email="fremmed@test.example", first_name="Frej")
    project = create_project("Digitale veje", participants=[author, reader])
    log = create_log(project, author, title="Video som første valg", visibility="public")
    return {
        "author": author,
        "reader": reader,
        "stranger": stranger,
        "project": project,
        "log": log,
    }


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _follow(client, kind, key, next_url="/"):
    return client.post("/varsler/foelg/", {"kind": kind, "key": str(key), "next": next_url})


def _update(world, text="Tre uger med video."):
    author = _client(world["author"])
    response = author.post(world["log"].get_absolute_url() + "opdatering/", {"text": text})
    assert response.status_code == 302


def test_following_a_log_brings_its_updates_to_list_header_digest_and_feed(world):
    reader = _client(world["reader"])
    log = world["log"]
    page = reader.get(log.get_absolute_url()).content.decode()
    assert "Følg" in page
    assert _follow(reader, "trial_action", log.pk, log.get_absolute_url()).status_code == 302
    assert 'aria-pressed="true"' in reader.get(log.get_absolute_url()).content.decode()

    _update(world)
    # The list and the unread count in the header.
    listing = reader.get("/varsler/").content.decode()
    assert "Ny opdatering på »Video som første valg«" in listing
    assert "Du følger prøvehandling" in listing
    header = reader.get("/overblik/").content.decode()
    assert '<span class="badge">1<span class="visually-hidden"> ulæste' in header
    # The author, who made the change, is not told of it.
    assert (
        "badge" not in _client(world["author"]).get("/varsler/").content.decode().split("<main")[0]
    )

    # The digest: one mail, once per period, with a one-click stop.
    from newsletters import digests

    mail.outbox.clear()
    now = timezone.now()
    assert digests.send_due(now=now) == 1
    assert digests.send_due(now=now) == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [world["reader"].email]
    assert "Tre uger med video." in message.body
    assert log.get_absolute_url() in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    stop = message.extra_headers["List-Unsubscribe"].strip("<>").split("testserver", 1)[-1]
    stop = stop.split("8000", 1)[-1]
    from newsletters.models import NotificationSettings

    asked = Client().get(stop).content.decode()
    assert "Stop mailene" in asked and "Intet er ændret, før du gør det." in asked
    stopped = NotificationSettings.objects.filter(user=world["reader"], frequency="never")
    assert not stopped.exists()  # asking changes nothing
    assert Client().post(stop).status_code == 200

    assert NotificationSettings.objects.get(user=world["reader"]).frequency == "never"
    # A garbled stop link says so about these mails, not about a newsletter sign-up.
    garbled = Client().get(stop.rstrip("/") + "x/")
    assert garbled.status_code == 404
    text = garbled.content.decode()
    assert "stoppe mails med varsler" in text and "tilmeld dig igen" not in text

    # The private feed, with a token that can be revoked.
    token = NotificationSettings.objects.get(user=world["reader"]).feed_token
    feed = Client().get(f"/varsler/feed/{token}/")
    assert feed.status_code == 200 and b"Tre uger med video." in feed.content
    assert feed["Cache-Control"] == "private, no-store"
    # Valid Atom (RFC 4287): an author, and each entry an absolute id and <updated>.
    from xml.etree import ElementTree

    atom = "{http://www.w3.org/2005/Atom}"
    root = ElementTree.fromstring(feed.content)
    assert root.find(f"{atom}author/{atom}name").text == "Beskæftigelsesnetværket"
    (entry,) = root.findall(f"{atom}entry")
    assert entry.find(f"{atom}id").text.startswith("http://")
    assert entry.find(f"{atom}updated").text
    reader.post("/varsler/indstillinger/", {"renew_feed": "1"})
    assert Client().get(f"/varsler/feed/{token}/").status_code == 404

    # Opening the notification marks it read.
    notification = world["reader"].notifications.get()
    assert reader.get(f"/varsler/{notification.pk}/")["Location"].startswith(log.get_absolute_url())
    assert "badge" not in reader.get("/overblik/").content.decode().split("<main")[0]


def test_permission_is_checked_at_delivery_not_at_creation(world):
    from newsletters import digests
    from newsletters.models import NotificationSettings

    stranger = _client(world["stranger"])
    log = world["log"]
    _follow(stranger, "trial_action", log.pk)
    _update(world, text="Hemmelig fremdrift zqdeliveryx")
    assert world["stranger"].notifications.count() == 1
    # The log becomes participants-only before anything is delivered.
    log.visibility = "participants"
    log.save()
    assert "zqdeliveryx" not in stranger.get("/varsler/").content.decode()
    assert "badge" not in stranger.get("/overblik/").content.decode().split("<main")[0]
    token = NotificationSettings.objects.get_or_create(user=world["stranger"])[0].feed_token
    assert b"zqdeliveryx" not in Client().get(f"/varsler/feed/{token}/").content
    mail.outbox.clear()
    assert digests.send_due() == 0
    assert not mail.outbox
    # Nor can it be opened through the notification.
    notification = world["stranger"].notifications.get()
    assert stranger.get(f"/varsler/{notification.pk}/").status_code == 404


def test_a_member_removed_from_a_closed_project_reads_nothing_more_from_it(world):
    """Their own log included: what the participants comment on it stays in the project
    (no mail, notification, feed entry or digest), and the follow list no longer names
    the project, though it can still be unfollowed."""
    from newsletters import digests
    from newsletters.models import NotificationSettings
    from projects.models import ProjectParticipant

    author, reader = world["author"], world["reader"]
    project = create_project("Lukket rum", visibility="participants", participants=[author, reader])
    log = create_log(project, author, title="Lukket forsøg", visibility="participants")
    log.notify_on_comments = True
    log.save()
    mine = _client(author)
    assert _follow(mine, "project", project.pk).status_code == 302
    ProjectParticipant.objects.filter(project=project, user=author).delete()  # removed

    mail.outbox.clear()
    response = _client(reader).post(
        log.get_absolute_url() + "kommentar/", {"text": "Intern kommentar zqremoved"}
    )
    assert response.status_code == 302
    assert not [m for m in mail.outbox if author.email in m.to]
    assert "zqremoved" not in mine.get("/varsler/").content.decode()
    assert "zqremoved" not in mine.get("/overblik/").content.decode()
    token = NotificationSettings.objects.get_or_create(user=author)[0].feed_token
    assert b"zqremoved" not in Client().get(f"/varsler/feed/{token}/").content
    digests.send_due()
    assert not [m for m in mail.outbox if author.email in m.to]
    assert mine.get(log.get_absolute_url()).status_code == 404
    follows = mine.get("/varsler/foelger/").content.decode()
    assert "Lukket rum" not in follows and "Ikke længere tilgængelig for dig" in follows


def test_nobody_follows_what_they_may_not_see(world):
    hidden = create_project("Lukket", visibility="participants")
    secret_log = create_log(hidden, world["author"], visibility="participants")
    stranger = _client(world["stranger"])
    for kind, key in (("project", hidden.pk), ("trial_action", secret_log.pk), ("nonsense", 1)):
        assert _follow(stranger, kind, key).status_code == 404
    assert not world["stranger"].follows.exists()
    assert Client().post("/varsler/foelg/", {"kind": "project", "key": "1"}).status_code == 302


@pytest.mark.parametrize("frequency, expected", [("immediate", 1), ("never", 0)])
def test_frequency_immediate_and_never(world, frequency, expected):
    reader = _client(world["reader"])
    reader.post("/varsler/indstillinger/", {"frequency": frequency})
    _follow(reader, "project", world["project"].pk)
    mail.outbox.clear()
    _update(world)
    digests = [m for m in mail.outbox if m.to == [world["reader"].email]]
    assert len(digests) == expected


def test_a_comment_mailed_to_the_log_s_author_is_not_mailed_again_in_a_digest(world):
    """An outside walk: the author (mails straight away, and *send mig en mail ved
    nye kommentarer*) got the comment mail and, in the same second, a digest with the
    same comment. It is still among their notifications on the site."""
    author = _client(world["author"])
    author.post("/varsler/indstillinger/", {"frequency": "immediate"})
    mail.outbox.clear()

    _client(world["reader"]).post(
        world["log"].get_absolute_url() + "kommentar/", {"text": "Hvordan gik det?"}
    )

    to_author = [m.subject for m in mail.outbox if m.to == [world["author"].email]]
    assert to_author == ["Ny kommentar til »Video som første valg«"]
    assert "Hvordan gik det?" in author.get("/varsler/").content.decode()
    # Without the comment mail, the digest brings it.
    world["log"].notify_on_comments = False
    world["log"].save()
    mail.outbox.clear()
    _client(world["reader"]).post(
        world["log"].get_absolute_url() + "kommentar/", {"text": "Og nu?"}
    )
    (digest,) = [m for m in mail.outbox if m.to == [world["author"].email]]
    assert "Og nu?" in digest.body


def test_what_was_read_on_the_site_is_not_in_the_digest(world):
    """An outside walk: *Markér alle som læst*, and the digest mailed them anyway."""
    from newsletters import digests

    reader = _client(world["reader"])
    reader.post("/varsler/indstillinger/", {"frequency": "daily"})
    _follow(reader, "project", world["project"].pk)
    _update(world, "Læst på siden")
    reader.post("/varsler/laest/")
    mail.outbox.clear()
    assert digests.send_due(now=timezone.now() + datetime.timedelta(minutes=1)) == 0
    _update(world, "Ikke læst endnu")
    assert digests.send_due(now=timezone.now() + datetime.timedelta(minutes=1)) == 1
    (digest,) = mail.outbox
    assert "Ikke læst endnu" in digest.body and "Læst på siden" not in digest.body


def test_weekly_digest_once_a_week(world):
    from newsletters import digests

    reader = _client(world["reader"])
    reader.post("/varsler/indstillinger/", {"frequency": "weekly"})
    _follow(reader, "municipality", world["log"].municipality.code)
    _update(world, "Første")
    monday = timezone.make_aware(datetime.datetime(2030, 1, 7, 8))
    assert digests.send_due(now=monday) == 1
    _update(world, "Anden")
    assert digests.send_due(now=monday + datetime.timedelta(days=2)) == 0
    assert digests.send_due(now=monday + datetime.timedelta(days=7)) == 1


def test_send_digests_command_is_idempotent(world):
    from django.core.management import call_command

    _follow(_client(world["reader"]), "work_area", "digitalisering")
    world["log"].work_areas.add(
        *__import__("network.models").models.WorkArea.objects.filter(slug="digitalisering")
    )
    _update(world)
    mail.outbox.clear()
    call_command("send_digests", stdout=open("/dev/null", "w"))
    call_command("send_digests", stdout=open("/dev/null", "w"))
    assert [m.to for m in mail.outbox] == [[world["reader"].email]]


def _post_new_log(world, title, purpose, status="planned"):
    response = _client(world["author"]).post(
        world["project"].url + "proevehandlinger/ny/",
        {
            "title": title,
            "municipality": world["author"].municipality_id,
            "purpose": purpose,
            "status": status,
            "started": "2026-01-05",
            "visibility": "public",
        },
    )
    assert response.status_code == 302


def test_new_logs_and_events_reach_followers_of_project_and_municipality(world):
    reader = _client(world["reader"])
    _follow(reader, "project", world["project"].pk)
    _post_new_log(world, "Selvbooking", "Færre udeblivelser.")
    create_event(world["project"], "Temadag 3")
    titles = list(world["reader"].notifications.values_list("title", flat=True))
    assert any("Ny prøvehandling" in t and "Selvbooking" in t for t in titles)
    assert any("Nyt arrangement" in t and "Temadag 3" in t for t in titles)


def test_saved_search_announces_only_new_results(world):
    from config.home.wiring import refresh_saved_searches

    reader = _client(world["reader"])
    page = reader.get("/soeg/", {"q": "udeblivelser"}).content.decode()
    assert "Følg" in page
    assert _follow(reader, "search", "q=udeblivelser").status_code == 302
    follow = world["reader"].follows.get(kind="search")
    assert follow.label == "Søgning: »udeblivelser«"
    create_log(
        world["project"],
        world["author"],
        title="SMS mod udeblivelser",
        visibility="public",
        purpose="Færre udeblivelser med SMS.",
    )
    assert refresh_saved_searches() == 1
    assert refresh_saved_searches() == 0
    notification = world["reader"].notifications.get()
    assert "SMS mod udeblivelser" in notification.title
    # A search never followed as syntax: unknown filters make no follow.
    assert _follow(reader, "search", "kommune=findes-ikke").status_code == 404


def test_a_followed_search_is_named_in_danish_in_the_reader_s_list(world):
    """An outside walk: a search with a work area was listed as »videosamtale«, topic
    sygedagpenge. The filters are named as the search page names them."""
    from network.models import WorkArea

    area = WorkArea.objects.get(slug="digitalisering")
    reader = _client(world["reader"])
    key = f"q=video&omraade={area.slug}&kommune=0751"
    assert _follow(reader, "search", key).status_code == 302
    page = reader.get("/varsler/foelger/").content.decode()
    assert f"»video«, Kommune: Aarhus, Arbejdsområde: {area.name}" in page
    assert "topic" not in page and "municipality" not in page
    # A follow labelled by an earlier version is listed with today's label.
    world["reader"].follows.filter(kind="search").update(label="Søgning: »video«, topic x")
    page = reader.get("/varsler/foelger/").content.decode()
    assert f"»video«, Kommune: Aarhus, Arbejdsområde: {area.name}" in page


def test_a_new_log_told_through_a_follow_is_not_told_again_by_a_followed_search(world):
    """An outside walk: Lise followed Vejle and the search »videosamtaler«, and a new
    log from Vejle on video came as two notifications."""
    from config.home.wiring import refresh_saved_searches

    reader = _client(world["reader"])
    _follow(reader, "municipality", world["author"].municipality.code)
    _follow(reader, "search", "q=udeblivelser")
    assert refresh_saved_searches() == 0  # the first look
    _post_new_log(world, "SMS mod udeblivelser", "Færre udeblivelser med SMS.", "in_progress")
    assert world["reader"].notifications.count() == 1
    assert refresh_saved_searches() == 0
    assert world["reader"].notifications.count() == 1
    create_log(
        world["project"],
        world["author"],
        title="Udeblivelser og video",
        visibility="public",
        purpose="Færre udeblivelser.",
    )
    assert refresh_saved_searches() == 1  # not told otherwise: the search tells


def test_results_that_rise_because_newer_ones_went_are_not_news(world):
    """An outside walk bulk-deleted pages, and a member who followed a search got nine
    months-old results announced at once: they had been below the newest 20 and rose
    into them. A result dated below the last look's oldest is not news; a new one is."""
    from config.home.wiring import refresh_saved_searches
    from projects.models import TrialAction

    today = timezone.localdate()
    old = [
        create_log(
            world["project"],
            world["author"],
            title=f"Skærmmøde nummer {n}",
            visibility="public",
            purpose="Videosamtaler med borgere.",
            started=today - datetime.timedelta(days=10 + n),
        )
        for n in range(25)
    ]
    reader = _client(world["reader"])
    assert _follow(reader, "search", "q=videosamtaler").status_code == 302
    assert refresh_saved_searches() == 0  # the first look
    TrialAction.objects.filter(pk__in=[log.pk for log in old[:4]]).delete()
    assert refresh_saved_searches() == 0
    assert not world["reader"].notifications.exists()

    create_log(
        world["project"],
        world["author"],
        title="Videosamtaler i praksis",
        visibility="public",
        purpose="Videosamtaler med borgere.",
        started=today,
    )
    assert refresh_saved_searches() == 1
    assert world["reader"].notifications.get().title.endswith("Videosamtaler i praksis")


def test_overview_lists_projects_events_logs_and_todos(world):
    from projects.models import EventRegistration

    project = world["project"]
    past = create_event(project, "Temadag 1", days_ahead=-20)
    upcoming = create_event(project, "Temadag 2", days_ahead=5)
    upcoming.online_url = "https://moede.example/abc"
    upcoming.save_revision().publish()
    log = world["log"]
    type(log).objects.filter(pk=log.pk).update(
        updated_at=past.starts_at - datetime.timedelta(days=3)
    )
    reader = world["reader"]
    reader.municipality = log.municipality
    reader.save()
    client = _client(reader)
    page = client.get("/overblik/").content.decode()
    assert "Mit overblik" in page and "Digitale veje" in page and "(deltager)" in page
    assert "Temadag 2" in page and "Ikke tilmeldt" in page
    assert "https://moede.example/abc" not in page
    assert "Inden Temadag 2" in page and "opdater jeres prøvehandling" in page
    assert "Tilmeld dig Temadag 2" in page
    # The to-do's button signs up, there and then (it only opened the event's page).
    assert f'action="{upcoming.url}tilmeld/"' in page
    assert client.post(upcoming.url + "tilmeld/").status_code == 302
    assert EventRegistration.objects.get(event=upcoming, user=reader).status == "registered"
    page = client.get("/overblik/").content.decode()
    assert "https://moede.example/abc" in page and "Tilføj" not in page
    assert "Tilmeld dig Temadag 2" not in page
    # A log marked finished has nothing to update before the theme day.
    type(log).objects.filter(pk=log.pk).update(status="completed")
    assert "opdater jeres prøvehandling" not in client.get("/overblik/").content.decode()
    type(log).objects.filter(pk=log.pk).update(status="in_progress")
    assert "opdater jeres prøvehandling" in client.get("/overblik/").content.decode()
    # An update since the last theme day clears the to-do.
    _update(world)
    assert "opdater jeres prøvehandling" not in client.get("/overblik/").content.decode()
    # The author sees their log with the new comment since they last looked.
    author = _client(world["author"])
    reader_client = _client(reader)
    reader_client.post(log.get_absolute_url() + "kommentar/", {"text": "Spændende!"})
    assert (
        "1 ny kommentar</strong> siden du sidst kiggede"
        in author.get("/overblik/").content.decode()
    )
    author.get(log.get_absolute_url())
    assert "siden du sidst kiggede" not in author.get("/overblik/").content.decode()


def test_login_lands_on_the_overview(world):
    client = Client()
    response = client.post(
        "/konto/login/", {"login": world["reader"].email, "password": "kodeord-123"}
    )
    assert response["Location"] == "/overblik/"
    assert Client().get("/overblik/")["Location"].startswith("/konto/login/")


def test_send_digests_can_hand_the_work_to_the_task_worker(world):
    from django.core.management import call_command

    _follow(_client(world["reader"]), "project", world["project"].pk)
    _update(world)
    mail.outbox.clear()
    # The test settings run tasks at once, as the worker would when it picks it up.
    call_command("send_digests", "--enqueue", stdout=open("/dev/null", "w"))
    assert [m.to for m in mail.outbox] == [[world["reader"].email]]


def test_the_follow_list_names_each_thing_once_and_links_to_it(world):
    reader = _client(world["reader"])
    log = world["log"]
    assert _follow(reader, "trial_action", log.pk).status_code == 302
    assert _follow(reader, "search", "q=udeblivelser").status_code == 302
    page = reader.get("/varsler/foelger/").content.decode()
    assert "Søgning: Søgning" not in page
    assert '<span class="meta">Søgning:</span> <a href="/soeg/?q=udeblivelser">' in page
    assert f'href="{log.get_absolute_url()}">Video som første valg' in page
    assert 'href="/soeg/?q=udeblivelser">»udeblivelser«</a>' in page
    # Gone: still listed, so it can be unfollowed, but no longer a link.
    url = log.get_absolute_url()
    log.delete()
    page = reader.get("/varsler/foelger/").content.decode()
    assert "Video som første valg" in page and f'href="{url}"' not in page


def test_the_follow_button_pressed_twice_still_follows(world):
    """The button says what it does ("Følg" sends follow=1), so a double click, Back and
    submit again, or a stale tab never undoes it."""
    from newsletters.models import Follow

    reader, log = _client(world["reader"]), world["log"]
    page = reader.get(log.get_absolute_url()).content.decode()
    assert 'name="follow" value="1"' in page
    for _ in range(2):
        response = reader.post(
            "/varsler/foelg/",
            {"kind": "trial_action", "key": str(log.pk), "follow": "1", "next": "/"},
            follow=True,
        )
        assert "Du følger nu med." in response.content.decode()
    assert Follow.objects.filter(user=world["reader"]).count() == 1
    page = reader.get(log.get_absolute_url()).content.decode()
    assert 'name="follow" value="0"' in page
    for _ in range(2):
        reader.post("/varsler/foelg/", {"kind": "trial_action", "key": str(log.pk), "follow": "0"})
    assert not Follow.objects.filter(user=world["reader"]).exists()


# -- digests when the mail server is away --------------------------------------------


def _server_away(settings) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", unused_port()  # nobody listens
    settings.EMAIL_TIMEOUT = 2


def _digest_waiting(world) -> None:
    _follow(_client(world["reader"]), "trial_action", world["log"].pk)
    _update(world, text="Fire uger med video.")
    mail.outbox.clear()


def test_a_digest_the_mail_server_could_not_take_goes_with_the_next_run(world, settings):
    """The mail server is down during send_digests: the run says so and fails (75, as
    send_newsletter), nothing is recorded as sent, and the next run sends it."""
    import io

    from django.core.management import call_command

    from newsletters.models import DigestDelivery

    _digest_waiting(world)
    _server_away(settings)
    err = io.StringIO()
    with pytest.raises(SystemExit) as stopped:
        call_command("send_digests", stdout=io.StringIO(), stderr=err)
    assert stopped.value.code == 75
    assert "Ikke sendt: 1 sammendrag" in err.getvalue()
    assert not DigestDelivery.objects.exists()
    assert world["reader"].notifications.filter(digested_at=None).count() == 1

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # back again
    out = io.StringIO()
    call_command("send_digests", stdout=out)
    assert "Sendt: 1 sammendrag." in out.getvalue()
    [message] = mail.outbox
    assert message.to == [world["reader"].email] and "Fire uger med video." in message.body


def test_a_digest_lost_on_its_way_is_not_sent_twice(world, settings):
    """The connection goes while the message is on its way: it may have arrived, so it
    is not sent again (the notification stays in the site's list)."""
    from newsletters import digests
    from tests.newsletters.backends import CrashingBackend

    _digest_waiting(world)
    settings.EMAIL_BACKEND = "tests.newsletters.backends.CrashingBackend"
    CrashingBackend.crash_after, CrashingBackend.accepted = 0, 0
    assert digests.send_due() == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert digests.send_due() == 0
    assert mail.outbox == []
    assert "Fire uger med video." in _client(world["reader"]).get("/varsler/").content.decode()


@pytest.mark.parametrize(("code", "again"), [(451, True), (550, False)])
def test_a_refused_address_is_tried_again_only_when_the_refusal_is_temporary(
    world, settings, code, again
):
    import smtplib

    from newsletters import digests

    from .backends import RefusingBackend

    _digest_waiting(world)
    settings.EMAIL_BACKEND = "tests.newsletters.backends.RefusingBackend"
    RefusingBackend.always, RefusingBackend.once = {world["reader"].email}, set()
    original = smtplib.SMTPRecipientsRefused.__init__

    def refused(self, recipients):  # the test backend's refusal, with this code
        original(self, {address: (code, b"Refused") for address in recipients})

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(smtplib.SMTPRecipientsRefused, "__init__", refused)
        assert digests.send_due() == (0 if again else 1)
    RefusingBackend.always = set()
    assert digests.send_due() == (1 if again else 0)
    assert len(mail.outbox) == (1 if again else 0)


def test_a_straight_away_digest_the_server_missed_goes_with_send_digests(world, settings):
    """Members who want news straight away get it from a task; if the mail server was
    away then, send_digests sends it once it has waited IMMEDIATE_CATCH_UP."""
    import datetime as dt

    from newsletters import digests
    from newsletters.models import NotificationSettings

    NotificationSettings.objects.update_or_create(
        user=world["reader"], defaults={"frequency": "immediate"}
    )
    _server_away(settings)
    _digest_waiting(world)  # the task ran at once, and could not reach the server
    assert world["reader"].notifications.filter(digested_at=None).count() == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert digests.send_due() == 0  # not yet: the task may still be on its way
    later = timezone.now() + digests.IMMEDIATE_CATCH_UP + dt.timedelta(seconds=1)
    assert digests.send_due(now=later) == 1
    assert digests.send_due(now=later) == 0
    [message] = mail.outbox
    assert "Fire uger med video." in message.body


def test_send_digests_warns_when_its_links_point_to_another_port(world, settings):
    """make run PORT=8501 serves (and sets the Wagtail site) on 8501; a command run
    without that PORT built its links for 8000."""
    import io

    from django.core.management import call_command
    from wagtail.models import Site

    Site.objects.filter(is_default_site=True).update(hostname="127.0.0.1", port=8501)
    settings.SITE_URL = "http://127.0.0.1:8000"
    err = io.StringIO()
    call_command("send_digests", stdout=io.StringIO(), stderr=err)
    assert "peger på http://127.0.0.1:8000, men sitet er sat op på http://127.0.0.1:8501" in (
        err.getvalue()
    )
    settings.SITE_URL = "http://127.0.0.1:8501"
    err = io.StringIO()
    call_command("send_digests", stdout=io.StringIO(), stderr=err)
    assert "Advarsel" not in err.getvalue()


def _killed_mid_send(world):
    """What `kill -9` leaves between the commit of a digest's claim and the mail
    server's answer: the delivery row without `sent_at`, of a process that is gone."""
    import socket
    import subprocess

    from newsletters import digests
    from newsletters.models import DigestDelivery

    _digest_waiting(world)
    dead = subprocess.Popen(["true"])
    dead.wait()
    at = timezone.now()
    # The claim is made as send_for makes it; then the process "dies" before the answer.
    digests.send_for(world["reader"].pk, period="daily:2026-12-05", now=at)
    mail.outbox.clear()
    DigestDelivery.objects.filter(user=world["reader"]).update(
        sent_at=None, host=socket.gethostname(), pid=dead.pid
    )


@pytest.mark.parametrize(
    ("policy", "mails", "code", "said"),
    [
        ("resend", 1, None, "1 sammendrag var på vej, da en tidligere kørsel stoppede"),
        ("assume-sent", 0, None, "Sendt: 0 sammendrag."),
        ("wait", 0, 75, "Usikre: 1 sammendrag"),
    ],
)
def test_a_digest_on_its_way_when_the_run_was_killed_is_settled_by_policy(
    world, policy, mails, code, said
):
    """Before, a digest whose run was killed between claim and the server's answer was
    lost without a trace. Now the next run finds it and, by default, sends it again."""
    import io

    from django.core.management import call_command

    from newsletters.models import DigestDelivery

    _killed_mid_send(world)
    out, err = io.StringIO(), io.StringIO()
    if code:
        with pytest.raises(SystemExit) as stopped:
            call_command("send_digests", in_doubt=policy, stdout=out, stderr=err)
        assert stopped.value.code == code
    else:
        call_command("send_digests", in_doubt=policy, stdout=out, stderr=err)
    assert said in out.getvalue() + err.getvalue()
    assert len(mail.outbox) == mails
    if mails:
        assert "Fire uger med video." in mail.outbox[0].body
    # Settled either way but "wait": a second run sends nothing more.
    mail.outbox.clear()
    if policy != "wait":
        call_command("send_digests", stdout=io.StringIO(), stderr=io.StringIO())
        assert mail.outbox == []
        assert not DigestDelivery.objects.filter(sent_at=None).exists()


def test_a_digest_of_a_run_still_going_is_not_in_doubt(world):
    """Another run on this host, alive and mid-send, is left alone."""
    import os

    from newsletters import digests
    from newsletters.models import DigestDelivery

    _killed_mid_send(world)
    DigestDelivery.objects.update(pid=os.getpid())  # this process: alive
    assert digests.recover() == (0, 0)
    assert DigestDelivery.objects.filter(sent_at=None).count() == 1


def test_send_digests_with_the_database_away_stops_in_danish(world, monkeypatch):
    import io

    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.db import OperationalError

    from newsletters import digests

    def away(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(digests, "recover", away)
    with pytest.raises(CommandError) as stopped:
        call_command("send_digests", stdout=io.StringIO(), stderr=io.StringIO())
    assert stopped.value.returncode == 75
    assert str(stopped.value).startswith("Databasen svarer ikke")


def test_ctrl_c_during_send_digests_stops_in_danish_and_the_next_run_sends_it(world, monkeypatch):
    """Ctrl-C while the mail server takes a digest: a Danish message, exit 130 and no
    traceback; the next run sends the digest (resend, the default), so none is lost."""
    import io

    from django.core.mail.backends.locmem import EmailBackend
    from django.core.management import call_command
    from django.core.management.base import CommandError

    _digest_waiting(world)

    def interrupted(self, messages):
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(EmailBackend, "send_messages", interrupted)
        with pytest.raises((CommandError, KeyboardInterrupt)) as stopped:  # not the test run
            call_command("send_digests", stdout=io.StringIO(), stderr=io.StringIO())
    assert isinstance(stopped.value, CommandError), "a traceback instead of a message"
    assert stopped.value.returncode == 130
    assert str(stopped.value).startswith("Afbrudt. Sammendragene er stoppet")

    out = io.StringIO()
    call_command("send_digests", stdout=out, stderr=io.StringIO())
    [message] = mail.outbox
    assert message.to == [world["reader"].email] and "Fire uger med video." in message.body


@pytest.mark.django_db(transaction=True)  # a lost connection is closed and opened again
def test_a_database_blip_during_a_members_digest_is_tried_again(world, monkeypatch):
    """The database restarts while one member's digest is claimed: that member is tried
    again once it is back (the claim was one transaction, rolled back whole), and the
    run goes on. Before, the whole run stopped with 75."""
    import io

    from django.core.management import call_command
    from django.db import OperationalError

    from newsletters import digests, sending

    _digest_waiting(world)
    real, calls = digests.send_for, {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(*args, **kwargs)

    monkeypatch.setattr(digests, "send_for", flaky)
    monkeypatch.setattr(sending.time, "sleep", lambda seconds: None)
    call_command("send_digests", stdout=io.StringIO(), stderr=io.StringIO())
    [message] = mail.outbox
    assert message.to == [world["reader"].email] and calls["n"] == 2


def test_a_notification_s_time_reads_the_same_on_the_overview_and_in_the_list(world):
    """An outside walk saw "7. december 01:32" on /overblik/ beside "7. december 2026
    kl. 01:32" on /varsler/ for the same notification."""
    from django.utils import formats

    from newsletters.models import Notification

    reader = _client(world["reader"])
    _follow(reader, "trial_action", world["log"].pk)
    _update(world)
    created = timezone.localtime(Notification.objects.get(user=world["reader"]).created_at)
    shown = formats.date_format(created, "j. F Y \\k\\l. H:i")
    assert shown in reader.get("/varsler/").content.decode()
    overview = reader.get("/overblik/").content.decode()
    assert f'<time datetime="{created.isoformat()}">{shown}</time>' in overview


def test_only_the_kinds_the_site_offers_can_be_followed(world):
    """An outside attacker followed a visible event by posting kind=event (a kind of
    notification, offered by no button) and read an English "event:" in their list."""
    event = create_event(world["project"], "Temadag om video", days_ahead=5)
    reader = _client(world["reader"])
    for kind, key in (("event", event.pk), ("comment", 1)):
        assert _follow(reader, kind, key).status_code == 404
    assert not world["reader"].follows.exists()
    assert _follow(reader, "project", world["project"].pk).status_code == 302
