"""The one lease-and-retry mechanism both workers use (media conversion jobs, deliveries to
the Ministry): two workers claiming at once, a dead worker's expired lease taken over with
the old holder fenced out, retries with backoff then giving up — on SQLite and PostgreSQL
(run the suite with DATABASE_URL for the latter)."""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
from django.db import connection, models, transaction
from django.utils import timezone

from delivery.conf import delivery_settings
from delivery.models import DeliveryRecord
from delivery.record_state import claim as claim_record
from delivery.record_state import mark_delivered
from loa import leases
from loa.leases import RetryPolicy
from media_pipeline.models import MediaItem, MediaJob


@dataclass
class Use:
    """A model that uses the mechanism, and which of its rows a worker may take."""

    make: Callable[[], models.Model]
    open_rows: Callable[[], models.QuerySet]


def media_job() -> MediaJob:
    item = MediaItem.objects.create(title="Bản tin tiếng Tày", kind="audio", duration=60,
                                    size=1000, format_name="mp3")  # no file: no job of its own
    return MediaJob.objects.create(item=item)


def delivery_record() -> DeliveryRecord:
    number = DeliveryRecord.objects.count() + 1
    return DeliveryRecord.objects.create(
        identifier=f"LSN-BT-{number:010d}", language="tyz", title="Bản tin", version=1,
        fingerprint="f", key=f"lsn/LSN-BT-{number:010d}/tyz/v001.tar")


USES = [
    pytest.param(Use(media_job, lambda: MediaJob.objects.filter(
        state__in=MediaJob.ACTIVE_STATES)), id="media-job"),
    pytest.param(Use(delivery_record, lambda: DeliveryRecord.objects.exclude(
        state=DeliveryRecord.State.DELIVERED)), id="delivery-record"),
]


def model_of(use: Use):
    return use.open_rows().model


def expire(row: models.Model) -> None:
    """What a killed worker leaves: a lease nobody renews any more, now run out."""
    type(row).objects.filter(pk=row.pk).update(
        lease_until=timezone.now() - datetime.timedelta(seconds=1))


@pytest.mark.parametrize("use", USES)
@pytest.mark.django_db(transaction=True)  # the workers' own connections see committed rows
def test_of_two_workers_claiming_at_once_exactly_one_wins(use):
    rows = [use.make() for _ in range(6)]
    start_together = threading.Barrier(2, timeout=30)

    def worker(token: str) -> list[int]:
        won = []
        try:
            for row in rows:
                start_together.wait()
                if leases.claim(use.open_rows(), row.pk, token, 60) is not None:
                    won.append(row.pk)
        finally:
            connection.close()  # this thread's own connection
        return won

    with ThreadPoolExecutor(max_workers=2) as pool:
        won_a, won_b = pool.map(worker, ["worker-a", "worker-b"])
    assert sorted(won_a + won_b) == sorted(row.pk for row in rows)  # each row exactly once
    for row in model_of(use).objects.filter(pk__in=[r.pk for r in rows]):
        assert row.attempts == 1
        assert row.worker == ("worker-a" if row.pk in won_a else "worker-b")


@pytest.mark.parametrize("use", USES)
def test_an_expired_lease_is_taken_over_and_its_old_holder_writes_nothing(use, db):
    row = use.make()
    assert leases.claim(use.open_rows(), row.pk, "dead-worker", 60) is not None
    assert leases.claim(use.open_rows(), row.pk, "other", 60) is None  # the lease is live
    assert not leases.expired(use.open_rows()).exists()

    expire(row)
    assert list(leases.expired(use.open_rows()).values_list("pk", flat=True)) == [row.pk]
    taken = leases.claim(use.open_rows(), row.pk, "other", 60)
    assert (taken.worker, taken.attempts) == ("other", 2)
    assert taken.lease_until > timezone.now()

    # The first holder comes back (it was only stalled): every write of its is refused.
    assert not leases.renew(use.open_rows(), row.pk, "dead-worker", 60)
    assert not leases.release(use.open_rows(), row.pk, "dead-worker", attempts=99)
    with transaction.atomic():
        assert leases.hold(use.open_rows(), row.pk, "dead-worker") is None
        assert leases.hold(use.open_rows(), row.pk, "other").pk == row.pk
    assert leases.renew(use.open_rows(), row.pk, "other", 60)
    assert model_of(use).objects.get(pk=row.pk).attempts == 2


@pytest.mark.parametrize("use", USES)
def test_retries_back_off_then_give_up(use, db):
    policy = RetryPolicy(limit=3, first_delay=10, max_delay=25)
    row = use.make()
    planned = []
    for retries in range(4):
        token = f"worker-{retries}"
        assert leases.claim(use.open_rows(), row.pk, token, 60) is not None
        before = timezone.now()
        when = policy.next_attempt(retries)
        assert leases.release(use.open_rows(), row.pk, token, next_attempt_at=when)
        if when is None:
            break
        planned.append((when - before).total_seconds())
        assert not leases.due(use.open_rows()).exists()  # not before its time
        assert leases.due(use.open_rows(), now=when).get().pk == row.pk
    assert [round(delay) for delay in planned] == [10, 20, 25]  # doubling, capped
    row.refresh_from_db()
    assert row.attempts == 4 and row.next_attempt_at is None and row.lease_until is None
    assert not leases.due(use.open_rows(), now=timezone.now() + datetime.timedelta(days=1)
                          ).exists()  # given up: nothing more is planned


def test_a_delivery_taken_over_is_not_marked_delivered_by_its_first_sender(db, settings):
    settings.LOA_DELIVERY = {**settings.LOA_DELIVERY, "BUCKET": "bo-tttt", "LEASE_SECONDS": 60}
    conf = delivery_settings()
    first = delivery_record()
    second = DeliveryRecord.objects.get(pk=first.pk)
    assert claim_record(first, conf)
    assert not claim_record(second, conf)  # the first sender is on it
    expire(first)
    assert claim_record(second, conf)
    mark_delivered(first, "stale")  # the first sender finishes late: nothing is written
    assert first.state == DeliveryRecord.State.SENDING and first.checksum_sha256 == ""
    mark_delivered(second, "ok")
    assert (second.state, second.checksum_sha256) == (DeliveryRecord.State.DELIVERED, "ok")
