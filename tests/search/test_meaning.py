"""Search that understands what people mean: synonyms editors own, typos (also inside
compounds), hyphenation, questions. Over every configured backend (`engine`)."""

from __future__ import annotations

import datetime

import pytest
from django.utils.html import strip_tags

from search import expansion
from search.models import SynonymGroup

pytestmark = pytest.mark.django_db


@pytest.fixture
def texts(notes):
    add = notes.add
    return {
        "tool": add(
            "Nyt IT-værktøj til jobsamtaler",
            body="Rådgiverne bruger et IT-værktøj, når de planlægger forløbet.",
            date=datetime.date(2026, 1, 5),
        ),
        "joined": add(
            "Itværktøjet gav overblik",
            body="Et itværktøj samler borgerens plan ét sted.",
            date=datetime.date(2026, 1, 6),
        ),
        "mail": add(
            "Påmindelser på e-mail",
            body="Borgerne får en e-mail dagen før samtalen.",
            date=datetime.date(2026, 1, 7),
        ),
        "follow": add(
            "Sygedagpengeopfølgningen i Kolding",
            body="Teamet lagde sygedagpengeopfølgningen om, så den første samtale kommer "
            "tidligere.",
            date=datetime.date(2026, 1, 8),
        ),
        "flex": add(
            "Fleksjobordningen set fra virksomhederne",
            body="Virksomhedskonsulenten følger op på fleksjobordningen hvert kvartal.",
            date=datetime.date(2026, 1, 9),
        ),
        "employer": add(
            "Arbejdsgivere i Herning rekrutterer lokalt",
            body="Tre arbejdsgivere ansatte ledige fra egnen.",
            date=datetime.date(2026, 1, 10),
        ),
    }


def test_editors_synonyms_apply_at_query_time(engine, texts):
    """A new group works from the next search: nothing is reindexed."""
    assert engine.titles(q="firma") == []
    SynonymGroup.objects.create(words="arbejdsgiver, firma")
    assert engine.titles(q="firma") == [texts["employer"].title]
    SynonymGroup.objects.all().delete()
    assert engine.titles(q="firma") == []


def test_a_seeded_group_finds_the_other_word(engine, texts):
    """Seeded by migration: virksomhed ~ arbejdsgiver."""
    titles = engine.titles(q="virksomheder i Herning")
    assert titles[0] == texts["employer"].title


@pytest.mark.parametrize(
    ("q", "text"),
    [
        ("invalidepension", "Førtidspension efter rehabiliteringsteamet"),
        ("straf for at udeblive", "Sanktion når borgeren udebliver"),
        ("udbrændthed", "Burnout blandt sygemeldte"),
        # An expression typed as words finds the group's one word, as Elasticsearch's
        # synonym_graph does.
        ("ondt i ryggen", "Rygsmerter og arbejdsevne"),
        ("hvad gør man med senfølger efter hjernerystelse?", "PCS og jobfastholdelse"),
        # Seeded by migration 0011.
        ("tilskudsjob", "Løntilskud i private virksomheder"),
        ("melde sig syg", "Sygemelding i første uge"),
        ("manglende fremmøde", "Færre udeblivelser med sms"),
        # Seeded by migration 0016: the users' own words.
        ("virksomhederne mangler folk", "Mangel på arbejdskraft i byggeriet"),
        ("fleksjob med få timer", "Mikrofleksjob i kommunen"),
        ("trepartsmøde", "Trepartssamtale med arbejdsgiveren"),
        # Seeded by migration 0018: the names colleagues elsewhere give the same thing.
        ("vikariat", "Vikarjob i ældreplejen"),
        ("fallit", "Konkurs i byggefirmaet"),
        ("personnummer", "Cpr-nummer i mailen"),
    ],
)
def test_the_field_s_old_and_everyday_words_find_the_official_ones(engine, notes, q, text):
    """Seeded by migration 0009: an old name, an everyday word or a loan word finds the
    text that uses the official one, which shares no word with the query."""
    notes.add(text, body="Et forløb i jobcentret.", date=datetime.date(2026, 1, 5))
    notes.add("Andet forløb", body="Intet om det.", date=datetime.date(2026, 1, 6))
    assert engine.titles(q=q) == [text]


def test_a_synonym_expression_matches_its_words_side_by_side(engine, notes):
    """»ondt i ryggen« in a group: a text that says it (small words aside) is found for
    »rygsmerter«; one with »ondt« and »ryggen« far apart is not."""
    said = notes.add("Ondt i ryggen efter tunge løft", body="Et forløb i jobcentret.")
    notes.add("Ryggen er stærk", body="Men det gør ondt at miste jobbet.")
    assert engine.titles(q="rygsmerter") == [said.title]


