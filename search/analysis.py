"""Danish text analysis: the one definition of how text becomes index terms.

Both database backends store the terms this module produces, so SQLite and
PostgreSQL match exactly the same words; the Elasticsearch index is configured
from the same word lists to behave the same way (backends/es_schema.py).

The chain, per word (and the order matters, Elasticsearch runs it too):

1. Unicode NFC, lower case, split on anything that is not a letter or digit.
2. Canonical spelling: fold to ASCII (æ→ae, ø→oe, å→aa, accents dropped), then
   back (aa→å, ae→æ, oe→ø). Åbenrå and Aabenraa both become åbenrå here, so
   everything after this step sees one spelling whichever the author typed.
3. Drop stop words (wordlists/stopwords.txt).
4. Decompound: find the domain words of wordlists/compounds.txt inside the word
   (sygedagpengeområdet contains sygedagpenge); each part becomes an extra term.
5. Override (wordlists/overrides.txt): forms the stemmer does not unify and
   one-word synonyms map straight to a fixed term.
6. Otherwise stem with Snowball's Danish stemmer, which needs the Danish letters
   (on ASCII spellings it strips wrongly: arbejdsloes → arbejdslo).
7. Fold the term to ASCII, the form stored in the index.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import Stemmer

WORDLISTS = Path(__file__).with_name("wordlists")
# Elasticsearch's dictionary_decompounder uses the same three numbers.
MIN_WORD_SIZE = 5
MIN_SUBWORD_SIZE = 4
MAX_SUBWORD_SIZE = 30
# Longer "words" (a run of letters without spaces, e.g. from an attachment) are
# dropped, here and in Elasticsearch's analyzers (its `length` filter).
MAX_WORD_LENGTH = 100
# Words shorter than this are not offered as suggestions or completions.
MIN_VOCABULARY_LENGTH = 3

_DANISH_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})
# What NFKD cannot take apart, as Lucene's ASCIIFoldingFilter folds it.
_OTHER_FOLD = str.maketrans({"ß": "ss", "œ": "oe", "ł": "l", "đ": "d", "þ": "th", "ð": "d"})
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower case ASCII spelling: Åbenrå → aabenraa, prøve → proeve, café → cafe."""
    text = text.lower().translate(_DANISH_FOLD)
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_OTHER_FOLD)


def canonical(word: str) -> str:
    """One spelling for every way of writing a word: fold, then restore æ/ø/å.
    Sequential replacements, exactly as Elasticsearch's pattern_replace filters."""
    return fold(word).replace("aa", "å").replace("ae", "æ").replace("oe", "ø")


def _lines(name: str) -> list[str]:
    text = (WORDLISTS / name).read_text(encoding="utf-8")
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line]


def _canonical_entry(word: str) -> str:
    return canonical(unicodedata.normalize("NFC", word.lower()))


def load_stopwords() -> list[str]:
    return sorted({_canonical_entry(word) for word in _lines("stopwords.txt")})


def load_question_words() -> frozenset[str]:
    """Question and filler words (wordlists/question_words.txt): dropped from a query
    that has other words, so "hvordan får man ledige i job" searches as "ledige job".
    Query-side only; the index keeps them (they are not stop words in a text)."""
    return frozenset(_canonical_entry(word) for word in _lines("question_words.txt"))


def load_compounds() -> dict[str, str]:
    """The canonical spelling of each compound part → the part as listed (for display)."""
    return {_canonical_entry(word): word for word in _lines("compounds.txt")}


def load_override_rules() -> list[tuple[list[str], str]]:
    """[(canonical forms, term)] in file order."""
    rules = []
    for line in _lines("overrides.txt"):
        forms, _, term = line.partition("=>")
        canonical_forms = sorted(
            {_canonical_entry(f.strip()) for f in forms.split(",") if f.strip()}
        )
        rules.append((canonical_forms, term.strip()))
    return rules


STOPWORDS = frozenset(load_stopwords())
COMPOUND_PARTS = load_compounds()
OVERRIDES = {form: term for forms, term in load_override_rules() for form in forms}
QUESTION_WORDS = load_question_words()


def is_question_word(word: str) -> bool:
    """A question or filler word (hvordan, kan, får …): no weight in a query, which
    drops it when other words remain, whether typed right or corrected to it."""
    return canonical(word.lower()) in QUESTION_WORDS


# A word this common in Danish (Zipf scale: 3 is once per million words, in wordfreq's
# lists from Wikipedia, subtitles, news and the web) is a real word, not a typo.
COMMON_WORD_ZIPF = 3.0


