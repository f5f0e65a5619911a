"""The Wagtail admin's own scripts run: the editor's buttons and pickers do something.

The public site forbids inline scripts (Content-Security-Policy `script-src 'self'`);
Wagtail's admin needs them, and gets its own policy (config.middleware.SiteCSPMiddleware).
When that policy was not applied, the admin looked right but "Tilføj punkt", the date
picker and the choosers did nothing. So these tests click them in a real browser."""

import pytest

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
