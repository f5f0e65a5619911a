"""A Redis outage degrades the site instead of failing it (config/cache.py).

Two kinds of outage: Redis refusing connections (a closed port) and Redis hanging (a
server that accepts and never answers). In both, public pages, logged-in pages and the
search API answer, /healthz is 200 and /readyz says what is degraded; logins and
subscriptions, whose limits cannot be counted, are refused with a Danish message."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from django.core import mail
from django.test import override_settings

from config import cache as resilient
from config.settings.base import redis_caches
from network.factories import UserFactory
from tests.net import unused_port
from tests.newsletters.utils import subscribe


class HangingServer:
    """Accepts connections and never answers, as a Redis stuck on a full disk does."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.accepted = []
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)

    def close(self):
        self.sock.close()
        for conn in self.accepted:
            conn.close()


@pytest.fixture(params=["refusing", "hanging"])
def redis_down(request, settings):
    server = None
    if request.param == "refusing":
        url = f"redis://127.0.0.1:{unused_port()}/0"
    else:
        server = HangingServer()
        url = f"redis://127.0.0.1:{server.port}/0"
    resilient.reset()
    with override_settings(CACHES=redis_caches(url), PAGE_CACHE_SECONDS=300):
        yield request.param
    resilient.reset()
    if server:
        server.close()


@pytest.mark.django_db
def test_pages_and_probes_answer_while_redis_is_down(client, redis_down):
    started = time.monotonic()
    assert client.get("/").status_code == 200
    assert client.get("/soeg/", {"q": "jobcenter"}).status_code == 200
    assert client.get("/healthz").status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "degraded"
    assert ready.json()["checks"]["cache"] == "unavailable"
    assert client.get("/api/search/", {"q": "jobcenter"}).status_code == 200
    # A hanging Redis costs one timeout, not one per cache call: the breaker opens.
    assert time.monotonic() - started < 10


@pytest.mark.django_db
def test_signed_in_members_keep_working_while_redis_is_down(client, redis_down):
    member = UserFactory()
    client.force_login(member)  # sessions live in the database
    assert client.get("/overblik/").status_code == 200


@pytest.mark.django_db
def test_login_fails_closed_while_redis_is_down(client, redis_down):
    member = UserFactory(email="maja@kommune.example")
    response = client.post("/konto/login/", {"login": member.email, "password": "kodeord-123"})
    # allauth's limits take a lock in the cache first; no lock, no password check.
    assert response.status_code == 429
    assert "log ind er midlertidigt lukket" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_subscribing_fails_closed_while_redis_is_down(client, redis_down):
    response = subscribe(client, "karen@kommune.example", "unge")
    assert response.status_code == 429
    assert "midlertidigt" in response.content.decode()
    assert mail.outbox == []


@pytest.mark.django_db
def test_login_works_again_when_redis_answers(client):
    """Direct (no outage): the probe counts in the cache and lets a login through."""
    member = UserFactory(email="maja@kommune.example")
    response = client.post("/konto/login/", {"login": member.email, "password": "kodeord-123"})
    assert response.status_code == 302
    assert client.get("/readyz").json()["checks"]["cache"] == "ok"


def test_breaker_recovers_and_runs_the_recovery_hooks(monkeypatch):
    """After an outage the first answer from Redis runs the hooks (the page cache and
    the facet counts throw away what was cached before it)."""
    from django.core.cache.backends.redis import RedisCacheClient

    backend = resilient.ResilientRedisCache(
        "redis://127.0.0.1:1/0", {"OPTIONS": {"RETRY_AFTER": 0}}
    )
    calls = []
    monkeypatch.setattr(resilient, "_recovery_hooks", [lambda: calls.append("bumped")])
    resilient.reset()

    def down(self, key, default):
        raise ConnectionError("refused")

    monkeypatch.setattr(RedisCacheClient, "get", down)
    assert backend.get("k", "miss") == "miss"
    assert resilient.degraded() == [] or calls == []  # RETRY_AFTER 0: open for no time
    monkeypatch.setattr(RedisCacheClient, "get", lambda self, key, default: "value")
    assert backend.get("k") == "value"
    assert calls == ["bumped"]
    assert backend.get("k") == "value"
    assert calls == ["bumped"]  # once per outage
    resilient.reset()
