"""What a search asks for: the parsed query text, filters, sort and page, and the
shapes every backend answers in. Parsing happens once, here, so every backend
sees the same words, phrases and municipalities."""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from . import analysis

MAX_QUERY_LENGTH = 200
# The most words a query is matched on (a pasted paragraph is cut here): with a
# minimum-should-match share of them required, their combinations must stay few.
MAX_WORDS = 8
FACETS = ("type", "municipality", "region", "topic", "project", "year")
SORTS = ("relevance", "newest")
_PHRASE = re.compile(r"[\"“”„«»]([^\"“”„«»]*)[\"“”„«»]")
# A word typed with a minus before it, as in web search engines' "video -telefon".
MINUS_WORD = re.compile(r"(?<!\S)[-–](?=[^\W_])\S+")
_QUOTED = re.compile(r"([\"“”„«»][^\"“”„«»]*[\"“”„«»])")  # split keeps the phrases


@dataclass(frozen=True)
class Alternative:
    """Another way a query word may match: a synonym from the editors' groups, the
    nearest visible spelling of a word nobody wrote, or the word joined to its
    neighbour (it værktøj ~ itværktøj). All of `terms` must match."""

    text: str  # as words, for a backend that analyses text itself (Elasticsearch)
    terms: tuple[str, ...]
    kind: str  # "synonym" | "fuzzy" | "joined" | "parts"


class Adjacent(tuple):
    """The terms of a synonym expression (*ondt i ryggen*): matched as a phrase, side by
    side in the text (small words aside), not anywhere in the document."""


@dataclass(frozen=True)
class Marks:
    """What a snippet marks (`ParsedQuery.marked`)."""

    alone: set[str] = field(default_factory=set)
    together: tuple[tuple[str, ...], ...] = ()


def required_words(n: int) -> int:
    """How many of n query words a match must have, as Elasticsearch's
    minimum_should_match "2<-1 3<67%" (MINIMUM_SHOULD_MATCH) says: all of one or two,
    two of three, two thirds (rounded down, as Elasticsearch does) of more."""
    if n <= 2:
        return n
    if n == 3:
        return 2
    return (67 * n) // 100


MINIMUM_SHOULD_MATCH = "2<-1 3<67%"


