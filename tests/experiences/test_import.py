"""`manage.py import_content`: experiences from JSON Lines, all or nothing."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Page, Revision

from experiences import importing as experience_importing
from experiences.models import ExperienceIndexPage, ExperiencePage
from network import importing
from network.models import Organisation, User

EXAMPLE_FILE = Path(__file__).resolve().parents[2] / "docs" / "import-example.jsonl"


@pytest.fixture(autouse=True)
def _registered():
    experience_importing.register()
    yield


def experience(**overrides) -> dict:
    record = {
        "type": "experience",
        "external_id": "E-1",
        "title": "Videomøder med sygemeldte på Ærø",
        "lead": "Færre aflyste samtaler.",
        "published": "2025-03-14",
        "kind": "case",
        "municipalities": ["0751", "0791"],
        "topics": ["sygedagpenge", "digitalisering"],
        "author": "Redaktionen",
        "organisations": ["Jobcenter Testby, Sygedagpenge"],
        "body": [
            {"type": "paragraph", "text": "Første linje med <b> & co.\nAnden linje"},
            {"type": "heading", "text": "Sådan gjorde vi"},
            {"type": "quote", "text": "Det virker.", "name": "Mette", "role": "Rådgiver"},
            {"type": "facts", "title": "Kort om", "items": ["Ét", "To"]},
        ],
    }
    record.update(overrides)
    return record


def write(tmp_path: Path, *lines: dict | str, name: str = "import.jsonl") -> Path:
    path = tmp_path / name
    text = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def run(path: Path, *args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_content", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def run_failing(path: Path, *args: str) -> tuple[str, str]:
    """The CommandError's message and stderr."""
    err = StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_content", str(path), *args, stdout=StringIO(), stderr=err)
    return str(excinfo.value), err.getvalue()


def snapshot() -> dict[str, int]:
    return {
        "pages": Page.objects.count(),
        "experiences": ExperiencePage.objects.count(),
        "revisions": Revision.objects.count(),
        "organisations": Organisation.objects.count(),
        "users": User.objects.count(),
    }


# --- creating, re-importing, updating -----------------------------------------------------


def test_import_creates_published_pages_with_fields_tags_and_body(db, tmp_path):
    organisations_before = Organisation.objects.count()
    path = write(tmp_path, experience(), experience(external_id="E-2", title="Anden", body=[]))

    out, _ = run(path)

    assert out.strip() == "experience: 2 oprettet, 0 opdateret, 0 uændret"
    page = ExperiencePage.objects.get(external_id="E-1")
    assert page.live and not page.has_unpublished_changes
    assert page.get_parent().specific_class is ExperienceIndexPage
    assert page.slug == "videomoeder-med-sygemeldte-paa-aeroe"
    assert (page.title, page.lead, page.kind, page.author) == (
        "Videomøder med sygemeldte på Ærø",
        "Færre aflyste samtaler.",
        "case",
        "Redaktionen",
    )
    assert page.published_date.isoformat() == "2025-03-14"
    assert sorted(page.municipality_codes) == ["0751", "0791"]
    assert sorted(page.work_area_slugs) == ["digitalisering", "sygedagpenge"]
    assert page.organisation_names == ["Jobcenter Testby, Sygedagpenge"]
    assert Organisation.objects.count() == organisations_before + 1
    assert page.revisions.count() == 1
    assert page.live_revision_id == page.latest_revision_id

    body = [(block.block_type, block.value) for block in page.body]
    assert [block_type for block_type, _ in body] == ["paragraph", "heading", "quote", "facts"]
    assert body[0][1].source == "<p>Første linje med &lt;b&gt; &amp; co.</p><p>Anden linje</p>"
    assert body[1][1] == "Sådan gjorde vi"
    assert (body[2][1]["text"], body[2][1]["name"], body[2][1]["role"]) == (
        "Det virker.",
        "Mette",
        "Rådgiver",
    )
    assert (body[3][1]["title"], list(body[3][1]["items"])) == ("Kort om", ["Ét", "To"])


