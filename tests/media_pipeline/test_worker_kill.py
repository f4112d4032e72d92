"""The real ``manage.py db_worker`` is SIGKILLed in the middle of a transcode, then started
again: the watchdog re-queues the job, it finishes, and nothing is left behind — no stray
scratch or storage files, no duplicate renditions, no orphaned ffmpeg."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from tests import migrated_copy

ROOT = Path(__file__).resolve().parents[2]
SETTINGS = "tests.media_pipeline.worker_settings"
CREATE_ITEM = """
import os
from django.core.files import File
from media_pipeline.models import MediaItem
from media_pipeline.probe import probe
path = os.environ["LOA_WORKER_SOURCE"]
item = MediaItem(title="Phóng sự thử")
item.apply_probe(probe(path))
with open(path, "rb") as fh:
    item.file.save("phóng sự thử.mp4", File(fh), save=False)
item.save()
print(item.pk)
"""


class WorkerDatabase:
    """A database both this test and the worker processes open: a SQLite file, or a fresh
    database on the test PostgreSQL server, cloned from the migrated test database."""

    def __init__(self, folder: Path):
        from django.db import connection

        db = django_settings.DATABASES["default"]
        self.postgres = connection.vendor == "postgresql"
        self.name = f"loa_worker_{uuid.uuid4().hex[:8]}"
        self.path = folder / "worker.sqlite3"
        migrated_copy.clone(connection, pg_name=self.name, sqlite_path=self.path)
        if self.postgres:
            self.params = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"],
                           "password": db.get("PASSWORD") or None}
            self.url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{self.name}"
        else:
            self.url = f"sqlite:///{self.path}"

    def query(self, sql: str, *args) -> list[tuple]:
        if self.postgres:
            import psycopg

            with psycopg.connect(dbname=self.name, **self.params) as conn:
                return conn.execute(sql.replace("?", "%s"), args).fetchall()
        with contextlib.closing(sqlite3.connect(self.path, timeout=20)) as conn:
            return conn.execute(sql, args).fetchall()

    def drop(self) -> None:
        if self.postgres:
            import psycopg

            with psycopg.connect(dbname="postgres", autocommit=True, **self.params) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True, timeout=300)


def start_worker(env: dict, log: Path) -> subprocess.Popen:
    with log.open("a") as out:
        return subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--interval",
             "0.2", "--no-startup-delay", "--no-reload"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def ffmpeg_children_touching(folder: Path) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().decode("utf-8", "replace")
        except OSError:
            continue
        if "ffmpeg" in cmdline and str(folder) in cmdline:
            found.append(int(proc.name))
    return found


def wait_for(predicate, timeout: float, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {predicate.__doc__}")


@pytest.fixture
def worker_env(tmp_path, django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        database = WorkerDatabase(tmp_path)
    media_root = tmp_path / "media"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS,
           "LOA_WORKER_DATABASE_URL": database.url, "LOA_WORKER_MEDIA_ROOT": str(media_root),
           "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("DATABASE_URL", None)
    yield env, database, media_root
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
