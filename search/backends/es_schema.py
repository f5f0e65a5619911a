"""The Elasticsearch index and queries, as pure functions of data (tested as dicts).

The analysis chain mirrors search.analysis step for step, from the same word
lists: pattern tokenizer on non-letters, lowercase, the canonical spelling
(æ/ø/å → ae/oe/aa, ASCII folding, then aa/ae/oe → å/æ/ø), stop words, the
dictionary decompounder (index side only, so a query for a part finds the
compound), the stemmer override, Snowball's Danish stemmer, and a final fold.
Visibility is a `terms` filter on `access` inside the query itself, so hits,
totals, aggregations, highlights and the suggester's collate query all see only
what the user may see.
"""

from __future__ import annotations

import re
import unicodedata

from elasticsearch.dsl import (
    A,
    Date,
    Index,
    Keyword,
    Mapping,
    Q,
    Search,
    Text,
    analyzer,
    token_filter,
    tokenizer,
)

from .. import analysis
from ..query import FACETS, MINIMUM_SHOULD_MATCH, SearchRequest

FACET_FIELDS = {
    "type": "type",
    "municipality": "municipalities",
    "region": "regions",
    "topic": "topics",
    "project": "project_key",
    "year": "year",
}
FACET_SIZES = {"municipality": 100, "topic": 50, "project": 100, "year": 50}
TEXT_FIELDS = ["title^8", "body^1.5", "extra", "meta^0.1"]
PHRASE_FIELDS = ["title^8", "body^1.5", "extra"]
MUNICIPALITY_BOOST = 2.0  # see search.backends.database.MUNICIPALITY_BOOST
MUNICIPALITY_SCRIPT = "1.0 + (params.boost - 1.0) / Math.max(doc['municipalities'].size(), 1)"
# A word matched through a corrected spelling scores this much of an exact match.
FUZZY_BOOST = 0.5
# Added to the score of a match that has every word (BM25 scores stay far below it).
EVERY_WORD_BOOST = 1000.0
SNIPPET_CHARS = 240


def _replace(name: str, pattern: str, replacement: str):
    return token_filter(name, "pattern_replace", pattern=pattern, replacement=replacement)


def _fold() -> list:
    return [
        _replace("da_fold_ae", "æ", "ae"),
        _replace("da_fold_oe", "ø", "oe"),
        _replace("da_fold_aa", "å", "aa"),
        "asciifolding",
    ]


def _filters(decompound: bool, synonyms_set: str = "") -> list:
    chain = [
        "lowercase",
        *_fold(),
        # Back to the Danish letters, in the order of analysis.canonical().
        _replace("da_unfold_aa", "aa", "å"),
        _replace("da_unfold_ae", "ae", "æ"),
        _replace("da_unfold_oe", "oe", "ø"),
    ]
    if synonyms_set:
        # The editors' synonym groups (search.SynonymGroup), at query time only: a
        # synonyms set is updated in place (PUT _synonyms/<set>) and search analyzers
        # reload it, so no reindex is needed, as on the database backends.
        chain.append(
            token_filter("da_synonyms", "synonym_graph", synonyms_set=synonyms_set, updateable=True)
        )
    chain += [
        token_filter("da_stop", "stop", stopwords=analysis.load_stopwords()),
    ]
    if decompound:
        chain.append(
            token_filter(
                "da_decompound",
                "dictionary_decompounder",
                word_list=sorted(analysis.load_compounds()),
                min_word_size=analysis.MIN_WORD_SIZE,
                min_subword_size=analysis.MIN_SUBWORD_SIZE,
                max_subword_size=analysis.MAX_SUBWORD_SIZE,
                only_longest_match=False,
            )
        )
    chain += [
        token_filter("da_override", "stemmer_override", rules=override_rules()),
        token_filter("da_stemmer", "stemmer", language="danish"),
        *_fold(),
    ]
    return chain


def override_rules() -> list[str]:
    return [f"{', '.join(forms)} => {term}" for forms, term in analysis.load_override_rules()]


def _max_length():
    # Lucene refuses a term over 32,766 bytes; analysis.words drops the same words.
    return token_filter("da_max_length", "length", max=analysis.MAX_WORD_LENGTH)


def analyzers(synonyms_set: str = ""):
    words = tokenizer("da_words", "pattern", pattern=r"[^\p{L}\p{N}]+")
    search_filters = _filters(decompound=False, synonyms_set=synonyms_set)
    return {
        "index": analyzer(
            "da_index", tokenizer=words, filter=[_max_length(), *_filters(decompound=True)]
        ),
        "search": analyzer("da_search", tokenizer=words, filter=[_max_length(), *search_filters]),
        "spell": analyzer("da_spell", tokenizer=words, filter=[_max_length(), "lowercase"]),
    }


