"""Text helpers for Danish names."""

from django.utils.text import slugify

_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def danish_slugify(value: str) -> str:
    """Slugify with the Danish transliteration (København -> koebenhavn).

    Django's slugify drops æ/ø/å because they have no ASCII decomposition.
    """
    return slugify(str(value).translate(_DANISH))
