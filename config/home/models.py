from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from network.page_forms import PageForm


class InfoPage(Page):
    """A page about the site itself: the accessibility statement Danish public bodies
    must publish, the privacy policy, contact. Editors write them in the admin; the
    footer links every live one marked "Vis i menuer", and the role tells the site
    which page is the contact page (the password-reset page links it)."""

    class Role(models.TextChoices):
        ACCESSIBILITY = "accessibility", "Tilgængelighedserklæring"
        PRIVACY = "privacy", "Privatlivspolitik"
        CONTACT = "contact", "Kontakt"
        OTHER = "other", "Anden side"

    role = models.CharField(
        "sidens rolle",
        max_length=20,
        choices=Role.choices,
        default=Role.OTHER,
        help_text="Siden for glemt adgangskode og mails linker til kontaktsiden.",
    )
    intro = models.TextField("manchet", blank=True, max_length=600)
    body = RichTextField(
        "tekst", blank=True, features=["h2", "h3", "bold", "italic", "link", "ol", "ul"]
    )

    base_form_class = PageForm

    content_panels = Page.content_panels + [
        FieldPanel("role"),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]

    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "informationsside"
        verbose_name_plural = "informationssider"


class HomePage(Page):
    """The front page: what is new across the network and the ways in."""

    # Wagtail's page privacy here would cover every page below, projects included,
    # whose lists do not follow it (see projects.models.ProjectIndexPage).
    private_page_options: list[str] = []

    headline = models.CharField(
        "overskrift",
        max_length=200,
        default="Erfaringer fra landets jobcentre – samlet ét sted",
    )
    intro = RichTextField("introduktion", blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [FieldPanel("headline"), FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = "forside"

    def get_context(self, request, *args, **kwargs):
        from .sections import home_sections

        context = super().get_context(request, *args, **kwargs)
        context["sections"] = home_sections.render_data(request, self)
        return context
