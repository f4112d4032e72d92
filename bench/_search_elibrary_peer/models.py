"""bakerydemo's ``StandardPage`` and ``BaseStreamBlock``, trimmed to what the benchmark
fills. Its migration runs only in the benchmark's throwaway database."""

from django.db import models
from wagtail import blocks
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Page
from wagtail.search import index


class BaseStreamBlock(blocks.StreamBlock):
    heading_block = blocks.CharBlock()
    paragraph_block = blocks.RichTextBlock(icon="pilcrow")
    image_block = ImageBlock()
    block_quote = blocks.BlockQuoteBlock()


class StandardPage(Page):
    introduction = models.TextField(blank=True)
    image = models.ForeignKey("wagtailimages.Image", null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    body = StreamField(BaseStreamBlock(), blank=True)

    search_fields = [*Page.search_fields, index.SearchField("introduction"),
                     index.SearchField("body")]
