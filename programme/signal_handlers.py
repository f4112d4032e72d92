"""Receivers: the programme's roles follow provisioning; e-library downloads (PDFs,
recordings, clips) are counted."""

from __future__ import annotations

from django.db.models import Q
from django.dispatch import receiver
from wagtail.documents.models import document_served

from cms.organisations.signals import groups_provisioned
from cms.products.file_integrity import live_pages_using
from cms.products.models import DocumentPage, PrintPage, ProductPage
from cms.products.signals import media_downloaded, product_page_shown


@receiver(groups_provisioned)
def grant_programme_roles(sender, **kwargs) -> None:
    from .roles import ensure_programme_roles

    ensure_programme_roles()


@receiver(document_served)
def count_document_download(sender, instance, request, **kwargs) -> None:
    """A product's PDF fetched from the e-library counts as a download of each live language
    version that offers it (usually one). Editors previewing drafts are not counted."""
    from .counters import count_use

    pages = [*DocumentPage.objects.live().filter(pdf=instance),
             *PrintPage.objects.live().filter(Q(artwork_pdf=instance))]
    for page in pages:
        count_use(page, "downloads")


@receiver(media_downloaded)
def count_media_download(sender, item, **kwargs) -> None:
    """A recording or clip downloaded from the e-library counts as a download of each live,
    public language version that uses it (usually one), like a PDF."""
    from .counters import count_use

    for page in live_pages_using(item, public_only=True):
        count_use(page, "downloads")


@receiver(product_page_shown)
def count_cached_view(sender, page_id: int, **kwargs) -> None:
    """A product page answered from the page cache is a view like a rendered one (those are
    counted by the before_serve_page hook, which a cached answer never reaches). Only the
    month's first view loads the page, for the language its row records: a cached answer
    must stay far cheaper than a render."""
    from .counters import bump_existing_use, count_use

    if bump_existing_use(page_id, "views"):
        return
    page = ProductPage.objects.live().filter(pk=page_id).select_related("locale").first()
    if page is not None:
        count_use(page, "views")
