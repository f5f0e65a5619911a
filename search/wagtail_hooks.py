"""Search in the Wagtail admin: promoted results per query and search statistics,
grouped under "Søgning". Every admin user (the editors) may use both: admin URLs
already require Wagtail's access_admin permission."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import AuthenticationOnlyPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import admin_views
from .models import SearchPromotion


class SearchPromotionViewSet(ModelViewSet):
    model = SearchPromotion
    icon = "pick"
    menu_label = "Fremhævede resultater"
    menu_order = 900
    add_to_admin_menu = False
    list_display = ["query", "page", "sort_order", "note"]
    search_fields = ["query", "note"]
    panels = [FieldPanel("query"), FieldPanel("page"), FieldPanel("sort_order"), FieldPanel("note")]


register_permission_policy(SearchPromotion, AuthenticationOnlyPermissionPolicy(SearchPromotion))
promotion_viewset = SearchPromotionViewSet("search_promotions")


@hooks.register("register_admin_viewset")
def register_promotions():
    return promotion_viewset


@hooks.register("register_admin_urls")
def register_statistics_url():
    return [path("soegning/statistik/", admin_views.statistics, name="search_statistics")]


@hooks.register("register_admin_menu_item")
def register_search_menu():
    from wagtail.admin.menu import Menu, SubmenuMenuItem

    submenu = Menu(
        items=[
            MenuItem("Søgestatistik", reverse("search_statistics"), icon_name="search", order=10),
            MenuItem(
                "Fremhævede resultater",
                reverse(promotion_viewset.get_url_name("index")),
                icon_name="pick",
                order=20,
            ),
        ]
    )
    return SubmenuMenuItem("Søgning", submenu, icon_name="search", order=850)
