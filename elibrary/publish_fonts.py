"""A page's own font subsets, cut when it is published rather than when its first visitor
comes (translations.page_fonts).

Cutting a page's subsets takes seconds (a Chinese page: several hundred glyphs out of a
large CJK font), which the first phone to open a newly published page would otherwise wait
for. So publishing a page enqueues a background job (run by ``db_worker``) once the
publication is committed: it renders the page as an anonymous visitor in the page's
language gets it, which names (and records) the subsets for exactly the characters that
visitor will see, and cuts those not cut yet. Running it twice cuts nothing twice; a
subset it missed (the page changed meanwhile) is still cut on first request.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.dispatch import receiver
from django.test import RequestFactory
from django.utils import translation
from django_tasks import task
from wagtail.models import Page
from wagtail.signals import page_published

from translations import page_fonts

logger = logging.getLogger(__name__)


def render_for_visitor(page: Page) -> str:
    """``page`` as an anonymous visitor gets it (without counting a view or filling the
    page cache: the page's own ``serve``, not the site's view)."""
    site = page.get_site()
    host = site.hostname if site else "localhost"
    language = page.locale.language_code
    with translation.override(language):
        request = RequestFactory().get(page.get_url() or "/", HTTP_HOST=host)
        request.user = AnonymousUser()
        request.LANGUAGE_CODE = language
        response = page.serve(request)
        if hasattr(response, "render"):
            response.render()
        return response.content.decode(response.charset or "utf-8")


def prepare(page_id: int) -> int:
    """Cut the subsets the live page ``page_id`` names; returns how many were cut."""
    page = Page.objects.live().public().filter(pk=page_id).specific().first()
    if page is None:  # unpublished or restricted meanwhile: its first view will do
        return 0
    return page_fonts.cut_missing(page_fonts.linked_keys(render_for_visitor(page)))


@task()
def cut_page_fonts(page_id: int) -> int:
    """The background job (``db_worker``)."""
    return prepare(page_id)


@receiver(page_published)
def page_went_live(sender, instance: Page, **kwargs) -> None:
    if settings.LOA_WEB_FONTS and settings.LOA_FONTS_AT_PUBLISH:
        page_id = instance.pk
        # robust: a job that cannot be queued leaves the cut to the first request, and the
        # publication (committed already) must not answer with an error
        transaction.on_commit(lambda: cut_page_fonts.enqueue(page_id), robust=True)
