"""The route inventory and the leak matrix built from it.

Every route the URL resolver and the routable pages know is classified in
config/routes.py. Then, as an anonymous visitor, a plain member and a participant of
another project, every route is requested with the private objects' ids and slugs
filled in: no marker word may appear in a body or a header, no answer may be a 5xx,
and no status may tell a private id apart from a made-up one.
"""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

import pytest
from django.core.cache import caches
from django.test import Client

from config import routes
from tests.security.conftest import FAR_ID, build_private_world
from tests.shared import fresh_tree

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def built(module_demo, django_db_blocker):
    """The private world, built once for the module (each test rolls back its own
    changes)."""
    with django_db_blocker.unblock():
        return build_private_world()


@pytest.fixture
def private_world(db, built):
    return fresh_tree(built)


ROLES = ("anonymous", "member", "outsider")
_CONVERTER = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")
_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)|\([^)]*\)")


def test_every_route_is_classified():
    found = routes.inventory()
    unclassified = sorted(r.key or r.pattern for r in found if r.access is None)
    assert not unclassified, f"Classify these routes in config/routes.py: {unclassified}"
    assert all(r.access in routes.ACCESS for r in found)
    keys = {r.key for r in found}
    stale = sorted(set(routes.ROUTES) - keys)
    assert not stale, f"config/routes.py names routes that no longer exist: {stale}"
    # Large enough to know the walk reached Wagtail's admin, allauth and the pages.
    assert len(found) > 300


def _fill(pattern: str, values: dict[str, str]) -> str | None:
    """A concrete path for a pattern, with each parameter taken from `values`."""
    path = pattern.replace("^", "").replace("$", "")

    def converter(match):
        return values.get(match["name"], values.get(match["conv"] or "str", "x"))

    path = _CONVERTER.sub(converter, path)
    groups = iter(values.get("groups", ()))

    def group(match):
        if match["name"]:
            return values.get(match["name"], "x")
        return next(groups, "x")

    path = _GROUP.sub(group, path)
    if any(c in path for c in "()\\?*+["):
        return None
    return path


def _values(world, private: bool) -> dict:
    """Parameter values: the private objects' own, or made-up ones of the same shape."""
    if not private:
        return {
            "int": str(FAR_ID),
            "pk": str(FAR_ID),
            "str": "zzfindesikke",
            "slug": "findes-ikke",
            "path": "findes/ikke",
            "uuid": world["made_up_uuid"],
            "public_id": world["made_up_uuid"],
            "groups": (str(FAR_ID), "findes-ikke.pdf"),
            "key": "findes-ikke",
            "uidb36": "zz",
        }
    doc = world["documents"][0]
    return {
        "int": str(world["hidden"].pk),
        "pk": str(world["hidden"].pk),
        "page_id": str(world["hidden"].pk),
        "str": "projects",
        "app_label": "projects",
        "model_name": "projectpage",
        "slug": world["hidden"].slug,
        "path": f"../private/{world['attachment'].file.name}",
        "uuid": str(world["private_person"].public_id),
        "public_id": str(world["private_person"].public_id),
        "groups": (str(doc.pk), doc.filename),
        "key": "findes-ikke",
        "uidb36": "zz",
    }


def _resolver_probes(world) -> list[tuple[str, str, str]]:
    """(route key, private path, made-up path) for every resolver route."""
    probes = []
    for route in routes.inventory():
        if route.page_model is not None:
            continue
        private = _fill(route.pattern, _values(world, True))
        made_up = _fill(route.pattern, _values(world, False))
        if private is None or made_up is None:
            continue
        probes.append((route.key, "/" + private, "/" + made_up))
    return probes


