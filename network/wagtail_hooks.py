from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import CompetenceProfile, Organisation, WorkArea


class WorkAreaViewSet(SnippetViewSet):
    model = WorkArea
    icon = "tag"
    menu_label = "Arbejdsområder"
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]


class CompetenceProfileViewSet(SnippetViewSet):
    model = CompetenceProfile
    icon = "tag"
    menu_label = "Fagprofiler"
    list_display = ["name", "slug", "sort_order"]


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "group"
    menu_label = "Organisationer"
    list_display = ["name", "kind", "municipality"]
    list_filter = ["kind"]
    search_fields = ["name"]


class NetworkGroup(SnippetViewSetGroup):
    menu_label = "Netværk"
    menu_icon = "site"
    menu_order = 250
    items = (OrganisationViewSet, WorkAreaViewSet, CompetenceProfileViewSet)


register_snippet(NetworkGroup)
