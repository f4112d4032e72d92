"""The backend of the e-library's public search: the engine when one is configured."""

from __future__ import annotations

from django.conf import settings
from wagtail.search.backends import get_search_backend

from .config import PUBLIC_BACKEND


def public_backend():
    name = PUBLIC_BACKEND if PUBLIC_BACKEND in settings.WAGTAILSEARCH_BACKENDS else "default"
    return get_search_backend(name)
