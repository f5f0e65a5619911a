"""Editors create each page type in the Wagtail admin."""

import pytest
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from experiences.models import ExperienceIndexPage, ExperiencePage
from experiences.services import get_index_page
from network.models import Municipality, WorkArea


@pytest.fixture
def editor_client(client, demo):
    from network.models import User

    client.force_login(User.objects.get(email="redaktoer@netvaerk.example"))
    return client


@pytest.mark.django_db
def test_editor_creates_an_experience_index_page(editor_client):
    ExperienceIndexPage.objects.all().delete()
    home = Page.objects.get(depth=2)
    response = editor_client.post(
        f"/admin/pages/add/experiences/experienceindexpage/{home.pk}/",
        nested_form_data({"title": "Erfaringer", "slug": "erfaringer", "intro": rich_text("Hej")})
        | {"action-publish": "publish"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ExperienceIndexPage.objects.live().get().url == "/erfaringer/"


@pytest.mark.django_db
def test_editor_creates_and_publishes_an_experience(editor_client, client):
    index = get_index_page()
    aarhus = Municipality.objects.get(code="0751")
    area = WorkArea.objects.get(slug="unge")
    data = nested_form_data(
        {
            "title": "Ny erfaring fra admin",
            "slug": "ny-erfaring-fra-admin",
            "lead": "Manchet fra redaktøren.",
            "published_date": "2026-11-20",
            "kind": "case",
            "author": "Rasmus Riis",
            "body": streamfield(
                [
                    ("paragraph", rich_text("Brødtekst fra admin.")),
                    ("heading", "Mellemrubrik"),
                    (
                        "quote",
                        {
                            "text": "Citat",
                            "name": "Navn",
                            "role": "Rolle",
                            "municipality": "Aarhus",
                        },
                    ),
                    ("facts", {"title": "Kort om", "items": streamfield([("item", "Et punkt")])}),
                    ("key_figure", {"figure": "7", "label": "uger"}),
                ]
            ),
        }
    )
    data["municipalities"] = [aarhus.pk]
    data["work_areas"] = [area.pk]
    response = editor_client.post(
        f"/admin/pages/add/experiences/experiencepage/{index.pk}/",
        data | {"action-publish": "publish"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = ExperiencePage.objects.get(slug="ny-erfaring-fra-admin")
    assert page.live and page.kind == "case"
    assert list(page.municipalities.all()) == [aarhus]
    text = client.get(page.url).content.decode()
    assert "Brødtekst fra admin." in text and "Et punkt" in text


@pytest.mark.django_db
def test_drafts_are_not_public_until_published_and_have_revisions(client, make_experience):
    page = make_experience("Kommer snart", live=False)
    assert client.get("/erfaringer/kommer-snart/").status_code == 404
    page.save_revision().publish()
    assert client.get("/erfaringer/kommer-snart/").status_code == 200
    assert page.revisions.count() >= 2


@pytest.mark.django_db
def test_scheduled_publishing(client, make_experience):
    import datetime
    import time

    from django.core.management import call_command
    from django.utils import timezone

    page = make_experience("Planlagt", live=False)
    page.go_live_at = timezone.now() + datetime.timedelta(seconds=1.5)
    page.save_revision().publish()
    page.refresh_from_db()
    assert not page.live
    assert client.get("/erfaringer/planlagt/").status_code == 404
    time.sleep(1.6)
    call_command("publish_scheduled", stdout=open("/dev/null", "w"))
    assert client.get("/erfaringer/planlagt/").status_code == 200


@pytest.mark.django_db
def test_editor_can_preview_a_draft(editor_client, make_experience):
    page = make_experience("Forhåndsvisning", live=False)
    response = editor_client.get(f"/admin/pages/{page.pk}/edit/preview/")
    assert response.status_code == 200


def _experience_form(title, slug, area):
    """The admin's form for an experience article, as the editor fills it in."""
    form = nested_form_data(
        {
            "title": title,
            "slug": slug,
            "lead": "Ny manchet.",
            "published_date": "2026-11-20",
            "kind": "case",
            "author": "Rasmus Riis",
            "body": streamfield([("paragraph", rich_text("Tekst i forhåndsvisningen."))]),
        }
    )
    form["municipalities"] = [Municipality.objects.get(code="0751").pk]
    form["work_areas"] = [area.pk]
    return form


@pytest.mark.django_db
def test_preview_of_unsaved_changes_and_revisions_show_the_article(editor_client, make_experience):
    """The editor previews what they typed (the form, not the saved page), a new page
    before its first save, and an old revision: each shows the article with its related
    experiences, built from relations that are not in the database yet."""
    page = make_experience("Forhåndsvisning", live=True)
    area = WorkArea.objects.get(slug="unge")
    index = get_index_page()
    form = _experience_form("Ændret titel i forhåndsvisning", page.slug, area)
    for url in (
        f"/admin/pages/{page.pk}/edit/preview/",
        f"/admin/pages/add/experiences/experiencepage/{index.pk}/preview/",
    ):
        posted = editor_client.post(url, form)
        assert posted.status_code == 200 and posted.json()["is_valid"], posted.content[:500]
        shown = editor_client.get(url)
        assert shown.status_code == 200
        assert "Ændret titel i forhåndsvisning" in shown.content.decode()

    page.save_revision(user=None)
    revision = page.revisions.order_by("-pk").first()
    response = editor_client.get(f"/admin/pages/{page.pk}/revisions/{revision.pk}/view/")
    assert response.status_code == 200
    assert "Forhåndsvisning" in response.content.decode()


def test_admin_avatars_do_not_come_from_gravatar(editor_client):
    text = editor_client.get("/admin/").content.decode()
    assert "gravatar" not in text.lower()


@pytest.mark.django_db
def test_municipalities_are_picked_as_checkboxes_grouped_by_region(editor_client):
    from bs4 import BeautifulSoup

    from network.models import Municipality

    index = ExperienceIndexPage.objects.get()
    response = editor_client.get(f"/admin/pages/add/experiences/experiencepage/{index.pk}/")
    soup = BeautifulSoup(response.content, "html.parser")
    groups = soup.select(".municipalities-by-region fieldset")
    legends = [g.legend.get_text(" ", strip=True) for g in groups]
    assert [legend.rsplit(" (", 1)[0] for legend in legends] == [
        "Region Hovedstaden",
        "Region Midtjylland",
        "Region Nordjylland",
        "Region Sjælland",
        "Region Syddanmark",
    ]
    boxes = soup.select('.municipalities-by-region input[type="checkbox"][name="municipalities"]')
    assert len(boxes) == Municipality.objects.count() == 98
    aarhus = Municipality.objects.get(code="0751")
    midtjylland = groups[1]
    assert midtjylland.find("input", {"value": str(aarhus.pk)}) is not None
    assert soup.find("select", {"name": "municipalities"}) is None  # no Ctrl-click list
    # Each box has its own label, naming the municipality.
    box = soup.find("input", {"value": str(aarhus.pk), "name": "municipalities"})
    assert soup.find("label", {"for": box["id"]}).get_text(strip=True) == "Aarhus"


@pytest.mark.django_db
def test_the_admin_menu_speaks_danish(editor_client):
    """Wagtail's Danish catalogue leaves its menu half English; ours fills the gaps."""
    page = editor_client.get("/admin/").content.decode()
    page = page.replace("\\u00e6", "æ")  # the menu is a JSON blob for Wagtail's script
    for danish in ("Billeder", "Dokumenter", "Rapporter", "Hjælp", "Nyhedsbreve"):
        assert danish in page
    for english in (">Images<", ">Documents<", ">Reports<"):
        assert english not in page.replace(" ", "").replace("\n", "")


@pytest.mark.django_db
def test_a_second_try_at_a_new_page_gets_a_free_address(editor_client, make_experience):
    """An abandoned first try leaves an autosaved draft with the slug; the second try
    used to fail with an English slug error on the hidden Promote tab."""
    index = ExperienceIndexPage.objects.get()
    make_experience("Jobcafé for unge", live=False)  # the abandoned, autosaved draft
    data = nested_form_data(
        {
            "title": "Jobcafé for unge",
            "slug": "jobcafe-for-unge",
            "lead": "Anden gang.",
            "published_date": "2026-11-01",
            "kind": "article",
            "body": streamfield([]),
        }
    )
    data["work_areas"] = [WorkArea.objects.first().pk]
    response = editor_client.post(
        f"/admin/pages/add/experiences/experiencepage/{index.pk}/", data | {"action-publish": "p"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ExperiencePage.objects.filter(slug="jobcafe-for-unge-2", live=True).exists()

    # Editing an existing page onto a taken address is refused, in Danish.
    page = ExperiencePage.objects.get(slug="jobcafe-for-unge-2")
    response = editor_client.post(
        f"/admin/pages/{page.pk}/edit/", data | {"slug": "jobcafe-for-unge"}
    )
    assert response.status_code == 200
    assert "Adressen »jobcafe-for-unge« bruges allerede" in response.content.decode()


@pytest.mark.django_db
def test_every_page_type_of_the_demo_can_be_previewed_as_a_revision(editor_client):
    """The revision view (and a workflow's preview, which renders the same way) builds
    the page from its stored revision, not the database: every page type must render."""
    seen = set()
    for page in Page.objects.filter(depth__gt=1).specific():
        if type(page) in seen:
            continue
        seen.add(type(page))
        revision = page.save_revision(user=None)
        response = editor_client.get(f"/admin/pages/{page.pk}/revisions/{revision.pk}/view/")
        assert response.status_code == 200, type(page).__name__
    assert len(seen) >= 6


@pytest.mark.django_db
def test_the_admins_page_messages_have_no_typos(editor_client, make_experience):
    """Wagtail's Danish catalogue says "SIde … flyttet" and "er blivet indsendt"."""
    from django.utils import translation

    with translation.override("da"):
        moved = translation.gettext("Page '%(page_title)s' moved.") % {"page_title": "X"}
        asked = translation.gettext("Page '%(page_title)s' has been submitted for moderation.") % {
            "page_title": "X"
        }
    assert moved == "Siden »X« er flyttet."
    assert asked == "Siden »X« er sendt til godkendelse."
    page = make_experience("Afpubliceres")
    response = editor_client.post(f"/admin/pages/{page.pk}/unpublish/", follow=True)
    assert "Siden »Afpubliceres« er afpubliceret." in response.content.decode()


@pytest.mark.django_db
def test_a_new_pages_automatic_address_spells_danish_letters_the_danish_way(editor_client):
    """The admin's script turned "København" into "kobenhavn"; the site's own addresses
    write "koebenhavn". An address the editor typed themselves is kept."""
    index = get_index_page()
    for title, posted, saved in (
        ("Ærø og København", "aero-og-kobenhavn", "aeroe-og-koebenhavn"),
        ("Åben dør", "mit-eget-valg", "mit-eget-valg"),
    ):
        data = _experience_form(title, posted, WorkArea.objects.get(slug="unge"))
        response = editor_client.post(
            f"/admin/pages/add/experiences/experiencepage/{index.pk}/", data
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        assert ExperiencePage.objects.get(title=title).slug == saved


@pytest.mark.django_db
def test_page_history_offers_compare_and_review_in_danish(editor_client, make_experience):
    """An edited page's history links each revision to a preview, a comparison and the
    review (revert) page, in Danish (Wagtail's catalogue lacks these words)."""
    import re

    from network.models import User

    editor = User.objects.get(email="redaktoer@netvaerk.example")
    page = make_experience("Med historik")
    for extra in (" Første rettelse.", " Anden rettelse."):
        page.lead += extra
        page.save_revision(user=editor, log_action=True)
    html = editor_client.get(f"/admin/pages/{page.pk}/history/").content.decode()
    links = re.findall(rf'href="(/admin/pages/{page.pk}/revisions/[^"]+)"', html)
    assert any("/compare/" in link for link in links)
    assert any(link.endswith("/revert/") for link in links)
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    for danish in ("Historik", "Kladde gemt", "Sammenlign med forrige version"):
        assert danish in text
    for english in ("Draft saved", "Compare with previous version", "Review this version"):
        assert english not in text


@pytest.mark.django_db
def test_the_default_workflow_has_a_danish_name(editor_client, make_experience):
    from wagtail.models import Workflow

    assert not Workflow.objects.filter(name="Moderators approval").exists()
    page = make_experience("Til godkendelse", live=False)
    assert Workflow.objects.filter(name="Godkendelse ved moderator", active=True).exists()
    footer = editor_client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "Send til Godkendelse ved moderator" in footer
    assert "Moderators approval" not in footer


@pytest.mark.django_db
def test_a_page_form_posted_without_its_body_count_is_a_danish_400(editor_client):
    """A crafted or truncated post of the page editor lacked a field Wagtail reads
    without a default (`body-count`): a 500 before (found by an outside check)."""
    index = ExperienceIndexPage.objects.get()
    form = _experience_form("Ufuldstændig", "ufuldstaendig", WorkArea.objects.get(slug="unge"))
    del form["body-count"]
    response = editor_client.post(
        f"/admin/pages/add/experiences/experiencepage/{index.pk}/", form | {"action-publish": "p"}
    )
    assert response.status_code == 400
    assert "Formularen manglede et felt" in response.content.decode()
    assert not ExperiencePage.objects.filter(title="Ufuldstændig").exists()


@pytest.mark.django_db
def test_the_page_editor_its_choosers_and_scripts_speak_danish(editor_client, make_experience):
    """What an editor meets daily, formerly English (Wagtail's Danish catalogue lacks
    four in five of its messages): the schedule dialog, the image chooser, the
    autosave and comment texts of the admin's scripts."""
    import json
    import re

    page = make_experience("På dansk")
    edit = editor_client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "Planlæg udgivelse" in edit and "Set publishing schedule" not in edit
    assert "Sidens synlighed" in edit and "Page visibility" not in edit
    chooser = json.loads(editor_client.get("/admin/images/chooser/").content)["html"]
    assert "Vælg et billede" in chooser and "Choose an image" not in chooser
    scripts = editor_client.get("/admin/jsi18n/").content.decode()
    scripts = re.sub(r"\\u([0-9a-f]{4})", lambda m: chr(int(m[1], 16)), scripts)
    assert '"Autosave in progress\u2026": "Gemmer automatisk\u2026"' in scripts
    assert '"Enter your reply...": "Skriv dit svar\u2026"' in scripts


@pytest.mark.django_db
def test_an_article_needs_a_work_area_to_be_published_but_not_to_be_saved(editor_client):
    """The work areas decide which newsletter sections and digests an article reaches:
    published without one, it reached no subscriber. A draft may still be saved
    without, as Wagtail defers its other required fields."""
    index = ExperienceIndexPage.objects.get()
    area = WorkArea.objects.first()
    data = _experience_form("Uden arbejdsområde", "uden-arbejdsomraade", area)
    del data["work_areas"]
    add_url = f"/admin/pages/add/experiences/experiencepage/{index.pk}/"

    response = editor_client.post(add_url, data | {"action-publish": "publish"})
    assert response.status_code == 200
    assert not ExperiencePage.objects.filter(slug="uden-arbejdsomraade").exists()
    assert "Dette felt er påkrævet" in response.content.decode()

    response = editor_client.post(add_url, data)  # "Gem kladde"
    assert response.status_code == 302
    page = ExperiencePage.objects.get(slug="uden-arbejdsomraade")
    assert not page.live

    edit_url = f"/admin/pages/{page.pk}/edit/"
    response = editor_client.post(edit_url, data | {"action-publish": "publish"})
    assert response.status_code == 200
    page.refresh_from_db()
    assert not page.live

    response = editor_client.post(
        edit_url, data | {"work_areas": [area.pk], "action-publish": "publish"}
    )
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.live and list(page.work_areas.all()) == [area]


@pytest.mark.django_db
def test_bulk_publishing_an_article_without_a_work_area_is_refused_too(editor_client):
    """The admin's bulk *Udgiv* published the latest revision without the form, so an
    article saved as a draft without a work area went live (found by an outside
    attacker). It is refused with the article named, and nothing is published."""
    index = ExperienceIndexPage.objects.get()
    area = WorkArea.objects.first()
    data = _experience_form("Kladde uden område", "kladde-uden-omraade", area)
    del data["work_areas"]
    editor_client.post(f"/admin/pages/add/experiences/experiencepage/{index.pk}/", data)
    draft = ExperiencePage.objects.get(slug="kladde-uden-omraade")
    other = _experience_form("Kladde med område", "kladde-med-omraade", area)
    editor_client.post(f"/admin/pages/add/experiences/experiencepage/{index.pk}/", other)
    fine = ExperiencePage.objects.get(slug="kladde-med-omraade")
    assert not draft.live and not fine.live

    url = f"/admin/bulk/wagtailcore/page/publish/?id={draft.pk}&id={fine.pk}&next=https://evil.example/"
    response = editor_client.post(url, {}, follow=True)
    page = response.content.decode()
    assert "Intet er udgivet: »Kladde uden område« har intet arbejdsområde" in page
    assert response.redirect_chain[-1][0].startswith("/admin/")
    draft.refresh_from_db()
    fine.refresh_from_db()
    assert not draft.live and not fine.live

    # Given a work area (a new draft), it goes.
    editor_client.post(f"/admin/pages/{draft.pk}/edit/", data | {"work_areas": [area.pk]})
    editor_client.post(f"/admin/bulk/wagtailcore/page/publish/?id={draft.pk}&id={fine.pk}", {})
    draft.refresh_from_db()
    fine.refresh_from_db()
    assert draft.live and fine.live


@pytest.mark.django_db
def test_approving_a_draft_without_a_work_area_in_a_workflow_is_refused(client, demo):
    """Found by an outside re-check: an article sent for approval with a work area, then
    saved as a draft without one while it waited, went live through the dashboard's
    *Godkend* (Wagtail's approve view publishes the latest revision with no form)."""
    from wagtail.models import WorkflowState

    from network.factories import UserFactory

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    index = ExperienceIndexPage.objects.get()
    area = WorkArea.objects.first()
    data = _experience_form("Til godkendelse", "til-godkendelse", area)
    response = client.post(
        f"/admin/pages/add/experiences/experiencepage/{index.pk}/",
        data | {"action-submit": "submit"},
    )
    assert response.status_code == 302
    page = ExperiencePage.objects.get(slug="til-godkendelse")
    state = WorkflowState.objects.get(base_content_type__isnull=False, object_id=str(page.pk))
    task_state = state.current_task_state

    without = dict(data)
    del without["work_areas"]
    assert client.post(f"/admin/pages/{page.pk}/edit/", without).status_code == 302  # a draft
    approve = f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/"
    response = client.post(approve, {"comment": ""}, headers={"x-requested-with": "XMLHttpRequest"})
    assert response.json() == {"step": "success", "redirect": f"/admin/pages/{page.pk}/edit/"}
    page.refresh_from_db()
    assert not page.live
    edit = client.get(f"/admin/pages/{page.pk}/edit/").content.decode()
    assert "Intet er udgivet: »Til godkendelse« har intet arbejdsområde" in edit

    # With a work area again, the same approval publishes it.
    assert client.post(f"/admin/pages/{page.pk}/edit/", data).status_code == 302
    client.post(approve, {"comment": ""})
    page.refresh_from_db()
    assert page.live


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("block", "key", "value"),
    [
        (("image", {"image": "1", "caption": "", "credit": ""}), "body-0-value-image", "abc"),
        (("document", {"document": "1", "title": ""}), "body-0-value-document", "1 OR 1=1"),
        (
            ("facts", {"title": "Kort om", "items": streamfield([("item", "Et punkt")])}),
            "body-0-value-items-count",
            "abc",
        ),
        # Rich text posted as HTML, not the editor's JSON (a JSONDecodeError in Wagtail's
        # converter; found by an outside attacker).
        (("paragraph", rich_text("<p>Tekst</p>")), "body-0-value", "<p>tekst</p>"),
    ],
)
def test_a_word_where_a_number_belongs_is_a_danish_400_not_a_500(editor_client, block, key, value):
    """Found by an outside re-check: a StreamField block's chooser or count posted as a
    word raised ValueError (a 500); so did the bulk actions' `?id=abc`."""
    index = ExperienceIndexPage.objects.get()
    form = _experience_form("Med ord for tal", "med-ord-for-tal", WorkArea.objects.first())
    form.update(nested_form_data({"body": streamfield([block])}))
    form[key] = value
    response = editor_client.post(
        f"/admin/pages/add/experiences/experiencepage/{index.pk}/", form | {"action-publish": "p"}
    )
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert "Formularen indeholdt en ugyldig værdi" in response.content.decode()
    assert not ExperiencePage.objects.filter(title="Med ord for tal", live=True).exists()

    response = editor_client.get("/admin/bulk/wagtailcore/page/publish/?id=abc")
    assert response.status_code == 400
    assert "Adressen indeholdt en ugyldig værdi" in response.content.decode()


@pytest.mark.django_db
def test_a_draft_never_published_gets_the_danish_address_on_its_first_real_save(
    editor_client,
):
    """Wagtail 8 autosaves a new page while the editor types, so the first real save is
    an edit: an outside editor walk got "holbaek-afprover-sms-pamindelser" there, while
    pages made in one go got the Danish spelling."""
    index = get_index_page()
    draft = ExperiencePage(
        title="Kladde", slug="kladde", lead="Manchet.", published_date="2026-11-20", live=False
    )
    index.add_child(instance=draft)
    draft.save_revision()
    title = "Holbæk afprøver sms-påmindelser"
    data = _experience_form(title, "holbaek-afprover-sms-pamindelser", WorkArea.objects.first())
    response = editor_client.post(f"/admin/pages/{draft.pk}/edit/", data | {"action-publish": "p"})
    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    assert draft.live and draft.slug == "holbaek-afproever-sms-paamindelser"

    # Once published, the address is the page's: the same words typed again are kept.
    data = _experience_form(title, "holbaek-afprover-sms-pamindelser", WorkArea.objects.first())
    editor_client.post(f"/admin/pages/{draft.pk}/edit/", data | {"action-publish": "p"})
    draft.refresh_from_db()
    assert draft.slug == "holbaek-afprover-sms-pamindelser"


@pytest.mark.django_db
def test_an_editor_is_told_when_the_address_was_taken(editor_client, make_experience):
    """An outside editor walk made a second article of the same title: it was published
    as "…-2" with no word about the address."""
    from django.contrib.messages import get_messages

    taken = make_experience("Jobcentret flyttede ud på biblioteket").slug
    index = get_index_page()
    data = _experience_form(
        "Jobcentret flyttede ud på biblioteket", taken, WorkArea.objects.first()
    )
    response = editor_client.post(
        f"/admin/pages/add/experiences/experiencepage/{index.pk}/", data | {"action-publish": "p"}
    )
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert (
        f"Adressen »{taken}« var optaget under samme overside, så siden fik adressen »{taken}-2«."
        in " ".join(texts)
    )
