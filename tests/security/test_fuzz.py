"""No 5xx, by property: Hypothesis fuzzes every GET parameter and every POST form field
of the public, member, participant and coordinator surfaces with oversized, NUL, bidi,
combining and emoji text, numbers no column holds, impossible dates, wrong types,
unknown and repeated keys, and three encodings of a POST body.

Two properties, checked on every request (tests/security/fuzzing.py):
- the answer is never a 5xx;
- a refused request (a form shown again, a 4xx) wrote nothing: the rows it could have
  written, and the object it could have changed, are the same before and after. A GET
  never writes (except a confirmation link that is accepted).

Besides the random examples, `test_each_parameter_with_known_troublemakers` sends a few
known troublemakers to every parameter of every surface, one at a time, so the bounded
CI run always covers those classes.

The demo world is seeded once for the module inside a transaction that is rolled back
at the end; each test runs in its own savepoint on top, so the tests cannot see each
other's writes. FUZZ_EXAMPLES sets the examples per test (default 30); bench/fuzz.py
runs the same tests for longer and lists every failure.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.core import signing
from django.core.cache import cache
from django.test import Client, override_settings
from hypothesis import given
from hypothesis import strategies as st

from .fuzzing import (
    DATES,
    EMAILS,
    FUZZ,
    LONG,
    OUT_OF_RANGE,
    RECORDER,
    REDIRECTS,
    hostile,
    kind_of,
    params,
    segment,
    upload,
    value,
)

pytestmark = [
    pytest.mark.django_db,
    # Hostile dates without a time zone, filtered on by Wagtail's API: Django warns.
    pytest.mark.filterwarnings("ignore:DateTimeField .* naive datetime:RuntimeWarning"),
]

PASSWORD = "demo-netvaerk-2026"
ROLES = {
    "anonymous": None,
    "member": "medlem@netvaerk.example",
    "participant": "deltager@netvaerk.example",
    "coordinator": "koordinator@netvaerk.example",
    "editor": "redaktoer@netvaerk.example",
    "admin": "admin@netvaerk.example",
}
ENCODINGS = ["multipart", "multipart", "urlencoded", "json"]
GOOD_DATES = ["2026-01-15", "2025-06-30", "2024-02-29"]
YEARS = ["2024", "2025", "2026", "1900", "2200"]
CHECKBOX = ["on", "true", "1", "", "off", "false", "0"]
NEXTS = ["/", "/profil/", "/admin/", "https://evil.example/", "//evil.example", "/\\evil"]

roles = st.sampled_from(list(ROLES))
encodings = st.sampled_from(ENCODINGS)


# -- the world ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(module_demo, django_db_blocker, tmp_path_factory):
    """The demo content, loaded once for the module and rolled back after it (see
    module_transaction). Uploads go to a temporary MEDIA_ROOT."""
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("fuzz-media"))
    media.enable()
    try:
        with django_db_blocker.unblock():
            built = _build_world()
        yield built
    finally:
        media.disable()


class World(SimpleNamespace):
    """The demo content's ids, urls and tokens that the tests aim at."""

    def __repr__(self):  # Hypothesis prints the arguments of a failing example
        return "<demo world>"


def _build_world() -> World:
    from experiences.models import ExperiencePage
    from network.models import (
        CompetenceProfile,
        Municipality,
        Organisation,
        Region,
        SiteDocument,
        User,
        WorkArea,
    )
    from newsletters import digests, following, tokens
    from newsletters.consent import CONSENT_VERSION
    from newsletters.models import Edition, Subscriber
    from newsletters.subscriptions import Interests, request_subscription
    from projects.models import (
        EventPage,
        ProjectPage,
        ProjectParticipant,
        TrialAction,
        TrialActionComment,
    )
    from search import labels

    users = {role: User.objects.get(email=email) for role, email in ROLES.items() if email}
    # Settings exist before the tests, so a refused POST cannot seem to write them.
    feed_tokens = [following.settings_for(user).feed_token for user in users.values()]
    project = ProjectPage.objects.get(title="Digitale veje til job")
    private = ProjectPage.objects.get(title="Tidlig indsats for sygemeldte")
    assert ProjectParticipant.objects.filter(
        project=project, user=users["participant"], role="participant"
    ).exists()
    logs = TrialAction.objects.filter(project=project)
    own_logs = list(logs.filter(author=users["participant"]).values_list("pk", flat=True))
    other_logs = list(logs.exclude(author=users["participant"]).values_list("pk", flat=True))
    assert own_logs and other_logs
    events = list(EventPage.objects.child_of(project).live().order_by("starts_at"))
    # A subscription waiting for its confirmation link, so a real link can be clicked.
    pending = request_subscription(
        "ventende@kommune-demo.example", Interests(work_areas=WorkArea.objects.all()[:1])
    )
    confirm_token = tokens.confirm_token(pending, text_version=CONSENT_VERSION, method="form")
    subscribers = list(Subscriber.objects.all())
    experiences = list(ExperiencePage.objects.live().public())
    documents = list(SiteDocument.objects.all())
    return World(
        users=users,
        project_url=project.url,
        private_url=private.url,
        project_keys=[str(project.pk), str(private.pk)],
        own_logs=own_logs,
        other_logs=other_logs,
        private_logs=list(TrialAction.objects.filter(project=private).values_list("pk", flat=True)),
        comments=list(
            TrialActionComment.objects.filter(trial_action__project=project).values_list(
                "pk", flat=True
            )
        ),
        participant_rows=list(project.participants.values_list("pk", flat=True)),
        event_ids=[e.pk for e in events],
        event_urls=[e.url for e in events]
        + [e.url for e in EventPage.objects.child_of(private).live()],
        municipality_ids=list(Municipality.objects.values_list("pk", flat=True)[:5]),
        municipality_codes=list(labels.municipalities())[:5],
        municipality_slugs=list(Municipality.objects.values_list("slug", flat=True)[:5]),
        region_ids=list(Region.objects.values_list("pk", flat=True)),
        region_codes=list(labels.regions()),
        region_slugs=list(Region.objects.values_list("slug", flat=True)),
        work_area_ids=list(WorkArea.objects.values_list("pk", flat=True)[:5]),
        work_area_slugs=list(WorkArea.objects.values_list("slug", flat=True)[:5]),
        profile_slugs=list(CompetenceProfile.objects.values_list("slug", flat=True)[:5]),
        organisation_ids=list(Organisation.objects.values_list("pk", flat=True)[:5]),
        search_types=list(labels.type_labels()),
        member_ids=[str(u.public_id) for u in users.values()],
        subscriber_emails=[s.email for s in subscribers],
        manage_tokens=[tokens.manage_token(s.pk, s.manage_key) for s in subscribers],
        subscriber_ids=[s.pk for s in subscribers],
        edition_ids=list(Edition.objects.values_list("pk", flat=True)),
        experience_ids=[e.pk for e in experiences],
        experience_paths=[e.url for e in experiences[:5]],
        document_ids=[d.pk for d in documents],
        document_names=[os.path.basename(d.file.name) for d in documents],
        feed_tokens=feed_tokens,
        confirm_tokens=[confirm_token],
        stop_tokens=[digests.stop_token(user.pk) for user in users.values()],
        user_ids=[user.pk for user in users.values()],
        dashboard_municipalities=[str(m.pk) for m in project.municipalities.all()],
    )


