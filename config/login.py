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


def site_login_redirect(request):
    return _to_allauth(request, default="/")


def _to_allauth(request, default: str):
    target = request.GET.get("next") or default
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = default
    return HttpResponseRedirect(f"{reverse('account_login')}?{urlencode({'next': target})}")
