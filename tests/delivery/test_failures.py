"""Wrong keys, a missing bucket and a full disk each end in a failed delivery record with
a reason in Vietnamese, and nothing (not even a partial object) under the final key."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from media_pipeline.delivery.conf import delivery_settings as current_settings
from media_pipeline.delivery.contents import build_package
from media_pipeline.delivery.delivery import bag_name, prepare_record, send, spool_dir
from media_pipeline.delivery.exceptions import BadCredentials, DiskFull
from media_pipeline.delivery.models import DeliveryRecord
from media_pipeline.delivery.s3_upload import make_client

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
    """A 128 KiB tmpfs (root can mount one): the package (~250 KB) cannot fit."""
    folder = tmp_path / "tiny-disk"
    folder.mkdir()
    mounted = os.geteuid() == 0 and subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=128k", "tmpfs", str(folder)],
        capture_output=True).returncode == 0
    yield folder if mounted else None
    if mounted:
        subprocess.run(["umount", str(folder)], check=True)


def test_full_disk_while_bagging(products, delivery_settings, s3, bucket, tmp_path, tiny_disk,
                                 django_capture_on_commit_callbacks):
    if tiny_disk is not None:
        # The spool folder is on a full filesystem: copying media into the bag gets ENOSPC.
        delivery_settings["SPOOL_DIR"] = str(tiny_disk)
        with django_capture_on_commit_callbacks(execute=True):
            products.bulletin()
        record = DeliveryRecord.objects.get()
        leftovers = files_under(tiny_disk)
    else:
        # Without mount rights: the tar is written through /dev/full, which answers ENOSPC.
        delivery_settings["AUTO"] = False
        page = products.bulletin()
        conf = current_settings()
        package = build_package(page)
        client = make_client(conf)
        record = prepare_record(package, conf, client)
        folder = spool_dir(conf, record)
        folder.mkdir(parents=True)
        (folder / f"{bag_name(record)}.tar.partial").symlink_to("/dev/full")
        with pytest.raises(DiskFull):
            send(record, package, conf, client)
        record.refresh_from_db()
        leftovers = files_under(folder)

    assert record.state == DeliveryRecord.State.FAILED
    assert record.reason == str(DiskFull.message)
    assert "No space left on device" in record.detail
    assert leftovers == []  # the half-made bag is gone
    assert remote_keys(s3, bucket) == []
    assert unfinished_uploads(s3, bucket) == []
