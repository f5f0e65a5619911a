"""One behaviour suite, run on every backend (see the `engine` fixture in conftest)."""

import datetime

import pytest

from search.models import SynonymGroup

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(notes):
    add = notes.add
    return {
        "video": add(
            "Videosamtaler med sygemeldte borgere",
            body="Borgerne i Aarhus fik tilbudt videosamtaler på sygedagpengeområdet. "
            "Jobcenteret evaluerede forløbet efter et halvt år.",
            municipalities=("0751",),
            topics=("sygedagpenge", "digitalisering"),
            date=datetime.date(2026, 3, 1),
        ),
        "youth": add(
            "Ledighed blandt unge i Aabenraa",
            body="Arbejdsløse unge fik en samtale med en mentor. Prøvehandlingen blev fulgt "
            "op af jobcentret hver måned.",
            municipalities=("0580",),
            topics=("unge",),
            date=datetime.date(2025, 6, 1),
        ),
        "wind": add(
            "Havvindmøller skaber job ved kysten",
            body="Virksomheder ved kysten rekrutterer ledige til havvindmøller. Fælles faglig "
            "sparring mellem konsulenterne hjalp. Vi talte også med Viborg om det.",
            municipalities=("0561",),
            topics=("virksomhedsservice",),
            date=datetime.date(2024, 2, 1),
        ),
        "teams": add(
            "Sparring i teams",
            body="Teams mødes om sparring hver uge. Det er fælles og fagligt, siger lederen.",
            municipalities=("0791",),
            topics=("faglighed",),
            date=datetime.date(2023, 1, 1),
        ),
    }


def titles_of(engine, q, **kwargs):
    return set(engine.titles(q=q, **kwargs))


@pytest.mark.parametrize("q", ["borger", "borgere", "borgerne", "borgerens", "BORGER"])
def test_word_forms_of_borger(engine, corpus, q):
    assert titles_of(engine, q) == {corpus["video"].title}


@pytest.mark.parametrize("q", ["samtale", "samtaler", "samtalen"])
def test_word_forms_of_samtale(engine, corpus, q):
    assert corpus["youth"].title in titles_of(engine, q)


@pytest.mark.parametrize(
    "q", ["ledig", "ledige", "ledighed", "arbejdsløse", "arbejdsløshed", "lediges", "arbejdsløses"]
)
def test_ledig_forms_and_synonym(engine, corpus, q):
    # The genitives too: an outside walk's *lediges* found only "Ledere".
    assert titles_of(engine, q) == {corpus["youth"].title, corpus["wind"].title}


def test_tidlig_is_not_tid(engine, notes):
    """An outside walk's *tidlig* (early) found "nedsat tid" (time)."""
    early = notes.add("Tidlig indsats", body="Vi ringer tidligt i forløbet.")
    notes.add("Nedsat tid", body="Borgeren arbejder på nedsat tid.")
    for q in ("tidlig", "tidligt", "tidlig indsats"):
        assert titles_of(engine, q) == {early.title}, q


@pytest.mark.parametrize("q", ["jobcenter", "jobcenteret", "jobcentret", "jobcentre"])
def test_jobcenter_forms(engine, corpus, q):
    assert titles_of(engine, q) == {corpus["video"].title, corpus["youth"].title}


@pytest.mark.parametrize(
    ("q", "key"), [("sygedagpenge", "video"), ("vindmøller", "wind"), ("mentorer", "youth")]
)
def test_parts_of_compounds_are_found(engine, corpus, q, key):
    assert corpus[key].title in titles_of(engine, q)


@pytest.mark.parametrize("q", ["Åbenrå", "aabenraa", "AABENRAA", "proevehandling", "prøvehandling"])
def test_danish_letters_and_their_spellings(engine, corpus, q):
    assert titles_of(engine, q) == {corpus["youth"].title}