def mapping(synonyms_set: str = "") -> Mapping:
    a = analyzers(synonyms_set)
    text = {"analyzer": a["index"], "search_analyzer": a["search"]}
    m = Mapping()
    for name in ("type", "object_id", "access", "municipalities", "regions", "topics"):
        m.field(name, Keyword())
    m.field("project_key", Keyword())
    m.field("year", Keyword())
    m.field("external_id", Keyword())
    m.field("project_title", Keyword(index=False))
    m.field("url", Keyword(index=False))
    m.field("date", Date())
    m.field("published", Date())  # what *Nyeste* sorts by
    m.field("title", Text(**text))
    m.field("body", Text(**text))
    m.field("extra", Text(**text))
    m.field("meta", Text(**text))
    # The document's vocabulary (its words and compound parts), as the database
    # backends' SearchTerm has it: what the phrase suggester may propose.
    m.field("spell", Text(analyzer=a["spell"]))
    # "key|word" per vocabulary word: a prefix on the folded key, the word for display.
    m.field("words", Keyword(ignore_above=256))
    return m


# How long Elasticsearch remembers a deleted document's version (default 60 s). A write
# with an older version that arrives within it is refused; later, it would bring the
# document back. Senders start no bulk request later than indexing.SEND_DEADLINE_SECONDS
# after taking their version, and a request with its retries ends within
# 3 x ELASTICSEARCH_BULK_TIMEOUT, so every write arrives well inside this window.
GC_DELETES = "10m"


def synonyms_set_name(alias: str) -> str:
    return f"{alias}-synonyms"


def index_body(name: str, shards: int, replicas: int, synonyms_set: str = "") -> dict:
    index = Index(name)
    index.settings(number_of_shards=shards, number_of_replicas=replicas, gc_deletes=GC_DELETES)
    index.mapping(mapping(synonyms_set))
    return index.to_dict()


def _nfc(text: str | None) -> str | None:
    """Composed Unicode, as search.analysis reads text: a decomposed "Åbenrå" (from
    some PDFs) is otherwise split by the tokenizer at its combining ring."""
    return unicodedata.normalize("NFC", text) if text else text


def _day(day) -> str | None:
    return day.isoformat() if day else None


def source(record) -> dict:
    doc = record.doc
    return {
        "type": doc.type,
        "object_id": doc.object_id,
        "access": doc.access,
        "title": _nfc(doc.title),
        "body": _nfc(doc.body),
        "extra": _nfc(doc.extra),
        "meta": _nfc(record.meta),
        "url": doc.url,
        "municipalities": list(dict.fromkeys(doc.municipalities)),
        "regions": record.regions,
        "topics": list(dict.fromkeys(doc.topics)),
        "project_key": doc.project_key or None,
        "project_title": _nfc(doc.project_title) or None,
        "date": _day(doc.date),
        "year": str(doc.date.year) if doc.date else None,
        "published": _day(doc.published),
        "external_id": doc.external_id,
        "words": sorted(f"{analysis.vocabulary_key(w)}|{w}" for w in record.vocabulary),
        "spell": " ".join(sorted(record.vocabulary)),
    }


def document_id(type_key: str, object_id: str) -> str:
    return f"{type_key}:{object_id}"


def _facet_filter(facet: str, value: str):
    return Q("term", **{FACET_FIELDS[facet]: value})


def text_query(request: SearchRequest):
    """The text part of a search, as the database backends match it: per query word a
    clause (the word, or its alternatives), of which `MINIMUM_SHOULD_MATCH` must match,
    and every phrase. Synonyms come from the search analyzer's `synonym_graph` filter
    (the editors' groups, see synonyms_set); a word no visible document has also matches
    with `fuzziness: AUTO` (below its corrections, which the database vocabulary found)."""
    query = request.query
    clauses = []
    if query.words and request.match == "any":
        # Relaxed searches analyse the query like the index does, compound parts
        # included, but a light head's (sygedagpengeområdet) only as the database
        # backends do: the word before it.
        options = {"operator": "or", "analyzer": "da_index"}
        relaxed = [form for word in query.surface for form in analysis.relaxed_words(word)]
        clauses.append(_words(" ".join(relaxed) or query.words_text, **options))
        others = [a for slot in query.alternatives for a in slot if a.kind != "synonym"]
        clauses += [_words(a.text) for a in others]
    elif query.words:
        slots = [_slot(query, index) for index in range(len(query.words))]
        if len(slots) == 1:
            clauses += slots
        else:
            share = Q("bool", should=slots, minimum_should_match=MINIMUM_SHOULD_MATCH)
            # The matches with every word rank first, as on the database backends.
            every = Q("constant_score", filter=Q("bool", filter=slots), boost=EVERY_WORD_BOOST)
            clauses.append(Q("bool", must=[share], should=[every]))
    for phrase in query.phrase_texts:
        clauses.append(Q("multi_match", query=phrase, type="phrase", fields=PHRASE_FIELDS))
    if request.match == "all" or len(clauses) < 2:
        return clauses
    return [Q("bool", should=clauses, minimum_should_match=1)]


def _words(text: str, **options):
    options.setdefault("operator", "and")
    return Q("multi_match", query=text, type="cross_fields", fields=TEXT_FIELDS, **options)


