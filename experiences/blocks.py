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

    class Meta:
        icon = "doc-full"
        label = "Dokument"
        template = "experiences/blocks/document.html"


class ExperienceBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES, label="Tekst", template="experiences/blocks/paragraph.html"
    )
    heading = HeadingBlock()
    quote = QuoteBlock()
    facts = FactBoxBlock()
    image = ImageBlock()
    key_figure = KeyFigureBlock()
    video = VideoBlock()
    document = DocumentLinkBlock()
