"""The read-only open data API (Wagtail API v2): /api/v2/erfaringer/.

Only live, public experience pages are served; other municipal sites can reuse them.
"""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from experiences.models import ExperiencePage


class ExperiencesAPIViewSet(PagesAPIViewSet):
    # With a page model set, Wagtail limits the base set (live and public pages) to it.
    model = ExperiencePage
    name = "erfaringer"
    listing_default_fields = PagesAPIViewSet.listing_default_fields + [
        "lead",
        "published_date",
        "kind",
        "municipality_codes",
        "work_area_slugs",
    ]


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("erfaringer", ExperiencesAPIViewSet)
