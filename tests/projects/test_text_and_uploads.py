"""What members write (clean_text) and what they upload (validate_upload)."""

import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given, settings
from hypothesis import strategies as st

from projects.factories import create_log, create_project
from projects.forms import validate_upload
from projects.models import TrialAction
from projects.text import clean_text

# What a browser reads as the start of a tag, an end tag, a comment or a "<?".
TAG_LIKE = re.compile(r"<[A-Za-z/!?]")
OOXML = "application/vnd.openxmlformats-officedocument"

# -- clean_text ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ('Se <a href="x">her</a> <b>fed</b>', "Se her fed"),
        ("<script>alert(1)</script>Forsøg", "Forsøg"),
        ("<<b>script>alert(1)</script>", ""),
        ("<<b>img src=x onerror=alert(1)>", ""),
        ("<noscript><b>x</b></noscript>", "x"),
        ("før<!-- skjult -->efter", "førefter"),
        ("2 </", "2 /"),
        # Entities typed as text are stored as typed, never decoded into markup.
        ("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("&#60;script&#62;", "&#60;script&#62;"),
        ("&amp;lt;b&amp;gt;", "&amp;lt;b&amp;gt;"),
        ("&nbsp;og&copy;", "&nbsp;og&copy;"),
        # Plain text survives.
        ("a < b og c > d", "a < b og c > d"),
        ("2 < 3", "2 < 3"),
        ("Tom & Jerry", "Tom & Jerry"),
        ('"citat"', '"citat"'),
        ("'x'", "'x'"),
        ("Blåbærgrød på Ærø", "Blåbærgrød på Ærø"),
        ("linje 1\r\nlinje 2\rlinje 3\n", "linje 1\nlinje 2\nlinje 3"),
        ("  luft omkring  ", "luft omkring"),
        ("", ""),
    ],
)
def test_clean_text(typed, stored):
    assert clean_text(typed) == stored
    assert clean_text(stored) == stored


def test_clean_text_deep_nesting_still_has_no_tag():
    typed = "<" * 40 + "b>" * 40 + "script>alert(1)</script>"
    cleaned = clean_text(typed)
    assert not TAG_LIKE.search(cleaned)
    assert clean_text(cleaned) == cleaned


# Few fragments, so that Hypothesis often combines them into "&lt;script",
# "<<b>a href=", "&#60;/", "<!--" and the like.
FRAGMENTS = ["<", ">", "&", "lt;", "#60;", "script", "a href=", "b", "/", "!--", " ", "\n", '"']
fragment_text = st.lists(st.sampled_from(FRAGMENTS), min_size=3, max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.text(), fragment_text)
def test_clean_text_is_idempotent_and_leaves_no_tag(arbitrary, fragments):
    for typed in (fragments, arbitrary, arbitrary + fragments):
        cleaned = clean_text(typed)
        assert clean_text(cleaned) == cleaned
        assert not TAG_LIKE.search(cleaned)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([f for f in FRAGMENTS if f != "<"] + ["\r\n", "æø"]), max_size=40))
def test_text_without_a_less_than_sign_is_stored_as_typed(fragments):
    typed = "".join(fragments)
    assert clean_text(typed) == typed.replace("\r\n", "\n").strip()


# -- end to end: comments and logs ------------------------------------------------


@pytest.fixture
def project(people):
    return create_project(
        "Fælles projekt",
        visibility="members",
        coordinators=[people["coordinator"]],
        participants=[people["participant"], people["other_participant"]],
    )


TYPED = '&lt;script&gt;\nSe <a href="https://x">her</a> <b>fed</b>'
STORED = "&lt;script&gt;\nSe her fed"


@pytest.mark.django_db
def test_comment_is_stored_as_plain_text(client, people, project):
    log = create_log(project, people["participant"], visibility="network")
    client.force_login(people["participant"])
    response = client.post(project.url + f"proevehandlinger/{log.pk}/kommentar/", {"text": TYPED})
    assert response.status_code == 302
    assert log.comments.get().text == STORED
    page = client.get(log.get_absolute_url()).content.decode()
    assert "&amp;lt;script&amp;gt;" in page and "<script>" not in page.split("</head>")[-1]


def _log_form(**overrides):
    from network.models import Municipality

    data = {
        "title": "Walk and talk",
        "municipality": Municipality.objects.get(code="0751").pk,
        "purpose": "Vi prøver noget nyt.",
        "target_group": "",
        "actions": "",
        "results": "",
        "learnings": "",
        "next_steps": "",
        "status": "planned",
        "started": "2026-11-01",
        "event": "",
        "visibility": "participants",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_log_fields_are_stored_as_plain_text(client, people, project):
    client.force_login(people["participant"])
    response = client.post(
        project.url + "proevehandlinger/ny/", _log_form(title="<<b>b>Test", purpose=TYPED)
    )
    assert response.status_code == 302
    log = TrialAction.objects.get()
    assert log.purpose == STORED
    assert log.title == "Test"


# -- uploads -------------------------------------------------------------------

PDF = b"%PDF-1.4\n%plan\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 20
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20


def _zip(*parts, content_types=True):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if content_types:
            archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
            archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        for part in parts:
            archive.writestr(part, '<?xml version="1.0"?><x/>')
    return buffer.getvalue()


DOCX = _zip("word/document.xml")
XLSX = _zip("xl/workbook.xml", "xl/worksheets/sheet1.xml")
PPTX = _zip("ppt/presentation.xml", "ppt/slides/slide1.xml")


def _rejected(name, content):
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile(name, content))
    return " ".join(error.value.messages)


