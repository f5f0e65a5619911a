from django.contrib import messages
from django.http import Http404
from django.utils import timezone, translation
from django.utils.dateformat import format as date_format
from wagtail import hooks
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.pages.bulk_actions.delete import DeleteBulkAction
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.viewsets.pages import PageViewSet

from . import services
from .materials import material_denied, material_projects
from .models import EventPage, ProjectPage, TrialAction, Visibility


@hooks.register("before_serve_document")
def protect_project_material(document, request):
    """Material inherits its project's visibility, also when fetched by its direct URL.

    A document used as material of any project the user may not see is answered
    with 404, as if it did not exist.
    """
    if material_denied(document, request.user):
        raise Http404


# How wide an audience is: a page read by a wider audience than a document it links to
# is read by some who get "Siden findes ikke" for that document.
_WIDTH = {Visibility.PUBLIC: 2, Visibility.MEMBERS: 1, Visibility.PARTICIPANTS: 0}


@hooks.register("after_publish_page")
def warn_of_material_some_readers_cannot_open(request, page):
    """A published page that links to material of a project its readers may not all see
    links to a document those readers get 404 for (the material keeps its project's
    visibility, `protect_project_material`). The editor is told which, at once."""
    readers = _page_audience(page)
    if readers is None:
        return
    for document, project in _linked_material(page):
        if _WIDTH[project.visibility] < readers:
            audience = Visibility(project.visibility).label.lower()
            messages.warning(
                request,
                f"Siden linker til »{document.title}«, som er materiale i projektet "
                f"»{project.title}« ({audience}). Andre læsere af siden kan ikke åbne "
                f"filen: de ser den ikke blandt sidens materialer, og et link til den i "
                f"teksten står som almindelig tekst. Læg en kopi uden for projektet, eller "
                f"fjern linket.",
            )


@hooks.register("after_bulk_action")
def warn_of_material_after_bulk_publishing(request, action_type, objects, action):
    """The admin's bulk *Udgiv* does not call `after_publish_page`: the same warning."""
    if action_type != "publish":
        return
    from wagtail.models import Page

    for page in Page.objects.filter(pk__in=[o.pk for o in objects]).live().specific():
        warn_of_material_some_readers_cannot_open(request, page)


def _page_audience(page) -> int | None:
    """How wide the page's readers are (`_WIDTH`), or None when a password or a group
    restriction decides it (then it is not the network's audiences)."""
    width = _WIDTH[Visibility.PUBLIC]
    for restriction in page.get_view_restrictions():
        if restriction.restriction_type != restriction.LOGIN:
            return None
        width = _WIDTH[Visibility.MEMBERS]
    project = (
        ProjectPage.objects.ancestor_of(page, inclusive=True).live().order_by("-depth").first()
    )
    if project is not None:
        width = min(width, _WIDTH[project.visibility])
    return width