def _page_probes(world) -> list[tuple[str, str, str]]:
    """Routes below the private pages, each with a private object and a made-up one."""
    hidden, public, event = world["hidden"], world["public"], world["event"]
    objects = {
        "trial_action": (world["hidden_log"].pk, world["inner_log"].pk),
        "comment": (world["inner_comment"].pk, world["hidden_comment"].pk),
        "attachment": (world["attachment"].pk,),
    }
    probes = []
    for route in routes.inventory():
        if route.page_model is None:
            continue
        pattern = str(route.pattern)
        if route.page_model.__name__ == "EventPage":
            bases = [event.url]
        elif route.page_model.__name__ == "ProjectPage":
            bases = [hidden.url, public.url]
        else:
            continue
        kind = "comment" if "kommentarer" in pattern else "attachment"
        kind = "trial_action" if "proevehandlinger" in pattern else kind
        for base in bases:
            if "<int:pk>" in pattern:
                for pk in objects[kind]:
                    private = base + _fill(pattern, {"pk": str(pk)})
                    made_up = base + _fill(pattern, {"pk": str(FAR_ID)})
                    probes.append((route.key, private, made_up))
            else:
                path = _fill(pattern, {})
                # A public project's own routes exist; only a private one must look made up.
                made_up = "/projekter/findes-ikke/" + path if base != public.url else None
                probes.append((route.key, base + path, made_up))
    return probes


def _direct_probes(world, with_members: bool) -> list[tuple[str, str, str]]:
    """Private objects by their own URLs: pages, files, API ids, archive entries."""
    far = f"/projekter/findes-ikke-{FAR_ID}/"
    probes = [
        ("page", world["hidden"].url, far),
        ("page", world["event"].url, far),
        ("page", "/erfaringer/" + world["draft"].slug + "/", far),
        ("page", "/erfaringer/" + world["gone"].slug + "/", far),
        (
            "member",
            world["private_person"].get_absolute_url(),
            f"/medlemmer/{world['made_up_uuid']}/",
        ),
        ("archive", f"/nyhedsbrev/arkiv/{world['edition'].pk}/", f"/nyhedsbrev/arkiv/{FAR_ID}/"),
        (
            "media",
            "/media/private/" + world["attachment"].file.name,
            "/media/private/findes-ikke.pdf",
        ),
    ]
    if not with_members:
        probes.append(("page", world["members"].url, far))
    for doc in world["documents"]:
        probes.append(("document", doc.url, f"/dokumenter/{FAR_ID}/{quote(doc.filename)}"))
        probes.append(("media", "/media/" + doc.file.name, "/media/documents/findes-ikke.pdf"))
    for page in (world["hidden"], world["event"], world["draft"], world["gone"]):
        for api in (
            f"/api/v2/erfaringer/{page.pk}/",
            f"/api/v2/erfaringer/{page.pk}/?type=projects.ProjectPage",
            f"/api/v2/erfaringer/find/?id={page.pk}",
            f"/api/v2/erfaringer/?child_of={page.pk}",
            f"/api/v2/erfaringer/?descendant_of={page.pk}",
            f"/api/v2/erfaringer/?ancestor_of={page.pk}",
            f"/api/v2/erfaringer/?type=wagtailcore.Page&child_of={page.pk}",
        ):
            probes.append(("api", api, api.replace(str(page.pk), str(FAR_ID))))
    probes.append(
        (
            "api",
            f"/api/v2/erfaringer/find/?html_path={world['hidden'].url}",
            f"/api/v2/erfaringer/find/?html_path={far}",
        )
    )
    return probes


def _listing_paths(world) -> list[str]:
    """Listings, feeds, calendars and APIs that gather many objects at once."""
    paths = [
        "/",
        "/erfaringer/",
        "/erfaringer/feed/",
        "/erfaringer/feed/atom/",
        "/projekter/",
        "/kommuner/",
        "/kommuner/aarhus/",
        "/nyhedsbrev/arkiv/",
        "/api/v2/erfaringer/?fields=*",
        "/api/v2/erfaringer/?limit=20&offset=0&fields=*&order=-id",
        "/api/v2/erfaringer/?type=projects.ProjectPage&fields=*",
        "/api/v2/erfaringer/?type=projects.EventPage",
        "/api/v2/erfaringer/?type=wagtailcore.Page&fields=*",
        "/api/v2/erfaringer/?child_of=root&fields=*",
        "/api/v2/erfaringer/?descendant_of=root&fields=*",
        world["public"].url,
        world["public"].url + "proevehandlinger/",
        world["public"].url + "kalender/",
        world["members"].url,
    ]
    for municipality in ("koebenhavn", "aarhus"):
        paths.append(f"/kommuner/{municipality}/")
    return paths


