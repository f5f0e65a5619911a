"""Site-wide middleware: the Content-Security-Policy, one log line per request, and the
answer when the database cannot be reached."""

from __future__ import annotations

import logging
import re
import time

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import BadRequest
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control, patch_vary_headers

request_logger = logging.getLogger("netvaerk.requests")


class SiteCSPMiddleware(CSPMiddleware):
    """The strict policy (no inline scripts) everywhere except the Wagtail admin,
    which gets its own, looser policy (it needs inline scripts and styles)."""

    def get_policy_parts(self, request, response, report_only: bool = False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if (
            not report_only
            and parts.config is None
            and request.path.startswith(settings.ADMIN_URL_PREFIXES)
        ):
            parts.config = settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"]
        return parts


class RejectNulMiddleware:
    """A NUL character in the path, a query parameter or a posted field is never
    something a person typed. PostgreSQL refuses it in any text column (a DataError,
    so a 500 wherever a view filters on the value); answer 400 before any view runs.
    Likewise an id past 64 bits given to the admin (its bulk actions and its listing
    filters look it up as it is: an OverflowError), and a search operator Wagtail's
    page API does not know (a ValueError)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST":
            try:
                request.POST  # noqa: B018 (read here, where its error can be answered)
            except BadRequest:
                # A form posted in another charset than UTF-8 (no browser does): Django
                # refuses to read it, and so did the CSRF check of its own 400 and 500
                # pages, so an outside attacker got a bare English 500.
                return bad_request(request, "Formularen skal sendes som UTF-8.")
        if (
            "\x00" in request.path
            or _has_nul(request.GET)
            or (request.method == "POST" and _has_nul(request.POST))
        ):
            return bad_request(request, "Forespørgslen indeholder et ugyldigt tegn (NUL).")
        if request.path.startswith("/admin/") and any(
            _past_64_bits(value) for values in request.GET.lists() for value in values[1]
        ):
            # Wagtail's bulk actions and the admin's filters (?owner=, ?user=, ?site=,
            # ?content_type=, ?work_areas=) look such an id up as it is: OverflowError,
            # a 500 (outside checks).
            return bad_request(request, "Der er ingen side eller post med det id.")
        if request.GET.get("search_operator", "and") not in ("and", "or") and (
            request.path.startswith(("/admin/api/", "/api/"))
        ):
            # Wagtail's page API raised ValueError for any other operator: a 500.
            return bad_request(request, "search_operator skal være »and« eller »or«.")
        return self.get_response(request)


def bad_request(request, message: str):
    """400 with a Danish message: JSON for the API (under `error`, as the search API
    answers, and `message`, as Wagtail's API does), the site's 400 page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"error": message, "message": message}, status=400)
    return HttpResponse(render_to_string("400.html", {"message": message}), status=400)


def _has_nul(params) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in params.lists())


class SiteMethodsMiddleware:
    """The public site takes GET, HEAD, POST and OPTIONS. Wagtail's page view served a
    page to PUT, DELETE or PATCH as to GET (200), which confuses caches, scanners and
    clients alike; they get 405 with the methods that are allowed. The admin keeps its
    own (it may use others for its own calls)."""

    ALLOWED = ("GET", "HEAD", "POST", "OPTIONS")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in self.ALLOWED and not request.path.startswith(
            settings.ADMIN_URL_PREFIXES
        ):
            from django.http import HttpResponseNotAllowed

            return self._explained(request, HttpResponseNotAllowed(self.ALLOWED))
        return self._explained(request, self.get_response(request))

    @staticmethod
    def _explained(request, response):
        """Django's 405 has no body, and a browser shows its own English page for it (a
        form's address opened on its own): the site's pages give a Danish one."""
        if (
            response.status_code == 405
            and not response.content
            and not request.path.startswith(("/api/", *settings.ADMIN_URL_PREFIXES))
            and request.method != "HEAD"
        ):
            response.content = render_to_string("405.html")
            response["Content-Type"] = "text/html; charset=utf-8"
        return response


