"""axe-core (npm, pinned in package.json) on the main pages of every role, in
Chromium: no WCAG 2.0/2.1 A or AA violation. For editors that is the Wagtail admin:
its dashboard, the page explorer, the new-article form (with our municipality
picker) and the newsletters.

axe-core is installed by `make install` (npm ci); without npm this test is skipped,
unless REQUIRE_BROWSER is set (CI), where it fails."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PASSWORD = "demo-netvaerk-2026"


def _violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    # Only the violations are read: axe then skips the details of what passed.
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        TAGS,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


def _log_in(page, base: str, email: str) -> None:
    page.goto(base + "/konto/login/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label(re.compile("^Adgangskode")).fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.get_by_role("navigation", name="Konto").wait_for()


def test_main_pages_of_every_role_have_no_axe_violations(live_server, browser, live_demo):
    if not AXE.exists():
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail("axe-core is not installed: run `make install` (needs npm).")
        pytest.skip("axe-core is not installed (npm ci).")
    from experiences.models import ExperiencePage
    from network.models import Municipality
    from projects.models import EventPage, ProjectPage, TrialAction

    project = ProjectPage.objects.get(title="Digitale veje til job")
    article = ExperiencePage.objects.live().first()
    event = EventPage.objects.live().descendant_of(project).first()
    log = TrialAction.objects.filter(project=project, visibility="public").first()
    municipality = Municipality.objects.get(code="0751")
    journeys = {
        None: [
            "/",
            "/erfaringer/",
            article.url,
            "/projekter/",
            project.url,
            "/kommuner/",
            f"/kommuner/{municipality.slug}/",
            "/soeg/?q=video",
            "/nyhedsbrev/",
            "/tilgaengelighedserklaering/",
            "/konto/login/",
            "/konto/signup/",
            "/konto/password/reset/",
            "/konto/confirm-email/",  # "Tjek din indbakke" after signing up
        ],
        "medlem@netvaerk.example": ["/overblik/", "/profil/", event.url],
        "deltager@netvaerk.example": [
            project.url + "proevehandlinger/",
            log.get_absolute_url(),
            project.url + "proevehandlinger/ny/",
            "/varsler/",
            "/varsler/foelger/",
            project.url + "deltagere/",  # who takes part, as a participant sees it
        ],
        "koordinator@netvaerk.example": [
            project.url + "deltagere/",
            project.url + "overblik/",
        ],
        "redaktoer@netvaerk.example": [
            "/admin/",
            f"/admin/pages/{article.get_parent().pk}/",
            f"/admin/pages/add/experiences/experiencepage/{article.get_parent().pk}/",
            "/admin/nyhedsbreve/udgaver/",
        ],
    }
    # The harness itself finds a violation where there is one.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.set_content('<html lang="da"><title>t</title><main><img src="x.png"></main></html>')
    assert any(v.startswith("image-alt") for v in _violations(page))
    context.close()
    found = {}
    for email, paths in journeys.items():
        # axe is injected as a script; our own CSP would (rightly) block it.
        context = browser.new_context(
            locale="da-DK", viewport={"width": 1280, "height": 900}, bypass_csp=True
        )
        page = context.new_page()
        if email:
            _log_in(page, live_server.url, email)
        for path in paths:
            response = page.goto(live_server.url + path)
            assert response.status == 200, (email, path, response.status)
            violations = _violations(page)
            if violations:
                found[f"{email or 'anonym'} {path}"] = violations
        context.close()
    assert found == {}