def test_a_typo_is_searched_as_its_nearest_visible_word(engine, corpus):
    outcome = engine.run(q="sygedagpnge")
    assert outcome.corrected == "sygedagpenge"
    assert outcome.total > 0
    assert outcome.result.total == engine.run(q="sygedagpenge").result.total
    assert "<mark>" in outcome.result.hits[0].snippet  # the matched spelling is marked
    # Asked for exactly what was typed: no results, and "Mente du".
    exact = engine.run(q="sygedagpnge", exact=True)
    assert exact.total == 0 and not exact.corrected
    assert exact.suggestion == "sygedagpenge"


def test_a_field_word_finds_the_field_not_any_area(engine, notes):
    """*sygedagpengeområdet* is "the sickness-benefit field": a portrait that met people
    in a *boligområdets* beboerhus ranked first, on *område* alone (an outside walk)."""
    sick = notes.add("Sygedagpengeteamet prøver video", body="Opfølgning på sygedagpenge.")
    housing = notes.add("Mentor i boligområdet", body="Vi mødes i boligområdets beboerhus.")
    youth = notes.add("Unge i job", body="Unge ledige fik en mentor.")
    engine.send()
    assert titles_of(engine, "sygedagpengeområdet") == {sick.title}
    assert titles_of(engine, "ungeområdet") == {youth.title}
    assert titles_of(engine, "boligområdet") == {housing.title}  # the word itself


def test_quoted_phrases_match_as_phrases(engine, corpus):
    assert titles_of(engine, '"fælles faglig sparring"') == {corpus["wind"].title}
    assert titles_of(engine, "fælles faglig sparring") == {
        corpus["wind"].title,
        corpus["teams"].title,
    }


def test_a_named_municipality_ranks_its_content_first(engine, corpus):
    # Both mention sparring and Viborg; only "teams" is tagged with Viborg.
    assert engine.titles(q="sparring viborg")[0] == corpus["teams"].title


def test_a_named_municipalitys_own_case_ranks_above_content_it_shares(engine, notes):
    # Viborg's own case, and an event of a project with six municipalities whose title
    # has both words (it scores a little more on its text alone).
    for title in ("Jobrotation i Vejle", "Mentorer for unge", "Fleksjob", "Sprogpraktik"):
        notes.add(title, body="Et andet emne.", municipalities=("0630",))
    shared = notes.add(
        "Sparring i Viborg",
        body="Sparring i Viborg: sparring mellem konsulenterne om virksomhedsbesøg.",
        municipalities=("0791", "0740", "0756", "0760", "0657", "0661"),
        date=datetime.date(2026, 1, 1),
    )
    own = notes.add(
        "Sparring om virksomhedsbesøg",
        body="Konsulenterne i Viborg mødes om virksomhedsbesøg hver uge.",
        municipalities=("0791",),
        date=datetime.date(2025, 1, 1),
    )
    hits = engine.run(q="sparring viborg").result.hits
    assert [hit.object_id for hit in hits] == [str(own.pk), str(shared.pk)]


def test_facets_count_and_filters_narrow(engine, corpus):
    outcome = engine.run(q="ledige")
    facets = outcome.result.facets
    assert outcome.total == 2
    assert facets["type"] == {"note": 2}
    assert facets["municipality"] == {"0580": 1, "0561": 1}
    assert facets["region"] == {"1083": 2}
    assert facets["topic"] == {"unge": 1, "virksomhedsservice": 1}
    assert facets["year"] == {"2025": 1, "2024": 1}
    narrowed = engine.run(q="ledige", municipality="0580")
    assert [hit.title for hit in narrowed.result.hits] == [corpus["youth"].title]
    assert narrowed.total == 1
    # The active facet still counts its other options; the others count within it.
    assert narrowed.result.facets["municipality"] == {"0580": 1, "0561": 1}
    assert narrowed.result.facets["topic"] == {"unge": 1}
    assert engine.run(q="ledige", region="1084").total == 0
    assert engine.run(q="ledige", topic="unge", year=2025).total == 1
    assert engine.run(q="ledige", type="experience").total == 0


