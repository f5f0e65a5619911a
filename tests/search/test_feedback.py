"""The best matches' words reorder the first pages (search/feedback.py): a text that
says what the best matches say climbs above one that only shares the query word,
paging still shows every match once, and content the reader may not see weighs
nothing."""

import pytest

from search import feedback

STRESS_CASES = [
    "Stress blandt sygemeldte: samtaler om arbejdsmiljø og skånehensyn",
    "Stress og sygemeldte: arbejdsmiljø, skånehensyn og samtaler",
    "Stress: sygemeldte får samtaler om skånehensyn og arbejdsmiljø",
    "Stress hos sygemeldte, skånehensyn og arbejdsmiljø i samtaler",
    "Stress, sygemeldte og arbejdsmiljø: samtaler med skånehensyn",
    "Stress og arbejdsmiljø: skånehensyn i samtaler med sygemeldte",
]
OTHER_TOPICS = ["jobrotation", "sprogpraktik", "fleksjob", "løntilskud", "virksomhedspraktik"]


def _stress(notes):
    for title in STRESS_CASES:
        notes.add(title, body=title.lower())
    # Both name stress in the body only. The second says what the best matches say;
    # the first is about something else and names stress twice, so it ranks above
    # the second on the word alone (and comes first in id order).
    notes.add(
        "Havvindmøller i Esbjerg",
        body="stress stress på byggepladsen ved havvindmøller, kraner og fundamenter",
    )
    notes.add(
        "Erfaringer fra en gradvis tilbagevenden",
        body="stress. sygemeldte, skånehensyn, arbejdsmiljø og samtaler med lederen",
    )
    for topic in OTHER_TOPICS * 2:
        notes.add(f"{topic.capitalize()} i praksis", body=f"{topic} for ledige og virksomheder")
    return notes


@pytest.fixture
def stress(notes):
    return _stress(notes)


def _place(titles: list[str], title: str) -> int:
    return titles.index(title)


def test_a_text_like_the_best_matches_climbs_above_one_that_only_shares_the_word(
    engine, stress, monkeypatch
):
    similar, other = "Erfaringer fra en gradvis tilbagevenden", "Havvindmøller i Esbjerg"
    titles = engine.titles(None, "stress")
    assert _place(titles, similar) < _place(titles, other)
    # Without the feedback the word alone decides, the other way round.
    monkeypatch.setattr(feedback, "SHARE", 0.0)
    titles = engine.titles(None, "stress")
    assert _place(titles, other) < _place(titles, similar)


def test_paging_through_the_window_shows_every_match_once(engine, notes, monkeypatch):
    monkeypatch.setattr(feedback, "WINDOW", 12)
    # The five best (mentor in the title) share their words with the last (mentor
    # once in the body), not with the middle (three times): the feedback moves the
    # last ones up, across the pages.
    for i in range(17):
        if i < 5:
            title, body = f"Mentor nummer {i}", "mentor sygemeldte arbejdsmiljø samtaler"
        elif i % 2:
            title, body = f"Notat nummer {i}", f"mentor mentor mentor emne{i} kraner"
        else:
            title, body = f"Notat nummer {i}", "mentor sygemeldte arbejdsmiljø samtaler"
        notes.add(title, body=body)
    pages = [engine.run(None, "mentor", page=p, page_size=5) for p in (1, 2, 3, 4)]
    titles = [hit.title for page in pages for hit in page.result.hits]
    assert len(titles) == 17 and len(set(titles)) == 17
    # Moved up from the third page by what it shares with the best (not by the word).
    assert "Notat nummer 16" in [hit.title for hit in pages[1].result.hits]
    assert all(page.result.total == 17 for page in pages)
    # The window's order is one order: asked for at once, the same.
    assert [hit.title for hit in engine.run(None, "mentor", page_size=12).result.hits] == titles[
        :12
    ]


def test_content_the_reader_may_not_see_does_not_change_their_order(engine, stress):
    before = engine.titles(None, "stress")
    for i in range(30):
        stress.add(
            f"Projektnotat {i}",
            body="sygemeldte skånehensyn arbejdsmiljø samtaler havvindmøller kraner",
            access="project:7",
            project=True,
        )
    assert engine.titles(None, "stress") == before


