"""Elasticsearch's analysis, word by word, against the Python analysis (search.analysis).

Runs only with ELASTICSEARCH_URL (a real Elasticsearch 8): it creates a throwaway
index with the project's analysis settings and asks `_analyze` for a few hundred words:
every compound part, inflected and compound forms, stop words, overrides, æ/ø/å and
aa/ae/oe spellings, accents, decomposed (NFD) input and over-long words. Any difference
fails, except the one docs/search.md documents (Lucene also emits a listed word as its
own compound part: same term set, so it cannot differ here).
"""

from __future__ import annotations

import os
import unicodedata
import uuid

import pytest

from search import analysis
from search.backends import es_schema

URL = os.environ.get("ELASTICSEARCH_URL", "")
pytestmark = pytest.mark.skipif(not URL, reason="Set ELASTICSEARCH_URL to compare with _analyze.")


def words() -> list[str]:
    compounds = list(analysis.load_compounds().values())
    found = set(compounds)
    for part in compounds:
        found.update(
            {
                part + "en",
                part + "erne",
                part + "sområdet",
                "ny" + part,
                part.replace("å", "aa").replace("æ", "ae").replace("ø", "oe"),
                part.upper(),
            }
        )
    found.update(analysis.load_stopwords())
    for forms, _term in analysis.load_override_rules():
        found.update(forms)
    found.update(
        [
            "Aabenraa",
            "Åbenrå",
            "Aalborg",
            "Ærø",
            "Aeroe",
            "Søndergaard",
            "café",
            "naïve",
            "fleksjobordningerne",
            "virksomhedskonsulenterne",
            "sygedagpengeområdet",
            "jobcentret",
            "jobcenteret",
            "arbejdsløse",
            "ledige",
            "IT",
            "it-værktøj",
            "3F",
            "2026",
            "e-boks",
            "Straße",
            "œuvre",
            unicodedata.normalize("NFD", "Åbenrå"),
            unicodedata.normalize("NFD", "prøveforløb"),
            "x" * analysis.MAX_WORD_LENGTH,
            "y" * (analysis.MAX_WORD_LENGTH + 1),
        ]
    )
    return sorted(found)


def python_terms(text: str, analyzer: str) -> set[str]:
    result = analysis.analyze(text)
    terms = set(result.terms)
    if analyzer == "da_index":
        terms |= set(result.parts)
    return terms


@pytest.fixture(scope="module")
def client():
    from elasticsearch import Elasticsearch

    from search import backends

    client = Elasticsearch(URL, **backends.connection_options())
    name = f"test-analysis-{uuid.uuid4().hex[:8]}"
    body = es_schema.index_body(name, shards=1, replicas=0)
    client.indices.create(index=name, settings=body["settings"], mappings=body["mappings"])
    client.index_name = name
    yield client
    client.indices.delete(index=name)


@pytest.mark.parametrize("analyzer", ["da_index", "da_search"])
def test_elasticsearch_analyses_every_word_as_python_does(client, analyzer):
    differences = []
    for word in words():
        text = unicodedata.normalize("NFC", word)  # as es_schema.source sends it
        response = client.indices.analyze(index=client.index_name, analyzer=analyzer, text=text)
        elastic = {token["token"] for token in response["tokens"]}
        expected = python_terms(text, analyzer)
        if elastic != expected:
            differences.append(
                f"{word!r}: elasticsearch {sorted(elastic)}, python {sorted(expected)}"
            )
    assert not differences, "\n".join(differences)
