"""The index follows the content: publishing, editing, drafts, unpublishing, deleting,
restrictions, dependents, attachments, and the maintenance commands."""

import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from wagtail.models import PageViewRestriction

from experiences.factories import create_experience
from network.models import SiteDocument
from search import attachments, backends, registry, service
from search.models import SearchEntry, SearchTerm

pytestmark = pytest.mark.django_db


def found(q: str, user=None) -> list[str]:
    params = service.SearchParams(q=q)
    outcome = service.run(user or AnonymousUser(), params, log=False)
    return [hit.title for hit in outcome.result.hits]


def test_publish_edit_draft_unpublish_delete():
    page = create_experience("Gåture med unge", lead="Samtaler på en gåtur i skoven.")
    assert found("gåture") == ["Gåture med unge"]

    page.lead = "Samtaler ved havnefronten i stedet."
    page.save_revision().publish()
    assert found("havnefronten") == ["Gåture med unge"]
    assert found("skoven") == []

    page.lead = "Et hemmeligt udkast om kajakroning."
    page.save_revision()  # a draft: the live page is unchanged
    assert found("kajakroning") == []
    assert found("havnefronten") == ["Gåture med unge"]

    page.unpublish()
    assert found("havnefronten") == []
    assert not SearchEntry.objects.filter(type="experience", object_id=str(page.pk)).exists()

    page.refresh_from_db()
    page.save_revision().publish()
    assert found("kajakroning") == ["Gåture med unge"]
    page.delete()
    assert found("kajakroning") == []
    assert not SearchTerm.objects.filter(word="kajakroning").exists()


def test_tags_follow_the_page():
    page = create_experience("Sprogpraktik", municipalities=["0851"], topics=["integration"])
    entry = SearchEntry.objects.get(type="experience", object_id=str(page.pk))
    assert entry.municipalities == ["0851"] and entry.topics == ["integration"]


def test_a_login_restriction_makes_a_page_members_only(member):
    page = create_experience("Intern erfaring", lead="Kun for medlemmer: lønforhandling.")
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    assert found("lønforhandling") == []
    assert found("lønforhandling", member) == ["Intern erfaring"]
    PageViewRestriction.objects.filter(page=page).delete()
    assert found("lønforhandling") == ["Intern erfaring"]


def test_a_password_restriction_keeps_a_page_out(member):
    page = create_experience("Hemmelig", lead="Beskyttet af kodeord: morgenmøde.")
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert found("morgenmøde", member) == []


def test_dependents_are_reindexed_with_their_parent(notes, participant):
    child = notes.add("Temadag om chatbots", access=registry.project_token(7))
    parent = notes.add("Projekt om chatbots", access=registry.project_token(7), children=[child])
    assert found("temadag", participant) == ["Temadag om chatbots"]
    # The project opens up: its events follow without being touched themselves.
    parent.access = child.access = registry.PUBLIC
    registry.schedule_reindex(parent)
    assert found("temadag") == ["Temadag om chatbots"]


def test_not_indexable_is_removed(notes):
    note = notes.add("Kladde om robotter")
    assert found("robotter") == ["Kladde om robotter"]
    note.indexable = False
    registry.schedule_reindex(note)
    assert found("robotter") == []
    notes.delete(notes.add("Slettet om robotter"))
    assert found("robotter") == []


