"""/soeg/: facets, highlighted snippets, "Mente du", zero-result help, no JavaScript needed."""

import pytest
from bs4 import BeautifulSoup

from experiences.factories import create_experience

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles(db):
    create_experience(
        "Sygedagpenge og videosamtaler",
        lead="Sygedagpengeteamet i Aarhus holder samtaler på video med borgerne.",
        municipalities=["0751"],
        topics=["sygedagpenge", "digitalisering"],
        published="2026-02-01",
    )
    create_experience(
        "Tidlig kontakt til sygemeldte",
        lead="Randers ringer til sygemeldte borgere i den første uge af sygedagpengeforløbet.",
        municipalities=["0730"],
        topics=["sygedagpenge"],
        published="2025-05-01",
    )


def soup(client, params):
    response = client.get("/soeg/", params)
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def test_results_with_facets_and_marked_snippets(client, articles):
    page = soup(client, {"q": "sygedagpenge"})
    assert page.h1.get_text() == "Søgeresultater for »sygedagpenge«"
    assert page.select_one("header.site-header")  # extends base.html
    assert "2 resultater" in page.select_one("#result-count").get_text()
    hits = page.select("ol.search-hits li")
    assert len(hits) == 2
    assert hits[0].select_one("mark")
    assert hits[0].select_one("h3 a mark").get_text() == "Sygedagpenge"  # the title too
    assert all(mark.get_text().lower().startswith("sygedagpenge") for mark in page.select("mark"))
    facet_text = page.select_one("nav.search-facets").get_text(" ", strip=True)
    assert "Aarhus (1)" in facet_text and "Randers (1)" in facet_text
    assert "Sygedagpenge og jobafklaring (2)" in facet_text
    assert "Region Midtjylland (2)" in facet_text


def test_facet_links_filter_and_can_be_removed(client, articles):
    page = soup(client, {"q": "sygedagpenge"})
    (link,) = [a for a in page.select(".search-facets a") if a.get_text().startswith("Randers")]
    filtered = soup(client, dict(part.split("=") for part in link["href"][1:].split("&")))
    assert "1 resultat" in filtered.select_one("#result-count").get_text()
    assert filtered.select_one(".search-facets__selected")["aria-current"] == "true"
    assert (
        filtered.select_one("ul.chips a").get_text(" ", strip=True).startswith("Kommune: Randers")
    )


def test_a_typo_shows_the_corrected_search_and_offers_the_original(client, articles):
    page = soup(client, {"q": "sygedagpnge"})
    message = page.select_one(".search-corrected")
    assert "Viser resultater for »sygedagpenge«" in message.get_text()
    assert message.select_one("a")["href"] == "?q=sygedagpnge&praecis=1"
    assert len(page.select("ol.search-hits li")) == 2
    # The count names what was searched (an outside walk read "6 resultater for
    # »sygmeldte«" over results for »sygemeldte«).
    count = page.select_one("#result-count").get_text(" ", strip=True)
    assert count == "2 resultater for »sygedagpenge«"


def test_exactly_what_was_typed_offers_mente_du_and_keeps_filters(client, articles):
    """The "search exactly" link searches exactly: no results for the typo, and a
    "Mente du" link that keeps the filters."""
    page = soup(client, {"q": "sygedagpnge", "praecis": "1", "aar": "2025"})
    suggestion = page.select_one(".search-suggestion a")
    assert suggestion.get_text() == "sygedagpenge"
    assert suggestion["href"] == "?q=sygedagpenge&aar=2025"
    assert page.select("ol.search-hits li") == []
    assert "Viser i stedet" not in page.get_text()


def test_only_small_words_find_nothing_rather_than_everything(client, articles):
    for q in ("hvad er det", "man"):
        page = soup(client, {"q": q})
        assert page.select("ol.search-hits li") == [], q
        assert "består kun af småord" in page.get_text(), q
    data = client.get("/api/search/", {"q": "hvad er det"}).json()
    assert data["total"] == 0 and data["results"] == []
    # Question words alone are searched as typed.
    assert client.get("/api/search/", {"q": "hvordan kan man"}).json()["total"] == 0


