"""What members write (kept as typed, shown as text) and what they upload (validate_upload)."""

import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given, settings
from hypothesis import strategies as st

from projects.factories import create_project
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
        # What looks like markup is text the member meant, and is kept.
        ("Skabelonen hed <Navn> og <Dato>.", "Skabelonen hed <Navn> og <Dato>."),
        ("Vi skrev a<b og c>d.", "Vi skrev a<b og c>d."),
        ('Se <a href="x">her</a> <b>fed</b>', 'Se <a href="x">her</a> <b>fed</b>'),
        ("&lt;script&gt; og &#60;", "&lt;script&gt; og &#60;"),
        ("a < b og c > d, Tom & Jerry", "a < b og c > d, Tom & Jerry"),
        ("Blåbærgrød på Ærø", "Blåbærgrød på Ærø"),
        ("linje 1\r\nlinje 2\rlinje 3\n", "linje 1\nlinje 2\nlinje 3"),
        ("  luft omkring  ", "luft omkring"),
        # Bidi overrides and isolates go: "(\u202eVejle)" would read "(eljeV)".
        ("Titel\u202e (Vejle)", "Titel (Vejle)"),
        ("a\u2066b\u2069c\u202ad\u202ce", "abcde"),
        ("hebraisk \u200fmærke", "hebraisk \u200fmærke"),
        ("", ""),
    ],
)
def test_clean_text(typed, stored):
    assert clean_text(typed) == stored
    assert clean_text(stored) == stored


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_clean_text_only_normalises(typed):
    cleaned = clean_text(typed)
    assert clean_text(cleaned) == cleaned
    expected = typed.replace("\r\n", "\n").replace("\r", "\n")
    for control in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
        expected = expected.replace(control, "")
    assert cleaned == expected.strip()


# -- end to end: what members write is kept, and escaped wherever it is shown -----


# Markup a member may type, meaning it or not. Stored as typed; never markup on a page.
MARKUP = "<Navn> <script>alert(1)</script><img src=x onerror=alert(2)>"
RAW = ("<script>alert", "<img src=x", "<Navn>")
ESCAPED = "&lt;Navn&gt; &lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"


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


def _body(response) -> str:
    assert response.status_code == 200
    return response.content.decode().split("</head>")[-1]


@pytest.mark.django_db(transaction=True)
def test_markup_members_type_is_kept_and_shown_as_text(client, people, project):
    from django.core import mail

    participant, other = people["participant"], people["other_participant"]
    client.force_login(participant)
    fields = dict.fromkeys(("purpose", "actions", "results", "learnings", "next_steps"), MARKUP)
    response = client.post(
        project.url + "proevehandlinger/ny/",
        _log_form(title=f"Test {MARKUP}", notify_on_comments="on", **fields),
    )
    assert response.status_code == 302
    log = TrialAction.objects.get()
    assert log.title == f"Test {MARKUP}" and log.purpose == MARKUP and log.learnings == MARKUP
    client.post(log.get_absolute_url() + "opdatering/", {"text": MARKUP})
    assert log.updates.get().text == MARKUP
    client.post("/varsler/foelg/", {"kind": "trial_action", "key": str(log.pk)})

    client.force_login(other)
    mail.outbox.clear()
    client.post(log.get_absolute_url() + "kommentar/", {"text": f"Kommentar {MARKUP}"})
    assert log.comments.get().text == f"Kommentar {MARKUP}"
    assert any(MARKUP in m.body for m in mail.outbox)  # plain-text mail: as typed

    pages = {
        participant: [
            log.get_absolute_url(),
            project.url,
            "/varsler/",
            "/varsler/foelger/",
            "/overblik/",
            "/soeg/?q=Navn",
        ],
        people["coordinator"]: [log.get_absolute_url(), project.url + "overblik/"],
    }
    for user, urls in pages.items():
        client.force_login(user)
        for url in urls:
            body = _body(client.get(url))
            for raw in RAW:
                assert raw not in body, (user, url, raw)
    body = _body(client.get(log.get_absolute_url()))
    assert body.count(ESCAPED) >= 7  # five fields, the update and the comment
    edit = _body(client.get(log.get_absolute_url() + "rediger/"))
    assert ESCAPED in edit  # the edit form gives the text back as typed


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


def _zip_with(entries: dict, content_types='<?xml version="1.0"?><Types/>'):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("word/document.xml", '<?xml version="1.0"?><x/>')
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


MACRO_TYPES = (
    '<?xml version="1.0"?><Types><Override PartName="/word/document.xml" ContentType='
    '"application/vnd.ms-word.document.macroEnabled.main+xml"/></Types>'
)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (_zip_with({}, MACRO_TYPES), "Filen indeholder makroer"),
        (_zip_with({"word/vbaProject.bin": b"\x00" * 64}), "Filen indeholder makroer"),
        (_zip_with({"word/media/payload.exe": b"MZ"}), "ikke hører til et Office-dokument"),
        (_zip_with({"word/run.ps1": b"Get-Item"}), "ikke hører til et Office-dokument"),
        (_zip_with({"../../evil.txt": b"x"}), "ikke hører til et Office-dokument"),
        (_zip_with({"/etc/evil.xml": b"x"}), "ikke hører til et Office-dokument"),
        (_zip_with({"C:/evil.xml": b"x"}), "ikke hører til et Office-dokument"),
        # Found by the outside re-check: a program under an image's name, a zip inside.
        (_zip_with({"word/media/image1.png": b"MZ\x90\x00" + b"\x00" * 60}), "et program"),
        (_zip_with({"word/embeddings/package.zip": b"PK\x03\x04"}), "et program"),
    ],
)
def test_office_documents_with_macros_programs_or_paths_out_are_rejected(content, message):
    """Found by an outside attacker: a .docx holding a macro, a program or a path out of
    the archive passed, since only the zip's outline was checked."""
    assert message in _rejected("rapport.docx", content)


