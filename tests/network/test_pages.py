"""Seed the demo content, then every public page answers 200 with its content."""

import pytest
from bs4 import BeautifulSoup

from network.models import Municipality, ProfileVisibility, User


def _soup(response):
    return BeautifulSoup(response.content.decode(), "html.parser")


@pytest.mark.django_db
def test_home_page_is_danish_and_navigable(client, demo):
    response = client.get("/")
    assert response.status_code == 200
    soup = _soup(response)
    assert soup.html["lang"] == "da"
    assert "Erfaringer fra landets jobcentre" in soup.h1.text
    nav = soup.find("nav", attrs={"aria-label": "Hovedmenu"})
    assert "Kommuner" in nav.text
    assert soup.find("a", class_="skip-link")["href"] == "#indhold"
    assert soup.find("main", id="indhold")
    assert soup.find("a", string="Log ind")


@pytest.mark.django_db
def test_every_municipality_page_answers(client, demo):
    listing = client.get("/kommuner/")
    assert listing.status_code == 200
    for municipality in Municipality.objects.select_related("region"):
        assert f'href="/kommuner/{municipality.slug}/"' in listing.content.decode()
        response = client.get(municipality.get_absolute_url())
        assert response.status_code == 200, municipality
        text = response.content.decode()
        assert f"{municipality.name} Kommune" in text
        assert municipality.region.name in text


@pytest.mark.django_db
def test_municipality_page_lists_public_members_only_for_anonymous(client, demo):
    text = client.get("/kommuner/viborg/").content.decode()
    assert "Peter Vestergaard" in text  # public profile
    text = client.get("/kommuner/aarhus/").content.decode()
    assert "Mads Mølgaard" not in text  # members-only profile


@pytest.mark.django_db
def test_public_member_profiles_answer(client, demo):
    public = User.objects.filter(profile_visibility=ProfileVisibility.PUBLIC, is_active=True)
    assert public.count() >= 3
    for member in public:
        response = client.get(member.get_absolute_url())
        assert response.status_code == 200
        assert member.name in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path,text",
    [
        ("/konto/login/", "Log ind"),
        ("/konto/signup/", "Opret konto"),
        ("/konto/password/reset/", "Nulstil"),
    ],
)
def test_account_pages_are_danish_and_in_the_site_layout(client, db, path, text):
    response = client.get(path)
    assert response.status_code == 200
    soup = _soup(response)
    assert text.lower() in soup.find("main").text.lower()
    assert soup.find("nav", attrs={"aria-label": "Hovedmenu"}), "allauth page lacks site layout"
    for field in soup.find("main").find_all("input"):
        if field.get("type") in {"hidden", "submit", "checkbox"}:
            continue
        assert soup.find("label", attrs={"for": field["id"]}), f"unlabelled field {field}"


@pytest.mark.django_db
def test_unknown_page_gives_danish_404(client, demo):
    response = client.get("/findes-ikke/")
    assert response.status_code == 404
    assert "Siden findes ikke" in response.content.decode()


def test_server_error_page_is_danish(client, db, settings):
    from django.template.loader import render_to_string

    assert "Der skete en fejl" in render_to_string("500.html")


@pytest.mark.django_db
def test_seed_demo_is_idempotent(demo):
    from django.core.management import call_command

    before = User.objects.count()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert User.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/profil/", "/profil/mine-data/", "/nyhedsbrev/mine/", "/konto/password/change/"]
)
def test_the_account_pages_begin_with_their_h1(client, path):
    """The account menu's title was an h2 before each page's h1 (an outside walk)."""
    import re

    from network.factories import UserFactory

    client.force_login(UserFactory())
    page = client.get(path).content.decode()
    main = page[page.index('id="indhold"') :]
    assert re.findall(r"<h([1-6])", main)[0] == "1", path
    assert 'aria-label="Min konto"' in main
