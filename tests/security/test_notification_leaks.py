"""Notifications are deliveries too: the list, the header count, Mit overblik, the
e-mail digest and the private feed must never carry what the member may not see."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("run_on_commit")]


def _surfaces(user) -> str:
    """Everything a member is told, as one text: site, digest and feed."""
    from newsletters import digests
    from newsletters.following import settings_for

    client = Client()
    client.force_login(user)
    text = client.get("/varsler/").content.decode()
    text += client.get("/overblik/").content.decode()
    token = settings_for(user).feed_token
    text += Client().get(f"/varsler/feed/{token}/").content.decode()
    mail.outbox.clear()
    digests.send_due()
    text += "".join(m.subject + m.body for m in mail.outbox if m.to == [user.email])
    return text


def test_followers_hear_only_what_they_may_see(private_world):
    from network.factories import UserFactory
    from projects.models import ProjectParticipant, TrialActionComment, TrialActionUpdate

    world = private_world
    outsider, owner = world["users"]["outsider"], world["users"]["owner"]
    insider = UserFactory(email="indenfor@test.example")
    ProjectParticipant.objects.create(project=world["public"], user=insider, role="participant")
    inner = world["inner_log"]
    hidden_log = world["hidden_log"]
    for user in (outsider, insider):
        client = Client()
        client.force_login(user)
        for kind, key in (
            ("project", world["public"].pk),
            ("municipality", inner.municipality.code),
            ("search", "q=zqnewupdatex"),
        ):
            assert client.post("/varsler/foelg/", {"kind": kind, "key": key}).status_code == 302
    # Private happenings, each with a marker of its own.
    TrialActionUpdate.objects.create(trial_action=inner, author=owner, text="Nyt zqnewupdatex")
    TrialActionComment.objects.create(trial_action=inner, author=owner, text="Svar zqnewcommentx")
    TrialActionUpdate.objects.create(trial_action=hidden_log, author=owner, text="Lukket zqclosedx")
    TrialActionComment.objects.create(
        trial_action=world["hidden_comment"].trial_action,
        author=owner,
        text="Skjult zqhiddennewx",
        hidden_at=world["hidden_comment"].hidden_at,
    )
    from config.home.wiring import refresh_saved_searches

    refresh_saved_searches()
    told = _surfaces(outsider)
    for marker in ("zqnewupdatex", "zqnewcommentx", "zqclosedx", "zqhiddennewx", "zqinnertitlex"):
        assert marker not in told, marker
    # The control: a participant of the same project hears of it, in every place.
    insider_told = _surfaces(insider)
    assert "zqinnertitlex" in insider_told
    assert insider_told.count("Nyt zqnewupdatex") >= 2  # list and overview, digest or feed


def test_a_feed_token_is_the_only_key(private_world):
    from newsletters.following import settings_for

    outsider = private_world["users"]["outsider"]
    token = settings_for(outsider).feed_token
    assert Client().get(f"/varsler/feed/{token}/").status_code == 200
    assert Client().get(f"/varsler/feed/{token[:-1]}x/").status_code == 404
    assert Client().get("/varsler/feed/x/").status_code == 404
    assert Client().get("/varsler/stop/forkert/").status_code == 404
