"""GDPR self-service: download my data, delete my account (anonymised or removed)."""

import json

import pytest

from network.factories import UserFactory
from network.models import User
from projects.factories import create_event, create_log, create_project
from projects.models import TrialAction, TrialActionComment


@pytest.fixture
def active_member(db):
    member = UserFactory(
        email="gdpr@kommune.example",
        first_name="Gitte",
        last_name="Dahl",
        phone="+45 11 22 33 44",
        bio="Min bio",
    )
    peer = UserFactory(email="peer@kommune.example")
    project = create_project("GDPR-projekt", participants=[member, peer])
    log = create_log(project, member, title="Min prøvehandling", visibility="network")
    peer_log = create_log(project, peer, title="Kollegas prøvehandling")
    TrialActionComment.objects.create(trial_action=peer_log, author=member, text="Min kommentar")
    from projects import services

    services.sign_up(create_event(project), member)
    return {"member": member, "peer": peer, "project": project, "log": log, "peer_log": peer_log}


@pytest.mark.django_db
def test_member_downloads_all_their_data(client, active_member):
    from newsletters.models import Follow, Notification, NotificationSettings
    from projects.models import CommentReport

    member = active_member["member"]
    Follow.objects.create(
        user=member, kind="project", key=str(active_member["project"].pk), label="GDPR-projekt"
    )
    NotificationSettings.objects.get_or_create(user=member)
    Notification.objects.create(
        user=member,
        object_kind="trial_action",
        object_key=str(active_member["peer_log"].pk),
        title="Ny prøvehandling i projektet",
        url=active_member["peer_log"].get_absolute_url(),
        event_key="test",
    )
    peer_comment = TrialActionComment.objects.create(
        trial_action=active_member["peer_log"], author=active_member["peer"], text="Hm"
    )
    CommentReport.objects.create(comment=peer_comment, reporter=member, reason="Forkert sted")
    client.force_login(member)
    assert client.get("/profil/mine-data/").status_code == 200
    response = client.get("/profil/mine-data/?download=1")
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["profile"]["email"] == member.email and data["profile"]["phone"]
    assert data["projects"]["trial_actions"][0]["title"] == "Min prøvehandling"
    assert data["projects"]["comments"][0]["text"] == "Min kommentar"
    assert data["projects"]["event_registrations"][0]["status"] == "registered"
    assert data["projects"]["event_registrations"][0]["event"].startswith("Temadag")
    assert data["projects"]["projects"][0]["project"] == "GDPR-projekt"
    assert "newsletters" in data
    following = data["following"]  # what they follow, how often, what they were told
    assert following["follows"][0]["label"] == "GDPR-projekt"
    assert following["mail_frequency"] == "daily"
    assert [n["title"] for n in following["notifications"]] == ["Ny prøvehandling i projektet"]
    (report,) = data["projects"]["comment_reports"]
    assert report["reason"] == "Forkert sted" and report["trial_action"] == "Kollegas prøvehandling"
    assert data["profile"]["photo"] is None
    titles = [log["title"] for log in data["projects"]["trial_actions"]]
    assert titles == ["Min prøvehandling"]  # only their own logs (comments name the log)


@pytest.mark.django_db
def test_a_removed_member_s_download_holds_nothing_written_there_since(client, active_member):
    """An outside attacker had a coordinator remove a participant, then rename the
    participant's log, write in it and attach a file: the removed member's export
    still held all of it, and the new title of a log they had commented on."""
    from django.utils import timezone

    from projects.models import ProjectInvitation, ProjectParticipant

    member, project = active_member["member"], active_member["project"]
    project.visibility = "participants"
    project.save_revision().publish()
    ProjectInvitation.objects.create(
        project=project, email=member.email, accepted_at=timezone.now()
    )
    own = create_log(project, member, title="Min lukkede log")
    ProjectParticipant.objects.filter(user=member, project=project).delete()
    own.title, own.results = "HEMMELIG titel", "HEMMELIGT resultat"
    own.save()
    peer_log = active_member["peer_log"]
    peer_log.title = "HEMMELIG kollega"
    peer_log.save()
    project.title = "HEMMELIGT nyt navn"
    project.save_revision().publish()
    client.force_login(member)
    raw = client.get("/profil/mine-data/?download=1").content.decode()
    assert "HEMMELIG" not in raw
    data = json.loads(raw)["projects"]
    assert len(data["trial_actions"]) == 2  # both of theirs are named as theirs
    assert {log["title"] for log in data["trial_actions"]} == {"(du har ikke længere adgang)"}
    assert data["comments"][0]["text"] == "Min kommentar"  # what they wrote stays theirs
    assert data["comments"][0]["trial_action"] == "(du har ikke længere adgang)"


@pytest.mark.django_db
def test_delete_account_keeps_content_anonymised(client, active_member):
    member = active_member["member"]
    client.force_login(member)
    response = client.post("/profil/slet-konto/", {"mode": "anonymise", "password": "forkert"})
    assert "Adgangskoden er forkert" in response.content.decode()
    assert User.objects.filter(pk=member.pk).exists()
    response = client.post("/profil/slet-konto/", {"mode": "anonymise", "password": "kodeord-123"})
    assert response.status_code == 302
    assert not User.objects.filter(email=member.email).exists()
    log = TrialAction.objects.get(title="Min prøvehandling")
    assert log.author is None
    comment = TrialActionComment.objects.get(text="Min kommentar")
    assert comment.author is None
    client.force_login(active_member["peer"])
    text = client.get(active_member["peer_log"].get_absolute_url()).content.decode()
    assert "Min kommentar" in text and "Tidligere medlem" in text and "Gitte" not in text


@pytest.mark.django_db
def test_delete_account_removes_content_where_the_project_allows(client, active_member):
    member = active_member["member"]
    locked = create_project("Bevares", participants=[member])
    locked.members_may_remove_content = False
    locked.save()
    kept = create_log(locked, member, title="Skal bevares")
    client.force_login(member)
    client.post("/profil/slet-konto/", {"mode": "remove", "password": "kodeord-123"})
    assert not TrialAction.objects.filter(title="Min prøvehandling").exists()
    assert not TrialActionComment.objects.filter(text="Min kommentar").exists()
    kept.refresh_from_db()
    assert kept.author is None  # kept, but anonymised
    assert TrialAction.objects.filter(title="Kollegas prøvehandling").exists()


@pytest.mark.django_db
def test_the_export_reads_sign_ups_in_a_fixed_number_of_queries(active_member):
    """A review found two queries per event sign-up (each event's project)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from projects import personal_data, services

    member, project = active_member["member"], active_member["project"]

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            personal_data.export(member)
        return len(captured)

    queries()  # the member's permissions and roles are read once, then kept on them
    one = queries()
    for n in range(3):
        services.sign_up(create_event(project, f"Ekstra temadag {n}"), member)
    assert queries() == one
