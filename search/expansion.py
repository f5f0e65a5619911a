"""What a query word may also match, worked out per search for the user asking:

- **synonyms** from the editors' groups (SynonymGroup), applied at query time;
- **corrections** of a word no document the user may see contains: its nearest
  visible spellings within Lucene's `fuzziness: AUTO` (1 edit for 3-5 letters, 2 for
  longer), most frequent first, and, for a long word, a spelling of it as two visible
  words with one edit in either (a typo inside a compound);
- **joined and split spellings**: two neighbouring words written as one
  (*it værktøj* ~ *itværktøj*), and a word nobody wrote as a short prefix and a word
  (*itværktøj* ~ *IT-værktøj*, *email* ~ *e-mail*).

Everything is looked up in the database index under the user's access tokens
(`has_term`, the per-token vocabulary), whichever backend answers, so an expansion
never draws on a word that only hidden content contains.
"""

from __future__ import annotations

import time
from dataclasses import replace

from . import analysis
from .query import MAX_WORDS, Alternative, ParsedQuery, municipalities_named

# Corrections offered per unknown word (as Elasticsearch's max_expansions, but few:
# each one is a term every match is checked against).
MAX_CORRECTIONS = 3
# A word is completed to the visible words it begins when they are this many letters
# longer (a compound's first part: *kontant* → *kontanthjælp*); shorter endings are
# inflections or typos, which the nearest spelling finds (*sygedagpeng*).
COMPLETION_EXTRA = 3
# A short prefix written apart with a hyphen (it|værktøj, e|mail, fgu|elever).
MAX_PREFIX = 3
SYNONYMS_TTL_SECONDS = 30
# The most synonyms one word is matched with (SynonymGroup allows 20 per group).
MAX_SYNONYMS = 20
_synonyms: dict = {"loaded": 0.0, "by_term": {}}
_PARTS_LONGEST_FIRST = sorted(analysis.COMPOUND_PARTS, key=len, reverse=True)