@pytest.fixture
def clients(world):
    """One logged-in test client per role, made on first use. A 500 comes back as a
    response (raise_request_exception=False), as a browser would see it."""
    made: dict[str, Client] = {}

    def get(role: str) -> Client:
        if role not in made:
            client = Client(raise_request_exception=False)
            if ROLES[role]:
                client.force_login(world.users[role])
            made[role] = client
        return made[role]

    return get


@pytest.fixture(autouse=True)
def _name_the_test(request):
    RECORDER.test = request.node.name
    yield


@pytest.fixture(scope="module", autouse=True)
def _tally(request):
    """At the end of the module, say how many requests were tried."""
    start = RECORDER.total()
    yield
    line = f"fuzz: {RECORDER.total() - start} requests, statuses {dict(RECORDER.statuses)}"
    plugins = request.config.pluginmanager
    reporter = plugins.get_plugin("terminalreporter")
    capture = plugins.get_plugin("capturemanager")
    if reporter and capture:
        with capture.global_and_fixture_disabled():
            reporter.write_line("")
            reporter.write_line(line)


def _fresh():
    """Every example starts with empty rate limits (their own tests cover them)."""
    cache.clear()


# -- what a refused request must not change ----------------------------------------------


def _models():
    from allauth.account.models import EmailAddress
    from wagtail.models import Page

    from network.models import SiteImage, User
    from newsletters.models import ConsentRecord, Follow, Subscriber
    from projects.models import (
        CommentReport,
        EventRegistration,
        ProjectInvitation,
        ProjectParticipant,
        ProjectReminder,
        TrialAction,
        TrialActionAttachment,
        TrialActionComment,
        TrialActionUpdate,
    )

    return [
        TrialAction,
        TrialActionUpdate,
        TrialActionComment,
        TrialActionAttachment,
        CommentReport,
        ProjectParticipant,
        ProjectInvitation,
        EventRegistration,
        Subscriber,
        ConsentRecord,
        User,
        EmailAddress,
        SiteImage,
        Page,
        Follow,
        ProjectReminder,
    ]


def counts() -> dict:
    """Rows of everything a request of ours could write. (Not notifications: opening
    the list looks for new results of followed searches, a GET that may write them.)"""
    return {model._meta.label: model.objects.count() for model in _models()}


def _row(model, pk, m2m=()) -> dict:
    row = model.objects.filter(pk=pk).values().first() or {}
    row.pop("last_login", None)
    obj = model.objects.filter(pk=pk).first()
    for name in m2m:
        row[name] = sorted(getattr(obj, name).values_list("pk", flat=True)) if obj else None
    return row


def user_guard(user):
    from network.models import User

    return lambda: {**counts(), "user": _row(User, user.pk, m2m=["work_areas"])}


def subscriber_guard() -> dict:
    from newsletters.models import Subscriber

    rows = {
        s.pk: _row(Subscriber, s.pk, m2m=["work_areas", "regions", "municipalities"])
        for s in Subscriber.objects.all()
    }
    return {**counts(), "subscribers": rows}


def log_guard(pk):
    from projects.models import TrialAction

    return lambda: {**counts(), "log": _row(TrialAction, pk, m2m=["work_areas"])}


def comment_guard() -> dict:
    from projects.models import TrialActionComment

    return {**counts(), "hidden": dict(TrialActionComment.objects.values_list("pk", "hidden_at"))}


def settings_guard(user):
    from newsletters.models import NotificationSettings

    def guard():
        row = NotificationSettings.objects.filter(user=user).values().first()
        return {**counts(), "settings": row}

    return guard


def _get(clients, role, path, query, surface, refused=None, collect=False):
    """A GET writes nothing (unless `refused` says when it may)."""
    __tracebackhide__ = True
    return RECORDER.send(
        clients(role),
        "GET",
        path,
        query,
        surface=surface,
        role=role,
        guard=counts,
        refused=refused or (lambda response: True),
        collect=collect,
    )


def _post(client, role, path, form, surface, guard, encoding, refused=None, collect=False):
    __tracebackhide__ = True
    return RECORDER.send(
        client,
        "POST",
        path,
        form,
        surface=surface,
        role=role,
        guard=guard,
        refused=refused,
        encoding=encoding,
        collect=collect,
    )


# -- the parameters of each surface: name -> valid values (the first one valid alone) -----


def search_spec(world, surface: str) -> dict:
    from search.forms import PAGE_NAMES

    spec = {
        "q": ["jobcenter", "sygedagpenge video", "aarhus", "digitale veje"],
        "type": world.search_types,
        "municipality": world.municipality_codes,
        "region": world.region_codes,
        "topic": world.work_area_slugs,
        "project": world.project_keys,
        "year": YEARS,
        "sort": ["relevance", "newest", "relevans", "nyeste"],
        "page": ["1", "2", "10000", "10001"],
        "page_size": ["10", "1", "50", "51"],
    }
    if surface == "/soeg/":
        return {PAGE_NAMES[name]: v for name, v in spec.items()}
    if surface == "/api/search/autocomplete/":
        return {"q": spec["q"]}
    return spec


