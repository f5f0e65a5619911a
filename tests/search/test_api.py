"""GET /api/search/ and /api/search/autocomplete/."""

import datetime

import pytest

from experiences.factories import create_experience
from search import registry

pytestmark = pytest.mark.django_db
URL = "/api/search/"


@pytest.fixture
def content(notes):
    create_experience(
        "Videosamtaler med sygemeldte",
        lead="Borgerne i Aarhus holder opfølgningssamtaler på video.",
        municipalities=["0751"],
        topics=["sygedagpenge"],
        published="2026-02-01",
        external_id="imp-17",
    )
    notes.add(
        "Medlemsnote om video",
        body="Kun for medlemmer.",
        access=registry.MEMBERS,
        date=datetime.date(2025, 1, 1),
    )


def test_shape(client, content):
    response = client.get(URL, {"q": "video"})
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {
        "query",
        "backend",
        "total",
        "page",
        "page_size",
        "results",
        "facets",
        "suggestion",
        "corrected_query",
        "fewer_words",
        "excluded_words",
    }
    assert data["query"] == "video" and data["backend"] == "database"
    assert data["fewer_words"] == []  # one word: nothing fewer to look for
    assert data["excluded_words"] == []
    minus = client.get(URL, {"q": "video -sygemeldte"}).json()
    assert minus["excluded_words"] == ["sygemeldte"] and minus["total"] == 0
    assert client.get(URL, {"q": "video -randers"}).json()["total"] == 1
    assert data["total"] == 1 and data["page"] == 1 and data["page_size"] == 20
    assert set(data["facets"]) == {"type", "municipality", "region", "topic", "project", "year"}
    assert data["facets"]["type"] == {"experience": 1}
    assert data["facets"]["region"] == {"1082": 1}
    assert data["suggestion"] is None
    (result,) = data["results"]
    assert set(result) == {
        "type",
        "title",
        "title_html",
        "url",
        "snippet",
        "municipalities",
        "topics",
        "date",
        "published",
        "external_id",
        "matched_tags",
    }
    assert result["type"] == "experience"
    assert "<mark>" in result["title_html"]  # the matched word, marked as in the snippet
    assert result["url"].endswith("/videosamtaler-med-sygemeldte/")
    assert result["municipalities"] == ["0751"] and result["topics"] == ["sygedagpenge"]
    assert result["date"] == "2026-02-01" and result["external_id"] == "imp-17"
    assert result["published"] == "2026-02-01"  # an article is put up on its own day
    assert "<mark>video</mark>" in result["snippet"]


def test_session_login_widens_the_results(client, content, member):
    assert client.get(URL, {"q": "video"}).json()["total"] == 1
    client.force_login(member)
    data = client.get(URL, {"q": "video"}).json()
    assert data["total"] == 2
    assert data["facets"]["type"] == {"experience": 1, "note": 1}


def test_filters_sort_and_pages(client, content, member):
    client.force_login(member)
    data = client.get(URL, {"q": "video", "type": "note"}).json()
    assert [r["type"] for r in data["results"]] == ["note"]
    data = client.get(URL, {"sort": "newest", "page_size": 1, "page": 2}).json()
    assert data["total"] == 2 and data["results"][0]["date"] == "2025-01-01"
    assert client.get(URL, {"q": "video", "year": "2026"}).json()["total"] == 1
    assert client.get(URL, {"municipality": "0751"}).json()["total"] == 1


def test_the_page_s_danish_names_ask_the_api_the_same(client, content, member):
    """A query string copied from /soeg/ (kommune, aar, sortering, side, antal) filters
    the API's answer too; before, its Danish names were ignored and everything came."""
    client.force_login(member)
    assert client.get(URL, {"q": "video"}).json()["total"] == 2
    assert client.get(URL, {"q": "video", "kommune": "0751"}).json()["total"] == 1
    assert client.get(URL, {"q": "video", "aar": "2025"}).json()["results"][0]["type"] == "note"
    data = client.get(URL, {"sortering": "nyeste", "antal": "1", "side": "2"}).json()
    assert data["page_size"] == 1 and data["page"] == 2
    assert data["results"][0]["date"] == "2025-01-01"
    clash = client.get(URL, {"municipality": "0751", "kommune": "0101"})
    assert clash.status_code == 400
    assert clash.json()["error"] == "Både municipality og kommune er angivet. Brug én af dem."
    assert client.get(URL, {"municipality": "0751", "kommune": "0751"}).json()["total"] == 1
    # A filter given twice is refused by either name (an outside walk got 200 and one
    # of the two for ?kommune=0630&kommune=0791, 400 for ?municipality=… twice).
    for name in ("municipality", "kommune"):
        twice = client.get(f"{URL}?{name}=0751&{name}=0730")
        assert twice.status_code == 400, name
        assert (
            twice.json()["error"]
            == f"»{name}« er angivet flere gange. Der kan vælges én ad gangen."
        )


