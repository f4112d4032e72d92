"""Wrong keys, a missing bucket, a full disk and a bag changed after bagging each end in a
failed delivery record with a reason in Vietnamese, and nothing (not even a partial object)
under the final key."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from delivery.exceptions import BadCredentials, CorruptPayload, DiskFull
from delivery.models import DeliveryRecord

from .bags import download, unpack
from .conftest import remote_keys, unfinished_uploads

pytestmark = pytest.mark.django_db


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() or p.is_symlink()]


def test_bad_credentials(products, delivery_settings, s3, bucket,
                         django_capture_on_commit_callbacks):
    delivery_settings["SECRET_ACCESS_KEY"] = "khong-dung"
    with django_capture_on_commit_callbacks(execute=True):
        products.bulletin()

    record = DeliveryRecord.objects.get()
    assert record.state == DeliveryRecord.State.FAILED
    assert record.reason == str(BadCredentials.message)
    assert "403" in record.detail
    assert remote_keys(s3, bucket) == []
    assert unfinished_uploads(s3, bucket) == []
    # not a passing failure: no automatic retry, the scheduler leaves it to an administrator
    assert record.next_attempt_at is None and record.auto_retries == 0
    call_command("deliver_to_ministry", "--due")
    assert DeliveryRecord.objects.get().attempts == record.attempts


def test_missing_bucket(products, delivery_settings, s3, django_capture_on_commit_callbacks):
    delivery_settings["BUCKET"] = "bo-tttt-khong-co"
    with django_capture_on_commit_callbacks(execute=True):
        products.bulletin()

    record = DeliveryRecord.objects.get()
    assert record.state == DeliveryRecord.State.FAILED
    assert "“bo-tttt-khong-co”" in record.reason and "bucket" in record.reason
    assert "bo-tttt-khong-co" not in [b["Name"] for b in s3.list_buckets()["Buckets"]]


@pytest.fixture
def tiny_disk(tmp_path):
    """A 128 KiB tmpfs (the test machines run as root, who can mount one): the package
    (~250 KB) cannot fit, and the kernel answers ENOSPC."""
    folder = tmp_path / "tiny-disk"
    folder.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=128k", "tmpfs", str(folder)],
                   check=True, capture_output=True)
    yield folder
    subprocess.run(["umount", str(folder)], check=True)


def test_full_disk_while_bagging(products, delivery_settings, s3, bucket, tiny_disk,
                                 django_capture_on_commit_callbacks):
    # The spool folder is on a full filesystem: copying media into the bag gets ENOSPC.
    delivery_settings["SPOOL_DIR"] = str(tiny_disk)
    with django_capture_on_commit_callbacks(execute=True):
        products.bulletin()
    record = DeliveryRecord.objects.get()

    assert record.state == DeliveryRecord.State.FAILED
    assert record.reason == str(DiskFull.message)
    assert "No space left on device" in record.detail
    assert files_under(tiny_disk) == []  # the half-made bag is gone
    assert remote_keys(s3, bucket) == []
    assert unfinished_uploads(s3, bucket) == []


def test_payload_changed_after_bagging_is_never_completed(
        products, delivery_settings, proxy, s3, bucket, tmp_path,
        django_capture_on_commit_callbacks):
    """The bag kept for a resumed upload no longer matches its manifest: the stream check
    stops the upload before completion; the next run builds the bag again."""
    delivery_settings["ENDPOINT_URL"] = proxy.endpoint
    proxy.cut_after_bytes(150_000, stay_down=True)
    with django_capture_on_commit_callbacks(execute=True):
        products.bulletin()
    record = DeliveryRecord.objects.get()
    assert record.state == DeliveryRecord.State.FAILED and record.upload_id
    kept = Path(delivery_settings["SPOOL_DIR"]) / f"record-{record.pk}" / \
        f"{record.identifier}_vi_v001" / "data" / "text" / "content.txt"
    kept.write_bytes(b"x" * kept.stat().st_size)  # same size: only the digest can tell

    proxy.heal()
    with pytest.raises(CommandError):
        call_command("deliver_to_ministry", "--no-progress")
    record.refresh_from_db()
    assert record.state == DeliveryRecord.State.FAILED
    assert record.reason == str(CorruptPayload.message)
    assert "data/text/content.txt" in record.detail
    assert record.next_attempt_at is None  # not a passing failure
    assert remote_keys(s3, bucket) == [] and unfinished_uploads(s3, bucket) == []
    assert not kept.exists()  # the bag is dropped, to be built again

    call_command("deliver_to_ministry", "--no-progress")
    record.refresh_from_db()
    assert record.state == DeliveryRecord.State.DELIVERED
    bag = unpack(download(s3, bucket, record.key), tmp_path / "bag")
    assert "xxxx" not in (Path(bag.path) / "data/text/content.txt").read_text()


def test_a_rendition_damaged_in_storage_is_not_delivered(
        products, delivery_settings, s3, bucket, tmp_path, django_capture_on_commit_callbacks):
    """A rendition whose bytes no longer match the SHA-256 recorded when it was made (a bad
    disk, a hand edit) stops the delivery with the file's name; the file is left as it is
    for the administrator, nothing reaches the Ministry, and once the file is good again the
    next run delivers."""
    page = products.bulletin(publish=False)
    rendition = page.audio.renditions.get(profile="radio-loudspeaker")
    stored = Path(rendition.file.path)
    good = stored.read_bytes()
    damaged = bytearray(good)
    damaged[len(good) // 2] ^= 0xFF  # same size: only the digest can tell
    stored.write_bytes(bytes(damaged))

    with django_capture_on_commit_callbacks(execute=True):
        page.get_latest_revision().publish()
    record = DeliveryRecord.objects.get()
    assert record.state == DeliveryRecord.State.FAILED
    assert rendition.file.name in record.reason and "SHA-256" in record.reason
    assert rendition.sha256 in record.detail
    assert record.next_attempt_at is None  # not a passing failure: an administrator looks
    assert remote_keys(s3, bucket) == [] and unfinished_uploads(s3, bucket) == []
    assert stored.read_bytes() == bytes(damaged)  # kept as found

    stored.write_bytes(good)
    call_command("deliver_to_ministry", "--no-progress")
    record.refresh_from_db()
    assert record.state == DeliveryRecord.State.DELIVERED
    bag = unpack(download(s3, bucket, record.key), tmp_path / "bag")
    assert any(p.read_bytes() == good for p in Path(bag.path, "data").rglob("*") if p.is_file())
