"""A multipart upload cut in the middle is finished by the scheduled automatic retry without
sending the finished parts again; a single dropped connection is retried (with backoff) at
once."""

from __future__ import annotations

import math

import pytest
from django.core.management import call_command
from django.utils import timezone

from delivery.exceptions import ConnectionLost
from delivery.models import DeliveryRecord

from .bags import composite_sha256, download, unpack
from .conftest import PART_SIZE, remote_keys, unfinished_uploads

pytestmark = pytest.mark.django_db


def test_cut_upload_resumes_without_resending_parts(products, delivery_settings, proxy, s3,
                                                    bucket, tmp_path,
                                                    django_capture_on_commit_callbacks):
    delivery_settings["ENDPOINT_URL"] = proxy.endpoint
    proxy.cut_after_bytes(150_000, stay_down=True)  # then refuses every connection
    with django_capture_on_commit_callbacks(execute=True):
        products.bulletin()

    record = DeliveryRecord.objects.get()
    assert record.state == DeliveryRecord.State.FAILED
    assert record.reason == str(ConnectionLost.message)
    assert record.upload_id
    total = math.ceil(record.bag_size / PART_SIZE)
    on_remote = {p["PartNumber"] for p in s3.list_parts(
        Bucket=bucket, Key=record.key, UploadId=record.upload_id).get("Parts", [])}
    recorded = set(record.parts.values_list("number", flat=True))
    assert recorded and recorded <= on_remote
    assert len(on_remote) < total
    assert record.key not in remote_keys(s3, bucket)  # nothing under the final key yet
    # a passing failure: an automatic retry is scheduled, not yet due
    assert record.auto_retries == 1 and record.next_attempt_at > timezone.now()
    proxy.requests.clear()
    call_command("deliver_to_ministry", "--due")
    assert proxy.requests == [] and DeliveryRecord.objects.get().attempts == record.attempts

    proxy.heal()
    # the time comes; the scheduler's every-minute `--due` run resumes the upload
    DeliveryRecord.objects.filter(pk=record.pk).update(next_attempt_at=timezone.now())
    call_command("deliver_to_ministry", "--due")

    record.refresh_from_db()
    assert record.state == DeliveryRecord.State.DELIVERED
    resent = proxy.part_numbers("PUT")
    assert set(resent).isdisjoint(on_remote), (resent, on_remote)
    assert set(resent) | on_remote == set(range(1, total + 1))
    assert unfinished_uploads(s3, bucket) == []

    data = download(s3, bucket, record.key)
    assert len(data) == record.bag_size
    head = s3.head_object(Bucket=bucket, Key=record.key, ChecksumMode="ENABLED")
    ours = composite_sha256(data, PART_SIZE)
    assert head["ChecksumSHA256"].split("-")[0] == ours
    assert record.checksum_sha256 == f"{ours}-{total}"
    unpack(data, tmp_path / "bag")  # a complete, valid bag


def test_one_dropped_connection_is_retried(products, delivery_settings, proxy, s3, bucket,
                                           tmp_path, django_capture_on_commit_callbacks):
    delivery_settings["ENDPOINT_URL"] = proxy.endpoint
    proxy.cut_after_bytes(100_000, stay_down=False)
    with django_capture_on_commit_callbacks(execute=True):
        products.bulletin()

    record = DeliveryRecord.objects.get()
    assert proxy.cuts == 1
    assert (record.state, record.attempts) == (DeliveryRecord.State.DELIVERED, 1)
    unpack(download(s3, bucket, record.key), tmp_path / "bag")
