"""Fixtures of the search tests: a fake registered type with project-only content,
and the backend fixture that runs the behaviour suite on every backend:

- sqlite: always, in the default run (skipped when DATABASE_URL is PostgreSQL);
- postgres: when DATABASE_URL is PostgreSQL;
- elasticsearch: when ELASTICSEARCH_URL is set (a real Elasticsearch 8).
"""

from __future__ import annotations

import datetime
import os
import uuid
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from search import backends, labels, registry, service
from search.backends import matchcache
from search.query import Filters
from search.registry import SearchDocument, SearchType

PROJECT_ID = 7


@pytest.fixture(autouse=True)
def _fresh_search_state(monkeypatch):
    labels.clear()
    backends.reset()
    # Every answer of the database index is kept in the match cache, not only the
    # broad ones a real site keeps: the whole suite runs through it (matchcache.py).
    monkeypatch.setattr(matchcache, "MIN_MATCHES", 1)
    yield
    labels.clear()
    backends.reset()


@dataclass
class Note:
    """A stand-in for the project types that will register later: in memory, with
    project-only access, dependents and a date."""

    pk: int
    title: str
    body: str = ""
    extra: str = ""
    access: str = "public"
    municipalities: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    project: bool = False
    date: datetime.date = datetime.date(2025, 5, 1)
    published: datetime.date | None = None
    children: list = field(default_factory=list)
    indexable: bool = True


class Notes:
    def __init__(self):
        self.store: dict[int, Note] = {}
        self.participants: set[int] = set()

    def add(self, title: str, **kwargs) -> Note:
        note = Note(pk=len(self.store) + 1, title=title, **kwargs)
        self.store[note.pk] = note
        registry.schedule_reindex(note)
        return note

    def delete(self, note: Note) -> None:
        self.store.pop(note.pk, None)
        registry.schedule_removal("note", str(note.pk))

    def document(self, note: Note) -> SearchDocument | None:
        if not note.indexable:
            return None
        return SearchDocument(
            type="note",
            object_id=str(note.pk),
            title=note.title,
            url=f"/noter/{note.pk}/",
            access=note.access,
            body=note.body,
            extra=note.extra,
            municipalities=note.municipalities,
            topics=note.topics,
            project_key="digitale-veje" if note.project else "",
            project_title="Digitale veje til job" if note.project else "",
            date=note.date,
            published=note.published,
            external_id=f"note-{note.pk}",
        )

    def tokens(self, user) -> set[str]:
        if user.pk in self.participants:
            return {registry.project_token(PROJECT_ID)}
        return set()


@pytest.fixture
def notes(db):
    notes = Notes()
    registry.register(
        SearchType(
            key="note",
            label="Note",
            model=Note,
            documents=lambda: list(notes.store.values()),
            to_document=notes.document,
            dependents=lambda note: note.children,
            get_object=lambda object_id: notes.store.get(int(object_id)),
        )
    )
    registry.register_access_provider(notes.tokens)
    yield notes
    registry.unregister("note")
    registry.unregister_access_provider(notes.tokens)


@pytest.fixture
def cluster(settings, notes):
    """Elasticsearch configured, answered by the in-memory cluster of fake_es.py."""
    from tests.search.fake_es import FakeCluster, install

    settings.ELASTICSEARCH_URL = "http://127.0.0.1:9200"
    backends.reset()
    cluster = FakeCluster()
    install(backends.elasticsearch_backend(), cluster)
    return cluster


@pytest.fixture
def participant(db, notes):
    from network.factories import UserFactory

    user = UserFactory(email="deltager@test.example")
    notes.participants.add(user.pk)
    return user


@pytest.fixture
def plain_member(db):
    from network.factories import UserFactory

    return UserFactory(email="medlem2@test.example")


@dataclass
class SearchEnv:
    """Runs searches through the service on one backend, and fails loudly if another
    backend answered (a silent fallback would make the suite pass for nothing)."""

    name: str
    backend: object

    def run(self, user=None, q: str = "", **kwargs):
        filters = Filters(**{k: v for k, v in kwargs.items() if k in Filters.__annotations__})
        options = {k: v for k, v in kwargs.items() if k not in Filters.__annotations__}
        params = service.SearchParams(q=q, filters=filters, **options)
        self.send()
        outcome = service.run(user or AnonymousUser(), params, backend=self.backend, log=False)
        assert outcome.backend == self.backend.name, f"{self.name} did not answer"
        return outcome

    def titles(self, user=None, q: str = "", **kwargs) -> list[str]:
        return [hit.title for hit in self.run(user, q, **kwargs).result.hits]

    def send(self) -> None:
        """Elasticsearch is written after a commit, and a test never commits: send the
        outbox by hand before asking."""
        if self.name == "elasticsearch":
            from search import indexing

            indexing.replay_pending()

    def complete(self, user, text: str) -> list[str]:
        self.send()
        access = frozenset(registry.access_tokens(user or AnonymousUser()))
        return self.backend.autocomplete(text, access)

    def suggest(self, user, q: str):
        """ "Mente du" for exactly what was typed (no corrections in the results)."""
        return self.run(user, q, exact=True).suggestion


def _database_url() -> str:
    return os.environ.get("DATABASE_URL", "")


@pytest.fixture(params=["sqlite", "postgres", "elasticsearch"])
def engine(request, db, settings):
    name = request.param
    is_postgres = _database_url().startswith(("postgres://", "postgresql://"))
    if name == "sqlite" and connection.vendor != "sqlite":
        pytest.skip("This run uses PostgreSQL (DATABASE_URL); SQLite runs in the default run.")
    if name == "postgres" and not is_postgres:
        pytest.skip("Set DATABASE_URL=postgres://… to run the suite on PostgreSQL.")
    if name == "elasticsearch":
        url = os.environ.get("ELASTICSEARCH_URL")
        if not url:
            pytest.skip("Set ELASTICSEARCH_URL to run the suite on Elasticsearch 8.")
        settings.ELASTICSEARCH_URL = url
        settings.SEARCH_INDEX_PREFIX = f"test-netvaerk-{uuid.uuid4().hex[:8]}"
        backends.reset()
        es = backends.elasticsearch_backend()
        es.refresh = "wait_for"
        es.ensure_alias()
        yield SearchEnv(name, es)
        for index in list(es.client.indices.get_alias(name=es.alias).body):
            es.client.indices.delete(index=index)
        return
    settings.ELASTICSEARCH_URL = ""
    yield SearchEnv(name, backends.database_backend())