class RequestLogMiddleware:
    """One structured line per request: method, path, status, duration, user id.

    No personal data beyond the user id: no query string (it may hold e-mail
    addresses or search terms), no IP address, no user agent.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = (time.perf_counter() - started) * 1000
        user = getattr(request, "user", None)
        request_logger.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round(duration_ms, 1),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )
        return response


#: Connection-level database failures (the server is down, restarting, unreachable)
#: are an outage. An IntegrityError is a bug or a race to report, and OperationalError
#: is also what SQLite raises for a malformed full-text query ("unterminated string",
#: "fts5: syntax error"): neither is an outage. These are SQLite's and PostgreSQL's
#: wordings for a lost, refused, locked or full database.
_OUTAGE_MESSAGE = re.compile(
    r"connect|connection|server closed|terminat(ed|ing) (abnormally|connection)|"
    r"shutting down|starting up|in recovery|too many clients|timed? ?out|"
    r"database is locked|database table is locked|busy|unable to open|disk i/o|"
    r"disk image|readonly database|database or disk is full|out of memory",
    re.IGNORECASE,
)
#: PostgreSQL SQLSTATE classes that mean the server, not the statement: connection
#: exceptions, insufficient resources, operator intervention (shutdown, restart).
_OUTAGE_SQLSTATE = ("08", "53", "57")


def is_outage(exception: BaseException) -> bool:
    """Whether a database error means the database is unavailable (503), rather
    than a statement it refused (a bug: 500, never an outage alert)."""
    if isinstance(exception, InterfaceError):
        return True
    if not isinstance(exception, OperationalError):
        return False
    sqlstate = getattr(exception.__cause__, "sqlstate", None)
    if sqlstate:
        return sqlstate.startswith(_OUTAGE_SQLSTATE)
    # SQLite quotes the offending token, which a visitor chose: never read it.
    message = re.sub(r'"[^"]*"?', "", str(exception))
    return bool(_OUTAGE_MESSAGE.search(message))


#: Fields never written back into a page.
_SECRET_FIELD = re.compile(r"pass(word)?|secret|token", re.IGNORECASE)
#: Ids, slugs, dates and choice keys: resent, but not worth showing.
_MACHINE_VALUE = re.compile(r"^[a-z0-9_.:-]+$")
RETRY_AFTER_SECONDS = 30

unavailable_logger = logging.getLogger("netvaerk.unavailable")


class IncompleteFormMiddleware:
    """A posted form that lacks a field its view reads without a default (Wagtail's
    StreamField reads `body-count` so) raised MultiValueDictKeyError, and one with a word
    where a number belongs raised ValueError: 500s for what are malformed requests. No
    browser sends such a form from the page it was given, so they get 400 with a Danish
    message; nothing was saved (the view stopped first)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    # What Django and Wagtail raise for a value that is not a number where an id or a
    # count belongs, when a form or an address was made by hand: a StreamField block's
    # `body-0-value-image=abc`, `items-count=abc`, an inline form's `items-0-id=abc`, the
    # bulk actions' `?id=abc` (found by outside attackers). Nothing was saved: the value
    # is read before anything is written.
    BAD_NUMBER = ("expected a number but got", "invalid literal for int() with base 10")

    def process_exception(self, request, exception):
        from django.utils.datastructures import MultiValueDictKeyError

        if request.method == "POST" and isinstance(exception, MultiValueDictKeyError):
            request_logger.warning("incomplete form: %s", exception, extra={"path": request.path})
            return bad_request(
                request, "Formularen manglede et felt. Genindlæs siden, og prøv igen."
            )
        import json

        from django.core.exceptions import ValidationError

        # A rich text field posted as HTML instead of the editor's JSON: Wagtail's
        # converter parses it while validating the form, before anything is saved.
        if request.method == "POST" and isinstance(exception, json.JSONDecodeError):
            request_logger.warning("not JSON: %s", exception, extra={"path": request.path})
            return bad_request(
                request, "Formularen indeholdt en ugyldig værdi. Genindlæs siden, og prøv igen."
            )
        # A ValidationError that escapes a view was not a form's own (a form collects
        # those): an inline form's id of the wrong kind (modelcluster reads it first).
        if (
            isinstance(exception, ValueError)
            and any(text in str(exception) for text in self.BAD_NUMBER)
        ) or isinstance(exception, ValidationError):
            request_logger.warning("not a number: %s", exception, extra={"path": request.path})
            if request.method == "POST" and (autosaved := _autosaved_twin(request, exception)):
                return autosaved
            if request.method == "POST":
                return bad_request(
                    request,
                    "Formularen indeholdt en ugyldig værdi. Genindlæs siden, og prøv igen.",
                )
            return bad_request(request, "Adressen indeholdt en ugyldig værdi.")
        return None


