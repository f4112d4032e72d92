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

# Not transactional: the tests only need the migrated test database, which the workers'
# databases are cloned from (without the mark, a test run alone would clone an empty one).
pytestmark = pytest.mark.django_db


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


CREATE_ITEMS = """
import os
from django.conf import settings
from django.core.files import File
from django.db import transaction
from media_pipeline.jobs import request_renditions
from media_pipeline.models import MediaItem
from media_pipeline.probe import probe
settings.LOA_MEDIA_ENQUEUE_ON_SAVE = False
path = os.environ["LOA_WORKER_SOURCE"]
facts = probe(path)
for n in range(int(os.environ["LOA_WORKER_COUNT"])):
    item = MediaItem(title=f"Bản tin {n}")
    item.apply_probe(facts)
    with open(path, "rb") as fh:
        item.file.save(f"ban-tin-{n}.mp3", File(fh), save=False)
    item.save()
    with transaction.atomic():  # enqueued as it commits
        request_renditions(item, profiles=os.environ["LOA_WORKER_PROFILES"].split(","))
"""
JOBS = 50
# Three outputs a job keep fifty jobs quick: two audio encodes and a picture.
PROFILES = ("radio-loudspeaker", "phone-audio", "waveform")


def test_three_workers_do_fifty_jobs_once_each_and_finish_a_killed_workers_job(
        worker_env, tmp_path, hostile):
    """Three ``db_worker`` processes share 50 conversions (PostgreSQL's row locks, or
    SQLite's write lock). One is SIGKILLed in the middle of a job: another worker finishes
    that job, keeping the renditions the dead one had made. Every job is done once."""
    env, db, media_root = worker_env
    # A dead worker is noticed after 3 s of silence; on a loaded machine a live one can
    # be as quiet, and would lose its job to the watchdog. 10 s tells them apart.
    env = {**env, "LOA_WORKER_STALL_SECONDS": "10"}
    source = hostile.mp3("ban tin.mp3", seconds=1)
    manage({**env, "LOA_WORKER_SOURCE": str(source), "LOA_WORKER_COUNT": str(JOBS),
            "LOA_WORKER_PROFILES": ",".join(PROFILES)}, "shell", "-c", CREATE_ITEMS)
    log = tmp_path / "workers.log"
    workers = {proc.pid: proc for proc in (start_worker(env, log) for _ in range(3))}

    def half_done():
        """a running job with some of its renditions made"""
        rows = db.query(
            "SELECT j.id, j.item_id, j.worker FROM media_pipeline_mediajob j WHERE "
            "j.state = 'running' AND (SELECT count(*) FROM media_pipeline_rendition r WHERE "
            "r.source_id = j.item_id AND r.state = 'ready') BETWEEN 1 AND 2")
        return rows[0] if rows else None

    def states():
        return dict(db.query("SELECT state, count(*) FROM media_pipeline_mediajob "
                             "GROUP BY state"))

    try:
        _job_id, victim_item, token = wait_for(half_done, timeout=240, interval=0.02)
        victim = workers[int(token.split(":")[1])]
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=10)
        kept = db.query("SELECT profile, file, sha256, updated_at FROM media_pipeline_rendition "
                        "WHERE source_id = ? AND state = 'ready'", victim_item)
        try:
            wait_for(lambda: states().get("succeeded", 0) + states().get("failed", 0) == JOBS,
                     timeout=900, interval=0.5)
        except AssertionError as exc:
            raise AssertionError(f"{exc}: jobs {states()}\n{log.read_text()[-3000:]}") from exc
    finally:
        for proc in workers.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=30)
    assert states() == {"succeeded": JOBS}, db.query(
        "SELECT message, detail FROM media_pipeline_mediajob WHERE state = 'failed'")[:3]

    jobs = db.query("SELECT item_id, attempts, worker FROM media_pipeline_mediajob")
    assert len(jobs) == JOBS and len({j[0] for j in jobs}) == JOBS  # one job per item
    attempts = {item: n for item, n, _worker in jobs}
    victim_job = [item for item, n in attempts.items() if n == 2]
    # Every job ran once, but the killed one: once more, by another worker.
    assert victim_job == [victim_item] and sorted(attempts.values()) == [1] * (JOBS - 1) + [2]
    assert str(victim.pid) not in next(w for i, _n, w in jobs if i == victim_item)
    assert len({w.split(":")[1] for _i, _n, w in jobs}) >= 2  # shared out

    renditions = db.query("SELECT source_id, profile, file, sha256, updated_at FROM "
                          "media_pipeline_rendition WHERE state = 'ready'")
    assert len(renditions) == len({(r[0], r[1]) for r in renditions}) == JOBS * len(PROFILES)
    # What the dead worker had made was kept, not made again.
    again = {(p, f, s, str(u)) for i, p, f, s, u in renditions if i == victim_item}
    assert {(p, f, s, str(u)) for p, f, s, u in kept} <= again
    # No second copy of any output in storage: originals and the renditions' files only.
    originals = {row[0] for row in db.query("SELECT file FROM media_pipeline_mediaitem")}
    on_disk = {str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file()}
    assert on_disk == originals | {r[2] for r in renditions}
    tasks = db.query("SELECT status, count(*) FROM django_tasks_database_dbtaskresult "
                     "WHERE task_path = ? GROUP BY status", "media_pipeline.tasks.make_renditions")
    assert dict(tasks) == {"SUCCESSFUL": JOBS, "FAILED": 1}  # the dead worker's task recorded