def test_a_long_query_leaves_words_out_and_says_so(client, articles):
    q = "qqq www eee rrr ttt yyy uuu iii ooo sygedagpenge"
    page = soup(client, {"q": q})
    assert len(page.select("ol.search-hits li")) == 2
    assert "Udeladt:" in page.get_text()


def test_a_pasted_paragraph_is_searched_on_its_rarest_words(client, articles):
    """A user walk pasted a paragraph about stress and anxiety; the 8 longest words
    kept *organiseret* and left out *stress* and *angst*. The words fewest texts have
    say what it is about, and a word no text has is the first left out."""
    common = "Medarbejderne organiserede samarbejdet med virksomhederne om borgerne."
    for n in range(4):
        create_experience(f"Samarbejde {n}", lead=common)
    create_experience("Stress og angst", lead=f"{common} Mange havde stress og angst.")
    q = (
        "medarbejderne organiserede samarbejdet virksomhederne borgerne "
        "stress angst qqqordetfindesikke sygedagpenge samtaler"
    )
    page = soup(client, {"q": q})
    assert "Stress og angst" in page.select_one("ol.search-hits li").get_text(" ", strip=True)
    left_out = page.find(string=lambda text: "Udeladt:" in text)
    assert "qqqordetfindesikke" in left_out and "færrest tekster" in left_out
    assert "stress" not in left_out and "angst" not in left_out
    assert any(word in left_out for word in common.lower().split())


def test_zero_results_help(client, articles):
    page = soup(client, {"q": "xylofonorkester"})
    assert "0 resultater" in page.select_one("#result-count").get_text()
    assert "Vi fandt ikke noget" in page.select_one(".search-empty").get_text()
    assert page.select_one(".search-empty a[href^='/konto/login/']")


def test_query_is_escaped(client, articles):
    response = client.get("/soeg/", {"q": "<script>alert(1)</script>"})
    assert b"<script>alert(1)</script>" not in response.content
    assert b"&lt;script&gt;" in response.content


def test_form_works_without_javascript(client, articles):
    page = soup(client, {})
    form = page.select_one("form[role=search]")
    assert form["method"] == "get" and form["action"] == "/soeg/"
    field = form.select_one("input[name=q]")
    assert page.select_one(f"label[for={field['id']}]")
    assert (
        field["list"] == "soeg-forslag"
        and field["data-autocomplete-url"] == "/api/search/autocomplete/"
    )
    assert page.select_one("script[src$='search/autocomplete.js']")


def test_sort_newest_and_bad_filters_are_dropped_with_a_message(client, articles):
    page = soup(client, {"q": "borgerne", "sortering": "nyeste", "kommune": "9999"})
    titles = [a.get_text() for a in page.select(".search-hit__title a")]
    assert titles == ["Sygedagpenge og videosamtaler", "Tidlig kontakt til sygemeldte"]
    assert "Ukendt kommunekode" in page.select_one(".message--warning").get_text()
    # The page names its own (Danish) values, not the API's (an outside walk).
    page = soup(client, {"q": "borgerne", "sortering": "xyz"})
    message = page.select_one(".message--warning").get_text()
    assert "Brug relevans eller nyeste" in message and "newest" not in message


