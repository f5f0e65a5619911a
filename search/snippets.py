"""Highlighted snippets for the database backends: escape everything, then mark.

A word is marked when its analysed term (or one of its compound parts) is a
query term, so a search for `borger` marks "borgerne" and a search for
`sygedagpenge` marks "sygedagpengeområdet". The words of a phrase or a synonym
expression (*uden job*) are marked only side by side, small words aside, as they
match.
"""

from __future__ import annotations

import re
import unicodedata

from django.utils.html import escape

from . import analysis
from .query import Marks

WINDOW_WORDS = 32
# A document's fields and lines are joined by line breaks (summary, agenda items,
# speakers; a log's target group, actions …), which HTML shows as a space: the snippet
# ran them together ("… ledige borgere Vi har …"). A break after no full stop is shown
# as " · ".
_BREAK = re.compile(r"\s*\n\s*")


def keep_lines_apart(text: str) -> str:
    """The text on one line, its line breaks shown as " · " (or a space after a full
    stop). Also for Elasticsearch's highlighted fragments (a break is never in a tag)."""
    return _BREAK.sub(_between_lines, text)


def _between_lines(match: re.Match) -> str:
    # The pattern takes the whitespace around the break: the character before it is
    # the last of the line (read directly: a long attachment has thousands of breaks).
    before = match.string[match.start() - 1] if match.start() else "."
    return " " if before in ".!?:;…" else " · "


def _hits(spans, marks: Marks) -> list[int]:
    """The indices of the words to mark."""
    if not marks.alone and not marks.together:
        return []
    analysed = [analysis.analyze_word(word) for _s, _e, word in spans]
    hits = {
        i
        for i, (term, parts) in enumerate(analysed)
        if term is not None and (term in marks.alone or any(p in marks.alone for p in parts))
    }
    content = [i for i, (term, _parts) in enumerate(analysed) if term is not None]
    terms = [analysed[i][0] for i in content]
    for sequence in marks.together:
        size = len(sequence)
        for start in range(len(content) - size + 1):
            if tuple(terms[start : start + size]) == sequence:
                hits.update(content[start : start + size])
    return sorted(hits)


def snippet(texts: list[str], marks: Marks, window: int = WINDOW_WORDS) -> str:
    """The best window of the first text that contains a match (else the opening of
    the first non-empty text), as safe HTML with <mark> around matching words."""
    fallback = None
    for text in texts:
        text = keep_lines_apart(unicodedata.normalize("NFC", text or "").strip())
        if not text:
            continue
        spans = analysis.word_spans(text)
        if not spans:
            continue
        hits = _hits(spans, marks)
        if hits:
            return _render(text, spans, hits, window)
        if fallback is None:
            fallback = (text, spans)
    if fallback is None:
        return ""
    return _render(fallback[0], fallback[1], [], window)


def _render(text: str, spans, hits: list[int], window: int, start: int | None = None) -> str:
    start = _best_start(spans, hits, window) if start is None else start
    end = min(len(spans), start + window)
    hit_set = set(hits)
    begin = 0 if start == 0 else spans[start][0]
    finish = len(text) if end == len(spans) else spans[end - 1][1]
    out = ["…"] if start > 0 else []
    cursor = begin
    for i in range(start, end):
        s, e, _word = spans[i]
        if i in hit_set:
            out.append(escape(text[cursor:s]))
            out.append(f"<mark>{escape(text[s:e])}</mark>")
            cursor = e
    out.append(escape(text[cursor:finish]))
    if end < len(spans):
        out.append(" …")
    return "".join(out).strip()


def _best_start(spans, hits: list[int], window: int) -> int:
    """Start a few words before the window that holds the most distinct matches (the
    first such window). One pass with a sliding count: a long attachment can have
    thousands of matches, and comparing every pair took seconds."""
    if not hits:
        return 0
    best, best_score = hits[0], -1
    inside: dict[str, int] = {}
    right = 0
    for left, first in enumerate(hits):
        while right < len(hits) and hits[right] < first + window:
            word = spans[hits[right]][2]
            inside[word] = inside.get(word, 0) + 1
            right += 1
        if len(inside) > best_score:
            best, best_score = first, len(inside)
        word = spans[hits[left]][2]
        inside[word] -= 1
        if not inside[word]:
            del inside[word]
    return max(0, best - 4)


def highlight(text: str, marks: Marks) -> str:
    """The whole (short) text, escaped, with matches marked: for titles."""
    text = unicodedata.normalize("NFC", text or "")
    spans = analysis.word_spans(text)
    hits = _hits(spans, marks)
    if not hits:
        return escape(text)
    return _render(text, spans, hits, len(spans), start=0)
