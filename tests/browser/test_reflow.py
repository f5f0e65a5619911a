"""WCAG 1.4.10 reflow: at 390 px, and at the criterion's own 320 px, no page of a
coordinator's or participant's journey scrolls sideways (the project's status table
and the participants table did; at 320 px the site's name, the newsletter form's
fieldsets and the municipalities' grid did)."""

import re

import pytest

from network.factories import UserFactory
from projects.factories import create_event, create_log, create_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CODES = ("0751", "0791", "0730", "0580", "0461", "0101", "0851")


def _too_wide(page, base_url: str, paths, shows: str = "") -> dict[str, int]:
    """The pages (each answering 200, and showing `shows`) wider than the phone."""
    phone = page.viewport_size["width"]
    too_wide = {}
    for path in paths:
        response = page.goto(base_url + path)
        assert response.status == 200, path
        assert shows in page.content(), path
        # What a disclosure holds counts too: the overview's table of weeks, opened,
        # was wider than a phone (an outside accessibility walk).
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > phone:
            too_wide[path] = width
    return too_wide


def _log_in(page, base_url: str, email: str) -> None:
    page.goto(base_url + "/konto/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label(re.compile("^Adgangskode")).fill("kodeord-123")
    page.get_by_role("button", name="Log ind").click()
    page.get_by_role("navigation", name="Konto").wait_for()


@pytest.mark.parametrize("phone", [390, 320])
def test_project_pages_fit_a_phone(live_server, browser, phone):
    from network.models import Municipality

    coordinator = UserFactory(email="koordinator@kommune.example", first_name="Kim")
    people = [
        UserFactory(
            email=f"en.meget.lang.adresse.{n}@frederikssund-jobcenter.example",
            first_name="Bent",
            last_name="Christoffersen-Vestergaard",
            municipality=Municipality.objects.get(code=code),
        )
        for n, code in enumerate(CODES)
    ]
    project = create_project(
        "Digitale veje til job",
        visibility="members",
        coordinators=[coordinator],
        participants=people,
        municipalities=CODES,
    )
    for person, code in zip(people, CODES, strict=True):
        for status in ("planned", "in_progress", "completed", "abandoned"):
            create_log(project, person, municipality=code, status=status, visibility="network")
    event = create_event(project, "Temadag om digitale samtaler")
    event.agenda_items.create(title="Erfaringer med sygedagpengeopfølgningen", speaker="Bent")

    context = browser.new_context(locale="da-DK", viewport={"width": phone, "height": 844})
    page = context.new_page()
    _log_in(page, live_server.url, coordinator.email)

    paths = (
        project.url,
        project.url + "deltagere/",
        project.url + "proevehandlinger/",
        project.url + "overblik/",
        event.url,
        "/overblik/",
    )
    assert _too_wide(page, live_server.url, paths) == {}
    # "Fjern" is on screen for every participant.
    page.goto(live_server.url + project.url + "deltagere/")
    for button in page.get_by_role("button", name=re.compile("^Fjern")).all():
        box = button.bounding_box()
        assert box and box["x"] + box["width"] <= phone
    context.close()


def test_a_chosen_filter_value_is_never_cut_off(live_server, browser):
    """The region dropdown showed "Region Syddanmark (" in the listing's narrow sidebar.
    Each dropdown must be wide enough for its longest option, at desktop width."""
    from experiences.services import create_experience

    create_experience(
        "Små skridt i ressourceforløb",
        municipalities=["0621"],  # Kolding, Region Syddanmark
        topics=["ressourceforloeb", "digitalisering"],
        profiles=["kompetencematchprofil"],
        kind="guide",
    )
    context = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/erfaringer/?region=1083&omraade=ressourceforloeb")
    cut = page.evaluate(
        """() => [...document.querySelectorAll('.filters select')].flatMap(select => {
            const measure = document.createElement('canvas').getContext('2d');
            measure.font = getComputedStyle(select).font;
            const room = select.clientWidth - 36;  // padding and the arrow
            return [...select.options]
              .filter(option => measure.measureText(option.text).width > room)
              .map(option => `${select.name}: ${option.text}`);
        })"""
    )
    assert page.locator("#filter-region option").count() > 1
    assert page.locator("#filter-omraade option").count() > 1
    assert cut == []
    context.close()


def test_the_listing_filters_leave_room_for_results_on_a_phone(live_server, browser):
    """At 390 × 844 the six filter dropdowns stood one under another and filled the
    first screen (an outside walk); two to a row, the count of results shows on it."""
    from experiences.services import create_experience

    create_experience("Små skridt i ressourceforløb", topics=["ressourceforloeb"])
    context = browser.new_context(locale="da-DK", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server.url + "/erfaringer/")
    assert page.locator(".filters select").count() == 6
    first, second = (page.locator(".filters .field").nth(i).bounding_box() for i in (0, 1))
    assert first["y"] == second["y"] and first["x"] < second["x"]
    count = page.locator(".result-count").bounding_box()
    assert count["y"] + count["height"] <= 844, count
    context.close()


@pytest.mark.parametrize("phone", [390, 320])
def test_public_pages_fit_a_phone(live_server, browser, phone):
    """An anonymous visitor's pages, the footer's pages among them, at 390 and 320 px."""
    from config.home.demo import seed_info_pages
    from experiences.services import create_experience

    seed_info_pages()
    article = create_experience(
        "Virksomhedskonsulenternes tilgængelighedsarbejde", topics=["ressourceforloeb"]
    )
    context = browser.new_context(locale="da-DK", viewport={"width": phone, "height": 844})
    page = context.new_page()
    paths = (
        "/",
        "/erfaringer/",
        article.url,
        "/kommuner/",
        "/soeg/?q=virksomhed",
        "/nyhedsbrev/",
        "/tilgaengelighedserklaering/",
        "/privatlivspolitik/",
        "/kontakt/",
        "/konto/login/",
        "/konto/password/reset/",
    )
    assert _too_wide(page, live_server.url, paths) == {}
    context.close()


def test_long_danish_compounds_wrap_instead_of_widening_the_page(live_server, browser):
    """A compound of 50 letters in a log's title, a member's name and job title, and a
    search: the breadcrumb, Mit overblik's list, the profile's header and the search
    results' grid all let it wrap (an outside walkthrough found each 430-892 px wide)."""
    from network.models import Municipality

    word = "Sygedagpengeopfølgningssamtaleforløbsevaluering"
    person = UserFactory(
        email="lang@kommune.example",
        first_name="Beskæftigelsesindsatsudviklingskonsulentmedarbejder",
        job_title=word + "skoordinator",
        municipality=Municipality.objects.get(code="0630"),
    )
    project = create_project(
        "Digitale veje til job",
        visibility="members",
        participants=[person],
        municipalities=["0630"],
    )
    log = create_log(project, person, title=f"{word} i Vejle", municipality="0630")

    context = browser.new_context(locale="da-DK", viewport={"width": 390, "height": 844})
    page = context.new_page()
    _log_in(page, live_server.url, person.email)
    paths = (
        log.get_absolute_url(),
        "/overblik/",
        f"/medlemmer/{person.public_id}/",
        f"/soeg/?q={word}",
    )
    assert _too_wide(page, live_server.url, paths, shows=word[:20]) == {}
    context.close()


def test_each_search_facet_starts_on_its_own_line(live_server, browser):
    """The facet groups stack: every heading sits at the nav's left edge, below what
    came before (the filters' flex row put »Region« beside »Vis flere« and »År« beside
    its year links; an outside walk found it)."""
    from experiences.factories import create_experience
    from network.models import Municipality

    codes = [m.code for m in Municipality.objects.order_by("code")[:14]]
    for n, code in enumerate(codes):
        create_experience(f"Virksomhedsservice nr. {n}", municipalities=[code], topics=["unge"])
    context = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(live_server.url + "/soeg/?q=virksomhedsservice")
    nav = page.locator("nav.search-facets").bounding_box()
    titles = page.locator(".search-facets__title")
    assert titles.count() >= 3
    lefts, tops = [], []
    for index in range(titles.count()):
        box = titles.nth(index).bounding_box()
        lefts.append(round(box["x"] - nav["x"]))
        tops.append(box["y"])
    assert len(set(lefts)) == 1, lefts
    more = page.locator(".search-facets__more summary").first.bounding_box()
    after = [top for top in tops if top > more["y"] - 1]
    assert after and min(after) >= more["y"] + more["height"], (more, tops)
    context.close()