_ADD_PAGE = re.compile(r"^/admin/pages/add/\w+/\w+/(\d+)/$")


def _autosaved_twin(request, exception):
    """*Udgiv* on a new page in the moment the admin's autosave created it: the publish
    went to the add view, whose slug the autosaved page had just taken (an editor walk:
    a bare 400, and the page left as a draft). Sent to that page instead, told to look
    it over, since the last field typed may not have been saved."""
    from django.contrib import messages
    from django.urls import reverse
    from wagtail.models import Page

    match = _ADD_PAGE.match(request.path)
    errors = getattr(exception, "error_dict", {})
    slug = request.POST.get("slug", "")
    if not (match and "slug" in errors and slug and request.user.is_authenticated):
        return None
    parent = Page.objects.filter(pk=match.group(1)).first()
    twin = parent and parent.get_children().filter(slug=slug, owner=request.user).first()
    if not twin:
        return None
    messages.warning(
        request,
        "Siden var lige gemt automatisk, så den blev ikke udgivet. Se den efter (det "
        "sidste, du skrev, kom måske ikke med), og udgiv den igen.",
    )
    return HttpResponseRedirect(reverse("wagtailadmin_pages:edit", args=[twin.pk]))


class DatabaseUnavailableMiddleware:
    """When the database cannot be reached, answer 503 with a Danish page — and give
    a submitted form back to the person who sent it.

    Nothing is saved while the database is down, and an app server has nowhere
    durable of its own to keep a submission (several stateless servers, none with a
    disk that matters). So the answer carries the submission: every field as a
    hidden input of a "Send igen" form to the same address (with its CSRF token),
    and the text shown so it can be copied. Passwords are never written back, and
    the page is not stored by any cache. `Retry-After` tells clients and the load
    balancer when to try again. The page is rendered without the request's context
    processors, which would themselves need the database.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_outage(exception):
            return None
        unavailable_logger.error(
            "database unavailable",
            exc_info=exception,
            extra={"method": request.method, "path": request.path},
        )
        kept = self._kept_fields(request) if request.method == "POST" else []
        if request.path.startswith("/api/"):
            response = JsonResponse(
                {"error": "Tjenesten er midlertidigt utilgængelig. Prøv igen om lidt."},
                status=503,
            )
        else:
            shown = [
                value
                for name, value in kept
                if name != "csrfmiddlewaretoken"
                and value.strip()
                and not _MACHINE_VALUE.match(value)
            ]
            response = HttpResponse(
                render_to_string(
                    "503.html",
                    {
                        "action": request.get_full_path(),
                        "kept": kept,
                        "shown": shown,
                        "files": [f.name for f in request.FILES.values()]
                        if request.method == "POST"
                        else [],
                        "left_out_secret": request.method == "POST"
                        and any(_secret(name) for name in request.POST),
                    },
                ),
                status=503,
            )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        patch_cache_control(response, no_store=True, private=True)
        return response

    @staticmethod
    def _kept_fields(request) -> list[tuple[str, str]]:
        return [
            (name, value)
            for name, values in request.POST.lists()
            if not _secret(name)
            for value in values
        ]


def _secret(field_name: str) -> bool:
    """A password or the like; the CSRF token is resent (the resend needs it)."""
    return field_name != "csrfmiddlewaretoken" and bool(_SECRET_FIELD.search(field_name))


class DraftMiddleware:
    """A form posted after the member's session ended (it ran out, or they logged out in
    another tab) is answered with the login page, or 404 for a project only members may
    see. Instead of losing what they wrote: keep it for the page they wrote it on
    (network.drafts), and send them to log in and back to that page, where the form
    offers it again. Without it they landed, after logging in, on the address the form
    posted to, which answers only POST (405)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from network import drafts

        response = self.get_response(request)
        drafts.remember_author(request, response)
        if (
            request.method != "POST"
            or request.user.is_authenticated
            or request.path.startswith(settings.ADMIN_URL_PREFIXES)
            or not (response.status_code == 404 or _to_login(response))
        ):
            return response
        from django.contrib import messages
        from django.contrib.auth.views import redirect_to_login

        page, _ = drafts.keep(request)
        if page is None:
            return response
        messages.warning(
            request,
            "Du var blevet logget ud, så det, du sendte, er ikke gemt endnu. "
            "Log ind igen: så kommer du tilbage til siden.",
        )
        return redirect_to_login(page)


