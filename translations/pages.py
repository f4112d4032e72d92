"""Which page model translation requests are about. Translations sits below the content
floor, so it names that model in settings (``LOA_TRANSLATABLE_PAGE_MODEL``, as Django names
its user model) instead of importing it."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from wagtail.models import Page


def translatable_page_model() -> type[Page]:
    """The model of the pages editors ask to have translated (products in Loa)."""
    return apps.get_model(settings.LOA_TRANSLATABLE_PAGE_MODEL, require_ready=True)
