"""Real ``manage.py`` processes against a database of their own: the worker tests, the backup
drill and the production-shape test start ``db_worker``, ``backup`` and ``restore`` this way."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

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

    def __init__(self, folder: Path, *, empty: bool = False):
        """``empty``: a database with no tables at all (a new installation to restore into)."""
        from django.db import connection

        db = django_settings.DATABASES["default"]
        self.postgres = connection.vendor == "postgresql"
        self.name = f"loa_worker_{uuid.uuid4().hex[:8]}"
        self.path = folder / "worker.sqlite3"
        if self.postgres:
            self.params = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"],
                           "password": db.get("PASSWORD") or None}
        if not empty:
            migrated_copy.clone(connection, pg_name=self.name, sqlite_path=self.path)
        elif self.postgres:
            import psycopg

            with psycopg.connect(dbname="postgres", autocommit=True, **self.params) as conn:
                conn.execute(f'CREATE DATABASE "{self.name}"')
        if self.postgres:
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


def environment(database: WorkerDatabase, media_root: Path, **extra: str) -> dict:
    """The environment of a ``manage.py`` process on ``database`` and ``media_root``."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS,
           "LOA_WORKER_DATABASE_URL": database.url, "LOA_WORKER_MEDIA_ROOT": str(media_root),
           "PYTHONDONTWRITEBYTECODE": "1", **extra}
    env.pop("DATABASE_URL", None)
    return env


def manage(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    if check and done.returncode:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n"
                             f"{done.stderr[-4000:]}")
    return done


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
