import re

import pytest

from network.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_logs_in_from_the_home_page_and_sees_their_name(live_server, page):
    UserFactory(email="karen@kommune.example", first_name="Karen", last_name="Kjær")

    page.goto(live_server.url + "/")
    assert "Beskæftigelsesnetværket" in page.title()
    page.get_by_role("link", name="Log ind").click()

    page.get_by_label("E-mail").fill("karen@kommune.example")
    page.get_by_label(re.compile("^Adgangskode")).fill("kodeord-123")
    page.get_by_role("button", name="Log ind").click()

    account_nav = page.get_by_role("navigation", name="Konto")
    account_nav.get_by_text("Karen Kjær").wait_for()
    assert page.url.rstrip("/") == live_server.url


def test_a_form_sent_back_with_errors_puts_the_focus_on_its_summary(live_server, page):
    """One pattern on every form (an outside walk found three: a summary no one was
    taken to, a bare message, nothing): the summary takes the focus and links each
    error to its field."""
    UserFactory(email="karen@kommune.example")

    page.goto(live_server.url + "/konto/login/")
    page.get_by_label("E-mail").fill("karen@kommune.example")
    page.get_by_label(re.compile("^Adgangskode")).fill("forkert")
    page.get_by_role("button", name="Log ind").click()
    page.locator(".error-summary").wait_for()
    assert page.evaluate("document.activeElement.className") == "error-summary"
    assert page.title().startswith("Fejl: ")  # every form: the title says so first

    page.goto(live_server.url + "/nyhedsbrev/")
    with page.expect_navigation():
        page.locator("form.newsletter-form button[type=submit]").click()
    assert page.evaluate("document.activeElement.className") == "error-summary"
    page.locator(".error-summary a").first.click()
    assert page.evaluate("document.activeElement.name") == "email"
