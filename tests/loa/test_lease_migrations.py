"""Moving media jobs and delivery records onto the shared lease columns keeps every row: a
running job's last heartbeat becomes the end of its lease (heartbeat + stall time), so the
watchdog treats it exactly as before; attempts, workers and planned retries stay."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("media_pipeline", "0005_collections_and_versions"),
          ("delivery", "0002_withdrawal_and_retries")]
STALL = datetime.timedelta(seconds=120)


def migrate(targets):
    """Migrate to ``targets``; the models as they were there."""
    return MigrationExecutor(connection).migrate(targets).apps


def latest():
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    return [node for node in leaves if node[0] in ("media_pipeline", "delivery")]


def old_rows(apps, heartbeat: datetime.datetime, retry_at: datetime.datetime) -> dict:
    root = apps.get_model("wagtailcore", "Collection").objects.order_by("depth").first()
    item_model = apps.get_model("media_pipeline", "MediaItem")
    job_model = apps.get_model("media_pipeline", "MediaJob")
    items = [item_model.objects.create(title=f"Bản tin {n}", file=f"media/{n}.mp3",
                                       kind="audio", duration=60, size=1000,
                                       format_name="mp3", collection=root) for n in (1, 2)]
    running = job_model.objects.create(item=items[0], state="running", attempts=2,
                                       worker="may-2:4242:ab12cd34", heartbeat_at=heartbeat)
    done = job_model.objects.create(item=items[1], state="succeeded", attempts=1,
                                    worker="may-1:17:ee00ff11", heartbeat_at=heartbeat)
    record = apps.get_model("delivery", "DeliveryRecord").objects.create(
        identifier="LSN-BT-0000000001", language="vi", title="Bản tin", version=1,
        fingerprint="f", key="lsn/LSN-BT-0000000001/vi/v001.tar", state="failed",
        attempts=3, auto_retries=2, next_attempt_at=retry_at, reason="Mất kết nối.")
    return {"running": running.pk, "done": done.pk, "record": record.pk}


@pytest.mark.django_db(transaction=True)  # migrations change the schema
def test_lease_migrations_keep_jobs_and_records(settings):
    from delivery.models import DeliveryRecord
    from media_pipeline.models import MediaJob

    settings.LOA_MEDIA_JOB_STALL_SECONDS = STALL.total_seconds()
    heartbeat = timezone.now().replace(microsecond=0) - datetime.timedelta(seconds=30)
    retry_at = heartbeat + datetime.timedelta(hours=1)
    to_latest = latest()
    try:
        pks = old_rows(migrate(BEFORE), heartbeat, retry_at)
    finally:
        MigrationExecutor(connection).migrate(to_latest)

    running, done = MediaJob.objects.get(pk=pks["running"]), MediaJob.objects.get(pk=pks["done"])
    assert (running.state, running.attempts, running.worker) == (
        "running", 2, "may-2:4242:ab12cd34")
    assert running.lease_until == heartbeat + STALL and running.next_attempt_at is None
    assert (done.state, done.worker, done.lease_until) == ("succeeded", "may-1:17:ee00ff11", None)
    record = DeliveryRecord.objects.get(pk=pks["record"])
    assert (record.state, record.attempts, record.auto_retries, record.reason) == (
        "failed", 3, 2, "Mất kết nối.")
    assert record.next_attempt_at == retry_at and record.worker == ""
