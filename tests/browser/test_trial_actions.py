import re

import pytest

from network.factories import UserFactory
from projects.factories import create_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, base, email):
    page.goto(base + "/konto/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label(re.compile("^Adgangskode")).fill("kodeord-123")
    page.get_by_role("button", name="Log ind").click()
    page.get_by_role("navigation", name="Konto").wait_for()


def test_participant_creates_a_trial_action_and_another_comments(live_server, browser):
    from network.models import Municipality

    author = UserFactory(
        email="dorte@kommune.example",
        first_name="Dorte",
        last_name="Dam",
        municipality=Municipality.objects.get(code="0751"),
    )
    peer = UserFactory(email="ole@kommune.example", first_name="Ole", last_name="Olsen")
    project = create_project(
        "Digitale veje", visibility="participants", participants=[author, peer]
    )

    context = browser.new_context(locale="da-DK")
    page = context.new_page()
    _login(page, live_server.url, author.email)
    page.goto(live_server.url + project.url)
    page.get_by_role("link", name="Ny prøvehandling").first.click()
    page.get_by_label("Titel").fill("Videosamtaler med sygemeldte")
    page.get_by_label("Formål og hypotese").fill("Flere møder op, når de kan vælge video.")
    page.get_by_label("I gang").check()
    page.get_by_role("button", name="Gem prøvehandling").click()
    page.get_by_role("heading", name="Videosamtaler med sygemeldte").wait_for()
    log_url = page.url
    context.close()

    context = browser.new_context(locale="da-DK")
    page = context.new_page()
    _login(page, live_server.url, peer.email)
    page.goto(log_url)
    page.get_by_label("Din kommentar").fill("Hvordan sendte I linket til borgerne?")
    page.get_by_role("button", name="Send kommentar").click()
    comments = page.locator("#kommentarer")
    comments.get_by_text("Hvordan sendte I linket til borgerne?").wait_for()
    assert "Ole Olsen" in comments.inner_text()
    context.close()
