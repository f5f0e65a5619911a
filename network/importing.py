"""All-or-nothing import of content from JSON Lines files.

`network` is the lowest layer, so it knows no content type itself. Content apps register
a handler per record type (`experience`, `project`, ...) from their `AppConfig.ready()`;
the `import_content` command validates every line through these handlers first and only
then applies them, in file order, inside one transaction.

A handler is any object with:

- ``validate(record, line_no, ctx) -> list[RecordError]`` (it may also raise
  `RecordInvalid`). It must not write. The runner has already checked ``type`` and
  ``external_id`` (a non-empty text, unique per type within the file).
- ``apply(record, ctx) -> "created" | "updated" | "unchanged"``. Runs inside the import's
  transaction; anything it raises rolls the whole import back.
- ``exists(external_id) -> bool``: whether a record of this type is already in the
  database, so other types can reference it.
- optionally ``finish(ctx)``: called once after every line is applied, still inside the
  transaction, for work a handler does in bulk (experiences publish their new pages
  together, network.pages.NewPagesBatch).

`RecordCheck` and the ``*_for_*`` functions below are the shared field rules, so every
type reads, reports and resolves municipalities, work areas, organisations, people and
dates the same way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any, Literal, Protocol

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from .models import Municipality, Organisation, User, WorkArea
from .text import danish_slugify

Outcome = Literal["created", "updated", "unchanged"]
OUTCOMES: tuple[Outcome, ...] = ("created", "updated", "unchanged")
OUTCOME_LABELS = {"created": "oprettet", "updated": "opdateret", "unchanged": "uændret"}
MAX_EXTERNAL_ID_LENGTH = 100
ORGANISATION_NAME_MAX_LENGTH = 200

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME_RE = re.compile(r"^\d{2}:\d{2}$")
_DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")


# --- errors -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordError:
    """One problem in the file, worded for the person who fixes the file."""

    line_no: int
    message: str
    field: str | None = None

    def __str__(self) -> str:
        if self.field:
            return f'Linje {self.line_no}, felt "{self.field}": {self.message}'
        return f"Linje {self.line_no}: {self.message}"


class RecordInvalid(Exception):
    """Raised by a handler's validate() instead of returning its errors."""

    def __init__(self, errors: RecordError | list[RecordError]):
        self.errors = [errors] if isinstance(errors, RecordError) else list(errors)
        super().__init__("; ".join(str(error) for error in self.errors))


class ApplyFailed(Exception):
    """Applying a line raised; the transaction is already rolled back."""

    def __init__(self, line_no: int | None, type_name: str, cause: BaseException):
        self.line_no = line_no
        self.type_name = type_name
        self.cause = cause
        where = f"Linje {line_no} ({type_name})" if line_no is not None else "Afslutningen"
        super().__init__(f"{where}: {cause}")


# --- registry and context -----------------------------------------------------------------


class ImportHandler(Protocol):
    def validate(self, record: dict, line_no: int, ctx: ImportContext) -> list[RecordError]: ...

    def apply(self, record: dict, ctx: ImportContext) -> Outcome: ...

    def exists(self, external_id: str) -> bool: ...