def test_sort_by_newest_and_pagination(engine, corpus):
    newest = engine.titles(q="", sort="newest")
    assert newest == [corpus[k].title for k in ("video", "youth", "wind", "teams")]
    first = engine.run(q="", sort="newest", page=1, page_size=2)
    second = engine.run(q="", sort="newest", page=2, page_size=2)
    assert first.total == second.total == 4
    assert [h.title for h in first.result.hits + second.result.hits] == newest


def test_newest_sorts_by_the_day_published_not_the_day_it_happens(engine, notes):
    """Five outside walks found *Nyeste* led by events months ahead: an event put up
    in January for June is January's news, below an article of February."""
    coming = notes.add(
        "Temadag om sygemeldte",
        body="Sygemeldte borgere og jobcentret.",
        date=datetime.date(2027, 6, 1),
        published=datetime.date(2026, 1, 10),
    )
    article = notes.add(
        "Sygemeldte i job", body="Sygemeldte borgere fandt job.", date=datetime.date(2026, 2, 1)
    )
    older = notes.add(
        "Sygemeldte på video", body="Sygemeldte borgere på video.", date=datetime.date(2025, 9, 1)
    )
    order = [article.title, coming.title, older.title]
    assert engine.titles(q="", sort="newest") == order
    assert engine.titles(q="sygemeldte", sort="newest") == order
    hit = next(h for h in engine.run(q="temadag").result.hits if h.title == coming.title)
    assert (hit.date, hit.published) == (datetime.date(2027, 6, 1), datetime.date(2026, 1, 10))
    # Its own day still makes its year.
    assert engine.titles(q="sygemeldte", year=2027) == [coming.title]


def test_snippets_escape_and_mark(engine, notes):
    notes.add("Om <script>", body="Borgerne skrev <script>alert(1)</script> i formularen.")
    hit = engine.run(q="borger").result.hits[0]
    assert "<script>" not in hit.snippet
    assert "&lt;script&gt;" in hit.snippet
    assert "<mark>Borgerne</mark>" in hit.snippet


def test_titles_mark_their_matches_and_stay_escaped(engine, notes):
    """A title-only match shows why it is there (its snippet, from the body, has no
    mark): the title marks the matched variant, escaped like the snippet."""
    notes.add("Sparring <b>for</b> ledere", body="Et netværk mødes hver måned.")
    hit = engine.run(q="sparring").result.hits[0]
    assert "<mark>" not in hit.snippet
    assert hit.title_html == "<mark>Sparring</mark> &lt;b&gt;for&lt;/b&gt; ledere"
    corrected = engine.run(q="ledre").result.hits[0]  # corrected to the title's word
    assert corrected.title_html.endswith("<mark>ledere</mark>")
    assert engine.run(q="netværk").result.hits[0].title_html == (
        "Sparring &lt;b&gt;for&lt;/b&gt; ledere"
    )


def test_a_minus_word_leaves_out_the_texts_that_have_it(engine, corpus):
    """*sparring -teams*: the texts that have *teams* (any form, or as a compound's
    part) are no match; the total and the facets count without them."""
    assert set(engine.titles(q="sparring")) == {corpus["wind"].title, corpus["teams"].title}
    outcome = engine.run(q="sparring -teams")
    assert [hit.title for hit in outcome.result.hits] == [corpus["wind"].title]
    assert outcome.total == 1 and outcome.result.facets["municipality"] == {"0561": 1}
    # Inflected, and as the part of a compound (*sygedagpengeområdet*).
    assert engine.titles(q="borgere -borger") == []
    assert corpus["video"].title not in engine.titles(q="jobcentret -sygedagpenge")
    assert corpus["youth"].title in engine.titles(q="jobcentret -sygedagpenge")
    # Several: any of them leaves a text out.
    assert engine.titles(q="fælles -teams -havvindmøller") == []


