"""Wagtail admin views around an edition: overview and progress, fill, preview as a
segment, test mail to oneself, start and resume sending. Decisions are in
permissions.py; the work is in filling.py, rendering.py and sending.py."""

from __future__ import annotations

import smtplib

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.mail import BadHeaderError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.decorators import method_decorator
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from network.formfields import ChoiceIdsMixin
from network.models import WorkArea

from . import filling, permissions, sending
from .models import Edition, EditionStatus
from .rendering import EditionMailer, Recipient
from .segments import Segment
from .tasks import send_edition

NAMESPACE = "newsletter_editions"


def admin_url(name: str, edition: Edition) -> str:
    return reverse(f"{NAMESPACE}:{name}", args=[edition.pk])


class SegmentForm(ChoiceIdsMixin, forms.Form):
    """The work areas to preview or test an edition as."""

    work_areas = forms.ModelMultipleChoiceField(
        label="Vis som abonnent på",
        queryset=WorkArea.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def segment(self) -> Segment:
        chosen = self.cleaned_data.get("work_areas") if self.is_valid() else None
        areas = chosen or WorkArea.objects.all()
        return Segment.of(area.pk for area in areas)


class EditionView(WagtailAdminTemplateMixin, TemplateView):
    """Base: loads the edition and checks the editor may manage newsletters."""

    header_icon = "mail"
    needs_send_permission = False

    def dispatch(self, request, *args, **kwargs):
        allowed = (
            permissions.can_send(request.user)
            if self.needs_send_permission
            else permissions.can_manage_editions(request.user)
        )
        if not allowed:
            raise PermissionDenied
        self.edition = get_object_or_404(Edition, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return self.edition.subject

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(f"{NAMESPACE}:index"), "label": "Nyhedsbreve"},
            {"url": admin_url("overview", self.edition), "label": self.edition.subject},
        ]

    def back(self):
        return redirect(admin_url("overview", self.edition))


class OverviewView(EditionView):
    template_name = "newsletters/admin/overview.html"

    def get_context_data(self, **kwargs):
        edition = self.edition
        areas = (
            edition.items.exclude(work_area=None)
            .values("work_area__name")
            .annotate(count=Count("pk"))
            .order_by("work_area__sort_order", "work_area__name")
        )
        return super().get_context_data(
            edition=edition,
            progress=(progress := sending.progress(edition)),
            in_doubt=sending.in_doubt(edition) if progress.in_doubt else [],
            areas=areas,
            item_count=edition.items.count(),
            receiving=permissions.receiving_subscribers().count(),
            can_edit=permissions.can_edit(edition),
            can_send=permissions.can_send(self.request.user),
            fill_since=filling.fill_since(edition) if edition.is_draft else None,
            edit_url=admin_url("edit", edition),
            urls={
                name: admin_url(name, edition) for name in ("fill", "preview", "start", "resume")
            },
            **kwargs,
        )


