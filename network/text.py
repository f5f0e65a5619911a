"""Text helpers for Danish names, mail headers and rich text."""

import html
import re

from django.utils.html import strip_tags
from django.utils.text import slugify

_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def danish_slugify(value: str) -> str:
    """Slugify with the Danish transliteration (København -> koebenhavn).

    Django's slugify drops æ/ø/å because they have no ASCII decomposition.
    """
    return slugify(str(value).translate(_DANISH))


def one_line(value: str) -> str:
    """`value` on one line, its runs of white space (line breaks too) as one space.

    A line break in a mail's subject raises BadHeaderError, and the mail is not sent
    (an outside check: an event title with one, set in the admin, silenced every mail
    about the event)."""
    return " ".join(str(value).split())


# Where a block of rich text ends or a line breaks: kept as a line break in plain text.
_BLOCK_END = re.compile(r"(</(?:p|h[1-6]|li|blockquote|div)>|<br\s*/?>)", re.IGNORECASE)


def rich_text_plain(source: str) -> str:
    """Rich text (Wagtail's stored HTML) as plain text, one line per paragraph, heading,
    list item or line break. `strip_tags` alone glued paragraphs together (an outside
    walk's snippet read "…passer dem.Erfaringer, der kan bruges…")."""
    return html.unescape(strip_tags(_BLOCK_END.sub(r"\1\n", source or ""))).strip()
