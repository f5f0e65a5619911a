import xml.etree.ElementTree as ET

import pytest

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def content(make_experience):
    make_experience(
        "Sygedagpenge i Aarhus",
        municipalities=["0751"],
        topics=["sygedagpenge"],
        published="2026-02-01",
        external_id="x-1",
        author="Rasmus Riis",
    )
    make_experience(
        "Unge i Viborg", municipalities=["0791"], topics=["unge"], published="2026-03-01"
    )
    make_experience("Kladde om sygedagpenge", topics=["sygedagpenge"], live=False)


@pytest.mark.django_db
def test_rss_feed_is_valid_and_newest_first(client, content):
    response = client.get("/erfaringer/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel.findtext("language") == "da"
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == ["Unge i Viborg", "Sygedagpenge i Aarhus"]
    assert items[0].findtext("link").startswith("http://testserver/erfaringer/unge-i-viborg")
    assert items[0].findtext("pubDate")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query,expected",
    [("omraade=sygedagpenge", ["Sygedagpenge i Aarhus"]), ("kommune=viborg", ["Unge i Viborg"])],
)
def test_feeds_filter_by_work_area_and_municipality(client, content, query, expected):
    rss = ET.fromstring(client.get(f"/erfaringer/feed/?{query}").content)
    assert [i.findtext("title") for i in rss.iter("item")] == expected
    atom = ET.fromstring(client.get(f"/erfaringer/feed/atom/?{query}").content)
    assert atom.tag == f"{ATOM}feed"
    assert [e.findtext(f"{ATOM}title") for e in atom.iter(f"{ATOM}entry")] == expected


@pytest.mark.django_db
def test_every_atom_entry_has_an_author_an_id_and_updated(client, content):
    """RFC 4287: an entry needs an author, its own or the feed's (an article with no
    author had none), an id and <updated>."""
    atom = ET.fromstring(client.get("/erfaringer/feed/atom/").content)
    feed_author = atom.findtext(f"{ATOM}author/{ATOM}name")
    assert feed_author == "Beskæftigelsesnetværket"
    for entry in atom.iter(f"{ATOM}entry"):
        assert entry.findtext(f"{ATOM}id").startswith("http://testserver/erfaringer/")
        assert entry.findtext(f"{ATOM}updated")
    authors = {
        e.findtext(f"{ATOM}title"): e.findtext(f"{ATOM}author/{ATOM}name")
        for e in atom.iter(f"{ATOM}entry")
    }
    assert authors["Sygedagpenge i Aarhus"] == "Rasmus Riis"


@pytest.mark.django_db
def test_an_article_published_today_is_not_dated_in_the_future(client, make_experience):
    """An outside walk published at 7:46 and the feed said 8:00, a time to come, which
    some feed readers hide."""
    import datetime
    from email.utils import parsedate_to_datetime

    from django.utils import timezone

    from experiences.models import ExperiencePage

    page = make_experience("I dag", published=timezone.localdate().isoformat())
    at_seven = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time(7))
    )
    ExperiencePage.objects.filter(pk=page.pk).update(first_published_at=at_seven)
    rss = ET.fromstring(client.get("/erfaringer/feed/").content)
    (item,) = rss.iter("item")
    assert parsedate_to_datetime(item.findtext("pubDate")) == at_seven


@pytest.mark.django_db
def test_listing_links_its_feeds(client, content):
    text = client.get("/erfaringer/?omraade=unge").content.decode()
    assert 'rel="alternate" type="application/rss+xml"' in text
    assert 'href="/erfaringer/feed/?omraade=unge"' in text
    assert 'href="/erfaringer/feed/atom/?omraade=unge"' in text


@pytest.mark.django_db
def test_api_returns_only_published_experiences_with_structured_fields(client, content):
    response = client.get("/api/v2/erfaringer/?fields=*")
    assert response.status_code == 200
    data = response.json()
    titles = [item["title"] for item in data["items"]]
    assert sorted(titles) == ["Sygedagpenge i Aarhus", "Unge i Viborg"]
    assert data["meta"]["total_count"] == 2
    item = next(i for i in data["items"] if i["title"] == "Sygedagpenge i Aarhus")
    assert item["municipality_codes"] == ["0751"]
    assert item["work_area_slugs"] == ["sygedagpenge"]
    assert item["external_id"] == "x-1"
    assert item["author"] == "Rasmus Riis"
    assert item["published_date"] == "2026-02-01"
    assert "contact_person" not in item


@pytest.mark.django_db
def test_api_detail_of_a_draft_is_404(client, make_experience):
    draft = make_experience("Hemmelig kladde", live=False)
    assert client.get(f"/api/v2/erfaringer/{draft.pk}/").status_code == 404
    assert "Hemmelig" not in client.get("/api/v2/erfaringer/").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/erfaringer/feed/", "/erfaringer/feed/atom/"])
def test_a_filtered_feed_names_itself_with_its_filters(client, content, path):
    root = ET.fromstring(client.get(f"{path}?omraade=sygedagpenge&kommune=aarhus").content)
    from urllib.parse import parse_qs, urlsplit

    selves = [link.get("href") for link in root.iter(f"{ATOM}link") if link.get("rel") == "self"]
    assert len(selves) == 1
    self_link = urlsplit(selves[0])
    assert self_link.path == path
    assert parse_qs(self_link.query) == {"kommune": ["aarhus"], "omraade": ["sygedagpenge"]}


@pytest.mark.django_db
def test_api_links_carry_the_site_address_with_its_port(client, demo, settings):
    """With `PORT=8080 make run` (SITE_URL http://127.0.0.1:8080) the API's links must
    point at port 8080."""
    data = client.get("/api/v2/erfaringer/").json()
    item = data["items"][0]
    assert item["meta"]["detail_url"].startswith(settings.SITE_URL + "/api/v2/erfaringer/")
    assert item["meta"]["html_url"].startswith(settings.SITE_URL + "/erfaringer/")
