"""The persistent OAI-PMH record table, kept current by the publication signals.

A record is written when a language version is published (and its siblings' records
when their relations change), and marked deleted — never removed — when the page is
unpublished or deleted, so harvesters learn about withdrawals."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from cms.products.models import ProductPage

from ..conf import oai_settings
from ..contents import build_package
from ..metadata import dublin_core, kind_of
from ..models import OaiRecord


def oai_identifier(identifier: str, language: str) -> str:
    return f"oai:{oai_settings().namespace}:{identifier}/{language}"


def now_to_second():
    return timezone.now().replace(microsecond=0)


@transaction.atomic
def record_published(page: ProductPage) -> OaiRecord:
    page = page.specific
    rows = dublin_core(build_package(page).metadata)
    language = page.locale.language_code
    record, created = OaiRecord.objects.select_for_update().get_or_create(
        oai_identifier=oai_identifier(page.identifier, language),
        defaults={"page": page, "identifier": page.identifier, "language": language,
                  "kind": kind_of(page), "datestamp": now_to_second(), "deleted": False,
                  "dublin_core": rows},
    )
    if not created and (record.deleted or record.dublin_core != rows or record.page_id != page.pk):
        record.page, record.deleted, record.dublin_core = page, False, rows
        record.kind = kind_of(page)
        record.datestamp = now_to_second()
        record.save()
    return record


def refresh_language_versions(page: ProductPage) -> None:
    """Other live versions list this one under dc:relation: bring their records up to date."""
    for other in page.get_translations(inclusive=False).live():
        record_published(other)


def record_withdrawn(page: ProductPage) -> None:
    """Unpublished or deleted: the record stays, as deleted, with a new datestamp."""
    if not page.identifier:  # not .specific: the row may already be gone (post_delete)
        return
    OaiRecord.objects.filter(
        oai_identifier=oai_identifier(page.identifier, page.locale.language_code),
        deleted=False,
    ).update(deleted=True, datestamp=now_to_second())


def sync_all() -> int:
    """Backfill: a record for every live product, deleted for records of pages that went."""
    count = 0
    for page in ProductPage.objects.live().specific().iterator():
        record_published(page)
        count += 1
    live_ids = set(ProductPage.objects.live().values_list("pk", flat=True))
    for record in OaiRecord.objects.filter(deleted=False).only("page_id"):
        if record.page_id not in live_ids:
            OaiRecord.objects.filter(pk=record.pk).update(deleted=True,
                                                          datestamp=now_to_second())
    return count
