"""The life of a delivery record, for packages and withdrawal notices alike: claimed with a
short lease (two workers never send the same record; loa.leases), failed with a reason (and
perhaps an automatic retry), delivered. A worker whose lease ran out and was taken over by
another writes nothing more to the record."""

from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass

from django.db.models import F
from django.utils import timezone

from loa import leases

from .conf import DeliverySettings
from .exceptions import DeliveryError
from .models import DeliveryRecord
from .retries import exhausted_note, retry_planned

logger = logging.getLogger("delivery.delivery")
State = DeliveryRecord.State


@dataclass
class Outcome:
    record: DeliveryRecord | None
    sent: bool  # False: nothing to do (already delivered, or someone else is on it)


def claim(record: DeliveryRecord, conf: DeliverySettings) -> bool:
    claimed = leases.claim(DeliveryRecord.objects.exclude(state=State.DELIVERED), record.pk,
                           leases.new_worker_token(), conf.lease_seconds,
                           state=State.SENDING, reason="", detail="")
    record.refresh_from_db()
    return claimed is not None


def renew_lease(record: DeliveryRecord, conf: DeliverySettings) -> None:
    leases.renew(DeliveryRecord.objects, record.pk, record.worker, conf.lease_seconds)


def mark_failed(record: DeliveryRecord, exc: BaseException, conf: DeliverySettings) -> None:
    """Record why, and plan an automatic retry when the failure is a passing one (errors
    marked ``transient``) and the retries are not used up (see retries.py)."""
    if isinstance(exc, DeliveryError):
        reason, detail = str(exc.message), exc.detail
    else:
        reason = str(DeliveryError.message)
        detail = "".join(traceback.format_exception(exc))
    transient = getattr(exc, "transient", False)
    when = conf.retry_policy.next_attempt(record.auto_retries) if transient else None
    outcome = {"state": State.FAILED, "reason": reason, "detail": detail[:20000],
               "updated_at": timezone.now()}
    if when is not None:
        outcome["auto_retries"] = F("auto_retries") + 1
    elif transient:
        outcome["reason"] = f"{reason} {exhausted_note(record.auto_retries)}"
    failed = leases.release(DeliveryRecord.objects, record.pk, record.worker,
                            next_attempt_at=when, **outcome)
    record.refresh_from_db()
    if failed and when is not None:
        # The job layer (tasks.py) listens and enqueues; this module only keeps the record.
        retry_planned.send(sender=DeliveryRecord, record_id=record.pk, when=when)
    logger.warning("delivery %s failed: %s %s", record, reason, detail[:500])


def mark_delivered(record: DeliveryRecord, checksum: str) -> None:
    leases.release(DeliveryRecord.objects, record.pk, record.worker, state=State.DELIVERED,
                   delivered_at=timezone.now(), checksum_sha256=checksum, reason="",
                   detail="", updated_at=timezone.now())
    record.refresh_from_db()
