"""What members write: plain text, kept as they typed it.

Nothing that looks like markup is taken out. ``Skabelonen hed <Navn> og <Dato>`` or
``a<b og c>d`` is text a member meant, and stripping it on the way in lost it without a
word. Safety is on the way out instead, in every place such text goes:

- templates escape it (Django's autoescape; ``urlize`` only turns http(s) addresses
  into links, and escapes the rest);
- mails built from it are plain text (``{% autoescape off %}`` in ``.txt`` templates
  only);
- search snippets are escaped before ``<mark>`` is added (``search/snippets.py``), and
  Elasticsearch highlights with ``encoder: html``;
- text turned into rich text for an experience article is escaped line by line
  (``experiences.services``), and spreadsheet cells are neutralised
  (``network/spreadsheet.py``).

``tests/projects/test_text_and_uploads.py`` writes markup into every field a member
fills and checks each page, feed and mail that shows it.
"""

import re

# Embedding, override and isolate controls. No Danish text needs them, and an
# override in a title turns the text after it around ("(eljeV)" for "(Vejle)")
# wherever the title is shown inline. The marks U+200E/U+200F stay.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def clean_text(value: str) -> str:
    """``value`` as typed, with its newlines as ``\\n``, its ends stripped and no bidi
    embedding, override or isolate characters. Idempotent."""
    if not value:
        return ""
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    return BIDI_CONTROLS.sub("", text).strip()


def one_line_text(value: str) -> str:
    """`clean_text` on one line: a title or a place, which stand in mail subjects and
    lines of their own (a line break in a place printed lines that looked like the
    mail's own, a meeting link among them: an outside check)."""
    return " ".join(clean_text(value).split())
