"""StreamField blocks shared by place stories, region pages and content pages."""

from django.utils.translation import gettext_lazy as _

from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3", "h4"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Überschrift"), max_length=120)
    level = blocks.ChoiceBlock(
        label=_("Ebene"),
        choices=[("h2", _("Abschnitt (H2)")), ("h3", _("Unterabschnitt (H3)"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Abschnittsüberschrift")
        template = "blocks/heading_block.html"
        help_text = _("Beginnt einen Abschnitt, z. B. „Das Objekt“ oder „Die Menschen“.")


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Bild"))
    caption = blocks.CharBlock(label=_("Bildunterschrift"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Bild")
        template = "blocks/image_block.html"
        help_text = _("Alternativtext und Bildnachweis kommen aus dem Bild selbst.")


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Zitat"), max_length=600)
    attribution = blocks.CharBlock(label=_("Wer sagt das?"), required=False, max_length=120)

    class Meta:
        icon = "openquote"
        label = _("Zitat")
        template = "blocks/quote_block.html"


class KeyFactBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Bezeichnung"), max_length=60)
    value = blocks.CharBlock(label=_("Wert"), max_length=160)


class KeyFactsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titel"), required=False, max_length=80)
    facts = blocks.ListBlock(KeyFactBlock(), label=_("Fakten"), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("Eckdaten")
        template = "blocks/key_facts_block.html"
        help_text = _("Kurze Fakten, z. B. „Baujahr: 1892“ oder „Fläche: 800 m²“.")


class VideoEmbedBlock(EmbedBlock):
    class Meta:
        icon = "media"
        label = _("Video (Einbettung)")
        template = "blocks/embed_block.html"
        help_text = _(
            "Adresse eines Videos (z. B. YouTube, Vimeo). Besucher*innen sehen es erst, "
            "nachdem sie dem Laden zugestimmt haben."
        )


class StoryBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Text"), features=RICH_TEXT_FEATURES, template="blocks/paragraph_block.html"
    )
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    embed = VideoEmbedBlock()
    key_facts = KeyFactsBlock()

    class Meta:
        label = _("Inhalt")
