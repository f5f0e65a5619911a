"""Sanitising what members write.

Logs and comments are plain text: every tag is stripped on the way in (nh3, the
Rust html sanitiser), and templates escape on the way out and only turn http(s)
addresses into links (urlize). So no script, no event handler and no javascript:
link can survive, whatever is pasted in.
"""

import html
import re

import nh3

# A run of "<" followed by what starts a tag, an end tag, a comment or a processing
# instruction in the HTML tokenizer (tag names start with an ASCII letter).
TAG_LIKE = re.compile(r"<+(?=[A-Za-z/!?])")
MAX_ROUNDS = 10


def clean_text(value: str) -> str:
    """Return ``value`` as plain text with every HTML tag and comment removed.

    Why it is more than one ``nh3.clean`` call: nh3 returns *HTML* (``<`` comes
    back as ``&lt;``) and we store plain text, so its output must be unescaped.
    Unescaping can re-create markup: ``<<b>script>`` is cleaned to
    ``&lt;script&gt;`` and unescapes to ``<script>``. So:

    1. ``&`` is escaped to ``&amp;`` before nh3, so entities the member typed
       (``&lt;script&gt;``, ``&#60;``) are not decoded: they are stored as the
       literal characters typed, which are harmless text.
    2. nh3 strips every tag and comment (and drops what is inside ``<script>``
       and ``<style>``); its output is unescaped exactly once.
    3. Repeat until the text no longer changes, so a tag re-created by the
       unescaping is stripped in the next round.
    4. At that fixed point, any ``<`` still followed by an ASCII letter, ``/``,
       ``!`` or ``?`` (e.g. a trailing ``</``, which the HTML parser keeps as
       text) is dropped, and the rounds go on.

    Each round only removes characters, so real text settles in a round or
    two; input nested deeper than ``MAX_ROUNDS`` loses all its ``<``. The
    result is a fixed point, so ``clean_text`` is idempotent, and it never
    contains anything a browser would read as a tag, while ``a < b``,
    ``Tom & Jerry``, quotes and æøå survive as typed. Newlines are normalised
    to ``\\n`` and the ends are stripped.
    """
    if not value:
        return ""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    for _ in range(MAX_ROUNDS):
        cleaned = _round(text)
        if cleaned == text:
            cleaned = TAG_LIKE.sub("", cleaned)
            if cleaned == text:
                return cleaned
        text = cleaned
    # Deliberately deep nesting: without any "<" nothing can be a tag, and one
    # more round settles the rest (NUL characters, whitespace at the ends).
    return _round(text.replace("<", ""))


def _round(text: str) -> str:
    """One pass: strip tags with nh3, then turn its HTML output back into text."""
    cleaned = nh3.clean(text.replace("&", "&amp;"), tags=set(), attributes={}, strip_comments=True)
    return html.unescape(cleaned).strip()
