from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import health, media
from .api import api_router
from .home import overview
from .login import admin_login_redirect, admin_logout, page_password, site_login_redirect

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # Browsers and feed readers ask for /favicon.ico whatever the page links to.
    path("favicon.ico", media.favicon, name="favicon"),
    # One login for site and admin: allauth's, with its verification, two-factor and
    # lockout. Wagtail's own login form would check the password alone.
    path("admin/login/", admin_login_redirect, name="wagtailadmin_login"),
    path("admin/logout/", admin_logout, name="wagtailadmin_logout"),
    path("admin/", include(wagtailadmin_urls)),
    path("konto/", include("allauth.urls")),
    # Documents: project material is checked by projects/wagtail_hooks.py.
    re_path(r"^dokumenter/(\d+)/(.*)$", media.document, name="wagtaildocs_serve"),
    path("dokumenter/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    # Image renditions in development only (config/media.py): as production serves.
    re_path(r"^media/images/(?P<path>.+)$", media.image, name="media_images"),
    path("api/search/", include("search.api_urls")),
    path("soeg/", include("search.urls")),
    path("", include("network.urls")),
    path("nyhedsbrev/", include("newsletters.urls")),
    path("varsler/", include("newsletters.notification_urls")),
    path("overblik/", overview.overview, name="overview"),
    path("kalender/", include("projects.urls")),
]

# Wagtail's page tree answers everything not matched above; keep it last. Its login
# for restricted pages is allauth's too.
urlpatterns += [
    path("_util/login/", site_login_redirect, name="wagtailcore_login"),
    re_path(
        r"^_util/authenticate_with_password/(\d+)/(\d+)/$",
        page_password,
        name="wagtailcore_authenticate_with_password",
    ),
    path("", include(wagtail_urls)),
]
