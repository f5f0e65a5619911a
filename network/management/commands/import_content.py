"""`manage.py import_content PATH [--dry-run]`: import a JSON Lines file, all or nothing.

The file is checked line by line first and every error is reported at once, so one run
tells the sender everything to fix. Only a fully valid file is applied, inside a single
transaction: a file is never half imported. The record types come from the handlers the
content apps register in `network.importing.registry`; see docs/import.md.
"""

from __future__ import annotations

import logging
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from network.importing import (
    ApplyFailed,
    ImportContext,
    ImportLine,
    apply_lines,
    split_lines,
    validate_lines,
)

PROGRESS_THRESHOLD = 300
logger = logging.getLogger("network.importing")
# Loggers that write a line per page ("Page created", "Published"): thousands of lines
# on stderr that drown the progress bar. Quiet below WARNING during the import; the
# import logs one summary line per type instead.
CHATTY_LOGGERS = ("wagtail",)


@contextmanager
def quiet_loggers(names: Iterable[str] = CHATTY_LOGGERS) -> Iterator[None]:
    loggers = [logging.getLogger(name) for name in names]
    levels = [item.level for item in loggers]
    for item in loggers:
        item.setLevel(max(item.getEffectiveLevel(), logging.WARNING))
    try:
        yield
    finally:
        for item, level in zip(loggers, levels, strict=True):
            item.setLevel(level)


def read_text(path: Path) -> str:
    """The file as text, or a CommandError that says, in Danish, why it cannot be read."""
    if not path.exists():
        raise CommandError(f'Filen "{path}" findes ikke.')
    if not path.is_file():
        raise CommandError(f'"{path}" er ikke en fil.')
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CommandError(f'Filen "{path}" kan ikke læses: {exc.strerror or exc}.') from exc
    try:
        # utf-8-sig: a byte order mark from a spreadsheet program is not part of line 1.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line_no = data.count(b"\n", 0, exc.start) + 1
        raise CommandError(
            f'Filen "{path}" er ikke gyldig UTF-8 (linje {line_no}). '
            "Gem den som UTF-8, og prøv igen."
        ) from exc


def _valid_lines(count: int) -> str:
    return "1 linje er gyldig" if count == 1 else f"{count} linjer er gyldige"


class Command(BaseCommand):
    help = (
        "Importerer erfaringer m.m. fra en JSON Lines-fil (ét objekt pr. linje). "
        "Hele filen kontrolleres først; er der fejl, gemmes intet."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="JSON Lines-fil i UTF-8")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Kontrollér kun filen; gem intet.",
        )

    def handle(self, *args, path: Path, dry_run: bool, **options):
        lines = split_lines(read_text(path))
        if not lines:
            self.stdout.write(f'Filen "{path}" indeholder ingen linjer; intet er gemt.')
            return
        show_progress = len(lines) > PROGRESS_THRESHOLD
        ctx = ImportContext(dry_run=dry_run)

        valid, errors = validate_lines(self._progress(lines, "Kontrollerer", show_progress), ctx)
        if errors:
            for error in errors:
                self.stderr.write(str(error))
            raise CommandError(f'{len(errors)} fejl i "{path}". Intet er gemt.')

        if dry_run:
            self._dry_run_summary(valid)
            return
        try:
            with quiet_loggers():
                counts = apply_lines(self._progress(valid, "Importerer", show_progress), ctx)
        except ApplyFailed as exc:
            what = (
                f"Linje {exc.line_no} ({exc.type_name}) kunne ikke gemmes"
                if exc.line_no is not None
                else "Linjerne blev skrevet, men søgeindekset kunne ikke opdateres"
            )
            raise CommandError(
                f"{what}: {exc.cause}. Importen er rullet tilbage; intet er gemt."
            ) from exc
        for line in counts.summary_lines():
            logger.info('Import af "%s": %s', path.name, line)
            self.stdout.write(line)

    def _dry_run_summary(self, valid: list[ImportLine]) -> None:
        per_type = Counter(line.type_name for line in valid)
        for type_name, count in per_type.items():
            self.stdout.write(f"{type_name}: {_valid_lines(count)}")
        self.stdout.write(f"Tørkørsel: {_valid_lines(len(valid))}; intet er gemt.")

    def _progress(self, items: list, description: str, show: bool) -> Iterable:
        """A tqdm bar on stderr for long files; the bare list otherwise.

        tqdm redraws with carriage returns, so it writes to the raw stream rather than
        Django's OutputWrapper, which would add a newline to every redraw.
        """
        if not show:
            return items
        stream = getattr(self.stderr, "_out", sys.stderr)
        return tqdm(items, desc=description, unit="linje", file=stream, leave=False)
