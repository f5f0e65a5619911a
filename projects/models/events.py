"""Theme days, webinars and onboarding: events under a project."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from network.page_forms import PageForm

from ..text import one_line_text


class EventKind(models.TextChoices):
    THEME_DAY = "theme_day", "Temadag"
    WEBINAR = "webinar", "Webseminar"
    ONBOARDING = "onboarding", "Onboarding"
    OTHER = "other", "Andet"


class EventPage(RoutablePageMixin, Page):
    private_page_options: list[str] = []  # see ProjectIndexPage: the project decides
    kind = models.CharField(
        "type", max_length=12, choices=EventKind.choices, default=EventKind.THEME_DAY
    )
    starts_at = models.DateTimeField("starter")
    ends_at = models.DateTimeField("slutter", null=True, blank=True)
    location = models.CharField("sted", max_length=255, blank=True)
    # http(s) only, in the admin as on the site (URLField alone takes ftp://).
    online_url = models.URLField(
        "link til onlinemøde", blank=True, validators=[URLValidator(schemes=["https", "http"])]
    )
    summary = models.TextField("beskrivelse", max_length=2000, blank=True)
    speakers = models.TextField("oplægsholdere", blank=True, help_text="Én pr. linje.")
    capacity = models.PositiveIntegerField(
        "antal pladser", null=True, blank=True, help_text="Tom: ingen begrænsning."
    )
    recording_url = models.URLField("optagelse", blank=True)
    notes = RichTextField(
        "noter fra dagen", blank=True, features=["bold", "italic", "link", "ol", "ul"]
    )
    # A copy made in the admin is a new page, not the imported one: the import id is
    # unique, and copying it gave a 500.
    exclude_fields_in_copy = ["external_id"]
    external_id = models.CharField(
        "import-id", max_length=100, unique=True, null=True, blank=True, editable=False
    )

    base_form_class = PageForm

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldPanel("starts_at"),
                FieldPanel("ends_at"),
                FieldPanel("location"),
                FieldPanel("online_url"),
                FieldPanel("capacity"),
            ],
            heading="Hvornår og hvor",
        ),
        FieldPanel("summary"),
        FieldPanel("speakers"),
        InlinePanel("agenda_items", heading="Program", label="Punkt"),
        MultiFieldPanel(
            [
                FieldPanel("recording_url"),
                FieldPanel("notes"),
                InlinePanel("materials", label="Materiale"),
            ],
            heading="Materiale efter arrangementet",
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary")]
    parent_page_types = ["projects.ProjectPage"]
    subpage_types = []

    class Meta:
        verbose_name = "arrangement"
        verbose_name_plural = "arrangementer"
        ordering = ["starts_at"]

    @property
    def project(self):
        if not hasattr(self, "_project"):
            self._project = self.get_parent().specific
        return self._project

    @property
    def kind_and_title(self) -> str:
        """The event as a mail names it ("Webseminar: Digitale påmindelser"): the type in
        front, unless the title starts with it already ("Temadag 4: Opsamling") or the
        type is "Andet"."""
        kind = self.get_kind_display()
        if self.kind == EventKind.OTHER or self.title.casefold().startswith(kind.casefold()):
            return self.title
        return f"{kind}: {self.title}"

    def serve(self, request, *args, **kwargs):
        from ..permissions import can_see_event

        if not can_see_event(request.user, self):
            from django.http import Http404

            raise Http404
        return super().serve(request, *args, **kwargs)

    def clean(self):
        from .routes import PROJECT_ROUTE_SLUGS

        super().clean()
        # On one line, with no bidi controls, as the site's form keeps them: a line
        # break from the admin silenced every mail about the event (BadHeaderError).
        self.title = one_line_text(self.title or "")
        self.location = one_line_text(self.location or "")
        if self.slug in PROJECT_ROUTE_SLUGS:
            raise ValidationError(
                {"slug": f"Adressen »{self.slug}« bruger projektet selv. Vælg en anden."}
            )
        for name in ("starts_at", "ends_at"):
            moment = getattr(self, name)
            if moment and not 2000 <= moment.year <= 2100:
                # Year 9999 overflowed the calendar feed (an outside check).
                raise ValidationError({name: "Vælg en dato mellem år 2000 og 2100."})
        if self.capacity is not None and not 1 <= self.capacity <= 100_000:
            # The site's form keeps to this; the admin took 0 (every sign-up then went
            # on the waiting list) and 2^63 - 1 (an outside check).
            message = "Skriv et antal pladser mellem 1 og 100.000, eller lad feltet stå tomt."
            raise ValidationError({"capacity": message})
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            # Equal too: an outside walk published one that began and ended at once.
            raise ValidationError({"ends_at": "Arrangementet skal slutte, efter det begynder."})

    def get_context(self, request, *args, **kwargs):
        from .. import permissions
        from ..materials import openable

        context = super().get_context(request, *args, **kwargs)
        user = request.user
        context["project"] = self.project
        context["registration"] = (
            self.registrations.filter(user=user).first() if user.is_authenticated else None
        )
        context["registered_count"] = self.registrations.filter(status="registered").count()
        context["waitlisted_count"] = self.registrations.filter(status="waitlisted").count()
        context["can_sign_up"] = permissions.can_sign_up(user, self)
        context["is_past"] = not self.is_upcoming()
        context["can_see_meeting_link"] = permissions.can_see_meeting_link(user, self)
        context["can_see_attendees"] = permissions.can_see_attendees(user, self.project)
        context["can_manage_events"] = permissions.can_manage_events(user, self.project)
        context["materials"] = openable(user, self.materials.select_related("document"))
        if context["can_see_attendees"]:
            context["attendees"] = (
                self.registrations.exclude(status="cancelled")
                .select_related("user", "user__municipality")
                .order_by("status", "signed_up_at")
            )
        return context

    @path("tilmeld/")
    def sign_up(self, request):
        from .. import views

        return views.event_sign_up(request, self)

    @path("afmeld/")
    def cancel(self, request):
        from .. import views

        return views.event_cancel(request, self)

    @path("deltagerliste/")
    def attendees_csv(self, request):
        from .. import views

        return views.event_attendees_csv(request, self)

    @path("rediger/")
    def edit(self, request):
        from .. import views

        return views.event_form(request, self.project, self)

    @path("kalender/")
    def ics(self, request):
        from .. import views

        return views.event_ics(request, self)

    def is_upcoming(self) -> bool:
        return (self.ends_at or self.starts_at) >= timezone.now()

    def speaker_list(self) -> list[str]:
        return [line.strip() for line in self.speakers.splitlines() if line.strip()]


class AgendaItem(Orderable):
    event = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="agenda_items")
    time = models.TimeField("tidspunkt", null=True, blank=True)
    title = models.CharField("punkt", max_length=255)
    speaker = models.CharField("oplægsholder", max_length=200, blank=True)

    panels = [FieldPanel("time"), FieldPanel("title"), FieldPanel("speaker")]


class EventMaterial(Orderable):
    event = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="materials")
    document = models.ForeignKey(
        "network.SiteDocument", verbose_name="dokument", on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField("titel", max_length=200, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    @property
    def label(self):
        return self.title or self.document.title


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", "Tilmeldt"
    WAITLISTED = "waitlisted", "På venteliste"
    CANCELLED = "cancelled", "Afmeldt"


class EventRegistration(models.Model):
    event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_registrations"
    )
    status = models.CharField(max_length=12, choices=RegistrationStatus.choices)
    # Position in the queue: the time of the (latest) sign-up.
    signed_up_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    # Set when the day-before reminder is sent (send_event_reminders): one per sign-up.
    reminded_at = models.DateTimeField("påmindelse sendt", null=True, blank=True, editable=False)

    class Meta:
        ordering = ["signed_up_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="unique_event_registration")
        ]

    def waitlist_position(self) -> int | None:
        """1 for the next to move up, as `services.cancel` picks them; None when not
        on the waiting list."""
        if self.status != RegistrationStatus.WAITLISTED:
            return None
        ahead = self.event.registrations.filter(status=RegistrationStatus.WAITLISTED).filter(
            models.Q(signed_up_at__lt=self.signed_up_at)
            | models.Q(signed_up_at=self.signed_up_at, pk__lt=self.pk)
        )
        return ahead.count() + 1

    def __str__(self):
        return f"{self.user} – {self.event} ({self.get_status_display()})"


class EventMaterialNotice(models.Model):
    """A document of an event's material that attendees need not be told about again:
    they got "Materialet er lagt op" for it (mailed), or it was there before the event
    ended (not mailed). Kept outside the page, so publishing an older revision cannot
    bring a document back as news."""

    event = models.ForeignKey(EventPage, on_delete=models.CASCADE, related_name="material_notices")
    document = models.ForeignKey("network.SiteDocument", on_delete=models.CASCADE, related_name="+")
    mailed = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "document"], name="unique_event_material_notice"
            )
        ]

    def __str__(self):
        return f"{self.event} – {self.document_id}"