class FillView(EditionView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if not permissions.can_edit(self.edition):
            messages.error(request, "Kun kladder kan udfyldes.")
            return self.back()
        result = filling.fill(self.edition)
        since = formats.date_format(timezone.localtime(result.since), "DATETIME_FORMAT")
        if result.added:
            messages.success(
                request,
                f"Tilføjede {result.added} punkter udgivet siden {since}. "
                "Ret, flyt eller fjern dem herunder.",
            )
        elif not result.updated_when:
            messages.info(request, f"Intet nyt siden {since}.")
        if result.updated_when:
            messages.success(
                request,
                f"Tid og sted er opdateret for {result.updated_when} "
                f"{'arrangement' if result.updated_when == 1 else 'arrangementer'}, "
                "der er flyttet, siden udgaven blev udfyldt.",
            )
        if result.without_work_area:
            # Sections are by work area, and subscribers choose areas: such an item
            # would reach no one, so the editor is told rather than left wondering.
            messages.warning(
                request,
                f"{result.without_work_area} nyt indhold uden arbejdsområde kom ikke med, "
                "for nyhedsbrevet er delt efter arbejdsområde. Giv det et arbejdsområde og "
                "udfyld igen, eller tilføj det i hånden.",
            )
        for label in result.failed_sources:
            messages.warning(request, f"Kunne ikke hente nyt fra »{label}«. Prøv igen senere.")
        return redirect(admin_url("edit", self.edition))


class PreviewView(EditionView):
    template_name = "newsletters/admin/preview.html"

    def get_context_data(self, **kwargs):
        form = SegmentForm(self.request.GET or None)
        segment = form.segment()
        mailer = EditionMailer(self.edition)
        rendered = mailer.render(segment)
        query = self.request.GET.urlencode()
        return super().get_context_data(
            form=form,
            rendered=rendered,
            preview_text=mailer.preview_text(segment),
            mail_url=admin_url("preview_mail", self.edition) + (f"?{query}" if query else ""),
            test_url=admin_url("send_test", self.edition),
            overview_url=admin_url("overview", self.edition),
            chosen=[int(pk) for pk in segment.work_area_ids],
            withdrawn=[item.title for item in mailer.content.withdrawn],
            **kwargs,
        )


@method_decorator(xframe_options_sameorigin, name="dispatch")
class PreviewMailView(EditionView):
    """The HTML mail itself, shown in the preview page's iframe."""

    def get(self, request, *args, **kwargs):
        segment = SegmentForm(request.GET or None).segment()
        html = EditionMailer(self.edition).preview_html(segment)
        return HttpResponse(html or "<p>Intet til dette udvalg af arbejdsområder.</p>")


class SendTestView(EditionView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = SegmentForm(request.POST)
        segment = form.segment()
        message = EditionMailer(self.edition).message(
            Recipient(email=request.user.email), segment, subject_prefix="[Test] "
        )
        if message is None and not self.edition.items.exists():
            # A new edition with only its intro: a mail is made of items.
            messages.warning(
                request,
                "Nyhedsbrevet har ingen punkter endnu, så der er intet at sende. Tilføj "
                "punkter, eller brug »Udfyld med det nye«, og prøv igen.",
            )
        elif message is None:
            messages.warning(request, "Der er intet i nyhedsbrevet til de valgte arbejdsområder.")
        elif not request.user.email:
            messages.error(request, "Din konto har ingen e-mailadresse.")
        else:
            try:
                message.send()
            except (BadHeaderError, ValueError, UnicodeError) as exc:
                messages.error(request, f"Mailen kan ikke bygges ({exc}). Intet er sendt.")
            except (OSError, smtplib.SMTPException) as exc:
                messages.error(
                    request, f"Mailserveren tog ikke imod testmailen ({exc}). Prøv igen om lidt."
                )
            else:
                messages.success(request, f"Testmailen er sendt til {request.user.email}.")
        query = "&".join(f"work_areas={pk}" for pk in segment.work_area_ids)
        return redirect(admin_url("preview", self.edition) + f"?{query}")


class StartView(EditionView):
    """Confirm (GET), then freeze the edition and send it in the background (POST)."""

    template_name = "newsletters/admin/start.html"
    needs_send_permission = True

    def get(self, request, *args, **kwargs):
        if self.edition.status != EditionStatus.DRAFT:
            return self.back()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            edition=self.edition,
            receiving=permissions.receiving_subscribers().count(),
            overview_url=admin_url("overview", self.edition),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if self.edition.status != EditionStatus.DRAFT:
            # A second click, or the confirmation page sent again: nothing starts twice.
            messages.info(
                request,
                "Udsendelsen var allerede startet."
                if self.edition.status == EditionStatus.SENDING
                else "Nyhedsbrevet er allerede sendt.",
            )
            return self.back()
        try:
            sending.start(self.edition)
        except sending.SendingError as exc:
            messages.error(request, str(exc))
            return self.back()
        send_edition.enqueue(self.edition.pk)
        messages.success(request, "Udsendelsen er startet.")
        return self.back()


class ResumeView(EditionView):
    http_method_names = ["post"]
    needs_send_permission = True

    def post(self, request, *args, **kwargs):
        if self.edition.status != EditionStatus.SENDING:
            messages.info(request, "Nyhedsbrevet er ikke ved at blive sendt.")
        else:
            send_edition.enqueue(self.edition.pk)
            messages.success(request, "Udsendelsen er genoptaget.")
        return self.back()
