"""`manage.py runserver <port>` puts the links in mails where it serves (found by an
outside walk: a plain runserver on 8602 mailed links to port 8000, so no confirmation
or invitation could be followed)."""

import pytest
from django.conf import settings as live_settings
from django.core import mail
from django.core.management import get_commands
from wagtail.models import Site

from config.home.management.commands.runserver import follow_served_address
from tests.newsletters.utils import subscribe

pytestmark = pytest.mark.django_db

BASES = ("SITE_URL", "WAGTAILADMIN_BASE_URL", "WAGTAILAPI_BASE_URL")


@pytest.fixture
def plain_runserver(monkeypatch):
    """No SITE_URL or PORT in the environment; settings put back afterwards."""
    monkeypatch.delenv("SITE_URL", raising=False)
    monkeypatch.delenv("PORT", raising=False)
    for name in BASES:
        monkeypatch.setattr(live_settings, name, getattr(live_settings, name))


def test_runserver_is_the_one_that_follows_its_port():
    assert get_commands()["runserver"] == "config.home"


def test_mail_links_and_the_wagtail_site_follow_the_served_port(client, plain_runserver):
    assert follow_served_address("0.0.0.0", "8602") == "http://127.0.0.1:8602"
    assert [getattr(live_settings, name) for name in BASES] == ["http://127.0.0.1:8602"] * 3
    assert Site.objects.get(is_default_site=True).root_url == "http://127.0.0.1:8602"
    subscribe(client, "port@kommune.example", "unge")
    [message] = mail.outbox
    assert "http://127.0.0.1:8602/nyhedsbrev/bekraeft/" in message.body


def test_a_site_url_or_port_set_by_hand_wins(plain_runserver, monkeypatch):
    before = live_settings.SITE_URL
    monkeypatch.setenv("PORT", "8080")  # as `make run PORT=8080` exports it
    assert follow_served_address("127.0.0.1", "8602") is None
    assert live_settings.SITE_URL == before
