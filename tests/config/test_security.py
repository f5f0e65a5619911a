"""Security headers, health probes, and a walk over every URL pattern as anonymous
and as a plain member: no private content, never a 500."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver


@pytest.mark.django_db
def test_security_headers_are_sent(client, demo):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["script-src"] == "'self'"  # no unsafe-inline for scripts
    assert "'unsafe-inline'" not in directives["script-src"]
    assert directives["object-src"] == "'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_admin_gets_its_own_policy(client, demo):
    from network.models import User

    client.force_login(User.objects.get(email="redaktoer@netvaerk.example"))
    response = client.get("/admin/")
    admin = _directives(response)
    # Wagtail's admin runs inline scripts (choosers, date pickers, inline panels).
    assert "'unsafe-inline'" in admin["script-src"].split()
    assert admin["object-src"] == "'none'" and admin["frame-ancestors"] == "'self'"
    public = _directives(client.get("/"))
    assert public["script-src"] == "'self'"  # the public site stays strict when logged in


def _directives(response) -> dict[str, str]:
    csp = response["Content-Security-Policy"]
    return dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())


@pytest.mark.django_db
def test_health_probes(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    body = ready.json()
    assert body["status"] == "ok" and body["checks"]["database"] == "ok"
    assert "search" in body["checks"] and "pending_tasks" in body["checks"]


def _production_env(**overrides) -> dict:
    """A clean environment: only what production.py needs, nothing from other tests."""
    import os

    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "a-long-random-secret-key-for-the-deploy-check-0123456789abcdef",
        "ALLOWED_HOSTS": "netvaerk.example",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "SITE_URL": "https://netvaerk.example",
        "DEFAULT_FROM_EMAIL": "Beskæftigelsesnetværket <noreply@netvaerk.example>",
        **overrides,
    }


def test_production_settings_pass_the_deploy_check():
    import subprocess
    import sys

    env = _production_env()
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout, result.stdout + result.stderr
    env.pop("SECRET_KEY")
    missing = subprocess.run(
        [sys.executable, "manage.py", "check"], env=env, capture_output=True, text=True, timeout=120
    )
    assert missing.returncode != 0 and "SECRET_KEY" in missing.stderr


# -- the URL walk -------------------------------------------------------------------


def _patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _concrete(pattern, ids):
    """Fill converters with real ids of private objects, so a leak would show."""
    path = pattern.lstrip("^").rstrip("$")
    if "(?" in path or "\\" in path:
        return None
    path = re.sub(r"<int:[a-z_]*pk>|<int:[a-z_]*id>|<int:[a-z_]+>", str(ids["pk"]), path)
    path = re.sub(r"<uuid:[a-z_]+>", ids["uuid"], path)
    path = re.sub(r"<(slug|str|path):[a-z_]+>", ids["slug"], path)
    if "<" in path:
        return None
    return "/" + path


@pytest.fixture
def private_world(demo):
    from projects.models import ProjectPage, TrialAction

    hidden = ProjectPage.objects.get(visibility="participants")
    logs = TrialAction.objects.filter(project=hidden)
    secrets = [hidden.title] + [log.title for log in logs]
    urls = [hidden.url] + [log.get_absolute_url() for log in logs]
    urls += [e.url for e in hidden.get_children().specific()]
    urls += [m.document.url for m in hidden.materials.all()]
    return {"secrets": secrets, "urls": urls, "log": logs.first(), "project": hidden}


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_no_url_leaks_private_content_or_fails(client, private_world, who):
    from network.models import User

    if who == "member":
        client.force_login(User.objects.get(email="medlem@netvaerk.example"))
    ids = {
        "pk": str(private_world["log"].pk),
        "uuid": "00000000-0000-0000-0000-000000000000",
        "slug": private_world["project"].slug,
    }
    paths = {p for p in (_concrete(x, ids) for x in _patterns()) if p}
    paths |= set(private_world["urls"])
    paths |= {
        private_world["project"].url + suffix
        for suffix in (
            "proevehandlinger/",
            "kalender/",
            "deltagere/",
            f"proevehandlinger/{ids['pk']}/",
            f"vedhaeftninger/{ids['pk']}/",
        )
    }
    paths |= {
        "/",
        "/projekter/",
        "/erfaringer/",
        "/kommuner/aarhus/",
        "/kommuner/assens/",
        "/soeg/?q=prøvehandling",
        "/api/search/?q=opringning",
        "/erfaringer/feed/",
        "/api/v2/erfaringer/",
    }
    assert len(paths) > 40
    for path in sorted(paths):
        if path.startswith(("/admin/", "/konto/logout")):
            continue
        response = client.get(path)
        assert response.status_code < 500, path
        if response.status_code == 200 and not response.streaming:
            text = response.content.decode(errors="ignore")
            for secret in private_world["secrets"]:
                assert secret not in text, (path, secret)
    for url in private_world["urls"]:
        assert client.get(url).status_code == 404, url


def test_site_url_follows_port_on_a_development_machine():
    """`PORT=8080 make run` serves on 8080, so mail and feed links must say 8080."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    # One process reads the development settings afresh under each environment (the
    # settings module only, not django.setup(): it is the settings that decide).
    code = """
import importlib, json, os, sys
for extra in json.loads(sys.argv[1]):
    for name in [m for m in sys.modules if m.startswith("config.settings")]:
        del sys.modules[name]
    for name in ("SITE_URL", "PORT"):
        os.environ.pop(name, None)
    os.environ.update(extra)
    print(importlib.import_module("config.settings.dev").SITE_URL)
"""
    cases = [{"PORT": "8080"}, {}, {"PORT": "8080", "SITE_URL": "https://netvaerk.example/"}]
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", code, json.dumps(cases)],
        env={k: v for k, v in os.environ.items() if k not in ("SITE_URL", "PORT")},
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split() == [
        "http://127.0.0.1:8080",
        "http://127.0.0.1:8000",
        "https://netvaerk.example",
    ]


