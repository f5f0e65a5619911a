import datetime

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile

from network.factories import UserFactory
from network.models import ProfileVisibility, SiteDocument, SiteImage


def _png():
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "navy").save(buffer, "PNG")
    return SimpleUploadedFile("foto.png", buffer.getvalue(), "image/png")


@pytest.mark.django_db
def test_article_renders_every_block(client, make_experience):
    image = SiteImage.objects.create(title="Mødet", file=_png(), credit="Jens Foto")
    document = SiteDocument.objects.create(
        title="Tjekliste", file=SimpleUploadedFile("tjek.pdf", b"%PDF-1.4 test")
    )
    page = make_experience(
        "Alle blokke",
        lead="Manchetten her.",
        author="Rasmus Riis",
        organisations=["KL"],
        municipalities=["0751"],
        body=[
            {"type": "paragraph", "text": "Brødtekst <b>med</b> tegn."},
            {"type": "heading", "text": "En mellemrubrik"},
            {
                "type": "quote",
                "text": "Et godt citat",
                "name": "Mads",
                "role": "Rådgiver",
                "municipality": "Aarhus Kommune",
            },
            {"type": "facts", "title": "Kort om det", "items": ["Punkt et", "Punkt to"]},
            {"type": "key_figure", "figure": "42 %", "label": "flere i job"},
        ],
    )
    page.body.append(("image", {"image": image, "caption": "Et møde", "credit": ""}))
    page.body.append(("document", {"document": document, "title": "Hent tjeklisten"}))
    page.save_revision().publish()

    response = client.get(page.url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    text = soup.get_text(" ")
    assert soup.h1.text == "Alle blokke"
    assert "Manchetten her." in text and "Af Rasmus Riis" in text and "Udgivet af KL" in text
    assert "Brødtekst <b>med</b> tegn." in text  # escaped, not markup
    assert soup.find("h2", string="En mellemrubrik")
    quote = soup.select_one("figure.quote")
    assert "Et godt citat" in quote.text and "Mads" in quote.text and "Aarhus Kommune" in quote.text
    assert [li.text for li in soup.select(".fact-box li")] == ["Punkt et", "Punkt to"]
    assert "42 %" in soup.select_one(".key-figure").text
    figure = soup.select_one("figure.figure")
    assert figure.img and "Et møde" in figure.text and "Foto: Jens Foto" in figure.text
    link = soup.select_one(".document-link a")
    assert link.text == "Hent tjeklisten" and "/dokumenter/" in link["href"]
    assert soup.find("a", href="/kommuner/aarhus/")


@pytest.mark.django_db
def test_an_image_s_description_is_its_alt_text_and_foto_is_not_doubled(client, make_experience):
    """An outside walk filled in Wagtail's *Beskrivelse*, as its upload form asks, and
    the article's image had alt=""; a credit typed "Foto: Jobcenter Vejle" read
    "Foto: Foto: Jobcenter Vejle"."""
    image = SiteImage.objects.create(
        title="IMG_2041",
        file=_png(),
        description="To rådgivere ved et bord",
        credit="Foto: Jobcenter Vejle",
    )
    page = make_experience("Med billede")
    page.image = image
    page.body.append(("image", {"image": image, "caption": "", "credit": ""}))
    page.save_revision().publish()

    soup = BeautifulSoup(client.get(page.url).content.decode(), "html.parser")
    images = soup.select("figure.figure img")
    assert len(images) == 2 and all(img["alt"] == "To rådgivere ved et bord" for img in images)
    credits = [c.text for c in soup.select("figure.figure .credit")]
    assert credits == ["Foto: Jobcenter Vejle"] * 2
    image.alt_text = "Et møde i Vejle"
    image.save()
    soup = BeautifulSoup(client.get(page.url).content.decode(), "html.parser")
    assert soup.select_one("figure.figure img")["alt"] == "Et møde i Vejle"


@pytest.mark.django_db
def test_video_block_renders_a_link_without_javascript(client, make_experience, monkeypatch):
    from wagtail.embeds import embeds
    from wagtail.embeds.models import Embed

    monkeypatch.setattr(
        embeds,
        "get_embed",
        lambda url, *a, **k: Embed(url=url, html="<iframe title='Video'></iframe>", type="video"),
    )
    page = make_experience("Med video")
    page.body.append(("video", {"video": "https://video.example/v/1", "caption": "Se forløbet"}))
    page.save_revision().publish()
    text = client.get(page.url).content.decode()
    assert "Se forløbet" in text and 'href="https://video.example/v/1"' in text


@pytest.mark.django_db
def test_contact_person_shown_only_with_consent(client, make_experience):
    person = UserFactory(
        email="kontakt@kommune.example",
        first_name="Karin",
        last_name="Kontakt",
        profile_visibility=ProfileVisibility.PUBLIC,
        contact_allowed=False,
    )
    page = make_experience("Med kontakt", contact=person)
    text = client.get(page.url).content.decode()
    assert "Karin Kontakt" in text and "kontakt@kommune.example" not in text
    person.contact_allowed = True
    person.save()
    assert "kontakt@kommune.example" in client.get(page.url).content.decode()
    person.profile_visibility = ProfileVisibility.PRIVATE
    person.save()
    assert "Karin Kontakt" not in client.get(page.url).content.decode()
    assert "Erfaringen har en kontaktperson" not in client.get(page.url).content.decode()


@pytest.mark.django_db
def test_a_visitor_learns_there_is_a_contact_person_to_log_in_for(client, make_experience):
    """An outside walk: for a members-only profile the box was simply missing, and a
    leader browsing without logging in never knew someone could be asked."""
    person = UserFactory(
        first_name="Mads",
        last_name="Mølgaard",
        profile_visibility=ProfileVisibility.MEMBERS,
        contact_allowed=True,
    )
    page = make_experience("Med kontakt", contact=person)
    text = client.get(page.url).content.decode()
    assert "Erfaringen har en kontaktperson." in text and "Mølgaard" not in text
    assert f'href="/konto/login/?next={page.url}"' in text
    client.force_login(UserFactory())
    text = client.get(page.url).content.decode()
    assert "Mads Mølgaard" in text and "Erfaringen har en kontaktperson" not in text


@pytest.mark.django_db
def test_related_experiences_share_area_or_municipality(client, make_experience):
    page = make_experience("Hoved", municipalities=["0751"], topics=["unge"])
    make_experience("Samme område", topics=["unge"], published=datetime.date(2026, 5, 1))
    make_experience("Samme kommune", municipalities=["0751"], published=datetime.date(2026, 6, 1))
    make_experience("Intet til fælles", municipalities=["0101"], topics=["ydelser"])
    make_experience("Kladde i samme område", topics=["unge"], live=False)
    soup = BeautifulSoup(client.get(page.url).content.decode(), "html.parser")
    related = [a.text for a in soup.select("#related-title ~ ul .card h3 a")]
    assert related == ["Samme kommune", "Samme område"]


@pytest.mark.django_db
def test_municipality_page_lists_its_experiences_and_links_feed(client, make_experience):
    make_experience("Fra Aarhus", municipalities=["0751"])
    make_experience("Fra Viborg", municipalities=["0791"])
    make_experience("Kladde fra Aarhus", municipalities=["0751"], live=False)
    response = client.get("/kommuner/aarhus/")
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    titles = [a.text for a in soup.select(".card h3 a")]
    assert titles == ["Fra Aarhus"]
    assert soup.find("a", string="Se alle erfaringer")["href"] == "/erfaringer/?kommune=aarhus"
    feed = soup.find("link", rel="alternate")
    assert feed["href"] == "/erfaringer/feed/?kommune=aarhus"


@pytest.mark.django_db
def test_home_page_shows_newest_experiences(client, make_experience):
    make_experience("Gammel", published=datetime.date(2020, 1, 1))
    make_experience("Ny", published=datetime.date(2026, 11, 1))
    soup = BeautifulSoup(client.get("/").content.decode(), "html.parser")
    titles = [a.text for a in soup.select("#section-newest-experiences ~ ul .card h3 a")]
    assert titles[:2] == ["Ny", "Gammel"]
    assert soup.find("a", string="Erfaringer")
