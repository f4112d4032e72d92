"""The life of a delivery record, for packages and withdrawal notices alike: claimed with a
short lease (two workers never send the same record), failed with a reason (and perhaps
an automatic retry), delivered."""

from __future__ import annotations

import datetime
import logging
import traceback
from dataclasses import dataclass

from django.db.models import F, Q
from django.utils import timezone

from .conf import DeliverySettings
from .exceptions import DeliveryError
from .models import DeliveryRecord
from .retries import schedule_retry

logger = logging.getLogger("delivery.delivery")
State = DeliveryRecord.State


@dataclass
class Outcome:
    record: DeliveryRecord | None
    sent: bool  # False: nothing to do (already delivered, or someone else is on it)


def claim(record: DeliveryRecord, conf: DeliverySettings) -> bool:
    now = timezone.now()
    claimed = (
        DeliveryRecord.objects.filter(pk=record.pk)
        .exclude(state=State.DELIVERED)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .update(state=State.SENDING, attempts=F("attempts") + 1, reason="", detail="",
                next_attempt_at=None,
                lease_until=now + datetime.timedelta(seconds=conf.lease_seconds))
    )
    record.refresh_from_db()
    return bool(claimed)


def renew_lease(record: DeliveryRecord, conf: DeliverySettings) -> None:
    DeliveryRecord.objects.filter(pk=record.pk).update(
        lease_until=timezone.now() + datetime.timedelta(seconds=conf.lease_seconds))


def mark_failed(record: DeliveryRecord, exc: BaseException, conf: DeliverySettings) -> None:
    if isinstance(exc, DeliveryError):
        reason, detail = str(exc.message), exc.detail
    else:
        reason = str(DeliveryError.message)
        detail = "".join(traceback.format_exception(exc))
    DeliveryRecord.objects.filter(pk=record.pk).update(
        state=State.FAILED, reason=reason, detail=detail[:20000], lease_until=None,
        updated_at=timezone.now())
    record.refresh_from_db()
    schedule_retry(record, exc, conf)
    logger.warning("delivery %s failed: %s %s", record, reason, detail[:500])


def mark_delivered(record: DeliveryRecord, checksum: str) -> None:
    DeliveryRecord.objects.filter(pk=record.pk).update(
        state=State.DELIVERED, delivered_at=timezone.now(), checksum_sha256=checksum,
        lease_until=None, reason="", detail="", next_attempt_at=None,
        updated_at=timezone.now())
    record.refresh_from_db()
