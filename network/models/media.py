"""The site's own Image and Document models, set before the first migration so
later fields (credit, private documents) need no swap of Wagtail's models."""

import codecs
from functools import cached_property

from django.db import models
from wagtail.documents.models import AbstractDocument
from wagtail.documents.models import Document as WagtailDocument
from wagtail.images.models import AbstractImage, AbstractRendition
from wagtail.images.models import Image as WagtailImage

from .. import uploads


class SiteImage(AbstractImage):
    credit = models.CharField(
        "fotokredit", max_length=255, blank=True, help_text="Uden »Foto:«, som sættes foran."
    )
    alt_text = models.CharField(
        "alternativ tekst",
        max_length=255,
        blank=True,
        help_text="Beskriv billedet for skærmlæsere. Tom, hvis billedet er ren pynt.",
    )

    admin_form_fields = WagtailImage.admin_form_fields + ("credit", "alt_text")

    @property
    def site_alt(self) -> str:
        """The alternative text, else Wagtail's own *Beskrivelse*, which its upload form
        asks for (an outside walk filled that in, and the article's image had alt="")."""
        return self.alt_text or self.description or ""

    @property
    def credit_text(self) -> str:
        """The credit without a leading "Foto:" the editor typed ("Foto: Foto: …")."""
        credit = self.credit.strip()
        return credit[5:].strip() if credit.lower().startswith("foto:") else credit

    class Meta(AbstractImage.Meta):
        verbose_name = "billede"
        verbose_name_plural = "billeder"


class SiteRendition(AbstractRendition):
    image = models.ForeignKey(SiteImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


def _document_path(instance, filename):
    # Wagtail's own "documents" folder, with a name that always fits (network.uploads).
    return uploads.fitting_path("documents", filename)


class SiteDocument(AbstractDocument):
    file = models.FileField("fil", upload_to=_document_path)
    description = models.TextField("beskrivelse", blank=True)

    admin_form_fields = WagtailDocument.admin_form_fields + ("description",)

    @cached_property
    def content_type(self) -> str:
        """A text document (.txt, .csv) is sent with its charset, or a browser guesses
        and shows "Ã¦" for "æ". UTF-8 when its first 64 kB read as UTF-8, else
        Windows-1252, the charset of a Danish file saved by older Windows programs."""
        base = super().content_type
        if not base.startswith("text/") or "charset" in base:
            return base
        return f"{base}; charset={self._text_charset()}"

    def _text_charset(self) -> str:
        try:
            with self.file.open("rb") as handle:
                head = handle.read(65536)
        except (OSError, ValueError):
            return "utf-8"  # a missing file: served as 404 anyway
        try:
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        except UnicodeDecodeError:
            return "windows-1252"
        return "utf-8"

    def save(self, *args, **kwargs):
        # The admin's upload form sets the size and hash; a document made in code (the
        # import, the demo, a project's material) had neither, and Wagtail's document
        # view then sent `ETag: ""`, the same for every such document.
        if self.file and not self.file_hash:
            try:
                self._set_document_file_metadata()
            except (OSError, ValueError):
                pass  # a missing file: served as 404 anyway
        super().save(*args, **kwargs)

    class Meta(AbstractDocument.Meta):
        verbose_name = "dokument"
        verbose_name_plural = "dokumenter"
