"""Reading a number a visitor typed into a URL or a form.

`str.isdigit()` is true for "²" and other digits `int()` refuses, and `int()` refuses
strings of more than 4,300 digits: both were 500s. Every parameter of ours that is a
number is read through `parse_int`.
"""

from __future__ import annotations

# 19 digits hold every 64-bit id; nothing we count needs more.
MAX_DIGITS = 19


def parse_int(text: str | None, minimum: int | None = None, maximum: int | None = None):
    """The integer `text` stands for, within [minimum, maximum], or None."""
    if text is None:
        return None
    text = text.strip()
    digits = text[1:] if text.startswith("-") else text
    if not digits or len(digits) > MAX_DIGITS or not (digits.isascii() and digits.isdigit()):
        return None
    value = int(text)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        return None
    return value