def _search_paths(word: str) -> list[str]:
    return [
        f"/soeg/?q={word}",
        f"/soeg/?q={word}&type=trial_action",
        f"/api/search/?q={word}",
        f"/api/search/?q={word}&type=project",
        f"/api/search/autocomplete/?q={word[:-2]}",
        f"/api/v2/erfaringer/?search={word}",
        f"/api/v2/erfaringer/?search={word}&type=projects.ProjectPage",
        f"/erfaringer/?q={word}",
        f"/erfaringer/feed/?q={word}",
    ]


def _client(world, role: str) -> Client:
    client = Client(raise_request_exception=False)
    if role == "member":
        client.force_login(world["users"]["member"])
    elif role == "outsider":
        client.force_login(world["users"]["outsider"])
    return client


_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode(errors="ignore")
    # The CSRF token is masked anew for every response.
    return _CSRF.sub("", response.content.decode(errors="ignore"))


def _leaks(response, markers, asked: str = "") -> list[str]:
    """Markers in the body or headers. A marker in the asked URL itself (a file name or
    a slug, echoed in a 404 page or a login redirect) is what the asker already knew."""
    text = _body(response) + "\n".join(f"{k}: {v}" for k, v in response.items())
    for echo in {asked, unquote(asked), quote(asked, safe=""), quote(unquote(asked), safe="")}:
        text = text.replace(echo, "") if echo else text
    return [word for word in markers if word in text]


def _markers(world, role: str) -> dict[str, str]:
    markers = dict(world["secret"])
    if role == "anonymous":
        markers.update(world["members_only"])
    return markers


@pytest.mark.parametrize("role", ROLES)
def test_leak_matrix(private_world, role):
    world = private_world
    client = _client(world, role)
    markers = _markers(world, role)
    probes = (
        _resolver_probes(world) + _page_probes(world) + _direct_probes(world, role != "anonymous")
    )
    assert len(probes) > 300
    failures = []
    # Many routes share a path (a route without parameters is its own made-up twin; every
    # private page has the same made-up stand-in): each path is asked once, and every
    # answer, made-up ones included, is checked for a 5xx and for markers.
    answers: dict[str, int] = {}

    def status(path: str) -> int:
        if path not in answers:
            answer = client.get(path)
            answers[path] = answer.status_code
            if answer.status_code >= 500:
                failures.append(f"{path}: {answer.status_code}")
            if leaked := _leaks(answer, markers, asked=path):
                failures.append(f"{path}: leaks {leaked}")
        return answers[path]

    for key, private, made_up in probes:
        if "logout" in key:
            continue  # would end the session the rest of the walk needs
        if made_up is None or made_up == private:
            status(private)
        elif status(private) != status(made_up):
            failures.append(
                f"{key}: {private} answers {answers[private]}, {made_up} {answers[made_up]}"
            )
    for path in _listing_paths(world):
        status(path)
    assert not failures, "\n".join(failures)
    # The walk really did reach private objects' own routes.
    assert sum(1 for key, *_ in probes if key.startswith("projects.")) > 20


@pytest.mark.parametrize("role", ROLES)
def test_search_answers_are_the_same_for_a_private_word_and_a_made_up_one(private_world, role):
    """Results, totals, facet counts, suggestions and completions: a word that only
    private content holds gets exactly the answer of a word that nothing holds."""
    world = private_world
    client = _client(world, role)
    failures = []
    for word in _markers(world, role):
        failures += _differences(client, word, _search_paths(word))
    assert not failures, "\n".join(failures[:30])


@pytest.mark.parametrize("role", ROLES)
def test_longer_queries_with_a_private_word_answer_as_with_a_made_up_one(private_world, role):
    """Three words, one of which only private content holds: the matches with two of
    the three, and the fewer-word matches that fill the rest of the first page, are
    exactly those of a made-up word in its place."""
    world = private_world
    client = _client(world, role)
    failures = []
    for word in _markers(world, role):
        query = f"sprogpraktik+{word}+mentor"
        failures += _differences(client, word, [f"/soeg/?q={query}", f"/api/search/?q={query}"])
    assert not failures, "\n".join(failures[:30])
    # The comparison did reach the fill: two of the three words match one demo article.
    answer = client.get("/api/search/?q=sprogpraktik+zqwwwwx+mentor").json()
    assert answer["total"] >= 1 and answer["fewer_words"]


