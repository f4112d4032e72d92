"""Background jobs (ids, not objects): deliver a language version after it is published;
send one delivery record again (a withdrawal notice, an administrator's retry, an automatic
retry after a passing failure)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.dispatch import receiver
from django_tasks import task

from .conf import require_configured
from .delivery import deliver_page
from .exceptions import NotPublished
from .models import DeliveryRecord
from .record_state import Outcome, mark_failed
from .retries import retry_planned
from .s3_upload import make_client
from .withdrawal import send_withdrawal


@task()
def deliver_page_task(page_id: int) -> str:
    outcome = deliver_page(page_id)
    record = outcome.record
    return f"{record} {record.state}" if record else "nothing to deliver"


@task()
def send_record_task(record_id: int) -> str:
    outcome = send_again(record_id)
    return f"{outcome.record} {outcome.record.state}" if outcome.record else "gone"


def send_again(record_id: int, client=None) -> Outcome:
    """Send what the record stands for, unless it is delivered already. A package is
    planned afresh from the page's current published content (a changed page becomes a new
    version); an unpublished page fails the record for good."""
    record = DeliveryRecord.objects.filter(pk=record_id).first()
    if record is None or record.state == DeliveryRecord.State.DELIVERED:
        return Outcome(record, sent=False)
    conf = require_configured()
    client = client or make_client(conf)
    if record.kind == DeliveryRecord.Kind.WITHDRAWAL:
        return send_withdrawal(record, conf, client)
    try:
        if record.page_id is None:  # the page was deleted
            raise NotPublished()
        return deliver_page(record.page_id, conf, client)
    except NotPublished as exc:
        mark_failed(record, exc, conf)
        raise


@receiver(retry_planned)
def enqueue_retry(sender, record_id: int, when: datetime.datetime, **kwargs) -> None:
    """Run the planned retry at ``when`` once the failure is committed."""
    if send_record_task.get_backend().supports_defer:
        transaction.on_commit(
            lambda: send_record_task.using(run_after=when).enqueue(record_id))
    # otherwise ``deliver_to_ministry --due`` picks it up when the time has come