def test_a_member_containing_another_adds_no_second_score(engine, notes):
    """»faglig sparring« beside »sparring« in a group matches nothing »sparring« does
    not: as an alternative it only counted the words twice, and lifted a text that
    says »faglig sparring« above Viborg's own case for »sparring viborg«."""
    SynonymGroup.objects.all().delete()
    SynonymGroup.objects.create(words="sparring, faglig sparring, supervision")
    for title in ("Jobrotation i Vejle", "Mentorer for unge", "Fleksjob", "Sprogpraktik"):
        notes.add(title, body="Et andet emne.", municipalities=("0630",))
    own = notes.add("Sparring hver uge", body="Teams i Viborg mødes.", municipalities=("0791",))
    said = notes.add(
        "Faglig sparring ved kysten",
        body="Faglig sparring med Viborg hjalp.",
        municipalities=("0561",),
    )
    assert engine.titles(q="sparring viborg") == [own.title, said.title]
    # Both still match through the group.
    assert set(engine.titles(q="supervision")) == {own.title, said.title}


def test_every_seeded_group_is_one_an_editor_could_save():
    """The seeded groups pass the admin's own validation (so an editor can change one
    and save it again), and no word is in two groups."""
    from search import analysis

    groups = list(SynonymGroup.objects.all())
    assert len(groups) > 100
    seen = {}
    for group in groups:
        group.clean()
        for member in group.members():
            # An expression whose small words fall away would match its one word alone
            # (»min plan« would expand to every text with »plan«).
            assert " " not in member or len(analysis.terms(member)) > 1, member
            assert member.lower() not in seen, (member, seen.get(member.lower()))
            seen[member.lower()] = group.words


@pytest.mark.parametrize("q", ["IT-værktøj", "it værktøj", "itværktøj", "IT værktøj"])
def test_hyphenation_and_joined_spellings(engine, texts, q):
    titles = set(engine.titles(q=q))
    assert texts["tool"].title in titles
    if q != "IT-værktøj" or engine.name != "elasticsearch":
        assert texts["joined"].title in titles


def test_two_words_joined_into_a_group_member_find_the_group(engine, notes):
    """*flex job*: no text has *flexjob*, but an editors' group does, with *fleksjob*
    (an outside walk got every text with *job* and nothing else)."""
    SynonymGroup.objects.all().delete()
    SynonymGroup.objects.create(words="fleksjob, flexjob")
    flex = notes.add("Fleksjob i små virksomheder", body="Tre virksomheder ansatte.")
    notes.add("Job til unge", body="Et job i Herning.")
    outcome = engine.run(q="flex job")
    assert [hit.title for hit in outcome.result.hits] == [flex.title]
    assert not outcome.corrected  # a spelling, not a typo


def test_a_corrected_word_finds_what_the_word_typed_right_finds(engine, texts, notes):
    """An outside walk's *samtlae* found 14 texts where *samtale* finds 22: the
    corrected word's synonyms were not searched."""
    SynonymGroup.objects.all().delete()
    SynonymGroup.objects.create(words="arbejdsgiver, firma")
    firm = notes.add("Et firma i Ikast", body="Firmaet ansatte to.")
    right = set(engine.titles(q="arbejdsgivere"))
    assert right == {texts["employer"].title, firm.title}
    outcome = engine.run(q="arbejdsgivre")
    assert outcome.corrected == "arbejdsgivere"
    assert {hit.title for hit in outcome.result.hits} == right


def test_a_typo_of_a_stem_no_text_writes_alone_is_corrected(engine, notes):
    """*bibilotek*: the texts say *biblioteket* and *bibliotekerne*, each more than two
    edits away, but the term *bibliotek* is one transposition away, as Lucene compares."""
    library = notes.add("Jobcentret flyttede ud på biblioteket", body="Et åbent rum.")
    libraries = notes.add("Samtaler på bibliotekerne", body="Borgerne kom.")
    outcome = engine.run(q="bibilotek")
    assert set(engine.titles(q="bibilotek")) == {library.title, libraries.title}
    assert outcome.corrected in ("biblioteket", "bibliotekerne")


@pytest.mark.parametrize("q", ["email", "e-mail", "e mail"])
def test_email_spellings(engine, texts, q):
    assert texts["mail"].title in engine.titles(q=q)


