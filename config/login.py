"""Wagtail's login URLs (the admin's, and the one for pages restricted to logged-in
users), handed to allauth.

Wagtail's own login forms authenticate with the password alone: no two-factor step,
no e-mail verification, no lockout. Every login goes through allauth's instead, so the
site and the admin share one set of rules. A POST is not processed here either: it is
redirected, never authenticated.
"""

from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode


def admin_login_redirect(request):
    return _to_allauth(request, default=reverse("wagtailadmin_home"))


def admin_logout(request):
    """The admin's *Log ud*, as allauth's: a POST logs out, a GET shows allauth's page
    that asks. Wagtail's own view deleted the session cookie on any GET too, while it
    answered 405, so a link on another site logged an editor out (an outside check)."""
    from allauth.account.views import LogoutView

    if request.method == "POST":
        return LogoutView.as_view()(request)
    return HttpResponseRedirect(reverse("account_logout"))


def site_login_redirect(request):
    return _to_allauth(request, default="/")


def _to_allauth(request, default: str):
    target = request.GET.get("next") or default
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = default
    return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({'next': target})}")


def page_password(request, page_view_restriction_id, page_id):
    """Wagtail's password form for a restricted page, only where it belongs: a live page
    under a *password* restriction. Wagtail's own view answered any existing page id
    with a form (a draft, a private project), and any made-up one with 404, so it told
    which ids exist; now both answer 404 alike."""
    from django.http import Http404
    from wagtail.models import Page, PageViewRestriction
    from wagtail.views import authenticate_with_password

    from network.numbers import parse_int

    restriction_id = parse_int(str(page_view_restriction_id), 1, 2**63 - 1)
    page_pk = parse_int(str(page_id), 1, 2**63 - 1)
    restriction = PageViewRestriction.objects.filter(
        pk=restriction_id, restriction_type=PageViewRestriction.PASSWORD
    ).first()
    page = Page.objects.live().filter(pk=page_pk).first()
    if restriction is None or page is None or not page.path.startswith(restriction.page.path):
        raise Http404
    return authenticate_with_password(request, restriction.pk, page.pk)