def test_results_carry_their_metadata(engine, corpus):
    hit = engine.run(q="videosamtaler").result.hits[0]
    assert hit.type == "note"
    assert hit.url == f"/noter/{corpus['video'].pk}/"
    assert hit.municipalities == ["0751"]
    assert hit.topics == ["sygedagpenge", "digitalisering"]
    assert hit.date == datetime.date(2026, 3, 1)
    assert hit.external_id == f"note-{corpus['video'].pk}"


def test_a_question_ranks_like_its_key_words(engine, corpus):
    """Question words carry no weight, and a match needs most of the other words
    (minimum should match), not all: the question finds what its key words find."""
    outcome = engine.run(q="hvem har prøvet videosamtaler med sygemeldte")
    assert not outcome.relaxed  # "prøvet" is in no document; 2 of 3 words suffice
    assert outcome.result.hits[0].title == corpus["video"].title
    asked = engine.titles(q="Hvordan kan man bruge videosamtaler med sygemeldte?")
    assert asked[:2] == engine.titles(q="videosamtaler sygemeldte")[:2]


def test_autocomplete(engine, corpus):
    assert "video vindmølle" in engine.complete(None, "video vindm")
    assert any(c.startswith("sygedagpenge") for c in engine.complete(None, "syged"))
    assert engine.complete(None, "åbe") == ["aabenraa"]
    assert engine.complete(None, "a") == []


def test_a_snippet_keeps_a_document_s_lines_apart():
    """A log's fields and an event's agenda lines are indexed one per line, and HTML
    shows a line break as a space: the snippet read "… ledige borgere Vi har …" (an
    outside walk). A line that ends without a full stop is now followed by " · "."""
    from search.query import Marks
    from search.snippets import snippet

    text = "Sygemeldte og ledige borgere\nVi har tilrettelagt forsøget.\n  Næste skridt"
    shown = snippet([text], Marks({"borg"}))
    assert shown == (
        "Sygemeldte og ledige <mark>borgere</mark> · Vi har tilrettelagt forsøget. Næste skridt"
    )


def test_a_synonym_expression_is_marked_only_where_its_words_stand_together(engine, notes):
    """An outside walk: *ledige* marked "uden" in "uden tidsbestilling" and "job" in
    "22 ledige fik job", through the group's *uden job*. An expression's and a phrase's
    words are marked side by side, as they match."""
    SynonymGroup.objects.all().delete()
    SynonymGroup.objects.create(words="ledig, uden job")
    notes.add(
        "Åben rådgivning",
        body="Rådgivningen er uden tidsbestilling, og 22 ledige fik job. Borgere uden job kom.",
    )
    shown = engine.run(q="ledige").result.hits[0].snippet
    assert "<mark>ledige</mark> fik job" in shown
    assert "<mark>uden</mark> <mark>job</mark> kom" in shown
    assert "uden tidsbestilling" in shown  # not marked
    phrase = engine.run(q='"borgere uden job"').result.hits[0].snippet
    assert "<mark>Borgere</mark> <mark>uden</mark> <mark>job</mark>" in phrase
    assert "<mark>job</mark>." not in phrase


def test_the_snippet_window_is_the_one_with_most_different_matched_words():
    """The window with the most distinct matched words wins, the first of equals: here
    the one where *borger* and *ledig* stand together, not the earlier lone *borger*."""
    from search import analysis
    from search.query import Marks
    from search.snippets import snippet

    words = ["borger"] + ["ord"] * 40 + ["borger", "og", "ledige"] + ["ord"] * 40
    terms = {analysis.analyze_word("borger")[0], analysis.analyze_word("ledige")[0]}
    shown = snippet([" ".join(words)], Marks(terms))
    assert shown.startswith("…") and "<mark>borger</mark> og <mark>ledige</mark>" in shown