def test_newest_lists_a_coming_event_by_the_day_it_was_put_up(client):
    """Five outside walks found *Nyeste* led by events months ahead. An event put up ten
    days ago for March is ten days old: below yesterday's article, above last month's,
    and its line says when it was put up beside when it is held."""
    import datetime

    from django.utils import timezone

    from projects.factories import create_event, create_project
    from projects.models import EventPage
    from search import registry

    today = timezone.localdate()
    for title, days in (("Sygemeldte i job", 1), ("Sygemeldte på video", 40)):
        create_experience(
            title, lead="Sygemeldte borgere.", published=str(today - datetime.timedelta(days))
        )
    event = create_event(create_project("Sygemeldte"), "Temadag om sygemeldte", days_ahead=90)
    put_up = timezone.now() - datetime.timedelta(days=10)
    EventPage.objects.filter(pk=event.pk).update(first_published_at=put_up)
    registry.schedule_reindex(EventPage.objects.get(pk=event.pk))

    page = soup(client, {"q": "sygemeldte", "sortering": "nyeste"})
    titles = [a.get_text() for a in page.select(".search-hit__title a")]
    assert titles[:3] == ["Sygemeldte i job", "Temadag om sygemeldte", "Sygemeldte på video"]
    held, put = event.starts_at.date().isoformat(), timezone.localdate(put_up).isoformat()
    line = page.select(".search-hit")[1].select_one(".meta")
    # Sorted by the day put up, that day comes first (a walk read the list by its
    # first date and found it out of order); by relevance, the event's own day.
    assert [t["datetime"] for t in line.select("time")] == [put, held]
    assert line.get_text(" ", strip=True).startswith("Arrangement Lagt op")
    relevance = soup(client, {"q": "temadag"}).select_one(".search-hit .meta")
    assert [t["datetime"] for t in relevance.select("time")] == [held, put]
    assert "· lagt op" in relevance.get_text(" ", strip=True)
    # An article is put up on its own day: one date.
    assert len(page.select(".search-hit")[0].select_one(".meta").select("time")) == 1


def test_a_trial_action_s_date_says_it_is_its_start(client, run_on_commit):
    """A log's date is the day it started (its page says "startet"); unlabelled, a
    walk read it as the day it was written. Written before it starts: both."""
    import datetime

    from django.utils import timezone

    from network.factories import UserFactory
    from projects.factories import create_log, create_project

    today = timezone.localdate()
    started = today + datetime.timedelta(days=20)
    create_log(
        create_project("Video"),
        UserFactory(email="forfatter-soeg@test.example"),
        title="Videosamtaler som fast tilbud",
        visibility="public",
        purpose="Sygemeldte vælger selv video.",
        started=started,
    )
    line = soup(client, {"q": "videosamtaler"}).select_one(".search-hit .meta")
    text = " ".join(line.get_text(" ").split())
    assert text.startswith("Prøvehandling Start") and " · lagt op " in text
    assert [t["datetime"] for t in line.select("time")] == [
        started.isoformat(),
        today.isoformat(),
    ]
    newest = soup(client, {"q": "videosamtaler", "sortering": "nyeste"})
    text = " ".join(newest.select_one(".search-hit .meta").get_text(" ").split())
    assert text.startswith("Prøvehandling Lagt op") and " · start " in text


def test_navigation_shows_search(client, articles):
    page = soup(client, {})
    assert page.select_one("nav.main-nav a[href='/soeg/']").get_text() == "Søg"


def test_a_one_word_search_found_by_its_parts_says_so(client, articles):
    """ "sygedagpengeopfølgning" is in no text; its parts are. The page must not claim
    that nothing holds "all the words" of a one-word search."""
    page = soup(client, {"q": "sygedagpengeopfølgning"})
    text = page.get_text(" ", strip=True)
    assert page.select("ol.search-hits li"), "the parts find the articles"
    assert "Intet indeholder hele ordet" in text
    assert "alle ordene" not in text


def test_a_search_found_by_some_of_its_words_says_so(client, articles):
    text = soup(client, {"q": "sygemeldte kajakroning"}).get_text(" ", strip=True)
    assert "Intet indeholder alle ordene" in text