@pytest.mark.parametrize(
    ("name", "content", "detected"),
    [
        ("plan.pdf", PDF, "application/pdf"),
        ("PLAN.PDF", PDF, "application/pdf"),
        ("foto.png", PNG, "image/png"),
        ("foto.jpg", JPEG, "image/jpeg"),
        ("foto.JPEG", JPEG, "image/jpeg"),
        ("Rapport æøå.docx", DOCX, f"{OOXML}.wordprocessingml.document"),
        ("budget.xlsx", XLSX, f"{OOXML}.spreadsheetml.sheet"),
        ("slides.pptx", PPTX, f"{OOXML}.presentationml.presentation"),
    ],
)
def test_allowed_uploads_are_accepted(name, content, detected):
    upload = validate_upload(SimpleUploadedFile(name, content))
    assert upload.detected_type == detected
    assert upload.read() == content  # left at the start for saving


@pytest.mark.parametrize(
    "name",
    [
        "rapport\u202egpj.exe",  # shown as "rapportexe.jpg"
        "plan\u202e.jpg",
        "plan\u2066.jpg",
        "plan\u200f.jpg",
        "plan\u061c.jpg",
        "plan\u200b.jpg",  # zero-width space
        "plan\t.jpg",
        "plan\x00.jpg",
    ],
)
def test_names_with_control_characters_are_rejected(name):
    assert "usynlige styretegn" in _rejected(name, JPEG)


def test_blank_name_is_rejected():
    assert "mangler et navn" in _rejected("   ", PDF)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("rapport.docx", b"PK\x03\x04" + b"junk" * 50),  # a bare zip header
        ("rapport.docx", _zip("notes.txt")),  # a zip, but not a document
        ("rapport.docx", _zip("notes.txt", content_types=False)),
        ("rapport.docx", _zip("word/document.xml", content_types=False)),
        ("rapport.docx", XLSX),  # a workbook named as a Word document
        ("budget.xlsx", DOCX),
        ("slides.pptx", DOCX),
        ("rapport.docx", DOCX[: len(DOCX) // 2]),  # cut short
    ],
)
def test_fake_office_documents_are_rejected(name, content):
    assert "ikke et gyldigt Word-, Excel- eller PowerPoint-dokument" in _rejected(name, content)


@pytest.mark.parametrize(
    ("name", "content", "hint"),
    [
        ("foto.exe", PNG, ".png"),
        ("foto.exe", JPEG, ".jpg eller .jpeg"),
        ("plan.exe", PDF, ".pdf"),
        ("plan", PDF, ".pdf"),
        ("foto.pdf", JPEG, ".jpg"),
        ("plan.png", PDF, ".pdf"),
    ],
)
def test_suffix_must_match_content(name, content, hint):
    message = _rejected(name, content)
    assert "Filnavnet passer ikke til indholdet" in message and hint in message


def test_zip_with_other_suffix_is_rejected():
    assert "Zip-filer er ikke tilladt" in _rejected("arkiv.zip", DOCX)


@pytest.mark.django_db
def test_upload_through_the_log_form(client, people):
    project = create_project(visibility="participants", participants=[people["participant"]])
    client.force_login(people["participant"])
    # Django's multipart parser already drops non-printable characters from the
    # name, so this arrives as "rapportgpj.exe": the suffix check stops it.
    spoofed = SimpleUploadedFile("rapport\u202egpj.exe", JPEG, "image/jpeg")
    response = client.post(project.url + "proevehandlinger/ny/", _log_form(attachment=spoofed))
    assert response.status_code == 200
    assert "Filnavnet passer ikke til indholdet" in response.content.decode()
    fake = SimpleUploadedFile("rapport.docx", b"PK\x03\x04" + b"junk" * 50)
    response = client.post(project.url + "proevehandlinger/ny/", _log_form(attachment=fake))
    assert response.status_code == 200 and "gyldigt Word-" in response.content.decode()
    assert TrialAction.objects.count() == 0

    docx = SimpleUploadedFile("Rapport.docx", DOCX)
    response = client.post(project.url + "proevehandlinger/ny/", _log_form(attachment=docx))
    assert response.status_code == 302
    attachment = TrialAction.objects.get().attachments.get()
    assert attachment.name == "Rapport.docx"
    assert attachment.content_type == f"{OOXML}.wordprocessingml.document"
