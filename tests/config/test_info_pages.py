"""The footer's pages: an accessibility statement, a privacy policy and a contact
page, editable in the admin and seeded with honest demo text; the password-reset
page's "Kontakt os" links the contact page."""

import pytest
from bs4 import BeautifulSoup

from config.home.demo import seed_info_pages
from config.home.models import InfoPage

pytestmark = pytest.mark.django_db


def _footer_links(client) -> dict[str, str]:
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    return {a.text.strip(): a["href"] for a in soup.select(".site-footer a")}


def test_footer_links_the_seeded_pages(client):
    assert "Kontakt" not in _footer_links(client)
    seed_info_pages()
    seed_info_pages()  # safe to run again
    assert InfoPage.objects.count() == 3
    links = _footer_links(client)
    expected = {
        "Tilgængelighedserklæring": "WCAG 2.1",
        "Privatlivspolitik": "Abonnenter på nyhedsbrevet",
        "Kontakt": "redaktion@netvaerk.example",
    }
    for label, text in expected.items():
        response = client.get(links[label])
        assert response.status_code == 200
        page = response.content.decode()
        assert f"<h1>{label}</h1>" in page and text in page


def test_password_reset_links_the_contact_page(client):
    seed_info_pages()
    contact = InfoPage.objects.get(role="contact")
    soup = BeautifulSoup(client.get("/konto/password/reset/").content, "html.parser")
    link = soup.find("a", string="Kontakt os")
    assert link is not None and link["href"] == contact.url

    # Unpublished, it is gone from the footer and the reset page, with no dead link.
    contact.unpublish()
    assert "Kontakt" not in _footer_links(client)
    page = client.get("/konto/password/reset/").content.decode()
    assert "Kontakt os" in page and contact.url not in page