SEARCH_PATHS = ["/soeg/", "/api/search/", "/api/search/autocomplete/"]
EXPERIENCE_PATHS = ["/erfaringer/", "/erfaringer/feed/", "/erfaringer/feed/atom/"]


def experience_spec(world) -> dict:
    return {
        "kommune": world.municipality_slugs,
        "region": world.region_slugs,
        "omraade": world.work_area_slugs,
        "fagprofil": world.profile_slugs,
        "type": ["article", "case", "portrait", "guide"],
        "aar": YEARS,
        "side": ["1", "2", "999", "last"],
    }


API_FIELDS = {
    "title": ["Digitale veje", "x"],
    "slug": ["x"],
    "kind": ["article", "case"],
    "lead": ["x"],
    "author": ["x"],
    "external_id": ["x"],
    "published_date": GOOD_DATES,
    "first_published_at": ["2026-01-01T10:00:00+01:00", "2025-06-30T12:00:00Z"],
    "show_in_menus": ["true", "false", "1"],
    "seo_title": ["x"],
    "search_description": ["x"],
    "alias_of": ["1", "2"],
    "locale": ["1"],
    "body": ["x"],
    "id": ["1", "2"],
}


def api_spec(world, endpoint: str) -> dict:
    """Wagtail API v2's parameters, and a filter per field (Wagtail's FieldsFilter reads
    each as its field's type)."""
    ids = [str(i) for i in world.experience_ids[:3]] + ["root", "1", "2"]
    spec = {
        # Other types are refused (400): a probe of the API's own rule, now and then.
        "type": ["experiences.ExperiencePage", "experiences.experiencepage", "wagtailcore.Page"],
        "fields": ["*", "_,id", "-title", "body", "lead,body", "parent"],
        "order": ["id", "-id", "title", "-published_date", "random"],
        "limit": ["1", "20"],
        "offset": ["0", "1", "1000"],
        "search": ["jobcenter", "video samtaler", "sygedagpenge"],
        "search_operator": ["and", "or"],
        "child_of": ids,
        "descendant_of": ids,
        "ancestor_of": ids,
        "format": ["json", "api", "html"],
        "rich_text_format": ["html", "raw"],
        **API_FIELDS,
    }
    if endpoint == "find":
        spec |= {"id": ids, "html_path": world.experience_paths + ["/", "/projekter/"]}
    return spec


STATUS_SPEC = {"status": ["planned", "in_progress", "completed", "abandoned"]}
PAGE_SPEC = {"side": ["1", "2", "last", "0"]}
DOWNLOAD_SPEC = {"download": ["1", "json", ""], "side": ["1", "2"]}
NEXT_SPEC = {"next": NEXTS}


def profile_spec(world) -> dict:
    return {
        "first_name": ["Maja", "Åse"],
        "last_name": ["Mortensen", "Ørsted"],
        "job_title": ["Jobkonsulent"],
        "municipality": world.municipality_ids,
        "organisation": world.organisation_ids,
        "work_areas": world.work_area_ids,
        "bio": ["Kort om mig."],
        "phone": ["12 34 56 78", "+45 12345678"],
        "profile_visibility": ["public", "members", "private"],
        "contact_allowed": CHECKBOX,
        "remove_photo": CHECKBOX,
    }


DELETE_SPEC = {"mode": ["anonymise", "remove"], "password": ["forkert", "", "\x00"]}
PASSWORDS = ["Et-langt-kodeord-2026", PASSWORD, "kort", "\x00" * 8]


def account_spec(world, path: str) -> dict:
    return {
        "/konto/signup/": {
            "email": ["ny.bruger@kommune.dk", *EMAILS[:6]],
            "password1": PASSWORDS,
            "password2": PASSWORDS,
            "first_name": ["Ny"],
            "last_name": ["Bruger"],
            "municipality": world.municipality_ids,
        },
        "/konto/login/": {
            "login": list(ROLES.values())[1:] + EMAILS[:4],
            "password": PASSWORDS,
            "remember": CHECKBOX,
        },
        "/konto/password/reset/": {"email": ["medlem@netvaerk.example", *EMAILS]},
    }[path]


def interests_spec(world) -> dict:
    return {
        "work_areas": world.work_area_ids,
        "regions": world.region_ids,
        "municipalities": world.municipality_ids,
        "paused": CHECKBOX,
    }


def log_spec(world) -> dict:
    return {
        "title": ["Videosamtaler i jobcentret", "Ny prøvehandling"],
        "municipality": world.municipality_ids,
        "purpose": ["Vi vil afprøve video."],
        "target_group": ["Sygemeldte"],
        "actions": ["Vi ringede op."],
        "results": ["Det virkede."],
        "learnings": ["Start småt."],
        "next_steps": ["Fortsæt."],
        "status": ["planned", "in_progress", "completed", "abandoned"],
        "started": GOOD_DATES + DATES,
        "event": world.event_ids,
        "work_areas": world.work_area_ids,
        "visibility": ["participants", "network", "public"],
        "notify_on_comments": CHECKBOX,
    }


TEXT_SPECS = {
    "update": {"text": ["Opdatering: det går fremad.", "Godt forsøg!"]},
    "comment": {"text": ["Godt forsøg!", "Hvordan gik det?"]},
    "report": {"reason": ["Upassende", ""]},
    "hide": {"action": ["hide", "show"]},
    "propose": {},
}
PARTICIPANT_SPEC = {
    "email": ["ny@kommune.dk", "medlem@netvaerk.example", *EMAILS],
    "role": ["participant", "coordinator", "admin"],
}


# -- GET surfaces ------------------------------------------------------------------------


