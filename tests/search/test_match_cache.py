"""The database index keeps a query's matches in the cache until the index changes
(search/backends/matchcache.py). The search conftest keeps every answer there, so
the whole suite runs through the cache; these tests hold it to what a reader sees
when the index changes under it, and to who may see what."""

import pytest
from django.db import transaction
from django.test.utils import CaptureQueriesContext

from search.backends import matchcache


@pytest.fixture
def database(engine):
    if engine.name == "elasticsearch":
        pytest.skip("Elasticsearch keeps its own request cache.")
    return engine


def _every_match_queries(context) -> list[str]:
    """The queries that read every match of the query (SQLite's group_concat of the
    FTS5 rowids, PostgreSQL's packed ids and scores); SQLite then asks FTS5 for the
    best few, which is cheap and not kept."""
    return [
        q["sql"]
        for q in context.captured_queries
        if ("@@" in q["sql"] or "MATCH" in q["sql"])
        and ("group_concat(" in q["sql"] or "int8send(" in q["sql"])
    ]


def test_a_repeated_search_is_answered_from_the_cache(database, notes):
    from django.db import connection

    notes.add("Mentor i Aarhus", body="mentor for ledige")
    with CaptureQueriesContext(connection) as context:
        assert database.titles(None, "mentor") == ["Mentor i Aarhus"]
    assert len(_every_match_queries(context)) == 1
    with CaptureQueriesContext(connection) as context:
        assert database.titles(None, "mentor") == ["Mentor i Aarhus"]
    assert _every_match_queries(context) == []


def test_a_search_sees_what_was_indexed_and_removed_since(database, notes):
    first = notes.add("Mentor i Aarhus", body="mentor for ledige")
    assert database.titles(None, "mentor") == ["Mentor i Aarhus"]
    notes.add("Mentor i Odense", body="mentor for sygemeldte")
    assert sorted(database.titles(None, "mentor")) == ["Mentor i Aarhus", "Mentor i Odense"]
    assert database.run(None, "mentor").result.total == 2
    notes.delete(first)
    assert database.titles(None, "mentor") == ["Mentor i Odense"]
    assert database.run(None, "mentor").result.facets["type"] == {"note": 1}


def test_a_rolled_back_write_leaves_no_answer_behind(database, notes):
    """A write that rolls back leaves its token unused for ever (it is random), so
    what a search inside it saw is never an answer for the content that follows."""
    notes.add("Mentor i Aarhus", body="mentor")
    assert database.titles(None, "mentor") == ["Mentor i Aarhus"]
    with pytest.raises(RuntimeError), transaction.atomic():
        notes.add("Mentor i Vejle", body="mentor")
        assert sorted(database.titles(None, "mentor")) == ["Mentor i Aarhus", "Mentor i Vejle"]
        raise RuntimeError
    notes.store.pop(max(notes.store))
    assert database.titles(None, "mentor") == ["Mentor i Aarhus"]
    # The next write (which SQLite may give the rolled-back entry's id) is another
    # index, whatever a counter would say.
    notes.add("Jobrotation i Odense", body="jobrotation")
    outcome = database.run(None, "mentor")
    assert [hit.title for hit in outcome.result.hits] == ["Mentor i Aarhus"]
    assert outcome.result.total == 1


@pytest.mark.parametrize("first", ["participant", "anonymous"])
def test_a_kept_answer_shows_each_reader_only_what_they_may_see(
    database, notes, participant, first
):
    notes.add("Drejebog for mentorer", body="mentor drejebog", access="project:7", project=True)
    notes.add("Mentor i Aarhus", body="mentor")
    readers = {"participant": participant, "anonymous": None}
    order = [first] + [name for name in readers if name != first]
    seen = {name: database.run(readers[name], "mentor") for name in order}
    assert [hit.title for hit in seen["anonymous"].result.hits] == ["Mentor i Aarhus"]
    assert seen["anonymous"].result.total == 1
    assert not seen["anonymous"].result.facets.get("project")
    assert seen["participant"].result.total == 2
    assert database.titles(None, "drejebog") == []
    assert database.titles(participant, "drejebog") == ["Drejebog for mentorer"]


def test_an_answer_the_index_changed_under_is_not_kept(database, notes, monkeypatch):
    """The token is read before and after the match: when a write committed in
    between, the answer may be older than the new token and is not kept."""
    notes.add("Mentor i Aarhus", body="mentor")
    tokens = iter(["before", "after"] * 10)
    monkeypatch.setattr(matchcache, "token", lambda cursor: next(tokens))
    kept = []
    monkeypatch.setattr(matchcache, "put", lambda key, row: kept.append(key))
    assert database.titles(None, "mentor") == ["Mentor i Aarhus"]
    assert kept == []


def test_without_the_setting_nothing_is_kept(database, notes, settings, monkeypatch):
    settings.SEARCH_MATCH_CACHE = False
    kept = []
    monkeypatch.setattr(matchcache, "put", lambda key, row: kept.append(key))
    notes.add("Mentor i Aarhus", body="mentor")
    database.titles(None, "mentor")
    database.titles(None, "mentor")
    assert kept == []


def test_small_answers_are_not_kept(database, notes, monkeypatch):
    monkeypatch.setattr(matchcache, "MIN_MATCHES", 2)
    kept = []
    real_put = matchcache.put
    # The documents per access token (a dict, kept whatever its size) are not a match.
    monkeypatch.setattr(
        matchcache,
        "put",
        lambda key, row: (isinstance(row, dict) or kept.append(key), real_put(key, row)),
    )
    notes.add("Mentor i Aarhus", body="mentor")
    database.titles(None, "mentor")
    assert kept == []
    notes.add("Mentor i Odense", body="mentor")
    database.titles(None, "mentor")
    assert len(kept) == 1
