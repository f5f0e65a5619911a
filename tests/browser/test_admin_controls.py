"""The Wagtail admin's own scripts run: the editor's buttons and pickers do something.

The public site forbids inline scripts (Content-Security-Policy `script-src 'self'`);
Wagtail's admin needs them, and gets its own policy (config.middleware.SiteCSPMiddleware).
When that policy was not applied, the admin looked right but "Tilføj punkt", the date
picker and the choosers did nothing. So these tests click them in a real browser."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from network.factories import UserFactory
from tests.browser.test_trial_actions import _login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def editor_page(live_server, page):
    editor = UserFactory(email="redaktion@kommune.example", is_superuser=True, is_staff=True)
    blocked = []
    page.on(
        "console",
        lambda message: (
            blocked.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    _login(page, live_server.url, editor.email)
    page.blocked = blocked
    return page


def test_an_editor_adds_an_item_to_a_newsletter_edition(live_server, editor_page):
    page = editor_page
    page.goto(live_server.url + "/admin/nyhedsbreve/udgaver/new/")
    total = page.locator("#id_items-TOTAL_FORMS")
    assert total.input_value() == "0"
    page.get_by_role("button", name="Tilføj punkt").first.click()
    page.wait_for_function("document.getElementById('id_items-TOTAL_FORMS').value === '1'")
    assert page.locator("#id_items-0-title").is_visible()
    assert page.blocked == []


def test_an_editor_picks_a_date_on_an_experience(live_server, editor_page):
    from experiences.services import get_index_page

    index = get_index_page()
    page = editor_page
    page.goto(live_server.url + f"/admin/pages/add/experiences/experiencepage/{index.pk}/")
    page.locator("#id_published_date").click()
    page.locator(".xdsoft_datetimepicker >> visible=true").first.wait_for()
    assert page.blocked == []


def test_a_typed_date_the_picker_cannot_read_is_kept_and_read_by_the_form(live_server, editor_page):
    """An outside walk typed "2027-02-10 09:00" into an event's start: on leaving the
    field the picker put the present moment there, and the event was published as
    held. Now the typed text stays, and the form reads it (or says it cannot)."""
    from projects.factories import create_project
    from projects.models import EventPage

    project = create_project("Digitale veje til job", visibility="public")
    page = editor_page
    page.goto(live_server.url + f"/admin/pages/add/projects/eventpage/{project.pk}/")
    page.fill("#id_title", "Temadag om video")
    for field, typed in (("#id_starts_at", "2027-02-10 09:00"), ("#id_ends_at", "10.2.2027 15.30")):
        page.locator(field).click()
        page.keyboard.type(typed)
        page.locator("#id_title").click()
        assert page.locator(field).input_value() == typed
    page.get_by_role("button", name="Gem kladde").click()
    page.wait_for_url("**/edit/**")
    event = EventPage.objects.get(title="Temadag om video")
    starts, ends = (timezone.localtime(moment) for moment in (event.starts_at, event.ends_at))
    assert (starts.year, starts.month, starts.day, starts.hour) == (2027, 2, 10, 9)
    assert (ends.day, ends.hour, ends.minute) == (10, 15, 30)

    page.locator("#id_starts_at").fill("")
    page.locator("#id_starts_at").click()
    page.keyboard.type("i morgen")
    page.locator("#id_title").click()
    page.get_by_role("button", name="Gem kladde").click()
    expect(page.get_by_text("Indtast gyldig dato/tid.").first).to_be_visible()
    assert EventPage.objects.get(pk=event.pk).starts_at == event.starts_at


def test_the_newsletter_preview_fits_a_phone(live_server, editor_page):
    """At 390 px the test-mail button, which names the editor's address, ran off the
    screen (Wagtail's buttons do not wrap)."""
    from newsletters.factories import edition_with_items

    edition = edition_with_items({"unge": 1})
    page = editor_page
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + f"/admin/nyhedsbreve/udgaver/preview/{edition.pk}/")
    button = page.get_by_role("button", name="Send en test til mig")
    box = button.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert "redaktion@kommune.example" in button.inner_text()