@pytest.mark.parametrize(
    "q, key",
    [
        ("sygedagpngeopfølgningen", "follow"),  # a typo inside a long compound
        ("sygedagpengeopfølgnign", "follow"),
        ("fleksjobordningerne", "flex"),  # an inflected plural of a compound
        ("fleksjobordnigerne", "flex"),  # ... with a typo
        ("virksomhedskonsulenterne", "flex"),
    ],
)
def test_typos_and_inflections_inside_compounds(engine, texts, q, key):
    outcome = engine.run(q=q)
    assert [hit.title for hit in outcome.result.hits][:1] == [texts[key].title]


def test_a_word_of_the_editors_groups_is_not_corrected(engine, notes):
    """An outside walk: *STAR* (a group's abbreviation, in no text the reader may see)
    was searched as *svar*, and *walk and talk* as *walk and tale*. A word of a group is
    a word of the field: nothing is found, and nothing else is offered for it."""
    notes.add("Hurtige svar til unge", body="Chatten giver svar om aftenen.")
    notes.add("Tale og sprog", body="Sprogpraktik med tale hver dag.")
    for q in ("STAR", "walk and talk"):
        outcome = engine.run(q=q)
        assert outcome.corrected == "", q
        assert outcome.result.hits == [], q
        assert engine.suggest(None, q) is None, q
    # A typo of an ordinary word is still corrected.
    assert engine.run(q="svra").corrected == "svar"


def test_exact_matches_rank_above_corrected_ones(engine, notes):
    notes.add("Mentorordning", body="Om mentorer.", date=datetime.date(2026, 2, 1))
    outcome = engine.run(q="mentorordnig")
    assert outcome.corrected == "mentorordning"
    assert outcome.result.hits[0].title == "Mentorordning"


def test_synonym_rules_for_elasticsearch(db):
    SynonymGroup.objects.all().delete()
    group = SynonymGroup.objects.create(words="STAR, Styrelsen for Arbejdsmarked og Rekruttering")
    assert expansion.synonym_rules() == [
        {"id": f"group-{group.pk}", "synonyms": "STAR, Styrelsen for Arbejdsmarked og Rekruttering"}
    ]


@pytest.mark.parametrize(
    "words, message",
    [
        ("ledig", "mindst to ord"),
        ("og, i", "kun af småord"),
        ("ledig, " + "x" * 81, "for langt"),
        ("ledig, ledige", "det samme ord"),
        ("åben, aaben", "det samme ord"),
        ("ledig => arbejdsløs, jobparat", "brug kun bogstaver"),
        ("borger\\, klient", "brug kun bogstaver"),
        ("😀, 🙂", "brug kun bogstaver"),
        (", ".join(f"ord{n}" for n in range(21)), "Højst 20"),
        # »ikke« is a small word the search drops: the member would find its opposite.
        ("uforsikrede, ikke-forsikrede", "det modsatte"),
        ("uforsikrede, ｉｋｋｅ forsikrede", "det modsatte"),  # full-width letters
    ],
)
def test_a_synonym_group_is_checked(db, words, message):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match=message):
        SynonymGroup(words=words).full_clean()


def test_the_same_group_twice_is_refused(db):
    """Saved twice (a double click, or typed again in another order), it was listed
    twice in the admin and sent twice to Elasticsearch."""
    from django.core.exceptions import ValidationError

    SynonymGroup.objects.filter(words__icontains="zqledig").delete()
    first = SynonymGroup(words="zqledig, zqarbejdsløs")
    first.full_clean()
    first.save()
    with pytest.raises(ValidationError, match="Den samme gruppe findes allerede"):
        SynonymGroup(words="Zqarbejdsløs, zqledige").full_clean()
    first.full_clean()  # the group itself may be saved again
    # A word of another group: the editor is sent to that group (an outside walk added
    # »makkerordning, buddy-ordning« beside a group with »makkerordning« in it).
    with pytest.raises(ValidationError, match="»zqledig« står allerede i gruppen"):
        SynonymGroup(words="zqledig, zqjobsøgende").full_clean()
    first.words = "zqledig, zqarbejdsløs, zqjobsøgende"
    first.full_clean()  # added there, it is saved


