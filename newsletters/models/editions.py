"""An edition (issue) of the newsletter: a subject, an intro and ordered items by work area."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable

from network.models import WorkArea


class EditionStatus(models.TextChoices):
    DRAFT = "draft", "Kladde"
    SENDING = "sending", "Sendes"
    SENT = "sent", "Sendt"


def validate_link(value: str) -> None:
    """Items link to a page on this site that exists (an absolute path) or to another
    site over https: a mistyped path or a plain http:// link went to every subscriber."""
    if value.startswith("/") and not value.startswith("//"):
        if not _site_path_exists(value):
            raise ValidationError(
                f"Der er ingen offentlig side på sitet med stien {value}. Tjek stien, eller "
                "kopiér den fra adresselinjen på siden."
            )
        return
    if value.startswith("https://"):
        return
    if value.startswith("http://"):
        raise ValidationError("Brug en https-adresse (https://…): den er sikker for modtagerne.")
    raise ValidationError("Skriv en sti på sitet (fx /erfaringer/...) eller en fuld https-adresse.")


def _site_path_exists(value: str) -> bool:
    """Whether an anonymous visitor finds something at this path: one of the site's own
    routes, or a live Wagtail page (with its sub-routes) that serves it."""
    from urllib.parse import urlsplit

    from django.contrib.auth.models import AnonymousUser
    from django.http import Http404, HttpRequest
    from django.urls import Resolver404, resolve
    from wagtail.models import Site

    path = urlsplit(value).path or "/"
    try:
        match = resolve(path)
    except Resolver404:
        return False
    if match.url_name != "wagtail_serve":
        return True
    request = HttpRequest()  # Page.route needs one: an anonymous GET of the path
    request.method, request.path, request.user = "GET", path, AnonymousUser()
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return False
    components = [part for part in path.split("/") if part]
    try:
        page, _args, _kwargs = site.root_page.specific.route(request, components)
    except Http404:
        return False
    return page.live


def validate_codes(value: str) -> None:
    for code in value.split(","):
        if code.strip() and not (code.strip().isdigit() and len(code.strip()) == 4):
            raise ValidationError(
                "Skriv kommunekoder med fire cifre adskilt af komma, fx 0751,0316."
            )


class Edition(ClusterableModel):
    subject = models.CharField("emne", max_length=200)
    intro = models.TextField(
        "indledning",
        blank=True,
        max_length=3000,
        help_text="Vises øverst i mailen. En tom linje giver et nyt afsnit.",
    )
    status = models.CharField(
        "status",
        max_length=10,
        choices=EditionStatus.choices,
        default=EditionStatus.DRAFT,
        editable=False,
    )
    created_at = models.DateTimeField("oprettet", auto_now_add=True)
    # The moment of the last "fill from what is new"; the next edition fills from here.
    filled_until = models.DateTimeField("udfyldt til", null=True, blank=True, editable=False)
    send_started_at = models.DateTimeField("udsendelse startet", null=True, editable=False)
    sent_at = models.DateTimeField("udsendt", null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "nyhedsbrev"
        verbose_name_plural = "nyhedsbreve"
        permissions = [("send_edition", "Kan sende nyhedsbreve til abonnenter")]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("newsletters:archive_detail", kwargs={"pk": self.pk})

    @property
    def is_draft(self) -> bool:
        return self.status == EditionStatus.DRAFT

    def intro_paragraphs(self) -> list[str]:
        return [part.strip() for part in self.intro.replace("\r\n", "\n").split("\n\n") if part]


class EditionItem(Orderable):
    """One entry in a work-area section. An article in two work areas is two items,
    so it appears in both sections; one mail shows it once."""

    edition = ParentalKey(Edition, on_delete=models.CASCADE, related_name="items")
    work_area = models.ForeignKey(
        WorkArea,
        verbose_name="arbejdsområde",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField("titel", max_length=255)
    summary = models.TextField("resumé", blank=True, max_length=1000)
    url = models.CharField(
        "link",
        max_length=500,
        validators=[validate_link],
        help_text="En sti på sitet (fx /erfaringer/...) eller en fuld https-adresse.",
    )
    kind = models.CharField("type", max_length=60, blank=True, help_text="Fx Erfaring, Temadag.")
    when = models.CharField(
        "tid og sted",
        max_length=200,
        blank=True,
        help_text="For et arrangement: dato, klokkeslæt og sted. Vises under titlen.",
    )
    municipality_codes = models.CharField(
        "kommunekoder",
        max_length=500,
        blank=True,
        validators=[validate_codes],
        help_text="Valgfrit. Kommunekoder adskilt af komma, fx 0751,0316. "
        "Så får abonnenter, der har valgt bestemte kommuner, kun punktet, hvis det passer.",
    )
    source = models.CharField(max_length=50, blank=True, editable=False)
    source_key = models.CharField(max_length=100, blank=True, editable=False)
    published = models.DateTimeField(null=True, blank=True, editable=False)

    panels = [
        FieldPanel("work_area"),
        FieldPanel("title"),
        FieldPanel("summary"),
        FieldPanel("url"),
        FieldPanel("kind"),
        FieldPanel("when"),
        FieldPanel("municipality_codes"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "punkt"
        verbose_name_plural = "punkter"

    def __str__(self):
        return self.title

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(
            code.strip() for code in self.municipality_codes.split(",") if code.strip()
        )
