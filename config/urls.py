from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import health
from .api import api_router

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", include(wagtailadmin_urls)),
    path("konto/", include("allauth.urls")),
    path("dokumenter/", include(wagtaildocs_urls)),
    path("api/v2/", api_router.urls),
    path("api/search/", include("search.api_urls")),
    path("soeg/", include("search.urls")),
    path("", include("network.urls")),
    path("nyhedsbrev/", include("newsletters.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page tree answers everything not matched above; keep it last.
urlpatterns += [path("", include(wagtail_urls))]
