"""Text helpers for Danish names and mail headers."""

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
