"""Importing at archive scale: new pages are created and published in bulk
(network.pages.NewPagesBatch) and indexed once at the end (search.signals.
deferred_indexing). What an import leaves behind must be what Wagtail's own
add_child + save_revision().publish() leaves, and it must stay cheap per article."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page, PageLogEntry, ReferenceIndex

from experiences.models import ExperienceIndexPage, ExperiencePage
from experiences.services import get_index_page
from network.models import Municipality, Organisation, WorkArea
from search.models import SearchEntry

from .test_import import experience, run, run_failing, snapshot, write

pytestmark = pytest.mark.django_db(transaction=False)


def _state(page: ExperiencePage) -> dict:
    """What a reader, an editor and the indexes see of a published page."""
    page = ExperiencePage.objects.get(pk=page.pk)
    revision = page.live_revision
    as_revision = revision.as_object()
    return {
        "live": page.live,
        "has_unpublished_changes": page.has_unpublished_changes,
        "published": bool(page.first_published_at and page.last_published_at),
        "revisions": page.revisions.count(),
        "live_is_latest": page.live_revision_id == page.latest_revision_id,
        "draft_title": page.draft_title == page.title,
        "revision_municipalities": sorted(m.code for m in as_revision.municipalities.all()),
        "revision_topics": sorted(w.slug for w in as_revision.work_areas.all()),
        "log": sorted(PageLogEntry.objects.filter(page=page).values_list("action", flat=True)),
        "references": sorted(
            ReferenceIndex.objects.filter(object_id=str(page.pk)).values_list(
                "to_content_type__model", "model_path"
            )
        ),
        "in_search": SearchEntry.objects.filter(type="experience", object_id=str(page.pk)).exists(),
        "in_admin_search": page.pk
        in [p.pk for p in ExperiencePage.objects.search(page.title.split()[0])],
    }


def test_an_imported_page_is_published_as_the_admin_would_publish_it(db, tmp_path):
    # The same article, once through Wagtail's own calls and once through the import.
    index = get_index_page()
    by_hand = ExperiencePage(
        title="Mentorforløb i Viborg",
        slug="by-hand",
        lead="Færre afbrudte forløb.",
        published_date=datetime.date(2025, 3, 14),
        kind="case",
        author="Redaktionen",
    )
    by_hand.municipalities = list(Municipality.objects.filter(code__in=["0751", "0791"]))
    by_hand.work_areas = list(WorkArea.objects.filter(slug__in=["sygedagpenge"]))
    index.add_child(instance=by_hand)
    by_hand.save_revision(log_action=True).publish()
    PageLogEntry.objects.filter(page=by_hand, action="wagtail.edit").delete()

    run(
        write(
            tmp_path,
            experience(
                title="Mentorforløb i Aarhus",
                topics=["sygedagpenge"],
                organisations=[],
                body=[],
            ),
        )
    )
    imported = ExperiencePage.objects.get(external_id="E-1")

    expected = _state(by_hand)
    assert expected["log"] == ["wagtail.create", "wagtail.publish"]
    assert expected["in_search"] and expected["in_admin_search"]
    assert _state(imported) == expected
    assert imported.get_parent().pk == index.pk
    assert client_status(imported.url) == 200


def client_status(url: str) -> int:
    from django.test import Client

    return Client().get(url).status_code


def test_many_imports_keep_the_page_tree_consistent(db, tmp_path):
    index = get_index_page()
    existing = ExperiencePage(title="Fra før", slug="fra-foer", lead="x", kind="case")
    index.add_child(instance=existing)
    existing.save_revision().publish()

    run(write(tmp_path, *[experience(external_id=f"A-{n}", body=[]) for n in range(12)]))
    run(write(tmp_path, *[experience(external_id=f"B-{n}", body=[]) for n in range(5)]))

    index.refresh_from_db()
    children = index.get_children()
    assert index.numchild == children.count() == 18
    assert len({page.path for page in children}) == 18
    assert len({page.slug for page in children}) == 18
    problems = Page.find_problems()
    assert all(not found for found in problems), problems
    # Every imported page answers at its own address, under the index.
    slugs = {page.slug for page in children}
    assert "videomoeder-med-sygemeldte-paa-aeroe-17" in slugs
    assert all(page.url_path.startswith(index.url_path) for page in children)
    # An editor can still add a page by hand afterwards.
    later = ExperiencePage(title="Senere", slug="senere", lead="x", kind="case")
    index.add_child(instance=later)
    assert later.path > max(page.path for page in children.exclude(pk=later.pk))


def test_an_import_costs_a_bounded_number_of_queries_per_article(db, tmp_path):
    get_index_page()
    records = [
        experience(
            external_id=f"E-{n}",
            title=f"Erfaring {n}",
            organisations=[f"Jobcenter {n % 4}"],
        )
        for n in range(60)
    ]
    path = write(tmp_path, *records)

    with CaptureQueriesContext(connection) as queries:
        run(path)

    assert ExperiencePage.objects.live().count() == 60
    # About 240 queries per article before the bulk path; about 9 with it.
    assert len(queries) / 60 < 15, len(queries)


def test_a_failing_bulk_index_rolls_the_whole_import_back(db, tmp_path, monkeypatch):
    from search import indexing

    get_index_page()
    before = snapshot()

    def broken(*args, **kwargs):
        raise RuntimeError("indekset er låst")

    monkeypatch.setattr(indexing, "reindex_many", broken)
    message, _ = run_failing(write(tmp_path, experience(), experience(external_id="E-2")))

    assert "søgeindekset kunne ikke opdateres: indekset er låst" in message
    assert "rullet tilbage; intet er gemt" in message
    assert snapshot() == before
    assert not Organisation.objects.filter(name="Jobcenter Testby, Sygedagpenge").exists()


def test_outside_an_import_every_save_still_reindexes_at_once(db):
    index = get_index_page()
    page = ExperiencePage(title="Enkeltstående", slug="enkelt", lead="x", kind="case")
    index.add_child(instance=page)
    page.save_revision().publish()

    assert SearchEntry.objects.filter(type="experience", object_id=str(page.pk)).exists()
    assert page.pk in [p.pk for p in ExperiencePage.objects.search("Enkeltstående")]


def test_only_recent_imported_articles_are_announced_to_followers(
    db, tmp_path, django_capture_on_commit_callbacks
):
    from network.factories import UserFactory
    from newsletters.models import Follow, Notification

    reader = UserFactory()
    Follow.objects.create(user=reader, kind="work_area", key="sygedagpenge", label="Sygedagpenge")
    today = timezone.localdate()
    old = (today - datetime.timedelta(days=400)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        run(
            write(
                tmp_path,
                experience(external_id="NEW", title="Ny praksis", published=today.isoformat()),
                experience(external_id="OLD", title="Fra arkivet", published=old),
            )
        )

    titles = list(Notification.objects.filter(user=reader).values_list("title", flat=True))
    assert len(titles) == 1 and "Ny praksis" in titles[0]
    assert ExperienceIndexPage.objects.count() == 1


def test_an_import_logs_one_summary_line_per_type_not_a_line_per_page(db, tmp_path, caplog):
    import logging

    get_index_page()
    records = [experience(external_id=f"E-{n}", title=f"Erfaring {n}") for n in range(8)]
    caplog.clear()
    with caplog.at_level(logging.INFO):
        run(write(tmp_path, *records, name="arkiv.jsonl"))

    lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.INFO]
    assert lines == ['Import af "arkiv.jsonl": experience: 8 oprettet, 0 opdateret, 0 uændret']
    # Wagtail's own logging is back afterwards.
    assert logging.getLogger("wagtail").getEffectiveLevel() <= logging.INFO


@pytest.mark.parametrize("newline", ["\r", "\r\n", "\n"])
def test_old_mac_windows_and_unix_line_endings_all_import(db, tmp_path, newline):
    import json

    path = tmp_path / "linjer.jsonl"
    lines = [json.dumps(experience(external_id=f"E-{n}", title=f"Linje {n}")) for n in (1, 2)]
    path.write_bytes(newline.join(lines).encode() + newline.encode())

    out, _ = run(path)

    assert out.strip() == "experience: 2 oprettet, 0 opdateret, 0 uændret"


def test_a_bare_cr_file_reports_errors_on_the_lines_an_editor_shows(db, tmp_path):
    import json

    path = tmp_path / "fejl.jsonl"
    good = json.dumps(experience())
    bad = json.dumps(experience(external_id="E-2", kind="story"))
    path.write_bytes(f"{good}\r\r{bad}\r".encode())

    _, err = run_failing(path)

    assert 'Linje 3, felt "kind": ugyldig værdi "story"' in err
