"""Project spaces: a group of municipalities working together over a period."""

import secrets

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from network.page_forms import PageForm
from network.widgets import MunicipalitiesByRegion

from .routes import ProjectRoutesMixin


class Visibility(models.TextChoices):
    PUBLIC = "public", "Alle (offentligt)"
    MEMBERS = "members", "Medlemmer af netværket"
    PARTICIPANTS = "participants", "Kun projektets deltagere"


class ProjectRole(models.TextChoices):
    COORDINATOR = "coordinator", "Koordinator"
    PARTICIPANT = "participant", "Deltager"


class ProjectIndexPage(Page):
    # Who sees a project is its own `visibility` (projects/permissions.py), applied in
    # every list, search and feed; Wagtail's page privacy would protect the page alone
    # while its title, events and logs stayed listed. So it is switched off here.
    private_page_options: list[str] = []
    intro = RichTextField("introduktion", blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["projects.ProjectPage"]
    max_count = 1

    class Meta:
        verbose_name = "projektoversigt"

    def get_context(self, request, *args, **kwargs):
        from ..queries import visible_projects

        context = super().get_context(request, *args, **kwargs)
        projects = visible_projects(request.user, self)
        today = timezone.localdate()
        context["active_projects"] = [p for p in projects if not p.end_date or p.end_date >= today]
        context["past_projects"] = [p for p in projects if p.end_date and p.end_date < today]
        return context


SUMMARY_MAX_LENGTH = 2000


class ProjectPage(ProjectRoutesMixin, Page):
    private_page_options: list[str] = []  # see ProjectIndexPage
    # Real project descriptions run to 800-1,100 characters (docs/import.md, "Limits").
    summary = models.TextField(
        "resumé",
        max_length=SUMMARY_MAX_LENGTH,
        help_text="Vises øverst på projektsiden; på oversigter vises de første 30 ord.",
    )
    goals = RichTextField("mål", blank=True, features=["bold", "italic", "link", "ol", "ul"])
    start_date = models.DateField("start")
    end_date = models.DateField("slut", null=True, blank=True)
    visibility = models.CharField(
        "synlighed", max_length=12, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    municipalities = ParentalManyToManyField(
        "network.Municipality",
        verbose_name="deltagende kommuner",
        blank=True,
        related_name="projects",
    )
    organisations = ParentalManyToManyField(
        "network.Organisation", verbose_name="drives af", blank=True, related_name="projects"
    )
    work_areas = ParentalManyToManyField(
        "network.WorkArea", verbose_name="arbejdsområder", blank=True, related_name="projects"
    )
    # A copy made in the admin is a new page, not the imported one: the import id is
    # unique, and copying it gave a 500. Nor are its people copied (an outside check:
    # the copy silently made every participant and coordinator one of its own).
    exclude_fields_in_copy = ["external_id", "participants"]
    external_id = models.CharField(
        "import-id", max_length=100, unique=True, null=True, blank=True, editable=False
    )
    members_may_remove_content = models.BooleanField(
        "deltagere må slette deres indhold",
        default=True,
        help_text="Deres egne prøvehandlinger, og alt hvad de skrev, når de sletter deres "
        "konto. Slå fra, hvis projektets prøvehandlinger skal bevares (uden navn).",
    )

    base_form_class = PageForm

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("goals"),
        MultiFieldPanel(
            [
                FieldPanel("start_date"),
                FieldPanel("end_date"),
                FieldPanel("visibility"),
                FieldPanel("members_may_remove_content"),
            ],
            heading="Periode og synlighed",
        ),
        MultiFieldPanel(
            [
                FieldPanel("municipalities", widget=MunicipalitiesByRegion),
                FieldPanel("organisations", widget=forms.CheckboxSelectMultiple),
                FieldPanel("work_areas", widget=forms.CheckboxSelectMultiple),
            ],
            heading="Hvem og hvad",
        ),
        InlinePanel("participants", heading="Deltagere", label="Deltager"),
        InlinePanel("materials", heading="Materialer", label="Materiale"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary")]
    parent_page_types = ["projects.ProjectIndexPage"]
    subpage_types = ["projects.EventPage"]

    class Meta:
        verbose_name = "projekt"
        verbose_name_plural = "projekter"

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "Projektet kan ikke slutte, før det begynder."})

    def is_active(self) -> bool:
        return not self.end_date or self.end_date >= timezone.localdate()

    def get_context(self, request, *args, **kwargs):
        from .. import permissions, queries
        from ..materials import openable
        from ..views import municipality_status_table

        context = super().get_context(request, *args, **kwargs)
        user = request.user
        events = queries.project_events(self)
        now = timezone.now()
        context.update(
            {
                "project": self,
                "upcoming_events": [e for e in events if (e.ends_at or e.starts_at) >= now],
                "past_events": [e for e in events if (e.ends_at or e.starts_at) < now][::-1],
                "latest_logs": permissions.visible_logs(
                    user, self.trial_actions.all()
                ).select_related("municipality", "author")[:6],
                "status_table": municipality_status_table(user, self),
                "role": permissions.role(user, self),
                "can_create_log": permissions.can_create_log(user, self),
                "can_manage": permissions.can_manage_participants(user, self),
                "can_see_participants": permissions.can_see_participants(user, self),
                # Only material the reader may open: no link to a 404, no restricted title.
                "materials": openable(user, self.materials.select_related("document")),
                "participant_count": self.participants.count(),
                "calendar_url": (calendar := self.calendar_url(user)),
                # The whole address, for a calendar app (a page's url is relative with
                # one site, absolute with several).
                "calendar_address": calendar
                if calendar.startswith(("http://", "https://"))
                else settings.SITE_URL + calendar,
            }
        )
        return context

    def calendar_url(self, user) -> str:
        """The calendar to subscribe to: the project's own for a public project, a
        personal link (projects.calendar.subscription_token) for any other."""
        from django.urls import reverse

        from ..calendar import subscription_token

        if self.visibility == Visibility.PUBLIC or not user.is_authenticated:
            return self.url + "kalender/"
        return reverse("projects:member_calendar", args=[subscription_token(user, self)])


class ProjectParticipant(Orderable):
    project = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="medlem",
        on_delete=models.CASCADE,
        related_name="project_memberships",
    )
    role = models.CharField(
        "rolle", max_length=12, choices=ProjectRole.choices, default=ProjectRole.PARTICIPANT
    )
    joined_at = models.DateTimeField(default=timezone.now, editable=False)

    panels = [FieldPanel("user"), FieldPanel("role")]

    class Meta(Orderable.Meta):
        verbose_name = "deltager"
        verbose_name_plural = "deltagere"
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="unique_project_participant")
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"


class ProjectMaterial(Orderable):
    """A document of the project; downloadable only by those who may see the project."""

    project = ParentalKey(ProjectPage, on_delete=models.CASCADE, related_name="materials")
    document = models.ForeignKey(
        "network.SiteDocument",
        verbose_name="dokument",
        on_delete=models.CASCADE,
        related_name="+",
    )
    title = models.CharField("titel", max_length=200, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    @property
    def label(self):
        return self.title or self.document.title


def _token():
    return secrets.token_urlsafe(24)


class ProjectInvitation(models.Model):
    """An invitation by e-mail for someone who is not yet a member."""

    project = models.ForeignKey(ProjectPage, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(
        max_length=12, choices=ProjectRole.choices, default=ProjectRole.PARTICIPANT
    )
    token = models.CharField(max_length=64, unique=True, default=_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # When the invitation mail last went out (a coordinator can send it again).
    sent_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "email"], name="unique_project_invitation")
        ]

    def __str__(self):
        return f"{self.email} → {self.project}"
