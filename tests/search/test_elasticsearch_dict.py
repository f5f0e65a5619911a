"""The Elasticsearch backend as data: mappings, analysis, queries and response
handling as dicts, and the client calls (the client's methods are mocks; no server)."""

import dataclasses
import datetime
import unicodedata
from unittest import mock

import pytest

from search import analysis, backends
from search.backends import es_schema
from search.backends.elasticsearch import ElasticsearchBackend, ElasticsearchError
from search.query import Filters, SearchRequest, parse
from search.registry import SearchDocument

pytestmark = pytest.mark.django_db  # parsing a query looks up municipality names
ACCESS = frozenset({"public", "members", "project:7"})


@pytest.fixture
def body():
    return es_schema.index_body("netvaerk-1", shards=3, replicas=2)


def test_settings_use_the_shared_word_lists(body):
    settings = body["settings"]
    assert settings["number_of_shards"] == 3 and settings["number_of_replicas"] == 2
    filters = settings["analysis"]["filter"]
    decompound = filters["da_decompound"]
    assert decompound["type"] == "dictionary_decompounder"
    assert decompound["word_list"] == sorted(analysis.load_compounds())
    assert "sygedagpenge" in decompound["word_list"] and "vindmølle" in decompound["word_list"]
    assert decompound["min_subword_size"] == analysis.MIN_SUBWORD_SIZE
    assert decompound["only_longest_match"] is False
    rules = filters["da_override"]["rules"]
    assert rules == es_schema.override_rules()
    assert any(rule.endswith("=> jobcentr") and "jobcenteret" in rule for rule in rules)
    assert any("arbejdsløse" in rule and rule.endswith("=> ledig") for rule in rules)
    assert filters["da_stop"]["stopwords"] == analysis.load_stopwords()
    assert filters["da_stemmer"] == {"type": "stemmer", "language": "danish"}
    assert filters["da_fold_oe"] == {"type": "pattern_replace", "pattern": "ø", "replacement": "oe"}


def test_index_and_search_analyzers_differ_only_in_decompounding(body):
    analyzers = body["settings"]["analysis"]["analyzer"]
    index, search = analyzers["da_index"]["filter"], analyzers["da_search"]["filter"]
    assert index == [
        "da_max_length",
        "lowercase",
        "da_fold_ae",
        "da_fold_oe",
        "da_fold_aa",
        "asciifolding",
        "da_unfold_aa",
        "da_unfold_ae",
        "da_unfold_oe",
        "da_stop",
        "da_decompound",
        "da_override",
        "da_stemmer",
        "da_fold_ae",
        "da_fold_oe",
        "da_fold_aa",
        "asciifolding",
    ]
    assert search == [f for f in index if f != "da_decompound"]
    assert body["settings"]["analysis"]["tokenizer"]["da_words"]["type"] == "pattern"
    # Lucene refuses terms over 32,766 bytes; the Python analysis drops the same words.
    length = body["settings"]["analysis"]["filter"]["da_max_length"]
    assert length == {"type": "length", "max": analysis.MAX_WORD_LENGTH}
    assert analyzers["da_spell"]["filter"][0] == "da_max_length"
    assert analysis.terms("kort " + "x" * (analysis.MAX_WORD_LENGTH + 1) + " ord") == [
        "kort",
        "ord",
    ]


def test_mapping(body):
    properties = body["mappings"]["properties"]
    for field in ("title", "body", "extra", "meta"):
        assert properties[field]["analyzer"] == "da_index"
        assert properties[field]["search_analyzer"] == "da_search"
    for field in ("access", "type", "municipalities", "regions", "topics", "project_key", "year"):
        assert properties[field]["type"] == "keyword"
    assert properties["date"]["type"] == properties["published"]["type"] == "date"
    assert properties["spell"]["analyzer"] == "da_spell"


def request_for(q, **kwargs):
    return SearchRequest(query=parse(q), access=ACCESS, **kwargs)


def test_a_minus_word_is_a_must_not_clause_analysed_as_indexed():
    data = es_schema.build_search(request_for("video -telefon -Aarhus"), "netvaerk").to_dict()
    clauses = data["query"]["bool"]["must_not"]
    assert [c["multi_match"]["query"] for c in clauses] == ["telefon", "Aarhus"]
    assert {c["multi_match"]["analyzer"] for c in clauses} == {"da_index"}  # no synonyms
    assert {c["multi_match"]["operator"] for c in clauses} == {"and"}
    # The minus words are not searched.
    assert "telefon" not in str(data["query"]["bool"]["must"])
    assert (
        "must_not"
        not in es_schema.build_search(request_for("video"), "x").to_dict()["query"]["bool"]
    )


