"""URL routes under a project page; the views live in projects/views.py."""

from wagtail.contrib.routable_page.models import RoutablePageMixin, path

# The first part of the addresses under a project: an event with such a slug could
# not be reached, the project's own page would answer (an outside check made an event
# called "kalender"). tests/projects/test_event_form.py keeps it in step with the paths.
PROJECT_ROUTE_SLUGS = frozenset(
    {"proevehandlinger", "kommentarer", "vedhaeftninger", "deltagere", "kalender"}
    | {"overblik", "arrangementer"}
)


def _views():
    from .. import views

    return views


class ProjectRoutesMixin(RoutablePageMixin):
    def serve(self, request, *args, **kwargs):
        from ..permissions import can_see_project

        if not can_see_project(request.user, self):
            from django.http import Http404

            raise Http404
        return super().serve(request, *args, **kwargs)

    @path("")
    def project_home(self, request):
        return self.render(request)

    @path("proevehandlinger/")
    def trial_actions(self, request):
        return _views().trial_action_list(request, self)

    @path("proevehandlinger/ny/")
    def trial_action_create(self, request):
        return _views().trial_action_create(request, self)

    @path("proevehandlinger/<int:pk>/")
    def trial_action(self, request, pk):
        return _views().trial_action_detail(request, self, pk)

    @path("proevehandlinger/<int:pk>/rediger/")
    def trial_action_edit(self, request, pk):
        return _views().trial_action_edit(request, self, pk)

    @path("proevehandlinger/<int:pk>/slet/")
    def trial_action_delete(self, request, pk):
        return _views().trial_action_delete(request, self, pk)

    @path("proevehandlinger/<int:pk>/opdatering/")
    def trial_action_update(self, request, pk):
        return _views().trial_action_add_update(request, self, pk)

    @path("proevehandlinger/<int:pk>/kommentar/")
    def trial_action_comment(self, request, pk):
        return _views().trial_action_add_comment(request, self, pk)

    @path("proevehandlinger/<int:pk>/vi-proever-ogsaa/")
    def trial_action_pickup(self, request, pk):
        return _views().trial_action_create(request, self, origin_pk=pk)

    @path("proevehandlinger/<int:pk>/foreslaa-artikel/")
    def trial_action_propose(self, request, pk):
        return _views().trial_action_propose(request, self, pk)

    @path("kommentarer/<int:pk>/skjul/")
    def comment_hide(self, request, pk):
        return _views().comment_hide(request, self, pk)

    @path("kommentarer/<int:pk>/anmeld/")
    def comment_report(self, request, pk):
        return _views().comment_report(request, self, pk)

    @path("vedhaeftninger/<int:pk>/")
    def attachment(self, request, pk):
        return _views().attachment_download(request, self, pk)

    @path("vedhaeftninger/<int:pk>/slet/")
    def attachment_delete(self, request, pk):
        return _views().attachment_delete(request, self, pk)

    @path("kommentarer/<int:pk>/slet/")
    def comment_delete(self, request, pk):
        return _views().comment_delete(request, self, pk)

    @path("deltagere/")
    def participants(self, request):
        return _views().participants(request, self)

    @path("arrangementer/ny/")
    def event_create(self, request):
        return _views().event_form(request, self)

    @path("kalender/")
    def calendar(self, request):
        return _views().project_calendar(request, self)

    @path("overblik/")
    def dashboard(self, request):
        from .. import dashboard

        return dashboard.dashboard(request, self)

    @path("overblik/csv/")
    def dashboard_csv(self, request):
        from .. import dashboard

        return dashboard.dashboard_csv(request, self)

    @path("overblik/paamindelse/")
    def dashboard_reminder(self, request):
        from .. import dashboard

        return dashboard.dashboard_reminder(request, self)
