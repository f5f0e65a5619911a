"""The registry of news sources, filling, the archive and the demo content."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from experiences.factories import create_experience
from newsletters import filling, sending
from newsletters.factories import (
    EditionFactory,
    EditionItemFactory,
    SubscriberFactory,
    edition_with_items,
)
from newsletters.models import Edition, EditionStatus, Subscriber
from newsletters.registry import NewsItem, NewsSource, news_sources

pytestmark = pytest.mark.django_db


def test_experiences_register_their_live_public_pages_as_news():
    before = timezone.now() - datetime.timedelta(seconds=1)
    live = create_experience("Ny og offentlig", topics=["unge"], municipalities=["0751"])
    create_experience("Kladde", topics=["unge"], live=False)
    source = {s.key: s for s in news_sources.sources()}["experiences"]

    items = list(source.items(before))

    assert [item.title for item in items] == ["Ny og offentlig"]
    (item,) = items
    assert item.url == live.url and item.url.startswith("/erfaringer/")
    assert item.work_area_slugs == ("unge",)
    assert item.municipality_codes == ("0751",)
    assert item.summary == live.lead and item.kind == "Artikel"
    assert list(source.items(timezone.now() + datetime.timedelta(minutes=1))) == []


def test_a_failing_source_is_reported_and_the_others_still_fill():
    def broken(since):
        raise RuntimeError("nede")

    def working(since):
        return [
            NewsItem(
                title="Temadag om unge",
                summary="",
                url="/projekter/temadag/",
                work_area_slugs=("unge", "ukendt-omraade"),
                published=timezone.now(),
                kind="Temadag",
                key="event-1",
            ),
            NewsItem(
                title="Uden område",
                summary="",
                url="/x/",
                work_area_slugs=(),
                published=timezone.now(),
                kind="Andet",
            ),
        ]

    news_sources.register(NewsSource("test-broken", "Ødelagt kilde", broken))
    news_sources.register(NewsSource("test-working", "Virker", working))
    try:
        edition = EditionFactory()
        result = filling.fill(edition)
    finally:
        news_sources.unregister("test-broken")
        news_sources.unregister("test-working")
    assert result.failed_sources == ["Ødelagt kilde"]
    assert result.without_work_area == 1
    assert list(edition.items.values_list("title", "work_area__slug", "kind")) == [
        ("Temadag om unge", "unge", "Temadag")
    ]


def test_fill_starts_where_the_last_sent_edition_left_off():
    first = EditionFactory()
    assert filling.fill_since(first) < timezone.now() - datetime.timedelta(days=29)
    filling.fill(first)
    first.refresh_from_db()
    EditionItemFactory(edition=first)
    sending.start(first)
    second = EditionFactory()
    assert filling.fill_since(second) == first.filled_until


def test_news_after_the_last_fill_survives_an_edition_sent_without_filling():
    """An outside walk: an edition sent with one hand-added item, never filled, moved
    the start to its send time, and an event published before it was never offered
    to any edition. What a sent edition carried is not offered again."""
    from network.models import WorkArea

    first = EditionFactory()
    filling.fill(first)
    EditionItemFactory(edition=first)
    create_experience("Kom med i første nummer", topics=["unge"])
    ad_hoc = EditionFactory()
    carried = create_experience("Sendt i hast", topics=["unge"])
    EditionItemFactory(edition=ad_hoc, url=carried.url, work_area=WorkArea.objects.get(slug="unge"))
    sending.start(first)
    sending.start(ad_hoc)  # never filled
    third = EditionFactory()

    result = filling.fill(third)

    titles = set(third.items.values_list("title", flat=True))
    assert "Kom med i første nummer" in titles
    assert "Sendt i hast" not in titles and result.already_there >= 1


def test_the_archive_lists_sent_editions_only():
    sent = edition_with_items({"unge": 1}, subject="Udsendt nummer")
    SubscriberFactory(work_areas=["unge"])
    sending.start(sent)
    sending.run(sent)
    edition_with_items({"unge": 1}, subject="Hemmelig kladde")
    from django.test import Client

    client = Client()
    archive = client.get("/nyhedsbrev/arkiv/").content.decode()
    assert "Udsendt nummer" in archive and "Hemmelig kladde" not in archive
    draft = Edition.objects.get(subject="Hemmelig kladde")
    assert client.get(f"/nyhedsbrev/arkiv/{draft.pk}/").status_code == 404
    page = client.get(f"/nyhedsbrev/arkiv/{sent.pk}/")
    assert page.status_code == 200
    assert sent.items.get().title in page.content.decode()
    assert client.get("/nyhedsbrev/arkiv/?side=nonsens").status_code == 200
    assert "Udsendt nummer" in client.get("/nyhedsbrev/").content.decode()


def test_the_demo_content_is_idempotent_and_public_pages_answer(client, demo):
    edition = Edition.objects.get(status=EditionStatus.SENT)
    assert edition.items.count() > 5
    subscribers = Subscriber.objects.count()
    assert subscribers >= 4
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert Edition.objects.count() == 1 and Subscriber.objects.count() == subscribers
    for path in (
        "/nyhedsbrev/",
        "/nyhedsbrev/arkiv/",
        f"/nyhedsbrev/arkiv/{edition.pk}/",
        "/nyhedsbrev/tjek-din-indbakke/",
    ):
        assert client.get(path).status_code == 200, path
    nav = client.get("/").content.decode()
    assert 'href="/nyhedsbrev/"' in nav


def test_fill_groups_items_by_work_area_newest_first():
    create_experience("Ældst om unge", topics=["unge"])
    create_experience("Om ledige og unge", topics=["forsikrede-ledige", "unge"])
    create_experience("Nyest om unge", topics=["unge"])
    edition = EditionFactory()
    result = filling.fill(edition)
    rows = list(edition.items.order_by("sort_order").values_list("work_area__slug", "title"))
    assert result.added == 4
    assert rows == [
        ("forsikrede-ledige", "Om ledige og unge"),
        ("unge", "Nyest om unge"),
        ("unge", "Om ledige og unge"),
        ("unge", "Ældst om unge"),
    ]


def test_events_follow_the_news_of_their_work_area_soonest_first():
    """An outside walk: events came in the order they were announced, so the day in
    June stood above the one in January."""
    from network.models import WorkArea
    from projects.factories import create_event, create_project

    project = create_project("Digitale veje til job", visibility="public")
    project.work_areas.add(WorkArea.objects.get(slug="unge"))
    project.save()
    create_event(project, "Temadag i juni", days_ahead=200)
    create_event(project, "Webseminar i januar", days_ahead=40, kind="webinar")
    create_event(project, "Temadag i marts", days_ahead=100)
    create_experience("Nyt om unge", topics=["unge"])
    edition = EditionFactory()

    filling.fill(edition)

    titles = list(
        edition.items.filter(work_area__slug="unge")
        .exclude(source_key__startswith="project-")
        .order_by("sort_order")
        .values_list("title", flat=True)
    )
    assert titles == ["Nyt om unge", "Webseminar i januar", "Temadag i marts", "Temadag i juni"]


def test_an_event_in_the_newsletter_says_when_and_where_and_a_held_one_is_left_out(client):
    """An outside walk: the issue's theme days had no date, time or place, and a day
    held in May came as news in December."""
    from network.models import WorkArea
    from newsletters.rendering import EditionMailer
    from projects.factories import create_event, create_project
    from projects.models import EventPage

    project = create_project("Digitale veje til job", visibility="public")
    project.work_areas.add(WorkArea.objects.get(slug="unge"))
    project.save()  # a ParentalManyToManyField is stored on save
    coming = create_event(project, "Temadag 3: Fra forsøg til fast praksis", days_ahead=15)
    starts = datetime.datetime(2027, 1, 20, 8, 30, tzinfo=datetime.UTC)  # 09:30 in Denmark
    EventPage.objects.filter(pk=coming.pk).update(starts_at=starts, location="Mødecenter Vejle")
    online = create_event(project, "Webseminar om påmindelser", days_ahead=20, kind="webinar")
    EventPage.objects.filter(pk=online.pk).update(location="", online_url="https://m.example/1")
    create_event(project, "Temadag 1: Hvor er borgerne digitalt?", days_ahead=-200)
    edition = EditionFactory()

    filling.fill(edition)

    events = {
        item.title: item.when for item in edition.items.filter(source_key__startswith="event-")
    }
    assert set(events) == {"Temadag 3: Fra forsøg til fast praksis", "Webseminar om påmindelser"}
    assert events["Temadag 3: Fra forsøg til fast praksis"] == (
        "Onsdag 20. januar 2027 kl. 09:30 · Mødecenter Vejle"
    )
    assert events["Webseminar om påmindelser"].endswith(" · Online")
    mail = EditionMailer(edition).render(None)
    assert "Onsdag 20. januar 2027 kl. 09:30 · Mødecenter Vejle</p>" in mail.html
    assert "Temadag 3: Fra forsøg til fast praksis (Temadag)\n  Onsdag 20. januar 2027" in mail.text
    edition.status, edition.send_started_at = EditionStatus.SENT, timezone.now()
    edition.save()
    archived = client.get(edition.get_absolute_url()).content.decode()
    assert "Onsdag 20. januar 2027 kl. 09:30 · Mødecenter Vejle" in archived


def test_filling_again_brings_a_moved_event_s_time_and_place_up_to_date():
    """An outside walk filled a draft, moved an event, and the draft kept the old day
    while a second fill said "Intet nyt"."""
    from network.models import WorkArea
    from projects.factories import create_event, create_project
    from projects.models import EventPage

    project = create_project("Digitale veje til job", visibility="public")
    project.work_areas.add(WorkArea.objects.get(slug="unge"))
    project.save()
    event = create_event(project, "Webseminar om video", days_ahead=20, kind="webinar")
    edition = EditionFactory()
    filling.fill(edition)
    item = edition.items.get(source_key=f"event-{event.pk}")
    item.summary = "Redaktionens egen tekst."
    item.save()
    moved = datetime.datetime(2027, 6, 16, 8, 0, tzinfo=datetime.UTC)
    EventPage.objects.filter(pk=event.pk).update(starts_at=moved, location="Online")

    result = filling.fill(edition)

    item.refresh_from_db()
    assert result.added == 0 and result.updated_when == 1
    assert item.when == "Onsdag 16. juni 2027 kl. 10:00 · Online"
    assert item.summary == "Redaktionens egen tekst."  # the editor's words stay
    assert filling.fill(edition).updated_when == 0


def test_a_members_newsletter_data_is_exported_and_erased_with_the_account(member):
    from network import personal_data

    SubscriberFactory(email=member.email, work_areas=["unge"])
    exported = personal_data.export(member)["newsletters"]
    assert exported["email"] == member.email and exported["work_areas"] == ["unge"]
    personal_data.delete_account(member)
    assert not Subscriber.objects.filter(email=member.email).exists()


def test_a_project_behind_a_wagtail_privacy_setting_is_no_news():
    """An editor can restrict a page in the admin (Privacy: login, password, groups).
    Such a project, its events and its logs must not go into the public archive."""
    from wagtail.models import PageViewRestriction

    from network.factories import UserFactory
    from projects.factories import create_event, create_log, create_project

    before = timezone.now() - datetime.timedelta(seconds=1)
    author = UserFactory()
    open_project = create_project("Zqåbent projekt", visibility="public", participants=[author])
    closed = create_project("Zqbeskyttet projekt", visibility="public", participants=[author])
    for project in (open_project, closed):
        create_event(project, f"Temadag i {project.title}")
        create_log(project, author, title=f"Forsøg i {project.title}", visibility="public")
    PageViewRestriction.objects.create(page=closed, restriction_type="password", password="x")
    source = {s.key: s for s in news_sources.sources()}["projects"]

    items = list(source.items(before))
    titles = " ".join(item.title for item in items)
    assert "Zqåbent projekt" in titles and "Zqbeskyttet" not in titles
    assert len(items) == 3  # the open project, its event and its log
    keys = {item.key for item in items}
    closed_keys = {f"project-{closed.pk}"}
    assert source.public_keys(keys | closed_keys) == keys