def _made_up_answer(client, path: str) -> tuple[int, str]:
    """The answer for a made-up word's path. Words of one length share their stand-in, so
    each such path is asked once per client: nothing holds the word, so the answer
    cannot change between the asks."""
    asked = client.__dict__.setdefault("made_up_answers", {})
    if path not in asked:
        answer = client.get(path)
        asked[path] = (answer.status_code, _body(answer))
    return asked[path]


def _differences(client, word: str, paths: list[str]) -> list[str]:
    """Where the answers for `word` differ from those for a made-up word of its length."""
    stand_in = "zq" + "w" * (len(word) - 3) + "x"
    failures = []
    for path in paths:
        # Both answers are real ones, never the rate limit's 429 (tests/search covers it).
        caches["ratelimit"].clear()
        answer = client.get(path)
        status, other = _made_up_answer(
            client, path.replace(word, stand_in).replace(word[:-2], stand_in[:-2])
        )
        if answer.status_code != status or answer.status_code >= 500:
            failures.append(f"{path}: {answer.status_code} vs {status}")
            continue
        mine = _body(answer).replace(word, stand_in).replace(word[:-2], stand_in[:-2])
        if mine != other:
            import difflib

            diff = [
                line
                for line in difflib.unified_diff(
                    mine.splitlines(), other.splitlines(), lineterm="", n=0
                )
                if line[:1] in "+-" and line[:3] not in ("+++", "---")
            ]
            failures.append(f"{path}: differs from a made-up word: {diff[:6]}")
    return failures


def test_markers_are_seen_by_those_allowed(private_world):
    """The matrix is only worth something if the markers do show where they should."""
    world = private_world
    owner = Client()
    owner.force_login(world["users"]["owner"])
    page = _body(owner.get(world["inner_log"].get_absolute_url()))
    assert "zqinnerpurposex" in page and "zqinnercommentx" in page
    assert "zqprojsummaryx" in _body(owner.get(world["hidden"].url))
    found = owner.get("/api/search/", {"q": "zqinnerresultsx"}).json()
    assert found["total"] == 1
    member = Client()
    member.force_login(world["users"]["member"])
    assert "zqmembersummaryx" in _body(member.get(world["members"].url))


@pytest.mark.parametrize("role", ("anonymous", "member"))
def test_admin_routes_refuse_non_editors(private_world, role):
    """Every route under /admin/ refuses anonymous visitors and plain members."""
    client = _client(private_world, role)
    values = _values(private_world, True)
    refused = 0
    for route in routes.inventory():
        if not route.pattern.startswith(routes.ADMIN_PREFIX) or route.page_model:
            continue
        path = _fill(route.pattern, values)
        if path is None or "logout" in route.key:
            continue
        response = client.get("/" + path)
        if route.access == routes.PUBLIC:
            assert response.status_code in (200, 302), (path, response.status_code)
            continue
        assert response.status_code in (302, 403, 404, 405), (path, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith("/konto/login/"), path
        refused += 1
    assert refused > 200


@pytest.mark.parametrize("role", ("anonymous", "member"))
def test_no_route_fails_while_redis_is_down(private_world, role):
    """Every route, the listings and the searches answer without a 5xx while the
    shared cache refuses connections (config/cache.py degrades instead)."""
    import socket

    from django.test import override_settings

    from config import cache as resilient
    from config.settings.base import redis_caches

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    world = private_world
    paths = [private for _, private, _ in _resolver_probes(world) + _page_probes(world)]
    paths += _listing_paths(world) + _search_paths("borger")
    paths = list(dict.fromkeys(paths))  # each path once
    resilient.reset()
    with override_settings(CACHES=redis_caches(f"redis://127.0.0.1:{closed}/0")):
        client = _client(world, role)
        failures = [
            f"{path}: {status}"
            for path in paths
            if "logout" not in path and (status := client.get(path).status_code) >= 500
        ]
        assert client.get("/readyz").json()["checks"]["cache"] == "unavailable"
    resilient.reset()
    assert len(paths) > 300
    assert failures == []
