"""Restore drill: a demo-like province is backed up (database + media + SHA-256 manifest) to
a folder or an S3 bucket, then brought back into a new, empty installation (a database with
no tables, an empty media folder or bucket — what is left after a lost disk) and compared:
pages and publication states, every media file's digest, renditions, station keys,
delivery records. Runs on SQLite and PostgreSQL (whichever the suite runs on)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.utils import timezone

from media_pipeline.delivery.models import DeliveryRecord
from tests.elibrary import demo_like
from tests.stations.conftest import add_rendition

from .summary import summary


def demo_province(province, source_files, encoded_audio, make_station) -> tuple[dict, object]:
    """The demo-like library with its bulletins' renditions, stations (one with a rotated,
    one with a revoked key) and delivery records."""
    lib = demo_like.build(province, source_files)
    for page in lib.bulletins:
        for profile in ("radio-loudspeaker", "phone-audio"):
            add_rendition(page.audio, encoded_audio[profile])
    station, _first_key = make_station()
    key = station.rotate_key()
    revoked, revoked_key = make_station("Đài truyền thanh xã Tân Thanh")
    revoked.revoke_key()
    bulletin = lib.bulletins[0]
    for version, state in ((1, DeliveryRecord.State.DELIVERED),
                           (2, DeliveryRecord.State.FAILED)):
        DeliveryRecord.objects.create(
            page=bulletin, identifier=f"LSN-BT-{bulletin.pk}", language="vi",
            title=bulletin.title, version=version, fingerprint=f"{version}" * 64,
            key=f"lsn/LSN-BT-{bulletin.pk}/vi/v{version}.tar", state=state,
            checksum_sha256="abc=" if state == "delivered" else "",
            delivered_at=timezone.now() if state == "delivered" else None,
            reason="" if state == "delivered" else "Mất kết nối")
    return {str(station.pk): key, str(revoked.pk): revoked_key}, lib


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("where", ["folder", "s3"])
def test_restore_drill(where, province, source_files, encoded_audio, make_station, s3,
                       new_installation, settings, tmp_path):
    if where == "s3":
        settings.STORAGES = {**settings.STORAGES, "default": s3.storage(s3.bucket("loa-media"))}
        settings.LOA_BACKUP_S3 = {"ENDPOINT_URL": s3.endpoint}
        target = f"s3://{s3.bucket('loa-sao-luu')}/hang-dem"
        restored = new_installation(LOA_WORKER_S3_BUCKET=s3.bucket("loa-media-moi"),
                                    LOA_WORKER_S3_ENDPOINT_URL=s3.endpoint,
                                    LOA_BACKUP_S3_ENDPOINT_URL=s3.endpoint)
    else:
        target = str(tmp_path / "sao-luu")
        restored = new_installation()
    keys, lib = demo_province(province, source_files, encoded_audio, make_station)
    # A rendition re-made while the backup ran: its old file was deleted after the database
    # snapshot, so the backup holds the row but not the file.
    lost = add_rendition(lib.draft.audio, encoded_audio["radio-provincial"])
    default_storage.delete(lost.file.name)

    before = summary(keys)
    assert len(before["pages"]) > 20 and len(before["files"]) > 10
    call_command("backup", "--to", target, stdout=(out := io.StringIO()))
    assert "Đã sao lưu" in out.getvalue()
    call_command("backup", "--to", target, "--check", stdout=(out := io.StringIO()))
    assert "còn nguyên vẹn" in out.getvalue()

    done = restored.manage("restore", "--from", target)
    assert "1 bản chuyển đổi được xếp hàng làm lại" in done.stdout, done.stdout
    after = restored.summary(keys)

    expected = {**before, "renditions": [r for r in before["renditions"] if r[0] != lost.pk]}
    assert after["pages"] == expected["pages"]  # counts, titles, live, revisions, drafts
    assert after["files"] == expected["files"]  # every media file, byte for byte
    assert after["renditions"] == expected["renditions"]
    assert after["media_items"] == expected["media_items"]
    assert after["stations"] == expected["stations"]  # the rotated key opens, the revoked not
    assert [s[3] for s in after["stations"]] == [True, False]
    assert after["deliveries"] == expected["deliveries"]
    for _pk, _source, _profile, _state, name, sha256, _size in after["renditions"]:
        assert after["files"][name] == sha256
    # The lost rendition is queued to be made again by the restored installation's workers.
    queued = restored.database.query(
        "SELECT state FROM media_pipeline_mediajob WHERE item_id = ?", lib.draft.audio.pk)
    assert queued == [("queued",)]
    # A second restore into the now full installation is refused, nothing overwritten.
    again = restored.manage("restore", "--from", target, check=False)
    assert again.returncode == 1 and "bản cài đặt trống" in again.stderr


@pytest.mark.django_db(transaction=True)
def test_check_finds_a_damaged_backup(province, source_files, encoded_audio, make_station,
                                      tmp_path):
    demo_province(province, source_files, encoded_audio, make_station)
    call_command("backup", "--to", str(tmp_path), stdout=io.StringIO())
    (backup,) = [p for p in tmp_path.iterdir() if p.name.startswith("loa-")]
    manifest = json.loads((backup / "manifest.json").read_text())
    damaged = next(name for name in manifest["files"] if name.endswith(".mp3"))
    path = Path(backup, damaged)
    path.write_bytes(path.read_bytes()[:-1] + b"\0")
    with pytest.raises(CommandError, match="1 tệp hỏng hoặc thiếu"):
        call_command("backup", "--to", str(tmp_path), "--check", stdout=io.StringIO(),
                     stderr=(err := io.StringIO()))
    assert damaged in err.getvalue()
    with pytest.raises(CommandError, match="Không tìm thấy bản sao lưu"):
        call_command("backup", "--to", str(tmp_path / "trong"), "--check", stdout=io.StringIO())