@pytest.mark.django_db
def test_favicon_answers(client):
    """/favicon.ico was a 404 on every page load."""
    response = client.get("/favicon.ico", follow=True)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert 'rel="icon"' in client.get("/").content.decode()


UNSUBSCRIBE_LINK = """
from django.urls import reverse
from newsletters.rendering import absolute
print(absolute(reverse("newsletters:unsubscribe", args=["token"])))
"""


def test_production_mail_links_are_https_and_an_http_site_url_is_refused():
    """RFC 8058: a one-click List-Unsubscribe must be https. The newsletter builds the
    header from SITE_URL (newsletters/rendering.py), and production refuses to start
    with an http SITE_URL while it redirects to https."""
    import subprocess
    import sys

    env = _production_env(SITE_URL="https://netvaerk.example/")

    def shell(**overrides):
        return subprocess.run(
            [sys.executable, "manage.py", "shell", "--no-imports", "-c", UNSUBSCRIBE_LINK],
            env={**env, **overrides},
            capture_output=True,
            text=True,
            timeout=120,
        )

    link = shell()
    assert link.returncode == 0, link.stderr
    assert link.stdout.strip() == "https://netvaerk.example/nyhedsbrev/afmeld/token/"

    plain = shell(SITE_URL="http://netvaerk.example")
    assert plain.returncode != 0
    assert "SITE_URL must be the site's https:// address" in plain.stderr
    missing = shell(SITE_URL="")
    assert missing.returncode != 0 and "SITE_URL" in missing.stderr
    # Nor does it start sending from the development default (an outside walk saw every
    # mail come from noreply@localhost).
    local = shell(DEFAULT_FROM_EMAIL="Beskæftigelsesnetværket <noreply@localhost>")
    assert local.returncode != 0 and "DEFAULT_FROM_EMAIL must be" in local.stderr
    unset = shell(DEFAULT_FROM_EMAIL="")
    assert unset.returncode != 0 and "DEFAULT_FROM_EMAIL" in unset.stderr


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_pages_refuse_methods_they_do_not_take(client, demo, method):
    """Wagtail's page view answered PUT, DELETE and PATCH with the page (200)."""
    for path in ("/", "/erfaringer/", "/nyhedsbrev/", "/api/search/?q=job"):
        response = getattr(client, method)(path)
        assert response.status_code == 405, path
        assert "GET" in response["Allow"] and "PUT" not in response["Allow"]
    assert client.get("/erfaringer/").status_code == 200
    assert client.options("/erfaringer/").status_code in (200, 405)  # never a 500
    # The site's 405 says why in Danish (Django's has no body, and the browser showed
    # its own English page); the API's stays as it is.
    assert "Siden kan ikke åbnes sådan" in client.put("/erfaringer/").content.decode()
    assert "Siden kan ikke" not in client.put("/api/search/?q=job").content.decode()


@pytest.mark.django_db
def test_the_admin_asks_for_two_factor_when_required(client, settings):
    """An outside check: admin@ reached the admin with a password alone. With
    ADMIN_REQUIRES_TWO_FACTOR (on in production over https), an account without
    two-factor login is sent to set it up; one with it gets in."""
    from allauth.mfa.models import Authenticator
    from django.contrib.auth.models import Group, Permission

    from network.factories import UserFactory

    editor = UserFactory(email="redaktoer@kommune.example")
    editor.groups.add(Group.objects.get_or_create(name="Editors")[0])
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200  # off: the development default

    settings.ADMIN_REQUIRES_TWO_FACTOR = True
    asked = client.get("/admin/pages/", follow=True)
    assert asked.redirect_chain[0][0] == "/konto/2fa/totp/activate/"
    assert "Administrationen kræver totrinsbekræftelse" in asked.content.decode()
    assert client.get("/overblik/").status_code == 200  # the site itself is open

    Authenticator.objects.create(user=editor, type=Authenticator.Type.TOTP, data={})
    assert client.get("/admin/").status_code == 200


def test_production_over_https_requires_two_factor_for_the_admin():
    import subprocess
    import sys

    env = _production_env()
    code = "from django.conf import settings; print(settings.ADMIN_REQUIRES_TWO_FACTOR)"
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.stdout.strip().splitlines()[-1] == "True", out.stderr


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/nyhedsbrev/", "/konto/login/", "/api/search/"])
def test_a_form_posted_in_another_charset_gets_a_danish_400(path):
    """Django refuses a form that is not UTF-8 (BadRequest), and the CSRF check of its
    own 400 and 500 pages read the form again: an outside attacker got a bare English
    "A server error occurred"."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True, raise_request_exception=False)
    response = client.generic(
        "POST",
        path,
        b"email=b%E6r%40x.dk",
        content_type="application/x-www-form-urlencoded; charset=iso-8859-1",
    )
    assert response.status_code == 400
    assert "UTF-8" in response.content.decode()
