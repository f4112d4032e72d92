"""Automatic retries of deliveries that failed for a passing reason.

A lost connection, a 5xx answer or a timeout (errors marked ``transient``) schedules the
record again after ``RETRY_BASE_SECONDS`` × 2ⁿ (at most ``RETRY_MAX_DELAY_SECONDS``), up to
``RETRY_LIMIT`` times; the resumed upload sends only the parts still missing. Anything else
— wrong keys, a missing bucket, a corrupt file — stays failed with its reason until an
administrator sends it again. The retry is a django-tasks job deferred with ``run_after``
when the backend can defer (the database backend of ``db_worker``); ``deliver_to_ministry
--due`` (run every minute next to ``publish_scheduled``) sends whatever is due in any case."""

from __future__ import annotations

import datetime

from django.db.models import F
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from .conf import DeliverySettings
from .models import DeliveryRecord

# Sent with ``record_id`` and ``when`` after a passing failure planned another attempt.
retry_planned = Signal()


def retry_delay(conf: DeliverySettings, retries_so_far: int) -> float:
    return min(conf.retry_max_delay, conf.retry_base * 2 ** retries_so_far)


def schedule_retry(record: DeliveryRecord, exc: BaseException, conf: DeliverySettings) -> None:
    """After ``record`` failed with ``exc``: plan the next automatic attempt, or not."""
    if not getattr(exc, "transient", False):
        DeliveryRecord.objects.filter(pk=record.pk).update(next_attempt_at=None)
        record.next_attempt_at = None
        return
    if record.auto_retries >= conf.retry_limit:
        exhausted = _("Đã tự động thử lại %(count)d lần không thành công; hãy kiểm tra nơi "
                      "nhận rồi bấm “Gửi lại”.") % {"count": record.auto_retries}
        DeliveryRecord.objects.filter(pk=record.pk).update(
            next_attempt_at=None, reason=f"{record.reason} {exhausted}".strip())
        record.refresh_from_db()
        return
    when = timezone.now() + datetime.timedelta(
        seconds=retry_delay(conf, record.auto_retries))
    DeliveryRecord.objects.filter(pk=record.pk).update(
        next_attempt_at=when, auto_retries=F("auto_retries") + 1)
    record.refresh_from_db()
    # The job layer (tasks.py) listens and enqueues; this module only keeps the record.
    retry_planned.send(sender=DeliveryRecord, record_id=record.pk, when=when)


def due_records():
    return DeliveryRecord.objects.filter(
        state=DeliveryRecord.State.FAILED, next_attempt_at__lte=timezone.now(),
    ).order_by("next_attempt_at")