@FUZZ
@given(data=st.data())
def test_search_page_and_api(world, clients, data):
    """/soeg/ (Danish names), /api/search/ and /api/search/autocomplete/."""
    _fresh()
    path = data.draw(st.sampled_from(SEARCH_PATHS), label="path")
    role = data.draw(roles, label="role")
    query = data.draw(params(search_spec(world, path)), label="query")
    _get(clients, role, path, query, path)


@FUZZ
@given(data=st.data())
def test_experience_listing_and_feeds(world, clients, data):
    """/erfaringer/ with its filters, and the RSS and Atom feeds of the same filters."""
    _fresh()
    path = data.draw(st.sampled_from(EXPERIENCE_PATHS), label="path")
    role = data.draw(roles, label="role")
    query = data.draw(params(experience_spec(world)), label="query")
    _get(clients, role, path, query, path)


@FUZZ
@given(data=st.data())
def test_open_data_api(world, clients, data):
    """/api/v2/erfaringer/: the listing, a detail (the id fuzzed too) and find/."""
    _fresh()
    endpoint = data.draw(st.sampled_from(["listing", "detail", "find"]), label="endpoint")
    path = {
        "listing": "/api/v2/erfaringer/",
        "find": "/api/v2/erfaringer/find/",
        "detail": "/api/v2/erfaringer/{}/",
    }[endpoint]
    if endpoint == "detail":
        path = path.format(data.draw(segment(world.experience_ids), label="pk"))
    role = data.draw(roles, label="role")
    query = data.draw(params(api_spec(world, endpoint)), label="query")
    _get(clients, role, path, query, f"/api/v2/erfaringer/ {endpoint}")


@FUZZ
@given(data=st.data())
def test_project_pages(world, clients, data):
    """Project index and spaces (public and participants-only), trial-action lists with
    ?status=, details, forms shown by GET, attachments, calendars, events; ids in the
    path fuzzed."""
    _fresh()
    base = data.draw(st.sampled_from([world.project_url, world.private_url]), label="project")
    logs = world.own_logs + world.other_logs + world.private_logs
    pk = data.draw(segment(logs), label="pk")
    path, surface = data.draw(
        st.sampled_from(
            [
                ("/projekter/", "project index"),
                (base, "project"),
                (base + "proevehandlinger/", "trial-action list"),
                (base + "proevehandlinger/ny/", "trial-action form GET"),
                (base + f"proevehandlinger/{pk}/", "trial-action detail"),
                (base + f"proevehandlinger/{pk}/rediger/", "trial-action form GET"),
                (base + f"proevehandlinger/{pk}/vi-proever-ogsaa/", "trial-action form GET"),
                (base + f"kommentarer/{pk}/anmeld/", "comment report GET"),
                (base + f"vedhaeftninger/{pk}/", "attachment"),
                (base + "deltagere/", "participants GET"),
                (base + "kalender/", "project calendar"),
            ]
            + [(url, "event") for url in world.event_urls[:3]]
            + [(url + "kalender/", "event calendar") for url in world.event_urls[:3]]
            + [(url + "deltagerliste/", "attendee list") for url in world.event_urls[:3]]
            + [(url + "tilmeld/", "event sign-up GET") for url in world.event_urls[:3]]
        ),
        label="path",
    )
    role = data.draw(roles, label="role")
    query = data.draw(params(STATUS_SPEC), label="query")
    _get(clients, role, path, query, surface)


@FUZZ
@given(data=st.data())
def test_network_pages(world, clients, data):
    """Municipalities, member profiles, the profile pages and the personal-data export."""
    _fresh()
    slug = data.draw(segment(world.municipality_slugs), label="slug")
    member = data.draw(
        st.one_of(st.sampled_from(world.member_ids), st.uuids().map(str)), label="uuid"
    )
    path, surface = data.draw(
        st.sampled_from(
            [
                ("/kommuner/", "/kommuner/"),
                (f"/kommuner/{slug}/", "/kommuner/<slug>/"),
                (f"/medlemmer/{member}/", "/medlemmer/<uuid>/"),
                ("/profil/", "/profil/ GET"),
                ("/profil/mine-data/", "/profil/mine-data/"),
                ("/profil/slet-konto/", "/profil/slet-konto/ GET"),
                ("/", "home"),
            ]
        ),
        label="path",
    )
    role = data.draw(roles, label="role")
    query = data.draw(params(DOWNLOAD_SPEC), label="query")
    _get(clients, role, path, query, surface)


def tokens_strategy(world) -> st.SearchStrategy[str]:
    """Newsletter link tokens: real ones, garbled ones, and validly signed ones that
    carry payloads the code never made (huge ids, floats, nesting)."""
    from newsletters import tokens

    payloads = st.recursive(
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(),
            st.floats(allow_nan=False),
            st.text(max_size=10),
        ),
        lambda inner: st.one_of(
            st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=4), inner, max_size=3)
        ),
        max_leaves=6,
    )
    ids = st.one_of(
        st.sampled_from(world.subscriber_ids),
        st.integers(),
        st.sampled_from([int(n) for n in OUT_OF_RANGE[:5]]),
    )
    shaped = st.one_of(
        payloads,
        st.tuples(ids, st.one_of(st.text(max_size=32), st.integers())).map(list),
        st.tuples(ids, st.text(max_size=32), st.text(max_size=5), st.text(max_size=10)).map(list),
    )
    signed = st.one_of(
        shaped.map(tokens._manage_signer.sign_object),
        shaped.map(lambda p: signing.dumps(p, salt="newsletters.confirm")),
    )
    tampered = st.builds(
        lambda token, i, c: token[:i] + c + token[i + 1 :],
        st.sampled_from(world.manage_tokens + world.confirm_tokens),
        st.integers(0, 60),
        st.sampled_from(["A", ":", "\x00", "\u00e6", "-", "_"]),
    )
    real = st.sampled_from(world.manage_tokens + world.confirm_tokens)
    return st.one_of(real, signed, tampered, hostile())


def _token_segment(token: str) -> str:
    return quote(token, safe=":") or "x"


