"""The database index counts, filters and orders on per-process columns
(search/backends/columns.py) and, on SQLite, ranks by asking FTS5 for the best
matches within the filters. These tests hold both to the plain SQL answer."""

import datetime
import itertools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search import backends, registry
from search.models import SearchEntry
from search.query import Filters, SearchRequest, parse

WORDS = ["mentor", "videosamtaler", "sygedagpenge", "virksomhedspraktik", "borgere"]
PLACES = ["0101", "0751", "0461", "0561"]
TOPICS = ["unge", "sygedagpenge", "faglighed"]


@pytest.fixture
def many(notes):
    """120 notes whose words, places, topics, access and dates vary together, with
    repeated titles so that ranking ties are common."""
    combos = itertools.product(range(4), range(5), range(6))
    for i, (a, b, c) in enumerate(combos):
        words = WORDS[: 1 + (i % 5)]
        notes.add(
            f"{WORDS[b].capitalize()} i praksis",
            body=" ".join(words * (1 + c % 3)) + " ledige",
            municipalities=(PLACES[a],),
            topics=(TOPICS[(a + c) % 3],),
            access=["public", "public", "members", f"project:{7}"][(i * 7) % 4],
            date=datetime.date(2020 + c, 1 + b, 1),
        )
    return notes


def _request(q, user_tokens, offset=0, limit=10, **filters):
    # The order before the best matches' words reorder the first pages
    # (search.feedback, tested in test_feedback.py): the one SQL gives.
    return SearchRequest(
        query=parse(q),
        access=frozenset(user_tokens),
        filters=Filters(**filters),
        offset=offset,
        limit=limit,
        reorder=False,
    )


CASES = [
    ("mentor", {}),
    ("borgere", {}),
    ("mentor ledige", {"topic": "unge"}),
    ("sygedagpenge", {"municipality": "0751"}),
    ("videosamtaler", {"year": 2022}),
    ("", {"municipality": "0461", "topic": "faglighed"}),
]


@pytest.mark.parametrize("q,filters", CASES)
@pytest.mark.parametrize("tokens", [{"public"}, {"public", "members", "project:7"}])
@pytest.mark.parametrize("offset", [0, 10, 30])
@pytest.mark.parametrize("score_candidates", [False, True], ids=["one-pass", "candidates"])
def test_pages_and_counts_match_the_sql_answer(
    engine, request, q, filters, tokens, offset, score_candidates, monkeypatch
):
    backend = engine.backend
    if engine.name == "elasticsearch":
        pytest.skip("compares the database backend's two ways of answering")
    if score_candidates and not backend.dialect.scores_all:
        pytest.skip("only PostgreSQL reads scores")
    request.getfixturevalue("many")  # after the skips: 120 notes take a while to index
    # The order FTS5 gives, before SQLite ranks its best matches again with the
    # reader's own counts (tested in test_visibility.py).
    monkeypatch.setattr("search.backends.database.RERANK_WINDOW", 0)
    if score_candidates:
        # As for filters that keep a small part of a large index: the matches are
        # read without scores, and the candidates scored by primary key.
        monkeypatch.setattr(type(backend), "_selective", lambda self, request: True)
    search = _request(q, tokens, offset=offset, **filters)
    result = backend.search(search)
    reference = backend._page_sql(search, result.total)
    sql, params = backend._matches(search, search.filters, score=False)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) m", params)
        total = cursor.fetchone()[0]
    assert result.total == total
    assert [int(hit.object_id) for hit in result.hits] == [
        int(backend_object_id(backend, i)) for i in reference
    ]
    if offset == 0 and total:
        assert result.hits, "a matching search returned an empty first page"


def backend_object_id(backend, entry_id):
    from search.models import SearchEntry

    return SearchEntry.objects.get(pk=entry_id).object_id


def test_facet_counts_are_counted_within_the_other_filters(engine, many):
    if engine.name == "elasticsearch":
        pytest.skip("database backend only")
    outcome = engine.run(None, "borgere", municipality="0751")
    counts = outcome.result.facets
    # Every municipality stays on offer with its own count; the other facets count
    # only within Aarhus.
    everywhere = engine.run(None, "borgere").result.facets
    assert counts["municipality"] == everywhere["municipality"]
    assert sum(counts["type"].values()) == outcome.total
    assert outcome.total == everywhere["municipality"]["0751"]