def expand(query: ParsedQuery, access: frozenset[str], *, exact: bool = False) -> ParsedQuery:
    """The query with its words' alternatives and corrections (none if `exact`)."""
    if not query.words:
        return query
    from .backends import database_backend

    database = database_backend()
    if query.overflow:
        # A pasted paragraph: search the words fewest visible documents have (they say
        # what it is about; *stress* and *angst* before *organiseret*). A word none
        # has comes last: as typed it matches nothing.
        counts = database.vocabulary.documents_with([t for _w, t, _p in query.overflow], access)
        query = query.narrowed(
            lambda word, term: (term not in counts, counts.get(term, 0), -len(word))
        )
    joined = [a + b for a, b in zip(query.surface, query.surface[1:], strict=False)]
    # A word a visible document has as written is known at once (the vocabulary);
    # only others are asked of the full-text index, by term (another inflection).
    rests = [w[cut:] for w in query.surface for cut in range(1, MAX_PREFIX + 1)]
    present = database.vocabulary.present([*query.surface, *joined, *rests], access)
    known_cache: dict[str, bool] = {
        analysis.analyze_word(w)[0]: True
        for w in [*query.surface, *joined]
        if analysis.vocabulary_key(w) in present and analysis.analyze_word(w)[0]
    }

    def known(term: str) -> bool:
        if term not in known_cache:
            known_cache[term] = database.has_term(term, access)
        return known_cache[term]

    alternatives: list[list[Alternative]] = [[] for _ in query.words]
    synonyms = synonym_alternatives()
    for index, term in enumerate(query.words):
        alternatives[index] += synonyms.get((term,), [])
    # An expression of a group typed as words (ondt i ryggen ~ rygsmerter): its
    # synonyms match in the place of each of its words, as a joined spelling does.
    for start in range(len(query.words)):
        for length in range(2, len(query.words) - start + 1):
            for alternative in synonyms.get(query.words[start : start + length], []):
                for index in range(start, start + length):
                    alternatives[index].append(alternative)
    corrections: list[tuple[str, str]] = []
    # Misspelt question words, with their corrections: left out, as when typed right.
    small: dict[int, list[Alternative]] = {}
    for index, word in enumerate(query.surface):
        apart = _prefix_apart(word, access, database, present)
        if apart:
            alternatives[index].append(apart)
        alternatives[index] += _parts_apart(word)
    # Two neighbours written as one visible word (*kontant hjælp* ~ *kontanthjælp*), or
    # as a member of a synonym group (*flex job* ~ *flexjob* ~ *fleksjob*): before the
    # corrections, so that neither is corrected to another word.
    for index, written in enumerate(joined):
        term, _parts = analysis.analyze_word(written)
        if not term:
            continue
        found = [Alternative(written, (term,), "joined")] if known(term) else []
        found += [a for a in synonyms.get((term,), []) if known_all(a.terms, known)]
        alternatives[index] += found
        alternatives[index + 1] += found
    if not exact:
        for index, (word, term) in enumerate(zip(query.surface, query.words, strict=True)):
            if len(word) < 3 or word.isdigit() or known(term) or word in query.quoted:
                continue
            if any(known_all(a.terms, known) for a in alternatives[index]):
                continue  # a synonym finds it
            if any(a.kind == "synonym" for a in alternatives[index]) or (
                query.names_municipality(index)
            ):
                # A word of the field (ParsedQuery.is_field_word): of the editors'
                # groups or a municipality's name, even when nothing the reader may see
                # has it (outside walks: *STAR* searched as *svar*, *walk and talk* as
                # *walk and tale*, *Næstved* as *næste*).
                continue
            found = _completions(word, access, database)
            if not found:
                found = _corrections(word, access, database, known, _capitalised(query, word))
                if (
                    found
                    and not analysis.is_question_word(found[0].text)
                    and analysis.is_common_danish_word(word)
                ):
                    # A real word no visible text has (*forskel*, *læge*): searched as
                    # typed, not as another word; the nearest is offered as "Mente du".
                    found = []
            if found and analysis.is_question_word(found[0].text) and len(query.words) > 1:
                # *hvordan far man …*: the nearest spelling is a question or filler
                # word (får), which the query would have dropped if typed right.
                corrections.append((word, found[0].text))
                small[index] = found
                continue
            if found:
                alternatives[index] += found
                corrections.append((word, found[0].text))
                # The corrected word's synonyms, as if typed right (*samtlae* found 14
                # texts where *samtale* finds 22: an outside walk).
                alternatives[index] += synonyms.get((found[0].terms[0],), [])
                # A corrected compound also matches its parts written apart, as the
                # compound itself would (sygedagpengeopfølgning ~ opfølgning af
                # sygedagpenge).
                for correction in found:
                    alternatives[index] += _parts_apart(correction.text.replace(" ", ""))
    kept = [index for index in range(len(query.words)) if index not in small]
    if not kept:  # nothing but such words: search them, as a query of question words
        for index, found in small.items():
            alternatives[index] += found
    elif small:
        query = replace(
            query,
            words=tuple(query.words[i] for i in kept),
            surface=tuple(query.surface[i] for i in kept),
            words_text=" ".join(query.surface[i] for i in kept),
        )
        alternatives = [alternatives[i] for i in kept]
    # A municipality named by a corrected word is named too (*Roskile* → Roskilde: an
    # outside walk got the correction without the municipality's box and lift).
    corrected = [w for _typed, used in corrections for w in analysis.words(used)]
    named = municipalities_named([*query.surface, *corrected]) if corrected else []
    return replace(
        query,
        alternatives=tuple(tuple(_unique(a)) for a in alternatives),
        corrections=tuple(corrections),
        municipalities=tuple(dict.fromkeys([*query.municipalities, *named])),
    )


def _parts_apart(word: str) -> list[Alternative]:
    """A compound's listed parts written apart (mentorstøtte ~ mentor, støtte), if any."""
    parts = analysis.compound_split(word)
    if len(parts) < 2:
        return []
    terms = tuple(dict.fromkeys(analysis.term_of(p) for p in parts))
    return [Alternative(" ".join(parts), terms, "parts")]