def test_query_with_access_filters_aggregations_and_highlight():
    request = request_for(
        '"fælles faglig sparring" aarhus',
        filters=Filters(municipality="0751", year=2026),
        offset=20,
        limit=10,
    )
    data = es_schema.build_search(request, "netvaerk").to_dict()
    # A named municipality's own documents score twice as high, shared ones 1 + 1/n
    # (multiplied, as the database backends do).
    function_score = data["query"]["function_score"]
    assert function_score["functions"] == [
        {
            "filter": {"terms": {"municipalities": ["0751"]}},
            "script_score": {
                "script": {
                    "source": "1.0 + (params.boost - 1.0) / "
                    "Math.max(doc['municipalities'].size(), 1)",
                    "params": {"boost": 2.0},
                }
            },
        }
    ]
    assert function_score["boost_mode"] == "multiply"
    query = function_score["query"]["bool"]
    assert query["filter"] == [{"terms": {"access": ["members", "project:7", "public"]}}]
    words, phrase = query["must"]
    assert words["multi_match"]["type"] == "cross_fields"
    assert words["multi_match"]["operator"] == "and"
    assert words["multi_match"]["query"] == "aarhus"
    assert phrase["multi_match"] == {
        "query": "fælles faglig sparring",
        "type": "phrase",
        "fields": es_schema.PHRASE_FIELDS,
    }
    assert "should" not in query
    assert data["post_filter"] == {
        "bool": {"filter": [{"term": {"municipalities": "0751"}}, {"term": {"year": "2026"}}]}
    }
    aggs = data["aggs"]
    assert set(aggs) == {"type", "municipality", "region", "topic", "project", "year"}
    # Each facet counts within the *other* active filters.
    assert aggs["municipality"]["filter"] == {"bool": {"filter": [{"term": {"year": "2026"}}]}}
    assert aggs["topic"]["filter"]["bool"]["filter"] == data["post_filter"]["bool"]["filter"]
    assert aggs["municipality"]["aggs"]["values"]["terms"]["field"] == "municipalities"
    assert aggs["project"]["aggs"]["values"]["aggs"]["title"]["terms"]["field"] == "project_title"
    highlight = data["highlight"]
    assert highlight["encoder"] == "html"
    assert highlight["pre_tags"] == ["<mark>"] and highlight["post_tags"] == ["</mark>"]
    assert set(highlight["fields"]) == {"body", "extra", "title"}
    assert highlight["fields"]["title"] == {"number_of_fragments": 0}  # the whole title
    assert data["sort"][0] == "_score"
    assert data["from"] == 20 and data["size"] == 10 and data["track_total_hits"] is True


def test_relaxed_and_newest_queries():
    data = es_schema.build_search(
        request_for("sygedagpengeområdet", match="any", sort="newest"), "netvaerk"
    ).to_dict()
    clause = data["query"]["bool"]["must"][0]["multi_match"]
    assert clause["operator"] == "or" and clause["analyzer"] == "da_index"
    # A light head gives way to what comes before it, as on the database backends.
    assert clause["query"] == "sygedagpenge"
    two = es_schema.build_search(request_for("bolig ungeområdet", match="any"), "netvaerk")
    assert two.to_dict()["query"]["bool"]["must"][0]["multi_match"]["query"] == "bolig unge"
    # By the day it was published (an event put up now for June is now's news); an
    # index made before the field sorts as if none had one.
    assert data["sort"][0] == {
        "published": {"order": "desc", "missing": "_last", "unmapped_type": "date"}
    }
    empty = es_schema.build_search(request_for(""), "netvaerk").to_dict()
    assert "must" not in empty["query"]["bool"]


def test_suggester_collates_on_visible_documents():
    data = es_schema.suggest_body("sygedagpnge", ACCESS)
    phrase = data["suggest"]["didyoumean"]["phrase"]
    collate = phrase["collate"]["query"]["source"]["bool"]["filter"]
    assert {"terms": {"access": ["members", "project:7", "public"]}} in collate
    assert phrase["collate"]["prune"] is False
    assert data["suggest"]["didyoumean"]["text"] == "sygedagpnge"


def test_autocomplete_aggregates_visible_words():
    data = es_schema.autocomplete_body("aabe", frozenset({"public"}), 8)
    assert data["query"]["bool"]["filter"] == [
        {"terms": {"access": ["public"]}},
        {"prefix": {"words": "aabe"}},
    ]
    assert data["aggs"]["completions"]["terms"] == {
        "field": "words",
        "include": "aabe.*",
        "size": 8,
    }