def test_a_search_inside_a_transaction_keeps_no_rows(many):
    """Rows read inside a transaction that may roll back are not kept: the test
    database's transaction always rolls back and would hand the ids out again."""
    backend = backends.database_backend()
    backend.search(_request("mentor", {"public"}))
    assert backend.columns.loaded == 0
    assert not len(backend.columns.access)


@pytest.mark.django_db(transaction=True)
def test_the_first_search_reads_every_entry_and_the_next_reads_none(notes, migrated_data):
    """A new process reads the columns whole on its first search, so the searches
    after it ask the database only what matches (no rows, no count of the index)."""
    notes.add("Mentor i Aarhus", body="mentor", municipalities=("0751",))
    notes.add("Jobcafé i Odense", body="jobcafé", municipalities=("0461",))
    access = frozenset(registry.access_tokens(AnonymousUser()))
    backend = backends.database_backend()
    backend.columns.reset()
    backend.search(SearchRequest(query=parse("mentor"), access=access))
    assert backend.columns.loaded == SearchEntry.objects.count() >= 2
    with CaptureQueriesContext(connection) as queries:
        second = backend.search(SearchRequest(query=parse("jobcafé"), access=access))
    assert second.total == 1 and second.facets["municipality"] == {"0461": 1}
    columns = ("SELECT id, access, date, facets FROM", "SELECT COUNT(*) FROM search_searchentry")
    assert not [q["sql"] for q in queries if q["sql"].startswith(columns)]


@pytest.mark.django_db(transaction=True)
def test_entries_indexed_after_the_columns_were_read_are_counted(notes, migrated_data):
    notes.add("Mentor i Aarhus", body="mentor", municipalities=("0751",))
    user = AnonymousUser()
    access = frozenset(registry.access_tokens(user))
    backend = backends.database_backend()
    first = backend.search(SearchRequest(query=parse("mentor"), access=access))
    assert first.total == 1 and backend.columns.loaded >= 1
    notes.add("Mentor i Odense", body="mentor", municipalities=("0461",))
    second = backend.search(SearchRequest(query=parse("mentor"), access=access))
    assert second.total == 2
    assert second.facets["municipality"] == {"0751": 1, "0461": 1}
    notes.delete(notes.store[1])
    third = backend.search(SearchRequest(query=parse("mentor"), access=access))
    assert [hit.title for hit in third.hits] == ["Mentor i Odense"]
    assert third.facets["municipality"] == {"0461": 1}


def test_postgresql_ranks_as_ts_rank_with_length_normalisation(engine, notes):
    """The stored length gives the score ts_rank's normalisation 1 would: every vector's
    length is PostgreSQL's own count, written at insert and at update."""
    if engine.name != "postgres":
        pytest.skip("the stored vector length is PostgreSQL's")
    from django.db import connection

    first = notes.add("Mentor for ledige", body="mentor " * 40 + "og ledige borgere")
    notes.add("Ledige unge", body="En kort tekst om ledige.")
    notes.add("Ingen match", body="Noget helt andet " * 30)
    first.body = "mentor " * 3 + "og ledige borgere med en lang tekst " * 20
    registry.schedule_reindex(first)  # a reindex writes its length anew
    query = parse("mentor ledige")
    score_sql, params = engine.backend.dialect.score(query, "all")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM search_vector WHERE length <> (SELECT "
            "coalesce(sum(coalesce(array_length(positions, 1), 1)), 0) FROM unnest(vector))"
        )
        assert cursor.fetchone()[0] == 0
        cursor.execute(
            f"SELECT {score_sql}, ts_rank(%s::float4[], v.vector, %s::tsquery, 1) "
            "FROM search_vector v WHERE v.vector @@ %s::tsquery",
            [*params, engine.backend.dialect.RANK_WEIGHTS, params[0], params[0]],
        )
        rows = cursor.fetchall()
    assert len(rows) == 2
    for ours, theirs in rows:
        assert ours == pytest.approx(theirs, rel=1e-6)