class ImportRegistry:
    """Record type name -> handler. Registering a name again replaces it (idempotent)."""

    def __init__(self) -> None:
        self._handlers: dict[str, ImportHandler] = {}
        self._batch_wrappers: dict[str, Callable[[], AbstractContextManager]] = {}

    def wrap_batch(self, name: str, factory: Callable[[], AbstractContextManager]) -> None:
        """Run every import's writes inside `factory()`, within its transaction.

        For layers above that batch their own follow-up work, e.g. search, which
        reindexes everything an import touched once, in bulk, when the lines are written
        (search.signals.deferred_indexing). Registering a name again replaces it."""
        self._batch_wrappers[name] = factory

    def batch_wrappers(self) -> list[Callable[[], AbstractContextManager]]:
        return list(self._batch_wrappers.values())

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Run a group of writes inside every registered batch wrapper: an import, the
        demo seed, or one object's creation that saves it several times on the way
        (an article's page, relations, revision and publication each reindexed it).
        Use inside the writes' transaction; nested batches join the outer one."""
        with ExitStack() as stack:
            for wrapper in self.batch_wrappers():
                stack.enter_context(wrapper())
            yield

    def register(self, type_name: str, handler: ImportHandler) -> None:
        self._handlers[type_name] = handler

    def unregister(self, type_name: str) -> None:
        self._handlers.pop(type_name, None)

    def get(self, type_name: str) -> ImportHandler | None:
        return self._handlers.get(type_name)

    def type_names(self) -> list[str]:
        return sorted(self._handlers)


registry = ImportRegistry()


@dataclass
class ImportContext:
    """State shared by all lines of one import run.

    `seen` records, per type, the external ids met so far during validation (with their
    line), so a later line may reference an earlier one before anything is written.
    `cache` is for handlers' own look-up tables, loaded once per run.
    """

    registry: ImportRegistry = field(default_factory=lambda: registry)
    dry_run: bool = False
    seen: dict[str, dict[str, int]] = field(default_factory=dict)
    cache: dict[str, Any] = field(default_factory=dict)

    def mark_seen(self, type_name: str, external_id: str, line_no: int) -> int | None:
        """Remember an external id; returns the line of an earlier one with the same id."""
        ids = self.seen.setdefault(type_name, {})
        if external_id in ids:
            return ids[external_id]
        ids[external_id] = line_no
        return None

    def seen_in_file(self, type_name: str, external_id: str) -> bool:
        return external_id in self.seen.get(type_name, {})

    def reference_exists(self, type_name: str, external_id: str) -> bool:
        """Defined earlier in this file, or already in the database."""
        if self.seen_in_file(type_name, external_id):
            return True
        handler = self.registry.get(type_name)
        return bool(handler and handler.exists(external_id))

    def cached(self, key: str, load: Callable[[], Any]) -> Any:
        if key not in self.cache:
            self.cache[key] = load()
        return self.cache[key]

    def municipality_codes(self) -> set[str]:
        return self.cached(
            "network.municipality_codes",
            lambda: set(Municipality.objects.values_list("code", flat=True)),
        )

    def work_area_slugs(self) -> set[str]:
        return self.cached(
            "network.work_area_slugs", lambda: set(WorkArea.objects.values_list("slug", flat=True))
        )


# --- field checks -------------------------------------------------------------------------

_MISSING = object()


def describe_type(value: Any) -> str:
    """The JSON kind of a value, in Danish, for "skal være en tekst, ikke et tal"."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "sand/falsk"
    if isinstance(value, int | float):
        return "et tal"
    if isinstance(value, str):
        return "en tekst"
    if isinstance(value, list):
        return "en liste"
    if isinstance(value, dict):
        return "et objekt"
    return type(value).__name__


def parse_date(value: str) -> date:
    """Strictly YYYY-MM-DD: Python also accepts 20240101 and week dates, which we do not."""
    if not isinstance(value, str) or not _DATE_RE.match(value):
        raise ValueError(value)
    return date.fromisoformat(value)


def parse_datetime(value: str) -> datetime:
    """ISO 8601 with seconds optional and a required offset (Z or +01:00)."""
    if not isinstance(value, str) or not _DATETIME_RE.match(value):
        raise ValueError(value)
    return datetime.fromisoformat(value)


def parse_time(value: str) -> time:
    """HH:MM, 24-hour clock."""
    if not isinstance(value, str) or not _TIME_RE.match(value):
        raise ValueError(value)
    return time.fromisoformat(value)


class RecordCheck:
    """Reads the fields of one line and collects their errors.

    Each method returns the parsed value, or None when the field is in error (the error is
    then in `errors`), so a handler's validate() reads like the record format. A field that
    is absent or null gets its default when optional and is an error when required.
    """

    def __init__(self, record: dict, line_no: int, ctx: ImportContext):
        self.record = record
        self.line_no = line_no
        self.ctx = ctx
        self.errors: list[RecordError] = []

    def error(self, field_name: str | None, message: str) -> None:
        self.errors.append(RecordError(self.line_no, message, field_name))

    def allowed_fields(self, names: Iterable[str]) -> None:
        """A misspelt optional field would otherwise be silently ignored."""
        allowed = set(names) | {"type", "external_id"}
        for name in self.record:
            if name not in allowed:
                self.error(name, "ukendt felt")

    def _get(self, name: str, required: bool) -> Any:
        value = self.record.get(name)
        if value is None:
            if required:
                self.error(name, "mangler")
            return _MISSING
        return value

    def _expect(self, name: str, value: Any, kind: type, label: str) -> bool:
        if isinstance(value, kind) and not isinstance(value, bool):
            return True
        self.error(name, f"skal være {label}, ikke {describe_type(value)}")
        return False

    def text(
        self, name: str, *, required: bool = False, default: str = "", max_length: int | None = None
    ) -> str | None:
        value = self._get(name, required)
        if value is _MISSING:
            return None if required else default
        if not self._expect(name, value, str, "en tekst"):
            return None
        if required and not value.strip():
            self.error(name, "må ikke være tom")
            return None
        if max_length is not None and len(value) > max_length:
            self.error(name, f"må højst være {max_length} tegn lang (er {len(value)})")
            return None
        return value

    def text_list(
        self, name: str, *, required: bool = False, max_length: int | None = None
    ) -> list[str] | None:
        """A list of non-empty texts; absent or null is []."""
        value = self._get(name, required)
        if value is _MISSING:
            return None if required else []
        if not self._expect(name, value, list, "en liste af tekster"):
            return None
        ok = True
        for position, item in enumerate(value, start=1):
            if not isinstance(item, str):
                self.error(
                    name, f"element {position} skal være en tekst, ikke {describe_type(item)}"
                )
                ok = False
            elif not item.strip():
                self.error(name, f"element {position} må ikke være tomt")
                ok = False
            elif max_length is not None and len(item) > max_length:
                self.error(name, f"element {position} må højst være {max_length} tegn langt")
                ok = False
        return value if ok else None

    def object_list(self, name: str, *, required: bool = False) -> list[dict] | None:
        """A list of JSON objects (body blocks, agenda items); absent or null is []."""
        value = self._get(name, required)
        if value is _MISSING:
            return None if required else []
        if not self._expect(name, value, list, "en liste"):
            return None
        ok = True
        for position, item in enumerate(value, start=1):
            if not isinstance(item, dict):
                self.error(
                    name, f"element {position} skal være et objekt, ikke {describe_type(item)}"
                )
                ok = False
        return value if ok else None

    def _parsed(self, name: str, required: bool, parse: Callable, hint: str) -> Any:
        value = self._get(name, required)
        if value is _MISSING:
            return None
        if not self._expect(name, value, str, "en tekst"):
            return None
        try:
            return parse(value)
        except ValueError:
            self.error(name, f'ugyldig værdi "{value}"; {hint}')
            return None

    def date(self, name: str, *, required: bool = True) -> date | None:
        return self._parsed(name, required, parse_date, "brug formatet ÅÅÅÅ-MM-DD")

    def datetime(self, name: str, *, required: bool = True) -> datetime | None:
        hint = "brug ISO 8601 med tidszone, fx 2026-03-05T09:30:00+01:00"
        return self._parsed(name, required, parse_datetime, hint)

    def time(self, name: str, *, required: bool = True) -> time | None:
        return self._parsed(name, required, parse_time, "brug formatet TT:MM")

    def choice(self, name: str, choices: Iterable[str], *, required: bool = True) -> str | None:
        choices = list(choices)
        value = self._get(name, required)
        if value is _MISSING or not self._expect(name, value, str, "en tekst"):
            return None
        if value not in choices:
            self.error(name, f'ugyldig værdi "{value}"; tilladte værdier: {", ".join(choices)}')
            return None
        return value

    def email(self, name: str, *, required: bool = True) -> str | None:
        value = self.text(name, required=required, max_length=254)
        if not value:
            return None
        try:
            validate_email(value)
        except ValidationError:
            self.error(name, f'ugyldig e-mailadresse "{value}"')
            return None
        return value.strip().lower()

    def municipalities(self, name: str) -> list[str] | None:
        """A list of official 4-digit municipality codes; absent is []."""
        codes = self.text_list(name)
        if codes is None:
            return None
        known = self.ctx.municipality_codes()
        unknown = [code for code in codes if code not in known]
        for code in unknown:
            self.error(name, f'ukendt kommunekode "{code}"')
        return None if unknown else codes

    def municipality(self, name: str, *, required: bool = True) -> str | None:
        code = self.text(name, required=required)
        if not code:
            return None
        if code not in self.ctx.municipality_codes():
            self.error(name, f'ukendt kommunekode "{code}"')
            return None
        return code

    def work_areas(self, name: str) -> list[str] | None:
        """A list of work-area slugs (the site's topics); absent is []."""
        slugs = self.text_list(name)
        if slugs is None:
            return None
        known = self.ctx.work_area_slugs()
        unknown = [slug for slug in slugs if slug not in known]
        for slug in unknown:
            self.error(
                name,
                f'ukendt arbejdsområde "{slug}"; kendte: {", ".join(sorted(known))}',
            )
        return None if unknown else slugs

    def organisations(self, name: str) -> list[str] | None:
        """Organisation names; unknown ones are created when the line is applied."""
        return self.text_list(name, max_length=ORGANISATION_NAME_MAX_LENGTH)

    def reference(self, name: str, type_name: str, *, required: bool = True) -> str | None:
        """The external id of a `type_name` record earlier in the file or in the database."""
        external_id = self.text(name, required=required)
        if not external_id:
            return None
        if not self.ctx.reference_exists(type_name, external_id):
            self.error(
                name,
                f'ukendt {type_name} "{external_id}"; den skal stå tidligere i filen '
                "eller findes i forvejen",
            )
            return None
        return external_id


# --- resolving at apply time --------------------------------------------------------------


def municipalities_for_codes(
    codes: Iterable[str], ctx: ImportContext | None = None
) -> list[Municipality]:
    """The municipalities with these codes; with `ctx`, from a table loaded once per run."""
    if ctx is None:
        return list(Municipality.objects.filter(code__in=set(codes)))
    by_code = ctx.cached(
        "network.municipalities", lambda: {m.code: m for m in Municipality.objects.all()}
    )
    return [by_code[code] for code in dict.fromkeys(codes) if code in by_code]


def work_areas_for_slugs(slugs: Iterable[str], ctx: ImportContext | None = None) -> list[WorkArea]:
    """The work areas with these slugs; with `ctx`, from a table loaded once per run."""
    if ctx is None:
        return list(WorkArea.objects.filter(slug__in=set(slugs)))
    by_slug = ctx.cached("network.work_areas", lambda: {w.slug: w for w in WorkArea.objects.all()})
    return [by_slug[slug] for slug in dict.fromkeys(slugs) if slug in by_slug]


def unique_slug(value: str, taken: Callable[[str], bool], fallback: str, max_length: int) -> str:
    """danish_slugify(value), made unique with -2, -3 ... where `taken(slug)` says so."""
    base = danish_slugify(value)[: max_length - 6].strip("-") or fallback
    slug, number = base, 1
    while taken(slug):
        number += 1
        slug = f"{base}-{number}"
    return slug


def organisations_for_names(
    names: Iterable[str], ctx: ImportContext | None = None
) -> list[Organisation]:
    """Find organisations by name (ignoring case), creating the unknown ones. With `ctx`
    the names are looked up in a table loaded once per run (and kept up to date)."""
    known = (
        ctx.cached(
            "network.organisations",
            lambda: {o.name.casefold(): o for o in Organisation.objects.order_by("-pk")},
        )
        if ctx is not None
        else None
    )
    organisations = []
    for name in dict.fromkeys(name.strip() for name in names):
        if known is not None:
            organisation = known.get(name.casefold())
        else:
            organisation = Organisation.objects.filter(name__iexact=name).first()
        if organisation is None:
            slug = unique_slug(
                name,
                lambda s: Organisation.objects.filter(slug=s).exists(),
                fallback="organisation",
                max_length=200,
            )
            organisation = Organisation.objects.create(name=name, slug=slug)
            if known is not None:
                known[name.casefold()] = organisation
        organisations.append(organisation)
    return organisations


def user_for_email(email: str) -> User:
    """The member with this e-mail, or a new inactive one who cannot log in until invited."""
    email = email.strip().lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email, password=None, is_active=False)
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


# --- the run ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportLine:
    """One valid, parsed line of the file."""

    line_no: int
    type_name: str
    record: dict


@dataclass
class ImportCounts:
    """Outcomes per type, in the order the types first appear in the file."""

    by_type: dict[str, dict[str, int]] = field(default_factory=dict)

    def add(self, type_name: str, outcome: str) -> None:
        counts = self.by_type.setdefault(type_name, dict.fromkeys(OUTCOMES, 0))
        counts[outcome] += 1

    def summary_lines(self) -> list[str]:
        """`experience: 3 oprettet, 1 opdateret, 2 uændret`, one per type."""
        return [
            f"{type_name}: " + ", ".join(f"{counts[o]} {OUTCOME_LABELS[o]}" for o in OUTCOMES)
            for type_name, counts in self.by_type.items()
        ]


class _DuplicateKey(ValueError):
    pass


def _reject_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict:
    result: dict = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


_LINE_END = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[tuple[int, str]]:
    """(line number, text) of the non-blank lines.

    JSON Lines ends a line with \\n; a file saved with Windows (\\r\\n) or old Mac (a
    bare \\r) line endings is read the same way, numbered as an editor shows it. JSON
    text never holds a raw \\r or \\n inside a string, so this cannot split a record.
    """
    return [
        (line_no, line)
        for line_no, line in enumerate(_LINE_END.split(text), start=1)
        if line.strip()
    ]


def parse_line(line_no: int, line: str) -> tuple[dict | None, RecordError | None]:
    """The line's JSON object, or the error that says why it is not one."""
    try:
        value = json.loads(line, object_pairs_hook=_reject_duplicate_keys)
    except _DuplicateKey as exc:
        return None, RecordError(line_no, "feltet står mere end én gang", str(exc))
    except json.JSONDecodeError as exc:
        return None, RecordError(line_no, f"ugyldig JSON (kolonne {exc.colno}: {exc.msg})")
    if not isinstance(value, dict):
        return None, RecordError(
            line_no, f"linjen skal være et JSON-objekt, ikke {describe_type(value)}"
        )
    return value, None


def _check_type_and_id(
    record: dict, line_no: int, ctx: ImportContext
) -> tuple[str | None, list[RecordError]]:
    """The checks every type shares: a known `type` and an `external_id` unique per type."""
    check = RecordCheck(record, line_no, ctx)
    type_name = check.text("type", required=True)
    if type_name is None:
        return None, check.errors
    if ctx.registry.get(type_name) is None:
        known = ", ".join(ctx.registry.type_names()) or "ingen"
        check.error("type", f'ukendt type "{type_name}"; kendte typer: {known}')
        return None, check.errors
    external_id = check.text("external_id", required=True, max_length=MAX_EXTERNAL_ID_LENGTH)
    if external_id is not None:
        earlier = ctx.mark_seen(type_name, external_id, line_no)
        if earlier is not None:
            check.error(
                "external_id",
                f'"{external_id}" er allerede brugt af en {type_name} i linje {earlier}',
            )
    return type_name, check.errors


def validate_line(
    line_no: int, line: str, ctx: ImportContext
) -> tuple[ImportLine | None, list[RecordError]]:
    """One line through the shared checks and its type's handler."""
    record, error = parse_line(line_no, line)
    if error:
        return None, [error]
    type_name, errors = _check_type_and_id(record, line_no, ctx)
    if type_name is None:
        return None, errors
    try:
        errors += ctx.registry.get(type_name).validate(record, line_no, ctx)
    except RecordInvalid as exc:
        errors += exc.errors
    return (None if errors else ImportLine(line_no, type_name, record)), errors


def validate_lines(
    lines: Iterable[tuple[int, str]], ctx: ImportContext
) -> tuple[list[ImportLine], list[RecordError]]:
    """Phase 1: check every line, writing nothing; all errors, not just the first."""
    valid: list[ImportLine] = []
    errors: list[RecordError] = []
    for line_no, line in lines:
        parsed, line_errors = validate_line(line_no, line, ctx)
        errors += line_errors
        if parsed:
            valid.append(parsed)
    return valid, errors


def apply_lines(lines: Iterable[ImportLine], ctx: ImportContext) -> ImportCounts:
    """Phase 2: apply the lines in file order in one transaction, inside the registered
    batch wrappers (so search indexes the whole import at the end, in bulk).

    Raises ApplyFailed (after the rollback) if any handler or wrapper raises, so nothing
    is half-done; `line_no` is None when the lines were written and finishing failed.
    """
    counts = ImportCounts()
    current: ImportLine | None = None
    finishing = False
    try:
        with transaction.atomic(), ctx.registry.batch():
            for current in lines:
                outcome = ctx.registry.get(current.type_name).apply(current.record, ctx)
                if outcome not in OUTCOMES:
                    raise ValueError(f"ukendt resultat {outcome!r} fra {current.type_name}")
                counts.add(current.type_name, outcome)
            finishing = True
            for type_name in ctx.registry.type_names():
                finish = getattr(ctx.registry.get(type_name), "finish", None)
                if finish is not None:
                    finish(ctx)
    except Exception as exc:
        if finishing:
            raise ApplyFailed(None, "", exc) from exc
        if current is None:
            raise
        raise ApplyFailed(current.line_no, current.type_name, exc) from exc
    return counts