@FUZZ
@given(data=st.data())
def test_newsletter_pages(world, clients, data):
    """The archive (?side=, <pk>), and the token links: confirm, preferences, unsubscribe."""
    _fresh()
    token = _token_segment(data.draw(tokens_strategy(world), label="token"))
    pk = data.draw(segment(world.edition_ids), label="pk")
    path, surface = data.draw(
        st.sampled_from(
            [
                ("/nyhedsbrev/", "/nyhedsbrev/ GET"),
                ("/nyhedsbrev/arkiv/", "/nyhedsbrev/arkiv/"),
                (f"/nyhedsbrev/arkiv/{pk}/", "/nyhedsbrev/arkiv/<pk>/"),
                (f"/nyhedsbrev/bekraeft/{token}/", "/nyhedsbrev/bekraeft/<token>/"),
                (f"/nyhedsbrev/indstillinger/{token}/", "/nyhedsbrev/indstillinger/<token>/ GET"),
                (f"/nyhedsbrev/afmeld/{token}/", "/nyhedsbrev/afmeld/<token>/ GET"),
                ("/nyhedsbrev/mine/", "/nyhedsbrev/mine/ GET"),
            ]
        ),
        label="path",
    )
    role = data.draw(roles, label="role")
    query = data.draw(params(PAGE_SPEC), label="query")
    # A confirmation link writes (it activates the subscription), but not when refused.
    confirming = "/bekraeft/" in path
    _get(
        clients,
        role,
        path,
        query,
        surface,
        refused=lambda response: not confirming or response.status_code != 200,
    )


STATIC_PATHS = [
    "%2e%2e/%2e%2e/manage.py",
    "..%2f..%2fmanage.py",
    "%2e%2e%2f%2e%2e%2fconfig%2fsettings%2fbase.py",
    "css/../../manage.py",
    "%00",
    "css/site.css%00.txt",
    "%c0%ae%c0%ae/%c0%ae%c0%ae/manage.py",
    "a" * 5000,
    "%ff%fe",
    "wagtailadmin/../../../../etc/passwd",
    "..\\..\\manage.py",
]


@FUZZ
@given(data=st.data())
def test_login_documents_and_static(world, clients, data):
    """?next= on the site and admin logins, document downloads, static files."""
    _fresh()
    doc_id = data.draw(segment(world.document_ids), label="document id")
    name = data.draw(segment(world.document_names), label="document name")
    static = data.draw(st.one_of(st.sampled_from(STATIC_PATHS), segment()), label="static path")
    path, surface = data.draw(
        st.sampled_from(
            [
                ("/konto/login/", "/konto/login/ GET"),
                ("/admin/login/", "/admin/login/ GET"),
                ("/konto/signup/", "/konto/signup/ GET"),
                ("/konto/password/reset/", "/konto/password/reset/ GET"),
                ("/admin/", "/admin/ GET"),
                (f"/dokumenter/{doc_id}/{name}", "/dokumenter/<id>/<name>"),
                (f"/static/{static}", "/static/<path>"),
            ]
        ),
        label="path",
    )
    role = data.draw(roles, label="role")
    query = data.draw(params(NEXT_SPEC), label="query")
    _get(clients, role, path, query, surface)


# -- POST forms --------------------------------------------------------------------------


@FUZZ
@given(data=st.data())
def test_profile_form(world, clients, data):
    """/profil/ (ProfileForm, with a photo now and then) and /profil/slet-konto/ (with
    a wrong password: the account stays)."""
    _fresh()
    role = data.draw(st.sampled_from(["member", "participant"]), label="role")
    encoding = data.draw(encodings, label="encoding")
    if data.draw(st.integers(0, 4), label="form") == 0:
        path, spec = "/profil/slet-konto/", DELETE_SPEC
    else:
        path, spec = "/profil/", profile_spec(world)
    form = data.draw(params(spec, complete=True), label="form")
    if path == "/profil/" and encoding == "multipart" and data.draw(st.booleans(), label="file"):
        form["photo_upload"] = data.draw(upload(), label="photo_upload")
    guard = user_guard(world.users[role])
    _post(clients(role), role, path, form, f"{path} POST", guard, encoding)


@FUZZ
@given(data=st.data())
def test_signup_login_and_reset_forms(world, data):
    """allauth's sign-up (with SignupExtraForm), login and password reset, anonymous."""
    _fresh()
    client = Client(raise_request_exception=False)
    encoding = data.draw(encodings, label="encoding")
    path = data.draw(
        st.sampled_from(["/konto/signup/", "/konto/login/", "/konto/password/reset/"]),
        label="path",
    )
    form = data.draw(params(account_spec(world, path), complete=True), label="form")
    _post(client, "anonymous", path, form, f"{path} POST", counts, encoding)


def _unsubscribe_refused(path, form):
    """Unsubscribing answers with a page rather than a redirect; only an error status
    is a refusal there."""

    def refused(response):
        if "/afmeld/" in path or "unsubscribe" in form:
            return response.status_code >= 400
        return response.status_code not in REDIRECTS

    return refused


@FUZZ
@given(data=st.data())
def test_newsletter_forms(world, clients, data):
    """Subscribe (/nyhedsbrev/), preferences and unsubscribe by token, and /mine/."""
    _fresh()
    encoding = data.draw(encodings, label="encoding")
    token = _token_segment(
        data.draw(
            st.one_of(st.sampled_from(world.manage_tokens), tokens_strategy(world)),
            label="token",
        )
    )
    path, role, extra = data.draw(
        st.sampled_from(
            [
                ("/nyhedsbrev/", "anonymous", {"email": world.subscriber_emails + EMAILS}),
                ("/nyhedsbrev/", "member", {"email": ["ny@kommune.dk"] + EMAILS}),
                (f"/nyhedsbrev/indstillinger/{token}/", "anonymous", {}),
                (f"/nyhedsbrev/afmeld/{token}/", "anonymous", {}),
                ("/nyhedsbrev/mine/", "member", {}),
                ("/nyhedsbrev/mine/", "participant", {}),
            ]
        ),
        label="surface",
    )
    form = data.draw(params({**interests_spec(world), **extra}, complete=True), label="form")
    if data.draw(st.integers(0, 5), label="unsubscribe?") == 5:
        form["unsubscribe"] = [data.draw(value(["1", ""]), label="unsubscribe")]
    surface = f"/nyhedsbrev/{path.split('/')[2] or 'subscribe'} POST"
    refused = _unsubscribe_refused(path, form)
    _post(clients(role), role, path, form, surface, subscriber_guard, encoding, refused)