def test_existing_organisation_is_reused_ignoring_case(db, tmp_path):
    Organisation.objects.create(name="Jobcenter Testby, Sygedagpenge", slug="jt")
    count = Organisation.objects.count()

    run(write(tmp_path, experience(organisations=["jobcenter testby, sygedagpenge"])))

    assert Organisation.objects.count() == count
    page = ExperiencePage.objects.get(external_id="E-1")
    assert page.organisations.get().slug == "jt"


def test_same_title_gets_a_unique_slug(db, tmp_path):
    run(write(tmp_path, experience(), experience(external_id="E-2"), experience(external_id="E-3")))

    slugs = sorted(ExperiencePage.objects.values_list("slug", flat=True))
    base = "videomoeder-med-sygemeldte-paa-aeroe"
    assert slugs == [base, f"{base}-2", f"{base}-3"]


def test_importing_the_same_file_again_changes_nothing(db, tmp_path):
    path = write(tmp_path, experience(), experience(external_id="E-2", title="Anden"))
    run(path)
    before = snapshot()

    out, _ = run(path)

    assert out.strip() == "experience: 0 oprettet, 0 opdateret, 2 uændret"
    assert snapshot() == before


def test_a_changed_record_is_updated_and_the_rest_unchanged(db, tmp_path):
    run(write(tmp_path, experience(), experience(external_id="E-2", title="Anden")))
    revisions = Revision.objects.count()
    changed = experience(
        title="Ny titel",
        municipalities=["0580"],
        body=[{"type": "paragraph", "text": "Ny tekst"}],
    )

    out, _ = run(write(tmp_path, changed, experience(external_id="E-2", title="Anden")))

    assert out.strip() == "experience: 0 oprettet, 1 opdateret, 1 uændret"
    page = ExperiencePage.objects.get(external_id="E-1")
    assert page.title == "Ny titel"
    assert page.slug == "videomoeder-med-sygemeldte-paa-aeroe"  # the URL is kept
    assert page.municipality_codes == ["0580"]
    assert [block.value.source for block in page.body] == ["<p>Ny tekst</p>"]
    assert page.live and not page.has_unpublished_changes
    assert Revision.objects.count() == revisions + 1
    assert ExperiencePage.objects.count() == 2


@pytest.mark.parametrize(
    "change",
    [
        {"lead": "Anden manchet"},
        {"published": "2025-03-15"},
        {"kind": "guide"},
        {"author": ""},
        {"topics": ["sygedagpenge"]},
        {"organisations": []},
        {"body": []},
    ],
)
def test_any_field_change_counts_as_updated(db, tmp_path, change):
    run(write(tmp_path, experience()))

    out, _ = run(write(tmp_path, experience(**change)))

    assert out.strip() == "experience: 0 oprettet, 1 opdateret, 0 uændret"


def test_an_unpublished_page_is_published_again(db, tmp_path):
    path = write(tmp_path, experience())
    run(path)
    ExperiencePage.objects.get(external_id="E-1").unpublish()

    out, _ = run(path)

    assert "1 opdateret" in out
    assert ExperiencePage.objects.get(external_id="E-1").live


def test_the_example_file_in_the_docs_imports(db):
    out, err = run(EXAMPLE_FILE)

    assert out.strip() == "experience: 3 oprettet, 0 opdateret, 0 uændret", err
    assert ExperiencePage.objects.live().count() == 3
    assert set(ExperiencePage.objects.values_list("municipalities__code", flat=True)) == {
        "0751",
        "0791",
        "0580",
    }
    out, _ = run(EXAMPLE_FILE)
    assert out.strip() == "experience: 0 oprettet, 0 opdateret, 3 uændret"


# --- errors: all reported, nothing written -------------------------------------------------

VALID = experience(external_id="OK-1", title="En gyldig linje før fejlen")


def _without(field: str) -> dict:
    record = experience(external_id="E-2")
    del record[field]
    return record


