"""Receivers: the programme's roles follow provisioning; e-library downloads are counted."""

from __future__ import annotations

from django.db.models import Q
from django.dispatch import receiver
from wagtail.documents.models import document_served

from cms.organisations.signals import groups_provisioned
from cms.products.models import DocumentPage, PrintPage


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
