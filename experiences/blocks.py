"""StreamField blocks of an experience article."""

from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "document-link"]


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        label = "Mellemrubrik"
        template = "experiences/blocks/heading.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label="Citat")
    name = blocks.CharBlock(label="Navn", required=False)
    role = blocks.CharBlock(label="Stilling", required=False)
    municipality = blocks.CharBlock(label="Kommune eller organisation", required=False)

    class Meta:
        icon = "openquote"
        label = "Citat"
        template = "experiences/blocks/quote.html"


class FactBoxBlock(blocks.StructBlock):
    title = blocks.CharBlock(label="Overskrift", default="Kort om")
    items = blocks.ListBlock(blocks.CharBlock(label="Punkt"), label="Punkter")

    class Meta:
        icon = "list-ul"
        label = "Faktaboks"
        template = "experiences/blocks/facts.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label="Billede")
    caption = blocks.CharBlock(label="Billedtekst", required=False)
    credit = blocks.CharBlock(
        label="Fotokredit", required=False, help_text="Tom: billedets egen fotokredit bruges."
    )

    class Meta:
        icon = "image"
        label = "Billede"
        template = "experiences/blocks/image.html"


class KeyFigureBlock(blocks.StructBlock):
    figure = blocks.CharBlock(label="Tal", help_text="fx 42 % eller 3 uger")
    label = blocks.CharBlock(label="Forklaring")

    class Meta:
        icon = "pick"
        label = "Nøgletal"
        template = "experiences/blocks/key_figure.html"


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label="Video-adresse")
    caption = blocks.CharBlock(label="Beskrivelse", required=False)

    class Meta:
        icon = "media"
        label = "Video"
        template = "experiences/blocks/video.html"


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label="Dokument")
    title = blocks.CharBlock(label="Linktekst", required=False)

    def get_api_representation(self, value, context=None):
        """The API names a document only to a reader who may open it, as the page draws
        the block only for them (network.documents.may_open)."""
        from network.documents import may_open
        from network.middleware import current_reader

        data = super().get_api_representation(value, context)
        if value.get("document") and not may_open(value["document"], current_reader()):
            data["document"] = None
        return data

    class Meta:
        icon = "doc-full"
        label = "Dokument"
        template = "experiences/blocks/document.html"


class ReaderRichTextBlock(blocks.RichTextBlock):
    def get_api_representation(self, value, context=None):
        """Rich text as the page shows it to this reader: links with their addresses,
        a document they may not open as its words alone. (Wagtail's API gave the stored
        form, `<a linktype="document" id="7">`, naming restricted material's ids.)"""
        from wagtail.rich_text import expand_db_html

        return expand_db_html(value.source) if value else ""


class ExperienceBodyBlock(blocks.StreamBlock):
    paragraph = ReaderRichTextBlock(
        features=RICH_TEXT_FEATURES, label="Tekst", template="experiences/blocks/paragraph.html"
    )
    heading = HeadingBlock()
    quote = QuoteBlock()
    facts = FactBoxBlock()
    image = ImageBlock()
    key_figure = KeyFigureBlock()
    video = VideoBlock()
    document = DocumentLinkBlock()
