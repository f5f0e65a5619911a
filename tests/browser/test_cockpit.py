"""The cockpit journey in Chromium: a participant lands on Mit overblik, follows another
municipality's log, its author adds an update, and the notification shows in the
site with the unread count, in the digest and in the private feed."""

import re

import pytest
from django.core import mail

from network.factories import UserFactory
from projects.factories import create_event, create_log, create_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, base, email):
    page.goto(base + "/konto/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label(re.compile("^Adgangskode")).fill("kodeord-123")
    page.get_by_role("button", name="Log ind").click()
    page.get_by_role("navigation", name="Konto").wait_for()


def test_follow_a_log_and_be_told_everywhere(live_server, browser):
    from network.models import Municipality
    from newsletters import digests
    from newsletters.following import settings_for

    aarhus = Municipality.objects.get(code="0751")
    viborg = Municipality.objects.get(code="0791")
    reader = UserFactory(email="rikke@kommune.example", first_name="Rikke", municipality=aarhus)
    author = UserFactory(email="viggo@kommune.example", first_name="Viggo", municipality=viborg)
    project = create_project("Digitale veje til job", participants=[reader, author])
    create_event(project, "Temadag 3", days_ahead=14)
    log = create_log(
        project,
        author,
        title="Selvbooking af første samtale",
        municipality="0791",
        visibility="participants",
    )

    context = browser.new_context(locale="da-DK", viewport={"width": 390, "height": 844})
    page = context.new_page()
    _login(page, live_server.url, reader.email)
    # 1. Lands on Mit overblik.
    page.get_by_role("heading", name="Mit overblik", level=1).wait_for()
    assert page.url.endswith("/overblik/")
    assert "Inden Temadag 3" in page.content()
    # 2. Follows another municipality's log.
    page.goto(live_server.url + log.get_absolute_url())
    page.get_by_role("button", name=re.compile("^Følg")).click()
    page.get_by_role("button", name=re.compile("^Følger")).wait_for()

    # 3. Its author adds an update.
    other = browser.new_context(locale="da-DK")
    author_page = other.new_page()
    _login(author_page, live_server.url, author.email)
    author_page.goto(live_server.url + log.get_absolute_url())
    author_page.get_by_label("Ny opdatering").fill("Tre ud af fire booker nu selv.")
    author_page.get_by_role("button", name=re.compile("opdatering", re.I)).click()
    author_page.get_by_text("Tre ud af fire booker nu selv.").first.wait_for()
    other.close()

    # 4. The notification appears, with the unread count in the header.
    page.goto(live_server.url + "/overblik/")
    account = page.get_by_role("navigation", name="Konto")
    assert re.search(r"Varsler\s*1\s*ulæste", account.inner_text())
    page.get_by_role("link", name=re.compile("^Varsler")).click()
    page.get_by_role("link", name=re.compile("Ny opdatering på »Selvbooking")).wait_for()
    page.screenshot(path="/tmp/cockpit-varsler-390.png", full_page=True)

    # 5. The digest holds it, and the private feed does too.
    mail.outbox.clear()
    assert digests.send_due() == 1
    assert "Tre ud af fire booker nu selv." in mail.outbox[0].body
    token = settings_for(reader).feed_token
    page.goto(live_server.url + f"/varsler/feed/{token}/")
    assert "Tre ud af fire booker nu selv." in page.content()
    context.close()