def test_the_feedback_counts_only_what_the_reader_may_see(engine, notes, participant):
    if engine.name == "elasticsearch":
        pytest.skip("The counts are the database index's, whichever backend answers.")
    from search import analysis, backends, registry

    notes.add("Åben note", body="skånehensyn")
    notes.add("Projektnote", body="skånehensyn", access="project:7", project=True)
    database = backends.database_backend()
    term = analysis.term_of("skånehensyn")
    anonymous = frozenset({registry.PUBLIC})
    both = frozenset(registry.access_tokens(participant))
    assert database.documents_with({term}, anonymous) == {term: 1}
    assert database.documents_with({term}, both) == {term: 2}
    assert database.visible_documents(both) == database.visible_documents(anonymous) + 1


def test_the_fill_with_fewer_words_follows_the_matches_above_it(engine, notes, monkeypatch):
    """Below the matches with enough of the words, the fill with fewer of them is
    ordered by what it shares with those matches (the service's own reordering,
    on the hits, as for Elasticsearch)."""
    for i in range(2):
        notes.add(
            f"Mentor for sygemeldte {i}",
            body="mentor sygemeldte arbejdsmiljø samtaler skånehensyn",
        )
    notes.add("Kraner på havnen", body="kraner kraner på byggepladsen og havnen")
    notes.add("Erfaringer fra lederen", body="kraner. arbejdsmiljø, samtaler og skånehensyn")
    for topic in OTHER_TOPICS * 2:
        notes.add(f"{topic.capitalize()} i praksis", body=f"{topic} for ledige og virksomheder")
    similar, other = "Erfaringer fra lederen", "Kraner på havnen"

    def fill() -> list[str]:
        outcome = engine.run(None, "mentor sygemeldte kraner")
        assert outcome.result.total == 2
        return [hit.title for hit in outcome.fewer_words]

    assert fill().index(similar) < fill().index(other)
    monkeypatch.setattr(feedback, "SHARE", 0.0)
    assert fill().index(other) < fill().index(similar)


def test_elasticsearchs_hits_are_reordered_by_the_database_index_terms(
    cluster, notes, client, django_capture_on_commit_callbacks, monkeypatch
):
    """The in-memory cluster scores every match alike and answers in id order, so
    the order the reader sees beyond that is the service's."""
    with django_capture_on_commit_callbacks(execute=True):
        _stress(notes)

    def titles() -> list[str]:
        data = client.get("/api/search/", {"q": "stress"}).json()
        assert data["backend"] == "elasticsearch"
        return [result["title"] for result in data["results"]]

    similar, other = "Erfaringer fra en gradvis tilbagevenden", "Havvindmøller i Esbjerg"
    assert titles().index(similar) < titles().index(other)
    monkeypatch.setattr(feedback, "SHARE", 0.0)
    assert titles().index(other) < titles().index(similar)


def test_numbers_and_short_words_the_vocabulary_does_not_count_weigh_nothing(engine, notes):
    """A year or a two-letter word in every text is not what a text is about: only
    terms the vocabulary counts are weighed (a reviewer's case)."""
    for i in range(5):
        notes.add(f"Mentor nummer {i}", body="mentor sygemeldte arbejdsmiljø samtaler 2025 eu")
    notes.add("A deler emnet", body="mentor. sygemeldte arbejdsmiljø samtaler")
    notes.add("B deler kun årstallet", body="mentor mentor kraner byggeplads 2025 eu")
    for i in range(30):
        notes.add(f"Baggrund {i}", body=f"emne{i} 2025 eu ledige")
    titles = engine.titles(None, "mentor")
    assert titles.index("A deler emnet") < titles.index("B deler kun årstallet")


def test_both_databases_read_title_body_and_compound_parts_but_not_attachments(engine, notes):
    """The reordering weighs the same terms whichever database holds the index: the
    title's and body's words and the compound parts of them, not an attachment's."""
    from search import analysis, backends

    notes.add(
        "Mentorstøtte",
        body="sygedagpengeopfølgning for sygemeldte",
        extra="havvindmøller kraner",
    )
    terms = backends.database_backend().terms_of([("note", "1")])[("note", "1")]
    compound, parts = analysis.analyze_word("sygedagpengeopfølgning")
    assert parts
    expected = {analysis.analyze_word(w)[0] for w in ("mentorstøtte", "sygemeldte")}
    assert expected | {compound, *parts} <= set(terms)
    assert not {analysis.analyze_word(w)[0] for w in ("havvindmøller", "kraner")} & set(terms)
