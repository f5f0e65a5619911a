"""Search in the Wagtail admin: promoted results per query and search statistics,
grouped under "Søgning". Every admin user (the editors) may use both: admin URLs
already require Wagtail's access_admin permission."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel
from wagtail.admin.views.generic import CreateView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import AuthenticationOnlyPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView as SnippetCreateView
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views
from .models import SearchPromotion, SynonymGroup


class PrefilledFromQuery:
    """An add form filled in from the search statistics' links (`?q=`, `?ord=`)."""

    prefill: tuple[str, str]  # (form field, query parameter)

    def get_initial(self):
        initial = super().get_initial()
        field, parameter = self.prefill
        if value := " ".join(self.request.GET.get(parameter, "").split())[:200]:
            initial[field] = value
        return initial


class PromotionCreateView(PrefilledFromQuery, CreateView):
    prefill = ("query", "q")


class SynonymGroupCreateView(PrefilledFromQuery, SnippetCreateView):
    prefill = ("words", "ord")


class SearchPromotionViewSet(ModelViewSet):
    model = SearchPromotion
    add_view_class = PromotionCreateView
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


class SynonymGroupViewSet(SnippetViewSet):
    """Editors' synonym groups, a snippet: used by the next search, no reindexing."""

    model = SynonymGroup
    add_view_class = SynonymGroupCreateView
    icon = "list-ul"
    menu_label = "Synonymer"
    add_to_admin_menu = False
    list_display = ["__str__", "note", "updated_at"]
    search_fields = ["words", "note"]
    panels = [FieldPanel("words"), FieldPanel("note")]


synonym_viewset = SynonymGroupViewSet()
register_snippet(synonym_viewset)


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
            MenuItem(
                "Synonymer",
                reverse(synonym_viewset.get_url_name("list")),
                icon_name="list-ul",
                order=30,
            ),
        ]
    )
    return SubmenuMenuItem("Søgning", submenu, icon_name="search", order=850)
