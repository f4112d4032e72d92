"""StreamField blocks for product text: what editors of bulletins and handbooks need."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageBlock

RICH_FEATURES = ["bold", "italic", "h2", "h3", "ol", "ul", "link", "document-link"]


class PhotoBlock(blocks.StructBlock):
    image = ImageBlock(label=_("ảnh"))
    caption = blocks.CharBlock(label=_("chú thích"), required=False)

    class Meta:
        icon = "image"
        template = "blocks/photo.html"
        label = _("Ảnh")


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("trích dẫn"))
    source = blocks.CharBlock(label=_("nguồn"), required=False)

    class Meta:
        icon = "openquote"
        template = "blocks/quote.html"
        label = _("Trích dẫn")


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label=_("Tiêu đề mục"), form_classname="title", icon="title",
                               template="blocks/heading.html")
    paragraph = blocks.RichTextBlock(label=_("Đoạn văn"), features=RICH_FEATURES)
    photo = PhotoBlock()
    quote = QuoteBlock()