def test_an_office_document_that_unpacks_to_too_much_is_rejected(monkeypatch):
    """A zip bomb named .docx (1 MB that unpacks to 1 GB) was stored and offered."""
    from network import uploads

    monkeypatch.setattr(uploads, "MAX_UNPACKED_BYTES", 1_000_000)
    bomb = _zip_with({"word/media/image1.png": b"\x00" * 2_000_000})
    assert len(bomb) < 20_000
    assert "fylder for meget, når den pakkes ud" in _rejected("rapport.docx", bomb)
    # A real document with pictures and embedded parts is still welcome.
    fine = _zip_with(
        {
            "word/media/image1.png": PNG,
            "word/embeddings/Microsoft_Excel_Worksheet.xlsx": XLSX,
            "word/_rels/document.xml.rels": "<Relationships/>",
            "docProps/core.xml": "<x/>",
        }
    )
    assert validate_upload(SimpleUploadedFile("rapport.docx", fine)).detected_type.endswith(
        "wordprocessingml.document"
    )


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


@pytest.mark.django_db
def test_a_file_comes_with_a_timeline_update(client, people):
    """A participant posts "the new SMS template is attached" with the file, on the log's
    page: before, a file could only be added through *Redigér*."""
    from projects.factories import create_log

    project = create_project(
        visibility="participants", participants=[people["participant"], people["other_participant"]]
    )
    log = create_log(project, people["participant"], visibility="participants")
    url = log.get_absolute_url() + "opdatering/"
    client.force_login(people["participant"])

    # Neither text nor file: asked for one of them.
    body = client.post(url, {"text": "   "}).content.decode()
    assert "Skriv en opdatering, eller vedhæft en fil." in body
    # The forms post to their own section, so the answer opens where the error is, not
    # at the top of a long page (an outside walk found it below the fold), with or
    # without JavaScript.
    assert f'action="{url}#tidslinje"' in body
    assert f'action="{log.get_absolute_url()}kommentar/#kommentarer"' in body
    # That address, opened or bookmarked after such an answer, leads to the log's section
    # (it answered an empty 405, which the browser showed in English).
    assert client.get(url)["Location"] == log.get_absolute_url() + "#tidslinje"
    comment_url = log.get_absolute_url() + "kommentar/"
    assert client.get(comment_url)["Location"] == log.get_absolute_url() + "#kommentarer"
    client.logout()
    assert client.get(url).status_code == 404  # a participants-only log: still not found
    client.force_login(people["participant"])
    # A text with errors: the file cannot be handed back, and the page says so.
    plan = SimpleUploadedFile("sms-skabelon-æøå.pdf", PDF)
    body = client.post(url, {"text": "x" * 5001, "attachment": plan}).content.decode()
    assert "Denne værdi må højst have 5000 tegn" in body
    assert "Din fil »sms-skabelon-æøå.pdf« er ikke gemt endnu" in body
    # A file that is not allowed: refused in Danish, the text stays, nothing is saved.
    exe = SimpleUploadedFile("skabelon.pdf", b"MZ\x90\x00" + b"\x00" * 60)
    body = client.post(url, {"text": "Uge 3", "attachment": exe}).content.decode()
    assert "Filtypen er ikke tilladt" in body and ">\nUge 3</textarea>" in body
    assert not log.updates.exists() and not log.attachments.exists()
    # The focus comes back on the file to change, not at the top of the page.
    [focused] = re.findall(r"<(?:input|textarea|select)[^>]*\bautofocus\b[^>]*>", body)
    assert 'name="attachment"' in focused

    plan = SimpleUploadedFile("sms-skabelon-æøå.pdf", PDF)
    response = client.post(url, {"text": "Den nye SMS-skabelon er vedhæftet.", "attachment": plan})
    assert response.status_code == 302
    update = log.updates.get()
    attachment = update.attachments.get()
    assert attachment.trial_action == log and attachment.uploaded_by == people["participant"]
    page = client.get(log.get_absolute_url()).content.decode()
    timeline = page.split('id="tidslinje"')[1]
    assert f'href="{attachment.get_absolute_url()}">sms-skabelon-æøå.pdf</a>' in timeline
    assert "Opdateringen og filen »sms-skabelon-æøå.pdf« er tilføjet tidslinjen." in page
    assert client.get(attachment.get_absolute_url()).status_code == 200

    # Others in the project can fetch it; a member outside it cannot.
    client.force_login(people["other_participant"])
    assert client.get(attachment.get_absolute_url()).status_code == 200
    client.force_login(people["member"])
    assert client.get(attachment.get_absolute_url()).status_code in (403, 404)

    # An update without a file still works as before; a file alone is an update too.
    client.force_login(people["participant"])
    assert client.post(url, {"text": "Uge 4"}).status_code == 302
    assert log.updates.count() == 2 and log.attachments.count() == 1
    referat = SimpleUploadedFile("referat.pdf", PDF)
    assert client.post(url, {"text": "", "attachment": referat}).status_code == 302
    only_file = log.updates.order_by("pk").last()
    assert only_file.text == "Tilføjede filen »referat.pdf«."
    assert only_file.attachments.get().name == "referat.pdf"
