from django.conf import settings

from .navigation import footer_links, main_navigation


def site(request):
    path = request.path
    navigation = [
        {
            **item,
            "current": path == item["url"] or path.startswith(item["url"]) and item["url"] != "/",
        }
        for item in main_navigation()
    ]
    footer = footer_links()
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "main_navigation": navigation,
        "footer_pages": footer["pages"],
        "contact_url": footer["contact_url"],
    }