def test_editor_adds_a_group_in_the_admin(client, db, notes):
    from django.contrib.auth.models import Group, Permission

    from network.factories import UserFactory
    from search import demo

    notes.add("Arbejdsgivere søger folk", body="Mange arbejdsgivere.")
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    demo.seed()
    editor = UserFactory(email="redaktoer@test.example")
    editor.groups.add(group)
    client.force_login(editor)
    listing = client.get("/admin/snippets/search/synonymgroup/")
    first = SynonymGroup.objects.order_by("words").first()
    assert listing.status_code == 200 and str(first) in listing.text
    response = client.post(
        "/admin/snippets/search/synonymgroup/add/", {"words": "bedrift;  forretning", "note": ""}
    )
    assert response.status_code == 302
    assert SynonymGroup.objects.filter(words="bedrift, forretning").exists()
    # A word of another group: the editor is sent there (one group, so all meet).
    response = client.post(
        "/admin/snippets/search/synonymgroup/add/", {"words": "arbejdsgiver, firma", "note": ""}
    )
    assert response.status_code == 200
    assert "»arbejdsgiver« står allerede i gruppen »virksomhed, arbejdsgiver" in response.text
    SynonymGroup.objects.filter(words="bedrift, forretning").delete()
    seeded = SynonymGroup.objects.get(words__startswith="virksomhed, arbejdsgiver")
    response = client.post(
        f"/admin/snippets/search/synonymgroup/edit/{seeded.pk}/",
        {"words": seeded.words + ", bedrift", "note": seeded.note},
    )
    assert response.status_code == 302
    data = client.get("/api/search/", {"q": "bedrifter"}).json()
    assert [r["title"] for r in data["results"]] == ["Arbejdsgivere søger folk"]
    refused = client.post("/admin/snippets/search/synonymgroup/add/", {"words": "bedrift"})
    assert refused.status_code == 200 and "mindst to ord" in refused.text


def test_a_match_through_tags_only_ranks_below_text_matches_and_says_so(engine, notes):
    tagged = notes.add(
        "Værkstedsforløb for ledige",
        body="Et forløb på et værksted med en fast mester.",
        municipalities=("0580",),
        topics=("forsikrede-ledige",),
        date=datetime.date(2026, 3, 1),
    )
    told = notes.add(
        "Nyt fra kommunerne",
        body="Mange kommuner har prøvet noget nyt i år. " * 20
        + "Også i Aabenraa har jobcentret lavet et forløb.",
        date=datetime.date(2020, 3, 1),
    )
    outcome = engine.run(q="Aabenraa")
    assert [hit.title for hit in outcome.result.hits] == [told.title, tagged.title]
    first, second = outcome.result.hits
    assert first.matched_tags == []
    assert second.matched_tags == ["Kommune: Aabenraa"]


def test_more_matched_words_rank_higher(engine, notes):
    """Two of three words are enough to match, but a match with all three ranks first,
    even when the others have the two in their title. (Below the matches with every
    word, the score decides, which adds up per matched word.)"""
    two = notes.add(
        "Tidlig kontakt i jobcentret",
        body="Tidlig kontakt gør en forskel.",
        date=datetime.date(2026, 4, 1),
    )
    three = notes.add(
        "Erfaringer fra et år",
        body="Vi tog tidlig kontakt til alle sygemeldte i første uge.",
        date=datetime.date(2020, 4, 1),
    )
    titles = engine.titles(q="tidlig kontakt sygemeldte")
    assert titles == [three.title, two.title]


def test_a_corrected_compound_also_finds_its_parts_written_apart(engine, texts, notes):
    apart = notes.add(
        "Opfølgning på sygedagpenge i Vejle",
        body="Vejle har ændret opfølgningen for borgere på sygedagpenge.",
        date=datetime.date(2026, 5, 1),
    )
    outcome = engine.run(q="sygedagpengeopfølgnign")
    titles = [hit.title for hit in outcome.result.hits]
    assert {texts["follow"].title, apart.title} <= set(titles[:2])


def test_the_corrected_query_keeps_phrases_and_words_joined_by_underscore(db):
    from dataclasses import replace

    from search.query import parse

    fixed = (("opfølgnig", "opfølgning"),)
    query = replace(parse('"opfølgnig af borgere" opfølgnig'), corrections=fixed)
    assert query.corrected_text == '"opfølgnig af borgere" opfølgning'
    assert replace(parse("opfølgnig_forløb"), corrections=fixed).corrected_text == (
        "opfølgning_forløb"
    )


@pytest.fixture
def sanctions(notes):
    return {
        "all": notes.add("Partshøring efter LAB-loven", body="Sanktioner efter LAB-loven."),
        "one": notes.add("Ring til borgeren før sanktion", body="En samtale først."),
        "hidden": notes.add("Intern note om sanktion", body="Kun for medlemmer.", access="members"),
        "none": notes.add("Sprogpraktik", body="Noget helt andet."),
    }


