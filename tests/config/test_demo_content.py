"""What a newcomer sees on a freshly seeded demo site (`make run`)."""

import pytest

from newsletters import filling
from newsletters.models import Edition
from projects.models import EventPage

pytestmark = pytest.mark.django_db


def test_fill_from_what_is_new_finds_the_demo_content(demo):
    """The archived demo edition used to be dated at seed time, so filling a new one
    found nothing new since."""
    edition = Edition.objects.create(subject="December")
    result = filling.fill(edition)
    assert edition.items.count() > 0, result


def test_events_have_their_own_texts_and_held_ones_their_slides(demo):
    events = list(EventPage.objects.live().order_by("starts_at"))
    assert len(events) >= 8
    assert len({e.summary for e in events}) == len(events)  # no copied description
    for event in events:
        titles = [item.title for item in event.agenda_items.all()]
        if event.kind == "webinar":
            assert "Frokost" not in titles, event.title  # an afternoon webinar has no lunch
        if not event.is_upcoming():
            assert event.materials.exists(), f"{event.title} was held but has no material"


def test_the_flagship_project_has_its_real_municipalities_and_organisations(demo):
    """../shared/DOMAIN.md: the 17 municipalities of *Digitale veje til job* and the
    organisations behind it."""
    from projects.models import ProjectPage

    project = ProjectPage.objects.get(title="Digitale veje til job")
    names = set(project.municipalities.values_list("name", flat=True))
    assert names == {
        "Skive", "Viborg", "Horsens", "Vejle", "Kolding", "Haderslev", "Esbjerg",
        "Faaborg-Midtfyn", "Slagelse", "Stevns", "Roskilde", "Halsnæs", "Greve",
        "Glostrup", "Gladsaxe", "Frederiksberg", "Hørsholm",
    }  # fmt: skip
    organisations = set(project.organisations.values_list("name", flat=True))
    assert organisations == {"Fremfærd Borger", "HK Kommunal", "KL", "Dansk Socialrådgiverforening"}
    # Every trial action is logged for one of the project's municipalities.
    assert set(project.trial_actions.values_list("municipality__name", flat=True)) <= names


def test_the_demo_index_holds_the_timeline_updates_of_trial_actions(client, demo):
    """The demo writes timeline updates directly; the seed indexes every object once at
    its end, so a word only an update has finds its trial action."""
    from projects.models import TrialActionUpdate

    update = TrialActionUpdate.objects.get(text__contains="booker nu selv")
    client.force_login(update.trial_action.author)
    results = client.get("/api/search/", {"q": "booker"}).json()["results"]
    assert update.trial_action.title in [r["title"] for r in results]


def test_demo_events_fall_on_working_days(demo):
    """No seeded theme day or webinar is on a weekend or at Christmas or New Year (an
    outside walk found theme days on a Saturday and on 2. juledag), whatever the day the
    demo is loaded: the seed's own rule is checked for two months of load dates too."""
    import datetime

    from django.utils import timezone

    from projects.demo import _working_day

    holidays = {(12, 24), (12, 25), (12, 26), (12, 31), (1, 1)}
    for event in EventPage.objects.all():
        day = timezone.localtime(event.starts_at).date()
        assert day.weekday() < 5 and (day.month, day.day) not in holidays, event.title
    start = datetime.date(2026, 12, 1)
    for n in range(60):
        wanted = start + datetime.timedelta(days=n)
        day = _working_day(wanted)
        assert day.weekday() < 5 and (day.month, day.day) not in holidays
        assert 0 <= (day - wanted).days <= 4


def test_demo_event_addresses_read_as_their_titles(demo):
    """Seeded events had addresses such as /arrangement-14-f/; the editor's and the
    import's events get theirs from the title, and so do the demo's now."""
    from network.text import danish_slugify

    for event in EventPage.objects.all():
        assert event.slug == danish_slugify(event.title), event.url_path


def test_demo_timelines_follow_their_trial_actions_start(demo):
    """An outside walk found updates and comments dated weeks before the trial action
    they belong to had started."""
    from django.utils import timezone

    from projects.models import TrialAction

    logs = TrialAction.objects.prefetch_related("updates", "comments")
    entries = 0
    for log in logs:
        for entry in [*log.updates.all(), *log.comments.all()]:
            entries += 1
            assert timezone.localtime(entry.created_at).date() >= log.started, log.title
            assert entry.created_at <= timezone.now()
        # A log under way was last edited no earlier than it started (a walk saw
        # "started 29 October" beside "last changed 9 October").
        if log.status != "planned":
            assert timezone.localtime(log.updated_at).date() >= log.started, log.title
        assert log.created_at <= log.updated_at
    assert entries >= 5


def test_the_demo_participant_s_followed_search_brings_no_old_results_as_news(client, demo):
    """An outside walk: the first time the notifications were opened, seven months-old
    results of the followed search *video* came as news (its first look was taken
    while the seed was not indexed yet)."""
    from django.contrib.auth import get_user_model

    me = get_user_model().objects.get(email="deltager@netvaerk.example")
    assert me.follows.filter(kind="search", key="q=video").exists()
    client.force_login(me)
    page = client.get("/varsler/").content.decode()
    assert "Nyt resultat for" not in page


def test_the_demo_subscribers_subscribed_before_the_archived_edition_went_out(demo):
    """An outside walk: *Bekræftet* today beside an edition sent two weeks ago."""
    from newsletters.models import EditionStatus, Subscriber

    sent = Edition.objects.get(status=EditionStatus.SENT)
    confirmed = Subscriber.objects.exclude(confirmed_at=None)
    assert confirmed.exists()
    assert all(s.confirmed_at < sent.send_started_at for s in confirmed)
