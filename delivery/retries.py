"""Automatic retries of deliveries that failed for a passing reason.

A lost connection, a 5xx answer or a timeout (errors marked ``transient``) schedules the
record again after ``RETRY_BASE_SECONDS`` × 2ⁿ (at most ``RETRY_MAX_DELAY_SECONDS``), up to
``RETRY_LIMIT`` times (``DeliverySettings.retry_policy``, the shared loa.leases policy); the
resumed upload sends only the parts still missing. Anything else — wrong keys, a missing
bucket, a corrupt file — stays failed with its reason until an administrator sends it
again. The retry is a django-tasks job deferred with ``run_after`` when the backend can
defer (the database backend of ``db_worker``); ``deliver_to_ministry --due`` (run every
minute next to ``publish_scheduled``) sends whatever is due in any case."""

from __future__ import annotations

from django.dispatch import Signal
from django.utils.translation import gettext as _

from loa import leases

from .models import DeliveryRecord

# Sent with ``record_id`` and ``when`` after a passing failure planned another attempt.
retry_planned = Signal()


def exhausted_note(retries: int) -> str:
    return _("Đã tự động thử lại %(count)d lần không thành công; hãy kiểm tra nơi "
             "nhận rồi bấm “Gửi lại”.") % {"count": retries}


def due_records():
    return leases.due(DeliveryRecord.objects.filter(state=DeliveryRecord.State.FAILED))
