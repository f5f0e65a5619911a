"""Checks shared by the upload forms: the file's name and Office containers.

Plain functions raising ``ValidationError`` with a Danish message, so any form's
``clean_<field>`` can call them. Imports nothing from the other apps.
"""

import unicodedata
import zipfile

from django.core.exceptions import ValidationError

# Bidi controls (a name like "rapport\u202egpj.exe" is shown as "rapportexe.jpg").
# They are all category Cf, which is rejected anyway; listed to say what we mean.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Cc: control characters (NUL, tab, newline, ...); Cf: invisible format characters
# (bidi controls, zero-width space and joiners, BOM, soft hyphen);
# Zl/Zp: line and paragraph separators.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})

# OOXML: a zip with [Content_Types].xml and the main part's folder.
OFFICE_PARTS = {".docx": "word/", ".xlsx": "xl/", ".pptx": "ppt/"}


def validate_file_name(name: str | None) -> str:
    """The uploaded file's name, if it is safe to store and show; else ValidationError."""
    if not name or not name.strip():
        raise ValidationError("Filen mangler et navn. Omdøb filen, og prøv igen.")
    if any(ch in BIDI_CONTROLS or unicodedata.category(ch) in INVISIBLE_CATEGORIES for ch in name):
        raise ValidationError("Filnavnet indeholder usynlige styretegn. Omdøb filen, og prøv igen.")
    return name


def validate_office_container(fileobj, suffix: str) -> None:
    """Raise ValidationError unless ``fileobj`` is a real .docx/.xlsx/.pptx for ``suffix``.

    A zip header alone proves nothing: the file must open as a zip and hold
    ``[Content_Types].xml`` and the part folder of its kind (``word/`` for .docx,
    ``xl/`` for .xlsx, ``ppt/`` for .pptx). Only the zip's directory is read.
    """
    invalid = ValidationError("Filen er ikke et gyldigt Word-, Excel- eller PowerPoint-dokument.")
    part = OFFICE_PARTS.get(suffix.lower())
    if part is None:
        raise invalid
    try:
        fileobj.seek(0)
        with zipfile.ZipFile(fileobj) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise invalid from exc
    finally:
        fileobj.seek(0)
    if "[Content_Types].xml" not in names or not any(n.startswith(part) for n in names):
        raise invalid
