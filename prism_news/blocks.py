"""The article body: one StreamBlock and the blocks it is made of.

Each block says which of its text counts towards reading time
(``reading_texts``) and renders with a template under ``prism_news/blocks/``.
"""

from django.core.exceptions import ValidationError
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.embeds.embeds import get_embed
from wagtail.embeds.exceptions import EmbedException
from wagtail.images.blocks import ImageChooserBlock
from wagtail.rich_text import RichText

from .conf import get_settings
from .markup import clean_rich_text, is_web_url
from .representations.images import image_data
from .rich_text_links import VisibleRichText, expand_rich_text

RICH_TEXT_FEATURES = ["bold", "italic", "link", "superscript", "subscript", "strikethrough"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Text"), max_length=255)
    level = blocks.ChoiceBlock(
        label=_("Level"),
        choices=[("2", _("Section (h2)")), ("3", _("Subsection (h3)")), ("4", _("Minor (h4)"))],
        default="2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "prism_news/blocks/heading.html"
        preview_value = {"text": "Supply chains without China", "level": "2"}
        description = _("A section heading inside the article")

    def reading_texts(self, value):
        yield value["text"]

    def get_api_representation(self, value, context=None):
        return {"text": value["text"], "level": int(value["level"])}


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", RICH_TEXT_FEATURES)
        super().__init__(**kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Paragraph")
        template = "prism_news/blocks/paragraph.html"
        preview_value = (
            "<p>The alliance seeks supply chains independent of China, "
            "from rare earths to data centres.</p>"
        )
        description = _("Body text with links and emphasis")

    def reading_texts(self, value):
        yield value.source

    # The value renders its page links for readers (prism_news.rich_text_links), whatever
    # page link handler the host registered for its own rich text.
    def to_python(self, value):
        return VisibleRichText(value)

    def normalize(self, value):
        if isinstance(value, VisibleRichText):
            return value
        if isinstance(value, RichText):
            return VisibleRichText(value.source)
        return VisibleRichText(value and force_str(value))

    def get_prep_value(self, value):
        # Every write (the page row, a revision, an import, a translation) passes
        # here: store only what the editor could have produced with these features.
        source = value.source if isinstance(value, RichText) else value
        return clean_rich_text(source, self.features)[0]

    def get_api_representation(self, value, context=None):
        """HTML with real links. Page links point at the linked page's version in
        the article's locale when the API supplies ``prism_page_links``."""
        return expand_rich_text(value.source, (context or {}).get("prism_page_links"))


class ListBlock(blocks.StructBlock):
    style = blocks.ChoiceBlock(
        label=_("Style"),
        choices=[("bulleted", _("Bulleted")), ("numbered", _("Numbered"))],
        default="bulleted",
    )
    items = blocks.ListBlock(blocks.CharBlock(label=_("Item")), label=_("Items"), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("List")
        template = "prism_news/blocks/list.html"
        preview_value = {"style": "bulleted", "items": ["Japan", "South Korea", "Australia"]}
        description = _("A bulleted or numbered list")

    def reading_texts(self, value):
        yield from value["items"]


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quotation"))
    attribution = blocks.CharBlock(label=_("Attribution"), required=False, max_length=255)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "prism_news/blocks/quote.html"
        preview_value = {"text": "Supply chains are security.", "attribution": "A diplomat"}
        description = _("A quotation with its attribution")

    def reading_texts(self, value):
        yield value["text"]
        yield value["attribution"]


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt = blocks.CharBlock(
        label=_("Alt text"),
        max_length=255,
        help_text=_("Describe the image for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=255)
    credit = blocks.CharBlock(label=_("Credit"), required=False, max_length=255)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "prism_news/blocks/image.html"
        description = _("An image with alt text, caption and credit")

    def get_api_representation(self, value, context=None):
        return image_data(
            value["image"],
            alt=value["alt"],
            caption=value["caption"],
            credit=value["credit"],
            specs=get_settings()["API_RENDITIONS"],
        )


class EmbedMediaBlock(EmbedBlock):
    class Meta:
        icon = "media"
        label = _("Embed")
        template = "prism_news/blocks/embed.html"
        description = _("A video or post from another site, by URL")

    def clean(self, value):
        if value is not None and not is_web_url(value.url):
            raise ValidationError(_("Enter a web address starting with http:// or https://."))
        return super().clean(value)

    def get_prep_value(self, value):
        # The backstop for code that saves without cleaning: never store another scheme.
        url = getattr(value, "url", value)
        if url and not is_web_url(url):
            raise ValidationError(_("Enter a web address starting with http:// or https://."))
        return super().get_prep_value(value)

    def get_api_representation(self, value, context=None):
        if value is None or not is_web_url(value.url):
            return None
        data = {"url": value.url, "provider": None, "title": None, "html": None}
        data.update(width=None, height=None, thumbnail_url=None)
        try:
            embed = get_embed(value.url)
        except EmbedException:
            return data  # the URL still lets a front end link to it
        data.update(
            provider=embed.provider_name or None,
            title=embed.title or None,
            html=embed.html or None,
            width=embed.width,
            height=embed.height,
            thumbnail_url=embed.thumbnail_url or None,
        )
        return data


class KeyPointsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=255)
    points = blocks.ListBlock(blocks.CharBlock(label=_("Point")), label=_("Points"), min_num=1)

    class Meta:
        icon = "list-ol"
        label = _("Key points")
        template = "prism_news/blocks/key_points.html"
        preview_value = {
            "title": "Key points",
            "points": ["A new technology alliance", "Kazakhstan as a digital hub"],
        }
        description = _("A short summary box of the main points")

    def reading_texts(self, value):
        yield value["title"]
        yield from value["points"]


class ArticleBodyBlock(blocks.StreamBlock):
    """The body. Saving it runs every child block's ``get_prep_value`` (which cleans
    rich text and URLs), even for blocks that were never read since loading:
    Wagtail would otherwise write those back from their raw data unchecked."""

    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    list = ListBlock()
    quote = QuoteBlock()
    image = ImageBlock()
    embed = EmbedMediaBlock()
    key_points = KeyPointsBlock()

    class Meta:
        label = _("Body")

    def get_prep_value(self, value):
        if value:
            for _child in value:  # converts each raw item to a block value
                pass
        return super().get_prep_value(value)
