"""CSV files for spreadsheets: the exports coordinators open in Excel.

`;`-separated (Danish Excel's list separator) with a byte order mark (so Excel reads
æøå as UTF-8). Any text cell that a spreadsheet would read as a formula (it starts
with = + - @, a tab or a carriage return) is written with a leading apostrophe, as
OWASP's advice on CSV injection says: a member's name or job title such as
`=HYPERLINK("http://evil.example","Klik")` is shown as text, never run. Numbers are
written as they are.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"


def cell(value) -> object:
    """A value as a spreadsheet may safely read it."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class Writer:
    """csv.writer for spreadsheets; `out` is a file or an HttpResponse. Writes the
    byte order mark first."""

    def __init__(self, out):
        out.write(BOM)
        self._writer = csv.writer(out, delimiter=";")

    def writerow(self, row: Iterable) -> None:
        self._writer.writerow([cell(value) for value in row])
