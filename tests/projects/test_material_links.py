"""An editor who links a public page to a project's material is told that readers
outside the project cannot open it (the material keeps its project's visibility)."""

import pytest
from django.contrib.messages import get_messages
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from experiences.services import get_index_page
from network.models import WorkArea

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(db):
    from network.factories import UserFactory

    return UserFactory(email="admin@test.example", is_superuser=True, is_staff=True)


def _publish_article(client, document):
    index = get_index_page()
    return client.post(
        f"/admin/pages/add/experiences/experiencepage/{index.pk}/",
        _article_form(document) | {"action-publish": "publish"},
    )


def _article_form(document):
    data = nested_form_data(
        {
            "title": "Slides fra temadagen",
            "slug": "slides-fra-temadagen",
            "lead": "Manchet.",
            "published_date": "2026-11-20",
            "kind": "article",
            "body": streamfield(
                [
                    (
                        "paragraph",
                        rich_text(
                            f'<p>Se <a linktype="document" id="{document.pk}">slides</a>.</p>'
                        ),
                    )
                ]
            ),
        }
    )
    data["work_areas"] = [WorkArea.objects.first().pk]
    return data


@pytest.mark.parametrize(
    ("visibility", "warned"),
    [("participants", True), ("members", True), ("public", False)],
)
def test_a_public_article_linking_project_material_warns_the_editor(
    client, admin, space, visibility, warned
):
    built = space(visibility)
    client.force_login(admin)
    response = _publish_article(client, built["document"])
    assert response.status_code == 302
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    warning = [t for t in texts if "som er materiale i projektet" in t]
    assert bool(warning) == warned, texts
    if warned:
        assert f"»{built['document'].title}«" in warning[0]
        assert f"»{built['project'].title}«" in warning[0]
        assert "Andre læsere af siden kan ikke åbne filen" in warning[0]
        # And that is what an anonymous reader gets.
        client.logout()
        assert client.get(built["document"].url).status_code == 404


@pytest.mark.parametrize("visibility", ["participants", "public"])
def test_a_rich_text_link_to_material_is_drawn_only_for_readers_who_may_open_it(
    client, admin, space, people, visibility
):
    """Before, the article showed every reader the link, with the file's name in its
    address, and outsiders got »Siden findes ikke« when they followed it. Now the words
    stay and the link is drawn for those who may open the file."""
    from experiences.models import ExperiencePage

    built = space(visibility)
    document = built["document"]
    client.force_login(admin)
    assert _publish_article(client, document).status_code == 302
    article = ExperiencePage.objects.get(slug="slides-fra-temadagen")
    client.logout()

    def shown(who):
        if people[who]:
            client.force_login(people[who])
        html = client.get(article.url).content.decode()
        client.logout()
        assert "Se <a" in html and "slides</a>." in html  # the sentence stays whole
        return document.url in html, document.filename in html

    for who in ("anonymous", "member", "other_participant", "participant", "coordinator"):
        opens = client.get(document.url).status_code == 200 if who == "anonymous" else None
        expected = visibility == "public" or who in ("participant", "coordinator")
        assert shown(who) == (expected, expected), who
        if who == "anonymous":
            assert opens == expected

    # The API gives the text as the page does: with the address for those who may
    # open the file, without the stored form's document id for anyone.
    for who in ("anonymous", "participant"):
        if people[who]:
            client.force_login(people[who])
        body = client.get(f"/api/v2/erfaringer/{article.pk}/").json()["body"]
        client.logout()
        [paragraph] = [block["value"] for block in body if block["type"] == "paragraph"]
        assert 'linktype="document"' not in paragraph and "slides</a>" in paragraph
        expected = visibility == "public" or who == "participant"
        assert (document.url in paragraph) == expected, who


def test_the_projects_own_pages_linking_its_material_warn_nobody(client, admin, space):
    """A participants-only project's own page with its own material: its readers are
    the ones who may open it."""
    built = space("participants")
    client.force_login(admin)
    project = built["project"]
    response = client.post(
        f"/admin/pages/{project.pk}/edit/",
        _project_form(client, project) | {"action-publish": "publish"},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert not [t for t in texts if "som er materiale i projektet" in t]


def _project_form(client, project):
    """The project's edit form as the admin renders it, posted back unchanged."""
    from bs4 import BeautifulSoup

    html = client.get(f"/admin/pages/{project.pk}/edit/").content.decode()
    form = BeautifulSoup(html, "html.parser").find("form", id="page-edit-form")
    data = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or field.get("type") in ("submit", "button", "file"):
            continue
        if field.name == "textarea":
            data[name] = field.text
        elif field.name == "select":
            chosen = [o.get("value") for o in field.find_all("option") if o.has_attr("selected")]
            data[name] = chosen if field.has_attr("multiple") else (chosen[0] if chosen else "")
        elif field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field.get("value", "on"))
        else:
            data[name] = field.get("value", "")
    return data


def test_bulk_publishing_such_an_article_warns_too(client, admin, space):
    """The admin's bulk *Udgiv* does not run Wagtail's `after_publish_page` hook."""
    from experiences.models import ExperiencePage

    built = space("participants")
    client.force_login(admin)
    index = get_index_page()
    data = _article_form(built["document"])
    client.post(f"/admin/pages/add/experiences/experiencepage/{index.pk}/", data)  # a draft
    draft = ExperiencePage.objects.get(slug="slides-fra-temadagen")
    assert not draft.live
    response = client.post(f"/admin/bulk/wagtailcore/page/publish/?id={draft.pk}", {})
    draft.refresh_from_db()
    assert draft.live
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("som er materiale i projektet" in t for t in texts), texts