class LoginForNotFoundMiddleware:
    """A visitor who is not logged in and opens, in a browser, an address where hidden
    things live (a project, a document, a member's profile:
    LOGIN_FOR_NOT_FOUND_PREFIXES) that is not there for them is sent to log in and
    back. A link in a notification mail (a comment on a log in a participants-only
    project, say) opened in a logged-out browser answered 404, and the reader could
    not tell that logging in was all they needed (a user walk). Every not-found there
    is answered alike, whether something is there or not, so it tells nothing about
    hidden pages: after logging in, the member gets the page or a member's 404. The
    login page says why (`next` in its address), as it does for Wagtail's own
    private pages, so the two answers carry the same headers (a message set here
    added a cookie that told them apart, found by an outside re-check).

    Programs (no text/html in Accept: the API, calendar apps, the test client) keep
    their 404, and so does an address Django would first complete with a slash
    (APPEND_SLASH: CommonMiddleware turns that 404 into a redirect further out)."""

    def __init__(self, get_response):
        from django.middleware.common import CommonMiddleware

        self.get_response = get_response
        self.common = CommonMiddleware(get_response)

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        if request.user.is_authenticated or not request.path.startswith(
            settings.LOGIN_FOR_NOT_FOUND_PREFIXES
        ):
            return response
        patch_vary_headers(response, ["Accept"])
        if "text/html" not in request.headers.get(
            "Accept", ""
        ) or self.common.should_redirect_with_slash(request):
            return response
        from django.contrib.auth.views import redirect_to_login

        redirect = redirect_to_login(request.get_full_path())
        patch_vary_headers(redirect, ["Accept"])
        return redirect


def _to_login(response) -> bool:
    from urllib.parse import urlsplit

    from django.shortcuts import resolve_url

    return response.status_code in (301, 302) and urlsplit(
        response.get("Location", "")
    ).path == resolve_url(settings.LOGIN_URL)


class AdminTwoFactorMiddleware:
    """With ADMIN_REQUIRES_TWO_FACTOR (on in production), the admin opens only to an
    account with two-factor login (allauth's TOTP): the admin holds unpublished work
    and members' personal data, which a guessed or reused password must not reach (an
    outside check: admin@ reached it with a password alone). An account without it is
    sent to set it up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            getattr(settings, "ADMIN_REQUIRES_TWO_FACTOR", False)
            and request.path.startswith("/admin/")
            and not request.path.startswith("/admin/login/")
            and request.user.is_authenticated
        ):
            from allauth.mfa.utils import is_mfa_enabled

            if not is_mfa_enabled(request.user):
                messages.info(
                    request,
                    "Administrationen kræver totrinsbekræftelse. Slå den til her, og gem "
                    "dine gendannelseskoder; så åbner administrationen.",
                )
                return redirect("mfa_activate_totp")
        return self.get_response(request)


def _past_64_bits(value: str) -> bool:
    """A number too big for a bigint id. Python refuses to read more than 4,300 digits
    (a ValueError, a 500 found by the fuzz test), so length decides first."""
    if not (value.isascii() and value.isdigit()):
        return False
    return len(value) > 19 or (len(value) == 19 and int(value) >= 2**63)
