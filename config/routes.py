"""Every route the site answers, and who it is for: the one table.

Django's URL resolver knows the routes of our apps, allauth, Wagtail (admin, documents,
the page tree) and the APIs; Wagtail's routable pages add routes below a page (a
project's trial actions, an event's calendar). `inventory()` lists both kinds, and
tests/security/test_routes.py fails when a route appears that is not classified here,
then requests every one of them as each role with private ids filled in.

How to add a route safely: docs/security.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver
from wagtail.contrib.routable_page.models import RoutablePageMixin

#: Anyone, anonymous included. What it shows is still filtered by the viewer.
PUBLIC = "public"
#: A logged-in member: their own account, profile and subscriptions.
MEMBER = "member"
#: Decided per object by projects/permissions.py: a project's visibility, a trial
#: action's effective visibility, participant and coordinator roles.
PARTICIPANT = "participant"
#: The Wagtail admin: `wagtailadmin.access_admin`; Wagtail checks finer permissions.
EDITOR = "editor"
#: Only for superusers inside the admin (users, groups, sites, settings).
STAFF = "staff"
#: The key is a signed or random token in the URL (mail links).
TOKEN = "token"
#: Serves files or a redirect only; what it serves is checked (documents, media).
FILE = "file"

ACCESS = (PUBLIC, MEMBER, PARTICIPANT, EDITOR, STAFF, TOKEN, FILE)

#: Admin routes are Wagtail's: every one requires `access_admin` before its view runs
#: (tests/security/test_routes.py checks that anonymous and members are refused at all
#: of them), so one rule covers the prefix; the named exceptions below are ours.
ADMIN_PREFIX = "admin/"
ADMIN_STAFF_NAMESPACES = (
    "wagtailusers_",
    "wagtailsites",
    "wagtailsettings",
    "wagtailadmin_workflows",
)

#: Routes by URL name (namespaced) or, for routable pages, "app.Model:route".
ROUTES: dict[str, str] = {
    # probes
    "healthz": PUBLIC,
    "readyz": PUBLIC,
    "favicon": PUBLIC,
    # login: Wagtail's login forms hand over to allauth (config/login.py)
    "wagtailadmin_login": PUBLIC,
    # the admin's Log ud: allauth's logout (config/login.py), asked on GET
    "wagtailadmin_logout": MEMBER,
    "wagtailcore_login": PUBLIC,
    # the admin's icon sprite and translation catalogue: static, the same for everyone
    "wagtailadmin_sprite": PUBLIC,
    "wagtailadmin_javascript_catalog": PUBLIC,
    # allauth
    "account_login": PUBLIC,
    "account_logout": MEMBER,
    "account_inactive": PUBLIC,
    "account_signup": PUBLIC,
    "account_reauthenticate": MEMBER,
    "account_email": MEMBER,
    "account_email_verification_sent": PUBLIC,
    "account_change_password": MEMBER,
    "account_set_password": MEMBER,
    "account_reset_password": PUBLIC,
    "account_confirm_login_code": PUBLIC,
    "account_confirm_email": TOKEN,
    "account_reset_password_from_key_done": PUBLIC,
    "account_reset_password_from_key": TOKEN,
    "account_reset_password_done": PUBLIC,
    "mfa_index": MEMBER,
    "mfa_authenticate": PUBLIC,  # the second step of a login in progress
    "mfa_reauthenticate": MEMBER,
    "mfa_activate_totp": MEMBER,
    "mfa_deactivate_totp": MEMBER,
    "mfa_view_recovery_codes": MEMBER,
    "mfa_generate_recovery_codes": MEMBER,
    "mfa_download_recovery_codes": MEMBER,
    # Wagtail documents: project and event material checked by projects/wagtail_hooks.py
    "wagtaildocs_serve": FILE,
    "wagtaildocs_authenticate_with_password": PUBLIC,
    # media: image renditions only, in development (config/urls.py)
    "media_images": FILE,
    # open data API (config/api.py): live, public experiences only
    "wagtailapi:erfaringer:listing": PUBLIC,
    "wagtailapi:erfaringer:detail": PUBLIC,
    "wagtailapi:erfaringer:find": PUBLIC,
    # search: results filtered by search/registry.py access tokens
    "search_api:search": PUBLIC,
    "search_api:autocomplete": PUBLIC,
    "search:search": PUBLIC,
    # network
    "network:municipality_list": PUBLIC,
    "network:municipality": PUBLIC,
    "network:member": PUBLIC,  # network/permissions.py: profile visibility
    "network:profile": MEMBER,
    "network:my_data": MEMBER,
    "network:delete_account": MEMBER,
    # newsletters
    "newsletters:subscribe": PUBLIC,
    "newsletters:check_inbox": PUBLIC,
    "newsletters:confirm": TOKEN,
    "newsletters:preferences": TOKEN,
    "newsletters:unsubscribe": TOKEN,
    "newsletters:mine": MEMBER,
    "newsletters:archive": PUBLIC,
    "newsletters:archive_detail": PUBLIC,  # sent editions only
    # following and notifications (newsletters/following.py checks at delivery)
    "notifications:list": MEMBER,
    "notifications:open": MEMBER,
    "notifications:mark_all_read": MEMBER,
    "notifications:follows": MEMBER,
    "notifications:follow": MEMBER,
    "notifications:settings": MEMBER,
    "notifications:stop": TOKEN,
    "notifications:feed": TOKEN,
    "projects:member_calendar": TOKEN,
    "overview": MEMBER,
    # Wagtail's page tree: Page.serve and our serve() overrides decide
    "wagtailcore_authenticate_with_password": PUBLIC,
    "wagtail_serve": PUBLIC,
    # routable pages
    "experiences.ExperienceIndexPage:index_route": PUBLIC,
    "experiences.ExperienceIndexPage:listing": PUBLIC,
    "experiences.ExperienceIndexPage:rss_feed": PUBLIC,
    "experiences.ExperienceIndexPage:atom_feed": PUBLIC,
    "projects.ProjectPage:index_route": PARTICIPANT,
    "projects.ProjectPage:project_home": PARTICIPANT,
    "projects.ProjectPage:trial_actions": PARTICIPANT,
    "projects.ProjectPage:trial_action_create": PARTICIPANT,
    "projects.ProjectPage:trial_action": PARTICIPANT,
    "projects.ProjectPage:trial_action_edit": PARTICIPANT,
    "projects.ProjectPage:trial_action_delete": PARTICIPANT,
    "projects.ProjectPage:trial_action_update": PARTICIPANT,
    "projects.ProjectPage:trial_action_comment": PARTICIPANT,
    "projects.ProjectPage:trial_action_pickup": PARTICIPANT,
    "projects.ProjectPage:trial_action_propose": PARTICIPANT,
    "projects.ProjectPage:comment_hide": PARTICIPANT,
    "projects.ProjectPage:comment_report": PARTICIPANT,
    "projects.ProjectPage:attachment": PARTICIPANT,
    "projects.ProjectPage:attachment_delete": PARTICIPANT,
    "projects.ProjectPage:comment_delete": PARTICIPANT,
    "projects.ProjectPage:participants": PARTICIPANT,
    "projects.ProjectPage:calendar": PARTICIPANT,
    "projects.ProjectPage:event_create": PARTICIPANT,
    "projects.ProjectPage:dashboard": PARTICIPANT,
    "projects.ProjectPage:dashboard_csv": PARTICIPANT,
    "projects.ProjectPage:dashboard_reminder": PARTICIPANT,
    "projects.EventPage:index_route": PARTICIPANT,
    "projects.EventPage:sign_up": PARTICIPANT,
    "projects.EventPage:cancel": PARTICIPANT,
    "projects.EventPage:attendees_csv": PARTICIPANT,
    "projects.EventPage:ics": PARTICIPANT,
    "projects.EventPage:edit": PARTICIPANT,
}


@dataclass(frozen=True)
class Route:
    key: str  # URL name, or "app.Model:route" below a routable page
    pattern: str  # the URL pattern; below a page, relative to the page's URL
    access: str | None  # None: nobody classified it
    page_model: type | None = None


def _resolver_patterns(resolver=None, prefix="", namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            yield from _resolver_patterns(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield namespace + (entry.name or ""), prefix + str(entry.pattern)


def classify(key: str, pattern: str) -> str | None:
    if key in ROUTES:
        return ROUTES[key]
    if pattern.startswith(ADMIN_PREFIX):
        return STAFF if key.startswith(ADMIN_STAFF_NAMESPACES) else EDITOR
    return None


def inventory() -> list[Route]:
    """Every route: the resolver's, then each routable page model's own."""
    routes = [Route(key, pattern, classify(key, pattern)) for key, pattern in _resolver_patterns()]
    for model in apps.get_models():
        if not issubclass(model, RoutablePageMixin):
            continue
        label = f"{model._meta.app_label}.{model.__name__}"
        for entry in model.get_subpage_urls():
            key = f"{label}:{entry.name}"
            routes.append(Route(key, str(entry.pattern), ROUTES.get(key), model))
    return routes