def _slot(query, index: int):
    word = query.surface[index]
    alternatives = query.alternatives[index] if index < len(query.alternatives) else ()
    clauses = [_words(word)]
    if any(typed == word for typed, _used in query.corrections):
        clauses.append(
            Q(
                "multi_match",
                query=word,
                type="best_fields",
                fields=TEXT_FIELDS,
                fuzziness="AUTO",
                prefix_length=1,
                max_expansions=20,
                boost=FUZZY_BOOST,
            )
        )
    for alternative in alternatives:
        if alternative.kind == "synonym":
            continue  # the search analyzer's synonym_graph filter has the same groups
        boost = FUZZY_BOOST if alternative.kind == "fuzzy" else 1.0
        clauses.append(_words(alternative.text, boost=boost))
    return clauses[0] if len(clauses) == 1 else Q("bool", should=clauses, minimum_should_match=1)


def build_search(request: SearchRequest, index: str) -> Search:
    access = Q("terms", access=sorted(request.access))
    query = Q("bool", filter=[access], must=text_query(request))
    if request.query.minus_words:
        # A word typed with a minus leaves out a document that has it, as analysed for
        # the index (its stem and compound parts, no synonyms), as on the database.
        query.must_not = [
            _words(word[1:], operator="and", analyzer="da_index")
            for word in request.query.minus_words
        ]
    if request.query.municipalities:
        # A document of a municipality named in the query scores twice as high when it
        # is that municipality's alone, 1 + 1/n times when n municipalities share it, as
        # on the database backends (a multiplication, not an added constant).
        query = Q(
            "function_score",
            query=query,
            functions=[
                {
                    "filter": Q("terms", municipalities=list(request.query.municipalities)),
                    "script_score": {
                        "script": {
                            "source": MUNICIPALITY_SCRIPT,
                            "params": {"boost": MUNICIPALITY_BOOST},
                        }
                    },
                }
            ],
            score_mode="multiply",
            boost_mode="multiply",
        )
    search = Search(index=index).query(query)
    active = request.filters.active()
    if active:
        # Facet filters narrow the hits but not the other facets' counts (post_filter).
        search = search.post_filter(
            Q("bool", filter=[_facet_filter(f, v) for f, v in active.items()])
        )
    if request.facets:
        for facet in FACETS:
            others = [_facet_filter(f, v) for f, v in active.items() if f != facet]
            bucket = search.aggs.bucket(facet, "filter", filter=Q("bool", filter=others))
            terms = bucket.bucket(
                "values", "terms", field=FACET_FIELDS[facet], size=FACET_SIZES.get(facet, 20)
            )
            if facet == "project":
                terms.bucket("title", A("terms", field="project_title", size=1))
    # By the day published; an index made before the field sorts as if none had one
    # (unmapped_type) until `search_index rebuild`.
    date_sort = {"published": {"order": "desc", "missing": "_last", "unmapped_type": "date"}}
    if request.sort == "relevance" and not request.query.empty:
        search = search.sort("_score", date_sort)
    else:
        search = search.sort(date_sort, "_score")
    search = (
        search.highlight("body", "extra", number_of_fragments=1, fragment_size=SNIPPET_CHARS)
        .highlight("title", number_of_fragments=0)
        .highlight_options(
            encoder="html", pre_tags=["<mark>"], post_tags=["</mark>"], no_match_size=SNIPPET_CHARS
        )
    )
    search = search.extra(track_total_hits=True, **{"from": request.offset, "size": request.limit})
    return search.source(excludes=["words", "spell", "meta", "extra"])


def suggest_body(text: str, access: frozenset[str]) -> dict:
    """A phrase suggester whose collate query keeps only corrections that match a
    document the user may see: a word that exists only in hidden content is never
    offered."""
    collate = {
        "bool": {
            "filter": [
                {"match": {"spell": {"query": "{{suggestion}}", "operator": "and"}}},
                {"terms": {"access": sorted(access)}},
            ]
        }
    }
    return {
        "size": 0,
        "query": {"bool": {"filter": [{"terms": {"access": sorted(access)}}]}},
        "suggest": {
            "didyoumean": {
                "text": text,
                "phrase": {
                    "field": "spell",
                    "size": 1,
                    "gram_size": 1,
                    "max_errors": 2,
                    "direct_generator": [
                        {"field": "spell", "suggest_mode": "always", "min_word_length": 3}
                    ],
                    "collate": {"query": {"source": collate}, "prune": False},
                },
            }
        },
    }


def autocomplete_body(prefix_key: str, access: frozenset[str], limit: int) -> dict:
    """Completions as a terms aggregation over the visible documents' words."""
    return {
        "size": 0,
        "query": {
            "bool": {
                "filter": [
                    {"terms": {"access": sorted(access)}},
                    {"prefix": {"words": prefix_key}},
                ]
            }
        },
        "aggs": {
            "completions": {
                "terms": {
                    "field": "words",
                    "include": f"{_regex_literal(prefix_key)}.*",
                    "size": limit,
                }
            }
        },
    }


# Lucene's regular expression syntax: these characters are operators.
_REGEX_SPECIAL = re.compile(r'([.?+*|{}\[\]()"\\#@&<>~])')


def _regex_literal(text: str) -> str:
    return _REGEX_SPECIAL.sub(r"\\\1", text)
