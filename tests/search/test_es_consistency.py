"""Elasticsearch stays consistent with the content through rebuilds and failures.

Scenarios against an in-memory cluster behind the real client (fake_es.py): what an
anonymous visitor can find after a change made during a rebuild, after a failed write,
with a document the cluster keeps refusing, with deep pages, and which errors open
the breaker. The registered "note" type (conftest) is the content; a note's access
is what a change flips.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from search import backends, indexing, registry
from search.models import ElasticsearchState, PendingWrite
from tests.search.fake_es import install

pytestmark = pytest.mark.django_db
ALIAS = "netvaerk"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a change and what follows its commit (the send to Elasticsearch)."""

    def run(change, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return change(*args, **kwargs)

    return run


def hide(notes, note):
    note.access = registry.project_token(7)
    registry.schedule_reindex(note)


def hide_while_down(cluster, committed, notes, note):
    """Hide a note while the cluster is down (its send fails and the row waits), then
    bring the cluster back with the breaker closed."""
    cluster.down = True
    committed(hide, notes, note)
    cluster.down = False
    backends.reset()
    install(backends.elasticsearch_backend(), cluster)


def found(client, q: str) -> tuple[str, list[str]]:
    data = client.get("/api/search/", {"q": q}).json()
    return data["backend"], [r["title"] for r in data["results"]]


def test_a_change_is_sent_after_its_commit_with_a_version(cluster, notes, committed):
    note = committed(notes.add, "Jobrotation i Vejle")
    assert cluster.docs(ALIAS)["note:1"]["title"] == "Jobrotation i Vejle"
    first = cluster.version(ALIAS, "note:1")
    assert first >= int(datetime.datetime(2026, 1, 1).timestamp() * 1_000_000)
    committed(hide, notes, note)
    assert cluster.docs(ALIAS)["note:1"]["access"] == "project:7"
    assert cluster.version(ALIAS, "note:1") > first
    assert not PendingWrite.objects.exists()


def test_nothing_is_sent_before_the_commit(cluster, notes, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notes.add("Endnu ikke gemt")
        # The outbox row is in the same transaction; nothing has gone to the cluster.
        assert PendingWrite.objects.filter(type="note", object_id="1").exists()
        assert cluster.bulk_requests() == 0
    for callback in callbacks:
        callback()
    assert "note:1" in cluster.docs(ALIAS)


@pytest.mark.parametrize("moment", ["before", "after"])
def test_a_change_during_a_rebuild_is_in_the_new_index(cluster, notes, committed, client, moment):
    """The change is made while the rebuild writes its batch into the new index, and
    reaches the new index before or after that batch: either way, after the swap the
    new index holds the change, and the visitor cannot find the hidden note."""
    shown = committed(notes.add, "Virksomhedspraktik med mentor")
    committed(notes.add, "Slettes under genopbygning")
    state = {"done": False}

    def change(cluster_):
        if state["done"] or ElasticsearchState.objects.get(pk=1).rebuild_index == "":
            return
        state["done"] = True
        committed(hide, notes, shown)
        committed(notes.delete, notes.store[2])

    setattr(cluster, f"{moment}_bulk", change)
    indexing.rebuild()
    assert state["done"], "the change did not run during the rebuild"
    (new_index,) = cluster.behind(ALIAS)
    assert new_index != "netvaerk-initial" and "netvaerk-initial" not in cluster.indices
    docs = cluster.docs(ALIAS)
    assert docs["note:1"]["access"] == "project:7"
    assert "note:2" not in docs
    assert not PendingWrite.objects.exists()
    assert ElasticsearchState.objects.get(pk=1).rebuild_index == ""
    assert found(client, "virksomhedspraktik") == ("elasticsearch", [])


def test_a_stale_write_never_wins(cluster, notes, committed):
    """Two senders: the one that loaded older content arrives last and is refused."""
    note = committed(notes.add, "Først offentlig")
    es = backends.elasticsearch_backend()
    from django.db import transaction

    with transaction.atomic():
        old_version, _ = indexing.next_version()
        old_records, _gone, _broken = indexing._load_current([("note", "1")])
    committed(hide, notes, note)
    es.send(old_records, [], version=old_version)  # the slow sender's older content
    assert cluster.docs(ALIAS)["note:1"]["access"] == "project:7"


def test_while_a_write_waits_searches_come_from_the_database(cluster, notes, committed, client):
    note = committed(notes.add, "Sygedagpenge og delvis raskmelding")
    assert found(client, "raskmelding") == ("elasticsearch", ["Sygedagpenge og delvis raskmelding"])
    cluster.down = True
    committed(hide, notes, note)  # the send fails: Elasticsearch still has it public
    assert cluster.docs(ALIAS)["note:1"]["access"] == "public"
    assert PendingWrite.objects.filter(failed_at=None).count() == 1
    assert found(client, "raskmelding") == ("database", [])
    cluster.down = False
    backends.reset()  # the breaker's pause is over: Elasticsearch answers again,
    install(backends.elasticsearch_backend(), cluster)  # still with the public copy
    assert found(client, "raskmelding") == ("database", [])
    # That search asked for the waiting write to be sent.
    assert cluster.docs(ALIAS)["note:1"]["access"] == "project:7"
    assert not PendingWrite.objects.exists()
    assert found(client, "raskmelding") == ("elasticsearch", [])


def test_a_change_queued_during_a_send_stays_queued(cluster, notes, committed):
    note = committed(notes.add, "Første udgave")
    hide_while_down(cluster, committed, notes, note)

    def edit_meanwhile(cluster_):
        cluster.before_bulk = None
        note.title = "Anden udgave"
        registry.schedule_reindex(note)  # its send waits for the commit

    cluster.before_bulk = edit_meanwhile
    indexing.replay_pending()
    assert PendingWrite.objects.filter(type="note", object_id="1").count() == 1
    assert indexing.replay_pending() == 0
    assert cluster.docs(ALIAS)["note:1"]["title"] == "Anden udgave"


def test_a_document_that_always_fails_is_set_aside(cluster, notes, committed, client):
    bad = committed(notes.add, "Bilag med fejl")
    cluster.refuse = {"note:1"}
    committed(hide, notes, bad)  # refused: Elasticsearch still has it public
    row = PendingWrite.objects.get(type="note", object_id="1")
    assert row.attempts == 1 and "mapper_parsing_exception" in row.last_error
    assert row.next_attempt_at > timezone.now()
    assert backends.elasticsearch_available()  # a refused document is not an outage
    # Other writes are not held up behind it.
    committed(notes.add, "Andet indhold")
    assert "note:2" in cluster.docs(ALIAS)
    assert found(client, "bilag") == ("database", [])  # a write waits: the database answers
    for _attempt in range(indexing.MAX_ATTEMPTS):
        PendingWrite.objects.update(next_attempt_at=timezone.now())
        indexing.replay_pending()
    row = PendingWrite.objects.get(type="note", object_id="1")
    assert row.failed_at is not None and row.attempts == indexing.MAX_ATTEMPTS
    # Taken out of Elasticsearch, so its old public copy cannot be found there.
    assert "note:1" not in cluster.docs(ALIAS)
    assert found(client, "bilag") == ("elasticsearch", [])
    out = io.StringIO()
    call_command("search_index", "status", stdout=out)
    assert "Afviste dokumenter (ikke i Elasticsearch): 1" in out.getvalue()
    assert "note:1  5 forsøg" in out.getvalue()
    cluster.refuse = set()
    call_command("search_index", "replay", "--failed", stdout=io.StringIO())
    assert cluster.docs(ALIAS)["note:1"]["access"] == "project:7"
    assert not PendingWrite.objects.exists()


@pytest.mark.parametrize(
    "fault, opens",
    [
        (400, False),
        (401, False),
        (404, False),
        (429, True),
        (500, True),
        (503, True),
        ("down", True),
        ("bug", False),
    ],
)
def test_only_an_outage_opens_the_breaker(
    cluster, notes, committed, client, monkeypatch, fault, opens
):
    committed(notes.add, "Jobmesse i Odense")
    if fault == "down":
        cluster.down = True
    elif fault == "bug":
        from search.backends import es_schema

        def broken(*args, **kwargs):
            raise TypeError("a bug in our own code")

        monkeypatch.setattr(es_schema, "build_search", broken)
    else:
        cluster.fail_next = [fault]
    # The search that meets the error is answered by the database, never a 500.
    assert found(client, "jobmesse") == ("database", ["Jobmesse i Odense"])
    assert backends.elasticsearch_available() is not opens
    if not opens:
        monkeypatch.undo()
        assert found(client, "jobmesse") == ("elasticsearch", ["Jobmesse i Odense"])


def test_deep_pages_never_reach_elasticsearch(cluster, notes, committed, client):
    for number in range(3):
        committed(notes.add, f"Opslag {number}")
    response = client.get("/api/search/", {"q": "opslag", "page": 201, "page_size": 50})
    assert response.status_code == 400 and "Siden findes ikke" in response.json()["error"]
    response = client.get("/soeg/", {"q": "opslag", "side": 10_000, "antal": 50})
    assert response.status_code == 200  # the last page, found from the database's count
    # Elasticsearch was never asked past its window (it would refuse from + size > 10,000).
    assert cluster.search_windows and max(cluster.search_windows) <= 10_000
    assert backends.elasticsearch_available()
    data = client.get("/api/search/", {"q": "opslag", "page": 1, "page_size": 50}).json()
    assert data["backend"] == "elasticsearch" and data["total"] == 3


def test_two_processes_creating_the_first_index_make_one(cluster, settings):
    from search.backends.elasticsearch import ElasticsearchBackend

    first = ElasticsearchBackend(url=settings.ELASTICSEARCH_URL, prefix=ALIAS)
    second = ElasticsearchBackend(url=settings.ELASTICSEARCH_URL, prefix=ALIAS)
    install(first, cluster)
    install(second, cluster)
    # Both looked before either created: both believe there is no alias yet.
    checks = iter([False, True])
    second.client.indices.exists_alias = lambda **kwargs: next(checks)
    first.ensure_alias()
    second.ensure_alias()
    assert cluster.behind(ALIAS) == ["netvaerk-initial"]
    assert list(cluster.indices) == ["netvaerk-initial"]


def test_a_failed_rebuild_leaves_the_old_index_and_no_orphan(cluster, notes, committed):
    committed(notes.add, "Gammelt indeks")
    orphan = "netvaerk-20260101000000-abcdef"
    cluster.handle("PUT", f"/{orphan}", b"{}")  # left by an earlier rebuild that died

    def die(cluster_):
        cluster.before_bulk = None
        cluster.fail_next = [503, 503, 503]  # the bulk and both retries

    cluster.before_bulk = die
    indexing.rebuild()
    assert cluster.behind(ALIAS) == ["netvaerk-initial"]
    assert list(cluster.indices) == ["netvaerk-initial"]  # orphan and half-built index gone
    assert ElasticsearchState.objects.get(pk=1).rebuild_index == ""
    assert not backends.elasticsearch_available()  # 503s are an outage


def test_rebuild_command_reports_an_abandoned_rebuild(cluster, notes, committed):
    committed(notes.add, "Noget")
    cluster.before_bulk = lambda c: setattr(c, "fail_next", [500, 500, 500])
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="det gamle indeks bruges stadig"):
        call_command("search_index", "rebuild", "--no-progress", stdout=io.StringIO())


def test_readyz_says_why_elasticsearch_is_not_answering(cluster, notes, client):
    cluster.fail_next = [503]
    client.get("/api/search/", {"q": "jobmesse"})
    checks = client.get("/readyz").json()["checks"]
    assert checks["search"] == "database (fallback: HTTP 503)"


def test_secured_cluster_settings_reach_the_client(settings):
    settings.ELASTICSEARCH_URL = "https://127.0.0.1:9200"
    settings.ELASTICSEARCH_API_KEY = "a2V5OnNlY3JldA=="
    fingerprint = ":".join(["AB"] * 32)  # SHA-256 of the cluster's certificate
    settings.ELASTICSEARCH_FINGERPRINT = fingerprint
    backends.reset()
    client = backends.elasticsearch_backend().client
    headers = client._headers
    assert headers["authorization"] == "ApiKey a2V5OnNlY3JldA=="
    (node,) = client.transport.node_pool.all()
    assert node.config.ssl_assert_fingerprint == fingerprint
    settings.ELASTICSEARCH_API_KEY = ""
    settings.ELASTICSEARCH_USERNAME = "netvaerk"
    settings.ELASTICSEARCH_PASSWORD = "hemmeligt"
    backends.reset()
    client = backends.elasticsearch_backend().client
    assert client._headers["authorization"].startswith("Basic ")


def test_a_sent_change_is_searchable_once_its_row_is_gone(cluster, notes, committed, client):
    """The outbox row goes when the send returns, and searches go back to Elasticsearch
    at once: the send must wait for the refresh, or the hidden copy is still served."""
    note = committed(notes.add, "Løntilskud i Horsens")
    assert found(client, "løntilskud") == ("elasticsearch", ["Løntilskud i Horsens"])
    committed(hide, notes, note)
    assert not PendingWrite.objects.exists()
    assert found(client, "løntilskud") == ("elasticsearch", [])


def test_a_rebuild_that_lost_its_lease_does_not_swap(cluster, notes, committed, client):
    """A rebuild not seen for REBUILD_STALE_SECONDS: senders meanwhile wrote only to the
    old index, so the rebuild's index lacks their changes and must not go live."""
    note = committed(notes.add, "Jobrotation på plejecentre")
    state = {"done": False}

    def stall_then_change(cluster_):
        if state["done"]:
            return
        state["done"] = True
        stale = timezone.now() - datetime.timedelta(seconds=indexing.REBUILD_STALE_SECONDS + 1)
        ElasticsearchState.objects.update(rebuild_seen_at=stale)
        committed(hide, notes, note)  # the sender sees no live rebuild

    cluster.after_bulk = stall_then_change
    indexing.rebuild()
    assert state["done"]
    assert cluster.behind(ALIAS) == ["netvaerk-initial"]
    assert list(cluster.indices) == ["netvaerk-initial"]  # the lost rebuild's index dropped
    assert ElasticsearchState.objects.get(pk=1).rebuild_index == ""
    assert found(client, "jobrotation") == ("elasticsearch", [])


def test_two_rebuilds_started_together_leave_one_good_index(
    cluster, notes, committed, client, monkeypatch
):
    """The second rebuild runs entirely between the first creating its index and
    claiming it: it must not delete the first's index as an orphan."""
    committed(notes.add, "Virksomhedsservice i Kolding")
    es = backends.elasticsearch_backend()
    begin = es.begin_rebuild
    calls = []

    def begin_then_another(*args):
        name = begin(*args)
        calls.append(name)
        if len(calls) == 1:
            indexing.rebuild_elasticsearch()  # the other rebuild, start to finish
        return name

    monkeypatch.setattr(es, "begin_rebuild", begin_then_another)
    indexing.rebuild_elasticsearch()
    first, second = calls
    assert cluster.behind(ALIAS) == [first]
    assert list(cluster.indices) == [first]
    assert "note:1" in cluster.docs(ALIAS)
    assert found(client, "kolding") == ("elasticsearch", ["Virksomhedsservice i Kolding"])


def test_a_send_too_late_for_its_version_writes_nothing(
    cluster, notes, committed, client, monkeypatch
):
    """A version older than gc_deletes could bring a deleted document back: a send that
    would start its bulk request after its deadline sends nothing and keeps its rows."""
    note = committed(notes.add, "Sygeopfølgning i Ærø")
    monkeypatch.setattr(indexing, "SEND_DEADLINE_SECONDS", -1)
    committed(hide, notes, note)
    assert cluster.docs(ALIAS)["note:1"]["access"] == "public"
    assert PendingWrite.objects.filter(failed_at=None).count() == 1
    assert found(client, "sygeopfølgning") == ("database", [])
    monkeypatch.undo()
    indexing.replay_pending()
    assert cluster.docs(ALIAS)["note:1"]["access"] == "project:7"


def test_deletes_are_remembered_longer_than_a_send_can_take(settings):
    from search.backends import es_schema

    body = es_schema.index_body("x", 1, 0)
    assert body["settings"]["gc_deletes"] == es_schema.GC_DELETES
    minutes = int(es_schema.GC_DELETES.removesuffix("m"))
    longest_send = indexing.SEND_DEADLINE_SECONDS + 3 * settings.ELASTICSEARCH_BULK_TIMEOUT
    assert minutes * 60 > longest_send


def test_a_document_that_cannot_be_made_holds_up_no_other(
    cluster, notes, committed, client, monkeypatch
):
    """An error while making one waiting document (its type's to_document, say) is that
    document's refusal: the others are sent, it is retried later and then set aside."""
    broken = committed(notes.add, "Aktivering af kontanthjælpsmodtagere")
    cluster.down = True
    committed(hide, notes, broken)  # waits in the outbox
    cluster.down = False
    backends.reset()
    install(backends.elasticsearch_backend(), cluster)
    make = indexing.document_for

    def document_for(search_type, obj):
        if obj is broken:
            raise ValueError("a bug in one document")
        return make(search_type, obj)

    monkeypatch.setattr(indexing, "document_for", document_for)
    committed(notes.add, "Kontanthjælp og uddannelsespålæg")
    assert "note:2" in cluster.docs(ALIAS)
    row = PendingWrite.objects.get(type="note", object_id="1")
    assert row.attempts == 1 and "a bug in one document" in row.last_error
    assert PendingWrite.objects.count() == 1
    # Its old public copy is still in Elasticsearch, so the database answers meanwhile.
    assert found(client, "aktivering") == ("database", [])


def test_a_search_sends_waiting_writes_quickly_without_a_worker(cluster, notes, committed, client):
    """With in-process tasks a search that finds writes waiting sends one batch itself,
    with the search timeout and no retries, so a slow cluster cannot hold the visitor
    for the bulk timeout three times over."""
    note = committed(notes.add, "Mentorforløb for unge")
    hide_while_down(cluster, committed, notes, note)
    cluster.timeouts.clear()
    assert found(client, "mentorforløb") == ("database", [])
    bulk_timeouts = [timeout for path, timeout in cluster.timeouts if path == "/_bulk"]
    assert bulk_timeouts == [5]
    assert found(client, "mentorforløb") == ("elasticsearch", [])