def _pdf(text: str) -> bytes:
    """A minimal one-page PDF with `text` in Helvetica (no PDF library needed)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = io.BytesIO(), []
    out.write(b"%PDF-1.4\n")
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _docx(text: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    table = document.add_table(rows=1, cols=1)
    table.rows[0].cells[0].text = "Tabelcelle med budgetposter"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_extract_text_from_pdf_docx_and_bad_files(caplog):
    assert "Referat fra temadagen" in attachments.extract_text(
        _pdf("Referat fra temadagen"), "a.pdf"
    )
    text = attachments.extract_text(_docx("Dagsorden for webinaret"), "a.docx")
    assert "Dagsorden for webinaret" in text and "budgetposter" in text
    assert attachments.extract_text(b"not a pdf at all", "broken.pdf") == ""
    assert attachments.extract_text(b"PK\x03\x04 broken", "broken.docx") == ""
    assert "broken.docx" in caplog.text
    assert attachments.extract_text(b"billede", "foto.png") == ""


def test_attachment_text_is_indexed_under_the_article():
    document = SiteDocument.objects.create(
        title="Dagsorden",
        file=SimpleUploadedFile("dagsorden.docx", _docx("Punkt om kvartalsopfølgning")),
    )
    page = create_experience("Med bilag", lead="Se dagsordenen.")
    page.body.append(("document", {"document": document, "title": "Hent dagsordenen"}))
    page.save_revision().publish()
    assert found("kvartalsopfølgning") == ["Med bilag"]


def test_rebuild_and_status_commands(notes):
    create_experience("Fleksjob i små virksomheder")
    notes.add("En note")
    SearchEntry.objects.all().delete()
    out, err = io.StringIO(), io.StringIO()
    call_command("search_index", "rebuild", stdout=out, stderr=err)
    assert "Indekserede 2 dokumenter." in out.getvalue()
    assert "Indekserer" in err.getvalue()  # the tqdm progress bar
    assert found("fleksjob") == ["Fleksjob i små virksomheder"]
    out = io.StringIO()
    call_command("search_index", "status", stdout=out)
    status = out.getvalue()
    assert "Erfaring" in status and "Note" in status
    assert "ikke sat op" in status and "database" in status
    assert backends.reader().name == "database"


@pytest.mark.django_db(transaction=True)
def test_content_indexed_after_a_flush_is_found(notes, migrated_data):
    """`manage.py flush` empties the entries but not the full-text table, which is not
    a Django model; the ids come round again on SQLite. Nothing old may block or
    answer for the new content."""
    from search.query import SearchRequest, parse

    notes.add("Gåture med ledige i Aarhus", body="gåture")
    call_command("flush", interactive=False, verbosity=0)
    backends.reset()
    notes.store.clear()
    notes.add("Mentorordning i Odense", body="mentorordning")
    backend = backends.database_backend()
    access = frozenset({"public"})
    found = backend.search(SearchRequest(query=parse("mentorordning"), access=access))
    assert [hit.title for hit in found.hits] == ["Mentorordning i Odense"]
    assert backend.search(SearchRequest(query=parse("gåture"), access=access)).total == 0


@pytest.fixture
def database_tasks(settings):
    """The database task backend, as with a worker (django-tasks resets on the change)."""
    settings.TASKS = {"default": {"BACKEND": "config.worker.backend.DatabaseBackend"}}


def _queued():
    from django_tasks_db.models import DBTaskResult

    return sorted(
        (row.task_path.rsplit(".", 1)[-1], tuple(row.args_kwargs["args"]))
        for row in DBTaskResult.objects.filter(status="READY")
    )


def test_one_publish_queues_one_reindex_per_document(database_tasks):
    """An editor's publish saves the page and sends page_published; with a worker that
    is one task of each kind for the page (ours, Wagtail's search index, its reference
    index), not one per save."""
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    page = create_experience("Gåture med unge", lead="Samtaler på en gåtur.", live=False)
    DBTaskResult.objects.all().delete()
    page.title = "Gåture med unge i parken"
    with transaction.atomic():
        page.save_revision().publish()
    queued = _queued()
    assert queued.count(("reindex_task", ("experience", str(page.pk)))) == 1
    assert len(queued) == len(set(queued))


def test_a_publish_without_a_worker_reindexes_the_page_once(monkeypatch):
    """In-process tasks run at once: the publish's save reindexes the page, and its
    page_published signal for the same page does not do it a second time. So does
    unpublishing."""
    from search import indexing

    page = create_experience("Gåture med unge", lead="Samtaler på en gåtur.", live=False)
    calls = []
    real = indexing.reindex
    monkeypatch.setattr(
        indexing, "reindex", lambda *ref: calls.append(ref) or real(*ref), raising=True
    )
    page.title = "Gåture med unge i parken"
    page.save_revision().publish()
    assert calls == [("experience", str(page.pk))]
    assert found("parken") == ["Gåture med unge i parken"]
    calls.clear()
    page.refresh_from_db()
    page.unpublish()
    assert calls == [("experience", str(page.pk))]
    assert found("parken") == []


def test_creating_an_article_indexes_it_once_without_tasks(database_tasks):
    """Creating an article saves its page, relations, revision and publication; it is
    indexed once, at the end, in the same transaction: findable at once, nothing
    queued for a worker to do again."""
    from django.db import transaction

    with transaction.atomic():
        create_experience("Gåture med unge", lead="Samtaler på en gåtur.")
    assert not [task for task in _queued() if task[0] == "reindex_task"]
    assert found("gåture") == ["Gåture med unge"]


def test_reindex_remove_reindex_in_one_transaction_ends_with_the_reindex(database_tasks):
    from django.db import transaction

    from search.tasks import reindex_task, remove_task

    with transaction.atomic():
        reindex_task.enqueue("experience", "1")
        reindex_task.enqueue("experience", "1")
        remove_task.enqueue("experience", "1")
        reindex_task.enqueue("experience", "1")
        try:
            with transaction.atomic():
                remove_task.enqueue("experience", "2")
                raise RuntimeError
        except RuntimeError:
            pass
        # The rolled-back remove is gone with its savepoint; a new one is queued.
        remove_task.enqueue("experience", "2")
    from django_tasks_db.models import DBTaskResult

    order = [
        (row.task_path.rsplit(".", 1)[-1], row.args_kwargs["args"][1])
        for row in DBTaskResult.objects.order_by("enqueued_at", "id")
    ]
    assert order == [
        ("reindex_task", "1"),
        ("remove_task", "1"),
        ("reindex_task", "1"),
        ("remove_task", "2"),
    ]