ERROR_CASES = {
    "malformed JSON": ('{"type": "experience", "title": ', "Linje 2: ugyldig JSON"),
    "not an object": ("[1, 2]", "Linje 2: linjen skal være et JSON-objekt, ikke en liste"),
    "missing type": (_without("type"), 'Linje 2, felt "type": mangler'),
    "unknown type": (experience(type="story"), 'Linje 2, felt "type": ukendt type "story"'),
    "missing external_id": (_without("external_id"), 'Linje 2, felt "external_id": mangler'),
    "missing title": (_without("title"), 'Linje 2, felt "title": mangler'),
    "missing lead": (_without("lead"), 'Linje 2, felt "lead": mangler'),
    "missing published": (_without("published"), 'Linje 2, felt "published": mangler'),
    "missing kind": (_without("kind"), 'Linje 2, felt "kind": mangler'),
    "empty title": (experience(title="  "), 'Linje 2, felt "title": må ikke være tom'),
    "title is a number": (
        experience(title=42),
        'Linje 2, felt "title": skal være en tekst, ikke et tal',
    ),
    "municipalities not a list": (
        experience(municipalities="0751"),
        'Linje 2, felt "municipalities": skal være en liste af tekster, ikke en tekst',
    ),
    "unknown municipality": (
        experience(municipalities=["0751", "9999"]),
        'Linje 2, felt "municipalities": ukendt kommunekode "9999"',
    ),
    "unknown topic": (
        experience(topics=["fiskeri"]),
        'Linje 2, felt "topics": ukendt arbejdsområde "fiskeri"',
    ),
    "impossible date": (
        experience(published="2025-02-30"),
        'Linje 2, felt "published": ugyldig værdi "2025-02-30"; brug formatet ÅÅÅÅ-MM-DD',
    ),
    "date in Danish order": (
        experience(published="14-03-2025"),
        'Linje 2, felt "published": ugyldig værdi "14-03-2025"',
    ),
    "date without dashes": (
        experience(published="20250314"),
        'Linje 2, felt "published": ugyldig værdi "20250314"',
    ),
    "bad kind": (
        experience(kind="story"),
        'Linje 2, felt "kind": ugyldig værdi "story"; tilladte værdier: article, case',
    ),
    "unknown block type": (
        experience(body=[{"type": "paragraph", "text": "x"}, {"type": "video", "url": "x"}]),
        'Linje 2, felt "body": blok 2 har ukendt type "video"',
    ),
    "block missing a field": (
        experience(body=[{"type": "quote", "text": "x", "role": "y"}]),
        'Linje 2, felt "body": blok 1 ("quote"), felt "name": mangler',
    ),
    "block is not an object": (
        experience(body=["tekst"]),
        'Linje 2, felt "body": element 1 skal være et objekt, ikke en tekst',
    ),
    "unknown field": (experience(municipalites=["0751"]), 'Linje 2, felt "municipalites": ukendt'),
    "duplicate key": (
        '{"type": "experience", "type": "experience"}',
        'Linje 2, felt "type": feltet står mere end én gang',
    ),
    "duplicate external_id": (
        experience(external_id="OK-1"),
        'Linje 2, felt "external_id": "OK-1" er allerede brugt af en experience i linje 1',
    ),
}


@pytest.mark.parametrize("bad_line, expected", ERROR_CASES.values(), ids=ERROR_CASES.keys())
def test_an_invalid_line_is_reported_and_nothing_is_written(db, tmp_path, bad_line, expected):
    before = snapshot()

    message, err = run_failing(write(tmp_path, VALID, bad_line))

    assert expected in err
    assert "Intet er gemt" in message
    assert snapshot() == before
    assert not ExperienceIndexPage.objects.exists()


