"""Danish analysis: the terms both database backends store and Elasticsearch mirrors."""

import pytest

from search import analysis


def term(word: str) -> str:
    return analysis.analyze_word(word.lower())[0]


def terms_and_parts(text: str) -> set[str]:
    result = analysis.analyze(text)
    return set(result.terms) | set(result.parts)


@pytest.mark.parametrize(
    "group",
    [
        ["borger", "borgere", "borgerne", "borgerens", "borgeres"],
        ["samtale", "samtaler", "samtalen", "samtalerne"],
        ["ledig", "ledige", "ledighed", "ledigheden"],
        ["jobcenter", "jobcenteret", "jobcentret", "jobcentre", "jobcentrene", "jobcentrets"],
        ["prøvehandling", "prøvehandlinger", "prøvehandlingen", "proevehandling"],
        ["sygemeldt", "sygemeldte", "sygemelding", "sygemeldinger"],
        ["videomøde", "videomøder", "videosamtale", "videosamtaler"],
    ],
)
def test_word_forms_share_one_term(group):
    assert len({term(word) for word in group}) == 1, {word: term(word) for word in group}


def test_snowball_alone_splits_jobcenter_forms_which_the_override_unifies():
    import Stemmer

    stem = Stemmer.Stemmer("danish").stemWord
    assert stem("jobcenteret") != stem("jobcentret")
    assert term("jobcenteret") == term("jobcentret") == "jobcentr"


def test_synonyms_from_the_override_list():
    assert term("arbejdsløse") == term("ledige")
    assert term("arbejdsløshed") == term("ledighed")
    assert term("AMS") == term("STAR") == term("Arbejdsmarkedsstyrelsen")
    # ledig is kept apart from leder (a leader), which Snowball would merge.
    assert term("ledige") != term("leder")


@pytest.mark.parametrize(
    ("compound", "part"),
    [
        ("sygedagpengeområdet", "sygedagpenge"),
        ("havvindmøller", "vindmøller"),
        ("virksomhedskonsulenterne", "konsulent"),
        ("sprogpraktikken", "praktik"),
        ("rådighedsvurderinger", "rådighed"),
    ],
)
def test_compounds_are_indexed_under_their_parts(compound, part):
    assert term(part) in terms_and_parts(compound)


def test_query_side_terms_have_no_parts_in_the_positional_stream():
    result = analysis.analyze("sygedagpengeområdet")
    assert result.terms == [term("sygedagpengeområdet")]
    assert term("sygedagpenge") in result.parts


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Aabenraa", "Åbenrå"),
        ("prøvehandling", "proevehandling"),
        ("Ærø", "aeroe"),
        ("KØBENHAVN", "københavn"),
        ("Café", "cafe"),
    ],
)
def test_folding_and_case(a, b):
    assert analysis.terms(a) == analysis.terms(b)


def test_case_never_matters():
    assert analysis.terms("SYGEDAGPENGE Borgere") == analysis.terms("sygedagpenge borgere")


def test_stop_words_are_dropped_but_positions_stay_consecutive():
    assert analysis.terms("borgere i jobcentret og på biblioteket") == [
        term("borgere"),
        term("jobcentret"),
        term("biblioteket"),
    ]


def test_vocabulary_keeps_surface_words_and_compound_parts():
    vocabulary = analysis.analyze("Sygedagpengeområdet i Aabenraa", vocabulary=True).vocabulary
    assert {"sygedagpengeområdet", "sygedagpenge", "aabenraa"} <= vocabulary
    assert "i" not in vocabulary


def test_word_lists_are_matched_in_the_canonical_spelling():
    assert "prøvehandling" in analysis.load_compounds()
    assert analysis.canonical("proevehandling") == analysis.canonical("Prøvehandling")
    assert "være" in analysis.STOPWORDS and analysis.analyze_word("vaere") == (None, ())
    assert analysis.OVERRIDES["arbejdsløse"] == term("arbejdsloese") == "ledig"


@pytest.mark.parametrize(
    ("word", "before"),
    [
        ("sygedagpengeområdet", ("sygedagpeng",)),
        ("ungeområdet", ("ung",)),
        ("beskæftigelsesområderne", ("beskaeftig",)),
        ("handicapfeltet", ("handicap",)),
        ("integrationsomraadet", ("integration",)),
    ],
)
def test_a_light_head_gives_way_to_what_comes_before_it(word, before):
    head, terms = analysis.light_head(word)
    assert head in {analysis.term_of("område"), analysis.term_of("felt")}
    assert set(before) <= set(terms)


@pytest.mark.parametrize("word", ["område", "områderne", "feltet", "boligomraade2", "samtale"])
def test_other_words_have_no_light_head(word):
    assert analysis.light_head(word) == (None, ())
