"""The /erfaringer/ listing: filters alone and combined, counts, pagination, queries."""

import pytest
from bs4 import BeautifulSoup

from experiences.services import get_index_page


def _titles(response):
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    return {a.text.strip() for a in soup.select(".listing__results .card h3 a")}


@pytest.fixture
def articles(make_experience):
    make_experience(
        "Aarhus video",
        municipalities=["0751"],
        topics=["sygedagpenge"],
        profiles=["helhedsprofil"],
        kind="article",
        published="2026-03-01",
    )
    make_experience(
        "Viborg sparring",
        municipalities=["0791"],
        topics=["faglighed"],
        profiles=["udviklingsprofil"],
        kind="guide",
        published="2025-05-01",
    )
    make_experience(
        "Aabenraa besøg",
        municipalities=["0580"],
        topics=["virksomhedsservice"],
        profiles=["virksomhedsprofil"],
        kind="case",
        published="2026-01-10",
    )
    make_experience(
        "Aarhus og Viborg unge",
        municipalities=["0751", "0791"],
        topics=["unge", "sygedagpenge"],
        kind="case",
        published="2024-09-09",
    )
    make_experience(
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
def test_pagination_keeps_filters(client, make_experience):
    for n in range(14):
        make_experience(f"Unge {n:02d}", topics=["unge"], published=f"2026-01-{n + 1:02d}")
    url = get_index_page().url
    response = client.get(f"{url}?omraade=unge")
    assert len(_titles(response)) == 12
    assert "?omraade=unge&amp;side=2" in response.content.decode()
    second = client.get(f"{url}?omraade=unge&side=2")
    assert _titles(second) == {"Unge 00", "Unge 01"}
    assert client.get(f"{url}?side=999").status_code == 200


def _count_queries(client, url, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_listing_query_count_is_constant(client, make_experience, django_assert_max_num_queries):
    municipalities = ["0751", "0791", "0580", "0101", "0461"]
    topics = ["unge", "sygedagpenge", "faglighed"]

    def add(n):
        for i in range(n):
            make_experience(
                f"Artikel {i}",
                municipalities=[municipalities[i % 5], municipalities[(i + 1) % 5]],
                topics=[topics[i % 3]],
                profiles=["helhedsprofil"],
            )

    add(5)
    url = get_index_page().url
    client.get(url)  # warm caches (site root, navigation)
    few = _count_queries(client, url + "?omraade=unge", django_assert_max_num_queries)
    add(45)
    client.get(url)  # publishing cleared the navigation cache; warm it again
    many = _count_queries(client, url + "?omraade=unge", django_assert_max_num_queries)
    assert few == many, (few, many)


@pytest.mark.django_db
def test_cached_facet_counts_follow_publishing(client, make_experience):
    make_experience("Første", municipalities=["0751"], topics=["unge"])
    url = get_index_page().url
    assert "Aarhus (1)" in client.get(url).content.decode()
    second = make_experience("Anden", municipalities=["0751"], topics=["unge"])
    assert "Aarhus (2)" in client.get(url).content.decode()
    second.unpublish()
    assert "Aarhus (1)" in client.get(url).content.decode()


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