def test_all_errors_are_reported_with_their_own_line_numbers(db, tmp_path):
    path = write(
        tmp_path,
        experience(municipalities=["9999"]),
        "",  # blank lines are skipped but still counted
        experience(external_id="E-2", kind="story", published="i går"),
        "ikke json",
    )

    message, err = run_failing(path)

    assert err.splitlines() == [
        'Linje 1, felt "municipalities": ukendt kommunekode "9999"',
        'Linje 3, felt "published": ugyldig værdi "i går"; brug formatet ÅÅÅÅ-MM-DD',
        'Linje 3, felt "kind": ugyldig værdi "story"; tilladte værdier: '
        "article, case, portrait, guide",
        "Linje 4: ugyldig JSON (kolonne 1: Expecting value)",
    ]
    assert message.startswith("4 fejl i")


@pytest.mark.parametrize(
    "content, expected",
    [
        (None, "findes ikke"),
        (b'{"type": "experience", "title": "K\xf8ge"}\n', "ikke gyldig UTF-8 (linje 1)"),
    ],
)
def test_an_unreadable_file_is_a_clear_error(db, tmp_path, content, expected):
    path = tmp_path / "import.jsonl"
    if content is not None:
        path.write_bytes(content)

    message, _ = run_failing(path)

    assert expected in message
    assert not ExperiencePage.objects.exists()


def test_a_directory_is_not_a_file(db, tmp_path):
    message, _ = run_failing(tmp_path)

    assert "er ikke en fil" in message


def test_a_byte_order_mark_is_accepted(db, tmp_path):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(experience()).encode() + b"\r\n")

    out, _ = run(path)

    assert "1 oprettet" in out


# --- dry run and rollback -----------------------------------------------------------------


def test_dry_run_checks_the_file_and_writes_nothing(db, tmp_path):
    before = snapshot()

    out, _ = run(write(tmp_path, experience(), experience(external_id="E-2")), "--dry-run")

    assert out.splitlines() == [
        "experience: 2 linjer er gyldige",
        "Tørkørsel: 2 linjer er gyldige; intet er gemt.",
    ]
    assert snapshot() == before


def test_dry_run_still_reports_errors(db, tmp_path):
    _, err = run_failing(write(tmp_path, experience(kind="story")), "--dry-run")

    assert 'Linje 1, felt "kind"' in err


def test_a_failure_while_applying_rolls_back_the_earlier_lines(db, tmp_path, monkeypatch):
    before = snapshot()
    original_apply = experience_importing.ExperienceHandler.apply
    calls = []

    def apply_then_fail(self, record, ctx):
        calls.append(record["external_id"])
        if len(calls) == 2:
            raise RuntimeError("disken er fuld")
        return original_apply(self, record, ctx)

    monkeypatch.setattr(experience_importing.ExperienceHandler, "apply", apply_then_fail)

    message, _ = run_failing(write(tmp_path, experience(), experience(external_id="E-2")))

    assert calls == ["E-1", "E-2"]
    assert "Linje 2 (experience) kunne ikke gemmes: disken er fuld" in message
    assert "rullet tilbage" in message
    assert snapshot() == before
    assert not ExperienceIndexPage.objects.exists()


def test_a_large_file_shows_progress_and_a_summary(db, tmp_path):
    records = [experience(external_id=f"E-{n}", title=f"Erfaring {n}", body=[]) for n in range(305)]

    out, err = run(write(tmp_path, *records))

    assert out.strip() == "experience: 305 oprettet, 0 opdateret, 0 uændret"
    assert ExperiencePage.objects.count() == 305
    assert "Kontrollerer" in err and "Importerer" in err and "/305" in err


def test_a_small_file_shows_no_progress_bar(db, tmp_path):
    _, err = run(write(tmp_path, experience()))

    assert err == ""


# --- references between types (the mechanism projects build on) --------------------------


class _ReferringHandler:
    """A stand-in for a later type (an event referencing a project) that refers to an
    experience by external id."""

    def validate(self, record, line_no, ctx):
        check = importing.RecordCheck(record, line_no, ctx)
        check.allowed_fields(["experience"])
        check.reference("experience", "experience")
        return check.errors

    def apply(self, record, ctx):
        ExperiencePage.objects.get(external_id=record["experience"])
        return "unchanged"

    def exists(self, external_id):
        return False


