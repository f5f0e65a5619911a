"""Text of attached documents (PDF, DOCX, plain text) for a type's `extra` text.

Content apps call `document_text(document)` in their `to_document` and index the
result under the parent, with the parent's access. A file that cannot be read
gives empty text and a log line, never an exception: a broken upload must not
stop the article from being found.
"""

from __future__ import annotations

import io
import logging
from pathlib import PurePath
from typing import BinaryIO

from django.core.cache import cache

logger = logging.getLogger(__name__)
MAX_CHARS = 200_000
MAX_PAGES = 300
CACHE_SECONDS = 7 * 24 * 3600


def extract_text(file: BinaryIO | bytes, name: str) -> str:
    """The plain text of a PDF, DOCX or TXT file; "" for other types or broken files."""
    suffix = PurePath(name or "").suffix.lower()
    stream = io.BytesIO(file) if isinstance(file, bytes) else file
    try:
        if suffix == ".pdf":
            text = _pdf(stream)
        elif suffix == ".docx":
            text = _docx(stream)
        elif suffix in (".txt", ".csv"):
            text = stream.read(MAX_CHARS * 4).decode("utf-8", errors="replace")
        else:
            return ""
    except Exception as exc:  # pypdf and python-docx raise many kinds on bad files
        logger.warning("Could not extract text from %s: %r", name, exc)
        return ""
    return " ".join(text.split())[:MAX_CHARS]


def _pdf(stream: BinaryIO) -> str:
    from pypdf import PdfReader

    reader = PdfReader(stream)
    parts = []
    for number, page in enumerate(reader.pages):
        if number >= MAX_PAGES:
            break
        try:
            parts.append(page.extract_text() or "")
        except Exception as exc:
            logger.warning("Skipping unreadable PDF page %s: %r", number + 1, exc)
    return "\n".join(parts)


def _docx(stream: BinaryIO) -> str:
    import docx

    document = docx.Document(stream)
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def document_text(document) -> str:
    """Text of a Wagtail document, cached by the file's hash so reindexing an article
    does not parse its PDFs again."""
    if document is None or not getattr(document, "file", None):
        return ""
    key = f"search:attachment:{getattr(document, 'file_hash', '') or document.file.name}"
    text = cache.get(key)
    if text is not None:
        return text
    try:
        with document.file.open("rb") as handle:
            text = extract_text(handle, document.file.name)
    except Exception as exc:
        logger.warning("Could not open document %s: %r", document.file.name, exc)
        text = ""
    cache.set(key, text, CACHE_SECONDS)
    return text
