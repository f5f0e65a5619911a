from django import forms
from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from network import permissions as network_permissions
from network.page_forms import PageForm
from network.widgets import MunicipalitiesByRegion

from .blocks import ExperienceBodyBlock

PAGE_SIZE = 12


class ExperienceKind(models.TextChoices):
    ARTICLE = "article", "Artikel"
    CASE = "case", "Case"
    PORTRAIT = "portrait", "Portræt"
    GUIDE = "guide", "Guide og værktøj"


class ExperienceIndexPage(RoutablePageMixin, Page):
    """/erfaringer/: all experiences, filtered, with feeds of the same filters."""

    intro = RichTextField("introduktion", blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["experiences.ExperiencePage"]
    max_count = 1

    class Meta:
        verbose_name = "erfaringsoversigt"

    def get_context(self, request, *args, **kwargs):
        from .queries import ExperienceFilter

        context = super().get_context(request, *args, **kwargs)
        experience_filter = ExperienceFilter(request.GET, base=self.experiences())
        paginator = Paginator(experience_filter.queryset(), PAGE_SIZE)
        page_obj = paginator.get_page(request.GET.get("side"))
        context.update(
            {
                "filter": experience_filter,
                "page_obj": page_obj,
                "experiences": experience_filter.with_related(page_obj.object_list),
                "paginator": paginator,
            }
        )
        return context

    def experiences(self):
        return ExperiencePage.objects.child_of(self).live().public()

    @path("")
    def listing(self, request):
        return self.render(request)

    @path("feed/")
    def rss_feed(self, request):
        from .feeds import ExperienceRssFeed

        return ExperienceRssFeed(self)(request)

    @path("feed/atom/")
    def atom_feed(self, request):
        from .feeds import ExperienceAtomFeed

        return ExperienceAtomFeed(self)(request)


class ExperiencePage(Page):
    """One story of what one or more municipalities did, and what came of it."""

    lead = models.TextField("manchet", max_length=600)
    published_date = models.DateField("dato", default=timezone.localdate, db_index=True)
    kind = models.CharField(
        "type", max_length=10, choices=ExperienceKind.choices, default=ExperienceKind.ARTICLE
    )
    author = models.CharField("forfatter", max_length=200, blank=True)
    image = models.ForeignKey(
        "network.SiteImage",
        verbose_name="hovedbillede",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisations = ParentalManyToManyField(
        "network.Organisation", verbose_name="udgivet af", blank=True, related_name="experiences"
    )
    municipalities = ParentalManyToManyField(
        "network.Municipality", verbose_name="kommuner", blank=True, related_name="experiences"
    )
    # Required to publish, not to save a draft (the panel defers it): the work areas
    # decide which newsletter sections and digests the article reaches.
    work_areas = ParentalManyToManyField(
        "network.WorkArea",
        verbose_name="arbejdsområder",
        related_name="experiences",
        help_text="Mindst ét. Det afgør, hvilke nyhedsbreve og hvilke abonnenter artiklen når.",
    )
    competence_profiles = ParentalManyToManyField(
        "network.CompetenceProfile",
        verbose_name="fagprofiler",
        blank=True,
        related_name="experiences",
    )
    contact_person = models.ForeignKey(
        "network.User",
        verbose_name="kontaktperson",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contact_for_experiences",
        help_text="Vises kun med de oplysninger, personen selv har valgt at vise.",
    )
    # A copy made in the admin is a new page, not the imported one: the import id is
    # unique, and copying it gave a 500.
    exclude_fields_in_copy = ["external_id"]
    external_id = models.CharField(
        "import-id", max_length=100, unique=True, null=True, blank=True, editable=False
    )
    body = StreamField(ExperienceBodyBlock(), verbose_name="brødtekst", blank=True)

    base_form_class = PageForm

    content_panels = Page.content_panels + [
        FieldPanel("lead"),
        MultiFieldPanel(
            [FieldPanel("published_date"), FieldPanel("kind"), FieldPanel("author")],
            heading="Om artiklen",
        ),
        FieldPanel("image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("municipalities", widget=MunicipalitiesByRegion),
                FieldPanel(
                    "work_areas", widget=forms.CheckboxSelectMultiple, required_on_save=False
                ),
                FieldPanel("competence_profiles", widget=forms.CheckboxSelectMultiple),
                FieldPanel("organisations", widget=forms.CheckboxSelectMultiple),
                FieldPanel("contact_person"),
            ],
            heading="Emner og afsendere",
        ),
    ]

    search_fields = Page.search_fields + [
        index.SearchField("lead"),
        index.SearchField("body"),
        index.SearchField("author"),
        index.FilterField("published_date"),
        index.FilterField("kind"),
    ]

    api_fields = [
        APIField("lead"),
        APIField("published_date"),
        APIField("kind"),
        APIField("author"),
        APIField("external_id"),
        APIField("municipality_codes"),
        APIField("work_area_slugs"),
        APIField("competence_profile_slugs"),
        APIField("organisation_names"),
        APIField("body"),
    ]

    parent_page_types = ["experiences.ExperienceIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = "erfaring"
        verbose_name_plural = "erfaringer"
        ordering = ["-published_date", "-pk"]

    def publish_blockers(self) -> list[str]:
        """What keeps this version from being published by an editor (Danish, one
        reason each). The page editor's form requires the same; config/publishing.py
        asks this for the admin's bulk *Udgiv* and a workflow's *Godkend*, which publish
        a revision without the form. The import may still publish without."""
        if not self.work_areas.all():
            return ["intet arbejdsområde (det afgør, hvilke nyhedsbreve artiklen kommer med i)"]
        return []

    @property
    def municipality_codes(self):
        return [m.code for m in self.municipalities.all()]

    @property
    def work_area_slugs(self):
        return [w.slug for w in self.work_areas.all()]

    @property
    def competence_profile_slugs(self):
        return [c.slug for c in self.competence_profiles.all()]

    @property
    def organisation_names(self):
        return [o.name for o in self.organisations.all()]

    def get_context(self, request, *args, **kwargs):
        from .queries import related_experiences

        context = super().get_context(request, *args, **kwargs)
        contact = self.contact_person
        context["contact"] = (
            contact
            if contact and network_permissions.can_view_profile(request.user, contact)
            else None
        )
        context["contact_details"] = bool(
            context["contact"] and network_permissions.can_view_contact(request.user, contact)
        )
        # A visitor who could see the contact person after logging in is told so (an
        # outside walk: the box was simply not there); not who it is.
        context["contact_after_login"] = bool(
            contact
            and not context["contact"]
            and not request.user.is_authenticated
            and network_permissions.visible_to_members(contact)
        )
        context["related"] = related_experiences(self)
        return context