def known_all(terms: tuple[str, ...], known) -> bool:
    return all(known(t) for t in terms)


def _completions(word: str, access, database) -> list[Alternative]:
    """A word nobody wrote alone that begins visible compounds (*kontant* →
    *kontanthjælp*, *syg* → *sygemeldte*): those words, the most frequent first, rather
    than the nearest spelling, which is another word (an outside walk's *kontant* was
    searched as *kontakt*, *syg* as *sag*)."""
    if len(analysis.vocabulary_key(word)) < 3:
        return []
    found = []
    for candidate in database.vocabulary.starting_with(
        word, access, COMPLETION_EXTRA, MAX_CORRECTIONS
    ):
        term, _parts = analysis.analyze_word(candidate)
        if term:
            found.append(Alternative(candidate, (term,), "fuzzy"))
    return found


def _capitalised(query: ParsedQuery, word: str) -> bool:
    """Whether the word was typed with a capital (a name, as *Vejel*)."""
    for start, _end, typed in analysis.word_spans(query.text):
        if typed == word:
            return query.text[start].isupper()
    return False


def _corrections(word: str, access, database, known, name: bool = False) -> list[Alternative]:
    """The nearest visible spellings of an unknown word, or a municipality's name when
    it is nearer (or as near, for a word typed with a capital: *Vejel* is Vejle, not
    *veje*), or the word as two visible words with a typo in one."""
    found = []
    for candidate in database.vocabulary.closest_many(word, access, MAX_CORRECTIONS):
        term, _parts = analysis.analyze_word(candidate)
        if term:
            found.append(Alternative(candidate, (term,), "fuzzy"))
    town = _municipality_spelling(word, found[0].text if found else None, name)
    if town:
        # A name typed as near a word as a town is the town alone (*Vejel* was also
        # searched as *veje*: an outside walk).
        return [town] if name else [town, *found][:MAX_CORRECTIONS]
    if found:
        return found
    split = _compound_typo(word, access, database, known)
    return [split] if split else []


def _municipality_spelling(
    word: str, nearest_visible: str | None, name: bool = False
) -> Alternative | None:
    """A word of a municipality's name within the same fuzziness, if it is nearer than
    the nearest visible word, or as near when `name` (a user walk's *Faborg* found
    nothing and was offered no *Faaborg*). The 98 names are public, so this draws on
    nothing hidden."""
    from .backends.vocabulary import edit_distance
    from .labels import municipality_words

    key = analysis.vocabulary_key(word)
    if len(key) < 3:
        return None
    limit = 1 if len(key) <= 5 else 2
    if nearest_visible is not None:
        nearest = edit_distance(key, analysis.vocabulary_key(nearest_visible), 2)
        limit = min(limit, nearest if name else nearest - 1)
    best = None
    for town, town_key in municipality_words().items():
        if abs(len(town_key) - len(key)) > limit:
            continue
        distance = edit_distance(key, town_key, limit)
        if 0 < distance <= limit:
            # Of two as near, the one with the same letters (two swapped: *Vejel* is
            # Vejle, not Vejen).
            rank = (distance, sorted(town_key) != sorted(key))
            if best is None or rank < best[0]:
                best = (rank, town)
    if best is None:
        return None
    term, _parts = analysis.analyze_word(best[1])
    return Alternative(best[1], (term,), "fuzzy") if term else None


def _prefix_apart(word: str, access, database, present: set[str]) -> Alternative | None:
    """A word written with a short prefix that others write apart or hyphenated
    (itværktøj ~ IT-værktøj, email ~ e-mail): the two words side by side in a visible
    document. Only a rest that a visible document has as a word (`present`, the
    vocabulary's keys) is looked up as a phrase."""
    if len(word) < 5 or word.isdigit():
        return None
    for cut in range(1, MAX_PREFIX + 1):
        left, right = word[:cut], word[cut:]
        if len(right) < 3:
            break
        if analysis.vocabulary_key(right) not in present:
            continue
        left_term, _ = analysis.analyze_word(left)
        right_term, _ = analysis.analyze_word(right)
        if left_term and right_term and database.has_phrase((left_term, right_term), access):
            return Alternative(f"{left} {right}", (left_term, right_term), "joined")
    return None


