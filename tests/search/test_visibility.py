"""What a user may not see never reaches them: not in results, totals, facet counts,
snippets, suggestions or completions. Unique invented words mark hidden content."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from search import registry

pytestmark = pytest.mark.django_db

MEMBERS_WORD = "zebrafinke"
PROJECT_WORD = "okapiflok"


@pytest.fixture
def hidden(notes):
    notes.add(
        "Fælles erfaringer fra kvartalet",
        body="En offentlig note om fælles arbejde i Aarhus.",
        municipalities=("0751",),
        topics=("faglighed",),
        date=datetime.date(2026, 1, 1),
    )
    notes.add(
        "Medlemsnote",
        body=f"Fælles tekst om {MEMBERS_WORD} for medlemmer.",
        access=registry.MEMBERS,
        municipalities=("0101",),
        topics=("unge",),
        date=datetime.date(2021, 1, 1),
    )
    notes.add(
        "Projektnote",
        body=f"Fælles tekst om {PROJECT_WORD} kun for deltagerne.",
        extra=f"Bilag: {PROJECT_WORD}regnskab",
        access=registry.project_token(7),
        municipalities=("0860",),
        topics=("integration",),
        project=True,
        date=datetime.date(2019, 1, 1),
    )
    return notes


def everything(outcome) -> str:
    """All text a user gets back from a search, to look for hidden words in."""
    result = outcome.result
    parts = [str(result.facets), str(result.project_titles), str(outcome.suggestion)]
    for hit in result.hits:
        parts += [hit.title, hit.snippet, hit.url, hit.project_title]
    return " ".join(parts).lower()


def test_anonymous_sees_only_public(engine, hidden):
    anonymous = AnonymousUser()
    for word in (MEMBERS_WORD, PROJECT_WORD, "medlemsnote", "projektnote"):
        outcome = engine.run(anonymous, word)
        assert outcome.total == 0 and outcome.result.hits == []
    outcome = engine.run(anonymous, "fælles")
    assert outcome.total == 1
    assert outcome.result.facets["municipality"] == {"0751": 1}
    assert outcome.result.facets["project"] == {}
    assert outcome.result.facets["year"] == {"2026": 1}
    browse = engine.run(anonymous, "")
    assert browse.total == 1
    assert "0860" not in browse.result.facets["municipality"]
    for outcome in (engine.run(anonymous, "fælles"), browse):
        text = everything(outcome)
        assert MEMBERS_WORD not in text and PROJECT_WORD not in text


def test_members_see_members_content_but_not_projects(engine, hidden, plain_member):
    assert engine.run(plain_member, MEMBERS_WORD).total == 1
    assert engine.run(plain_member, PROJECT_WORD).total == 0
    outcome = engine.run(plain_member, "fælles")
    assert outcome.total == 2
    assert outcome.result.facets["municipality"] == {"0751": 1, "0101": 1}
    assert outcome.result.facets["project"] == {}
    assert PROJECT_WORD not in everything(outcome)


def test_participants_see_their_project(engine, hidden, participant):
    outcome = engine.run(participant, PROJECT_WORD)
    assert outcome.total == 1
    assert f"<mark>{PROJECT_WORD}</mark>" in outcome.result.hits[0].snippet.lower()
    outcome = engine.run(participant, "fælles")
    assert outcome.total == 3
    assert outcome.result.facets["project"] == {"digitale-veje": 1}
    assert outcome.result.project_titles == {"digitale-veje": "Digitale veje til job"}
    assert engine.run(participant, "", project="digitale-veje").total == 1


def test_suggestions_come_only_from_visible_words(engine, hidden, plain_member, participant):
    typo_members, typo_project = "zebrafinka", "okapifluk"
    assert engine.suggest(AnonymousUser(), typo_members) in (None, "")
    assert engine.suggest(AnonymousUser(), typo_project) in (None, "")
    assert engine.suggest(plain_member, typo_members) == MEMBERS_WORD
    assert engine.suggest(plain_member, typo_project) in (None, "")
    assert engine.suggest(participant, typo_project) == PROJECT_WORD


def test_autocomplete_offers_only_visible_words(engine, hidden, plain_member, participant):
    assert engine.complete(AnonymousUser(), "zebraf") == []
    assert engine.complete(AnonymousUser(), "okapi") == []
    assert engine.complete(plain_member, "okapi") == []
    assert engine.complete(plain_member, "zebraf") == [MEMBERS_WORD]
    assert PROJECT_WORD in engine.complete(participant, "okapi")


def test_attachment_text_is_searchable_with_its_parents_access(engine, hidden, participant):
    assert engine.run(AnonymousUser(), f"{PROJECT_WORD}regnskab").total == 0
    assert engine.run(participant, f"{PROJECT_WORD}regnskab").total == 1


@pytest.mark.parametrize(
    "typo_members, typo_project",
    [
        ("zebrafinka", "okapifluk"),
        ("zebrafinker", "okapiflokregnskab"),
        ("zebra finke", "okapi flok"),
        ("zebra", "okapi"),  # completed to the compounds they begin
        ("zebarfinkerne", "okpaiflokkene"),  # near the hidden term, not its written form
    ],
)
def test_typos_of_hidden_words_are_corrected_only_for_those_who_see_them(
    engine, hidden, plain_member, participant, typo_members, typo_project
):
    """Fuzzy expansion, completions, joined spellings and corrections draw only on the
    vocabulary of what the asker may see: a typo of a hidden word finds nothing, and says
    nothing."""
    for user, typo in (
        (AnonymousUser(), typo_members),
        (AnonymousUser(), typo_project),
        (plain_member, typo_project),
    ):
        outcome = engine.run(user, typo)
        assert outcome.total == 0 and outcome.result.hits == []
        assert not outcome.corrected
        assert not any(alt for slot in outcome.query.alternatives for alt in slot)
        text = everything(outcome) + outcome.corrected.lower()
        assert MEMBERS_WORD not in text and PROJECT_WORD not in text
    members = engine.run(plain_member, typo_members)
    assert members.total == 1 and MEMBERS_WORD in everything(members) + members.corrected
    project = engine.run(participant, typo_project)
    assert project.total == 1


def test_words_only_hidden_content_has_do_not_change_the_order_others_see(
    engine, notes, plain_member
):
    """An outside attacker published two texts and read from their order whether a word
    was in a participants-only log: FTS5's bm25 weighs a word by how many rows of the
    whole index hold it, so hidden rows with the word lowered the public text that had
    it. The best matches are ranked with the reader's own counts (PostgreSQL's ts_rank
    counts nothing over the index)."""
    if engine.name == "elasticsearch":
        pytest.skip("Elasticsearch's BM25 counts over the whole index (docs/search.md).")
    notes.add("Ranktest alfa", body="Kappaordq kort.")
    notes.add("Ranktest beta", body="Lambdaordq står her i en noget længere tekst om samtaler.")
    before = {
        who: engine.titles(user, q="kappaordq lambdaordq")
        for who, user in (("anonymous", None), ("member", plain_member))
    }
    assert set(before["anonymous"]) == {"Ranktest alfa", "Ranktest beta"}
    for n in range(6):
        notes.add(f"Log {n}", body="Kappaordq i en lukket log.", access=registry.project_token(7))
    for who, user in (("anonymous", None), ("member", plain_member)):
        assert engine.titles(user, q="kappaordq lambdaordq") == before[who], who
    # Members' content: the same for anonymous visitors (members rank by it, rightly).
    for n in range(6):
        notes.add(f"Medlemslog {n}", body="Kappaordq for medlemmer.", access=registry.MEMBERS)
    assert engine.titles(q="kappaordq lambdaordq") == before["anonymous"]


def test_which_words_of_a_long_query_are_searched_tells_nothing_hidden(
    engine, hidden, plain_member, participant
):
    """A query of more than 8 words is searched on those fewest visible texts have: a
    word only hidden content has is, to others, a word no text has."""
    words = "fælles arbejde erfaringer kvartalet tekst note aarhus medlemmer deltagerne"
    for user in (None, plain_member):
        with_hidden = engine.run(user, q=f"{words} {PROJECT_WORD}").query.dropped
        with_nothing = engine.run(user, q=f"{words} qqqvuhrlk").query.dropped
        assert [w.replace("qqqvuhrlk", PROJECT_WORD) for w in with_nothing] == list(with_hidden)
    assert PROJECT_WORD not in engine.run(participant, q=f"{words} {PROJECT_WORD}").query.dropped


def test_the_reader_s_term_counts_follow_every_write(notes, settings):
    """SearchTermCount (SQLite) holds, per access token, how many documents have each
    term: kept by indexing, reindexing and removal as the full-text table says, and
    equal to it after a rebuild."""
    from collections import Counter

    from django.db import connection

    from search import indexing
    from search.models import SearchTermCount

    if connection.vendor != "sqlite":
        pytest.skip("Kept on SQLite only: PostgreSQL's ts_rank counts nothing.")

    def kept() -> Counter:
        return Counter({(r.access, r.term): r.documents for r in SearchTermCount.objects.all()})

    def recounted() -> Counter:
        counts: Counter = Counter()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT e.access, f.title, f.body, f.extra, f.sub, f.meta FROM search_fts f "
                "JOIN search_searchentry e ON e.id = f.rowid"
            )
            for access, *texts in cursor.fetchall():
                for term in set(" ".join(t or "" for t in texts).split()):
                    counts[(access, term)] += 1
        return counts

    first = notes.add("Mentorer i Aarhus", body="Mentorstøtte til unge ledige.")
    notes.add("Lukket log", body="Mentorer og okapiflok.", access=registry.project_token(7))
    assert kept() == recounted()
    assert kept()[("public", "mentor")] == 1
    first.body = "Nu om sprogpraktik i stedet."
    registry.schedule_reindex(first)
    assert kept() == recounted()
    notes.delete(first)
    assert kept() == recounted()
    assert ("public", "mentor") not in kept()
    indexing.rebuild(elasticsearch=False)
    assert kept() == recounted() and kept()


def test_pages_of_any_size_come_from_one_order(engine, notes):
    """An outside attacker paged a 43-match search and saw one match twice and another
    never: the re-scored window ended with each page. Pages of 3, 7 or 10 now run
    through the same order as pages of 50 (past the best matches' words' window of 30,
    and past the re-scored window of 50, too)."""
    for n in range(63):
        words = " ".join(["kravitolm"] * (1 + n % 4) + ["pebrisund"] * (1 + n % 3))
        notes.add(f"Log {n}", body=f"{words} og {n % 5} andre ord i teksten " * (1 + n % 6))
    whole = [
        *engine.titles(q="kravitolm pebrisund", page_size=50),
        *engine.titles(q="kravitolm pebrisund", page_size=50, page=2),
    ]
    assert len(whole) == len(set(whole)) == 63
    for size in (3, 7, 10):
        paged = []
        for number in range(1, -(-len(whole) // size) + 1):
            paged += engine.titles(q="kravitolm pebrisund", page_size=size, page=number)
        assert paged == whole, size