def test_a_first_page_the_words_do_not_fill_goes_on_with_fewer_words(
    engine, sanctions, plain_member
):
    """Only one document has enough of the words: the page goes on with those that
    have fewer, for the same reader (no hidden ones), without counting them."""
    outcome = engine.run(q="LAB-loven sanktion")
    assert [hit.title for hit in outcome.result.hits] == [sanctions["all"].title]
    assert outcome.total == 1
    assert [hit.title for hit in outcome.fewer_words] == [sanctions["one"].title]
    member = engine.run(plain_member, q="LAB-loven sanktion")
    assert {hit.title for hit in member.fewer_words} == {
        sanctions["one"].title,
        sanctions["hidden"].title,
    }
    # Not on later pages, not sorted by date, and not when the page is full.
    assert engine.run(q="LAB-loven sanktion", sort="newest").fewer_words == []
    assert engine.run(q="LAB-loven sanktion", page_size=1).fewer_words == []


def test_the_page_and_the_api_show_fewer_words_apart(client, sanctions):
    page = strip_tags(client.get("/soeg/", {"q": "LAB-loven sanktion"}).content.decode())
    assert "1 resultat for" in page
    head, _, rest = page.partition("Med nogle af ordene")
    assert sanctions["all"].title in head and sanctions["one"].title in rest
    assert sanctions["hidden"].title not in page
    data = client.get("/api/search/", {"q": "LAB-loven sanktion"}).json()
    assert data["total"] == 1
    assert [r["title"] for r in data["results"]] == [sanctions["all"].title]
    assert [r["title"] for r in data["fewer_words"]] == [sanctions["one"].title]


def test_a_one_word_search_names_its_fill_by_the_parts_of_the_word(client, notes):
    """An outside walk: *videosamtale* went on under »Med nogle af ordene«, which makes
    no sense for one word; what follows are matches of its parts."""
    notes.add("Videosamtale med sygemeldte", body="Et forløb.")
    notes.add("Samtale på jobcentret", body="Den første samtale.")
    page = strip_tags(client.get("/soeg/", {"q": "videosamtale"}).content.decode())
    head, _, rest = page.partition("Med dele af ordet")
    assert "Videosamtale med sygemeldte" in head and "Samtale på jobcentret" in rest
    assert "Med nogle af ordene" not in page


def test_a_misspelt_question_word_is_left_out_as_if_typed_right(engine, notes):
    """*hvordan far man …*: the nearest spelling of *far* is *får*, a question word the
    query drops when typed right. Searched as a word, it made every text with *får* a
    match of two of three words (`får ledige` without *unge*); now the typo and the
    right spelling find the same, and the page still says what was searched."""
    young = notes.add(
        "Ledige unge i praktik",
        body="Ledige unge kom i praktik hos lokale virksomheder.",
        date=datetime.date(2026, 6, 1),
    )
    notes.add(
        "Ledige får besked om samtale",
        body="Alle ledige får en sms før samtalen.",
        date=datetime.date(2026, 6, 2),
    )
    right = engine.run(q="hvordan får man ledige unge i job")
    typo = engine.run(q="hvordan far man ledige unge i job")
    assert [h.title for h in typo.result.hits] == [h.title for h in right.result.hits]
    assert typo.result.hits[0].title == young.title
    assert typo.result.total == right.result.total
    assert typo.corrected == "hvordan får man ledige unge i job"
    assert typo.query.words == right.query.words


def test_only_is_a_filler_word_not_a_typo_for_can(engine, notes):
    """An outside walk's *kun for projektets deltagere* was shown results for »kan for
    projektets deltagere«: *kun* (only), in no visible text, was corrected to the
    nearest word, a filler. It says nothing of the subject and is left out."""
    video = notes.add("Videosamtaler", body="Borgerne holder samtaler på video.")
    notes.add("Kan borgerne booke selv", body="Borgerne kan booke tider.")
    for q in ("kun video", "video kun", "video blot"):
        outcome = engine.run(q=q)
        assert not outcome.corrected, q
        assert [h.title for h in outcome.result.hits] == [video.title], q


def test_more_is_a_filler_word_in_a_question(engine, notes):
    """An outside walk's *hvordan får vi flere sygemeldte i job* put "Sms-påmindelser på
    flere sprog" first: *flere* (more), like *mere*, says nothing of the subject."""
    job = notes.add("Sygemeldte i job", body="Sygemeldte kom i job med en mentor.")
    notes.add("Flere sprog", body="Påmindelser på flere sprog til sygemeldte borgere.")
    outcome = engine.run(q="hvordan får vi flere sygemeldte i job")
    assert "flere" not in outcome.query.words
    assert [h.title for h in outcome.result.hits] == [job.title]
