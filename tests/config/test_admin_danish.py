"""The Wagtail admin speaks Danish: editors work in it every day, and Wagtail's own
Danish catalogue covers about a fifth of its messages. config/locale/da has the rest
(docs/admin.md, *The admin in Danish*, says how to add what a Wagtail upgrade brings)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import wagtail

WAGTAIL = Path(wagtail.__file__).parent


def _messages(domain: str):
    """(context, msgid, plural) of Wagtail's English catalogues of `domain`."""
    found = set()
    for path in WAGTAIL.glob(f"**/locale/en/LC_MESSAGES/{domain}.po"):
        entry: dict[str, str] = {}
        field = None
        for line in path.read_text(encoding="utf-8").splitlines() + [""]:
            if line.startswith(("msgctxt ", "msgid ", "msgid_plural ")):
                field, _, literal = line.partition(" ")
                entry[field] = ast.literal_eval(literal)
            elif line.startswith('"') and field:
                entry[field] += ast.literal_eval(line)
            elif line.startswith("msgstr"):
                field = None
            elif not line.strip() and entry:
                if entry.get("msgid"):
                    found.add((entry.get("msgctxt"), entry["msgid"], entry.get("msgid_plural")))
                entry, field = {}, None
    return found


def test_every_message_of_the_wagtail_admin_has_danish():
    """Each message of Wagtail's catalogues is in a Danish one (Wagtail's or ours), so
    no screen of the admin falls back to English; a few read the same in Danish
    (*Status*, *Tag*, *Upload*), which is why presence is checked, not difference."""
    from django.utils.translation import trans_real

    catalog = trans_real.translation("da")._catalog
    messages = _messages("django")
    missing = []
    for context, msgid, plural in messages:
        key = f"{context}\x04{msgid}" if context else msgid
        if (key, 0) not in catalog if plural else key not in catalog:
            missing.append(msgid)
    assert len(messages) > 1500  # the catalogues were read
    assert not missing, f"{len(missing)} without Danish: {missing}"


def test_every_message_of_the_admins_scripts_has_danish():
    """The same for the admin's JavaScript catalogue (autosave, comments, the block
    picker), as Wagtail serves it at /admin/jsi18n/."""
    from django.test import RequestFactory
    from django.utils import translation
    from django.views.i18n import JavaScriptCatalog

    view = JavaScriptCatalog(packages=["wagtail.admin"])
    with translation.override("da"):
        view.get(RequestFactory().get("/admin/jsi18n/"))
        catalog = view.get_catalog()
    messages = _messages("djangojs")
    missing = [
        msgid
        for context, msgid, _plural in messages
        if (f"{context}\x04{msgid}" if context else msgid) not in catalog
    ]
    assert len(messages) > 80
    assert not missing, f"{len(missing)} without Danish: {missing}"


# Wagtail's own Danish said "skitse" (a sketch) where the site and its newsletters say
# "kladde", and "Indsend til moderation" beside "sendt til godkendelse"; it quoted names
# with '…' where the rest of the admin uses »…«.
_NOT_THE_ADMINS_WORDS = {
    re.compile("skitse"): "kladde",
    re.compile("moderation"): "godkendelse",
    re.compile(r"""(?<!=)['"]%\("""): "»%(…)s« (an HTML attribute aside)",
    re.compile("  "): "one space",
    re.compile("»promovér«"): "»Promovering«, the tab's name",
}


def _danish(catalog, context, msgid, plural):
    key = f"{context}\x04{msgid}" if context else msgid
    found = catalog.get((key, 0) if plural else key, "")
    if plural:
        found += " " + catalog.get((key, 1), "")
    return found


