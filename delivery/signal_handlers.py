"""Publication drives both the OAI-PMH record table (at once, in the same transaction) and
the delivery to the Ministry (a job enqueued when the transaction commits); unpublishing or
deleting marks the OAI record deleted and sends the Ministry a withdrawal notice."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from cms.products.models import ProductPage

from .conf import delivery_settings
from .oai import records
from .tasks import deliver_page_task, send_record_task
from .withdrawal import DELETED, UNPUBLISHED, request_withdrawal


@receiver(page_published)
def product_published(sender, instance, revision=None, alias=False, **kwargs) -> None:
    if not isinstance(instance, ProductPage) or alias:
        return
    records.record_published(instance)
    records.refresh_language_versions(instance)
    conf = delivery_settings()
    if conf.configured and conf.auto:
        page_id = instance.pk
        transaction.on_commit(lambda: deliver_page_task.enqueue(page_id))


@receiver(page_unpublished)
def product_unpublished(sender, instance, **kwargs) -> None:
    if isinstance(instance, ProductPage):
        records.record_withdrawn(instance)
        records.refresh_language_versions(instance)
        withdraw(instance, UNPUBLISHED)


@receiver(post_delete)
def product_deleted(sender, instance, **kwargs) -> None:
    # Deleting a page sends no page_unpublished; the record must still turn "deleted".
    # Multi-table inheritance sends this for every level: act on the concrete one only.
    if isinstance(instance, ProductPage) and type(instance) is sender:
        records.record_withdrawn(instance)
        withdraw(instance, DELETED)


def withdraw(page: ProductPage, reason: str) -> None:
    """Queue the withdrawal notice; a new one is sent once the transaction commits."""
    record, created = request_withdrawal(page, reason)
    if created and delivery_settings().auto:
        record_id = record.pk
        transaction.on_commit(lambda: send_record_task.enqueue(record_id))
