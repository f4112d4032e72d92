"""The real ``manage.py db_worker`` is SIGKILLed in the middle of a transcode, then started
again: the watchdog re-queues the job, it finishes, and nothing is left behind — no stray
scratch or storage files, no duplicate renditions, no orphaned ffmpeg."""

from __future__ import annotations

import signal

import pytest

from .workers import (
    CREATE_ITEM,
    WorkerDatabase,
    environment,
    ffmpeg_children_touching,
    manage,
    start_worker,
    wait_for,
)


@pytest.fixture
def worker_env(tmp_path, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        database = WorkerDatabase(tmp_path)
    media_root = tmp_path / "media"
    yield environment(database, media_root), database, media_root
    database.drop()


def test_worker_killed_mid_transcode_finishes_after_restart(worker_env, tmp_path, hostile):
    env, db, media_root = worker_env
    source = hostile.video("bao cao.mp4", seconds=8, size="854x480")
    made = manage({**env, "LOA_WORKER_SOURCE": str(source)}, "shell", "-c", CREATE_ITEM)
    item_id = int(made.stdout.split()[-1])
    log = tmp_path / "worker.log"
    workers = [start_worker(env, log)]

    def job():
        """the job row"""
        rows = db.query("SELECT id, state, stage, progress, attempts FROM "
                        "media_pipeline_mediajob WHERE item_id = ?", item_id)
        return rows[0] if rows else None

    def transcoding():
        """the worker to be encoding video"""
        row = job()
        return row if row and row[1] == "running" and row[2] == "Mã hoá video" else None

    try:
        wait_for(transcoding, timeout=120)
        work = media_root.parent / "media-work"
        wait_for(lambda: ffmpeg_children_touching(work), timeout=30)  # ffmpeg is encoding
        workers[0].send_signal(signal.SIGKILL)
        workers[0].wait(timeout=10)
        # ffmpeg dies with its worker (PR_SET_PDEATHSIG), so nothing keeps writing.
        wait_for(lambda: not ffmpeg_children_touching(work), timeout=10)
        assert job()[1] == "running"  # as the dead worker left it
        workers.append(start_worker(env, log))
        finished = wait_for(lambda: (row := job()) and row[1] in ("succeeded", "failed")
                            and row, timeout=240, interval=0.3)
    finally:
        for proc in workers:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=30)
    assert finished[1] == "succeeded", log.read_text()[-3000:]
    assert finished[4] == 2  # the killed attempt and the one that finished

    renditions = db.query("SELECT profile, state, file, size, sha256 FROM "
                          "media_pipeline_rendition WHERE source_id = ?", item_id)
    profiles = [r[0] for r in renditions]
    assert len(profiles) == len(set(profiles)) == 11  # 5 audio, 3 video, hls, 2 pictures
    assert {r[1] for r in renditions} == {"ready"}
    original = db.query("SELECT file FROM media_pipeline_mediaitem WHERE id = ?", item_id)[0][0]
    on_disk = {str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file()}
    hls_folder = next(r[2] for r in renditions if r[0] == "hls").rsplit("/", 1)[0] + "/"
    segments = {name for name in on_disk if name.startswith(hls_folder)}
    assert any(name.endswith(".m4s") for name in segments)
    # no stray files in storage: the original, each rendition, the one HLS version's files
    assert on_disk == {original} | {r[2] for r in renditions} | segments
    for _profile, _state, name, size, digest in renditions:
        assert (media_root / name).stat().st_size == size and len(digest) == 64
    scratch = [p for p in (media_root.parent / "media-work").rglob("*") if p.is_file()]
    assert scratch == []
    tasks = db.query("SELECT status FROM django_tasks_database_dbtaskresult WHERE task_path = ?",
                     "media_pipeline.tasks.make_renditions")
    assert sorted(t[0] for t in tasks) == ["FAILED", "SUCCESSFUL"]  # the dead one recorded