@dataclass(frozen=True)
class ParsedQuery:
    text: str = ""
    # One term per searched word (stop words dropped), in order, without repeats.
    words: tuple[str, ...] = ()
    # The lower-case words as typed, parallel to `words`, for "Mente du".
    surface: tuple[str, ...] = ()
    # Compound parts of the words, tried only when the words alone find nothing.
    parts: tuple[str, ...] = ()
    # Quoted phrases, as term sequences of two or more terms.
    phrases: tuple[tuple[str, ...], ...] = ()
    # Codes of municipalities named in the query (ranked up, not required).
    municipalities: tuple[str, ...] = ()
    # The text of the words and phrases, for backends that analyse it themselves.
    words_text: str = ""
    phrase_texts: tuple[str, ...] = ()
    # Per word (parallel to `words`): other ways it may match (see search.expansion).
    alternatives: tuple[tuple[Alternative, ...], ...] = ()
    # Words no visible document has, with the spelling searched instead.
    corrections: tuple[tuple[str, str], ...] = ()
    # Require every word instead of the minimum-should-match share (a ranking tier).
    every_word: bool = False
    # Words left out of a query of more than MAX_WORDS words (see `narrowed`).
    dropped: tuple[str, ...] = ()
    # All the searched words of such a query, in order, as (word, term, parts).
    overflow: tuple[tuple[str, str, tuple[str, ...]], ...] = ()
    # Words typed with a minus before them (*video -telefon*), as typed, and their
    # terms: a document with any of them is no match (searched as words, they found
    # the very texts the reader wanted left out: an outside walk).
    minus_words: tuple[str, ...] = ()
    excluded: tuple[tuple[str, ...], ...] = ()
    # Single words typed in quotes (*"samtlae"*): searched exactly as typed, never
    # corrected (an outside walk's was corrected without a word said).
    quoted: tuple[str, ...] = ()

    def narrowed(self, rank: Callable[[str, str], object]) -> ParsedQuery:
        """A query of more than MAX_WORDS words, searched on the MAX_WORDS that rank
        first by `rank(word, term)` (lowest first), in the order typed. Parsing keeps
        the longest; the search keeps those fewest documents the reader may see have
        (expansion), which say most about what the paragraph is about."""
        if not self.overflow:
            return self
        return replace(self, **_chosen_words(list(self.overflow), rank))

    def slots(self) -> list[list[tuple[str, ...]]]:
        """Per word, the term sequences that match it: the word's own term first. All
        terms of a sequence must match; those of a synonym expression side by side
        (`Adjacent`)."""
        slots = []
        for index, term in enumerate(self.words):
            alternatives = self.alternatives[index] if index < len(self.alternatives) else ()
            options: list[tuple[str, ...]] = [(term,)]
            for alternative in alternatives:
                terms = alternative.terms
                if alternative.kind == "synonym" and len(terms) > 1:
                    terms = Adjacent(terms)
                if terms and terms not in options:
                    options.append(terms)
            slots.append(options)
        return slots

    def in_synonym_group(self, index: int) -> bool:
        """Whether the word at `index` is a word of the editors' synonym groups."""
        alternatives = self.alternatives[index] if index < len(self.alternatives) else ()
        return any(alternative.kind == "synonym" for alternative in alternatives)

    def names_municipality(self, index: int) -> bool:
        """Whether the word at `index` is part of a municipality the query names."""
        if not self.municipalities:
            return False
        from .labels import municipalities

        named = [municipalities().get(code) for code in self.municipalities]
        return any(info and self.words[index] in info.terms for info in named)

    def is_field_word(self, index: int) -> bool:
        """A word of the editors' synonym groups or of a municipality's name: a word of
        the field, not a typo, even when nothing the reader may see has it, so it is
        not corrected and gets no *Mente du* (outside walks: *STAR* was searched as
        *svar*, and *Næstved*, while its one article was unpublished, as *næste*)."""
        return self.in_synonym_group(index) or self.names_municipality(index)

    @property
    def required(self) -> int:
        """How many words a match must have (the phrases are always required)."""
        return len(self.words) if self.every_word else required_words(len(self.words))

    @property
    def partial(self) -> bool:
        """Whether a match may lack some of the words (minimum should match)."""
        return self.required < len(self.words)

    @property
    def corrected_text(self) -> str:
        """The query as searched, with corrections in place of unknown words (quoted
        phrases are searched as typed, so they stay as typed)."""
        if not self.corrections:
            return ""
        pieces = _QUOTED.split(self.text)
        for index in range(0, len(pieces), 2):  # the text between phrases
            for typed, used in self.corrections:
                pieces[index] = re.sub(
                    rf"(?<![^\W_]){re.escape(typed)}(?![^\W_])",
                    lambda match, used=used: _in_case_of(match.group(0), used),
                    pieces[index],
                    flags=re.IGNORECASE,
                )
        out = "".join(pieces)
        return out if out != self.text else ""

    @property
    def empty(self) -> bool:
        return not self.words and not self.phrases

    @property
    def only_minus_words(self) -> bool:
        """Nothing asked but words to leave out (*-telefon*): it finds nothing."""
        return self.empty and bool(self.minus_words)

    @property
    def several_words(self) -> bool:
        """More than one word or phrase was typed (the page's "not all the words")."""
        return len(self.words) + len(self.phrases) > 1

    def can_relax(self) -> bool:
        """Whether an "any word" search could find more than the "all words" one."""
        return len(self.words) + len(self.phrases) > 1 or bool(self.parts)

    def marked(self, relaxed: bool = False) -> Marks:
        """What a snippet marks: the terms that match alone, and the sequences (quoted
        phrases, synonym expressions) whose words match only side by side. An outside
        walk saw *ledige* mark "uden" and "job" anywhere, through *uden job*."""
        alone = set(self.words) | (set(self.parts) if relaxed else set())
        together = list(self.phrases)
        for slot in self.slots():
            for option in slot:
                if isinstance(option, Adjacent):
                    together.append(tuple(option))
                else:
                    alone.update(option)
        return Marks(alone, tuple(dict.fromkeys(together)))

    def all_terms(self, relaxed: bool = False) -> set[str]:
        """Every term a match may have matched on (what a tag match is told by)."""
        marks = self.marked(relaxed)
        return marks.alone.union(*marks.together)


def _in_case_of(typed: str, used: str) -> str:
    """A correction with the typed word's capital (*Roskile* → *Roskilde*, not the
    vocabulary's *roskilde*; an outside walk saw »københavn« and »Amina hassan«)."""
    if typed[:1].isupper() and used[:1].islower():
        return used[:1].upper() + used[1:]
    return used


def parse(text: str) -> ParsedQuery:
    text = " ".join(unicodedata.normalize("NFC", text or "").split())[:MAX_QUERY_LENGTH]
    phrase_texts = [p.strip() for p in _PHRASE.findall(text) if p.strip()]
    rest = _PHRASE.sub(" ", text)
    minus = [(w, tuple(analysis.terms(w[1:]))) for w in MINUS_WORD.findall(rest)]
    minus = [(word, terms) for word, terms in minus if terms]
    if minus:  # nothing else typed: nothing is searched, and the page says so
        rest = MINUS_WORD.sub(" ", rest)
    phrases: list[tuple[str, ...]] = []
    word_texts: list[str] = []
    quoted: list[str] = []
    for phrase_text in phrase_texts:
        phrase = tuple(analysis.terms(phrase_text))
        if len(phrase) > 1:
            phrases.append(phrase)
        else:
            word_texts.append(phrase_text)
            quoted += analysis.words(phrase_text)
    word_texts.append(rest)
    typed = analysis.words(" ".join(word_texts))
    content = [word for word in typed if not analysis.is_question_word(word)]
    found = _searched(content) or _searched(typed)  # only question words: search them
    # A municipality named anywhere in a long query is named, kept word or not.
    spelt = typed + [
        w for p in phrase_texts if len(analysis.terms(p)) > 1 for w in analysis.words(p)
    ]
    return ParsedQuery(
        text=text,
        phrases=tuple(dict.fromkeys(phrases)),
        municipalities=tuple(municipalities_named(spelt)),
        phrase_texts=tuple(p for p in phrase_texts if len(analysis.terms(p)) > 1),
        overflow=tuple(found) if len(found) > MAX_WORDS else (),
        minus_words=tuple(word for word, _terms in minus),
        excluded=tuple(dict.fromkeys(terms for _word, terms in minus)),
        quoted=tuple(quoted),
        # A pasted paragraph: until the search knows which words are rare, the
        # longest.
        **_chosen_words(found, lambda word, _term: -len(word)),
    )