@FUZZ
@given(data=st.data())
def test_trial_action_form(world, clients, data):
    """TrialActionForm (with an attachment now and then): a new log, an edit, and "vi
    prøver også" (a pick-up of another's log)."""
    _fresh()
    encoding = data.draw(encodings, label="encoding")
    role = data.draw(st.sampled_from(["participant", "participant", "coordinator"]), label="role")
    own = data.draw(st.sampled_from(world.own_logs), label="own log")
    other = data.draw(st.sampled_from(world.other_logs), label="other log")
    base = world.project_url + "proevehandlinger/"
    path, surface = data.draw(
        st.sampled_from(
            [
                (base + "ny/", "trial-action new"),
                (base + f"{own}/rediger/", "trial-action edit"),
                (base + f"{other}/vi-proever-ogsaa/", "trial-action pick-up"),
            ]
        ),
        label="path",
    )
    form = data.draw(params(log_spec(world), complete=True), label="form")
    if encoding == "multipart" and data.draw(st.booleans(), label="file"):
        form["attachment"] = data.draw(upload(), label="attachment")
    _post(clients(role), role, path, form, surface, log_guard(own), encoding)


def text_form_paths(world, log, comment) -> list[tuple[str, str, str]]:
    base = world.project_url
    return [
        (f"{base}proevehandlinger/{log}/opdatering/", "participant", "update"),
        (f"{base}proevehandlinger/{log}/kommentar/", "participant", "comment"),
        (f"{base}proevehandlinger/{log}/kommentar/", "member", "comment"),
        (f"{base}kommentarer/{comment}/anmeld/", "participant", "report"),
        (f"{base}kommentarer/{comment}/skjul/", "coordinator", "hide"),
        (f"{base}proevehandlinger/{log}/foreslaa-artikel/", "participant", "propose"),
    ]


@FUZZ
@given(data=st.data())
def test_trial_action_text_forms(world, clients, data):
    """Timeline updates, comments, reports, hiding a comment, proposing an article; the
    ids in the path fuzzed too."""
    _fresh()
    encoding = data.draw(encodings, label="encoding")
    log = data.draw(segment(world.own_logs), label="log")
    comment = data.draw(segment(world.comments), label="comment")
    path, role, kind = data.draw(
        st.sampled_from(text_form_paths(world, log, comment)), label="surface"
    )
    form = data.draw(params(TEXT_SPECS[kind], complete=True), label="form")
    _post(clients(role), role, path, form, f"trial-action {kind}", comment_guard, encoding)


@FUZZ
@given(data=st.data())
def test_participants_and_event_forms(world, clients, data):
    """The coordinator's participant form (add by e-mail, remove by id), and event
    sign-up and cancellation (they answer every allowed POST with a redirect)."""
    _fresh()
    encoding = data.draw(encodings, label="encoding")
    event = data.draw(st.sampled_from(world.event_urls), label="event")
    participants = world.project_url + "deltagere/"
    remove = {"remove": [str(pk) for pk in world.participant_rows]}
    path, role, spec, surface = data.draw(
        st.sampled_from(
            [
                (participants, "coordinator", PARTICIPANT_SPEC, "participants add"),
                (participants, "coordinator", remove, "participants remove"),
                (participants, "participant", PARTICIPANT_SPEC, "participants"),
                (event + "tilmeld/", "participant", {}, "event sign-up"),
                (event + "tilmeld/", "member", {}, "event sign-up"),
                (event + "afmeld/", "participant", {}, "event cancel"),
            ]
        ),
        label="surface",
    )
    form = data.draw(params(spec, complete=True), label="form")
    _post(clients(role), role, path, form, surface, counts, encoding)


FOLLOW_KINDS = [
    "project",
    "trial_action",
    "event",
    "comment",
    "municipality",
    "work_area",
    "search",
    "experience",
]


def follow_spec(world) -> dict:
    keys = (
        world.project_keys
        + world.own_logs
        + world.private_logs
        + world.event_ids
        + world.comments
        + world.municipality_codes
        + world.work_area_slugs
        + world.experience_ids[:3]
        + ["q=jobcenter", "q=video&aar=2025", "kommune=0751&sortering=nyeste"]
    )
    return {"kind": FOLLOW_KINDS, "key": keys, "next": NEXTS}


def saved_search_keys() -> st.SearchStrategy[str]:
    """A followed search's key is a query string: of the search page's parameters, with
    valid and hostile values."""
    from django.utils.http import urlencode

    from search.forms import PAGE_NAMES

    pairs = st.dictionaries(
        st.sampled_from(sorted(PAGE_NAMES.values())),
        value(["jobcenter", "2025", "0751", "unge", "nyeste", "1"]),
        min_size=1,
        max_size=3,
    )
    return pairs.map(urlencode)


def stop_tokens(world) -> st.SearchStrategy[str]:
    """The digest's stop link: real, garbled, and signed with payloads never made."""
    from newsletters import digests

    payloads = st.one_of(
        st.sampled_from(world.user_ids),
        st.integers(),
        st.floats(),
        st.sampled_from([float("inf"), float("-inf"), float("nan"), 1e308, 2**64, -1, True]),
        st.text(max_size=10),
        st.sampled_from(OUT_OF_RANGE),
        st.lists(st.integers(), max_size=2),
    )
    signed = payloads.map(lambda p: signing.dumps(p, salt=digests._STOP_SALT))
    return st.one_of(st.sampled_from(world.stop_tokens), signed, hostile())