@lru_cache(maxsize=4096)
def is_common_danish_word(word: str) -> bool:
    """A real Danish word (*forskel*, *mail*, *læge*): when no text the reader may see
    has it, the search leaves it as typed and offers the nearest word as "Mente du",
    rather than searching for another word in its place (outside walks: *forskel* was
    searched as *forsøg*, *læge* as *lange*)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word.lower(), "da") >= COMMON_WORD_ZIPF


_local = threading.local()


def _stem(word: str) -> str:
    # PyStemmer objects are not thread-safe; runserver and gunicorn threads each get one.
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = Stemmer.Stemmer("danish")
    return stemmer.stemWord(word)


def term_of(word: str) -> str:
    """The index term of one canonical word: its override, else its folded stem."""
    override = OVERRIDES.get(word)
    if override is not None:
        return override
    return fold(_stem(word))


def compound_parts(word: str) -> list[str]:
    """The listed domain words found inside `word`, as Lucene's
    DictionaryCompoundWordTokenFilter finds them (every start, every length)."""
    n = len(word)
    if n < MIN_WORD_SIZE:
        return []
    found = []
    for start in range(n - MIN_SUBWORD_SIZE + 1):
        for length in range(MIN_SUBWORD_SIZE, min(MAX_SUBWORD_SIZE, n - start) + 1):
            piece = word[start : start + length]
            if piece in COMPOUND_PARTS and piece != word:
                found.append(piece)
    return found


def compound_split(word: str) -> tuple[str, ...]:
    """A compound's listed parts that do not overlap, longest first, in word order,
    when there are at least two (mentorstøtte → mentor, støtte;
    sygedagpengeopfølgning → sygedagpenge, opfølgning): what a query word may also
    match written apart."""
    word = canonical(word)
    n = len(word)
    if n < MIN_WORD_SIZE:
        return ()
    pieces = [
        (start, start + length)
        for start in range(n - MIN_SUBWORD_SIZE + 1)
        for length in range(MIN_SUBWORD_SIZE, min(MAX_SUBWORD_SIZE, n - start) + 1)
        if word[start : start + length] in COMPOUND_PARTS and length < n
    ]
    chosen: list[tuple[int, int]] = []
    for start, end in sorted(pieces, key=lambda p: p[0] - p[1]):
        if all(end <= s or start >= e for s, e in chosen):
            chosen.append((start, end))
    if len(chosen) < 2:
        return ()
    return tuple(dict.fromkeys(word[s:e] for s, e in sorted(chosen)))


# Heads that say only "the field of" (sygedagpengeområdet, ungeområdet,
# beskæftigelsesfeltet): as a compound part of a query word they match any text on
# any field (boligområdets), and, rarer than the topic, outweighed it.
LIGHT_HEAD = re.compile(r"^(\w{3,}?)(område|felt)(s|t|ts|r|rne|rnes|et|ets|er|erne|ernes)?$")


def _light_head(word: str) -> tuple[str, list[str]] | None:
    found = LIGHT_HEAD.match(canonical(word))
    if not found:
        return None
    before = found.group(1)
    forms = [before] + ([before[:-1]] if before.endswith("s") and len(before) > 4 else [])
    return found.group(2), [form for form in forms if form not in STOPWORDS]


def light_head(word: str) -> tuple[str | None, tuple[str, ...]]:
    """(the head's term, the terms of what comes before it) of a query word that ends
    in a light head; (None, ()) for any other word. The word before the head is
    given with and without a linking s (beskæftigelses-, handicap-)."""
    split = _light_head(word)
    if split is None:
        return None, ()
    head, forms = split
    return term_of(head), tuple(dict.fromkeys(term_of(form) for form in forms))


def analyze_query_word(word: str) -> tuple[str | None, tuple[str, ...]]:
    """`analyze_word` for a word typed in a query: a light head's parts are what comes
    before it (sygedagpengeområdet: sygedagpenge, not "område", which matched
    boligområdets first). The index keeps every part."""
    term, parts = analyze_word(word)
    head, before = light_head(word)
    if head is None:
        return term, parts
    kept = tuple(part for part in parts if part != head)
    return term, kept + tuple(t for t in before if t != term and t not in kept)


def relaxed_words(word: str) -> list[str]:
    """What a relaxed search looks for in place of `word`, for a backend that splits
    compounds itself (Elasticsearch's decompounder): the word before a light head
    (sygedagpengeområdet → sygedagpenge), else the word."""
    split = _light_head(word)
    return split[1] if split and split[1] else [word]


@lru_cache(maxsize=300_000)
def analyze_word(word: str) -> tuple[str | None, tuple[str, ...]]:
    """(term, part terms) of one lower-case word; term is None for a stop word."""
    word = canonical(word)
    if word in STOPWORDS:
        return None, ()
    term = term_of(word)
    parts = tuple(dict.fromkeys(t for t in map(term_of, compound_parts(word)) if t != term))
    return term, parts


def without_format_characters(text: str) -> str:
    """The text without invisible format characters (a zero-width space, a soft hyphen
    pasted inside a word), which are no part of what was typed: an outside walk's
    »\u200b« read as an empty »«, and *syge\u00addagpenge* is one word."""
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


# The word being typed at the end of a text: what autocomplete completes (every backend).
LAST_WORD = re.compile(r"([^\W_]+)$")


def words(text: str) -> list[str]:
    """The lower-case words of `text`, in order (stop words included)."""
    found = _WORD.findall(unicodedata.normalize("NFC", text).lower())
    if any(len(word) > MAX_WORD_LENGTH for word in found):
        return [word for word in found if len(word) <= MAX_WORD_LENGTH]
    return found


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, lower-case word) for each word, for highlighting the original text."""
    normalized = unicodedata.normalize("NFC", text)
    return [(m.start(), m.end(), m.group().lower()) for m in _WORD.finditer(normalized)]


@dataclass
class Analyzed:
    """A text as index terms: positional terms, compound parts, vocabulary words."""

    terms: list[str] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    # Surface words for suggestions and autocomplete (compound parts included).
    vocabulary: set[str] = field(default_factory=set)


def analyze(text: str, *, vocabulary: bool = False) -> Analyzed:
    result = Analyzed()
    terms_append = result.terms.append
    parts = result.parts
    vocab = result.vocabulary
    for word in words(text):
        term, word_parts = analyze_word(word)
        if term is None:
            continue
        terms_append(term)
        if word_parts:
            parts.extend(word_parts)
        if vocabulary and len(word) >= MIN_VOCABULARY_LENGTH and not word.isdigit():
            vocab.add(word)
            if word_parts:
                vocab.update(COMPOUND_PARTS[p] for p in compound_parts(canonical(word)))
    return result


def terms(text: str) -> list[str]:
    """The positional index terms of `text` (no compound parts)."""
    return analyze(text).terms


def vocabulary_key(word: str) -> str:
    """How a vocabulary word is looked up by prefix: folded, so åb and aab both complete."""
    return fold(word)