def _linked_material(page):
    """(document, project) for each document the page links to that is material of a
    project or of one of its events."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.documents import get_document_model
    from wagtail.models import ReferenceIndex

    document_type = ContentType.objects.get_for_model(get_document_model()).pk
    # The page as just published; Wagtail's reference index may follow a moment later
    # (a task), so the references are read from the page itself.
    ids = {
        int(object_id)
        for content_type, object_id, *_ in ReferenceIndex._extract_references_from_object(
            page.specific
        )
        if content_type == document_type and str(object_id).isdigit()
    }
    return material_projects(ids) if ids else []


class TrialActionViewSet(ModelViewSet):
    model = TrialAction
    icon = "clipboard-list"
    menu_label = "Prøvehandlinger"
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["title", "municipality", "project", "status", "visibility", "started"]
    list_filter = ["status", "visibility"]
    search_fields = ["title", "purpose"]
    form_fields = [
        "project",
        "municipality",
        "author",
        "title",
        "purpose",
        "target_group",
        "actions",
        "results",
        "learnings",
        "next_steps",
        "status",
        "started",
        "event",
        "work_areas",
        "visibility",
        "origin",
    ]


@hooks.register("register_admin_viewset")
def register_trial_action_viewset():
    return TrialActionViewSet("trial_actions")


def _starts(event) -> str:
    with translation.override("da"):
        return date_format(timezone.localtime(event.starts_at), "j. F Y \\k\\l.\u00a0H:i")


class EventPageViewSet(PageViewSet):
    """A project's page in the explorer lists its events with their dates, first one
    first (the explorer showed only titles and when each was edited, in the order they
    were made). Wagtail uses it for the children of `ProjectPage`, whose only child
    type is the event."""

    model = EventPage
    icon = "date"
    list_display = [
        *(column for column in PageViewSet.columns if column.name != "type"),
        Column("starts_at", label="Starter", accessor=_starts, sort_key="starts_at"),
        Column("kind", label="Type", accessor="get_kind_display", sort_key="kind"),
    ]
    ordering = "starts_at"


@hooks.register("register_admin_viewset")
def register_event_page_viewset():
    return EventPageViewSet()


# -- deleting an event that people have signed up for ---------------------------------


def _cancellations(pages) -> list[dict]:
    # A page and its own event may both be chosen: one mail per person and event.
    mails = {}
    for page in pages:
        for mail in services.event_cancellations(page):
            mails.setdefault((mail["to"][0], mail["subject"]), mail)
    return list(mails.values())


def _warn_of_cancellations(request, mails) -> None:
    if not mails:
        return
    count = len(mails)
    people = len({mail["to"][0] for mail in mails})
    waiting = sum(mail["context"]["waitlisted"] for mail in mails)
    titles = list(dict.fromkeys(f"»{mail['context']['event_title']}«" for mail in mails))
    events = titles[0] if len(titles) == 1 else ", ".join(titles[:-1]) + " og " + titles[-1]
    messages.warning(
        request,
        f"{count} {'tilmelding' if count == 1 else 'tilmeldinger'}"
        + (f" (heraf {waiting} på venteliste)" if waiting else "")
        + f" fra {people} {'person' if people == 1 else 'personer'} til {events}. "
        "Sletter du, får hver en mail om, at arrangementet er aflyst. Skal det kun flyttes, "
        "så ret datoen i stedet.",
    )


@hooks.register("before_delete_page")
def tell_of_sign_ups_before_deleting(request, page):
    """The delete page says who will be told; the delete itself collects the mails
    (the sign-ups go with the page) for `after_delete_page` to send."""
    mails = _cancellations([page])
    if request.method == "POST":
        request._event_cancellations = mails
    else:
        _warn_of_cancellations(request, mails)


@hooks.register("after_delete_page")
def send_cancellations_after_deleting(request, page):
    services.send_event_cancellations(getattr(request, "_event_cancellations", []))


class DeleteTellingOfSignUps(DeleteBulkAction):
    """Wagtail's bulk *Slet*, whose confirmation page also says who will be told, as the
    single page's does (Wagtail runs no hook before that page)."""

    def get(self, request, *args, **kwargs):
        pages, _without_access = self.get_actionable_objects()
        _warn_of_cancellations(request, _cancellations(pages))
        return super().get(request, *args, **kwargs)


# After Wagtail's own (order 0): the registry keeps the last action of a type.
hooks.register("register_bulk_action", DeleteTellingOfSignUps, order=1)


@hooks.register("before_bulk_action")
def collect_cancellations_before_bulk_delete(request, action_type, objects, action):
    if action_type == "delete" and request.method == "POST":
        request._event_cancellations = _cancellations(objects)


@hooks.register("after_bulk_action")
def send_cancellations_after_bulk_delete(request, action_type, objects, action):
    if action_type == "delete":
        services.send_event_cancellations(getattr(request, "_event_cancellations", []))
