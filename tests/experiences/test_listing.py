"""The /erfaringer/ listing over a fixed set of articles, built once for the module:
filters alone and combined, sort order, facet counts. (Pagination, query counts and
cached counts as articles are added: test_listing_growth.py.)"""

import pytest
from bs4 import BeautifulSoup

from experiences.factories import create_experience
from experiences.services import get_index_page


def _titles(response):
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    return {a.text.strip() for a in soup.select(".listing__results .card h3 a")}


@pytest.fixture(scope="module")
def built(module_transaction, django_db_blocker):
    """Five articles (one a draft), made once for the module: each test's own changes
    are rolled back (module_transaction)."""
    with django_db_blocker.unblock():
        return _make_articles()


@pytest.fixture
def articles(db, built):
    return built


def _make_articles():
    create_experience(
        "Aarhus video",
        municipalities=["0751"],
        topics=["sygedagpenge"],
        profiles=["helhedsprofil"],
        kind="article",
        published="2026-03-01",
    )
    create_experience(
        "Viborg sparring",
        municipalities=["0791"],
        topics=["faglighed"],
        profiles=["udviklingsprofil"],
        kind="guide",
        published="2025-05-01",
    )
    create_experience(
        "Aabenraa besøg",
        municipalities=["0580"],
        topics=["virksomhedsservice"],
        profiles=["virksomhedsprofil"],
        kind="case",
        published="2026-01-10",
    )
    create_experience(
        "Aarhus og Viborg unge",
        municipalities=["0751", "0791"],
        topics=["unge", "sygedagpenge"],
        kind="case",
        published="2024-09-09",
    )
    create_experience(
        "Kladde fra Aarhus", municipalities=["0751"], topics=["sygedagpenge"], live=False
    )
    return get_index_page().url


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query,expected",
    [
        ("", {"Aarhus video", "Viborg sparring", "Aabenraa besøg", "Aarhus og Viborg unge"}),
        ("kommune=aarhus", {"Aarhus video", "Aarhus og Viborg unge"}),
        ("region=region-midtjylland", {"Aarhus video", "Viborg sparring", "Aarhus og Viborg unge"}),
        ("region=region-syddanmark", {"Aabenraa besøg"}),
        ("omraade=sygedagpenge", {"Aarhus video", "Aarhus og Viborg unge"}),
        ("fagprofil=udviklingsprofil", {"Viborg sparring"}),
        ("type=case", {"Aabenraa besøg", "Aarhus og Viborg unge"}),
        ("aar=2026", {"Aarhus video", "Aabenraa besøg"}),
        ("kommune=viborg&omraade=unge", {"Aarhus og Viborg unge"}),
        ("region=region-midtjylland&type=case&aar=2024", {"Aarhus og Viborg unge"}),
        ("kommune=aarhus&type=guide", set()),
    ],
)
def test_filters_return_exactly_the_right_articles(client, articles, query, expected):
    response = client.get(f"{articles}?{query}")
    assert response.status_code == 200
    assert _titles(response) == expected
    assert f"<strong>{len(expected)}</strong>" in response.content.decode()


@pytest.mark.django_db
def test_articles_are_sorted_newest_first_and_drafts_hidden(client, articles):
    soup = BeautifulSoup(client.get(articles).content.decode(), "html.parser")
    titles = [a.text.strip() for a in soup.select(".card h3 a")]
    assert titles == ["Aarhus video", "Aabenraa besøg", "Viborg sparring", "Aarhus og Viborg unge"]


@pytest.mark.django_db
def test_facet_counts_and_unknown_values(client, articles):
    text = client.get(f"{articles}?omraade=sygedagpenge").content.decode()
    assert "Aarhus (2)" in text and "Viborg (1)" in text
    response = client.get(f"{articles}?kommune=atlantis&aar=abc")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Vi kender ikke kommunen »atlantis«" in text
    assert "»abc« er ikke et årstal" in text
    assert len(_titles(response)) == 4


@pytest.mark.django_db
def test_a_municipality_or_region_by_its_code_filters_as_by_its_name(client, articles):
    """/soeg/ and the API name a municipality by its code (?kommune=0751); the same
    parameter here said "Vi kender ikke kommunen »0751«" (an outside walk)."""
    by_code = client.get(f"{articles}?kommune=0751")
    assert "Vi kender ikke" not in by_code.content.decode()
    assert _titles(by_code) == {"Aarhus video", "Aarhus og Viborg unge"}
    assert '<option value="aarhus" selected>' in by_code.content.decode()
    region = client.get(f"{articles}?region=1082")
    assert _titles(region) == {"Aarhus video", "Viborg sparring", "Aarhus og Viborg unge"}


@pytest.mark.django_db
def test_the_municipality_filter_is_in_danish_order(client, articles):
    """Aa is å, last in the alphabet, as on /kommuner/ and in every other list (an
    outside walk found this filter alone put Aabenraa and Aarhus first)."""
    kommune = [
        value for name, value, _ in _facet_options(client.get(articles)) if name == "kommune"
    ]
    assert kommune == ["viborg", "aabenraa", "aarhus"]


def _facet_options(response) -> list[tuple[str, str, int]]:
    """(parameter, value, count shown) of every option of every facet on the page."""
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    found = []
    for select in soup.select("select"):
        for option in select.select("option"):
            if option.get("value"):
                count = int(option.text.rsplit("(", 1)[1].rstrip(")"))
                found.append((select["name"], option["value"], count))
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["", "omraade=sygedagpenge", "region=region-midtjylland"])
def test_every_facet_count_is_the_size_of_its_result_set(client, articles, make_experience, query):
    """The count beside each option is what choosing it shows, with the other
    filters kept: checked for every facet, kind and year included."""
    for n in range(3):
        make_experience(f"Ekstra artikel {n}", municipalities=["0751"], kind="article")
    response = client.get(f"{articles}?{query}")
    options = _facet_options(response)
    assert {param for param, _, _ in options} >= {"kommune", "region", "omraade", "type", "aar"}
    for param, value, count in options:
        others = "&".join(p for p in query.split("&") if p and not p.startswith(param + "="))
        chosen = client.get(f"{articles}?{others}&{param}={value}")
        assert len(_titles(chosen)) == count, (param, value, count)


@pytest.mark.django_db
def test_a_filtered_listing_names_its_filters_in_the_title_and_heads_its_results(client, articles):
    """A screen reader hears the title first: "Erfaringer" for every filtered list
    told nothing (an outside accessibility walk). The results have a heading of their
    own, not only the filters' "Filtrér"."""
    soup = BeautifulSoup(client.get(articles + "?kommune=aarhus").content, "html.parser")
    assert " ".join(soup.title.get_text().split()).startswith("Erfaringer – Aarhus ·")
    results = soup.select_one(".listing__results")
    assert results.name == "section"
    assert soup.find(id=results["aria-labelledby"]).name == "h2"
    plain = BeautifulSoup(client.get(articles).content, "html.parser")
    assert plain.title.get_text().startswith("Erfaringer ·")
