"""The newsletter in the Wagtail admin: editions (compose, fill, preview, send) and a
read-only list of subscribers."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.urls import path
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import HeaderButton, ListingButton

from . import admin_views, permissions
from .admin_views import NAMESPACE, admin_url
from .models import DeliveryStatus, Edition, Subscriber


def _progress(edition) -> str:
    if edition.is_draft:
        return "–"
    text = f"{edition.sent_count} af {edition.total_count}"
    return f"{text}, {edition.failed_count} fejlet" if edition.failed_count else text


class EditionIndexView(generic.IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .annotate(
                sent_count=Count("deliveries", filter=Q(deliveries__status=DeliveryStatus.SENT)),
                total_count=Count(
                    "deliveries", filter=~Q(deliveries__status=DeliveryStatus.SKIPPED)
                ),
                failed_count=Count(
                    "deliveries", filter=Q(deliveries__status=DeliveryStatus.FAILED)
                ),
            )
        )

    def get_list_more_buttons(self, instance):
        hidden = set()
        if not permissions.can_edit(instance):
            hidden.add(self.get_edit_url(instance))
        if not permissions.can_delete(instance):
            hidden.add(self.get_delete_url(instance))
        return [
            button
            for button in super().get_list_more_buttons(instance)
            if getattr(button, "url", None) not in hidden
        ]

    def get_list_buttons(self, instance):
        return [
            ListingButton("Udsendelse", url=admin_url("overview", instance), priority=5),
            *super().get_list_buttons(instance),
        ]


class EditionEditView(generic.EditView):
    """Editing stops when sending starts: the archive shows what subscribers got."""

    def dispatch(self, request, *args, **kwargs):
        edition = Edition.objects.filter(pk=self.object_pk).first()
        if edition and not permissions.can_edit(edition):
            messages.warning(
                request,
                "Nyhedsbrevet er sendt eller ved at blive sendt og kan ikke længere redigeres.",
            )
            return redirect(admin_url("overview", edition))
        return super().dispatch(request, *args, **kwargs)

    @property
    def header_buttons(self):
        return [
            HeaderButton("Udsendelse", url=admin_url("overview", self.object), icon_name="mail")
        ]

    def get_success_url(self):
        return admin_url("overview", self.object)


class EditionCreateView(generic.CreateView):
    def get_success_url(self):
        return admin_url("overview", self.object)


class EditionDeleteView(generic.DeleteView):
    def dispatch(self, request, *args, **kwargs):
        if not permissions.can_delete(self.object):
            messages.error(request, "Et sendt nyhedsbrev kan ikke slettes: det er i arkivet.")
            return redirect(admin_url("overview", self.object))
        return super().dispatch(request, *args, **kwargs)


class EditionViewSet(ModelViewSet):
    model = Edition
    name = NAMESPACE
    url_prefix = "nyhedsbreve/udgaver"
    icon = "mail"
    menu_label = "Udgaver"
    index_view_class = EditionIndexView
    add_view_class = EditionCreateView
    edit_view_class = EditionEditView
    delete_view_class = EditionDeleteView
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = [
        "subject",
        Column("status", label="Status", accessor="get_status_display"),
        Column("progress", label="Sendt", accessor=_progress),
        "send_started_at",
    ]
    list_filter = ["status"]
    search_fields = ["subject"]
    panels = [
        FieldPanel("subject"),
        FieldPanel("intro"),
        InlinePanel("items", heading="Punkter", label="punkt", min_num=0),
    ]

    def get_urlpatterns(self):
        views = [
            ("overview", admin_views.OverviewView),
            ("fill", admin_views.FillView),
            ("preview", admin_views.PreviewView),
            ("preview_mail", admin_views.PreviewMailView),
            ("send_test", admin_views.SendTestView),
            ("start", admin_views.StartView),
            ("resume", admin_views.ResumeView),
        ]
        return super().get_urlpatterns() + [
            path(f"{name.replace('_', '-')}/<int:pk>/", view.as_view(), name=name)
            for name, view in views
        ]


class SubscriberInspectView(generic.InspectView):
    """Times in Danish time, as in the listing (Wagtail's inspect view showed UTC)."""

    def get_field_display_value(self, field_name, field):
        import datetime

        from django.utils import timezone
        from django.utils.formats import date_format

        value = super().get_field_display_value(field_name, field)
        if isinstance(value, datetime.datetime):
            return date_format(timezone.localtime(value), "DATETIME_FORMAT")
        return value if value is not None else "–"


class SubscriberViewSet(ModelViewSet):
    """Read-mostly: subscribers come through the form, profiles or an import, never
    typed in by an editor, because each needs recorded consent."""

    model = Subscriber
    name = "newsletter_subscribers"
    url_prefix = "nyhedsbreve/abonnenter"
    icon = "user"
    menu_label = "Abonnenter"
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_class = SubscriberInspectView
    inspect_view_fields = ["email", "status", "created_at", "confirmed_at", "unsubscribed_at"]
    list_display = ["email", "status", "confirmed_at"]
    # The listing's export: these columns (it had none, and gave empty rows).
    list_export = ["email", "status", "confirmed_at", "unsubscribed_at"]
    export_filename = "abonnenter"
    list_filter = ["status", "work_areas"]
    search_fields = ["email"]
    form_fields = ["email"]

    def get_common_view_kwargs(self, **kwargs):
        # No add or edit view: the listing and inspect view must not link to them.
        return super().get_common_view_kwargs(**kwargs) | {
            "add_url_name": None,
            "edit_url_name": None,
        }

    def get_urlpatterns(self):
        # Index, inspect and delete (to erase an address on request) only.
        return [p for p in super().get_urlpatterns() if p.name not in ("add", "edit")]


class NewsletterGroup(ModelViewSetGroup):
    menu_label = "Nyhedsbreve"
    menu_icon = "mail"
    menu_order = 300
    items = (EditionViewSet, SubscriberViewSet)


@hooks.register("register_admin_viewset")
def register_viewsets():
    return NewsletterGroup()