def _compound_typo(word: str, access, database, known) -> Alternative | None:
    """A long word nobody wrote as a listed compound part at one end and, at the other,
    the nearest visible spelling of the rest (sygedagpngeopfølgning → sygedagpenge +
    opfølgning)."""
    if len(analysis.fold(word)) < 10:
        return None
    # A typo inside a compound: a known part at either end, the rest corrected.
    canonical = analysis.canonical(word)
    for part in _PARTS_LONGEST_FIRST:
        for head, rest in (
            (True, canonical.removeprefix(part)),
            (False, canonical.removesuffix(part)),
        ):
            if rest == canonical or len(rest) < 4:
                continue
            fixed = database.vocabulary.closest_many(rest, access, 1)
            if not fixed:
                continue
            whole = part + fixed[0] if head else fixed[0] + part
            term, _ = analysis.analyze_word(whole)
            if term and known(term):
                return Alternative(whole, (term,), "fuzzy")
            terms = tuple(analysis.analyze_word(w)[0] for w in (part, fixed[0]))
            if all(terms) and known_all(terms, known):
                return Alternative(f"{part} {fixed[0]}", terms, "fuzzy")
    return None


def _unique(alternatives: list[Alternative]) -> list[Alternative]:
    seen, out = set(), []
    for alternative in alternatives:
        if alternative.terms not in seen:
            seen.add(alternative.terms)
            out.append(alternative)
    return out


def synonym_alternatives() -> dict[tuple[str, ...], list[Alternative]]:
    """A member's terms (one word's, or an expression's) -> the other members of its
    group, from SynonymGroup, read at most every SYNONYMS_TTL_SECONDS per process (and
    at once after a change in this process)."""
    now = time.monotonic()
    if now - _synonyms["loaded"] > SYNONYMS_TTL_SECONDS:
        _synonyms["by_term"] = _load_synonyms()
        _synonyms["loaded"] = now
    return _synonyms["by_term"]


def forget_synonyms(**_kwargs) -> None:
    _synonyms["loaded"] = 0.0


def _load_synonyms() -> dict[tuple[str, ...], list[Alternative]]:
    from .models import SynonymGroup

    by_term: dict[tuple[str, ...], list[Alternative]] = {}
    for group in SynonymGroup.objects.all():
        members = [(m, tuple(analysis.terms(m))) for m in group.members()]
        members = [(text, terms) for text, terms in members if terms]
        # A member that contains another one (*faglig sparring* beside *sparring*)
        # matches nothing more than that one: as an alternative it would only count
        # the same words twice in the score. It still expands when typed.
        matching = [(t, ts) for t, ts in members if not _contains_another(ts, members)]
        for _text, terms in members:
            if len(terms) > MAX_WORDS:
                continue  # longer than any query that is searched
            others = [Alternative(t, ts, "synonym") for t, ts in matching if ts != terms]
            found = by_term.setdefault(terms, [])
            # Groups saved before their size was limited are limited here.
            found.extend(others[: max(0, MAX_SYNONYMS - len(found))])
    return by_term


def _contains_another(terms: tuple[str, ...], members) -> bool:
    """Whether another member's terms stand side by side within these terms."""
    return any(
        len(other) < len(terms)
        and any(terms[i : i + len(other)] == other for i in range(len(terms) - len(other) + 1))
        for _text, other in members
    )


def synonym_rules() -> list[dict]:
    """The groups as an Elasticsearch synonyms set (PUT _synonyms/<set>)."""
    from .models import SynonymGroup

    return [
        {"id": f"group-{group.pk}", "synonyms": ", ".join(group.members())}
        for group in SynonymGroup.objects.order_by("pk")
        if len(group.members()) > 1
    ]