@pytest.fixture
def es():
    backend = ElasticsearchBackend(url="http://127.0.0.1:9", prefix="netvaerk")
    backend.client = mock.MagicMock()
    backend.client.options.return_value = backend.client
    backend.client.indices.exists_alias.return_value = True
    backend.client.bulk.return_value = {"errors": False, "items": []}
    return backend


def record(db_labels=None):
    from search.indexing import prepare

    return prepare(
        SearchDocument(
            type="note",
            object_id="5",
            title="Havvindmøller i Esbjerg",
            url="/noter/5/",
            access="project:7",
            body="Ledige borgere",
            municipalities=["0561"],
            topics=["virksomhedsservice"],
            project_key="vind",
            project_title="Vindprojektet",
            date=datetime.date(2025, 4, 3),
        )
    )


def test_bulk_write_and_delete(es):
    es.write([record()])
    operations = es.client.bulk.call_args.kwargs["operations"]
    assert operations[0] == {"index": {"_index": "netvaerk", "_id": "note:5"}}
    source = operations[1]
    assert source["access"] == "project:7" and source["regions"] == ["1083"]
    assert source["year"] == "2025" and source["date"] == "2025-04-03"
    assert source["published"] == "2025-04-03"  # none given: its own day
    assert "Esbjerg" in source["meta"] and "Vindprojektet" in source["meta"]
    assert "aabenraa|aabenraa" not in source["words"]
    assert "havvindmoeller|havvindmøller" in source["words"]
    assert "vindmølle" in source["spell"].split()  # compound parts can be suggested
    es.client.bulk.return_value = {
        "errors": True,
        "items": [{"delete": {"status": 404, "result": "not_found"}}],
    }
    es.delete([("note", "99")])  # deleting what is gone is fine
    refusal = {"status": 400, "_id": "note:5", "error": {"type": "mapper_parsing_exception"}}
    es.client.bulk.return_value = {"errors": True, "items": [{"index": refusal}]}
    # One refused document is reported, not raised: the others in the request are done.
    assert list(es.write([record()])) == [("note", "5")]
    es.client.bulk.return_value = {
        "errors": True,
        "items": [{"index": {"status": 429, "_id": "note:5", "error": {"type": "rejected"}}}],
    }
    with pytest.raises(ElasticsearchError) as raised:  # the cluster's trouble: an outage
        es.write([record()])
    assert backends.is_outage(raised.value)
    es.client.bulk.return_value = {
        "errors": True,
        "items": [
            {"index": {"status": 409, "_id": "note:5", "error": {"type": "version_conflict"}}}
        ],
    }
    assert es.write([record()], version=3) == {}  # a newer version is there already
    action = es.client.bulk.call_args.kwargs["operations"][0]["index"]
    assert action["version"] == 3 and action["version_type"] == "external"


def test_autocomplete_prefix_is_a_literal_in_the_regex():
    data = es_schema.autocomplete_body("a.b*", frozenset({"public"}), 8)
    assert data["aggs"]["completions"]["terms"]["include"] == "a\\.b\\*.*"


def test_documents_are_sent_in_composed_unicode():
    from search.backends.es_schema import source

    decomposed = unicodedata.normalize("NFD", "Åbenrå")
    assert decomposed != "Åbenrå"
    rec = record()
    rec.doc = dataclasses.replace(rec.doc, title=decomposed, body=f"Jobcenter {decomposed}")
    sent = source(rec)
    assert sent["title"] == "Åbenrå" and sent["body"] == "Jobcenter Åbenrå"


def test_first_write_creates_an_index_behind_the_alias(es):
    es.client.indices.exists_alias.return_value = False
    es.write([record()])
    created = es.client.indices.create.call_args.kwargs
    # A fixed name, with the alias in the same request: two processes cannot make two.
    assert created["index"] == "netvaerk-initial"
    assert created["aliases"] == {"netvaerk": {"is_write_index": True}}
    assert "da_index" in created["settings"]["analysis"]["analyzer"]
    es.client.indices.update_aliases.assert_not_called()


def test_rebuild_swaps_the_alias_atomically(es):
    es.client.indices.get_alias.return_value = {"netvaerk-old": {"aliases": {"netvaerk": {}}}}
    name = es.begin_rebuild()
    assert es.finish_rebuild(name) == ["netvaerk-old"]  # dropped by the caller
    es.client.indices.refresh.assert_called_once_with(index=name)
    es.client.indices.update_aliases.assert_called_once_with(
        actions=[
            {"remove": {"index": "netvaerk-old", "alias": "netvaerk"}},
            {"add": {"index": name, "alias": "netvaerk"}},
        ]
    )
    es.client.indices.delete.assert_not_called()


