"""The search page by keyboard on a wide screen: the filters sit beside the results
but come after every hit in the Tab order, so a skip link leads to them, shown when
it has focus (an outside walk had to Tab past ten results and the pager)."""

import pytest

from experiences.factories import create_experience

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_jump_to_the_filters_is_the_first_stop_after_the_search_field(page, live_server):
    for n in range(12):
        create_experience(f"Videosamtaler i kommune {n}", lead="Videosamtaler med borgere.")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/soeg/?q=videosamtaler")
    jump = page.locator(".search-results__jump")
    assert jump.bounding_box()["width"] <= 1  # out of sight until it has focus
    page.locator("main input[type=search]").focus()
    for _ in range(3):  # the field, its button: then the jump
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Afgræns søgningen":
            break
    assert page.evaluate("document.activeElement.textContent") == "Afgræns søgningen"
    assert jump.bounding_box()["width"] > 50  # seen while focused
    page.keyboard.press("Enter")
    assert page.url.endswith("#facet-title")
