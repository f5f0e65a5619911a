"""Who is a client: every limit (ours and allauth's) counts by network.ratelimit's
`client_ip`. Directly on the internet it is the connecting address and
X-Forwarded-For is ignored; behind TRUSTED_PROXY_COUNT proxies it is the entry the
nearest proxy appended. A forged header never resets anyone's limit."""

from __future__ import annotations

import pytest

from network.factories import UserFactory

PROXY = "10.0.0.2"  # nginx, as the app server sees it


def _search(client, remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.get("/api/search/", {"q": "job"}, **meta).status_code


@pytest.fixture
def tight_search_limit(settings):
    settings.SEARCH_API_RATE_PER_MINUTE = 3


@pytest.mark.django_db
def test_direct_a_forged_header_does_not_reset_the_limit(client, settings, tight_search_limit):
    settings.TRUSTED_PROXY_COUNT = 0
    codes = [_search(client, "198.51.100.7", f"203.0.113.{n}") for n in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    assert _search(client, "198.51.100.8") == 200  # another client is not affected


@pytest.mark.django_db
def test_behind_a_proxy_each_visitor_has_their_own_limit(client, settings, tight_search_limit):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(3):
        assert _search(client, PROXY, "203.0.113.5") == 200
    assert _search(client, PROXY, "203.0.113.5") == 429
    # Another visitor behind the same proxy still searches.
    assert _search(client, PROXY, "203.0.113.6") == 200
    # Forging an entry in front does not make the first visitor someone else: nginx
    # appends the address it saw, and only that entry is trusted.
    assert _search(client, PROXY, "192.0.2.1, 203.0.113.5") == 429
    # A request that reached the app without passing the proxy counts by its address.
    assert _search(client, "203.0.113.9", "") == 200


@pytest.mark.django_db
def test_header_shorter_than_the_proxy_chain_is_not_trusted(client, settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert _search(client, PROXY, "203.0.113.5") == 200  # no 500; counts by REMOTE_ADDR


def _failed_login(client, email, remote, forwarded):
    return client.post(
        "/konto/login/",
        {"login": email, "password": "forkert"},
        REMOTE_ADDR=remote,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@pytest.mark.django_db
def test_behind_a_proxy_wrong_passwords_elsewhere_do_not_lock_anyone_out(client, settings):
    """The failed-login limit (10 a minute per address) is per visitor, not per proxy:
    ten clients mistyping cannot lock the admin out."""
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(10):
        user = UserFactory(email=f"bruger{n}@kommune.example")
        _failed_login(client, user.email, PROXY, f"203.0.113.{n + 10}")
    admin = UserFactory(email="admin@kommune.example")
    response = client.post(
        "/konto/login/",
        {"login": admin.email, "password": "kodeord-123"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(admin.pk)


@pytest.mark.django_db
def test_behind_a_proxy_one_guesser_is_locked_out_however_they_forge(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    per_address = int(settings.ACCOUNT_RATE_LIMITS["login_failed"].split("/")[0])  # 30/m/ip
    users = [UserFactory(email=f"offer{n}@kommune.example") for n in range(per_address + 1)]
    for n, user in enumerate(users[:per_address]):
        _failed_login(client, user.email, PROXY, f"192.0.2.{n}, 203.0.113.66")
    response = client.post(
        "/konto/login/",
        {"login": users[per_address].email, "password": "kodeord-123"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="192.0.2.200, 203.0.113.66",
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 429)


@pytest.mark.django_db
def test_a_refusal_says_when_the_window_ends(client, settings, tight_search_limit, monkeypatch):
    """A client told 429 learns from Retry-After when to come back: the rest of the
    window that began with its first search, not a fixed minute."""
    import network.ratelimit

    now = [1_000_000.0]
    monkeypatch.setattr(network.ratelimit.time, "time", lambda: now[0])
    for _ in range(3):
        assert _search(client, "198.51.100.7") == 200
    now[0] += 20.5
    refused = client.get("/api/search/", {"q": "job"}, REMOTE_ADDR="198.51.100.7")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "40"
    now[0] += 40
    assert _search(client, "198.51.100.7") == 200  # the window has ended
