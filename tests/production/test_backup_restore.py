"""Restore drill: a demo-like province is backed up (database + media + SHA-256 manifest) to
a folder or an S3 bucket, then brought back into a new, empty installation (a database with
no tables, an empty media folder or bucket — what is left after a lost disk) and compared:
pages and publication states, every media file's digest, renditions, station keys,
delivery records. Runs on SQLite and PostgreSQL (whichever the suite runs on)."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.utils import timezone

from delivery.models import DeliveryRecord
from tests.elibrary import demo_like
from tests.media_pipeline.workers import CREATE_ITEM, ROOT, wait_for
from tests.stations.conftest import add_rendition

from .summary import summary

BACKUP_ON_TRIGGER = """
import os, pathlib, time
from django.core.management import call_command
trigger = pathlib.Path(os.environ["LOA_TEST_TRIGGER"])
deadline = time.monotonic() + 300
while not trigger.exists() and time.monotonic() < deadline:
    time.sleep(0.02)
call_command("backup", "--to", os.environ["LOA_TEST_TARGET"])
"""


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


@pytest.mark.django_db  # the migrated test database is what new installations start from
def test_a_backup_taken_while_a_worker_writes_renditions_restores_consistently(
        new_installation, hostile, tmp_path):
    """The database snapshot is taken before the media are copied: every rendition the
    restored database calls ready has its file, byte for byte, and the job the worker was in
    the middle of is finished by the restored installation's worker. Two recordings: the
    backup is taken when the worker has finished one and is encoding the other's video (a
    job records its renditions together at the end of its encoding stage)."""
    # A dead worker's job is taken back after 10 s of silence: on a loaded machine a live
    # worker can be quiet for the 3 s the worker tests use, and lose its own job.
    site = new_installation("dang-chay", migrated=True, LOA_WORKER_STALL_SECONDS="10")
    source = hostile.video("phong su.mp4", seconds=8, size="854x480")
    items = [int(site.manage("shell", "-c", CREATE_ITEM, env={"LOA_WORKER_SOURCE": str(source)})
                 .stdout.split()[-1]) for _ in range(2)]
    site.start_worker(tmp_path / "worker.log")

    def ready_renditions(db, item_id: int) -> list[tuple]:
        return db.query("SELECT profile, file, sha256, size FROM media_pipeline_rendition "
                        "WHERE source_id = ? AND state = 'ready'", item_id)

    def job_state(db, item_id: int) -> str:
        return db.query("SELECT state FROM media_pipeline_mediajob WHERE item_id = ?",
                        item_id)[0][0]

    def one_done_one_encoding() -> tuple[int, int] | None:
        """(the finished item, the item whose video the worker is encoding)"""
        rows = dict(site.database.query(
            "SELECT item_id, state || ':' || stage FROM media_pipeline_mediajob "
            "WHERE item_id IN (?, ?)", *items))
        done = [i for i in items if rows.get(i, "").startswith("succeeded")]
        busy = [i for i in items if rows.get(i) == "running:Mã hoá video"]
        return (done[0], busy[0]) if done and busy else None

    # The backup process is started (Django loaded) beforehand and waits for the word, so
    # that the backup itself runs while the worker writes the second item's renditions.
    trigger = tmp_path / "bat-dau"
    backup = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "-c", BACKUP_ON_TRIGGER], cwd=ROOT,
        env={**site.env, "LOA_TEST_TRIGGER": str(trigger),
             "LOA_TEST_TARGET": str(tmp_path / "sao-luu")},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    done, busy = wait_for(one_done_one_encoding, timeout=300, interval=0.1)
    trigger.touch()
    output, _ = backup.communicate(timeout=120)
    assert backup.returncode == 0, output
    assert job_state(site.database, busy) == "running", "the backup did not overlap the job"
    for worker in site.workers:
        worker.kill()  # the old site is gone (its disk lost); only the backup remains

    restored = new_installation("khoi-phuc", LOA_WORKER_STALL_SECONDS="10")
    restored.manage("restore", "--from", str(tmp_path / "sao-luu"))
    made_before = ready_renditions(restored.database, done)
    assert len(made_before) == 11
    assert len(ready_renditions(restored.database, busy)) < 11  # taken in the middle
    for _profile, name, sha256, size in made_before:
        data = (restored.media_root / name).read_bytes()
        assert len(data) == size and hashlib.sha256(data).hexdigest() == sha256
    assert job_state(restored.database, busy) == "running"  # as the backup found it

    restored.start_worker(tmp_path / "worker-restored.log")
    wait_for(lambda: job_state(restored.database, busy) in ("succeeded", "failed"),
             timeout=300, interval=0.3)
    assert job_state(restored.database, busy) == "succeeded", (
        restored.database.query("SELECT attempts, message, detail FROM media_pipeline_mediajob"),
        (tmp_path / "worker-restored.log").read_text()[-3000:])
    for item_id in items:
        renditions = ready_renditions(restored.database, item_id)
        assert len(renditions) == len({r[0] for r in renditions}) == 11
        for _profile, name, sha256, _size in renditions:
            data = (restored.media_root / name).read_bytes()
            assert hashlib.sha256(data).hexdigest() == sha256