def test_every_api_error_names_its_message_under_error(client, content):
    """A NUL in the query was answered {"message": …}, every other error {"error": …}."""
    response = client.get(URL, {"q": "video\x00"})
    assert response.status_code == 400
    assert "ugyldigt tegn" in response.json()["error"]
    assert client.get(URL, {"type": "kage"}).json()["error"].startswith("Ukendt indholdstype")


def test_typo_is_corrected_in_the_results(client, content):
    data = client.get(URL, {"q": "videosamtalr"}).json()
    assert data["corrected_query"] == "videosamtaler"
    assert data["total"] >= 1 and data["suggestion"] is None
    exact = client.get(URL, {"q": "videosamtalr", "exact": "1"}).json()
    # Exactly what was typed: no correction (its part "video" may still match).
    assert exact["corrected_query"] is None and exact["suggestion"] == "videosamtaler"


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"municipality": "9999"}, "Ukendt kommunekode"),
        ({"region": "1234"}, "Ukendt regionskode"),
        ({"topic": "findes-ikke"}, "Ukendt arbejdsområde"),
        ({"type": "kage"}, "Ukendt indholdstype"),
        ({"year": "sidste"}, "ikke et årstal"),
        ({"sort": "tilfældig"}, "Ukendt sortering"),
        ({"page": "0"}, "Sidetallet"),
        ({"page": "x"}, "Sidetallet"),
        ({"page_size": "500"}, "Antal pr. side"),
        ({"q": "a" * 201}, "for lang"),
        ({"project": "hemmeligt-projekt"}, "Ukendt projekt"),
        ({"exact": "banana"}, "ikke et gyldigt valg for præcis søgning"),
        ({"praecis": "banana"}, "ikke et gyldigt valg for præcis søgning"),
        ({"q": "video", "page": "7"}, "Siden findes ikke"),
    ],
)
def test_bad_parameters_get_400_in_danish(client, content, params, message):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_autocomplete_endpoint(client, content, member):
    data = client.get("/api/search/autocomplete/", {"q": "video opfølg"}).json()
    assert data["backend"] == "database"
    assert "video opfølgningssamtaler" in data["completions"]
    # A zero-width space inside the word typed is no part of it (an outside walk).
    spaced = client.get("/api/search/autocomplete/", {"q": "video opf\u200bølg"}).json()
    assert "video opfølgningssamtaler" in spaced["completions"]
    assert client.get("/api/search/autocomplete/", {"q": "medlem"}).json()["completions"] == []
    client.force_login(member)
    assert (
        "medlemmer"
        in client.get("/api/search/autocomplete/", {"q": "medlem"}).json()["completions"]
    )


@pytest.mark.django_db
def test_a_page_past_the_end_names_the_pages_in_danish(client):
    message = client.get("/api/search/", {"q": "zzzzqqq", "page": "2"}).json()["error"]
    assert message == "Siden findes ikke: søgningen gav ingen resultater."


@pytest.mark.django_db
def test_autocomplete_offers_municipalities_as_spelt(client):
    """An outside walk's *faab* and *hørs* were offered nothing, and *aarh* "aarhus"."""
    create_experience("Aarhus og Odense", lead="Aarhus samarbejder med Odense om unge.")

    def completions(q):
        return client.get("/api/search/autocomplete/", {"q": q}).json()["completions"]

    assert completions("faab") == ["Faaborg-Midtfyn"]
    assert completions("hørs") == ["Hørsholm"]
    assert completions("hoers") == ["Hørsholm"]
    assert completions("unge i aarh") == ["unge i Aarhus"]
    assert "samarbejder" in completions("samar")