@FUZZ
@given(data=st.data())
def test_following_and_notifications(world, clients, data):
    """/varsler/: the list (?side=), opening one, following (kind, key, next; saved
    searches are query strings), settings (frequency, a new feed link), the stop link
    (GET and the one-click POST) and the private feed; and /overblik/."""
    _fresh()
    role = data.draw(
        st.sampled_from(["member", "participant", "coordinator", "anonymous"]), label="role"
    )
    encoding = data.draw(encodings, label="encoding")
    stop = _token_segment(data.draw(stop_tokens(world), label="stop token"))
    feed = _token_segment(
        data.draw(st.one_of(st.sampled_from(world.feed_tokens), hostile()), label="feed token")
    )
    pk = data.draw(segment(["1", "2"]), label="pk")
    method, path, spec, surface = data.draw(
        st.sampled_from(
            [
                ("GET", "/varsler/", PAGE_SPEC, "/varsler/"),
                ("GET", f"/varsler/{pk}/", {}, "/varsler/<pk>/"),
                ("GET", "/varsler/foelger/", {}, "/varsler/foelger/"),
                ("GET", "/varsler/indstillinger/", {}, "/varsler/indstillinger/ GET"),
                ("GET", f"/varsler/stop/{stop}/", {}, "/varsler/stop/<token>/ GET"),
                ("GET", f"/varsler/feed/{feed}/", {}, "/varsler/feed/<token>/"),
                ("GET", "/overblik/", {}, "/overblik/"),
                ("POST", "/varsler/foelg/", follow_spec(world), "/varsler/foelg/ POST"),
                ("POST", "/varsler/laest/", {}, "/varsler/laest/ POST"),
                (
                    "POST",
                    "/varsler/indstillinger/",
                    {"frequency": ["immediate", "daily", "weekly", "never"]},
                    "/varsler/indstillinger/ POST",
                ),
                ("POST", f"/varsler/stop/{stop}/", {}, "/varsler/stop/<token>/ POST"),
            ]
        ),
        label="surface",
    )
    if method == "GET":
        query = data.draw(params(spec), label="query")
        _get(clients, role, path, query, surface)
        return
    form = data.draw(params(spec, complete=True), label="form")
    if path == "/varsler/foelg/" and data.draw(st.booleans(), label="search key?"):
        form["kind"] = ["search"]
        form["key"] = [data.draw(saved_search_keys(), label="search key")]
    if path == "/varsler/indstillinger/" and data.draw(st.integers(0, 4), label="renew?") == 4:
        form["renew_feed"] = ["1"]
    guard = settings_guard(world.users.get(role)) if role != "anonymous" else counts

    def refused(response):
        # The one-click stop answers with a page; only an error status is a refusal.
        if "/stop/" in path:
            return response.status_code >= 400
        return response.status_code not in REDIRECTS

    _post(clients(role), role, path, form, surface, guard, encoding, refused)


def reminder_spec(world) -> dict:
    from projects import reminders

    return {
        "subject": ["Husk prøvehandlingerne", "Påmindelse"],
        "message": ["Skriv gerne en opdatering.", "Hej"],
        "municipalities": world.dashboard_municipalities,
        "action": ["preview", "send", "nope"],
        "key": [reminders.new_key(), "x" * 32, "kort"],
    }


@FUZZ
@given(data=st.data())
def test_project_dashboard(world, clients, data):
    """The coordinator's overblik: the page, the CSV, and the reminder form (preview,
    send with a one-time key)."""
    _fresh()
    role = data.draw(
        st.sampled_from(["coordinator", "coordinator", "participant", "editor"]), label="role"
    )
    encoding = data.draw(encodings, label="encoding")
    base = world.project_url + "overblik/"
    method, path, surface = data.draw(
        st.sampled_from(
            [
                ("GET", base, "dashboard"),
                ("GET", base + "csv/", "dashboard csv"),
                ("GET", base + "paamindelse/", "reminder GET"),
                ("POST", base + "paamindelse/", "reminder POST"),
                ("POST", base + "paamindelse/", "reminder POST"),
            ]
        ),
        label="surface",
    )
    if method == "GET":
        _get(clients, role, path, data.draw(params({}), label="query"), surface)
        return
    form = data.draw(params(reminder_spec(world), complete=True), label="form")
    _post(clients(role), role, path, form, surface, counts, encoding)


# -- every parameter, one at a time, with known troublemakers ------------------------------

