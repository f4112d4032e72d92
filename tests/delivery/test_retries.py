"""Passing failures are retried automatically with growing delays, a bounded number of
times, as jobs the database task backend runs later; lasting failures wait for an
administrator. (The resumed upload itself: test_resume.py.)"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from delivery.conf import delivery_settings as current_settings
from delivery.exceptions import BadCredentials, ConnectionLost
from delivery.models import DeliveryRecord
from delivery.record_state import claim, mark_failed

pytestmark = pytest.mark.django_db


@pytest.fixture
def db_tasks(settings):
    """The task backend `db_worker` runs in production (it can defer jobs)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def make_record(version: int = 1) -> DeliveryRecord:
    return DeliveryRecord.objects.create(
        identifier="LSN-BT-0000000001", language="vi", title="Bản tin", version=version,
        fingerprint="f", key=f"lsn/LSN-BT-0000000001/vi/LSN-BT-0000000001_vi_v{version:03d}.tar")


def fail(record, exc, capture) -> tuple[datetime.datetime, datetime.datetime]:
    conf = current_settings()
    assert claim(record, conf)
    before = timezone.now()
    with capture(execute=True):
        mark_failed(record, exc, conf)
    return before, timezone.now()


def test_passing_failures_are_retried_with_backoff_up_to_the_limit(
        delivery_settings, db_tasks, django_capture_on_commit_callbacks):
    delivery_settings.update(RETRY_LIMIT=2, RETRY_BASE_SECONDS=60, RETRY_MAX_DELAY_SECONDS=90)
    record = make_record()
    for retries, delay in ((1, 60), (2, 90)):  # 60 s, then 120 s capped at 90 s
        before, after = fail(record, ConnectionLost(detail="Connection reset by peer"),
                             django_capture_on_commit_callbacks)
        record.refresh_from_db()
        assert (record.state, record.auto_retries) == ("failed", retries)
        assert record.reason == str(ConnectionLost.message)
        assert before + datetime.timedelta(seconds=delay) <= record.next_attempt_at \
            <= after + datetime.timedelta(seconds=delay)
        job = DBTaskResult.objects.order_by("-enqueued_at").first()
        assert job.task_path.endswith("send_record_task")
        assert job.args_kwargs["args"] == [record.pk]
        assert job.run_after == record.next_attempt_at  # the worker takes it then, not before
    assert DBTaskResult.objects.count() == 2

    fail(record, ConnectionLost(), django_capture_on_commit_callbacks)  # the third: no more
    record.refresh_from_db()
    assert record.next_attempt_at is None and record.auto_retries == 2
    assert record.reason.startswith(str(ConnectionLost.message))
    assert "Đã tự động thử lại 2 lần" in record.reason
    assert DBTaskResult.objects.count() == 2


def test_lasting_failures_wait_for_an_administrator(delivery_settings, db_tasks,
                                                   django_capture_on_commit_callbacks):
    record = make_record()
    fail(record, BadCredentials(detail="InvalidAccessKeyId (403)"),
         django_capture_on_commit_callbacks)
    record.refresh_from_db()
    assert record.state == "failed" and record.reason == str(BadCredentials.message)
    assert record.next_attempt_at is None and record.auto_retries == 0
    assert not DBTaskResult.objects.exists()