RESPONSE = {
    "hits": {
        "total": {"value": 12, "relation": "eq"},
        "hits": [
            {
                "_id": "experience:3",
                "_source": {
                    "type": "experience",
                    "object_id": "3",
                    "title": "Videosamtaler",
                    "url": "/erfaringer/video/",
                    "body": "Borgere <i>og</i> video",
                    "municipalities": ["0751"],
                    "topics": ["sygedagpenge"],
                    "date": "2026-10-02",
                    "external_id": "demo-exp-01",
                },
                "highlight": {
                    "body": ["<mark>Borgere</mark> &lt;i&gt;og&lt;/i&gt; video"],
                    "title": ["<mark>Video</mark>samtaler &amp; mere"],
                },
            },
            {
                "_source": {"type": "note", "object_id": "4", "title": "T", "body": "<b>x</b>"},
            },
        ],
    },
    "aggregations": {
        "type": {"values": {"buckets": [{"key": "experience", "doc_count": 9}]}},
        "year": {"values": {"buckets": [{"key": "2026", "doc_count": 12}]}},
        "project": {
            "values": {
                "buckets": [
                    {
                        "key": "vind",
                        "doc_count": 2,
                        "title": {"buckets": [{"key": "Vindprojektet"}]},
                    }
                ]
            }
        },
    },
}


def test_response_parsing(es):
    es.client.search.return_value = RESPONSE
    result = es.search(request_for("borgere"))
    assert es.client.search.call_args.kwargs["index"] == "netvaerk"
    assert result.total == 12 and result.backend == "elasticsearch"
    first, second = result.hits
    assert first.snippet == "<mark>Borgere</mark> &lt;i&gt;og&lt;/i&gt; video"
    assert first.date == datetime.date(2026, 10, 2) and first.external_id == "demo-exp-01"
    assert first.published == first.date  # an index made before the field: its own day
    assert second.snippet == "&lt;b&gt;x&lt;/b&gt;"  # no highlight: escaped, never raw
    assert first.title_html == "<mark>Video</mark>samtaler &amp; mere"
    assert second.title_html == "T"  # no match in the title: escaped
    assert result.facets["type"] == {"experience": 9}
    assert result.facets["municipality"] == {}
    assert result.project_titles == {"vind": "Vindprojektet"}


def test_suggestion_and_completion_parsing(es):
    es.client.search.return_value = {
        "suggest": {"didyoumean": [{"options": [{"text": "sygedagpenge", "score": 0.2}]}]}
    }
    assert es.suggest(parse("sygedagpnge"), ACCESS) == "sygedagpenge"
    es.client.search.return_value = {"suggest": {"didyoumean": [{"options": []}]}}
    assert es.suggest(parse("sygedagpnge"), ACCESS) is None
    # A municipality's name is a word of the field: never "corrected" (a user walk's
    # *Næstved* was searched as *næste* on the database backend).
    es.client.search.return_value = {
        "suggest": {"didyoumean": [{"options": [{"text": "næste fleksjob", "score": 0.2}]}]}
    }
    assert es.suggest(parse("Næstved fleksjb"), ACCESS) == "næstved fleksjob"
    es.client.search.return_value = {
        "suggest": {"didyoumean": [{"options": [{"text": "næste", "score": 0.2}]}]}
    }
    assert es.suggest(parse("Næstved"), ACCESS) is None
    es.client.search.return_value = {
        "aggregations": {"completions": {"buckets": [{"key": "aabenraa|aabenraa", "doc_count": 3}]}}
    }
    assert es.autocomplete("virksomheder i Åbe", ACCESS) == ["virksomheder i aabenraa"]
    body = es.client.search.call_args.kwargs["body"]
    assert body["aggs"]["completions"]["terms"]["include"] == "aabe.*"


def test_words_need_a_minimum_should_match_share():
    data = es_schema.build_search(
        request_for("hvordan får man tidlig kontakt til sygemeldte borgere"), "netvaerk"
    ).to_dict()
    (words,) = data["query"]["bool"]["must"]
    (share,) = words["bool"]["must"]
    assert share["bool"]["minimum_should_match"] == "2<-1 3<67%"
    queries = [clause["multi_match"]["query"] for clause in share["bool"]["should"]]
    assert queries == ["tidlig", "kontakt", "sygemeldte", "borgere"]  # no question words
    assert all(c["multi_match"]["operator"] == "and" for c in share["bool"]["should"])
    # A match with every word ranks first, as on the database backends.
    (every,) = words["bool"]["should"]
    assert every["constant_score"]["filter"]["bool"]["filter"] == share["bool"]["should"]
    assert every["constant_score"]["boost"] == es_schema.EVERY_WORD_BOOST


