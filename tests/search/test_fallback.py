"""Elasticsearch unreachable: search answers from the database and says so, no 500,
and the failed writes are queued and replayed once Elasticsearch is back."""

import io

import pytest
from django.core.management import call_command

from experiences.factories import create_experience
from search import backends, indexing
from search.models import PendingWrite
from tests.search.fake_es import FakeCluster, install

pytestmark = pytest.mark.django_db
CLOSED_PORT = "http://127.0.0.1:9"


@pytest.fixture
def dead_elasticsearch(settings):
    settings.ELASTICSEARCH_URL = CLOSED_PORT
    backends.reset()
    return settings


def test_search_answers_from_the_database(client, dead_elasticsearch):
    page = create_experience("Jobcentret på biblioteket", lead="Åben rådgivning for ledige.")
    response = client.get("/api/search/", {"q": "biblioteket"})
    assert response.status_code == 200
    data = response.json()
    assert data["backend"] == "database"
    assert [r["title"] for r in data["results"]] == ["Jobcentret på biblioteket"]
    assert PendingWrite.objects.filter(type="experience", object_id=str(page.pk)).exists()
    assert client.get("/soeg/", {"q": "biblioteket"}).status_code == 200
    completions = client.get("/api/search/autocomplete/", {"q": "bibl"}).json()
    assert completions["backend"] == "database" and "biblioteket" in completions["completions"]


def test_search_falls_back_when_elasticsearch_fails_mid_request(client, dead_elasticsearch):
    create_experience("Chat med unge", lead="Hurtige svar.")
    PendingWrite.objects.all().delete()  # as if sent: nothing waits for Elasticsearch
    backends.reset()  # the breaker is closed again: the next search tries Elasticsearch
    assert backends.reader().name == "elasticsearch"
    data = client.get("/api/search/", {"q": "chat"}).json()
    assert data["backend"] == "database" and data["total"] == 1
    assert backends.reader().name == "database"  # the breaker is open now
    assert backends.down_reason() == "no connection"
    assert "no connection" in client.get("/readyz").json()["checks"]["search"]


def test_queued_writes_are_sent_later(dead_elasticsearch):
    kept = create_experience("Sprogpraktik", lead="Med fast mentor.")
    gone = create_experience("Slettes", lead="Forsvinder.")
    gone_id = str(gone.pk)
    gone.delete()
    assert set(PendingWrite.objects.values_list("object_id", flat=True)) == {
        str(kept.pk),
        gone_id,
    }
    backends.reset()
    cluster = FakeCluster()
    install(backends.elasticsearch_backend(), cluster)
    call_command("search_index", "replay", stdout=io.StringIO())
    assert not PendingWrite.objects.exists()
    assert list(cluster.docs("netvaerk")) == [f"experience:{kept.pk}"]
    assert cluster.version("netvaerk", f"experience:{kept.pk}") > 0


def test_a_successful_write_sends_the_queue(dead_elasticsearch, django_capture_on_commit_callbacks):
    first = create_experience("Først", lead="Mens Elasticsearch var nede.")
    assert set(PendingWrite.objects.values_list("object_id", flat=True)) == {str(first.pk)}
    backends.reset()
    cluster = FakeCluster()
    install(backends.elasticsearch_backend(), cluster)
    with django_capture_on_commit_callbacks(execute=True):
        second = create_experience("Bagefter", lead="Elasticsearch er tilbage.")
    assert not PendingWrite.objects.exists()
    assert set(cluster.docs("netvaerk")) == {f"experience:{first.pk}", f"experience:{second.pk}"}


def test_search_uses_elasticsearch_when_it_answers(client, settings):
    settings.ELASTICSEARCH_URL = CLOSED_PORT
    backends.reset()
    install(backends.elasticsearch_backend(), FakeCluster())
    data = client.get("/api/search/", {"q": "noget"}).json()
    assert data["backend"] == "elasticsearch"
    assert indexing.replay_pending() == 0
