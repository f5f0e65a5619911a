"""Danish alphabetical order: a … z, æ, ø, å, with "aa" read as å (Aabenraa, Aalborg
and Aarhus come last, after Ærø).

`danish_key(text)` spells a name with ASCII letters only, which sort the same way
under every collation (SQLite's byte order; PostgreSQL's C or linguistic ones, where æ
would sort as "ae"): æ, ø, å become "zzza", "zzzb", "zzzc", after every word of the
ordinary alphabet. Municipalities store it (`sort_name`) and are ordered by it.
"""

from __future__ import annotations

_DANISH_LETTERS = (
    ("aa", "zzzc"),
    ("æ", "zzza"),
    ("ø", "zzzb"),
    ("å", "zzzc"),
)


def danish_key(text: str) -> str:
    text = text.lower()
    for letters, spelt in _DANISH_LETTERS:
        text = text.replace(letters, spelt)
    return text
