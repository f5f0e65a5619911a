"""The coordinator's dashboard (overblik): who may see it, its numbers, the CSV, the
activity chart, reminders to quiet municipalities, and a constant number of queries."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.shortcuts import resolve_url
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from network.factories import UserFactory
from network.models import Municipality
from projects.factories import create_event, create_log, create_project
from projects.models import (
    EventRegistration,
    ProjectParticipant,
    ProjectReminder,
    TrialAction,
    TrialActionComment,
    TrialActionUpdate,
)
from tests.shared import fresh_tree

from .conftest import make_people

VEJLE, KOLDING, SKIVE, HORSENS, AARHUS = "0630", "0621", "0779", "0615", "0751"

pytestmark = pytest.mark.django_db


def _m(code) -> Municipality:
    return Municipality.objects.get(code=code)


def _ago(now, **delta) -> datetime.datetime:
    return now - datetime.timedelta(**delta)


def _days_since(now, moment) -> int:
    return (timezone.localdate(now) - timezone.localdate(moment)).days


def _log(project, author, code, created, updated=None, **fields) -> TrialAction:
    log = create_log(project, author, municipality=code, **fields)
    # updated_at is auto_now: set both times with an update() that skips save().
    TrialAction.objects.filter(pk=log.pk).update(created_at=created, updated_at=updated or created)
    log.refresh_from_db()
    return log


def _register(event, user, status, when):
    return EventRegistration.objects.create(
        event=event, user=user, status=status, signed_up_at=when
    )


@pytest.fixture(scope="module")
def built(module_transaction, django_db_blocker):
    """The people and the world, built once for the module (each test rolls back its
    own changes)."""
    with django_db_blocker.unblock():
        people = make_people()
        return people, _world(people)


@pytest.fixture
def people(db, built):
    return fresh_tree(built[0])


@pytest.fixture
def world(db, built):
    return fresh_tree(built[1])


def _world(people):
    """A project in five municipalities, by hand, with known activity.

    Vejle, Kolding and Skive are the project's own municipalities; Horsens comes in
    through a participant, Aarhus through a log. The last event that has started
    began 10 days ago, so "since" is then:

    - Vejle: 2 participants; a log created 5 days ago (new), a log from 20 days ago
      with a timeline update 3 days ago (updated); signed up for the next event
      2 days ago. Active.
    - Kolding: 1 participant; a log from 40 days ago edited 2 days ago. Active.
    - Skive: 1 participant (and an inactive one); a log from 15 days ago (within 21
      days, but before the last event); a waiting-list entry 35 days ago; someone
      from Horsens commented on its log yesterday (that is Horsens's activity, not
      Skive's). Quiet.
    - Horsens: 1 participant, commented yesterday. Active.
    - Aarhus: no participants, a log from 50 days ago. Quiet.
    """
    now = timezone.now()
    coordinator, participant = people["coordinator"], people["participant"]
    for user in (coordinator, people["editor"], people["member"]):
        user.municipality = None
        user.save()
    participant.municipality = _m(VEJLE)
    participant.save()
    vejle_b = UserFactory(email="vejle.b@test.example", first_name="Vera", municipality=_m(VEJLE))
    kolding = UserFactory(email="kolding@test.example", first_name="Karl", municipality=_m(KOLDING))
    skive = UserFactory(email="skive@test.example", first_name="Sif", municipality=_m(SKIVE))
    skive_gone = UserFactory(
        email="skive.gone@test.example", first_name="Stig", municipality=_m(SKIVE)
    )
    skive_gone.is_active = False
    skive_gone.save()
    horsens = UserFactory(email="horsens@test.example", first_name="Hans", municipality=_m(HORSENS))
    project = create_project(
        "Digitale veje",
        visibility="public",
        coordinators=[coordinator],
        participants=[participant, vejle_b, kolding, skive, skive_gone, horsens],
        municipalities=(VEJLE, KOLDING, SKIVE),
    )
    first = create_event(project, "Temadag 1", days_ahead=-30)
    last = create_event(project, "Temadag 2", days_ahead=-10)
    upcoming = create_event(project, "Webseminar 3", days_ahead=10)
    events = [first, last, upcoming]

    _register(first, participant, "registered", _ago(now, days=35))
    _register(first, vejle_b, "registered", _ago(now, days=35))
    _register(first, kolding, "registered", _ago(now, days=35))
    _register(first, skive, "waitlisted", _ago(now, days=35))
    _register(last, participant, "registered", _ago(now, days=15))
    _register(last, kolding, "cancelled", _ago(now, days=15))
    _register(upcoming, vejle_b, "registered", _ago(now, days=2))

    vejle_old = _log(project, participant, VEJLE, _ago(now, days=20))
    TrialActionUpdate.objects.create(
        trial_action=vejle_old, author=participant, text="Nyt.", created_at=_ago(now, days=3)
    )
    _log(project, vejle_b, VEJLE, _ago(now, days=5))
    _log(project, kolding, KOLDING, _ago(now, days=40), updated=_ago(now, days=2))
    skive_log = _log(project, skive, SKIVE, _ago(now, days=15))
    _log(project, coordinator, AARHUS, _ago(now, days=50))
    horsens_comment = TrialActionComment.objects.create(
        trial_action=skive_log, author=horsens, text="Spændende!", created_at=_ago(now, days=1)
    )
    TrialActionComment.objects.create(
        trial_action=skive_log, author=coordinator, text="Godt.", created_at=_ago(now, hours=1)
    )
    return {
        "now": now,
        "project": project,
        "events": events,
        "users": {
            "vejle_a": participant,
            "vejle_b": vejle_b,
            "kolding": kolding,
            "skive": skive,
            "skive_gone": skive_gone,
            "horsens": horsens,
        },
        "horsens_comment": horsens_comment,
        "since": last.starts_at,
    }


def _url(project, route=""):
    return project.url + "overblik/" + route


def _csv(response) -> list[list[str]]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%d.%m.%Y %H:%M")


# -- who may see it -----------------------------------------------------------------


ROUTES = ("", "csv/", "paamindelse/")


@pytest.mark.parametrize(
    "role, status",
    [
        ("anonymous", 302),
        ("member", 403),
        ("other_participant", 403),
        ("participant", 403),
        ("coordinator", 200),
        ("editor", 200),
    ],
)
def test_only_coordinators_and_editors_get_the_dashboard(client, people, world, role, status):
    if role == "other_participant":  # takes part in another project, not this one
        create_project("Andet projekt", participants=[people["other_participant"]])
    if people[role]:
        client.force_login(people[role])
    for route in ROUTES:
        response = client.get(_url(world["project"], route))
        assert response.status_code == status, route
        if status == 302:
            assert response["Location"].startswith(resolve_url(settings.LOGIN_URL) + "?next=")
    if status == 200:
        assert "Overblik: Digitale veje" in client.get(_url(world["project"])).content.decode()


def test_a_project_the_user_may_not_see_is_not_found(client, people):
    project = create_project(
        "Lukket", visibility="participants", coordinators=[people["coordinator"]]
    )
    for route in ROUTES:
        client.logout()
        assert client.get(_url(project, route)).status_code == 404
        client.force_login(people["member"])
        assert client.get(_url(project, route)).status_code == 404
        client.force_login(people["coordinator"])
        assert client.get(_url(project, route)).status_code == 200


def test_a_participant_cannot_send_a_reminder(client, people, world):
    client.force_login(people["participant"])
    response = client.post(
        _url(world["project"], "paamindelse/"),
        {
            "action": "send",
            "key": "k" * 43,
            "subject": "Hej",
            "message": "Kom nu",
            "municipalities": [str(_m(SKIVE).pk)],
        },
    )
    assert response.status_code == 403
    assert mail.outbox == [] and not ProjectReminder.objects.exists()


@pytest.mark.parametrize(
    "role, shown",
    [("participant", False), ("member", False), ("coordinator", True), ("editor", True)],
)
def test_the_project_page_links_to_the_dashboard_only_for_those_who_may_see_it(
    client, people, world, role, shown
):
    client.force_login(people[role])
    page = client.get(world["project"].url).content.decode()
    assert (f'href="{_url(world["project"])}"' in page) is shown


# -- the numbers --------------------------------------------------------------------


def test_csv_holds_the_numbers_of_the_hand_built_scenario(client, people, world):
    client.force_login(people["coordinator"])
    response = client.get(_url(world["project"], "csv/"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    header, *rows = _csv(response)
    first, last, upcoming = world["events"]
    since = _local(world["since"])
    assert header == [
        "Kommune",
        "Kommunekode",
        "Deltagere",
        f"Tilmeldt: Temadag 1 ({_local(first.starts_at)})",
        f"Tilmeldt: Temadag 2 ({_local(last.starts_at)})",
        f"Tilmeldt: Webseminar 3 ({_local(upcoming.starts_at)})",
        f"Nye prøvehandlinger siden {since}",
        f"Opdaterede prøvehandlinger siden {since}",
        "Seneste aktivitet",
        "Dage siden seneste aktivitet",
        "Stille",
        "Uden for projektets kommuner",
    ]
    now = world["now"]
    latest = {
        "Vejle": _ago(now, days=2),  # sign-up for the upcoming event
        "Kolding": _ago(now, days=2),  # log edited
        "Skive": _ago(now, days=15),  # its log created; the comment on it is Horsens's
        "Horsens": world["horsens_comment"].created_at,
        "Aarhus": _ago(now, days=50),
    }
    by_name = {row[0]: row for row in rows}
    # Danish order: Aarhus (Å) comes last.
    assert [row[0] for row in rows] == ["Horsens", "Kolding", "Skive", "Vejle", "Aarhus"]
    expected = {
        # name: code, participants, attendance per event, new, updated, quiet
        "Aarhus": (AARHUS, "0", ["0", "0", "0"], "0", "0", "ja"),
        "Horsens": (HORSENS, "1", ["0", "0", "0"], "0", "0", "nej"),
        "Kolding": (KOLDING, "1", ["1", "0", "0"], "0", "1", "nej"),
        "Skive": (SKIVE, "1", ["0", "0", "0"], "0", "0", "ja"),
        "Vejle": (VEJLE, "2", ["2", "1", "1"], "1", "1", "nej"),
    }
    for name, (code, participants, attendance, new, updated, quiet) in expected.items():
        row = by_name[name]
        moment = latest[name]
        assert row == [
            name,
            code,
            participants,
            *attendance,
            new,
            updated,
            _local(moment),  # Europe/Copenhagen
            str(_days_since(now, moment)),
            quiet,
            "ja" if name in ("Aarhus", "Horsens") else "nej",
        ], name


def _table_rows(html: str) -> dict[str, bool]:
    """Municipality name -> (flagged quiet, cells), from the dashboard's table."""
    found = re.findall(
        r'<tr role="row"( class="is-quiet")?>\s*<th scope="row" role="rowheader">'
        r'<a href="/kommuner/[^"]+/">([^<]+)</a>(?:<br><span class="meta">[^<]*</span>)?'
        r"</th>(.*?)</tr>",
        html,
        re.S,
    )
    return {name: (bool(quiet), cells) for quiet, name, cells in found}


def _outside(html: str) -> set[str]:
    """The municipalities the table marks as outside the project's own."""
    return set(
        re.findall(
            r'<a href="/kommuner/[^"]+/">([^<]+)</a><br><span class="meta">'
            r"uden for projektets kommuner</span>",
            html,
        )
    )


def test_the_page_flags_the_quiet_municipalities_and_states_the_rule(client, people, world):
    client.force_login(people["coordinator"])
    html = client.get(_url(world["project"])).content.decode()
    # Counted as the table counts (participants with a municipality), and said so: the
    # project page's Deltagere (n) also counts coordinators (an outside walk saw 6 vs 5).
    assert "<strong>5</strong> deltagere fra kommunerne" in html
    rows = _table_rows(html)
    assert {name: quiet for name, (quiet, _) in rows.items()} == {
        "Aarhus": True,
        "Horsens": False,
        "Kolding": False,
        "Skive": True,
        "Vejle": False,
    }
    assert 'class="dash-flag dash-flag--quiet">Stille<' in rows["Skive"][1]
    assert 'class="dash-flag dash-flag--active">Aktiv<' in rows["Vejle"][1]
    # Vejle's cells: participants, the three events, new, updated.
    numbers = re.findall(r'class="num[^"]*" data-label="[^"]*">(\d+)</td>', rows["Vejle"][1])
    assert numbers == ["2", "2", "1", "1", "1", "1"]
    assert "En kommune er <strong>stille</strong>, når ingen fra kommunen" in html
    assert "siden sidste arrangement begyndte" in html
    assert "Temadag 2</a>, der begyndte" in html
    assert "2 kommuner er stille lige nu" in html
    # Horsens (a participant) and Aarhus (a log) are counted, but said to be outside the
    # project's own three, which the project page lists (an outside walk saw 18 vs 17).
    assert _outside(html) == {"Aarhus", "Horsens"}
    assert "<strong>5</strong> kommuner (2 uden for projektets kommuner)" in html
    assert "Kommunerne (5, heraf 2 stille og 2 uden for projektets kommuner)" in html
    # One new log is one, in the singular (a walk read "1 nye prøvehandlinger").
    assert "<strong>1</strong> ny prøvehandling<" in html
    assert "<strong>2</strong> opdaterede prøvehandlinger<" in html


def test_without_an_event_quiet_means_nothing_in_21_days(client, people):
    now = timezone.now()
    coordinator = people["coordinator"]
    project = create_project("Ny start", coordinators=[coordinator], municipalities=(VEJLE,))
    create_event(project, "Senere", days_ahead=5)  # has not started: no reference event
    _log(project, coordinator, KOLDING, _ago(now, days=20))
    _log(project, coordinator, SKIVE, _ago(now, days=22))
    client.force_login(coordinator)
    html = client.get(_url(project)).content.decode()
    quiet = {name: q for name, (q, _) in _table_rows(html).items()}
    assert quiet == {"Kolding": False, "Skive": True, "Vejle": True}
    assert "i de seneste 21 dage (der er ikke holdt noget arrangement endnu)" in html
    rows = {row[0]: row for row in _csv(client.get(_url(project, "csv/")))[1:]}
    assert rows["Kolding"][-6:-4] == ["1", "0"]  # created within the 21 days: new
    assert rows["Skive"][-6:-4] == ["0", "0"]


# -- the chart ----------------------------------------------------------------------


def test_activity_chart_is_accessible_svg_with_the_same_numbers_in_a_table(client, people, world):
    client.force_login(people["coordinator"])
    html = client.get(_url(world["project"])).content.decode()
    svg = re.search(r"<svg[^>]*>.*?</svg>", html, re.S).group(0)
    opening = re.match(r"<svg[^>]*>", svg).group(0)
    assert 'role="img"' in opening
    labelled_by = re.search(r'aria-labelledby="([^"]+)"', opening).group(1).split()
    title = re.search(r'<title id="([^"]+)">([^<]+)</title>', svg)
    desc = re.search(r'<desc id="([^"]+)">([^<]+)</desc>', svg)
    assert labelled_by == [title.group(1), desc.group(1)]
    assert title.group(2) == "Aktivitet pr. uge i Digitale veje"
    # 5 logs, 1 timeline update, 2 comments in the scenario.
    assert "I alt 5 nye prøvehandlinger, 1 opdatering og 2 kommentarer." in desc.group(2), (
        desc.group(2)
    )
    assert "<script" not in svg

    table = re.search(r"<caption[^>]*>Aktivitet pr. uge</caption>(.*?)</table>", html, re.S).group(
        1
    )
    weeks = re.findall(
        r'<tr><th scope="row">Uge&nbsp;(\d+) <span class="meta">\(([^)]+)\)</span></th>'
        r'<td class="num">(\d+)</td><td class="num">(\d+)</td><td class="num">(\d+)</td>'
        r'<td class="num">(\d+)</td></tr>',
        table,
    )
    assert weeks
    cells = [tuple(int(n) for n in week[2:]) for week in weeks]
    assert [sum(c[0] for c in cells), sum(c[1] for c in cells), sum(c[2] for c in cells)] == [
        5,
        1,
        2,
    ]
    assert all(logs + updates + comments == total for logs, updates, comments, total in cells)
    # One bar segment per non-zero number, each week a group of them.
    assert svg.count("<rect") == sum(1 for c in cells for n in c[:3] if n)
    assert svg.count("<g>") == sum(1 for c in cells if c[3])
    # The week of the Vejle log created 5 days ago holds it.
    created = timezone.localdate(_ago(world["now"], days=5))
    monday = created - datetime.timedelta(days=created.weekday())
    label = f"{monday.day}/{monday.month} {monday.year}"
    assert any(week[1] == label and int(week[2]) >= 1 for week in weeks)


# -- reminders ----------------------------------------------------------------------


def _key(html: str) -> str:
    return re.search(r'name="key" value="([^"]+)"', html).group(1)


def test_reminder_preview_send_and_listed_and_a_second_post_sends_nothing(client, people, world):
    project = world["project"]
    client.force_login(people["coordinator"])
    url = _url(project, "paamindelse/")

    form = client.get(url).content.decode()
    boxes = {
        value: "checked" in attrs
        for value, attrs in re.findall(
            r'<input type="checkbox" name="municipalities" value="(\d+)"([^>]*)>', form
        )
    }
    # Municipalities with participants; the quiet one with participants is ticked.
    assert boxes == {
        str(_m(HORSENS).pk): False,
        str(_m(KOLDING).pk): False,
        str(_m(SKIVE).pk): True,
        str(_m(VEJLE).pk): False,
    }
    assert str(_m(AARHUS).pk) not in boxes  # quiet, but nobody to write to

    chosen = [str(_m(SKIVE).pk), str(_m(HORSENS).pk)]
    data = {
        "subject": "Husk <b>prøvehandlingerne</b>\nnu",
        "message": "Kære alle\n\nHvordan går det? <script>alert(1)</script>Skriv en opdatering.",
        "municipalities": chosen,
    }
    preview = client.post(url, {**data, "action": "preview"})
    assert preview.status_code == 200
    text = preview.content.decode()
    assert "Send til 2 personer" in text and "Skive" in text and "Horsens" in text
    assert "Husk &lt;b&gt;prøvehandlingerne&lt;/b&gt; nu" in text  # one line, as text
    assert "Hvordan går det? &lt;script&gt;alert(1)&lt;/script&gt;Skriv en opdatering." in text
    assert "<script>alert" not in text and "<b>prøve" not in text
    assert f"går svaret til dig ({people['coordinator'].email})" in text
    assert mail.outbox == [] and not ProjectReminder.objects.exists()

    key = _key(text)
    sent = client.post(url, {**data, "action": "send", "key": key})
    assert sent.status_code == 302
    assert sent["Location"] == _url(project) + "#paamindelser"
    assert sorted(m.to[0] for m in mail.outbox) == ["horsens@test.example", "skive@test.example"]
    assert all(len(m.to) == 1 and not m.cc and not m.bcc for m in mail.outbox)
    # The mail asks them to write back: a reply reaches the coordinator, not no-reply.
    assert all(m.reply_to == [people["coordinator"].email] for m in mail.outbox)
    message = mail.outbox[0]
    assert message.subject == "Husk <b>prøvehandlingerne</b> nu"  # plain text, as typed
    assert "Kære alle\n\nHvordan går det? <script>alert(1)</script>Skriv" in message.body
    assert f"{settings.SITE_URL}{project.url}" in message.body

    again = client.post(url, {**data, "action": "send", "key": key})
    assert again.status_code == 302
    assert len(mail.outbox) == 2
    reminder = ProjectReminder.objects.get()
    assert reminder.recipient_count == 2 and reminder.sender == people["coordinator"]
    assert set(reminder.municipalities.values_list("code", flat=True)) == {SKIVE, HORSENS}

    dashboard = client.get(_url(project)).content.decode()
    listed = re.search(r"<caption>Sendte påmindelser</caption>(.*?)</table>", dashboard, re.S)
    row = listed.group(1)
    assert "Husk &lt;b&gt;prøvehandlingerne&lt;/b&gt; nu" in row and "Kim" in row
    assert 'data-label="Modtagere">2<' in row
    assert "Horsens, Skive" in row
    assert timezone.localtime(reminder.sent_at).strftime("kl. %H:%M") in row


def test_reminder_needs_a_preview_key_valid_choices_and_text(client, people, world):
    project = world["project"]
    client.force_login(people["coordinator"])
    url = _url(project, "paamindelse/")
    skive = str(_m(SKIVE).pk)
    base = {"subject": "Hej", "message": "Kom i gang", "municipalities": [skive]}

    # "Send" without a (valid) key only shows the preview.
    for key in (None, "kort", "x" * 43 + "<"):
        data = {**base, "action": "send"} | ({"key": key} if key else {})
        response = client.post(url, data)
        assert response.status_code == 200
        assert "Se påmindelsen, før den sendes" in response.content.decode()
    assert mail.outbox == [] and not ProjectReminder.objects.exists()

    nothing = client.post(url, {**base, "action": "preview", "municipalities": []})
    assert "Vælg mindst én kommune." in nothing.content.decode()
    outside = client.post(url, {**base, "action": "preview", "municipalities": [_m(AARHUS).pk]})
    assert "Vælg kun kommuner fra listen." in outside.content.decode()
    empty = client.post(url, {**base, "action": "preview", "message": " \r\n \u202e "})
    assert "kun usynlige tegn" in empty.content.decode()  # every text field says so
    assert mail.outbox == []


def test_inactive_people_coordinators_and_other_municipalities_get_no_reminder(
    client, people, world
):
    project = world["project"]
    for person in (people["coordinator"], people["member"], people["editor"]):
        person.municipality = _m(SKIVE)  # from Skive, but not a participant there
        person.save()
    client.force_login(people["editor"])
    url = _url(project, "paamindelse/")
    data = {"subject": "Hej", "message": "Kom i gang", "municipalities": [str(_m(SKIVE).pk)]}
    key = _key(client.post(url, {**data, "action": "preview"}).content.decode())
    client.post(url, {**data, "action": "send", "key": key})
    # Not the inactive participant, the coordinator, a plain member or the sender.
    assert [m.to for m in mail.outbox] == [["skive@test.example"]]


# -- constant queries ---------------------------------------------------------------


CODES = (VEJLE, KOLDING, SKIVE, HORSENS, AARHUS, "0223", "0101", "0147")


def _project_of(size_m, size_e, coordinator):
    now = timezone.now()
    codes = CODES[:size_m]
    project = create_project(
        f"Projekt med {size_m} kommuner", coordinators=[coordinator], municipalities=codes
    )
    events = [create_event(project, days_ahead=d) for d in range(-5 * size_e, 0, 5)]
    for i, code in enumerate(codes):
        person = UserFactory(email=f"p{size_m}-{i}@test.example", municipality=_m(code))
        ProjectParticipant.objects.create(project=project, user=person, role="participant")
        for event in events:
            _register(event, person, "registered", _ago(now, days=i + 1))
        log = _log(project, person, code, _ago(now, days=i + 3))
        TrialActionUpdate.objects.create(trial_action=log, author=person, text="x")
        TrialActionComment.objects.create(trial_action=log, author=person, text="y")
    ProjectReminder.objects.create(
        project=project, sender=coordinator, subject="s", body="b", key=f"k{size_m}" * 10
    ).municipalities.set([_m(c) for c in codes])
    return project


def test_dashboard_answers_in_a_constant_number_of_queries(client, people):
    coordinator = people["coordinator"]
    small = _project_of(2, 2, coordinator)
    large = _project_of(8, 5, coordinator)
    client.force_login(coordinator)
    counts = {}
    for project in (small, large):
        for route in ("", "csv/", "paamindelse/"):
            client.get(_url(project, route))  # warm caches (site, content types)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(_url(project, route))
            assert response.status_code == 200
            counts[project.pk, route] = len(queries)
    for route in ("", "csv/", "paamindelse/"):
        assert counts[small.pk, route] == counts[large.pk, route], (route, counts)
    # The large one really is larger.
    rows = _csv(client.get(_url(large, "csv/")))
    assert len(rows) == 1 + 8 and len(rows[0]) == 3 + 5 + 6


def test_sign_ups_from_no_municipality_of_the_table_are_shown_apart(client, people, world):
    """An outside editor walk: a member from outside the project signed up; the event
    page said "1 af 30", the dashboard showed 0 everywhere."""
    first, last, upcoming = world["events"]
    _register(upcoming, people["member"], "registered", _ago(world["now"], days=1))  # none
    odense = UserFactory(email="odense@test.example", first_name="Otto", municipality=_m("0461"))
    _register(upcoming, odense, "registered", _ago(world["now"], days=1))
    _register(upcoming, people["editor"], "waitlisted", _ago(world["now"], days=1))
    client.force_login(people["coordinator"])
    html = client.get(_url(world["project"])).content.decode()
    footer = re.search(r"<tfoot.*?</tfoot>", html, re.S).group(0)
    assert "Andre tilmeldte" in footer
    assert re.findall(r'class="num dash-event"[^>]*>(\d+)<', footer) == ["0", "0", "2"]
    assert "Odense" not in _table_rows(html)  # not a row: it has no participant or log
    rows = _csv(client.get(_url(world["project"], "csv/")))
    assert rows[-1][:6] == [
        "Andre tilmeldte (andre kommuner eller ingen kommune)",
        "",
        "",
        "0",
        "0",
        "2",
    ]