def test_a_flood_of_searches_is_slowed_with_a_danish_page(client, articles, settings):
    """An outside attacker asked the page 150 times in 9 seconds (the API answered 429
    after about 113). Per visitor's address, or per member: another is not affected."""
    from network.factories import UserFactory

    settings.SEARCH_PAGE_RATE_PER_MINUTE = 2
    codes = [client.get("/soeg/", {"q": "borgerne"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    refused = client.get("/soeg/", {"q": "sygemeldte"})
    assert "For mange søgninger" in refused.content.decode()
    wait = int(refused["Retry-After"])
    assert 0 < wait <= 60
    assert f"Prøv igen om {wait} sekund" in refused.content.decode()
    # The empty form stays open; its list of the newest waits and says for how long
    # (an outside walk found a blank page under the field, with no word of why).
    browse = soup(client, {})
    assert browse.select_one("input[name=q]") and not browse.select(".search-hit")
    message = browse.select_one(".message--warning").get_text(" ", strip=True)
    assert "listen over det nyeste vises først igen om" in message and "sekund" in message
    client.force_login(UserFactory(email="medlem-soeg@test.example"))
    assert client.get("/soeg/", {"q": "borgerne"}).status_code == 200


def test_a_municipality_s_name_is_never_corrected_and_its_page_is_offered(client, articles):
    """A user walk searched *Næstved* while its one article was unpublished and was shown
    results for »næste«; searching *Viborg*, the municipality's page was never offered."""
    create_experience("Det næste skridt", lead="Om det næste skridt i forløbet.")
    page = soup(client, {"q": "Næstved"})
    text = page.get_text(" ", strip=True)
    assert "næste" not in text.lower().replace("næstved", "")
    assert "Mente du" not in text and "Viser resultater for" not in text
    box = page.select_one(".search-municipality")
    assert box.select_one("a")["href"] == "/kommuner/naestved/"
    # Nothing is tagged Næstved: no filter that would lead to no results (outside walk).
    assert len(box.select("a")) == 1
    create_experience("Jobcafé", lead="Åbent hver tirsdag.", municipalities=["0370"])
    box = soup(client, {"q": "Næstved"}).select_one(".search-municipality")
    assert "kommune=0370" in box.select("a")[1]["href"]
    # Filtered on it already: only the page is offered.
    filtered = soup(client, {"q": "Næstved", "kommune": "0370"})
    assert len(filtered.select_one(".search-municipality").select("a")) == 1
    # A typo of an ordinary word is still corrected.
    assert "Viser resultater for" in soup(client, {"q": "sygedagpnge"}).get_text()


def test_a_municipality_is_named_by_its_spelling_not_by_a_stem(client, articles):
    """An outside walk's *veje*, *vej* and *digitale veje til job* were offered Vejen (the
    stem of *Vejen* is *vej*) and lifted its content; *Vejles* and *Århus* still name."""
    create_experience("Digitale veje til job", lead="Nye veje.", municipalities=["0630"])
    for q in ("veje", "vej", "digitale veje til job", '"digitale veje"'):
        assert soup(client, {"q": q}).select_one(".search-municipality") is None, q
    for q, slug in (("Vejen", "vejen"), ("Vejles jobcenter", "vejle"), ("Århus", "aarhus")):
        box = soup(client, {"q": q}).select_one(".search-municipality")
        assert box is not None and box.select_one("a")["href"] == f"/kommuner/{slug}/", q


def test_a_word_that_begins_compounds_is_completed_not_corrected(client, articles):
    """An outside walk's *kontant* was searched as *kontakt*, and *syg* as *sag*: a word
    nobody wrote alone that begins visible compounds searches those."""
    create_experience("Kontanthjælp og job", lead="Kontanthjælpsmodtagere i job.")
    create_experience("Tidlig kontakt", lead="Kontakt til borgeren.")
    create_experience("Sygemeldte i dialog", lead="Sygemeldte borgere.")
    create_experience("En sag om ledighed", lead="En sag.")
    page = soup(client, {"q": "kontant"})
    text = page.get_text(" ", strip=True)
    assert "Viser resultater for »kontanthjælp" in text
    titles = [a.get_text().strip() for a in page.select(".search-hits h3 a")]
    assert titles[0] == "Kontanthjælp og job" and "Tidlig kontakt" not in titles
    # Asked exactly, it offers what it was completed to, not another near word.
    exact = soup(client, {"q": "kontant", "praecis": "1"})
    assert exact.select_one(".search-suggestion a").get_text() == "kontanthjælp"
    text = soup(client, {"q": "syg"}).get_text(" ", strip=True)
    assert "Viser resultater for »syg" in text and "»sag«" not in text
    assert "Sygemeldte i dialog" in text and "En sag om ledighed" not in text
    # Written apart, the two words are the compound: neither is corrected.
    page = soup(client, {"q": "kontant hjælp"})
    assert "Viser resultater for" not in page.get_text()
    assert page.select_one(".search-hits h3 a").get_text().strip() == "Kontanthjælp og job"
    # A typo one letter short of a word is still corrected to it.
    text = soup(client, {"q": "sygemeldt"}).get_text(" ", strip=True)
    assert "Sygemeldte i dialog" in text


def test_a_correction_that_finds_nothing_says_so_without_contradiction(client, articles):
    """An outside walk's *Nestved* said "Viser resultater for »Næstved«" and then "Vi
    fandt ikke noget for »Nestved«"."""
    text = soup(client, {"q": "Nestved"}).get_text(" ", strip=True)
    assert "Søgte efter »Næstved«" in text and "Viser resultater for" not in text
    assert "Vi fandt ikke noget for »Næstved«" in text
    # One word without quotes: no advice to use fewer words or drop quotes.
    assert "Brug færre ord" not in text and "Citationstegn" not in text
    text = soup(client, {"q": '"helt ukendt frase"'}).get_text(" ", strip=True)
    assert "Citationstegn søger efter præcis den frase" in text


def test_a_region_s_name_offers_everything_from_the_region(client, articles):
    """An outside walk's leaders searched *Region Syddanmark* and found nothing."""
    from network.models import Region

    south = Region.objects.get(name="Region Syddanmark")
    create_experience("Jobcafé på havnen", lead="Åbent hver tirsdag.", municipalities=["0461"])
    for q in ("Region Syddanmark", "syddanmark", "jobcentre i region syddanmark"):
        # The region's box, or, where the query found nothing, its content (below).
        page = soup(client, {"q": q})
        links = [a["href"] for a in page.select(".search-region a, .message a")]
        assert f"?region={south.code}" in links, q
    assert soup(client, {"q": "region"}).select_one(".search-region") is None
    assert soup(client, {"q": "borgere"}).select_one(".search-region") is None
    listing = soup(client, {"region": south.code}).get_text(" ", strip=True)
    assert "Jobcafé på havnen" in listing


def test_signs_alone_are_not_called_small_words(client, articles):
    """An outside walk's *!!!* and emoji were said to consist of small words."""
    for q in ("!!!", "%", "😀"):
        text = soup(client, {"q": q}).get_text(" ", strip=True)
        assert f"»{q}« indeholder ingen ord" in text and "småord" not in text
    assert "består kun af småord" in soup(client, {"q": "og i"}).get_text(" ", strip=True)


def test_a_misspelt_municipality_is_searched_as_the_municipality(client, articles):
    """A user walk's *Faborg* found nothing and was offered no *Faaborg*."""
    create_experience(
        "Virksomhedsbesøg", lead="Jobcentret besøger virksomheder.", municipalities=["0430"]
    )
    page = soup(client, {"q": "Faborg"}).get_text(" ", strip=True)
    assert "Viser resultater for »Faaborg«" in page
    # A corrected name is named: the municipality's box is offered (an outside walk).
    # In the typed word's case, not the vocabulary's (an outside walk saw »københavn«).
    create_experience("Jobcafé", lead="Et samarbejde med Jobcenter Roskilde.")
    assert "Viser resultater for »Roskilde«" in soup(client, {"q": "Roskile"}).get_text()
    assert "Viser resultater for »roskilde«" in soup(client, {"q": "roskile"}).get_text()
    box = soup(client, {"q": "Randrs"}).select_one(".search-municipality")
    assert box is not None and box.select_one("a")["href"] == "/kommuner/randers/"
    assert "Virksomhedsbesøg" in page
    # A word nearer to a visible word than to any municipality is corrected to that.
    assert "Viser resultater for »sygedagpenge«" in soup(client, {"q": "sygedagpnge"}).get_text()


def test_a_capitalised_typo_as_near_a_municipality_as_a_word_is_the_municipality(client, articles):
    """An outside walk's *Vejel* was searched as *Veje*: typed with a capital, a name
    is meant; of the towns as near, the one with the same letters (Vejle, not Vejen)."""
    create_experience("Veje til job", lead="Borgerne finder veje.")
    create_experience("Jobcafé i Vejle", lead="Et samarbejde med Jobcenter Vejle.")
    page = soup(client, {"q": "Vejel"})
    assert "Viser resultater for »Vejle«" in page.get_text()
    # The town alone: not also *veje* (an outside walk).
    assert [a.get_text() for a in page.select(".search-hit__title a")] == ["Jobcafé i Vejle"]
    assert "Viser resultater for »veje«" in soup(client, {"q": "vejel"}).get_text()


def test_a_quoted_word_is_searched_exactly_as_typed(client, articles):
    """An outside walk's *"samtlae"* was corrected with no word said; quotes mean
    exactly this."""
    page = soup(client, {"q": '"sygedagpnge"'})
    assert page.select_one(".search-corrected") is None
    assert "0 resultater" in page.select_one("#result-count").get_text()
    assert page.select_one(".search-suggestion a").get_text() == "sygedagpenge"


def test_a_real_word_no_text_has_is_offered_not_replaced(client, articles):
    """Outside walks saw *forskel* searched as *forsøg*, *læge* as *lange*, *mail* as
    *mål*: a real Danish word is searched as typed. Finding nothing, the page offers
    the nearest word and shows nothing in its place."""
    create_experience("Forsøg med sms", lead="Et forsøg i Randers.")
    page = soup(client, {"q": "forskel"})
    assert page.select_one(".search-corrected") is None
    assert page.select_one(".search-suggestion a").get_text() == "forsøg"
    assert page.select("ol.search-hits li") == []
    assert "Viser i stedet" not in page.get_text()
    # With other words that find something, it is not searched as *forsøg* at all.
    page = soup(client, {"q": "sygemeldte forskel"})
    assert page.select_one(".search-corrected") is None
    assert "Forsøg med sms" not in page.get_text()
    # A typo is still searched as what it is nearest.
    corrected = soup(client, {"q": "forsgø"}).select_one(".search-corrected").get_text()
    assert "Viser resultater for »forsøg«" in corrected


def test_a_long_query_is_cut_between_words_and_invisible_characters_dropped(client, articles):
    """An outside walk: forty *sygedagpenge* were cut at 200 characters inside a word,
    and *syged* was then shown as a correction; a zero-width space read as »«."""
    page = soup(client, {"q": "sygedagpenge " * 40})
    text = page.get_text(" ", strip=True)
    assert "Søgningen er for lang: højst 200 tegn. Der søges på begyndelsen." in text
    # The API refuses it, and says no more than that.
    error = client.get("/api/search/", {"q": "sygedagpenge " * 40}).json()["error"]
    assert error == "Søgningen er for lang: højst 200 tegn."
    assert page.select_one(".search-corrected") is None
    assert "2 resultater" in page.select_one("#result-count").get_text()
    assert "syged«" not in text
    page = soup(client, {"q": "\u200b"})
    assert page.select_one("#result-count").get_text(" ", strip=True).startswith("Nyeste indhold")
    # A soft hyphen pasted inside a word leaves the word whole.
    page = soup(client, {"q": "syge\u00addagpenge"})
    assert "2 resultater for »sygedagpenge«" in page.select_one("#result-count").get_text()


def test_a_word_with_a_minus_leaves_out_the_texts_that_have_it(client, articles):
    """An outside walk's *video -telefon* found only the text with both words: the
    minus word was searched as a word. Now a text with it is no match, and the page
    says which were left out."""
    page = soup(client, {"q": "sygedagpenge -video"})
    message = page.select_one(".search-minus").get_text(" ", strip=True)
    # What a search for it finds (its synonyms, its municipality's tags), not only
    # the texts that name it (an outside walk read "nævner" and found that misleading;
    # a third found "Uden det, en søgning på … finder" hard to read).
    assert message == "Resultater, som en søgning på »video« finder, er udeladt."
    titles = [a.get_text() for a in page.select(".search-hit__title a")]
    assert titles == ["Tidlig kontakt til sygemeldte"]  # not "… og videosamtaler"
    assert "1 resultat for" in page.select_one("#result-count").get_text()
    # Inflected and inside compounds (the texts say *sygedagpengeforløbet*), as matched.
    none = soup(client, {"q": "sygemeldte -Sygedagpengene -randers"})
    assert none.select("ol.search-hits li") == []
    assert "»Sygedagpengene« eller »randers«" in none.select_one(".search-minus").get_text()
    # A hyphenated word, and a minus alone, are no such words; an en dash is a minus.
    assert soup(client, {"q": "sygedagpenge - video"}).select_one(".search-minus") is None
    dash = soup(client, {"q": "sygedagpenge –video"})
    assert "1 resultat for" in dash.select_one("#result-count").get_text()
    # Minus words alone find nothing (they found the very texts they named), and say so.
    only = soup(client, {"q": "-videosamtaler"})
    assert only.select("ol.search-hits li") == []
    assert only.select_one(".search-minus").get_text(" ", strip=True) == (
        "Søgningen har kun ord med minus foran. Skriv også, hvad du leder efter."
    )
    assert "ingen ord, som søgningen kan bruge" not in only.get_text()
    # Nor spelling advice: nothing was misspelt (an outside walk).
    assert not only.select(".search-empty") and "Tjek stavningen" not in only.get_text()
    assert soup(client, {"q": "kajakroning"}).select_one(".search-empty")
    # The help under the field tells how.
    assert "minus foran et ord, der ikke skal med" in page.select_one(".field__help").get_text()


def test_the_page_without_a_query_lists_the_newest_with_facets_to_browse(client, articles):
    # An outside walk opened /soeg/ and found only a search field.
    page = soup(client, {})
    assert page.select_one("#result-count").get_text(" ", strip=True).startswith("Nyeste indhold")
    titles = [a.get_text() for a in page.select(".search-hit__title a")]
    assert titles == ["Sygedagpenge og videosamtaler", "Tidlig kontakt til sygemeldte"]
    facet_text = page.select_one("nav.search-facets").get_text(" ", strip=True)
    assert "Aarhus (1)" in facet_text
    assert not page.select(".follow-search") and not page.select(".search-sort")
    (link,) = [a for a in page.select(".search-facets a") if a.get_text().startswith("Randers")]
    filtered = soup(client, dict(part.split("=") for part in link["href"][1:].split("&")))
    assert [a.get_text() for a in filtered.select(".search-hit__title a")] == [
        "Tidlig kontakt til sygemeldte"
    ]


def test_an_unknown_project_is_dropped_with_a_message_not_shown_as_a_chip(client, articles):
    page = soup(client, {"q": "sygedagpenge", "projekt": "abc"})
    assert "Ukendt projekt »abc«" in page.select_one(".message--warning").get_text()
    assert not page.select("ul.chips")
    assert "2 resultater" in page.select_one("#result-count").get_text()


def test_a_filter_given_twice_says_one_at_a_time(client, articles):
    page = soup(client, {"q": "sygedagpenge", "kommune": ["0751", "0730"]})
    message = page.select_one(".message--warning").get_text()
    assert "»kommune« er angivet flere gange" in message
    assert page.select_one("ul.chips a").get_text(" ", strip=True).startswith("Kommune: Randers")
    assert (
        client.get("/api/search/", {"q": "x", "type": ["experience", "event"]}).status_code == 400
    )


def test_a_page_that_does_not_exist_says_which_is_shown(client, articles):
    """An outside walk's ?side=4 silently showed page 3, and a 20-digit page page 1."""
    page = soup(client, {"q": "sygedagpenge", "side": "4"})
    assert "Side »4« findes ikke. Viser side 1." in page.select_one(".message--warning").get_text()
    assert len(page.select("ol.search-hits li")) == 2
    page = soup(client, {"q": "sygedagpenge", "side": "99999999999999999999"})
    # Cut, and marked as cut (a walk read »999999999999« as the page asked for).
    message = page.select_one(".message--warning").get_text()
    assert "Side »999999999999…« findes ikke. Viser side 1." in message
    assert not soup(client, {"q": "sygedagpenge"}).select(".message--warning")


def test_a_query_of_one_overlong_word_is_not_called_small_words(client, articles):
    text = soup(client, {"q": "a" * 5000}).get_text(" ", strip=True)
    assert "indeholder ingen ord, som søgningen kan bruge" in text and "småord" not in text
    assert "højst 200 tegn" in text


def test_a_region_s_name_that_no_text_has_shows_the_region_s_content(client, articles):
    """An outside walk's *Region Syddanmark* was given the region's link and then
    "Vi fandt ikke noget" and a login hint."""
    create_experience("Jobcafé på havnen", lead="Åbent hver tirsdag.", municipalities=["0461"])
    create_experience("Jobcafé i byen", lead="Åbent om torsdagen.", municipalities=["0751"])
    for q in ("Region Syddanmark", "syddanmarks"):
        page = soup(client, {"q": q})
        assert [a.get_text() for a in page.select(".search-hit__title a")] == [
            "Jobcafé på havnen"
        ], q
        assert "Vi fandt ikke noget" not in page.get_text()
        assert "1 resultat fra kommunerne i Region Syddanmark" in page.get_text(" ", strip=True)
    # Words that find nothing in the region either: nothing is made up.
    page = soup(client, {"q": "zebra region syddanmark"})
    assert "Vi fandt ikke noget" in page.get_text()


def test_a_later_page_of_results_says_so_in_its_title(client, articles, settings):
    """The title is what a screen reader says first: page 2 was "Søg" like page 1."""
    from experiences.factories import create_experience

    for n in range(11):
        create_experience(f"Sygedagpenge nr. {n}", lead="Om sygedagpenge.", municipalities=["0751"])

    def title(params):
        return " ".join(soup(client, params).title.get_text().split())

    assert title({"q": "sygedagpenge"}).startswith("Søgning: sygedagpenge ·")
    assert title({"q": "sygedagpenge", "side": "2"}).startswith("Søgning: sygedagpenge – side 2 ·")
    assert title({"side": "2"}).startswith("Søg – side 2 ·")


def test_each_search_landmark_has_a_name_of_its_own(client, articles):
    """The header's and the page's search forms were two landmarks called "search"."""
    for path in ("/", "/soeg/", "/erfaringer/"):
        page = BeautifulSoup(client.get(path).content, "html.parser")
        names = []
        for form in page.select("[role=search]"):
            if form.has_attr("aria-label"):
                names.append(form["aria-label"])
            else:
                names.append(page.find(id=form["aria-labelledby"]).get_text(strip=True))
        assert names and all(names) and len(set(names)) == len(names), path
