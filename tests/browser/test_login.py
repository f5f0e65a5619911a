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
