"""A product going live or leaving asks for the ZIM files to be rebuilt."""

from __future__ import annotations

from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from cms.products.models import ProductPage

from .publishing import request_rebuild


@receiver(page_published)
@receiver(page_unpublished)
def product_changed(sender, instance, **kwargs) -> None:
    if isinstance(instance, ProductPage):
        request_rebuild()