def _chosen_words(found: list[tuple[str, str, tuple[str, ...]]], rank) -> dict:
    """The word fields of a query searched on the MAX_WORDS of `found` that rank first
    (ties: the first typed), in the order typed, and the others as `dropped`."""
    kept = set(sorted(range(len(found)), key=lambda i: (rank(*found[i][:2]), i))[:MAX_WORDS])
    words, surface, parts = [], [], []
    for index, (word, term, word_parts) in enumerate(found):
        if index in kept:
            words.append(term)
            surface.append(word)
            parts += [p for p in word_parts if p not in parts]
    return {
        "words": tuple(words),
        "surface": tuple(surface),
        "parts": tuple(p for p in parts if p not in words),
        "words_text": " ".join(surface),
        "dropped": tuple(found[i][0] for i in range(len(found)) if i not in kept),
    }


def _searched(typed: list[str]) -> list[tuple[str, str, tuple[str, ...]]]:
    """(word, term, parts) of the words that are searched: stop words out, each term once."""
    found, seen = [], set()
    for word in typed:
        term, word_parts = analysis.analyze_query_word(word)
        if term is not None and term not in seen:
            seen.add(term)
            found.append((word, term, word_parts))
    return found


def municipalities_named(words: list[str]) -> list[str]:
    """Codes of municipalities whose whole name the query's words spell, compared by
    folded spelling (*Århus* ~ *Aarhus*, *taarbæk* ~ *Tårbæk*) with a genitive *s*
    allowed on the last word (*Vejles*): not by stem, where *veje* and *vej* named Vejen
    (an outside walk's *digitale veje til job* was offered Vejen and lifted its
    content)."""
    from .labels import municipalities

    keys = [analysis.vocabulary_key(word) for word in words]
    return [code for code, info in municipalities().items() if _spelt(keys, info.keys)]


def regions_named(words: list[str]) -> list[str]:
    """Codes of regions whose name the words spell, with or without *Region*
    (*Region Syddanmark*, *syddanmark*), as municipalities_named compares."""
    from .labels import regions

    keys = [analysis.vocabulary_key(word) for word in words]
    found = []
    for code, name in regions().items():
        name_keys = [analysis.vocabulary_key(word) for word in analysis.words(name)]
        if _spelt(keys, tuple(key for key in name_keys if key != "region")):
            found.append(code)
    return found


def _spelt(keys: list[str], name: tuple[str, ...]) -> bool:
    """Whether the name's keys stand side by side in `keys`, the last one perhaps with a
    genitive *s*."""
    if not name:
        return False
    head, last = list(name[:-1]), name[-1]
    for start in range(len(keys) - len(name) + 1):
        window = keys[start : start + len(name)]
        if window[:-1] == head and window[-1] in (last, last + "s"):
            return True
    return False


@dataclass(frozen=True)
class Filters:
    type: str = ""
    municipality: str = ""
    region: str = ""
    topic: str = ""
    project: str = ""
    year: int | None = None

    def active(self) -> dict[str, str]:
        values = {name: getattr(self, name) for name in FACETS}
        return {k: str(v) for k, v in values.items() if v not in ("", None)}

    def without(self, facet: str) -> Filters:
        return Filters(**{**self.__dict__, facet: None if facet == "year" else ""})


@dataclass(frozen=True)
class SearchRequest:
    query: ParsedQuery
    access: frozenset[str]
    filters: Filters = Filters()
    sort: str = "relevance"
    offset: int = 0
    limit: int = 20
    # "all": every word must match; "any": at least one (the fallback for long queries).
    match: str = "all"
    facets: bool = True
    # The database backend reorders its first pages itself, by entry id (search.feedback);
    # False when the service does it on the hits instead.
    reorder: bool = True


@dataclass
class Hit:
    type: str
    object_id: str
    title: str
    url: str
    snippet: str  # safe HTML: escaped text with <mark> around matches
    title_html: str = ""  # the title as safe HTML, its matches marked
    municipalities: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    date: datetime.date | None = None
    external_id: str | None = None
    project_key: str = ""
    project_title: str = ""
    promoted: bool = False
    published: datetime.date | None = None  # what *Nyeste* sorts by
    # When nothing in the text matched: the tags that did ("Kommune: Aabenraa").
    matched_tags: list[str] = field(default_factory=list)


@dataclass
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]]
    backend: str
    # Labels of project keys seen in the facets (other facets are labelled from network).
    project_titles: dict[str, str] = field(default_factory=dict)