def test_the_admin_uses_one_word_for_each_thing():
    from django.test import RequestFactory
    from django.utils import translation
    from django.utils.translation import trans_real
    from django.views.i18n import JavaScriptCatalog

    python = trans_real.translation("da")._catalog
    view = JavaScriptCatalog(packages=["wagtail.admin"])
    with translation.override("da"):
        view.get(RequestFactory().get("/admin/jsi18n/"))
        script = view.get_catalog()
    script = {
        (key, n) if isinstance(value, list) else key: value[n] if isinstance(value, list) else value
        for key, value in script.items()
        for n in (range(len(value)) if isinstance(value, list) else [0])
    }
    wrong = []
    for catalog, domain in ((python, "django"), (script, "djangojs")):
        for context, msgid, plural in _messages(domain):
            danish = _danish(catalog, context, msgid, plural)
            for word, instead in _NOT_THE_ADMINS_WORDS.items():
                if word.search(danish.lower()):
                    wrong.append(f"{msgid!r} -> {danish!r}: {instead}")
    assert not wrong, "\n".join(sorted(wrong))


@pytest.mark.django_db
def test_the_page_editor_saves_drafts_as_the_site_calls_them(client):
    """The editor's main button said *Gem skitse* while the newsletters say *kladde*."""
    from wagtail.models import Page

    from network.factories import UserFactory

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    page = Page.objects.get(depth=2)
    body = client.get(f"/admin/pages/{page.pk}/edit/").content.decode().split("<body")[1]
    assert "Gem kladde" in body
    assert "skitse" not in body.lower() and "moderation" not in body.lower()


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.django_db
def test_no_none_or_english_where_an_outside_walk_found_them(client):
    """A page published with no user (the import, the demo) read "None" in *Sider, der
    ældes*; the admin's page search read "1-1 af 1 None"; the trial actions' list had
    a column "Project"."""
    from experiences.services import create_experience
    from network.factories import UserFactory
    from projects.factories import create_log, create_project

    create_experience("Virksomhedsbesøg i små hold")
    admin = UserFactory(is_superuser=True, is_staff=True)
    create_log(create_project("Fælles projekt"), admin, title="Walk and talk")
    client.force_login(admin)
    for url in (
        "/admin/reports/aging-pages/",
        "/admin/pages/search/?q=Virksomhedsbes%C3%B8g",
        "/admin/trial_actions/",
    ):
        text = _visible_text(client.get(url).content.decode())
        assert "None" not in text and "Project" not in text, (url, text[:3000])
    aging = _visible_text(client.get("/admin/reports/aging-pages/").content.decode())
    assert "Virksomhedsbesøg i små hold" in aging and "Ingen bruger" in aging
    search = _visible_text(
        client.get("/admin/pages/search/?q=Virksomhedsbes%C3%B8g").content.decode()
    )
    assert "1-1 af 1" in search
    assert "Projekt" in _visible_text(client.get("/admin/trial_actions/").content.decode())


@pytest.mark.django_db
def test_a_chooser_value_that_is_not_an_id_is_a_form_error_not_a_500(client):
    """`image=abc` in the page editor and `items-0-work_area=abc` in a newsletter made
    Wagtail's choosers raise while the form was drawn again (found by an outside
    attacker)."""
    from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

    from experiences.services import get_index_page
    from network.factories import UserFactory
    from network.models import WorkArea

    client.raise_request_exception = True
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    index = get_index_page()
    data = nested_form_data(
        {
            "title": "Med forkert billede",
            "slug": "med-forkert-billede",
            "lead": "Manchet.",
            "published_date": "2026-11-20",
            "kind": "article",
            "image": "abc",
            "body": streamfield([("paragraph", rich_text("<p>Tekst.</p>"))]),
        }
    )
    data["work_areas"] = [WorkArea.objects.first().pk]
    response = client.post(
        f"/admin/pages/add/experiences/experiencepage/{index.pk}/",
        data | {"action-publish": "publish"},
    )
    assert response.status_code == 200
    assert "Marker en gyldig valgmulighed." in response.content.decode()

    response = client.post(
        "/admin/nyhedsbreve/udgaver/new/",
        {
            "subject": "December",
            "intro": "",
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "0",
            "items-MIN_NUM_FORMS": "0",
            "items-MAX_NUM_FORMS": "1000",
            "items-0-work_area": "abc",
            "items-0-title": "Titel",
            "items-0-url": "/erfaringer/",
            "items-0-ORDER": "1",
        },
    )
    assert response.status_code == 200
    assert "Marker en gyldig valgmulighed." in response.content.decode()
