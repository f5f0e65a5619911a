from django.http import Http404
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from . import permissions
from .models import EventMaterial, ProjectMaterial, TrialAction


@hooks.register("before_serve_document")
def protect_project_material(document, request):
    """Material inherits its project's visibility, also when fetched by its direct URL.

    A document used as material of any project the user may not see is answered
    with 404, as if it did not exist.
    """
    projects = [
        m.project
        for m in ProjectMaterial.objects.filter(document=document).select_related("project")
    ]
    projects += [
        m.event.project
        for m in EventMaterial.objects.filter(document=document).select_related("event")
    ]
    for project in projects:
        if not permissions.can_download_material(request.user, project):
            raise Http404


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
