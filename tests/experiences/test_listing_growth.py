"""The /erfaringer/ listing as articles are added: pagination, a constant number of
queries, cached facet counts that follow publishing. (The filters and counts over a
fixed set of articles are in test_listing.py, built once for that module.)"""

import pytest
from bs4 import BeautifulSoup

from experiences.services import get_index_page


def _titles(response):
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    return {a.text.strip() for a in soup.select(".listing__results .card h3 a")}


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


@pytest.mark.django_db
def test_cached_facet_counts_follow_a_page_made_private(client, make_experience):
    """An outside attacker made the only Aarhus article private and the listing went
    on counting "Aarhus (1)" for ten minutes."""
    from wagtail.models import PageViewRestriction

    make_experience("Offentlig", municipalities=["0751"])
    closed = make_experience("Bliver lukket", municipalities=["0751"])
    url = get_index_page().url
    assert "Aarhus (2)" in client.get(url).content.decode()
    restriction = PageViewRestriction.objects.create(
        page=closed, restriction_type=PageViewRestriction.LOGIN
    )
    assert "Aarhus (1)" in client.get(url).content.decode()
    restriction.delete()
    assert "Aarhus (2)" in client.get(url).content.decode()
