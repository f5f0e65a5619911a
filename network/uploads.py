"""Checks shared by the upload forms (the file's name and Office containers), and
the name a file is stored under.

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
# What a document's parts may not be: programs and scripts (a .docx is a zip, and a
# renamed download would hand them out), and Office macros, which .docx/.xlsx/.pptx
# never hold (.docm and friends are refused by name already).
EXECUTABLE_SUFFIXES = frozenset(
    ".exe .dll .com .scr .msi .msp .bat .cmd .ps1 .psm1 .vbs .vbe .js .jse .wsf .wsh .hta "
    ".jar .sh .lnk .cpl .pif .reg .app .apk .elf .so .dylib .zip .7z .rar .cab .iso".split()
)
# A program's first bytes, whatever its part is called (an .exe named image1.png).
PROGRAM_MAGIC = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"#!")
MACRO_PARTS = ("vbaproject.bin", "vbadata.xml")
# A 10 MB document does not unpack to more than this; a zip bomb does.
MAX_UNPACKED_BYTES = 500 * 1024 * 1024


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
            entries = archive.infolist()
            names = [entry.filename for entry in entries]
            programs = [
                entry.filename
                for entry in entries
                if not entry.is_dir() and _starts_like_a_program(archive, entry)
            ]
            content_types = (
                archive.read("[Content_Types].xml")[:200_000].decode("utf-8", "replace")
                if "[Content_Types].xml" in names
                and archive.getinfo("[Content_Types].xml").file_size < 1_000_000
                else ""
            )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise invalid from exc
    finally:
        fileobj.seek(0)
    if "[Content_Types].xml" not in names or not any(n.startswith(part) for n in names):
        raise invalid
    _check_office_parts(entries, content_types, programs)


def _starts_like_a_program(archive, entry) -> bool:
    with archive.open(entry) as part:
        return part.read(4).startswith(PROGRAM_MAGIC)


def _check_office_parts(entries, content_types: str, programs: list[str]) -> None:
    """What is inside: no macros, no programs, no paths out of the document, no bomb."""
    foreign = ValidationError(
        "Filen indeholder noget, der ikke hører til et Office-dokument (et program, et "
        "script eller en sti ud af dokumentet). Gem dokumentet igen fra Word, Excel eller "
        "PowerPoint, og prøv igen."
    )
    lowered = content_types.lower()
    if "macroenabled" in lowered or "vbaproject" in lowered:
        raise ValidationError(
            "Filen indeholder makroer. Gem den uden makroer (som .docx, .xlsx eller .pptx), "
            "og prøv igen."
        )
    if programs:
        raise foreign
    unpacked = 0
    for entry in entries:
        name = entry.filename
        lower = name.lower()
        if lower.rsplit("/", 1)[-1] in MACRO_PARTS:
            raise ValidationError(
                "Filen indeholder makroer. Gem den uden makroer (som .docx, .xlsx eller "
                ".pptx), og prøv igen."
            )
        parts = name.split("/")
        if name.startswith("/") or "\\" in name or ":" in parts[0] or ".." in parts:
            raise foreign
        if any(lower.endswith(suffix) for suffix in EXECUTABLE_SUFFIXES):
            raise foreign
        unpacked += entry.file_size
    if unpacked > MAX_UNPACKED_BYTES:
        raise ValidationError(
            "Filen fylder for meget, når den pakkes ud. Gem den igen, eventuelt med "
            "mindre billeder, og prøv igen."
        )


# -- stored names --------------------------------------------------------------------
# A FileField keeps at most 100 characters of path. When a name is longer, Django's
# storage shortens the part before the *first* dot, so a name with dates in it
# (*Referat 12.03.2027 møde med virksomhederne i Midtjylland ….pdf*) leaves it only
# *Referat 12* to shorten, and the upload fails with `SuspiciousFileOperation` (a 400,
# and the entry typed with the file is lost; an outside walk). `fitting_path` keeps
# only the last extension as one and cuts the rest to leave room for the folder and
# for the seven characters the storage adds when a name is taken. The name a user
# sees is kept apart (a document's title, an attachment's `name`).

STEM_LENGTH = 50
EXTENSION_LENGTH = 10


def fitting_path(folder: str, filename: str) -> str:
    """`folder/filename` with the name's stem at most 50 characters, its other dots
    made underscores, and its extension (the last) at most 10."""
    stem, dot, extension = filename.rpartition(".")
    if not dot:
        stem, extension = filename, ""
    stem = stem.replace(".", "_")[:STEM_LENGTH] or "fil"
    extension = extension[:EXTENSION_LENGTH]
    return f"{folder}/{stem}.{extension}" if extension else f"{folder}/{stem}"
