"""Translation requests follow their language version through Wagtail's review."""

from __future__ import annotations

from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, workflow_rejected

from . import request_states


@receiver(page_published)
def request_done_on_publish(sender, instance: Page, **kwargs) -> None:
    request_states.mark_published(instance)


@receiver(workflow_rejected)
def request_back_on_rejection(sender, instance, **kwargs) -> None:
    page = instance.content_object
    if isinstance(page, Page):
        request_states.back_to_translator(page)
