from django.contrib import messages
from wagtail import hooks
from wagtail.documents.rich_text import DocumentLinkHandler
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


@hooks.register("insert_global_admin_css")
def municipality_picker_css():
    """The municipality checkboxes (network.widgets) in columns, one group per region."""
    from django.templatetags.static import static
    from django.utils.html import format_html

    return format_html('<link rel="stylesheet" href="{}">', static("network/admin.css"))


class ReaderDocumentLinkHandler(DocumentLinkHandler):
    """Wagtail's document link in rich text, drawn for the reader (network/documents.py)."""

    @classmethod
    def expand_db_attributes_many(cls, attrs_list: list[dict]) -> list[str]:
        from . import documents

        return documents.rich_text_document_links(cls.get_many(attrs_list))


@hooks.register("register_rich_text_features", order=1)  # after Wagtail's own link type
def link_documents_for_their_reader(features):
    features.register_link_type(ReaderDocumentLinkHandler)


@hooks.register("before_serve_document")
def serve_documents_in_use_only(document, request):
    """A document is served only where it is in use on something the visitor may see
    (network/documents.py); otherwise 404, as if it did not exist."""
    from django.http import Http404

    from . import documents

    if not documents.may_fetch(document, request):
        raise Http404


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def say_when_the_address_was_taken(request, page):
    """A new page whose address was taken got the next free one (page_forms.PageForm):
    the editor is told, instead of finding `-2` in the address later."""
    from .page_forms import browser_slug
    from .text import danish_slugify

    posted = request.POST.get("slug") or ""
    if not posted or page.slug == posted:
        return
    wanted = danish_slugify(page.title) if posted == browser_slug(page.title) else posted
    if page.slug != wanted and page.slug.startswith(f"{wanted}-"):
        messages.info(
            request,
            f"Adressen »{wanted}« var optaget under samme overside, så siden fik adressen "
            f"»{page.slug}«. Du kan ændre den under fanen Promovering.",
        )