@pytest.fixture
def referring_type():
    importing.registry.register("reference", _ReferringHandler())
    yield
    importing.registry.unregister("reference")


def test_a_line_may_reference_an_earlier_line_or_the_database(db, tmp_path, referring_type):
    run(write(tmp_path, experience(external_id="IN-DB")))
    path = write(
        tmp_path,
        experience(external_id="E-2", title="Anden"),
        {"type": "reference", "external_id": "R-1", "experience": "E-2"},
        {"type": "reference", "external_id": "R-2", "experience": "IN-DB"},
    )

    out, _ = run(path)

    assert out.splitlines() == [
        "experience: 1 oprettet, 0 opdateret, 0 uændret",
        "reference: 0 oprettet, 0 opdateret, 2 uændret",
    ]


def test_an_unknown_or_later_reference_is_an_error(db, tmp_path, referring_type):
    before = snapshot()
    path = write(
        tmp_path,
        {"type": "reference", "external_id": "R-1", "experience": "E-LATER"},
        experience(external_id="E-LATER"),
        {"type": "reference", "external_id": "R-2", "experience": "NOWHERE"},
    )

    _, err = run_failing(path)

    assert err.splitlines() == [
        'Linje 1, felt "experience": ukendt experience "E-LATER"; den skal stå tidligere '
        "i filen eller findes i forvejen",
        'Linje 3, felt "experience": ukendt experience "NOWHERE"; den skal stå tidligere '
        "i filen eller findes i forvejen",
    ]
    assert snapshot() == before


def test_the_same_external_id_may_be_used_by_different_types(db, tmp_path, referring_type):
    path = write(
        tmp_path,
        experience(external_id="X"),
        {"type": "reference", "external_id": "X", "experience": "X"},
    )

    out, _ = run(path)

    assert "reference: 0 oprettet, 0 opdateret, 1 uændret" in out


# --- shared helpers -----------------------------------------------------------------------


def test_register_is_idempotent():
    experience_importing.register()
    experience_importing.register()

    assert isinstance(importing.registry.get("experience"), experience_importing.ExperienceHandler)
    assert importing.registry.type_names().count("experience") == 1


def test_user_for_email_creates_an_inactive_member_who_cannot_log_in(db):
    existing = User.objects.create_user(email="kendt@kommune.example", password="x")

    assert importing.user_for_email(" KENDT@kommune.example ") == existing
    new = importing.user_for_email("Ny@Kommune.example")

    assert new.email == "ny@kommune.example"
    assert not new.is_active
    assert not new.has_usable_password()
    assert User.objects.count() == 2


def test_record_check_parses_dates_times_and_e_mails(db):
    ctx = importing.ImportContext()
    record = {
        "starts_at": "2026-03-05T09:30:00+01:00",
        "naive": "2026-03-05T09:30:00",
        "time": "09:30",
        "bad_time": "9.30",
        "email": "Anne@Kommune.example",
        "bad_email": "anne(at)kommune",
    }
    check = importing.RecordCheck(record, 7, ctx)

    assert check.datetime("starts_at").utcoffset().total_seconds() == 3600
    assert check.datetime("naive") is None
    assert check.time("time").hour == 9
    assert check.time("bad_time") is None
    assert check.email("email") == "anne@kommune.example"
    assert check.email("bad_email") is None
    assert [(e.line_no, e.field) for e in check.errors] == [
        (7, "naive"),
        (7, "bad_time"),
        (7, "bad_email"),
    ]


class _RaisingHandler(_ReferringHandler):
    def validate(self, record, line_no, ctx):
        raise importing.RecordInvalid(importing.RecordError(line_no, "passer ikke", "felt"))


def test_a_handler_may_raise_its_errors(db, tmp_path):
    importing.registry.register("raising", _RaisingHandler())
    try:
        _, err = run_failing(write(tmp_path, {"type": "raising", "external_id": "R"}))
    finally:
        importing.registry.unregister("raising")

    assert err.strip() == 'Linje 1, felt "felt": passer ikke'