TROUBLEMAKERS = {
    "int": ["99999999999999999999", "\u00b2", "9" * 5000],
    "date": ["2024-02-30", "99999-01-01", "\x00"],
    "email": ["a@b.dk\x00", "a" * 300 + "@example.com", "99999999999999999999"],
    "text": ["a\x00\u202e\u0301", "\U0001f642" * (LONG // 4), "99999999999999999999"],
}


@dataclass
class Target:
    method: str
    path: str
    role: str
    spec: dict
    surface: str
    guard: object = counts
    refused: object = None
    extra_bad: dict | None = None  # name -> troublemakers of its own


def sweep_targets(world) -> list[Target]:
    log, other, comment = world.own_logs[0], world.other_logs[0], world.comments[0]
    new_log = world.project_url + "proevehandlinger/ny/"
    return [
        *(Target("GET", p, "member", search_spec(world, p), p) for p in SEARCH_PATHS),
        *(Target("GET", p, "anonymous", experience_spec(world), p) for p in EXPERIENCE_PATHS[:2]),
        Target(
            "GET",
            "/api/v2/erfaringer/",
            "anonymous",
            api_spec(world, "listing"),
            "/api/v2/erfaringer/",
        ),
        Target(
            "GET",
            "/api/v2/erfaringer/find/",
            "anonymous",
            {k: v for k, v in api_spec(world, "find").items() if k in ("id", "html_path")},
            "/api/v2/erfaringer/find/",
        ),
        Target(
            "GET",
            world.project_url + "proevehandlinger/",
            "participant",
            STATUS_SPEC,
            "trial-action list",
        ),
        Target("GET", "/profil/mine-data/", "member", DOWNLOAD_SPEC, "/profil/mine-data/"),
        Target("GET", "/nyhedsbrev/arkiv/", "anonymous", PAGE_SPEC, "/nyhedsbrev/arkiv/"),
        Target("GET", "/konto/login/", "anonymous", NEXT_SPEC, "/konto/login/"),
        Target("GET", "/admin/login/", "anonymous", NEXT_SPEC, "/admin/login/"),
        Target(
            "POST",
            "/profil/",
            "member",
            profile_spec(world),
            "/profil/",
            user_guard(world.users["member"]),
        ),
        Target(
            "POST",
            "/profil/slet-konto/",
            "member",
            DELETE_SPEC,
            "/profil/slet-konto/",
            user_guard(world.users["member"]),
        ),
        *(
            Target("POST", p, "anonymous", account_spec(world, p), p)
            for p in ("/konto/signup/", "/konto/login/", "/konto/password/reset/")
        ),
        Target(
            "POST",
            "/nyhedsbrev/",
            "anonymous",
            {"email": ["ny@kommune.dk"], **interests_spec(world)},
            "/nyhedsbrev/",
            subscriber_guard,
        ),
        Target(
            "POST",
            f"/nyhedsbrev/indstillinger/{_token_segment(world.manage_tokens[0])}/",
            "anonymous",
            interests_spec(world),
            "/nyhedsbrev/indstillinger/",
            subscriber_guard,
        ),
        Target(
            "POST",
            "/nyhedsbrev/mine/",
            "member",
            interests_spec(world),
            "/nyhedsbrev/mine/",
            subscriber_guard,
        ),
        # The edit form is the same form (its own test checks that a refused edit
        # leaves the log as it was).
        Target("POST", new_log, "participant", log_spec(world), "trial-action new", log_guard(log)),
        *(
            Target("POST", path, role, TEXT_SPECS[kind], kind, comment_guard)
            for path, role, kind in text_form_paths(world, log, comment)
            if TEXT_SPECS[kind]
        ),
        Target(
            "POST",
            world.project_url + "deltagere/",
            "coordinator",
            PARTICIPANT_SPEC,
            "participants add",
        ),
        Target(
            "POST",
            "/varsler/foelg/",
            "member",
            follow_spec(world),
            "/varsler/foelg/",
            settings_guard(world.users["member"]),
        ),
        Target(
            "POST",
            "/varsler/foelg/",
            "member",
            {"kind": ["search"], "key": ["q=jobcenter"]},
            "/varsler/foelg/ (search)",
            settings_guard(world.users["member"]),
            extra_bad={"key": ["q=x&aar=\u00b2", "q=x&side=" + "9" * 5000, "q=x&antal=\u00b2"]},
        ),
        Target(
            "POST",
            "/varsler/indstillinger/",
            "member",
            {"frequency": ["daily"]},
            "/varsler/indstillinger/",
            settings_guard(world.users["member"]),
        ),
        Target(
            "POST",
            world.project_url + "overblik/paamindelse/",
            "coordinator",
            reminder_spec(world),
            "reminder",
        ),
        Target(
            "POST",
            world.project_url + f"proevehandlinger/{other}/vi-proever-ogsaa/",
            "participant",
            {"title": ["Vi prøver også"], "municipality": world.municipality_ids},
            "trial-action pick-up",
            log_guard(log),
        ),
    ]


PATH_TROUBLEMAKERS = ["99999999999999999999", "9" * 5000, "%C2%B2", "%00"]


def sweep_paths(world) -> list[tuple[str, str, str]]:
    """Paths with an id or a token in them: (template, role, surface)."""
    project = world.project_url
    return [
        ("/dokumenter/{}/" + world.document_names[0], "anonymous", "/dokumenter/<id>/<name>"),
        ("/api/v2/erfaringer/{}/", "anonymous", "/api/v2/erfaringer/<id>/"),
        ("/nyhedsbrev/arkiv/{}/", "anonymous", "/nyhedsbrev/arkiv/<pk>/"),
        ("/nyhedsbrev/indstillinger/{}/", "anonymous", "/nyhedsbrev/indstillinger/<token>/"),
        ("/nyhedsbrev/bekraeft/{}/", "anonymous", "/nyhedsbrev/bekraeft/<token>/"),
        ("/kommuner/{}/", "anonymous", "/kommuner/<slug>/"),
        (project + "proevehandlinger/{}/", "participant", "trial-action detail"),
        (project + "proevehandlinger/{}/rediger/", "participant", "trial-action form GET"),
        (project + "kommentarer/{}/anmeld/", "participant", "comment report GET"),
        (project + "vedhaeftninger/{}/", "participant", "attachment"),
        ("/varsler/{}/", "member", "/varsler/<pk>/"),
        ("/varsler/stop/{}/", "anonymous", "/varsler/stop/<token>/"),
        ("/varsler/feed/{}/", "anonymous", "/varsler/feed/<token>/"),
    ]


def test_each_parameter_with_known_troublemakers(world, clients):
    """Each parameter of each surface, alone (GET) or in an otherwise valid form (POST),
    gets the troublemakers for its kind: a number past 64 bits or past int()'s 4300
    digits, a digit int() cannot read, NUL, an impossible date, 20,000 characters; so
    does each id or token in a path. Every failure is listed."""
    for template, role, surface in sweep_paths(world):
        for bad in PATH_TROUBLEMAKERS:
            _fresh()
            _get(clients, role, template.format(bad), {}, surface, collect=True)
    for target in sweep_targets(world):
        baseline = (
            {name: [str(valid[0])] for name, valid in target.spec.items() if valid}
            if target.method == "POST"
            else {}
        )
        for name, valid in target.spec.items():
            bad_values = TROUBLEMAKERS[kind_of(valid)]
            bad_values = bad_values + (target.extra_bad or {}).get(name, [])
            for bad in bad_values:
                _fresh()
                data = {**baseline, name: [bad]}
                if target.method == "GET":
                    _get(clients, target.role, target.path, data, target.surface, collect=True)
                else:
                    _post(
                        clients(target.role),
                        target.role,
                        target.path,
                        data,
                        f"{target.surface} POST",
                        target.guard,
                        "multipart",
                        target.refused,
                        collect=True,
                    )
    failures = [f for f in RECORDER.failures if f.test == RECORDER.test]
    if failures:
        report = "\n".join(f.describe(limit=300) for f in failures)
        pytest.fail(f"{len(failures)} failures:\n{report}", pytrace=False)