def test_a_corrected_word_matches_fuzzily_below_exact_words():
    from search.query import Alternative

    query = dataclasses.replace(
        parse("sygedagpnge aarhus"),
        alternatives=((Alternative("sygedagpenge", ("sygedagpeng",), "fuzzy"),), ()),
        corrections=(("sygedagpnge", "sygedagpenge"),),
    )
    data = es_schema.build_search(SearchRequest(query=query, access=ACCESS), "x").to_dict()
    must = data["query"]["function_score"]["query"]["bool"]["must"][0]
    typo_slot, town_slot = must["bool"]["must"][0]["bool"]["should"]
    exact, fuzzy, corrected = typo_slot["bool"]["should"]
    assert (
        exact["multi_match"]["query"] == "sygedagpnge" and "fuzziness" not in exact["multi_match"]
    )
    assert fuzzy["multi_match"]["fuzziness"] == "AUTO"
    assert fuzzy["multi_match"]["prefix_length"] == 1
    assert fuzzy["multi_match"]["boost"] == es_schema.FUZZY_BOOST < 1
    assert corrected["multi_match"]["query"] == "sygedagpenge"
    assert town_slot == {
        "multi_match": {
            "query": "aarhus",
            "type": "cross_fields",
            "fields": es_schema.TEXT_FIELDS,
            "operator": "and",
        }
    }


def test_synonyms_come_from_the_search_analyzer(body, es):
    from search.models import SynonymGroup
    from search.query import Alternative

    # The editors' groups are a synonyms set, read by a synonym_graph filter at search
    # time only (updateable), placed after the spelling is made canonical.
    named = es_schema.index_body("x", 1, 0, synonyms_set="netvaerk-synonyms")
    search = named["settings"]["analysis"]["analyzer"]["da_search"]["filter"]
    assert search[search.index("da_unfold_oe") + 1] == "da_synonyms"
    assert named["settings"]["analysis"]["filter"]["da_synonyms"] == {
        "type": "synonym_graph",
        "synonyms_set": "netvaerk-synonyms",
        "updateable": True,
    }
    index = named["settings"]["analysis"]["analyzer"]["da_index"]["filter"]
    assert "da_synonyms" not in index
    # A query's synonym alternatives are left to that filter, not sent twice.
    query = dataclasses.replace(
        parse("ledige"), alternatives=((Alternative("jobsøgende", ("jobsoeg",), "synonym"),),)
    )
    data = es_schema.build_search(SearchRequest(query=query, access=ACCESS), "x").to_dict()
    assert "jobsøgende" not in str(data["query"])
    # The set is sent before an index that reads it is made, and again on a change.
    es.client.indices.exists_alias.return_value = False
    es.write([record()])
    calls = [c[0] for c in es.client.method_calls]
    assert calls.index("synonyms.put_synonym") < calls.index("indices.create")
    sent = es.client.synonyms.put_synonym.call_args.kwargs
    assert sent["id"] == "netvaerk-synonyms"
    assert {"id": mock.ANY, "synonyms": "ledig, jobsøgende, uden arbejde, uden job"} in sent[
        "synonyms_set"
    ]
    created = es.client.indices.create.call_args.kwargs
    assert created["settings"]["analysis"]["filter"]["da_synonyms"]["synonyms_set"] == (
        "netvaerk-synonyms"
    )
    es.client.synonyms.put_synonym.reset_mock()
    with mock.patch.object(backends, "elasticsearch_backend", return_value=es):
        SynonymGroup.objects.create(words="firma, virksomhed")
    assert es.client.synonyms.put_synonym.call_count == 1


def test_elasticsearch_snippets_keep_a_document_s_lines_apart():
    """As the database backends' snippets: a highlighted fragment's line breaks are
    shown as " · " (after a line without a full stop), never inside a tag."""
    from search.backends.elasticsearch import _snippet

    raw = {"highlight": {"body": ["ledige <mark>borgere</mark>\nVi har tilrettelagt det.\nNæste"]}}
    assert _snippet(raw, {}) == "ledige <mark>borgere</mark> · Vi har tilrettelagt det. Næste"
    assert _snippet({}, {"body": "Målgruppe\nSygemeldte"}) == "Målgruppe · Sygemeldte"
