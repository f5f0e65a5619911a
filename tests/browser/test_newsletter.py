"""A visitor without an account subscribes in a real browser and confirms by mail."""

import re

import pytest
from django.core import mail

from newsletters.models import Subscriber, SubscriberStatus

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_visitor_subscribes_and_confirms_through_the_mail(live_server, page):
    mail.outbox = []
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Nyhedsbrev").click()
    page.get_by_role("heading", name="Nyhedsbrev", level=1).wait_for()

    page.get_by_label("Din e-mailadresse").fill("borger.raadgiver@kommune.example")
    areas = page.get_by_role("group", name="Arbejdsområder")
    areas.get_by_label("Unge").check()
    page.get_by_role("button", name="Tilmeld").click()

    page.get_by_role("heading", name="Tjek din indbakke").wait_for()
    assert "Vi har sendt en mail til den adresse, du skrev" in page.content()

    (message,) = mail.outbox
    assert message.to == ["borger.raadgiver@kommune.example"]
    path = re.search(r"https?://[^\s]+(/nyhedsbrev/bekraeft/[^\s]+/)", message.body).group(1)
    page.goto(live_server.url + path)
    page.get_by_role("heading", name="Bekræft din tilmelding").wait_for()
    page.get_by_role("button", name="Bekræft tilmeldingen").click()
    page.get_by_role("heading", name="Tak! Din tilmelding er bekræftet").wait_for()

    subscriber = Subscriber.objects.get(email="borger.raadgiver@kommune.example")
    assert subscriber.status == SubscriberStatus.ACTIVE
    assert list(subscriber.work_areas.values_list("slug", flat=True)) == ["unge"]


def test_a_mistyped_address_is_announced_and_can_be_fixed(live_server, page):
    page.goto(live_server.url + "/nyhedsbrev/")
    page.get_by_label("Din e-mailadresse").fill("ikke-en-adresse")
    page.get_by_role("group", name="Arbejdsområder").get_by_label("Integration").check()
    page.get_by_role("button", name="Tilmeld").click()

    summary = page.locator(".error-summary")
    summary.wait_for()
    assert "Skriv en gyldig e-mailadresse" in summary.inner_text()
    # The summary has the focus, so it is read out first.
    assert page.evaluate("document.activeElement.className") == "error-summary"
    # The choice survives the round trip, so only the address needs fixing.
    assert page.get_by_role("group", name="Arbejdsområder").get_by_label("Integration").is_checked()
    page.get_by_label("Din e-mailadresse").fill("rettet@kommune.example")
    page.get_by_role("button", name="Tilmeld").click()
    page.get_by_role("heading", name="Tjek din indbakke").wait_for()
